import { CRITERIA, TIERS, type ScoreResult, type SignalCode } from '../core/types.ts';
import { fixed2, jsonNumber } from './format.ts';
import type { RawTable } from './read-table.ts';
import type { CsvDialect } from './write-csv.ts';
import type { RejectedRow } from '../schema/account.ts';
import { signalsOfMask } from '../core/signals.ts';

/**
 * The enriched rows of SCORING.md §4, one model for every output format: the original
 * cells, then kam's columns. Scored rows in rank order, then rejected rows (tier
 * `Invalid`) in input order. Renderers (CSV, JSON, NDJSON, Markdown, table) only format.
 */

export const KAM_COLUMNS = [
  'kam_rank',
  'kam_score',
  'kam_tier',
  'kam_volume',
  'kam_potential',
  'kam_ltv',
  'kam_fit',
  'kam_strategic',
  'kam_current',
  'kam_attractiveness',
  'kam_coverage',
  'kam_signals',
  'kam_errors',
] as const;

type KamNumber = number | undefined;

/** kam's values for one row; numbers unrounded (renderers round). */
export interface KamValues {
  readonly rank: KamNumber;
  readonly score: KamNumber;
  readonly tier: string;
  readonly criteria: readonly KamNumber[]; // in CRITERIA order
  readonly current: KamNumber;
  readonly attractiveness: KamNumber;
  readonly coverage: KamNumber;
  readonly signals: readonly SignalCode[];
  readonly errors: string;
  readonly shortlist: boolean | undefined;
  /** Cells of the optional columns after kam_shortlist (kam_gate, kam_override), in EnrichOptions.extra order. */
  readonly extra: readonly string[];
}

export interface EnrichedRow {
  /** Account index in the ScoreResult, or -1 for a rejected row. */
  readonly account: number;
  readonly line: number;
  readonly original: readonly string[];
  readonly kam: KamValues;
}

const num = (x: number): KamNumber => (Number.isNaN(x) ? undefined : x);

export interface EnrichOptions {
  /** Keep only the first N ranked rows (rejected rows are still listed). */
  readonly top?: number | undefined;
  /** Keep only these tiers (rejected rows are still listed). */
  readonly tiers?: ReadonlySet<string> | undefined;
  /** Account indices on the shortlist, when one was asked for. */
  readonly shortlist?: ReadonlySet<number> | undefined;
  /** Leave out rejected rows (e.g. the table view lists them on stderr instead). */
  readonly withRejected?: boolean | undefined;
  /** Optional columns after kam_shortlist (SCORING.md §6): their names and each account's cells. */
  readonly extra?: { readonly names: readonly string[]; readonly cells: (account: number) => readonly string[] } | undefined;
}

/** Why a row was rejected, in one cell: `line 7: revenue: 'abc' is not an amount; ...`. */
export function formatRowErrors(rejected: RejectedRow): string {
  return rejected.issues.map((i) => `${i.column}: ${i.message}`).join('; ');
}

/**
 * The scored accounts to output, in output order: rank order, only the tiers asked for, at
 * most `top` of them. Stops at the top-th: the accounts after it are never looked at.
 */
export function selectedAccounts(result: ScoreResult, options: Pick<EnrichOptions, 'top' | 'tiers'>): Uint32Array {
  const limit = options.top === undefined ? result.n : Math.min(options.top, result.n);
  if (options.tiers === undefined) return result.order.subarray(0, limit);
  const keep = TIERS.map((t) => options.tiers!.has(t));
  const out = new Uint32Array(limit);
  let m = 0;
  for (let k = 0; k < result.n && m < limit; k++) {
    const i = result.order[k]!;
    if (keep[result.tier[i]!]) out[m++] = i;
  }
  return out.subarray(0, m);
}

/** The enriched rows, lazily, in output order. */
export function* enrichedRows(
  table: RawTable,
  recordIndex: Uint32Array,
  result: ScoreResult,
  rejected: readonly RejectedRow[],
  options: EnrichOptions = {},
): Generator<EnrichedRow> {
  const width = table.header.length;
  const kept = keptColumns(table.header);
  const fit = (cells: readonly string[]): readonly string[] =>
    cells.length === width ? cells : cells.length > width ? cells.slice(0, width) : [...cells, ...new Array<string>(width - cells.length).fill('')];
  const pad = kept === undefined ? fit : (cells: readonly string[]): readonly string[] => kept.map((c) => cells[c] ?? '');
  const criteria = CRITERIA.map((c) => result.criteria[c]);
  const selected = selectedAccounts(result, options);
  const records = table.recordsInOrder(selected.map((i) => recordIndex[i]!));
  for (let k = 0; k < selected.length; k++) {
    const i = selected[k]!;
    yield {
      account: i,
      line: table.lineOf(recordIndex[i]!),
      original: pad(records.cells(k)),
      kam: {
        rank: result.rank[i]!,
        score: num(result.score[i]!),
        tier: TIERS[result.tier[i]!]!,
        criteria: [num(criteria[0]![i]!), num(criteria[1]![i]!), num(criteria[2]![i]!), num(criteria[3]![i]!), num(criteria[4]![i]!)],
        current: num(result.current[i]!),
        attractiveness: num(result.attractiveness[i]!),
        coverage: num(result.coverage[i]!),
        signals: signalsOfMask(result.signalMasks[i]!),
        errors: '',
        shortlist: options.shortlist ? options.shortlist.has(i) : undefined,
        extra: options.extra ? options.extra.cells(i) : [],
      },
    };
  }
  if (options.withRejected === false) return;
  for (const r of rejected) yield rejectedRow(table, r, pad, options);
}

