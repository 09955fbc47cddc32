import { basename } from 'node:path';
import { pickSnapshotShortlist, scoredDifferently, snapshotInputs, type ShortlistRule, type Snapshot, type SnapshotAccount } from '../core/diff.ts';
import { CRITERIA, TIERS, type ModelConfig, type ScoreResult, type SignalCode, type Tier } from '../core/types.ts';
import { InputError, UsageError } from '../errors.ts';
import { noteSink, type Io } from '../io/console.ts';
import { isEnrichedHeader } from '../io/enriched.ts';
import { formatDate, parseDate } from '../schema/values.ts';
import { assertSomeValid, loadAccounts, mappingNotes, mergeNotes, reportReading, type FileNote, type LoadedAccounts } from './load.ts';
import { loadAccountsAndDeals, reportDeals } from './load-deals.ts';
import { scoreLoaded } from './load-gates.ts';
import { modelId, resolveModel } from './load-model.ts';
import { type ReadCliOptions } from './load-options.ts';
import { writtenDecimal } from './output.ts';
import { signalsOfMask } from '../core/signals.ts';

/**
 * The snapshot builder of diff, report, history, goals and backtest: one file (a raw export,
 * scored now with the current model, or a CSV kam score wrote earlier, whose kam_ columns are
 * taken as they are) becomes a `Snapshot` of core/diff.ts, with where it came from, the model
 * that made it (`kam_model`) and its date (`kam_as_of`, else a date in the file name).
 */

/** One account of a side: what core/diff compares, plus where it sits in the file and its signals. */
export interface SideAccount extends SnapshotAccount {
  /** Index into `loaded.parsed.accounts` (canonical fields such as pipeline or gross_margin). */
  readonly index: number;
  readonly signals: readonly string[];
}

/** One side as read: the snapshot and what the renderers say about where it came from. */
export interface DiffSide {
  readonly source: string;
  readonly enriched: boolean;
  readonly rule: ShortlistRule;
  readonly snapshot: Omit<Snapshot, 'accounts'> & { readonly accounts: readonly SideAccount[] };
  /** The model of the current config and --weights (raw sides are scored with it). */
  readonly model: ModelConfig;
  /** The kam_model that made the side's kam values: its column, or the current model for a raw export; undefined for an older kam file without the column. */
  readonly modelId: string | undefined;
  /** Days since 1970-01-01: the side's kam_as_of, else a YYYY-MM-DD date in its file name; undefined when neither. */
  readonly date: number | undefined;
  /** Where `date` came from. */
  readonly dateFrom: 'kam_as_of' | 'file name' | undefined;
  /** The file as read and validated. */
  readonly loaded: LoadedAccounts;
  /** The decimal separator kam's numbers are written with for this file (the diff CSV; see writtenDecimal). */
  readonly writtenDecimal: '.' | ',';
  /** Notes about the file, not yet printed, when readSnapshot was asked to collect them (said after `kam: <file>: `; see mergeNotes). */
  readonly notes: readonly FileNote[];
}

export { isEnrichedHeader };

/** A number kam wrote: two decimals with the dialect's `.` or `,` (`45.50`, `45,50`); NaN when it is not one. */
function kamNumber(text: string): number {
  return /^-?\d+(?:[.,]\d+)?$/.test(text) ? Number(text.replace(',', '.')) : Number.NaN;
}

/** Whether a cell is a tier's name, as kam writes it. */
const isTier = (text: string): text is Tier => (TIERS as readonly string[]).includes(text);

