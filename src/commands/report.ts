import { InvalidArgumentError, Option, type Command } from 'commander';
import { diffSnapshots, type Snapshot } from '../core/diff.ts';
import { shortlistOf } from '../core/shortlist.ts';
import { CRITERIA, TIERS, type ModelConfig, type ScoreResult, type Tier } from '../core/types.ts';
import { ExitCode, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { basename } from 'node:path';
import { quietIo, noteSink, type Io } from '../io/console.ts';
import { enrichedHeader, enrichedRows, formatRowErrors } from '../io/enriched.ts';
import { enrichedWorkbookBytes } from '../io/xlsx/enriched.ts';
import { assertOutputSafe, writeOutput, yieldToSignals } from '../io/output-file.ts';
import { count, isBigInput, Progress } from '../io/progress.ts';
import { renderReportHtml } from '../io/render-html.ts';
import { LABELS, type ReportAccount, type ReportChanges, type ReportData } from '../io/report-data.ts';
import { isoDate } from '../io/format.ts';
import { renderReportMarkdown } from '../io/render-report-md.ts';
import { constantSignalsWarning, tierSummary } from '../io/signal-text.ts';
import type { ReportFollowUp } from '../io/render-followup.ts';
import type { OutcomeSpec } from '../core/backtest.ts';
import { assertSomeValid, mergeNotes, reportMapping, reportReading, type FileNote, type LoadedAccounts } from './load.ts';
import { reportConfig, runInputs } from './load-config.ts';
import { loadAccountsAndDeals, reportDeals } from './load-deals.ts';
import { scoreLoaded } from './load-gates.ts';
import { modelId, resolveModel } from './load-model.ts';
import { addReadOptions, positiveInt, resolveAsOf, type ReadCliOptions } from './load-options.ts';
import { addQuietOption, outputFormat, reportWritten, workbookTextColumns, type OutputCliOptions } from './output.ts';
import { readSnapshot, readDatedSnapshots, scoredSnapshotRows } from './snapshot.ts';
import { backtestForReport, goalsForReport, historyForReport } from '../io/followup-text.ts';
import { buildBacktest, buildGoals, parseOutcome, readHistory } from './follow-up.ts';
import { withRobustPicks } from './robust-picks.ts';
import { signalsOfMask } from '../core/signals.ts';

const HELP_EXAMPLES = `
Examples:
  $ kam report accounts.csv -o report.html                 one self-contained HTML file (no network)
  $ kam report accounts.csv --previous last-week.csv -o report.html
  $ kam report accounts.csv --shortlist 15 --format md     the same report as Markdown, for chat
  $ kam report accounts.csv --title "EMEA key accounts" --as-of 2026-11-27 -o emea.html
  $ kam report export.csv --history snapshots/*.csv --goals goals.csv --backtest snapshots/2026-08-28.csv -o report.html
`;

const REPORT_FORMATS = ['html', 'md', 'xlsx'] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];

/** How many rank movers the changes section lists. */
const MOVERS = 5;
/** How many rejected rows the summary lists (kam validate lists all). */
const REJECTED_SAMPLE = 10;

interface ReportCliOptions extends ReadCliOptions, OutputCliOptions {
  readonly previous?: string | undefined;
  readonly output?: string | undefined;
  readonly format?: ReportFormat | undefined;
  readonly shortlist?: number | undefined;
  readonly weights?: string | undefined;
  readonly asOf?: string | undefined;
  readonly title?: string | undefined;
  readonly labels?: number | undefined;
  readonly history?: readonly string[] | undefined;
  readonly goals?: string | undefined;
  readonly backtest?: string | undefined;
  readonly outcome?: OutcomeSpec | undefined;
  readonly robust?: boolean | undefined;
}

/** Parse a whole number >= 0 option. */
function wholeNumber(name: string): (v: string) => number {
  return (v: string) => {
    if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError(`${name} takes a whole number >= 0.`);
    return Number(v);
  };
}

const num = (x: number): number | undefined => (Number.isNaN(x) ? undefined : x);

/** The scored accounts of a file in rank order, as the report shows them. */
function reportAccounts(loaded: LoadedAccounts, result: ScoreResult, shortlist: ReadonlySet<number>): ReportAccount[] {
  const a = loaded.parsed.accounts;
  const out: ReportAccount[] = [];
  const columns = CRITERIA.map((c) => result.criteria[c]);
  for (let k = 0; k < result.n; k++) {
    const i = result.order[k]!;
    out.push({
      id: a.id.at(i)!,
      name: a.name.at(i)!,
      rank: result.rank[i]!,
      score: num(result.score[i]!),
      tier: TIERS[result.tier[i]!]!,
      criteria: columns.map((column) => num(column[i]!)),
      current: num(result.current[i]!),
      attractiveness: num(result.attractiveness[i]!),
      signals: signalsOfMask(result.signalMasks[i]!),
      shortlisted: shortlist.has(i),
    });
  }
  return out;
}

