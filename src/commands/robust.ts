import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  acceptabilityError,
  evaluateWeights,
  NO_FIXED_TIER,
  ROBUST_DEFAULTS,
  robustAnalysis,
  RobustTag,
  sampleAroundWeights,
  type RobustInput,
} from '../core/robust.ts';
import { stabilityIntervals } from '../core/robust-stability.ts';
import { textValues } from '../core/text-column.ts';
import { CRITERIA, TIER_INDEX, TIERS, type Criterion, type ModelConfig } from '../core/types.ts';
import { ExitCode, InputError, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { noteSink, quietIo, type Io, type Sink } from '../io/console.ts';
import { writeOutput, type OutputContext } from '../io/output-file.ts';
import { count } from '../io/progress.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { noteLine } from '../io/run-notes.ts';
import { readTable } from '../io/read-table.ts';
import {
  renderRobustJson,
  renderRobustMarkdown,
  renderRobustTable,
  robustCells,
  robustHeader,
  robustJsonObject,
  type RobustReport,
  type RobustRow,
  type ScenarioOrigin,
} from '../io/render-robust.ts';
import { terminalWidth } from '../io/render-table.ts';
import { unescapeFormula, writeCsv } from '../io/write-csv.ts';
import { parseWeightScenarios } from '../schema/weights-file.ts';
import type { GateOutcome } from '../schema/gates.ts';
import { assertSomeValid, formatIssue, loadAccounts, reportReading, type LoadedAccounts } from './load.ts';
import { runInputs } from './load-config.ts';
import { gateNotes, scoreLoaded } from './load-gates.ts';
import { resolveModel } from './load-model.ts';
import { addReadOptions, positiveInt, type ReadCliOptions } from './load-options.ts';
import { addQuietOption } from './output.ts';
import { isEnrichedHeader, readEnrichedRow } from './snapshot.ts';

const HELP_EXAMPLES = `
Which picks hold whatever the weights are? Each weighting (a row of --weights-file, or
a sample around the configured weights) runs the whole model again: renormalisation,
coverage, both axes, tiers, rank, shortlist. Per account: shortlist acceptability
(share of weightings that shortlist it) with its standard error, top-k acceptability,
'always'/'never' when dominance settles it without sampling, the median rank with the
ranks 90% of weightings give, the share of each tier, and the central weights (mean
weighting of those that shortlist it). Per criterion: the range of its share within
which the shortlist stays the same. A CSV kam score wrote is read with its kam_
criteria as they are. csv and ndjson hold the accounts; table, md and json also hold
the stability intervals.

Examples:
  $ kam robust accounts.csv --shortlist 10                  10,000 weightings around the configured weights
  $ kam robust accounts.csv --concentration 2 --seed 7      "any reasonable weighting": a wide spread
  $ kam robust accounts.csv --weights-file panel.csv        one weighting per manager of a panel
  $ kam robust scored-2026-11-20.csv --format csv > robust.csv
`;

const ROBUST_FORMATS = ['table', 'csv', 'json', 'ndjson', 'md'] as const;
type RobustFormat = (typeof ROBUST_FORMATS)[number];

const { samples: DEFAULT_SAMPLES, concentration: DEFAULT_CONCENTRATION, seed: DEFAULT_SEED, top: DEFAULT_TOP } = ROBUST_DEFAULTS;

interface RobustCliOptions extends ReadCliOptions {
  readonly format?: RobustFormat | undefined;
  readonly output?: string | undefined;
  readonly weightsFile?: string | undefined;
  readonly concentration?: number | undefined;
  readonly samples?: number | undefined;
  readonly seed?: number | undefined;
  readonly top?: number | undefined;
  readonly shortlist?: number | undefined;
  readonly weights?: string | undefined;
  readonly escapeFormulas?: boolean | undefined;
  readonly quiet?: boolean | undefined;
}

/** `--concentration`: a finite number > 0. */
function positiveNumber(name: string): (v: string) => number {
  return (v: string) => {
    const x = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(v) ? Number(v) : Number.NaN;
    if (!(x > 0) || !Number.isFinite(x)) throw new InvalidArgumentError(`${name} takes a number > 0.`);
    return x;
  };
}

/** `--seed`: a whole number 0..4294967295. */
function seedNumber(v: string): number {
  const x = /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!(x >= 0 && x <= 0xffffffff)) throw new InvalidArgumentError('--seed takes a whole number from 0 to 4294967295.');
  return x;
}