/** One row's kam values as written by kam, read strictly: an edited or foreign file is an error, not a guess. */
export function readEnrichedRow(
  cell: (name: string) => string | undefined,
  where: string,
): {
  tier: Tier | 'Invalid';
  rank: number;
  score: number;
  criteria: number[];
  current: number;
  attractiveness: number;
  shortlist: boolean | undefined;
  signals: string[];
} {
  const tierText = cell('kam_tier')?.trim() ?? '';
  if (tierText === 'Invalid')
    return { tier: 'Invalid', rank: 0, score: Number.NaN, criteria: [], current: Number.NaN, attractiveness: Number.NaN, shortlist: undefined, signals: [] };
  if (!isTier(tierText)) {
    throw new InputError(`${where}: kam_tier: '${tierText}' is not a kam tier (${[...TIERS, 'Invalid'].join(', ')})`);
  }
  const rankText = cell('kam_rank')?.trim() ?? '';
  if (!/^\d+$/.test(rankText) || Number(rankText) < 1) throw new InputError(`${where}: kam_rank: '${rankText}' is not a rank`);
  const number = (name: string): number => {
    const text = cell(name)?.trim() ?? '';
    if (text === '') return Number.NaN;
    const x = kamNumber(text);
    if (!Number.isFinite(x)) throw new InputError(`${where}: ${name}: '${text}' is not a number`);
    return x;
  };
  const sl = cell('kam_shortlist')?.trim().toLowerCase();
  return {
    tier: tierText,
    rank: Number(rankText),
    score: number('kam_score'),
    criteria: CRITERIA.map((c) => number(`kam_${c}`)),
    current: number('kam_current'),
    attractiveness: number('kam_attractiveness'),
    shortlist: sl === undefined ? undefined : sl === 'yes',
    signals: (cell('kam_signals') ?? '')
      .split(';')
      .map((x) => x.trim())
      .filter((x) => x !== ''),
  };
}

type SnapshotRow = Omit<SideAccount, 'shortlisted'> & { readonly columnShortlist: boolean | undefined };

/** kam_model of an enriched file: one value for the whole file (blank or no column: undefined). */
function writtenModel(loaded: LoadedAccounts): string | undefined {
  return fileWide(loaded, 'kam_model', (text) => (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text) ? text : undefined));
}

/** kam_as_of of an enriched file as days since 1970-01-01 (blank or no column: undefined). */
function writtenAsOf(loaded: LoadedAccounts): number | undefined {
  const text = fileWide(loaded, 'kam_as_of', (t) => {
    const d = parseDate(t);
    return d.kind === 'value' && /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : undefined;
  });
  if (text === undefined) return undefined;
  const d = parseDate(text);
  return d.kind === 'value' ? d.value : undefined;
}

/** One column that kam writes with the same value on every row, read strictly. */
function fileWide(loaded: LoadedAccounts, name: string, check: (text: string) => string | undefined): string | undefined {
  const { table } = loaded;
  const at = table.header.findIndex((h) => h.trim() === name);
  if (at < 0) return undefined;
  let value: string | undefined;
  for (const rec of table.records) {
    const text = (rec.cells[at] ?? '').trim();
    if (text === '') continue;
    if (check(text) === undefined) throw new InputError(`${table.source}:${rec.line}: ${name}: '${text}' is not a value kam writes there`);
    if (value !== undefined && text !== value) {
      throw new InputError(
        `${table.source}:${rec.line}: ${name}: '${text}' differs from '${value}' above: one kam score run writes one ${name} (was the file edited or concatenated?)`,
      );
    }
    value = text;
  }
  return value;
}

/** A file's date: the kam_as_of kam wrote into it, else a YYYY-MM-DD date in its name. */
export function snapshotDate(loaded: LoadedAccounts, file: string): { date: number | undefined; dateFrom: DiffSide['dateFrom'] } {
  const fromColumn = isEnrichedHeader(loaded.table.header) ? writtenAsOf(loaded) : undefined;
  if (fromColumn !== undefined) return { date: fromColumn, dateFrom: 'kam_as_of' };
  const fromName = file === '-' ? undefined : dateInFileName(file);
  return { date: fromName, dateFrom: fromName === undefined ? undefined : 'file name' };
}

/** A YYYY-MM-DD date in a file name (the last one), as days since 1970-01-01. */
function dateInFileName(file: string): number | undefined {
  const all = [...basename(file).matchAll(/(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)/g)];
  const last = all.at(-1)?.[1];
  if (last === undefined) return undefined;
  const d = parseDate(last);
  return d.kind === 'value' ? d.value : undefined;
}