/** A file's scored accounts as a snapshot for `diffSnapshots`, with the report's shortlist. */
function toSnapshot(loaded: LoadedAccounts, result: ScoreResult, shortlist: ReadonlySet<number>): Snapshot {
  const { rows, invalid } = scoredSnapshotRows(loaded, result);
  return { accounts: rows.map(({ columnShortlist: _, index: _i, signals: _s, ...r }, i) => ({ ...r, shortlisted: shortlist.has(i) })), invalid };
}

function tierCounts(result: ScoreResult): Record<Tier, number> {
  const counts = Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>;
  for (let i = 0; i < result.n; i++) counts[TIERS[result.tier[i]!]!]++;
  return counts;
}

/** Assemble what the report shows from one scored file (changes are added by the caller). */
function buildReportData(
  loaded: LoadedAccounts,
  model: ModelConfig,
  result: ScoreResult,
  shortlist: ReadonlySet<number>,
  meta: { title: string; asOf: string; shortlistN: number | undefined },
): ReportData {
  const { table, parsed } = loaded;
  return {
    title: meta.title,
    // The file's name, not the path it was read from (a report is forwarded).
    source: table.source === '<stdin>' ? table.source : basename(table.source),
    asOf: meta.asOf,
    preset: loaded.mapping.preset,
    rows: table.recordCount,
    rejectedCount: parsed.rejected.length,
    rejectedSample: parsed.rejected.slice(0, REJECTED_SAMPLE).map((r) => ({ line: r.line, message: formatRowErrors(r) })),
    tierCounts: tierCounts(result),
    weights: model.weights,
    tierCut: model.tierCut,
    shortlistRule: meta.shortlistN === undefined ? 'the Key tier' : `the ${meta.shortlistN} best-ranked Key or Develop accounts`,
    accounts: reportAccounts(loaded, result, shortlist),
  };
}

/** One file loaded and scored with the shared model, and its shortlist. */
interface ScoredFile {
  readonly loaded: LoadedAccounts;
  readonly model: ModelConfig;
  readonly result: ScoreResult;
  readonly shortlistN: number | undefined;
  readonly shortlist: ReadonlySet<number>;
}

/** Load and score one file with the shared model; print its reading diagnostics. */
async function scoreFile(
  io: Io,
  file: string,
  options: ReportCliOptions,
  asOfDays: number,
  progress: Progress,
  notes: FileNote[] | undefined,
): Promise<ScoredFile> {
  progress.update(`reading ${file}`);
  const { loaded, deals } = await loadAccountsAndDeals(io, file, options, asOfDays);
  progress.done();
  await reportReading(io, loaded, { maxIssues: 20, nameFile: options.previous !== undefined, rejectedNote: ' (counted in the report)', collect: notes });
  if (deals) await reportDeals(io, deals, loaded.table.source, { maxListed: 20 });
  await reportMapping(io, loaded, { nameFile: options.previous !== undefined });
  const { parsed } = loaded;
  assertSomeValid(loaded);
  const m = resolveModel(loaded.config, options.weights);
  progress.update(`read ${count(loaded.table.recordCount)} rows; scoring ${count(parsed.accounts.n)} accounts`);
  await yieldToSignals();
  const { result } = scoreLoaded(loaded, m);
  const constant = constantSignalsWarning(result.constant, file);
  if (constant) {
    progress.done();
    await noteSink(io).write(constant);
  }
  const shortlistN = options.shortlist ?? loaded.config.shortlist;
  return { loaded, model: m, result, shortlistN, shortlist: shortlistOf(result, shortlistN) };
}

/**
 * The follow-up sections: goals (over the --history snapshots, at the report's date), a score
 * chart per shortlisted account (--history), and the backtest of an old snapshot against this
 * file (--backtest). Undefined when none is asked for.
 */
async function buildFollowUp(
  io: Io,
  file: string,
  options: ReportCliOptions,
  asOfDays: number,
  shortlistIds: readonly string[],
): Promise<ReportFollowUp | undefined> {
  if (options.goals !== undefined && options.history === undefined)
    throw new UsageError('report --goals needs --history SNAPSHOTS... (the goals are measured across them)');
  if (options.history === undefined && options.backtest === undefined) return undefined;
  const read = { ...options, deals: undefined, shortlist: options.shortlist };
  let goals;
  let history;
  if (options.history !== undefined) {
    const sides = await readDatedSnapshots(io, options.history, read, options.shortlist);
    const h = await readHistory(io, options.history, read, sides);
    history = historyForReport(h.history, shortlistIds);
    if (options.goals !== undefined) goals = goalsForReport(await buildGoals(io, options.history, options.goals, read, asOfDays, sides));
  }
  const backtest =
    options.backtest === undefined
      ? undefined
      : backtestForReport(await buildBacktest(io, options.backtest, file, { ...read, outcome: options.outcome }, asOfDays), 'this export');
  return { goals, history, backtest };
}

