import type { ChalkInstance } from 'chalk';
import { sameRule, type AccountChange, type DiffResult, type ShortlistRule, type SnapshotSummary } from '../core/diff.ts';
import type { GoalResult, GoalStatus } from '../core/goals.ts';
import { TIERS, type Tier } from '../core/types.ts';
import { describeMover, describeMoverLines, modelChangeLine } from './diff-text.ts';
import { ruleText, STATUS_TEXT } from './followup-text.ts';
import { fixed2, grouped, jsonNumber, markdownText, plainAmount, signed } from './format.ts';
import { markdownTable } from './render-markdown.ts';
import { renderTable } from './render-table.ts';
import { escapeTerminal } from './terminal-text.ts';

/**
 * `kam diff` in every format: terminal tables, Markdown, CSV records and one JSON document,
 * from the comparison core/diff.ts computed and where each side came from.
 */

/** What the renderers need of a side: its file, whether kam wrote it, how its shortlist was decided. */
export interface DiffSideView {
  readonly source: string;
  readonly enriched: boolean;
  readonly rule: ShortlistRule;
}

/** A goal whose status differs between the two sides (commands/follow-up.ts goalChanges). */
export interface GoalChangeView {
  readonly goal: GoalResult;
  readonly before: GoalStatus;
  readonly after: GoalStatus;
}

/** 1234567.5 -> '1,234,567.50'; whole numbers without decimals; 'blank' when missing. */
const formatAmount = (x: number): string => (Number.isNaN(x) ? 'blank' : grouped(x, 'fixed'));

/** A growth fraction as a signed percent: '-47.62%', or 'n/a' when there was nothing before. */
const growthPercent = (growth: number): string => (Number.isNaN(growth) ? 'n/a' : `${signed(growth * 100)}%`);

/** A score with two decimals; '' when the account has none. */
const scoreText = (x: number): string => (Number.isNaN(x) ? '' : fixed2(x));

const round2 = (x: number): number | null => jsonNumber(x, 2);
const round4 = (x: number): number | null => jsonNumber(x, 4);

const ruleCode = (rule: ShortlistRule): string => (rule.kind === 'best' ? 'best_n' : rule.kind === 'column' ? 'kam_shortlist' : 'key_tier');

function shortlistLine(before: DiffSideView, after: DiffSideView, diff: DiffResult): string {
  const rule = sameRule(before.rule, after.rule) ? ruleText(before.rule) : `before ${ruleText(before.rule)}, after ${ruleText(after.rule)}`;
  return `shortlist: ${rule} (${diff.before.shortlist} -> ${diff.after.shortlist} accounts)`;
}

const sideLine = (s: SnapshotSummary): string =>
  `${s.accounts} accounts · ${shownTiers(s.tiers)
    .map((t) => `${t} ${s.tiers[t]}`)
    .join(' · ')} · invalid ${s.invalid}`;

/** The tiers a summary lists: Gated only when some account is gated. */
const shownTiers = (tiers: Readonly<Record<Tier, number>>): Tier[] => TIERS.filter((t) => t !== 'Gated' || tiers.Gated > 0);

const rankMove = (c: AccountChange): string =>
  c.before && c.after ? `${c.before.rank} -> ${c.after.rank}` : c.after ? `new, ${c.after.rank}` : `removed, was ${c.before?.rank ?? ''}`;

const tierMove = (c: AccountChange): string =>
  c.before && c.after
    ? c.before.tier === c.after.tier
      ? c.after.tier
      : `${c.before.tier} -> ${c.after.tier}`
    : c.after
      ? `new: ${c.after.tier}`
      : `removed: ${c.before?.tier ?? ''}`;

const moveWords = (rankChange: number): string => (rankChange > 0 ? `up ${rankChange}` : `down ${-rankChange}`);

/** A section as a heading and a table of cells; the renderers for table and Markdown share it. */
interface Section {
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly numeric: ReadonlySet<number>;
  readonly footer?: string;
  /** A column of prose (the movers' explanations) a terminal table wraps rather than cuts. */
  readonly wraps?: number;
}