/** The accounts as the scenarios see them: scored now, or the kam_ criteria of an enriched file. */
function robustInput(
  loaded: LoadedAccounts,
  model: ModelConfig,
): { input: RobustInput; names: string[]; left: number; enriched: boolean; gates: GateOutcome | undefined } {
  const a = loaded.parsed.accounts;
  const { table, parsed } = loaded;
  if (!isEnrichedHeader(table.header)) {
    const { scored, gates } = scoreLoaded(loaded, model);
    // A gate does not depend on the weights: a gated account is Gated in every weighting.
    const fixedTier = gates === undefined ? undefined : Uint8Array.from(gates.gated, (g) => (g === 1 ? TIER_INDEX.Gated : NO_FIXED_TIER));
    return {
      input: { n: a.n, ids: textValues(a.id) as string[], criteria: scored.criteria, fixedTier },
      names: textValues(a.name) as string[],
      left: 0,
      enriched: false,
      gates,
    };
  }
  const column = new Map<string, number>();
  table.header.forEach((h, i) => {
    if (!column.has(h.trim())) column.set(h.trim(), i);
  });
  const ids: string[] = [];
  const names: string[] = [];
  const fixed: number[] = [];
  const values: number[][] = CRITERIA.map(() => []);
  let left = 0;
  const rows = table.rowsOf(parsed.recordIndex);
  for (let i = 0; i < a.n; i++) {
    const k = readEnrichedRow(
      (name) => {
        const at = column.get(name);
        return at === undefined ? undefined : rows.cellsOf(i)[at];
      },
      `${table.source}:${rows.lineOf(i)}`,
    );
    if (k.tier === 'Invalid') {
      left++;
      continue;
    }
    ids.push(a.id.at(i)!);
    names.push(unescapeFormula(a.name.at(i)!));
    fixed.push(k.tier === 'Gated' ? TIER_INDEX.Gated : NO_FIXED_TIER);
    CRITERIA.forEach((_, j) => values[j]!.push(k.criteria[j]!));
  }
  const criteria = Object.fromEntries(CRITERIA.map((c, j) => [c, Float64Array.from(values[j]!)])) as Record<Criterion, Float64Array>;
  // The file's Gated rows stay Gated (its gates were applied when it was scored).
  const fixedTier = fixed.some((t) => t !== NO_FIXED_TIER) || loaded.config.gates !== undefined ? Uint8Array.from(fixed) : undefined;
  return { input: { n: ids.length, ids, criteria, fixedTier }, names, left, enriched: true, gates: undefined };
}

/** The weight scenarios: a weights file, or Dirichlet(κ·w) samples around the configured weights. */
async function loadScenarios(
  io: Io,
  options: RobustCliOptions,
  model: ModelConfig,
): Promise<{ weights: Float64Array; origin: ScenarioOrigin; notes: string[] }> {
  if (options.weightsFile !== undefined) {
    for (const [flag, given] of [
      ['--samples', options.samples],
      ['--concentration', options.concentration],
      ['--seed', options.seed],
    ] as const) {
      if (given !== undefined) throw new UsageError(`${flag} is for sampled weightings; --weights-file gives them instead`);
    }
    const file = options.weightsFile;
    const table = await readTable(
      file === '-' ? '-' : resolve(io.cwd, file),
      {
        encoding: options.encoding,
        delimiter: options.delimiter,
        maxRecordSize: options.maxRecordSize,
        maxInputSize: options.maxInputSize,
        threads: options.threads,
      },
      io.stdin,
      file,
    );
    const parsed = parseWeightScenarios(table, options.decimal ?? '.');
    if (parsed.issues.length > 0) {
      const listed = parsed.issues.slice(0, 20).map((i) => formatIssue(table.source, i));
      if (parsed.issues.length > 20) listed.push(`... and ${parsed.issues.length - 20} more issue(s)`);
      await io.stderr.write(escapeTerminal(listed.join('\n'), { keepLineFeeds: true }) + '\n');
      throw new InputError(`${table.source}: ${parsed.issues.length} problem(s) in the weights file; no analysis run`);
    }
    if (table.records.length === 0) throw new InputError(`${table.source}: no weightings (0 data rows)`);
    // The reader's notes in words (table.notes), named by their file.
    const notes = table.notes.map((n) => `kam: ${table.source}: ${n}`);
    if (parsed.ignored.length > 0) notes.push(noteLine({ code: 'weights_columns_ignored', columns: parsed.ignored }, `kam: ${table.source}: `));
    return { weights: parsed.weights, origin: { kind: 'file', file: table.source, labelColumn: parsed.labelColumn }, notes };
  }
  const concentration = options.concentration ?? DEFAULT_CONCENTRATION;
  const seed = options.seed ?? DEFAULT_SEED;
  const weights = sampleAroundWeights(model.weights, concentration, seed, options.samples ?? DEFAULT_SAMPLES);
  return { weights, origin: { kind: 'dirichlet', concentration, seed }, notes: [] };
}