/**
 * The accounts of an enriched CSV, with the kam values it holds (rows of tier Invalid left
 * out, counted); `now` is its inputs scored with the current model, kept on the rows whose
 * recorded numbers differ from it (the file was written with other weights or config).
 */
function enrichedSnapshotRows(loaded: LoadedAccounts, now: ScoreResult): { rows: SnapshotRow[]; invalid: number } {
  const { table, parsed } = loaded;
  const column = new Map<string, number>();
  table.header.forEach((h, i) => {
    if (!column.has(h.trim())) column.set(h.trim(), i);
  });
  const a = parsed.accounts;
  const rows: SnapshotRow[] = [];
  let invalid = parsed.rejected.length;
  const accountRows = table.rowsOf(parsed.recordIndex);
  for (let i = 0; i < a.n; i++) {
    const cells = accountRows.cellsOf(i);
    const k = readEnrichedRow(
      (name) => {
        const at = column.get(name);
        return at === undefined ? undefined : cells[at];
      },
      `${table.source}:${accountRows.lineOf(i)}`,
    );
    if (k.tier === 'Invalid') {
      invalid++;
      continue;
    }
    // kam score guarded a name such as `=HYPERLINK(...)` with an apostrophe; show it as the CRM has it.
    const current = { score: now.score[i]!, criteria: CRITERIA.map((c) => now.criteria[c][i]!) };
    const rescored = scoredDifferently({ score: k.score, criteria: k.criteria }, current) ? current : undefined;
    rows.push({
      id: a.id.at(i)!,
      name: a.name.at(i)!,
      rank: k.rank,
      score: k.score,
      tier: k.tier,
      criteria: k.criteria,
      current: k.current,
      attractiveness: k.attractiveness,
      revenue: a.revenue[i]!,
      inputs: snapshotInputs(a, i),
      rescored,
      columnShortlist: k.shortlist,
      index: i,
      signals: k.signals,
    });
  }
  return { rows, invalid };
}

/** The accounts of a raw export with their scores, in account order. */
export function scoredSnapshotRows(loaded: LoadedAccounts, result: ScoreResult): { rows: SnapshotRow[]; invalid: number } {
  const a = loaded.parsed.accounts;
  const rows: SnapshotRow[] = [];
  for (let i = 0; i < a.n; i++) {
    rows.push({
      id: a.id.at(i)!,
      name: a.name.at(i)!,
      rank: result.rank[i]!,
      score: result.score[i]!,
      tier: TIERS[result.tier[i]!]!,
      criteria: CRITERIA.map((c) => result.criteria[c][i]!),
      current: result.current[i]!,
      attractiveness: result.attractiveness[i]!,
      revenue: a.revenue[i]!,
      inputs: snapshotInputs(a, i),
      columnShortlist: undefined,
      index: i,
      signals: signalsOfMask(result.signalMasks[i]!) satisfies readonly SignalCode[],
    });
  }
  return { rows, invalid: loaded.parsed.rejected.length };
}

/**
 * Read one side of a comparison (a raw export, scored now, or an enriched CSV) as a snapshot;
 * diagnostics go to stderr. Without `useShortlistColumn`, an enriched file's kam_shortlist
 * column is not used: the shortlist is the n best (shortlistN) or the Key tier.
 */