/** The sections of a diff; `multiline` breaks the movers' explanations into lines (terminal tables). */
function sections(diff: DiffResult, multiline = false): Section[] {
  const account = (c: { id: string; name: string }): string[] => [c.id, c.name];
  const listed = (title: string, list: readonly AccountChange[]): Section => ({
    title: `${title} (${list.length})`,
    head: ['ID', 'Account', 'Tier', 'Rank'],
    rows: list.map((c) => [...account(c), tierMove(c), rankMove(c)]),
    numeric: new Set(),
  });
  const side = (title: string, list: readonly AccountChange[], pick: (c: AccountChange) => AccountChange['after']): Section => ({
    title: `${title} (${list.length})`,
    head: ['ID', 'Account', 'Tier', 'Rank', 'Score'],
    rows: list.map((c) => {
      const s = pick(c)!;
      return [...account(c), s.tier, String(s.rank), scoreText(s.score)];
    }),
    numeric: new Set([3, 4]),
  });
  const r = diff.revenue;
  return [
    listed('Entered the shortlist', diff.entered),
    listed('Left the shortlist', diff.left),
    listed('Tier changes', diff.tierChanges),
    side('New accounts', diff.added, (c) => c.after),
    side('Removed accounts', diff.removed, (c) => c.before),
    {
      title: `Biggest rank movers (${diff.movers.length})`,
      head: ['ID', 'Account', 'Rank', 'Score', 'What moved it'],
      wraps: 4,
      rows: diff.movers.map((m) => [
        ...account(m),
        `${m.before.rank} -> ${m.after.rank}`,
        `${scoreText(m.before.score)} -> ${scoreText(m.after.score)}`,
        multiline ? describeMoverLines(m).join('\n') : describeMover(m),
      ]),
      numeric: new Set(),
    },
    {
      title: `Revenue changes (${r.changed.length} of ${r.matched} matched accounts)`,
      head: ['ID', 'Account', 'Before', 'After', 'Growth'],
      rows: r.changed.map((c) => [...account(c), formatAmount(c.before), formatAmount(c.after), growthPercent(c.growth)]),
      numeric: new Set([2, 3, 4]),
      footer: `total revenue of the ${r.matched} matched accounts: ${formatAmount(r.totalBefore)} -> ${formatAmount(r.totalAfter)} (${growthPercent(r.growth)})`,
    },
  ];
}

export function summaryLine(diff: DiffResult): string {
  const sl = diff.shortlistChanged ? `shortlist changed: ${diff.entered.length} entered, ${diff.left.length} left` : 'shortlist unchanged';
  return `${sl} · ${diff.unchanged} account(s) with the same tier and rank`;
}

function headerLines(before: DiffSideView, after: DiffSideView, diff: DiffResult): string[] {
  const model = modelChangeLine(diff, before.source, after.source);
  return [
    `kam diff: ${before.source} -> ${after.source}`,
    `before: ${sideLine(diff.before)}`,
    `after:  ${sideLine(diff.after)}`,
    shortlistLine(before, after, diff),
    ...(model ? [model] : []),
  ];
}

/** The diff as terminal tables, one per section. */
export function renderDiffTable(before: DiffSideView, after: DiffSideView, diff: DiffResult, color: ChalkInstance, width: number | undefined): string {
  const out: string[] = [
    headerLines(before, after, diff)
      .map((l) => escapeTerminal(l))
      .join('\n') + '\n',
  ];
  for (const s of sections(diff, true)) {
    let text = `${color.bold(s.title)}\n`;
    const flexible = [{ index: 1, min: 12 }, ...(s.wraps === undefined ? [] : [{ index: s.wraps, min: 22, wrap: true }])];
    text += s.rows.length ? renderTable({ head: s.head, rows: s.rows, numeric: s.numeric, flexible, width, color }) : 'none\n';
    if (s.footer) text += `${s.footer}\n`;
    out.push(text);
  }
  out.push(summaryLine(diff) + '\n');
  return out.join('\n');
}

