import { Option, type Command } from 'commander';
import type { GoalResult, GoalsReport, GoalStatus, GoalValue } from '../core/goals.ts';
import { ExitCode, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { quietIo, type Io } from '../io/console.ts';
import { markdownTable } from '../io/render-markdown.ts';
import { renderTable, terminalWidth } from '../io/render-table.ts';
import { writeCsv } from '../io/write-csv.ts';
import { formatDate } from '../schema/values.ts';
import { formatGoalValue, STATUS_TEXT } from '../io/followup-text.ts';
import { buildGoals, goalsDay, type FollowUpOptions } from './follow-up.ts';
import { addReadOptions, positiveInt } from './load-options.ts';
import { fixedOrBlank, jsonNumber, round, wholePercent } from '../io/format.ts';

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

const GOALS_FORMATS = ['table', 'csv', 'json', 'md'] as const;
type GoalsFormat = (typeof GOALS_FORMATS)[number];

interface GoalsCliOptions extends FollowUpOptions {
  readonly goals?: string | undefined;
  readonly format?: GoalsFormat | undefined;
  readonly asOf?: string | undefined;
  readonly shortlist?: number | undefined;
  readonly weights?: string | undefined;
  readonly escapeFormulas?: boolean | undefined;
}

// ---- rendering ------------------------------------------------------------------------

/** A value for CSV and JSON: numbers plain (fractions for percents), tiers as text. */
const plainValue = (v: GoalValue | undefined): string => (v === undefined ? '' : typeof v === 'string' ? v : String(round(v, 4)));
const pct = wholePercent;
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
function statusSummary(goals: readonly GoalResult[]): string {
  const counts = new Map<GoalStatus, number>();
  for (const g of goals) counts.set(g.evaluation.status, (counts.get(g.evaluation.status) ?? 0) + 1);
  return (Object.keys(STATUS_TEXT) as GoalStatus[])
    .filter((s) => counts.has(s))
    .map((s) => `${STATUS_TEXT[s]} ${counts.get(s)}`)
    .join(' · ');
}

const firstLine = (r: GoalsReport): string =>
  `kam goals: ${r.goals.length} goal(s) from ${r.source} at ${formatDate(r.today)} · ${r.snapshots} snapshot(s), latest ${r.latest} · ${statusSummary(r.goals) || 'no goals'}`;

function renderGoalsTable(r: GoalsReport, io: Io, width: number | undefined): string {
  const body = r.goals.length
    ? renderTable({ head: HEAD, rows: r.goals.map(goalCells), numeric: new Set([3, 4, 5, 7, 8]), flexible: [{ index: 1, min: 12 }], width, color: io.color })
    : 'none\n';
  return `${firstLine(r)}\n${body}`;
}

function renderGoalsMarkdown(r: GoalsReport): string {
  const body = r.goals.length
    ? markdownTable(
        [...HEAD, 'Note'],
        r.goals.map((g) => [...goalCells(g), g.row.note]),
        new Set([3, 4, 5, 7, 8]),
      )
    : 'none\n';
  return `# ${firstLine(r)}\n\n${body}`;
}

const GOALS_CSV_HEADER = [
  'account_id',
  'account_name',
  'metric',
  'baseline',
  'baseline_date',
  'current',
  'target',
  'due',
  'progress',
  'expected',
  'status',
  'flag',
  'owner',
  'note',
] as const;

function goalsCsvRecords(r: GoalsReport): string[][] {
  const four = (x: number): string => fixedOrBlank(x, 4);
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

function renderGoalsJson(r: GoalsReport): string {
  const four = (x: number): number | null => jsonNumber(x, 4);
  const v = (x: GoalValue | undefined): GoalValue | null => (x === undefined ? null : typeof x === 'string' ? x : round(x, 4));
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

/** `kam goals`: each goal's baseline, current value, progress and status. */
async function runGoals(files: readonly string[], options: GoalsCliOptions, runIo: Io): Promise<ExitCodeT> {
  // --quiet (issue 10 item 3): notes and warnings dropped, errors kept.
  const io = quietIo(runIo, (options as { readonly quiet?: boolean }).quiet);
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
    .option(
      '--shortlist <n>',
      'the shortlist is the n best Key/Develop accounts of each snapshot (default: its kam_shortlist column, else the Key tier)',
      positiveInt('--shortlist'),
    )
    .option('--weights <spec>', 'criterion weights for raw exports, e.g. volume=2,potential=3,ltv=2,fit=1,strategic=2')
    .option('--no-escape-formulas', 'do not prefix cells that start with = + - @ (spreadsheet formula guard)')
    .option('-q, --quiet', 'errors only on stderr: no notes, warnings or progress (for cron)')
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (files: string[], opts: GoalsCliOptions) => {
      setExitCode(await runGoals(files, opts, io));
    });
}
