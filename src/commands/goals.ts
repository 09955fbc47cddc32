import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { evaluateGoal, type Goal, type GoalEvaluation, type GoalObservation, type GoalStatus, type GoalValue } from '../core/goals.ts';
import { CRITERIA, TIERS, type AccountColumns } from '../core/types.ts';
import { ExitCode, InputError, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import type { Io } from '../io/console.ts';
import { fixed2 } from '../io/enriched.ts';
import { markdownTable } from '../io/render-markdown.ts';
import { readTable } from '../io/read-table.ts';
import { renderTable, terminalWidth } from '../io/render-table.ts';
import { writeCsv } from '../io/write-csv.ts';
import { formatDate, parseDate, parseNumber, parsePercent } from '../schema/values.ts';
import { addReadOptions, formatIssue, positiveInt, type ReadCliOptions } from './load.ts';
import { readDatedSnapshots, type DiffSide, type SideAccount } from './snapshot.ts';

const HELP_EXAMPLES = `
goals.csv has one goal per row: account_id, metric, target, due (YYYY-MM-DD), and
optionally owner, note, set (the date the goal was set) and baseline. The metric is a
canonical field (revenue, pipeline, gross_margin, ...), a kam value (kam_score, kam_rank,
kam_volume ... kam_strategic, kam_tier) or a numeric column of the export. The baseline is
the first snapshot on or after 'set' (else the first snapshot), unless given.

Status at --as-of (default today): done (target reached), overdue (due date passed),
behind (below the straight line from baseline to target at that date), on track,
no data (no value to measure), account gone (not in the latest snapshot). A goal of an
account that left the shortlist is flagged.

Examples:
  $ kam goals snapshots/*.csv --goals goals.csv
  $ kam goals snapshots/*.csv --goals goals.csv --format md --as-of 2026-11-27
`;

export const GOALS_FORMATS = ['table', 'csv', 'json', 'md'] as const;
export type GoalsFormat = (typeof GOALS_FORMATS)[number];

export interface GoalsCliOptions extends ReadCliOptions {
  readonly goals?: string | undefined;
  readonly format?: GoalsFormat | undefined;
  readonly asOf?: string | undefined;
  readonly shortlist?: number | undefined;
  readonly weights?: string | undefined;
  readonly escapeFormulas?: boolean | undefined;
}

/** How a metric's values are read and shown. */
type MetricKind = 'money' | 'percent' | 'number' | 'score' | 'rank' | 'tier';

/** One row of goals.csv, read. */
export interface GoalRow {
  readonly line: number;
  readonly accountId: string;
  readonly metric: string;
  readonly kind: MetricKind;
  readonly goal: Goal;
  readonly owner: string;
  readonly note: string;
}

/** A goal with its account's name (latest snapshot it is in) and its evaluation. */
export interface GoalResult {
  readonly row: GoalRow;
  readonly name: string;
  readonly evaluation: GoalEvaluation;
}

export interface GoalsReport {
  readonly source: string;
  readonly today: number;
  readonly snapshots: number;
  readonly latest: string;
  readonly goals: readonly GoalResult[];
}

const KAM_METRICS: Readonly<Record<string, { kind: MetricKind; get: (a: SideAccount) => GoalValue | undefined }>> = {
  kam_score: { kind: 'score', get: (a) => (Number.isNaN(a.score) ? undefined : a.score) },
  kam_rank: { kind: 'rank', get: (a) => a.rank },
  kam_tier: { kind: 'tier', get: (a) => a.tier },
  ...Object.fromEntries(
    CRITERIA.map((c, i) => [`kam_${c}`, { kind: 'score' as MetricKind, get: (a: SideAccount) => (Number.isNaN(a.criteria[i] ?? Number.NaN) ? undefined : a.criteria[i]) }]),
  ),
};

/** The numeric canonical fields a goal can measure, with where AccountColumns holds them. */
const FIELD_METRICS: Readonly<Record<string, { kind: MetricKind; get: (c: AccountColumns, i: number) => number }>> = {
  revenue: { kind: 'money', get: (c, i) => c.revenue[i]! },
  company_revenue: { kind: 'money', get: (c, i) => c.companyRevenue[i]! },
  potential_revenue: { kind: 'money', get: (c, i) => c.potentialRevenue[i]! },
  pipeline: { kind: 'money', get: (c, i) => c.pipeline[i]! },
  growth_rate: { kind: 'percent', get: (c, i) => c.growthRate[i]! },
  gross_margin: { kind: 'percent', get: (c, i) => c.grossMargin[i]! },
  retention_rate: { kind: 'percent', get: (c, i) => c.retentionRate[i]! },
  churn_risk: { kind: 'percent', get: (c, i) => 1 - c.retentionRate[i]! },
  product_fit: { kind: 'score', get: (c, i) => c.productFit[i]! },
  strategic_value: { kind: 'score', get: (c, i) => c.strategicValue[i]! },
  employees: { kind: 'number', get: (c, i) => c.employees[i]! },
};

/** A goals.csv header as a column key: 'Account ID' and 'account_id' are the same column. */
const goalKey = (h: string): string => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

const GOAL_COLUMNS = ['account_id', 'metric', 'target', 'due', 'owner', 'note', 'set', 'baseline'] as const;
const REQUIRED = ['account_id', 'metric', 'target', 'due'] as const;

/** A metric value of goals.csv: a tier name, a percent ('40%', or a bare fraction or percent), or a number. */
function parseGoalValue(text: string, kind: MetricKind): GoalValue | string {
  if (kind === 'tier') {
    const t = TIERS.find((x) => x.toLowerCase() === text.trim().toLowerCase());
    if (!t) throw new Error(`'${text}' is not a tier (${TIERS.join(', ')})`);
    return t;
  }
  if (kind === 'percent') {
    const p = parsePercent(text, '.');
    if (p.kind !== 'value') throw new Error(`'${text}' is not a percentage`);
    return p.value.hasSign || Math.abs(p.value.value) <= 1 ? p.value.value : p.value.value / 100;
  }
  const n = parseNumber(text, '.');
  if (n.kind !== 'value') throw new Error(`'${text}' is not a number`);
  return n.value;
}

/** Read goals.csv: every problem is an issue with its line and column (exit 1 when any). */
export async function readGoals(io: Io, file: string, sides: readonly DiffSide[]): Promise<{ source: string; rows: GoalRow[] }> {
  const table = await readTable(resolve(io.cwd, file), {}, io.stdin, file);
  const at = new Map<string, number>();
  table.header.forEach((h, i) => {
    const key = goalKey(h);
    if ((GOAL_COLUMNS as readonly string[]).includes(key) && !at.has(key)) at.set(key, i);
  });
  const missing = REQUIRED.filter((c) => !at.has(c));
  if (missing.length) throw new InputError(`${table.source}: goals need the column(s) ${missing.join(', ')} (found: ${table.header.join(', ')})`);
  const unused = table.header.filter((h) => !(GOAL_COLUMNS as readonly string[]).includes(goalKey(h)));
  if (unused.length) {
    await io.stderr.write(`kam: ${table.source}: column(s) ${unused.map((u) => `'${u}'`).join(', ')} not used (goals read ${GOAL_COLUMNS.join(', ')})\n`);
  }
  const headers = new Set(sides.flatMap((s) => s.loaded.table.header.map((h) => h.trim())));
  const issues: string[] = [];
  const rows: GoalRow[] = [];
  for (const rec of table.records) {
    const cell = (c: (typeof GOAL_COLUMNS)[number]): string => {
      const i = at.get(c);
      return i === undefined ? '' : (rec.cells[i] ?? '').trim();
    };
    const problem = (column: string, message: string): void => {
      issues.push(formatIssue(table.source, { line: rec.line, column, message }));
    };
    const accountId = cell('account_id');
    const metric = cell('metric');
    if (!accountId) problem('account_id', 'is required');
    let kind: MetricKind | undefined;
    if (!metric) problem('metric', 'is required');
    else if (KAM_METRICS[metric]) kind = KAM_METRICS[metric].kind;
    else if (FIELD_METRICS[metric]) kind = FIELD_METRICS[metric].kind;
    else if (headers.has(metric)) kind = 'number';
    else problem('metric', `'${metric}' is not a canonical field, a kam value (${Object.keys(KAM_METRICS).join(', ')}) or a column of the snapshots`);
    const date = (c: 'due' | 'set'): number | undefined => {
      const text = cell(c);
      if (!text) {
        if (c === 'due') problem('due', 'is required');
        return undefined;
      }
      const d = parseDate(text);
      if (d.kind !== 'value') problem(c, `'${text}' is not a date (use YYYY-MM-DD)`);
      return d.kind === 'value' ? d.value : undefined;
    };
    const due = date('due');
    const set = date('set');
    const value = (c: 'target' | 'baseline'): GoalValue | undefined => {
      const text = cell(c);
      if (!text) {
        if (c === 'target') problem('target', 'is required');
        return undefined;
      }
      if (kind === undefined) return undefined;
      try {
        return parseGoalValue(text, kind);
      } catch (e) {
        problem(c, (e as Error).message);
        return undefined;
      }
    };
    const target = value('target');
    const baseline = value('baseline');
    if (!accountId || kind === undefined || target === undefined || due === undefined) continue;
    if (cell('baseline') && baseline === undefined) continue;
    if (cell('set') && set === undefined) continue;
    rows.push({ line: rec.line, accountId, metric, kind, goal: { target, due, set, baseline }, owner: cell('owner'), note: cell('note') });
  }
  if (issues.length) {
    await io.stderr.write(issues.join('\n') + '\n');
    throw new InputError(`${table.source}: ${issues.length} problem(s) in the goals; fix them and run again`);
  }
  return { source: table.source, rows };
}

/** The metric of one account in one snapshot. */
function metricValue(side: DiffSide, account: SideAccount, metric: string): GoalValue | undefined {
  const kam = KAM_METRICS[metric];
  if (kam) return kam.get(account);
  const field = FIELD_METRICS[metric];
  if (field) {
    const v = field.get(side.loaded.parsed.accounts, account.index);
    return Number.isNaN(v) ? undefined : v;
  }
  const { table, parsed } = side.loaded;
  const column = table.header.findIndex((h) => h.trim() === metric);
  if (column < 0) return undefined;
  const text = table.records[parsed.recordIndex[account.index]!]!.cells[column] ?? '';
  const n = parseNumber(text, parsed.decimal);
  return n.kind === 'value' ? n.value : undefined;
}

/** Every goal evaluated at `today` over the snapshots (oldest first). */
export function evaluateGoals(sides: readonly DiffSide[], rows: readonly GoalRow[], today: number): GoalResult[] {
  const indexes = sides.map((s) => new Map(s.snapshot.accounts.map((a) => [a.id, a])));
  return rows.map((row) => {
    const observations: GoalObservation[] = sides.map((side, k) => {
      const a = indexes[k]!.get(row.accountId);
      return { date: side.date!, present: a !== undefined, value: a ? metricValue(side, a, row.metric) : undefined, shortlisted: a?.shortlisted ?? false };
    });
    const seen = [...indexes].reverse().find((m) => m.has(row.accountId))?.get(row.accountId);
    return { row, name: seen?.name ?? '', evaluation: evaluateGoal(row.goal, observations, today) };
  });
}

// ---- rendering ------------------------------------------------------------------------

export const STATUS_TEXT: Readonly<Record<GoalStatus, string>> = {
  done: 'done',
  on_track: 'on track',
  behind: 'behind',
  overdue: 'overdue',
  no_data: 'no data',
  account_gone: 'account gone',
};

/** 1234567.5 -> '1,234,567.5'. */
const grouped = (x: number): string => {
  const r = Math.round(x * 100) / 100 + 0;
  const [whole, frac] = String(Math.abs(r)).split('.');
  return `${r < 0 ? '-' : ''}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
};

/** A metric value in words: money grouped, percents with %, scores with 2 decimals. */
export function formatGoalValue(v: GoalValue | undefined, kind: MetricKind): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  switch (kind) {
    case 'percent':
      return `${(Math.round(v * 1000) / 10 + 0).toFixed(1)}%`;
    case 'score':
      return fixed2(v);
    case 'rank':
      return String(v);
    default:
      return grouped(v);
  }
}

/** A value for CSV and JSON: numbers plain (fractions for percents), tiers as text. */
const plainValue = (v: GoalValue | undefined): string => (v === undefined ? '' : typeof v === 'string' ? v : String(Math.round(v * 10_000) / 10_000 + 0));
const pct = (x: number): string => (Number.isNaN(x) ? '' : `${Math.round(x * 100) + 0}%`);
const flagText = (g: GoalResult): string => (g.evaluation.leftShortlist ? 'left the shortlist' : '');

const HEAD = ['ID', 'Account', 'Metric', 'Baseline', 'Current', 'Target', 'Due', 'Progress', 'Expected', 'Status', 'Flag', 'Owner'];

function goalCells(g: GoalResult): string[] {
  const e = g.evaluation;
  return [
    g.row.accountId,
    g.name,
    g.row.metric,
    formatGoalValue(e.baseline?.value, g.row.kind),
    formatGoalValue(e.current, g.row.kind),
    formatGoalValue(g.row.goal.target, g.row.kind),
    formatDate(g.row.goal.due),
    pct(e.progress),
    pct(e.expected),
    STATUS_TEXT[e.status],
    flagText(g),
    g.row.owner,
  ];
}

/** Counts per status, in GOAL_STATUSES order, for the summary line. */
export function statusSummary(goals: readonly GoalResult[]): string {
  const counts = new Map<GoalStatus, number>();
  for (const g of goals) counts.set(g.evaluation.status, (counts.get(g.evaluation.status) ?? 0) + 1);
  return (Object.keys(STATUS_TEXT) as GoalStatus[])
    .filter((s) => counts.has(s))
    .map((s) => `${STATUS_TEXT[s]} ${counts.get(s)}`)
    .join(' · ');
}

const firstLine = (r: GoalsReport): string =>
  `kam goals: ${r.goals.length} goal(s) from ${r.source} at ${formatDate(r.today)} · ${r.snapshots} snapshot(s), latest ${r.latest} · ${statusSummary(r.goals) || 'no goals'}`;

export function renderGoalsTable(r: GoalsReport, io: Io, width: number | undefined): string {
  const body = r.goals.length
    ? renderTable({ head: HEAD, rows: r.goals.map(goalCells), numeric: new Set([3, 4, 5, 7, 8]), flexible: [{ index: 1, min: 12 }], width, color: io.color })
    : 'none\n';
  return `${firstLine(r)}\n${body}`;
}

export function renderGoalsMarkdown(r: GoalsReport): string {
  const body = r.goals.length ? markdownTable([...HEAD, 'Note'], r.goals.map((g) => [...goalCells(g), g.row.note]), new Set([3, 4, 5, 7, 8])) : 'none\n';
  return `# ${firstLine(r)}\n\n${body}`;
}

export const GOALS_CSV_HEADER = ['account_id', 'account_name', 'metric', 'baseline', 'baseline_date', 'current', 'target', 'due', 'progress', 'expected', 'status', 'flag', 'owner', 'note'] as const;

export function goalsCsvRecords(r: GoalsReport): string[][] {
  const four = (x: number): string => (Number.isNaN(x) ? '' : (Math.round(x * 10_000) / 10_000 + 0).toFixed(4));
  return r.goals.map((g) => {
    const e = g.evaluation;
    return [
      g.row.accountId,
      g.name,
      g.row.metric,
      plainValue(e.baseline?.value),
      e.baseline ? formatDate(e.baseline.date) : '',
      plainValue(e.current),
      plainValue(g.row.goal.target),
      formatDate(g.row.goal.due),
      four(e.progress),
      four(e.expected),
      e.status,
      e.leftShortlist ? 'left_shortlist' : '',
      g.row.owner,
      g.row.note,
    ];
  });
}

export function renderGoalsJson(r: GoalsReport): string {
  const four = (x: number): number | null => (Number.isNaN(x) ? null : Math.round(x * 10_000) / 10_000 + 0);
  const v = (x: GoalValue | undefined): GoalValue | null => (x === undefined ? null : typeof x === 'string' ? x : Math.round(x * 10_000) / 10_000 + 0);
  const doc = {
    goals_file: r.source,
    as_of: formatDate(r.today),
    snapshots: r.snapshots,
    latest: r.latest,
    goals: r.goals.map((g) => ({
      line: g.row.line,
      account_id: g.row.accountId,
      account_name: g.name,
      metric: g.row.metric,
      baseline: v(g.evaluation.baseline?.value),
      baseline_date: g.evaluation.baseline ? formatDate(g.evaluation.baseline.date) : null,
      current: v(g.evaluation.current),
      target: v(g.row.goal.target),
      due: formatDate(g.row.goal.due),
      progress: four(g.evaluation.progress),
      expected: four(g.evaluation.expected),
      status: g.evaluation.status,
      left_shortlist: g.evaluation.leftShortlist,
      owner: g.row.owner,
      note: g.row.note,
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

// ---- the command ---------------------------------------------------------------------

/** The date goals are measured at: --as-of, else today's date from the clock (read here, in the shell). */
export function goalsDay(io: Io, asOf: string | undefined): number {
  if (asOf === undefined) return Math.floor(io.now().getTime() / 86_400_000);
  const d = parseDate(asOf);
  if (d.kind !== 'value') throw new UsageError(`--as-of: '${asOf}' is not a date (use YYYY-MM-DD)`);
  return d.value;
}

/** Read the snapshots and the goals, evaluate every goal at `today`. Shared with `kam report --goals`. */
export async function buildGoals(io: Io, files: readonly string[], goalsFile: string, options: GoalsCliOptions, today: number, sides?: readonly DiffSide[]): Promise<GoalsReport> {
  const read = sides ?? (await readDatedSnapshots(io, files, options, options.shortlist));
  const { source, rows } = await readGoals(io, goalsFile, read);
  return { source, today, snapshots: read.length, latest: read.at(-1)!.source, goals: evaluateGoals(read, rows, today) };
}

/** `kam goals`: each goal's baseline, current value, progress and status. */
export async function runGoals(files: readonly string[], options: GoalsCliOptions, io: Io): Promise<ExitCodeT> {
  if (options.goals === undefined) throw new UsageError('kam goals needs --goals FILE (account_id, metric, target, due, ...)');
  const format: GoalsFormat = options.format ?? (io.stdoutIsTty ? 'table' : 'csv');
  const r = await buildGoals(io, files, options.goals, options, goalsDay(io, options.asOf));
  switch (format) {
    case 'table':
      await io.stdout.write(renderGoalsTable(r, io, terminalWidth(io)));
      break;
    case 'md':
      await io.stdout.write(renderGoalsMarkdown(r));
      break;
    case 'json':
      await io.stdout.write(renderGoalsJson(r));
      break;
    case 'csv':
      await writeCsv(io.stdout, GOALS_CSV_HEADER, goalsCsvRecords(r), { escapeFormulas: options.escapeFormulas !== false });
      break;
  }
  return ExitCode.Ok;
}

/** Wire `kam goals` into the program. */
export function registerGoals(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('goals')
    .description("Each key account's goals against the snapshots: baseline, current value, progress and status")
    .argument('<snapshots...>', 'snapshots kam score wrote (or raw exports), dated like kam history');
  addReadOptions(cmd)
    .option('--goals <file>', 'the goals: account_id, metric, target, due, and optionally owner, note, set, baseline')
    .option('--as-of <date>', 'the date statuses are measured at, YYYY-MM-DD (default: today)')
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, else csv)').choices([...GOALS_FORMATS]))
    .option('--shortlist <n>', 'the shortlist is the n best Key/Develop accounts of each snapshot (default: its kam_shortlist column, else the Key tier)', positiveInt('--shortlist'))
    .option('--weights <spec>', 'criterion weights for raw exports, e.g. volume=2,potential=3,ltv=2,fit=1,strategic=2')
    .option('--no-escape-formulas', 'do not prefix cells that start with = + - @ (spreadsheet formula guard)')
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (files: string[], opts: GoalsCliOptions) => setExitCode(await runGoals(files, opts, io)));
}