/** The diff as Markdown: a heading per section, then a table (or "none"). */
export function renderDiffMarkdown(before: DiffSideView, after: DiffSideView, diff: DiffResult): string {
  const out: string[] = [
    `# kam diff: ${markdownText(before.source)} -> ${markdownText(after.source)}\n`,
    headerLines(before, after, diff)
      .slice(1)
      .map((l) => `- ${l.replace(/ {2,}/g, ' ')}`)
      .join('\n') + '\n',
  ];
  for (const s of sections(diff)) {
    let text = `## ${s.title}\n\n`;
    text += s.rows.length ? markdownTable(s.head, s.rows, s.numeric) : 'none\n';
    if (s.footer) text += `\n${s.footer[0]!.toUpperCase()}${s.footer.slice(1)}\n`;
    out.push(text);
  }
  out.push(`${summaryLine(diff)[0]!.toUpperCase()}${summaryLine(diff).slice(1)}\n`);
  return out.join('\n');
}

/** The CSV header of `kam diff --format csv`. */
export const DIFF_CSV_HEADER = ['change', 'account_id', 'account_name', 'from', 'to', 'detail'] as const;

/** One record per change, in section order: entered, left, tier, added, removed, mover, revenue, revenue_total. */
export function diffCsvRecords(diff: DiffResult, decimal: '.' | ',' = '.'): string[][] {
  const rows: string[][] = [];
  // Amounts and growth percents use the file's decimal separator; the rank and score prose keeps '.'.
  const amountCell = (x: number): string => plainAmount(x).replace('.', decimal);
  const percentCell = (growth: number): string => growthPercent(growth).replace('.', decimal);
  const rankDetail = (c: AccountChange): string => `rank ${rankMove(c)}`;
  for (const c of diff.entered) rows.push(['entered', c.id, c.name, c.before?.tier ?? '', c.after?.tier ?? '', rankDetail(c)]);
  for (const c of diff.left) rows.push(['left', c.id, c.name, c.before?.tier ?? '', c.after?.tier ?? '', rankDetail(c)]);
  for (const c of diff.tierChanges) rows.push(['tier', c.id, c.name, c.before.tier, c.after.tier, rankDetail(c)]);
  for (const c of diff.added)
    rows.push(['added', c.id, c.name, '', c.after?.tier ?? '', `rank ${c.after?.rank ?? ''}, score ${scoreText(c.after?.score ?? Number.NaN)}`]);
  for (const c of diff.removed)
    rows.push(['removed', c.id, c.name, c.before?.tier ?? '', '', `rank ${c.before?.rank ?? ''}, score ${scoreText(c.before?.score ?? Number.NaN)}`]);
  for (const m of diff.movers) {
    rows.push([
      'mover',
      m.id,
      m.name,
      String(m.before.rank),
      String(m.after.rank),
      `${moveWords(m.rankChange)}; score ${scoreText(m.before.score)} -> ${scoreText(m.after.score)}; ${describeMover(m)}`,
    ]);
  }
  for (const c of diff.revenue.changed) rows.push(['revenue', c.id, c.name, amountCell(c.before), amountCell(c.after), percentCell(c.growth)]);
  const r = diff.revenue;
  rows.push(['revenue_total', '', '', amountCell(r.totalBefore), amountCell(r.totalAfter), `${r.matched} matched accounts; ${percentCell(r.growth)}`]);
  return rows;
}