const EXACT: Record<number, RobustRow['exact']> = { [RobustTag.None]: '', [RobustTag.Always]: 'always', [RobustTag.Never]: 'never' };

/** `kam robust`: read, score (or read the kam_ criteria), run every weighting, write. */
async function runRobust(file: string, options: RobustCliOptions, runIo: Io): Promise<ExitCodeT> {
  const io = quietIo(runIo, options.quiet);
  const format: RobustFormat = options.format ?? (options.output === undefined && io.stdoutIsTty ? 'table' : 'csv');
  const read = await readRobust(file, options, io);
  const report = robustReport(read);
  const o = report.origin;
  const origin = o.kind === 'dirichlet' ? { kind: o.kind, concentration: o.concentration, seed: o.seed } : { kind: o.kind, file: o.file };
  const notes = [...read.notes, noteLine({ code: 'robust_run', weightings: report.scenarios, origin, shortlist: report.capacity, top: report.top })];
  await noteSink(io).write(escapeTerminal(notes.join('\n'), { keepLineFeeds: true }) + '\n');
  await writeReport(file, options, io, (sink) => writeRobust(sink, format, report, io, options));
  return ExitCode.Ok;
}

/** What kam robust has read: the accounts as the weightings see them, the weightings, and the notes so far. */
interface RobustRead {
  readonly source: string;
  readonly input: RobustInput;
  readonly names: readonly string[];
  readonly model: ModelConfig;
  readonly capacity: number | undefined;
  readonly top: number;
  readonly scenarios: { readonly weights: Float64Array; readonly origin: ScenarioOrigin };
  readonly notes: readonly string[];
}

/** The read side: the accounts (their reading reported on stderr), the model, the weightings. */
async function readRobust(file: string, options: RobustCliOptions, io: Io): Promise<RobustRead> {
  const loaded = await loadAccounts(io, file, options);
  await reportReading(io, loaded, { maxIssues: 20, rejectedNote: ' (left out of the analysis)' });
  assertSomeValid(loaded);
  const model = resolveModel(loaded.config, options.weights);
  const { input, names, left, enriched, gates } = robustInput(loaded, model);
  const source = loaded.table.source;
  const notes: string[] = gateNotes(source, gates);
  const prefix = `kam: ${source}: `;
  if (enriched) notes.push(noteLine({ code: 'enriched_used_as_is', what: 'criteria' }, prefix));
  if (left > 0) notes.push(noteLine({ code: 'invalid_left_out_of_analysis', rows: left }, prefix));
  const scenarios = await loadScenarios(io, options, model);
  notes.push(...scenarios.notes);
  const capacity = options.shortlist ?? loaded.config.shortlist;
  const top = options.top ?? capacity ?? DEFAULT_TOP;
  return { source, input, names, model, capacity, top, scenarios, notes };
}

