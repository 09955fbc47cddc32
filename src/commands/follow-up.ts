import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { outcomeOf, runBacktest, type BacktestAccount, type BacktestReport, type OutcomeSpec } from '../core/backtest.ts';
import {
  evaluateGoal,
  type GoalObservation,
  type GoalResult,
  type GoalRow,
  type GoalsReport,
  type GoalStatus,
  type GoalValue,
  type MetricKind,
} from '../core/goals.ts';
import { buildHistory, DEFAULT_HISTORY_OPTIONS, MIN_MOMENTUM_POINTS, type HistoryResult } from '../core/history.ts';
import { DealStatus } from '../core/rollup.ts';
import { CRITERIA, TIERS, type AccountColumns } from '../core/types.ts';
import { InputError, UsageError } from '../errors.ts';
import { noteSink, type Io } from '../io/console.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { readTable } from '../io/read-table.ts';
import { parseDate, parseNumber, parsePercent } from '../schema/values.ts';
import { assertSomeValid, formatIssue, loadAccounts, reportReading } from './load.ts';
import { loadDeals, reportDeals } from './load-deals.ts';
import { type ReadCliOptions } from './load-options.ts';
import { readDatedSnapshots, readSnapshot, snapshotDate, type DiffSide, type SideAccount } from './snapshot.ts';

/**
 * The read-and-compute side of the follow-up commands (goals, history, backtest), shared by
 * them and by `kam report`, so that no command imports another: each turns files into the
 * data its renderers show. Pure arithmetic lives in core/goals.ts, core/history.ts and
 * core/backtest.ts.
 */

/** Options every follow-up reader takes. */
export interface FollowUpOptions extends ReadCliOptions {
  readonly shortlist?: number | undefined;
  readonly weights?: string | undefined;
}

/** What the backtest reader takes on top. */
export interface BacktestReadOptions extends FollowUpOptions {
  readonly outcome?: OutcomeSpec | undefined;
}

/** What the history reader takes on top. */
export interface HistoryReadOptions extends FollowUpOptions {
  readonly window?: number | undefined;
}

// ---- goals -------------------------------------------------------------------------------

