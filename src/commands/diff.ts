import { Option, type Command } from 'commander';
import { diffSnapshots, type AccountChange, type DiffResult, type SnapshotSummary } from '../core/diff.ts';
import { TIERS, type Tier } from '../core/types.ts';
import { ExitCode, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { Chalk } from 'chalk';
import { noteSink, quietIo, type Io, type Sink } from '../io/console.ts';
import { describeMover, describeMoverLines, modelChangeLine } from '../io/diff-text.ts';
import { fixed2 } from '../io/enriched.ts';
import { markdownTable, markdownText } from '../io/render-markdown.ts';
import { renderTable, terminalWidth } from '../io/render-table.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { writeOutput } from '../io/output-file.ts';
import { writeCsv } from '../io/write-csv.ts';
import type { Decimal } from '../schema/values.ts';
import { addReadOptions, mergeNotes, positiveInt, reportConfig, resolveAsOf, runInputs, type LoadedAccounts, type ReadCliOptions } from './load.ts';
import { addQuietOption, csvOptions, outputFormat, reportWritten, type OutputCliOptions } from './output.ts';
import { readSnapshot, type DiffSide, type ShortlistRule } from './snapshot.ts';
import { goalChanges, STATUS_TEXT, type GoalChange } from './follow-up.ts';

const HELP_EXAMPLES = `
Each side is a raw CRM export (scored now, with the current config) or a CSV that
kam score wrote earlier (its kam_ columns are used as they are). Accounts are
matched by account_id. The shortlist is the n best Key/Develop accounts with
--shortlist n (or the config's shortlist), else a scored CSV's kam_shortlist
column, else the Key tier.

Examples:
  $ kam diff last-week.csv this-week.csv                 what changed (table on a terminal, CSV when piped)
  $ kam diff last-week.csv this-week.csv --format md     for an email or a chat
  $ kam diff scored-2026-11-20.csv export.csv --shortlist 10
  $ kam diff last-week.csv this-week.csv --exit-code     exit 1 when the shortlist changed (for scripts)
`;

/** Output formats of `kam diff` (no NDJSON: the result is one document, not rows). */
export const DIFF_FORMATS = ['table', 'csv', 'json', 'md'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** `kam diff`'s options as commander hands them over. */
export interface DiffCliOptions extends ReadCliOptions, OutputCliOptions {
  readonly format?: DiffFormat | undefined;
  readonly shortlist?: number | undefined;
  readonly topMovers?: number | undefined;
  readonly weights?: string | undefined;
  readonly exitCode?: boolean | undefined;
  readonly escapeFormulas?: boolean | undefined;
  readonly goals?: string | undefined;
  readonly output?: string | undefined;
  readonly asOf?: string | undefined;
  readonly rfc4180?: boolean | undefined;
}

// ---- rendering ------------------------------------------------------------------

/** 1234567.5 -> '1,234,567.50'; whole numbers without decimals. */
export function formatAmount(x: number): string {
  if (Number.isNaN(x)) return 'blank';
  const r = Math.round(x * 100) / 100 + 0;
  const [whole, frac] = (Number.isInteger(r) ? String(Math.abs(r)) : Math.abs(r).toFixed(2)).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${r < 0 ? '-' : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** Plain amount for CSV cells (no grouping, so spreadsheets read it as a number). */
const plainAmount = (x: number): string => {
  if (Number.isNaN(x)) return '';
  const r = Math.round(x * 100) / 100 + 0;
  return Number.isInteger(r) ? String(r) : r.toFixed(2);
};

/** Signed with two decimals: '+13.44', '-5.66', '0.00'. */
const signed = (x: number): string => {
  const r = Math.round(x * 100) / 100 + 0;
  return `${r > 0 ? '+' : ''}${r.toFixed(2)}`;
};

/** A growth fraction as a signed percent: '-47.62%', or 'n/a' when there was nothing before. */
const percent = (growth: number): string => (Number.isNaN(growth) ? 'n/a' : `${signed(growth * 100)}%`);

/** A score with two decimals; '' when the account has none. */
const scoreText = (x: number): string => (Number.isNaN(x) ? '' : fixed2(x));

const round2 = (x: number): number | null => (Number.isNaN(x) ? null : Math.round(x * 100) / 100 + 0);
const round4 = (x: number): number | null => (Number.isNaN(x) ? null : Math.round(x * 10_000) / 10_000 + 0);

const ruleText = (rule: ShortlistRule): string =>
  rule.kind === 'best' ? `the best ${rule.n} Key/Develop accounts` : rule.kind === 'column' ? 'its kam_shortlist column' : 'the Key tier';

const ruleCode = (rule: ShortlistRule): string => (rule.kind === 'best' ? 'best_n' : rule.kind === 'column' ? 'kam_shortlist' : 'key_tier');

const sameRule = (a: ShortlistRule, b: ShortlistRule): boolean => a.kind === b.kind && (a.kind !== 'best' || (b.kind === 'best' && a.n === b.n));

function shortlistLine(before: DiffSide, after: DiffSide, diff: DiffResult): string {
  const rule = sameRule(before.rule, after.rule) ? ruleText(before.rule) : `before ${ruleText(before.rule)}, after ${ruleText(after.rule)}`;
  return `shortlist: ${rule} (${diff.before.shortlist} -> ${diff.after.shortlist} accounts)`;
}

const sideLine = (s: SnapshotSummary): string =>
  `${s.accounts} accounts · ${shownTiers(s.tiers).map((t) => `${t} ${s.tiers[t]}`).join(' · ')} · invalid ${s.invalid}`;

/** The tiers a summary lists: Gated only when some account is gated. */
const shownTiers = (tiers: Readonly<Record<Tier, number>>): Tier[] => TIERS.filter((t) => t !== 'Gated' || tiers.Gated > 0);

const rankMove = (c: AccountChange): string =>
  c.before && c.after ? `${c.before.rank} -> ${c.after.rank}` : c.after ? `new, ${c.after.rank}` : `removed, was ${c.before?.rank ?? ''}`;

const tierMove = (c: AccountChange): string =>
  c.before && c.after ? (c.before.tier === c.after.tier ? c.after.tier : `${c.before.tier} -> ${c.after.tier}`) : c.after ? `new: ${c.after.tier}` : `removed: ${c.before?.tier ?? ''}`;

const moveWords = (rankChange: number): string => (rankChange > 0 ? `up ${rankChange}` : `down ${-rankChange}`);

/** A section as a heading and a table of cells; the renderers for table and Markdown share it. */
interface Section {
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly numeric: ReadonlySet<number>;
  readonly footer?: string;
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
      rows: r.changed.map((c) => [...account(c), formatAmount(c.before), formatAmount(c.after), percent(c.growth)]),
      numeric: new Set([2, 3, 4]),
      footer: `total revenue of the ${r.matched} matched accounts: ${formatAmount(r.totalBefore)} -> ${formatAmount(r.totalAfter)} (${percent(r.growth)})`,
    },
  ];
}

function summaryLine(diff: DiffResult): string {
  const sl = diff.shortlistChanged ? `shortlist changed: ${diff.entered.length} entered, ${diff.left.length} left` : 'shortlist unchanged';
  return `${sl} · ${diff.unchanged} account(s) with the same tier and rank`;
}

function headerLines(before: DiffSide, after: DiffSide, diff: DiffResult): string[] {
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
export function renderDiffTable(before: DiffSide, after: DiffSide, diff: DiffResult, io: Io, width: number | undefined): string {
  const out: string[] = [headerLines(before, after, diff).map((l) => escapeTerminal(l)).join('\n') + '\n'];
  for (const s of sections(diff, true)) {
    let text = `${io.color.bold(s.title)}\n`;
    const flexible = [{ index: 1, min: 12 }, ...(s.head.length === 5 && s.head[4] === 'What moved it' ? [{ index: 4, min: 22, wrap: true }] : [])];
    text += s.rows.length ? renderTable({ head: s.head, rows: s.rows, numeric: s.numeric, flexible, width, color: io.color }) : 'none\n';
    if (s.footer) text += `${s.footer}\n`;
    out.push(text);
  }
  out.push(summaryLine(diff) + '\n');
  return out.join('\n');
}

/** The diff as Markdown: a heading per section, then a table (or "none"). */
export function renderDiffMarkdown(before: DiffSide, after: DiffSide, diff: DiffResult): string {
  const out: string[] = [
    `# kam diff: ${markdownText(before.source)} -> ${markdownText(after.source)}\n`,
    headerLines(before, after, diff).slice(1).map((l) => `- ${l.replace(/ {2,}/g, ' ')}`).join('\n') + '\n',
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
export function diffCsvRecords(diff: DiffResult, decimal: Decimal = '.'): string[][] {
  const rows: string[][] = [];
  // Amounts and growth percents use the file's decimal separator; the rank and score prose keeps '.'.
  const amountCell = (x: number): string => plainAmount(x).replace('.', decimal);
  const percentCell = (growth: number): string => percent(growth).replace('.', decimal);
  const rankDetail = (c: AccountChange): string => `rank ${rankMove(c)}`;
  for (const c of diff.entered) rows.push(['entered', c.id, c.name, c.before?.tier ?? '', c.after?.tier ?? '', rankDetail(c)]);
  for (const c of diff.left) rows.push(['left', c.id, c.name, c.before?.tier ?? '', c.after?.tier ?? '', rankDetail(c)]);
  for (const c of diff.tierChanges) rows.push(['tier', c.id, c.name, c.before.tier, c.after.tier, rankDetail(c)]);
  for (const c of diff.added) rows.push(['added', c.id, c.name, '', c.after?.tier ?? '', `rank ${c.after?.rank ?? ''}, score ${scoreText(c.after?.score ?? Number.NaN)}`]);
  for (const c of diff.removed) rows.push(['removed', c.id, c.name, c.before?.tier ?? '', '', `rank ${c.before?.rank ?? ''}, score ${scoreText(c.before?.score ?? Number.NaN)}`]);
  for (const m of diff.movers) {
    rows.push(['mover', m.id, m.name, String(m.before.rank), String(m.after.rank), `${moveWords(m.rankChange)}; score ${scoreText(m.before.score)} -> ${scoreText(m.after.score)}; ${describeMover(m)}`]);
  }
  for (const c of diff.revenue.changed) rows.push(['revenue', c.id, c.name, amountCell(c.before), amountCell(c.after), percentCell(c.growth)]);
  const r = diff.revenue;
  rows.push(['revenue_total', '', '', amountCell(r.totalBefore), amountCell(r.totalAfter), `${r.matched} matched accounts; ${percentCell(r.growth)}`]);
  return rows;
}

/** The diff as one JSON document: numbers as numbers (2 decimals), missing values as null. */
export function renderDiffJson(before: DiffSide, after: DiffSide, diff: DiffResult): string {
  const side = (s: DiffSide, sum: SnapshotSummary): object => ({
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
const goalsTitle = (goals: readonly GoalChange[]): string => `Goals whose status changed (${goals.length})`;
const goalCells = (g: GoalChange): string[] => [g.goal.row.accountId, g.goal.name, g.goal.row.metric, `${STATUS_TEXT[g.before]} -> ${STATUS_TEXT[g.after]}`];

/** `kam diff`: read both sides, compare, write; with --exit-code, exit 1 when the shortlist changed. */
export async function runDiff(beforeFile: string, afterFile: string, options: DiffCliOptions, runIo: Io): Promise<ExitCodeT> {
  const io = quietIo(runIo, options.quiet);
  if (beforeFile === '-' && afterFile === '-') throw new UsageError('only one side of kam diff can be read from stdin (-)');
  const format = outputFormat('diff', options.output, options.format, DIFF_FORMATS, options.output === undefined && io.stdoutIsTty ? 'table' : 'csv');
  const asOf = resolveAsOf(io, options.asOf);
  const shortlistN = (loaded: LoadedAccounts): number | undefined => options.shortlist ?? loaded.config.shortlist;
  // --deals fills the later export's accounts (this week's deals), as kam report --deals does.
  const before = await readSnapshot(io, beforeFile, options, shortlistN, true, true, { collect: true });
  const after = await readSnapshot(io, afterFile, options, shortlistN, true, true, { asOf, collect: true });
  await reportConfig(io, after.loaded.configPath);
  const notes = mergeNotes([before, after]);
  if (!sameRule(before.rule, after.rule)) {
    notes.unshift(`kam: warning: the shortlist is ${ruleText(before.rule)} before and ${ruleText(after.rule)} after; use --shortlist N to compare like with like`);
  }
  if (before.modelId !== after.modelId) {
    notes.push(
      `kam: note: the model changed between the two sides (kam_model ${before.modelId ?? 'unknown'} -> ${after.modelId ?? 'unknown'}): part of every score change is the model's, not the account's`,
    );
  }
  if (notes.length) await noteSink(io).write(notes.join('\n') + '\n');
  // Both sides read the same config (same --config), so one model's weights attribute score changes.
  const diff = diffSnapshots(before.snapshot, after.snapshot, { movers: options.topMovers ?? 5, weights: after.model.weights });

  const goals = options.goals === undefined ? undefined : await goalChanges(io, before, after, options.goals);
  const write = async (sink: Sink, toTerminal: boolean): Promise<void> => {
  // A table written to a file (-o x.txt) has no colour codes and no terminal width.
  const tio: Io = toTerminal ? io : { ...io, color: new Chalk({ level: 0 }) };
  const width = toTerminal ? terminalWidth(io) : undefined;
  switch (format) {
    case 'table':
      await sink.write(renderDiffTable(before, after, diff, tio, width) + (goals ? `\n${tio.color.bold(goalsTitle(goals))}\n${goals.length ? renderTable({ head: GOAL_HEAD, rows: goals.map(goalCells), width, color: tio.color }) : 'none\n'}` : ''));
      break;
    case 'md':
      await sink.write(renderDiffMarkdown(before, after, diff) + (goals ? `\n## ${goalsTitle(goals)}\n\n${goals.length ? markdownTable(GOAL_HEAD, goals.map(goalCells)) : 'none\n'}` : ''));
      break;
    case 'json': {
      const text = renderDiffJson(before, after, diff);
      if (!goals) await sink.write(text);
      else {
        const doc = JSON.parse(text) as Record<string, unknown>;
        doc['goal_changes'] = goals.map((g) => ({ account_id: g.goal.row.accountId, account_name: g.goal.name, metric: g.goal.row.metric, status_before: g.before, status_after: g.after }));
        await sink.write(JSON.stringify(doc, null, 2) + '\n');
      }
      break;
    }
    case 'csv': {
      const goalRecords = (goals ?? []).map((g) => ['goal', g.goal.row.accountId, g.goal.name, g.before, g.after, g.goal.row.metric]);
      const csv = csvOptions(after.loaded.table, after.loaded.parsed.decimal, options, after.writtenDecimal);
      await writeCsv(sink, DIFF_CSV_HEADER, [...diffCsvRecords(diff, csv.dialect?.decimal), ...goalRecords], csv);
      break;
    }
  }
  };
  if (options.output !== undefined) {
    // Atomically, like kam score -o; never over a file the run reads.
    const inputs = runInputs(io, [{ path: beforeFile, role: '<before>' }, { path: afterFile, role: '<after>' }, { path: options.goals, role: '--goals' }], options);
    await writeOutput({ path: options.output, role: '-o' }, (sink) => write(sink, options.output === '-'), { cwd: io.cwd, stdout: io.stdout, inputs });
    if (options.output !== '-') await reportWritten(io, options.output, summaryLine(diff));
  } else {
    await write(io.stdout, true);
  }
  return options.exitCode === true && diff.shortlistChanged ? ExitCode.InvalidData : ExitCode.Ok;
}

/** Wire `kam diff` into the program. */
export function registerDiff(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('diff')
    .description('Compare two snapshots of the accounts: shortlist, tier and rank changes, new and removed accounts, revenue')
    .argument('<before>', 'the earlier export (raw, or a CSV kam score wrote), or - for stdin')
    .argument('<after>', 'the later export (raw, or a CSV kam score wrote), or - for stdin');
  addReadOptions(cmd)
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, else csv)').choices([...DIFF_FORMATS]))
    .option('--shortlist <n>', 'the shortlist is the n best Key/Develop accounts on each side (default: the Key tier)', positiveInt('--shortlist'))
    .option('--top-movers <n>', 'how many rank movers to list (default 5)', positiveInt('--top-movers'))
    .option('--weights <spec>', 'criterion weights for raw exports, e.g. volume=2,potential=3,ltv=2,fit=1,strategic=2')
    .option('--exit-code', 'exit 1 when shortlist membership changed, else 0 (like git diff --exit-code)')
    .option('--no-escape-formulas', 'do not prefix cells that start with = + - @ (spreadsheet formula guard)')
    .option('--goals <file>', 'goals.csv: also list the goals whose status changed between the two dates')
    .option('-o, --output <file>', 'write to a file (atomically; never over an input); the format follows its name (.csv .json .md .txt)')
    .option('--deals <file>', "opportunities export: derive revenue, pipeline and growth_rate of <after>'s accounts from its deals")
    .option('--as-of <date>', 'the day the --deals roll-up ends, YYYY-MM-DD (default: today)')
    .option('--rfc4180', "write CSV as plain RFC 4180: comma, LF, UTF-8 without BOM, decimal point (default: <after>'s dialect)");
  addQuietOption(cmd)
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (before: string, after: string, opts: DiffCliOptions) => setExitCode(await runDiff(before, after, opts, io)));
}