/** `kam report`: score a file (and the previous one), then write one HTML or Markdown report. */
async function runReport(file: string, options: ReportCliOptions, runIo: Io): Promise<ExitCodeT> {
  const io = quietIo(runIo, options.quiet);
  const progress = new Progress(io, isBigInput(io, file));
  try {
    return await report(file, options, io, progress);
  } finally {
    progress.done();
  }
}

/** The read side (usage, the file, the previous one), the report's data, then the write side. */
async function report(file: string, options: ReportCliOptions, io: Io, progress: Progress): Promise<ExitCodeT> {
  const asOfDays = resolveAsOf(io, options.asOf);
  const asOf = isoDate(asOfDays);
  const format = checkUsage(io, file, options);
  // With --previous, the notes of both files are said together, each once (mergeNotes).
  const nowNotes: FileNote[] | undefined = options.previous === undefined ? undefined : [];
  const now = await scoreFile(io, file, options, asOfDays, progress, nowNotes);
  await reportConfig(io, now.loaded.configPath);
  const changes = options.previous === undefined ? undefined : await compareWithPrevious(io, options.previous, options, now, nowNotes ?? [], progress);
  const data = await reportData(io, file, options, { asOfDays, asOf }, now, changes);
  progress.update(`scored ${count(now.result.n)} accounts; writing the ${format === 'md' ? 'Markdown' : format === 'xlsx' ? 'workbook' : 'HTML'} report`);
  await yieldToSignals();
  const text = renderReport(format, data, now, options.asOf === undefined ? undefined : asOf);
  await yieldToSignals();
  await writeReport(io, file, options, text, now, progress);
  return ExitCode.Ok;
}

/** The files the run reads, which -o must never be. */
function reportInputs(io: Io, file: string, options: ReportCliOptions): ReturnType<typeof runInputs> {
  return runInputs(
    io,
    [
      { path: file, role: 'the accounts file' },
      { path: options.previous, role: '--previous' },
    ],
    options,
  );
}

/** What is refused before any file is read; the report's format. */
function checkUsage(io: Io, file: string, options: ReportCliOptions): ReportFormat {
  // An -o that is one of the run's inputs is refused first, whatever its name says.
  if (options.output !== undefined && options.output !== '-')
    assertOutputSafe({ path: options.output, role: '-o' }, reportInputs(io, file, options), [], io.cwd);
  const format = outputFormat('report', options.output, options.format, REPORT_FORMATS, 'html');
  if (file === '-' && options.previous === '-') throw new UsageError('report: only one of <file> and --previous can be - (stdin)');
  if (options.output === undefined && io.stdoutIsTty) {
    throw new UsageError(`report: stdout is a terminal: write the report to a file with -o report.${format} (or pipe it)`);
  }
  return format;
}

/**
 * The changes since --previous. A raw previous export is scored with this week's model, so
 * only the data moved the accounts; a CSV kam enriched earlier is taken as it was (the same
 * rule as kam diff). Its shortlist follows this report's rule (the n best, or the Key tier),
 * never its kam_shortlist column: a snapshot written with --shortlist 25 compared with this
 * week's Key tier would list accounts as entering or leaving that only changed rule.
 */
async function compareWithPrevious(
  io: Io,
  previous: string,
  options: ReportCliOptions,
  now: ScoredFile,
  nowNotes: readonly FileNote[],
  progress: Progress,
): Promise<ReportChanges> {
  progress.update(`scored ${count(now.result.n)} accounts; reading ${previous}`);
  await yieldToSignals();
  const prev = await readSnapshot(io, previous, options, () => now.shortlistN, false, true, { collect: true });
  const notes = mergeNotes([{ source: now.loaded.table.source, notes: nowNotes }, prev]);
  if (notes.length) await noteSink(io).write(notes.join('\n') + '\n');
  progress.update(`comparing ${count(prev.snapshot.accounts.length)} with ${count(now.result.n)} accounts`);
  await yieldToSignals();
  const diff = diffSnapshots(prev.snapshot, toSnapshot(now.loaded, now.result, now.shortlist), {
    movers: MOVERS,
    weights: now.model.weights,
  });
  return { previousSource: prev.source === '<stdin>' ? prev.source : basename(prev.source), diff };
}