const KAM_METRICS: Readonly<Record<string, { kind: MetricKind; get: (a: SideAccount) => GoalValue | undefined }>> = {
  kam_score: { kind: 'score', get: (a) => (Number.isNaN(a.score) ? undefined : a.score) },
  kam_rank: { kind: 'rank', get: (a) => a.rank },
  kam_tier: { kind: 'tier', get: (a) => a.tier },
  ...Object.fromEntries(
    CRITERIA.map((c, i) => [`kam_${c}`, { kind: 'score', get: (a: SideAccount) => (Number.isNaN(a.criteria[i] ?? Number.NaN) ? undefined : a.criteria[i]) }]),
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
const goalKey = (h: string): string =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

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
async function readGoals(io: Io, file: string, sides: readonly DiffSide[]): Promise<{ source: string; rows: GoalRow[] }> {
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
    await noteSink(io).write(
      escapeTerminal(`kam: ${table.source}: column(s) ${unused.map((u) => `'${u}'`).join(', ')} not used (goals read ${GOAL_COLUMNS.join(', ')})`) + '\n',
    );
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
    await io.stderr.write(issues.map((l) => escapeTerminal(l)).join('\n') + '\n');
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
  const text = table.rowsOf(parsed.recordIndex).cellOf(account.index, column);
  const n = parseNumber(text, parsed.decimal);
  return n.kind === 'value' ? n.value : undefined;
}

/** Every goal evaluated at `today` over the snapshots (oldest first). */
function evaluateGoals(sides: readonly DiffSide[], rows: readonly GoalRow[], today: number): GoalResult[] {
  const indexes = sides.map((s) => new Map(s.snapshot.accounts.map((a) => [a.id, a])));
  return rows.map((row) => {
    const observations: GoalObservation[] = sides.map((side, k) => {
      const a = indexes[k]!.get(row.accountId);
      return { date: side.date!, present: a !== undefined, value: a ? metricValue(side, a, row.metric) : undefined, shortlisted: a?.shortlisted ?? false };
    });
    const seen = [...indexes]
      .reverse()
      .find((m) => m.has(row.accountId))
      ?.get(row.accountId);
    return { row, name: seen?.name ?? '', evaluation: evaluateGoal(row.goal, observations, today) };
  });
}

/** The date goals are measured at: --as-of, else today's date from the clock (read here, in the shell). */
export function goalsDay(io: Io, asOf: string | undefined): number {
  if (asOf === undefined) return Math.floor(io.now().getTime() / 86_400_000);
  const d = parseDate(asOf);
  if (d.kind !== 'value') throw new UsageError(`--as-of: '${asOf}' is not a date (use YYYY-MM-DD)`);
  return d.value;
}

/** Read the snapshots and the goals, evaluate every goal at `today`. Shared with `kam report --goals`. */
export async function buildGoals(
  io: Io,
  files: readonly string[],
  goalsFile: string,
  options: FollowUpOptions,
  today: number,
  sides?: readonly DiffSide[],
): Promise<GoalsReport> {
  const read = sides ?? (await readDatedSnapshots(io, files, options, options.shortlist));
  const { source, rows } = await readGoals(io, goalsFile, read);
  return { source, today, snapshots: read.length, latest: read.at(-1)!.source, goals: evaluateGoals(read, rows, today) };
}

// ---- history -----------------------------------------------------------------------------

/** The snapshots as read, oldest first, and their history. */
export interface HistoryReport {
  readonly sides: readonly DiffSide[];
  readonly history: HistoryResult;
  readonly window: number;
}

/** Read the snapshots in date order (commands/snapshot.ts readDatedSnapshots) and build the history. */
export async function readHistory(io: Io, files: readonly string[], options: HistoryReadOptions, read?: readonly DiffSide[]): Promise<HistoryReport> {
  const sides = read ?? (await readDatedSnapshots(io, files, options, options.shortlist));
  const window = options.window ?? DEFAULT_HISTORY_OPTIONS.window;
  if (window < MIN_MOMENTUM_POINTS) throw new UsageError(`--window takes a whole number >= ${MIN_MOMENTUM_POINTS} (a slope over fewer points says nothing)`);
  const history = buildHistory(
    sides.map((s) => ({ date: s.date!, model: s.modelId, accounts: s.snapshot.accounts })),
    { ...DEFAULT_HISTORY_OPTIONS, window },
  );
  return { sides, history, window };
}

// ---- backtest ----------------------------------------------------------------------------

/** Parse `--outcome growth:10% | won | churn`. */
export function parseOutcome(spec: string): OutcomeSpec {
  const s = spec.trim().toLowerCase();
  if (s === 'won' || s === 'churn') return { kind: s };
  const m = /^growth:([+-]?\d+(?:\.\d+)?)%$/.exec(s);
  if (m) return { kind: 'growth', min: Number(m[1]) / 100 };
  throw new InvalidArgumentError('--outcome takes growth:N% (e.g. growth:10%), won or churn.');
}

/** Read both files and compute the backtest; diagnostics on stderr. Shared with `kam report --backtest`. */
export async function buildBacktest(
  io: Io,
  oldFile: string,
  laterFile: string,
  options: BacktestReadOptions,
  asOf: number | undefined,
): Promise<BacktestReport> {
  if (oldFile === '-' && laterFile === '-') throw new UsageError('only one file of kam backtest can be read from stdin (-)');
  const outcome = options.outcome ?? { kind: 'growth', min: 0.1 };
  if (outcome.kind === 'won' && options.deals === undefined) throw new UsageError('--outcome won needs --deals FILE (the deals won in between)');
  if (outcome.kind !== 'won' && options.deals !== undefined) throw new UsageError('--deals is read for --outcome won only');
  const old: DiffSide = await readSnapshot(io, oldFile, options, () => options.shortlist, true);
  if (!old.enriched) {
    throw new UsageError(
      `${old.source} is not a file kam score wrote (no kam_rank, kam_score, kam_tier): a backtest ranks by what kam said then; score the old export with the model of that time, or use a snapshot kept by cron`,
    );
  }
  const later = await loadAccounts(io, laterFile, { ...options, deals: undefined });
  assertSomeValid(later);
  await reportReading(io, later, { maxIssues: 0, nameFile: true });
  const laterDate = asOf ?? snapshotDate(later, laterFile).date;

  const a = later.parsed.accounts;
  const laterIndex = new Map<string, number>();
  for (let i = 0; i < a.n; i++) laterIndex.set(a.id.at(i)!, i);
  const won = new Map<string, number>();
  if (outcome.kind === 'won') {
    if (old.date === undefined)
      throw new UsageError(`--outcome won needs the date of ${old.source}: kam_as_of (kam score --as-of) or a YYYY-MM-DD in its name`);
    if (laterDate === undefined) throw new UsageError(`--outcome won needs the date of ${later.table.source}: --as-of, kam_as_of or a YYYY-MM-DD in its name`);
    const deals = await loadDeals(io, options.deals!, options, old.loaded, laterDate);
    await reportDeals(io, deals, old.source, { maxListed: 20 });
    const d = deals.parsed.deals;
    for (let k = 0; k < d.n; k++) {
      const i = deals.join.accountIndex[k]!;
      const date = d.closeDate[k]!;
      if (i < 0 || d.status[k] !== DealStatus.Won || !(date > old.date && date <= laterDate)) continue;
      const id = old.loaded.parsed.accounts.id.at(i)!;
      won.set(id, (won.get(id) ?? 0) + 1);
    }
  }
  const accounts: BacktestAccount[] = [];
  let unknown = 0;
  for (const acc of old.snapshot.accounts) {
    const at = laterIndex.get(acc.id);
    const positive = outcomeOf(outcome, acc.revenue, {
      present: at !== undefined,
      revenue: at === undefined ? Number.NaN : a.revenue[at]!,
      wonDeals: won.get(acc.id) ?? 0,
    });
    if (positive === undefined) {
      unknown++;
      continue;
    }
    accounts.push({ id: acc.id, name: acc.name, rank: acc.rank, score: acc.score, tier: acc.tier, shortlisted: acc.shortlisted, positive });
  }
  if (unknown > 0) {
    const why = outcome.kind === 'growth' ? 'a blank revenue in either file' : `a blank revenue in ${later.table.source}`;
    await noteSink(io).write(escapeTerminal(`kam: ${unknown} account(s) of ${old.source} left out of the backtest: ${why} tells no outcome`) + '\n');
  }
  const result = runBacktest(accounts);
  return {
    old: { source: old.source, date: old.date, model: old.modelId, rule: old.rule },
    later: { source: later.table.source, date: laterDate },
    outcome,
    unknown,
    result,
  };
}

// ---- goals in kam diff --------------------------------------------------------------------

/** A goal whose status differs between the two sides of a diff. */
export interface GoalChange {
  readonly goal: GoalResult;
  readonly before: GoalStatus;
  readonly after: GoalStatus;
}

/**
 * `kam diff --goals`: each goal's status at the before side's date (measured over that side
 * alone) and at the after side's date (over both); the goals whose status changed. Both sides
 * need a date (kam_as_of or a date in the file name).
 */
export async function goalChanges(io: Io, before: DiffSide, after: DiffSide, goalsFile: string): Promise<GoalChange[]> {
  for (const side of [before, after]) {
    if (side.date === undefined)
      throw new UsageError(`diff --goals needs the date of ${side.source}: write it with kam score --as-of, or put a YYYY-MM-DD in its name`);
  }
  const { rows } = await readGoals(io, goalsFile, [before, after]);
  const then = evaluateGoals([before], rows, before.date!);
  const now = evaluateGoals([before, after], rows, after.date!);
  return now.flatMap((g, k) =>
    g.evaluation.status === then[k]!.evaluation.status ? [] : [{ goal: g, before: then[k]!.evaluation.status, after: g.evaluation.status }],
  );
}