/** The enriched row of a rejected record: tier Invalid, the reasons in kam_errors. */
export function rejectedRow(table: RawTable, r: RejectedRow, pad: (cells: readonly string[]) => readonly string[], options: EnrichOptions): EnrichedRow {
  const width = table.header.length;
  const cells = table.cellsOf(r.recordIndex);
  const extra =
    cells.length > width
      ? ` (extra fields: ${cells
          .slice(width)
          .map((c) => JSON.stringify(c))
          .join(', ')})`
      : '';
  return {
    account: -1,
    line: table.lineOf(r.recordIndex),
    original: pad(cells),
    kam: {
      rank: undefined,
      score: undefined,
      tier: 'Invalid',
      criteria: CRITERIA.map(() => undefined),
      current: undefined,
      attractiveness: undefined,
      coverage: undefined,
      signals: [],
      errors: `line ${r.line}: ${formatRowErrors(r)}${extra}`,
      shortlist: options.shortlist ? false : undefined,
      extra: options.extra ? options.extra.names.map(() => '') : [],
    },
  };
}

/**
 * What a file kam writes says about the run that wrote it (SCORING.md §4, §6): `kam_as_of`
 * when --as-of was given (history dates the snapshot by it), then `kam_model`, always last.
 */
export interface RunStamp {
  /** YYYY-MM-DD of --as-of; undefined when the run took the clock's date (not written, so the same input gives the same bytes). */
  readonly asOf: string | undefined;
  /** The model fingerprint (commands/load.ts modelId). */
  readonly model: string;
}

/** The stamp's column names, in order. */
function stampHeader(stamp: RunStamp | undefined): string[] {
  if (stamp === undefined) return [];
  return [...(stamp.asOf === undefined ? [] : ['kam_as_of']), 'kam_model'];
}

/** The stamp's cells, in stampHeader order. */
export function stampCells(stamp: RunStamp | undefined): string[] {
  if (stamp === undefined) return [];
  return [...(stamp.asOf === undefined ? [] : [stamp.asOf]), stamp.model];
}

/** The optional kam_ columns, in output order after kam_shortlist (before the run stamp). */
const KAM_OPTIONAL_COLUMNS = ['kam_gate', 'kam_override'] as const;

/** Every column kam writes: the enriched columns, kam_shortlist, the optional ones, the run stamp, and kam_line of a rejects file. */
const KAM_OWN = new Set<string>([...KAM_COLUMNS, 'kam_shortlist', ...KAM_OPTIONAL_COLUMNS, 'kam_as_of', 'kam_model', 'kam_line']);
const KAM_OWN_LOWER = new Set([...KAM_OWN].map((h) => h.toLowerCase()));

/** The kam_ columns an enriched CSV must have to be read as one. */
const ENRICHED_MARKERS = ['kam_rank', 'kam_score', 'kam_tier'] as const;

/** Whether a header is one `kam score --format csv` wrote. */
export function isEnrichedHeader(header: readonly string[]): boolean {
  const names = new Set(header.map((h) => h.trim()));
  return ENRICHED_MARKERS.every((m) => names.has(m));
}

/** Whether a header is kam's: an enriched CSV, or a `--rejects` file (kam_line, kam_errors). */
export function isKamHeader(header: readonly string[]): boolean {
  const names = new Set(header.map((h) => h.trim()));
  return isEnrichedHeader(header) || (names.has('kam_line') && names.has('kam_errors'));
}

/** The original columns written back, and their names there. */
export interface OriginalColumns {
  /** Column indices in the input, in order. */
  readonly kept: readonly number[];
  /** Their names in the output (a renamed one differs from the input's). */
  readonly names: readonly string[];
  /** The kam columns of an earlier run left out (the file was written by kam). */
  readonly replaced: readonly string[];
  /** Input columns named like one of kam's (`kam_tier`, `KAM_Signals`), written under another name. */
  readonly renamed: readonly { readonly from: string; readonly to: string }[];
}

