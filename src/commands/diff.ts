import { Option, type Command } from 'commander';
import { diffSnapshots, sameRule } from '../core/diff.ts';
import { ExitCode, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { Chalk } from 'chalk';
import { noteSink, quietIo, type Io, type Sink } from '../io/console.ts';
import {
  DIFF_CSV_HEADER,
  diffCsvRecords,
  goalCsvRecords,
  goalsMarkdown,
  goalsTable,
  renderDiffJson,
  renderDiffMarkdown,
  renderDiffTable,
  summaryLine,
  withGoalsJson,
} from '../io/render-diff.ts';
import { terminalWidth } from '../io/render-table.ts';
import { writeOutput } from '../io/output-file.ts';
import { writeCsv } from '../io/write-csv.ts';
import { mergeNotes, type LoadedAccounts } from './load.ts';
import { reportConfig, runInputs } from './load-config.ts';
import { addReadOptions, positiveInt, resolveAsOf, type ReadCliOptions } from './load-options.ts';
import { addQuietOption, csvOptions, outputFormat, reportWritten, type OutputCliOptions } from './output.ts';
import { readSnapshot } from './snapshot.ts';
import { goalChanges } from './follow-up.ts';
import { applyHysteresis, expiringOverrides } from './hold.ts';
import { extraCsvRecords, extraMarkdown, extraTables, withExtrasJson, type DiffExtraSection } from '../io/render-hold.ts';
import { noteLine } from '../io/run-notes.ts';

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
const DIFF_FORMATS = ['table', 'csv', 'json', 'md'] as const;
type DiffFormat = (typeof DIFF_FORMATS)[number];

/** `kam diff`'s options as commander hands them over. */
interface DiffCliOptions extends ReadCliOptions, OutputCliOptions {
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
  readonly hysteresis?: boolean | undefined;
  readonly overrides?: string | undefined;
}

/** `kam diff`: read both sides, compare, write; with --exit-code, exit 1 when the shortlist changed. */
async function runDiff(beforeFile: string, afterFile: string, options: DiffCliOptions, runIo: Io): Promise<ExitCodeT> {
  const io = quietIo(runIo, options.quiet);
  if (beforeFile === '-' && afterFile === '-') throw new UsageError('only one side of kam diff can be read from stdin (-)');
  const format = outputFormat('diff', options.output, options.format, DIFF_FORMATS, options.output === undefined && io.stdoutIsTty ? 'table' : 'csv');
  const asOf = resolveAsOf(io, options.asOf);
  const shortlistN = (loaded: LoadedAccounts): number | undefined => options.shortlist ?? loaded.config.shortlist;
  // --deals fills the later export's accounts (this week's deals), as kam report --deals does.
  const before = await readSnapshot(io, beforeFile, options, shortlistN, true, true, { collect: true });
  let after = await readSnapshot(io, afterFile, options, shortlistN, true, true, { asOf, collect: true });
  await reportConfig(io, after.loaded.configPath);
  const notes = mergeNotes([before, after]);
  if (!sameRule(before.rule, after.rule)) {
    notes.unshift(noteLine({ code: 'shortlist_rule_differs', before: before.rule, after: after.rule }));
  }
  if (before.modelId !== after.modelId) {
    notes.push(noteLine({ code: 'model_changed', before: before.modelId, after: after.modelId }));
  }
  if (notes.length) await noteSink(io).write(notes.join('\n') + '\n');
  // --hysteresis holds tiers of the later side; --overrides lists those about to expire (issue 14).
  const hold = await applyHysteresis(io, before, after, options.hysteresis);
  after = hold.after;
  const expiring = await expiringOverrides(io, options.overrides, after, asOf, options.asOf !== undefined);
  const extras = [hold.section, expiring].filter((x): x is DiffExtraSection => x !== undefined);
  // Both sides read the same config (same --config), so one model's weights attribute score changes.
  const diff = diffSnapshots(before.snapshot, after.snapshot, { movers: options.topMovers ?? 5, weights: after.model.weights });

  const goals = options.goals === undefined ? undefined : await goalChanges(io, before, after, options.goals);
  const write = async (sink: Sink, toTerminal: boolean): Promise<void> => {
    // A table written to a file (-o x.txt) has no colour codes and no terminal width.
    const tio: Io = toTerminal ? io : { ...io, color: new Chalk({ level: 0 }) };
    const width = toTerminal ? terminalWidth(io) : undefined;
    switch (format) {
      case 'table':
        await sink.write(
          renderDiffTable(before, after, diff, tio.color, width) + extraTables(extras, tio.color, width) + (goals ? goalsTable(goals, tio.color, width) : ''),
        );
        break;
      case 'md':
        await sink.write(renderDiffMarkdown(before, after, diff) + extraMarkdown(extras) + (goals ? goalsMarkdown(goals) : ''));
        break;
      case 'json': {
        const text = withExtrasJson(renderDiffJson(before, after, diff), extras);
        await sink.write(goals ? withGoalsJson(text, goals) : text);
        break;
      }
      case 'csv': {
        const csv = csvOptions(after.loaded.table, after.loaded.parsed.decimal, options, after.writtenDecimal);
        await writeCsv(sink, DIFF_CSV_HEADER, [...diffCsvRecords(diff, csv.dialect?.decimal), ...extraCsvRecords(extras), ...goalCsvRecords(goals ?? [])], csv);
        break;
      }
    }
  };
  if (options.output !== undefined) {
    // Atomically, like kam score -o; never over a file the run reads.
    const inputs = runInputs(
      io,
      [
        { path: beforeFile, role: '<before>' },
        { path: afterFile, role: '<after>' },
        { path: options.goals, role: '--goals' },
        { path: options.overrides, role: '--overrides' },
      ],
      options,
    );
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
    .option(
      '--as-of <date>',
      "the day the --deals roll-up ends and --overrides are checked at, YYYY-MM-DD (default: today; for --overrides, the later snapshot's date)",
    )
    .option('--hysteresis', "keep last week's tier for an account that crossed a cut by less than the config's band (default 2 points)")
    .option('--overrides <file>', 'manual overrides CSV: list those that expire within 14 days')
    .option('--rfc4180', "write CSV as plain RFC 4180: comma, LF, UTF-8 without BOM, decimal point (default: <after>'s dialect)");
  addQuietOption(cmd)
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (before: string, after: string, opts: DiffCliOptions) => {
      setExitCode(await runDiff(before, after, opts, io));
    });
}