/** Every weighting through the model, the stability intervals and the configured weighting's outcome, as the report's rows. */
function robustReport(read: RobustRead): RobustReport {
  const { input, names, model, capacity, top, scenarios } = read;
  const analysisOptions = { model, shortlist: capacity, top };
  const result = robustAnalysis(input, scenarios.weights, analysisOptions);
  const stability = stabilityIntervals(input, analysisOptions);
  const base = evaluateWeights(input, model.weights, analysisOptions);
  const N = result.scenarios;
  const T = TIERS.length;
  // Gated is reported only when the config has gates.
  const shownTiers = TIERS.filter((t) => t !== 'Gated' || input.fixedTier !== undefined);
  const rows: RobustRow[] = Array.from(base.order, (i) => {
    const a = result.shortlist[i]! / N;
    return {
      id: input.ids[i]!,
      name: names[i]!,
      rank: base.rank[i]!,
      tier: TIERS[base.tier[i]!]!,
      shortlisted: base.shortlisted[i] === 1,
      shortlist: a,
      shortlistError: acceptabilityError(a, N),
      top: result.topK[i]! / N,
      exact: EXACT[result.tags[i]!]!,
      rankMedian: result.rankQuantiles[i * 3 + 1]!,
      rankLow: result.rankQuantiles[i * 3]!,
      rankHigh: result.rankQuantiles[i * 3 + 2]!,
      tiers: shownTiers.map((t) => result.tiers[i * T + TIER_INDEX[t]]! / N),
      central: CRITERIA.map((_, j) => {
        const x = result.central[i * CRITERIA.length + j]!;
        return Number.isNaN(x) ? undefined : x;
      }),
    };
  });
  const total = CRITERIA.reduce((s, c) => s + model.weights[c], 0);
  const weights = Object.fromEntries(CRITERIA.map((c) => [c, model.weights[c] / total])) as Record<Criterion, number>;
  return { source: read.source, scenarios: N, origin: scenarios.origin, weights, capacity, top, tiers: shownTiers, rows, stability };
}

/** The write side: to -o (atomically, never over an input), else stdout. */
async function writeReport(file: string, options: RobustCliOptions, io: Io, write: (sink: Sink) => Promise<void>): Promise<void> {
  if (options.output === undefined) {
    await write(io.stdout);
    return;
  }
  const out: OutputContext = {
    cwd: io.cwd,
    stdout: io.stdout,
    inputs: runInputs(
      io,
      [
        { path: file, role: 'the accounts file' },
        { path: options.weightsFile, role: '--weights-file' },
      ],
      options,
    ),
  };
  await writeOutput({ path: options.output, role: '-o' }, write, out);
  if (options.output !== '-') await noteSink(io).write(escapeTerminal(`kam: wrote ${options.output}`) + '\n');
}

async function writeRobust(sink: Sink, format: RobustFormat, report: RobustReport, io: Io, options: RobustCliOptions): Promise<void> {
  switch (format) {
    case 'csv':
      await writeCsv(sink, robustHeader(report), report.rows.map(robustCells), { escapeFormulas: options.escapeFormulas !== false });
      return;
    case 'json':
      await sink.write(renderRobustJson(report));
      return;
    case 'ndjson':
      for (const r of report.rows) {
        if (sink.closed) return;
        await sink.write(robustJsonObject(report, r) + '\n');
      }
      return;
    case 'md':
      await sink.write(renderRobustMarkdown(report));
      return;
    case 'table':
      await sink.write(renderRobustTable(report, io.color, options.output === undefined ? terminalWidth(io) : undefined));
      return;
  }
}

/** Wire `kam robust` into the program. */
export function registerRobust(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('robust')
    .description('Which picks survive any reasonable weighting: acceptabilities over many weightings, exact tags, stability intervals')
    .argument('<file>', 'accounts CSV (raw, or one kam score wrote), or - for stdin');
  addQuietOption(addReadOptions(cmd))
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, else csv)').choices([...ROBUST_FORMATS]))
    .option('-o, --output <file>', 'write to a file (atomically; never over the input)')
    .option('--weights-file <file>', 'one weighting per row: columns volume,potential,ltv,fit,strategic and an optional label')
    .option('--samples <n>', `how many weightings to sample (default ${count(DEFAULT_SAMPLES)})`, positiveInt('--samples'))
    .option(
      '--concentration <k>',
      `spread of the samples, Dirichlet(k * weights): small is "any weighting", large "close to ours" (default ${DEFAULT_CONCENTRATION})`,
      positiveNumber('--concentration'),
    )
    .option('--seed <n>', `seed of the sampler (default ${DEFAULT_SEED}); the same seed gives the same output`, seedNumber)
    .option('--top <k>', `k of the top-k acceptability (default: the shortlist size, else ${DEFAULT_TOP})`, positiveInt('--top'))
    .option(
      '--shortlist <n>',
      "the shortlist is the n best Key/Develop accounts (default: the config's shortlist, else the Key tier)",
      positiveInt('--shortlist'),
    )
    .option('--weights <spec>', 'the configured weights to sample around, e.g. volume=2,potential=3,ltv=2,fit=1,strategic=2')
    .option('--no-escape-formulas', 'do not prefix cells that start with = + - @ (spreadsheet formula guard)')
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (file: string, opts: RobustCliOptions) => {
      setExitCode(await runRobust(file, opts, io));
    });
}