export async function readSnapshot(
  io: Io,
  file: string,
  options: ReadCliOptions & { readonly weights?: string | undefined },
  shortlistN: (loaded: LoadedAccounts) => number | undefined,
  useShortlistColumn = true,
  announce = true,
  extra: { readonly asOf?: number | undefined; readonly collect?: boolean | undefined } = {},
): Promise<DiffSide> {
  // With --deals and the as-of day of its roll-up, the deals fill this side's accounts; without
  // asOf, --deals still sends each --map to the file it is for, as when both are read.
  const { loaded, deals } =
    options.deals !== undefined && extra.asOf !== undefined
      ? await loadAccountsAndDeals(io, file, options, extra.asOf)
      : { loaded: await loadAccounts(io, file, options), deals: undefined };
  const { table } = loaded;
  assertSomeValid(loaded);
  const enriched = isEnrichedHeader(table.header);
  if (enriched && deals) throw new UsageError(`--deals: ${table.source} was written by kam score (its kam_ columns are used as they are): give the raw export`);
  const model = resolveModel(loaded.config, options.weights);
  const scored = scoreLoaded(loaded, model).result;
  const { rows, invalid } = enriched ? enrichedSnapshotRows(loaded, scored) : scoredSnapshotRows(loaded, scored);
  const notes: FileNote[] = [];
  await reportReading(io, loaded, { maxIssues: 0, nameFile: true, collect: notes });
  if (deals) await reportDeals(io, deals, table.source, { maxListed: 20 });
  // What a raw export could feed but does not (a snapshot kam wrote is read by its kam_ columns).
  if (!enriched) notes.push(...mappingNotes(loaded));
  if (enriched && announce) notes.push({ code: 'enriched_used_as_is', what: 'columns' });
  if (invalid > 0) notes.push({ code: 'invalid_left_out_of_diff', rows: invalid, total: table.recordCount, file });
  // A command that reads two files merges their notes (each once); the others print them here.
  if (!extra.collect) {
    const lines = mergeNotes([{ source: table.source, notes }]);
    if (lines.length) await noteSink(io).write(lines.join('\n') + '\n');
  }

  const n = shortlistN(loaded);
  const hasColumn = useShortlistColumn && rows.some((r) => r.columnShortlist !== undefined);
  const rule: ShortlistRule = n !== undefined ? { kind: 'best', n } : hasColumn ? { kind: 'column' } : { kind: 'key' };
  const best = rule.kind === 'best' ? pickSnapshotShortlist(rows, rule.n) : undefined;
  const accounts = rows.map(({ columnShortlist, ...r }): SideAccount => ({
    ...r,
    shortlisted: best ? best.has(r.id) : rule.kind === 'column' ? columnShortlist === true : r.tier === 'Key',
  }));
  const { date, dateFrom } = snapshotDate(loaded, file);
  return {
    source: table.source,
    enriched,
    rule,
    snapshot: { accounts, invalid },
    model,
    modelId: enriched ? writtenModel(loaded) : modelId(loaded.config, model),
    date,
    dateFrom,
    loaded,
    writtenDecimal: writtenDecimal(loaded, options.decimal ?? loaded.config.decimal),
    notes: extra.collect ? notes : [],
  };
}

/**
 * Many snapshots (history, goals, report --history), dated and in date order. An undated
 * snapshot or two of the same date are usage errors: a history needs a time axis.
 */
export async function readDatedSnapshots(
  io: Io,
  files: readonly string[],
  options: ReadCliOptions & { readonly weights?: string | undefined },
  shortlist: number | undefined,
): Promise<DiffSide[]> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('only one snapshot can be read from stdin (-)');
  const sides: DiffSide[] = [];
  for (const file of files) sides.push(await readSnapshot(io, file, options, () => shortlist, true, false));
  const undated = sides.filter((s) => s.date === undefined).map((s) => s.source);
  if (undated.length) {
    throw new UsageError(`cannot date ${undated.join(', ')}: write snapshots with kam score --as-of YYYY-MM-DD, or put a YYYY-MM-DD date in the file name`);
  }
  sides.sort((a, b) => a.date! - b.date!);
  for (let k = 1; k < sides.length; k++) {
    if (sides[k]!.date === sides[k - 1]!.date) {
      throw new UsageError(`${sides[k - 1]!.source} and ${sides[k]!.source} are both dated ${formatDate(sides[k]!.date!)}: give each snapshot its own date`);
    }
  }
  const enriched = sides.filter((s) => s.enriched).length;
  const range = `${formatDate(sides[0]!.date!)} to ${formatDate(sides.at(-1)!.date!)}`;
  const raw = enriched < sides.length ? ` (${sides.length - enriched} raw export(s) scored now with the current model)` : '';
  await noteSink(io).write(`kam: ${sides.length} snapshot(s), dated ${range}${raw}\n`);
  return sides;
}
