import { Chalk } from 'chalk';
import { Option, type Command } from 'commander';
import { applyTierOverrides, shortlistWithOverrides } from '../core/overrides.ts';
import { shortlistOf } from '../core/shortlist.ts';
import { CRITERIA, TIERS, type ModelConfig, type ScoreResult } from '../core/types.ts';
import { ExitCode, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { noteSink, quietIo, type Io, type Sink } from '../io/console.ts';
import { enrichedHeader, enrichedRows, originalColumns, originalHeader, toJsonObject, type EnrichedRow, type RunStamp } from '../io/enriched.ts';
import { writeEnrichedCsv, type EnrichedCsv } from '../io/enriched-csv.ts';
import { writeOutput, type OutputContext } from '../io/output-file.ts';
import { count, isBigInput, Progress } from '../io/progress.ts';
import { renderMarkdownTable } from '../io/render-markdown.ts';
import { renderScoreTable, terminalWidth } from '../io/render-table.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { noteLine } from '../io/run-notes.ts';
import { constantSignalsWarning, tierSummary } from '../io/signal-text.ts';
import { writeCsv, type CsvWriteOptions } from '../io/write-csv.ts';
import { enrichedWorkbookBytes } from '../io/xlsx/enriched.ts';
import { formatDate } from '../schema/values.ts';
import { assertSomeValid, reportMapping, reportReading, type LoadedAccounts } from './load.ts';
import { reportConfig, runInputs } from './load-config.ts';
import { loadAccountsAndDeals, reportDeals } from './load-deals.ts';
import { gateNotes, loadOverrides, overrideText, scoreLoaded, type LoadedOverrides } from './load-gates.ts';
import type { GateOutcome } from '../schema/gates.ts';
import { modelId, resolveModel } from './load-model.ts';
import { addReadOptions, positiveInt, resolveAsOf, type ReadCliOptions } from './load-options.ts';
import {
  addQuietOption,
  assertBinaryOutput,
  csvOptions,
  outputFormat,
  reportWritten,
  workbookTextColumns,
  writtenDecimal,
  type OutputCliOptions,
} from './output.ts';

const HELP_EXAMPLES = `
Examples:
  $ kam score accounts.csv                        ranked table on a terminal
  $ kam score accounts.csv --format csv > out.csv enriched CSV (the default when piped)
  $ kam score accounts.csv --top 20 --tier Key,Develop
  $ kam score accounts.csv -o shortlist.csv --rejects rejects.csv --shortlist 25
  $ kam score accounts.csv --weights volume=1,potential=3,ltv=2,fit=1,strategic=3
  $ kam score salesforce.csv --map "Revenue (LTM)=revenue" --encoding windows-1252
  $ kam score accounts.csv --deals opportunities.csv --as-of 2017-12-31
  $ kam score accounts.csv -o scored.json           the format from the file name
  $ kam score export.csv -o scored.csv --rfc4180    comma, no BOM, decimal point (else the export's own dialect)
`;

const NO_COLOR = new Chalk({ level: 0 });

const OUTPUT_FORMATS = ['table', 'csv', 'json', 'ndjson', 'md', 'xlsx'] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

interface ScoreCliOptions extends ReadCliOptions, OutputCliOptions {
  readonly format?: OutputFormat | undefined;
  readonly top?: number | undefined;
  readonly tier?: string | undefined;
  readonly output?: string | undefined;
  readonly rejects?: string | undefined;
  readonly strict?: boolean | undefined;
  readonly asOf?: string | undefined;
  readonly weights?: string | undefined;
  readonly escapeFormulas?: boolean | undefined;
  readonly shortlist?: number | undefined;
  readonly rfc4180?: boolean | undefined;
  readonly overrides?: string | undefined;
}

/** Parse `--tier Key,Develop` against the tier names (case-insensitive). */
function parseTierList(spec: string): Set<string> {
  const out = new Set<string>();
  for (const raw of spec.split(',')) {
    const t = raw.trim();
    if (!t) continue;
    const hit = [...TIERS, 'Invalid'].find((x) => x.toLowerCase() === t.toLowerCase());
    if (!hit) throw new UsageError(`--tier: unknown tier '${t}' (tiers: ${[...TIERS, 'Invalid'].join(', ')})`);
    out.add(hit);
  }
  return out;
}

/** The shortlist of `kam score --shortlist N`: undefined (no kam_shortlist column) without N. */
function pickShortlist(result: ScoreResult, n: number | undefined): Set<number> | undefined {
  return n === undefined ? undefined : shortlistOf(result, n);
}

/** Describe the weights for the table's first line. */
function describeModel(model: ModelConfig): string {
  return CRITERIA.map((c) => `${c} ${model.weights[c]}`).join(', ');
}

/** Write rows in one format to a sink. */
async function writeFormat(
  sink: Sink,
  format: OutputFormat,
  loaded: LoadedAccounts,
  rows: Iterable<EnrichedRow>,
  ctx: {
    io: Io;
    model: ModelConfig;
    stamp: RunStamp;
    result: ScoreResult;
    withShortlist: boolean;
    csv: CsvWriteOptions;
    extra: readonly string[];
    escapeFormulas: boolean;
    toTerminal: boolean;
    enrich: Omit<EnrichedCsv, 'csv' | 'header' | 'withShortlist' | 'stamp'>;
  },
): Promise<void> {
  const { table } = loaded;
  const header = enrichedHeader(table, ctx.withShortlist, ctx.stamp, ctx.extra);
  switch (format) {
    case 'csv': {
      const { table: t, recordIndex, result, rejected, options } = ctx.enrich;
      await writeEnrichedCsv(sink, {
        table: t,
        recordIndex,
        result,
        rejected,
        options,
        csv: ctx.csv,
        header,
        withShortlist: ctx.withShortlist,
        stamp: ctx.stamp,
      });
      return;
    }
    case 'json': {
      let first = true;
      await sink.write('[');
      for (const r of rows) {
        if (sink.closed) return;
        await sink.write(`${first ? '\n' : ',\n'}${toJsonObject(originalHeader(table), r, ctx.withShortlist, ctx.stamp, ctx.extra)}`);
        first = false;
      }
      await sink.write(first ? ']\n' : '\n]\n');
      return;
    }
    case 'ndjson': {
      for (const r of rows) {
        if (sink.closed) return;
        await sink.write(toJsonObject(originalHeader(table), r, ctx.withShortlist, ctx.stamp, ctx.extra) + '\n');
      }
      return;
    }
    case 'md': {
      await sink.write(renderMarkdownTable([...rows], loaded.parsed.accounts, ctx.withShortlist));
      return;
    }
    case 'xlsx': {
      const summary = { source: table.source, result: ctx.result, rejected: loaded.parsed.rejected.length, model: ctx.model };
      await sink.write(
        enrichedWorkbookBytes({ header, rows, withShortlist: ctx.withShortlist, stamp: ctx.stamp, textColumns: workbookTextColumns(loaded), summary }),
      );
      return;
    }
    case 'table': {
      const list = [...rows];
      const first = `${escapeTerminal(table.source)} · preset: ${loaded.mapping.preset} · weights: ${describeModel(ctx.model)} · model ${ctx.stamp.model}\n`;
      const body = renderScoreTable(list, loaded.parsed.accounts.name, {
        // A table written to a file (-o x.txt) has no colour codes.
        color: ctx.toTerminal ? ctx.io.color : NO_COLOR,
        width: ctx.toTerminal ? terminalWidth(ctx.io) : undefined,
        withShortlist: ctx.withShortlist,
      });
      await sink.write(first + body + tierSummary(ctx.result, loaded.parsed.rejected.length) + '\n');
      return;
    }
  }
}

/**
 * Say how the original columns are written back: the kam_ columns of an earlier run
 * replaced, and input columns named like kam's renamed (notes: not under --quiet).
 */
async function reportColumns(io: Io, source: string, header: readonly string[]): Promise<void> {
  const { replaced, renamed } = originalColumns(header);
  const lines: string[] = [];
  if (replaced.length > 0) lines.push(`kam: ${source} was written by kam: its ${replaced.length} kam_ column(s) are replaced by this run's`);
  for (const r of renamed) lines.push(`kam: ${source}: column '${r.from}' is named like one kam writes: written back as '${r.to}'`);
  if (lines.length) await noteSink(io).write(lines.join('\n') + '\n');
}

/** `kam score`: read, validate, score, rank, write. */
async function runScore(file: string, options: ScoreCliOptions, runIo: Io): Promise<ExitCodeT> {
  const io = quietIo(runIo, options.quiet);
  const tiers = options.tier !== undefined ? parseTierList(options.tier) : undefined;
  const asOf = resolveAsOf(io, options.asOf);
  const format = outputFormat('score', options.output, options.format, OUTPUT_FORMATS, options.output === undefined && io.stdoutIsTty ? 'table' : 'csv');
  if (format === 'xlsx') assertBinaryOutput(io, options.output);
  const progress = new Progress(io, isBigInput(io, file));
  try {
    return await scoreFile(file, options, io, { tiers, asOf, format, progress });
  } finally {
    progress.done();
  }
}

/** What the scores say on stderr: the gates, no score at all, constant signals. */
async function reportScores(io: Io, file: string, source: string, result: ScoreResult, gates: GateOutcome | undefined, progress: Progress): Promise<void> {
  const notes = gateNotes(source, gates);
  if (notes.length > 0) await noteSink(io).write(notes.join('\n') + '\n');
  if (result.n > 0 && result.score.every((x) => Number.isNaN(x))) {
    progress.done();
    await noteSink(io).write(escapeTerminal(noteLine({ code: 'no_score', source, file })) + '\n');
  }
  const constant = constantSignalsWarning(result.constant, file);
  if (constant) {
    progress.done();
    await noteSink(io).write(constant);
  }
}

/** kam_gate only when the config has gates, kam_override only when overrides are given (SCORING.md §6). */
function extraColumns(
  gates: GateOutcome | undefined,
  overrides: LoadedOverrides | undefined,
  modelResult: ScoreResult,
  modelShortlist: ReadonlySet<number> | undefined,
): { names: string[]; cells: (i: number) => string[] } | undefined {
  const names = [...(gates ? ['kam_gate'] : []), ...(overrides ? ['kam_override'] : [])];
  if (names.length === 0) return undefined;
  return {
    names,
    cells: (i: number) => [
      ...(gates ? [gates.rule[i] ?? ''] : []),
      ...(overrides ? [overrideText(overrides, i, modelResult.tier[i]!, modelShortlist?.has(i))] : []),
    ],
  };
}

/** Where kam score may write: never over its input, -o and --rejects never over each other. */
function outputContext(io: Io, file: string, options: ScoreCliOptions): OutputContext {
  return {
    cwd: io.cwd,
    stdout: io.stdout,
    inputs: runInputs(io, [{ path: file, role: 'the accounts file' }], options),
    outputs: [
      ...(options.output === undefined ? [] : [{ path: options.output, role: '-o' }]),
      ...(options.rejects === undefined ? [] : [{ path: options.rejects, role: '--rejects' }]),
    ],
  };
}

/** --rejects FILE: the rejected rows as read, with their line and errors. */
async function writeRejects(path: string, loaded: LoadedAccounts, result: ScoreResult, csv: CsvWriteOptions, out: OutputContext): Promise<void> {
  const { table, parsed } = loaded;
  const rejectRows = [...enrichedRows(table, parsed.recordIndex, result, parsed.rejected, { top: 0 })];
  await writeOutput(
    { path, role: '--rejects' },
    (sink) =>
      writeCsv(
        sink,
        [...originalHeader(table), 'kam_line', 'kam_errors'],
        rejectRows.map((r) => [...r.original, String(r.line), r.kam.errors]),
        csv,
      ),
    out,
  );
}

/**
 * Rejected rows are rows of tier Invalid: a data format writes them (last) unless --top or
 * --tier selects rows, and then only when --tier names Invalid (--top counts ranked rows).
 */
function writesRejected(format: OutputFormat, top: number | undefined, tiers: ReadonlySet<string> | undefined): boolean {
  if (format === 'table' || format === 'md') return false;
  return tiers === undefined ? top === undefined : tiers.has('Invalid');
}

/** What the rejected count on stderr adds: where the rejected rows went. */
function rejectedNote(options: ScoreCliOptions, written: boolean): string {
  if (options.strict) return '';
  if (written) return ' (kept as tier Invalid with the reason in kam_errors)';
  if (options.rejects !== undefined) return ` (not in this output: --rejects ${options.rejects} has them with their reasons)`;
  return ' (not in this output: --rejects FILE writes them with their reasons)';
}

async function scoreFile(
  file: string,
  options: ScoreCliOptions,
  io: Io,
  { tiers, asOf, format, progress }: { tiers: Set<string> | undefined; asOf: number; format: OutputFormat; progress: Progress },
): Promise<ExitCodeT> {
  progress.update(`reading ${file}`);
  const withRejected = writesRejected(format, options.top, tiers);
  const { loaded, deals } = await loadAccountsAndDeals(io, file, options, asOf);
  const { parsed, table } = loaded;
  progress.update(`read ${count(table.recordCount)} rows; scoring ${count(parsed.accounts.n)} accounts`);
  const model = resolveModel(loaded.config, options.weights);
  const maxListed = 20;
  const rejectedCount = parsed.rejected.length;
  progress.done();
  await reportConfig(io, loaded.configPath);
  await reportReading(io, loaded, { maxIssues: maxListed, rejectedNote: rejectedNote(options, withRejected) });
  if (deals) await reportDeals(io, deals, table.source, { maxListed });
  await reportMapping(io, loaded);
  if (options.strict && (rejectedCount > 0 || (deals !== undefined && deals.parsed.rejected.length > 0))) {
    await io.stderr.write('kam: --strict: no output written\n');
    return ExitCode.InvalidData;
  }
  assertSomeValid(loaded);
  progress.update(`scoring ${count(parsed.accounts.n)} accounts`);
  const scoredNow = scoreLoaded(loaded, model);
  let result = scoredNow.result;
  const gates = scoredNow.gates;
  await reportScores(io, file, table.source, result, gates, progress);
  progress.update(`scored ${count(result.n)} accounts; writing ${format}`);
  const shortlistN = options.shortlist ?? loaded.config.shortlist;
  // Overrides apply after scoring and gates: the effective tier and shortlist (SCORING.md §4).
  const overridesFile = options.overrides ?? loaded.config.overrides;
  const overrides = overridesFile === undefined ? undefined : await loadOverrides(io, overridesFile, loaded, asOf);
  const modelResult = result;
  const modelShortlist = pickShortlist(modelResult, shortlistN);
  if (overrides !== undefined) result = applyTierOverrides(result, overrides.active, parsed.accounts.id);
  const shortlist =
    overrides === undefined || shortlistN === undefined ? pickShortlist(result, shortlistN) : shortlistWithOverrides(result, shortlistN, overrides.active);
  if (overrides !== undefined && shortlist === undefined && overrides.active.some((o) => o.shortlist !== undefined)) {
    await noteSink(io).write(noteLine({ code: 'overrides_shortlist_unused' }) + '\n');
  }
  const withShortlist = shortlist !== undefined;
  const extra = extraColumns(gates, overrides, modelResult, modelShortlist);
  // The table and Markdown views list rejected rows on stderr; data formats keep them as rows.
  const enrichOptions = { top: options.top, tiers, shortlist, withRejected, extra };
  const rowsFor = (): Iterable<EnrichedRow> => enrichedRows(table, parsed.recordIndex, result, parsed.rejected, enrichOptions);
  const ctx = {
    io,
    model,
    stamp: { asOf: options.asOf === undefined ? undefined : formatDate(asOf), model: modelId(loaded.config, model) },
    result,
    withShortlist,
    csv: csvOptions(table, parsed.decimal, options, writtenDecimal(loaded, options.decimal ?? loaded.config.decimal)),
    extra: extra?.names ?? [],
    escapeFormulas: options.escapeFormulas !== false,
    toTerminal: options.output === undefined && io.stdoutIsTty,
    enrich: { table, recordIndex: parsed.recordIndex, result, rejected: parsed.rejected, options: enrichOptions },
  };
  if (format === 'csv' || format === 'json' || format === 'ndjson' || options.rejects !== undefined) await reportColumns(io, table.source, table.header);

  const out = outputContext(io, file, options);
  if (options.rejects !== undefined) await writeRejects(options.rejects, loaded, result, ctx.csv, out);
  if (options.output !== undefined) {
    await writeOutput({ path: options.output, role: '-o' }, (sink) => writeFormat(sink, format, loaded, rowsFor(), ctx), out);
    progress.done();
    if (options.output !== '-') await reportWritten(io, options.output, tierSummary(result, rejectedCount));
  } else {
    await writeFormat(io.stdout, format, loaded, rowsFor(), ctx);
  }
  return ExitCode.Ok;
}

/** Wire `kam score` into the program. */
export function registerScore(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('score')
    .description('Score accounts on the five key-account criteria, place them on the KAM matrix, rank them')
    .argument('<file>', 'accounts CSV exported from the CRM, or - for stdin');
  addReadOptions(cmd)
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, else csv)').choices([...OUTPUT_FORMATS]))
    .option('-o, --output <file>', 'write to a file (atomically; never over the input)')
    .option('--top <n>', 'only the first n ranked accounts', positiveInt('--top'))
    .option('--tier <tiers>', 'only these tiers, e.g. Key,Develop')
    .option('--shortlist <n>', 'mark the n best Key/Develop accounts as the shortlist (kam_shortlist)', positiveInt('--shortlist'))
    .option('--weights <spec>', 'criterion weights, e.g. volume=2,potential=3,ltv=2,fit=1,strategic=2')
    .option('--rejects <file>', 'also write the rejected rows with their reasons to a CSV file')
    .option('--overrides <file>', 'manual overrides CSV: account_id, tier and/or shortlist in/out, reason, owner, expires (kam_override)')
    .option('--strict', 'any rejected row: exit 1 and write nothing')
    .option('--as-of <date>', 'the date date-based inputs are measured at (default: today)')
    .option('--deals <file>', 'opportunities export: derive revenue, pipeline and growth_rate per account from its deals')
    .option('--rfc4180', "write CSV as plain RFC 4180: comma, LF, UTF-8 without BOM, decimal point (default: the input's dialect)")
    .option('--no-escape-formulas', 'do not prefix cells that start with = + - @ (spreadsheet formula guard)');
  addQuietOption(cmd)
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (file: string, opts: ScoreCliOptions) => {
      setExitCode(await runScore(file, opts, io));
    });
}