/** The diff as one JSON document: numbers as numbers (2 decimals), missing values as null. */
export function renderDiffJson(before: DiffSideView, after: DiffSideView, diff: DiffResult): string {
  const side = (s: DiffSideView, sum: SnapshotSummary): object => ({
    source: s.source,
    enriched: s.enriched,
    accounts: sum.accounts,
    invalid: sum.invalid,
    tiers: Object.fromEntries(shownTiers(sum.tiers).map((t) => [t, sum.tiers[t]])),
    shortlist_rule: ruleCode(s.rule),
    shortlist_size: sum.shortlist,
  });
  const change = (c: AccountChange): object => ({
    account_id: c.id,
    account_name: c.name,
    tier_before: c.before?.tier ?? null,
    tier_after: c.after?.tier ?? null,
    rank_before: c.before?.rank ?? null,
    rank_after: c.after?.rank ?? null,
    score_before: c.before ? round2(c.before.score) : null,
    score_after: c.after ? round2(c.after.score) : null,
  });
  const r = diff.revenue;
  const doc = {
    before: side(before, diff.before),
    after: side(after, diff.after),
    shortlist_changed: diff.shortlistChanged,
    entered: diff.entered.map(change),
    left: diff.left.map(change),
    tier_changes: diff.tierChanges.map(change),
    added: diff.added.map(change),
    removed: diff.removed.map(change),
    movers: diff.movers.map((m) => ({
      ...change(m),
      rank_change: m.rankChange,
      criterion: m.driver?.criterion ?? null,
      points: m.driver ? round2(m.driver.points) : null,
      inputs: m.inputs.map((c) => ({ input: c.input, before: round4(c.before), after: round4(c.after) })),
      criteria: m.criteria.map((c) => ({ criterion: c.criterion, points: round2(c.points), own: c.own })),
      model_points: m.modelPoints === undefined ? null : round2(m.modelPoints),
      explanation: describeMover(m),
    })),
    revenue: {
      matched: r.matched,
      total_before: round2(r.totalBefore),
      total_after: round2(r.totalAfter),
      growth_pct: round2(r.growth * 100),
      changed: r.changed.map((c) => ({
        account_id: c.id,
        account_name: c.name,
        before: round2(c.before),
        after: round2(c.after),
        growth_pct: round2(c.growth * 100),
      })),
    },
    unchanged: diff.unchanged,
    model_changed: diff.modelChanged,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

const GOAL_HEAD = ['ID', 'Account', 'Metric', 'Status'];
const goalsTitle = (goals: readonly GoalChangeView[]): string => `Goals whose status changed (${goals.length})`;
const goalCells = (g: GoalChangeView): string[] => [
  g.goal.row.accountId,
  g.goal.name,
  g.goal.row.metric,
  `${STATUS_TEXT[g.before]} -> ${STATUS_TEXT[g.after]}`,
];

/** The goals section of the terminal table. */
export const goalsTable = (goals: readonly GoalChangeView[], color: ChalkInstance, width: number | undefined): string =>
  `\n${color.bold(goalsTitle(goals))}\n${goals.length ? renderTable({ head: GOAL_HEAD, rows: goals.map(goalCells), width, color }) : 'none\n'}`;

/** The goals section of the Markdown. */
export const goalsMarkdown = (goals: readonly GoalChangeView[]): string =>
  `\n## ${goalsTitle(goals)}\n\n${goals.length ? markdownTable(GOAL_HEAD, goals.map(goalCells)) : 'none\n'}`;

/** The JSON document with the goals whose status changed as `goal_changes`. */
export function withGoalsJson(text: string, goals: readonly GoalChangeView[]): string {
  const doc = JSON.parse(text) as Record<string, unknown>;
  doc['goal_changes'] = goals.map((g) => ({
    account_id: g.goal.row.accountId,
    account_name: g.goal.name,
    metric: g.goal.row.metric,
    status_before: g.before,
    status_after: g.after,
  }));
  return JSON.stringify(doc, null, 2) + '\n';
}

/** One CSV record per goal whose status changed, after the diff's own. */
export const goalCsvRecords = (goals: readonly GoalChangeView[]): string[][] =>
  goals.map((g) => ['goal', g.goal.row.accountId, g.goal.name, g.before, g.after, g.goal.row.metric]);