/** Everything the report shows: this file's accounts, the changes, the follow-up sections, --robust's picks. */
async function reportData(
  io: Io,
  file: string,
  options: ReportCliOptions,
  when: { asOfDays: number; asOf: string },
  now: ScoredFile,
  changes: ReportChanges | undefined,
): Promise<ReportData> {
  const shortlistIds = reportAccounts(now.loaded, now.result, now.shortlist)
    .filter((a) => a.shortlisted)
    .map((a) => a.id);
  const followUp = await buildFollowUp(io, file, options, when.asOfDays, shortlistIds);
  const built: ReportData = {
    ...buildReportData(now.loaded, now.model, now.result, now.shortlist, {
      title: options.title ?? 'Key account report',
      asOf: when.asOf,
      shortlistN: now.shortlistN,
    }),
    changes,
    labels: options.labels,
    followUp,
  };
  // --robust: each account's shortlist acceptability; the robust picks are marked on the matrix.
  return options.robust === true ? withRobustPicks(built, now.loaded, now.model, now.result, now.shortlistN) : built;
}

/** The report in its format; `asOf` is the --as-of given (the workbook stamps it), else undefined. */
function renderReport(format: ReportFormat, data: ReportData, now: ScoredFile, asOf: string | undefined): string | Buffer {
  if (format === 'md') return renderReportMarkdown(data);
  if (format === 'html') return renderReportHtml(data);
  // The workbook: the scored accounts (as kam score writes them, the shortlist marked), the summary and the matrix chart.
  const { loaded, result, model } = now;
  const stamp = { asOf, model: modelId(loaded.config, model) };
  return enrichedWorkbookBytes(
    {
      header: enrichedHeader(loaded.table, true, stamp),
      rows: enrichedRows(loaded.table, loaded.parsed.recordIndex, result, loaded.parsed.rejected, { shortlist: now.shortlist }),
      withShortlist: true,
      stamp,
      textColumns: workbookTextColumns(loaded),
      summary: { source: loaded.table.source, result, rejected: loaded.parsed.rejected.length, model },
      matrix: true,
    },
    loaded.mapping.fieldIndex.account_name,
  );
}

/** To -o (atomically, never over an input) with a line on stderr, or to stdout. */
async function writeReport(io: Io, file: string, options: ReportCliOptions, text: string | Buffer, now: ScoredFile, progress: Progress): Promise<void> {
  if (options.output === undefined) {
    progress.done();
    await io.stdout.write(text);
    return;
  }
  const inputs = reportInputs(io, file, options);
  progress.done();
  await writeOutput({ path: options.output, role: '-o' }, (sink) => sink.write(text), { cwd: io.cwd, stdout: io.stdout, inputs });
  if (options.output !== '-') await reportWritten(io, options.output, tierSummary(now.result, now.loaded.parsed.rejected.length));
}

/** Wire `kam report` into the program. */
export function registerReport(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('report')
    .description('Write a one-file report: summary, portfolio matrix, shortlist with signals, and the changes since --previous')
    .argument('<file>', 'accounts CSV exported from the CRM, or - for stdin');
  addReadOptions(cmd)
    .option('--previous <file>', "last week's export: add the changes (shortlist, tiers, new and removed accounts, movers)")
    .option('-o, --output <file>', 'write to a file (atomically; never over the input); default stdout')
    .addOption(
      new Option(
        '-f, --format <format>',
        'html (self-contained, opens from disk), md (for chat) or xlsx (accounts, summary, matrix chart); default: from the -o name, else html',
      ).choices([...REPORT_FORMATS]),
    )
    .option('--shortlist <n>', 'the n best Key/Develop accounts are the shortlist (default: the Key tier)', positiveInt('--shortlist'))
    .option('--weights <spec>', 'criterion weights, e.g. volume=2,potential=3,ltv=2,fit=1,strategic=2')
    .option('--as-of <date>', 'the date of the report, YYYY-MM-DD; the deal roll-up ends here (default: today)')
    .option('--deals <file>', "opportunities export: derive revenue, pipeline and growth_rate of this week's accounts from its deals")
    .option('--title <text>', 'the report title (default: "Key account report")')
    .option(
      '--labels <n>',
      `name at most n accounts on the matrix (default ${LABELS}): the shortlist, else the best Key and Develop accounts`,
      wholeNumber('--labels'),
    )
    .option('--history <snapshots...>', 'weekly snapshots: a score chart per shortlisted account (and what --goals measures)')
    .option('--goals <file>', 'goals.csv: a goals section with each status at --as-of (needs --history)')
    .option('--backtest <snapshot>', 'an old snapshot: how its tiers fared by this export (--outcome, default growth:10%)')
    .option('--robust', 'mark the robust picks on the matrix: on the shortlist in at least 90% of 10,000 weightings around the weights (see kam robust)')
    .option('--outcome <outcome>', 'the backtest outcome: growth:N%, churn (won needs kam backtest --deals)', parseOutcome);
  addQuietOption(cmd)
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (file: string, opts: ReportCliOptions) => {
      setExitCode(await runReport(file, opts, io));
    });
}