/**
 * The original columns to write back. A file kam wrote (isKamHeader) has its kam_ columns
 * replaced by this run's instead of repeated. Any other column named like one of kam's
 * (`kam_tier` in a raw export, `KAM_Signals`: names compare case-insensitively, as the reader's
 * duplicate check does) is kept, renamed `kam_tier (input)`, so the output has no two columns
 * of one name and reads back.
 */
export function originalColumns(header: readonly string[]): OriginalColumns {
  const kamFile = isKamHeader(header);
  const kept: number[] = [];
  const names: string[] = [];
  const replaced: string[] = [];
  const renamed: { from: string; to: string }[] = [];
  const taken = new Set(header.map((h) => h.trim().toLowerCase()));
  header.forEach((h, i) => {
    if (kamFile && KAM_OWN.has(h.trim())) {
      replaced.push(h);
      return;
    }
    kept.push(i);
    if (!KAM_OWN_LOWER.has(h.trim().toLowerCase())) {
      names.push(h);
      return;
    }
    let to = `${h.trim()} (input)`;
    for (let k = 2; taken.has(to.toLowerCase()); k++) to = `${h.trim()} (input ${k})`;
    taken.add(to.toLowerCase());
    names.push(to);
    renamed.push({ from: h, to });
  });
  return { kept, names, replaced, renamed };
}

/**
 * The original column indices to write back (see originalColumns); undefined when every
 * column is kept.
 */
export function keptColumns(header: readonly string[]): readonly number[] | undefined {
  const { kept } = originalColumns(header);
  return kept.length === header.length ? undefined : kept;
}

/** The original headers as they are written back (see originalColumns). */
export function originalHeader(table: RawTable): string[] {
  return [...originalColumns(table.header).names];
}

/** The enriched header: original columns, then kam's (plus kam_shortlist when asked, then the optional columns), then the run stamp. */
export function enrichedHeader(table: RawTable, withShortlist: boolean, stamp?: RunStamp, extra: readonly string[] = []): string[] {
  return [...originalHeader(table), ...KAM_COLUMNS, ...(withShortlist ? ['kam_shortlist'] : []), ...extra, ...stampHeader(stamp)];
}

/**
 * The dialect of the CSV kam writes for this input: its delimiter, line ending and decimal
 * separator, and a BOM when it had one or was not UTF-8 (so Excel shows its accents).
 */
export function dialectOf(table: RawTable, decimal: '.' | ','): CsvDialect {
  return {
    delimiter: table.delimiter,
    lineEnding: table.lineEnding,
    bom: table.hadBom || !table.encoding.startsWith('utf-8'),
    decimal,
  };
}

/** kam's values as text cells, in KAM_COLUMNS order (then kam_shortlist, then the run stamp), numbers with the dialect's decimal separator. */
export function kamCells(k: KamValues, withShortlist: boolean, stamp?: RunStamp, decimal: '.' | ',' = '.'): string[] {
  const f = (x: KamNumber): string => fixed2(x, decimal);
  const cells = [
    k.rank === undefined ? '' : String(k.rank),
    f(k.score),
    k.tier,
    ...k.criteria.map(f),
    f(k.current),
    f(k.attractiveness),
    f(k.coverage),
    k.signals.join(';'),
    k.errors,
  ];
  if (withShortlist) cells.push(k.shortlist ? 'yes' : 'no');
  cells.push(...k.extra);
  cells.push(...stampCells(stamp));
  return cells;
}

const round2 = (x: KamNumber): number | null => jsonNumber(x, 2);

/**
 * One row as a JSON object text, keys in column order. Built as text, not as an object,
 * so a header such as `__proto__` is an ordinary key.
 */
export function toJsonObject(header: readonly string[], row: EnrichedRow, withShortlist: boolean, stamp?: RunStamp, extra: readonly string[] = []): string {
  const parts: string[] = [];
  header.forEach((h, i) => parts.push(`${JSON.stringify(h)}:${JSON.stringify(row.original[i] ?? '')}`));
  const k = row.kam;
  const kv: [string, unknown][] = [
    ['kam_rank', k.rank ?? null],
    ['kam_score', round2(k.score)],
    ['kam_tier', k.tier],
    ...CRITERIA.map((c, i): [string, unknown] => [`kam_${c}`, round2(k.criteria[i])]),
    ['kam_current', round2(k.current)],
    ['kam_attractiveness', round2(k.attractiveness)],
    ['kam_coverage', round2(k.coverage)],
    ['kam_signals', k.signals],
    ['kam_errors', k.errors],
  ];
  if (withShortlist) kv.push(['kam_shortlist', k.shortlist === true]);
  extra.forEach((name, j) => kv.push([name, k.extra[j] ?? '']));
  const stampNames = stampHeader(stamp);
  stampCells(stamp).forEach((v, i) => kv.push([stampNames[i]!, v]));
  for (const [key, v] of kv) parts.push(`${JSON.stringify(key)}:${JSON.stringify(v)}`);
  return `{${parts.join(',')}}`;
}
