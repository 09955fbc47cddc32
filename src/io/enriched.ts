import { CRITERIA, TIERS, type ScoreResult } from '../core/types.ts';
import type { RawTable } from './read-table.ts';
import type { RejectedRow } from '../schema/account.ts';

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

export type KamNumber = number | undefined;

/** kam's values for one row; numbers unrounded (renderers round). */
export interface KamValues {
  readonly rank: KamNumber;
  readonly score: KamNumber;
  readonly tier: string;
  readonly criteria: readonly KamNumber[]; // in CRITERIA order
  readonly current: KamNumber;
  readonly attractiveness: KamNumber;
  readonly coverage: KamNumber;
  readonly signals: readonly string[];
  readonly errors: string;
  readonly shortlist: boolean | undefined;
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
}

/** Why a row was rejected, in one cell: `line 7: revenue: 'abc' is not an amount; ...`. */
export function formatRowErrors(rejected: RejectedRow): string {
  return rejected.issues.map((i) => `${i.column}: ${i.message}`).join('; ');
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
  let emitted = 0;
  for (let k = 0; k < result.n; k++) {
    const i = result.order[k]!;
    const tier = TIERS[result.tier[i]!]!;
    if (options.tiers && !options.tiers.has(tier)) continue;
    if (options.top !== undefined && emitted >= options.top) break;
    emitted++;
    const rec = table.records[recordIndex[i]!]!;
    yield {
      account: i,
      line: rec.line,
      original: pad(rec.cells),
      kam: {
        rank: result.rank[i]!,
        score: num(result.score[i]!),
        tier,
        criteria: CRITERIA.map((c) => num(result.criteria[c][i]!)),
        current: num(result.current[i]!),
        attractiveness: num(result.attractiveness[i]!),
        coverage: num(result.coverage[i]!),
        signals: result.signals[i]!,
        errors: '',
        shortlist: options.shortlist ? options.shortlist.has(i) : undefined,
      },
    };
  }
  if (options.withRejected === false) return;
  for (const r of rejected) {
    const rec = table.records[r.recordIndex]!;
    const extra = rec.cells.length > width ? ` (extra fields: ${rec.cells.slice(width).map((c) => JSON.stringify(c)).join(', ')})` : '';
    yield {
      account: -1,
      line: rec.line,
      original: pad(rec.cells),
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
      },
    };
  }
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
export function stampHeader(stamp: RunStamp | undefined): string[] {
  if (stamp === undefined) return [];
  return [...(stamp.asOf === undefined ? [] : ['kam_as_of']), 'kam_model'];
}

/** The stamp's cells, in stampHeader order. */
export function stampCells(stamp: RunStamp | undefined): string[] {
  if (stamp === undefined) return [];
  return [...(stamp.asOf === undefined ? [] : [stamp.asOf]), stamp.model];
}

const KAM_OWN = new Set<string>([...KAM_COLUMNS, 'kam_shortlist', 'kam_as_of', 'kam_model']);

/**
 * The original columns to write back: all of them, except the kam_ columns of an earlier
 * run (scoring a file kam enriched replaces its kam_ columns instead of repeating them).
 * Undefined when every column is kept.
 */
export function keptColumns(header: readonly string[]): number[] | undefined {
  if (!header.some((h) => KAM_OWN.has(h))) return undefined;
  return header.flatMap((h, i) => (KAM_OWN.has(h) ? [] : [i]));
}

/** The original headers that are written back (see keptColumns). */
export function originalHeader(table: RawTable): string[] {
  const kept = keptColumns(table.header);
  return kept === undefined ? [...table.header] : kept.map((i) => table.header[i]!);
}

/** The enriched header: original columns, then kam's (plus kam_shortlist when asked), then the run stamp. */
export function enrichedHeader(table: RawTable, withShortlist: boolean, stamp?: RunStamp): string[] {
  return [...originalHeader(table), ...KAM_COLUMNS, ...(withShortlist ? ['kam_shortlist'] : []), ...stampHeader(stamp)];
}

/** Two decimals, the way every output writes numbers ('' when missing). */
export function fixed2(x: KamNumber): string {
  if (x === undefined) return '';
  // Integer arithmetic: the same text as (Math.round(x * 100) / 100).toFixed(2), several times faster.
  const v = Math.round(x * 100);
  const a = v < 0 ? -v : v;
  const whole = Math.floor(a / 100);
  const cents = a - whole * 100;
  return `${v < 0 ? '-' : ''}${whole}${cents < 10 ? '.0' : '.'}${cents}`;
}

/** kam's values as text cells, in KAM_COLUMNS order (then kam_shortlist, then the run stamp). */
export function kamCells(k: KamValues, withShortlist: boolean, stamp?: RunStamp): string[] {
  const cells = [
    k.rank === undefined ? '' : String(k.rank),
    fixed2(k.score),
    k.tier,
    ...k.criteria.map(fixed2),
    fixed2(k.current),
    fixed2(k.attractiveness),
    fixed2(k.coverage),
    k.signals.join(';'),
    k.errors,
  ];
  if (withShortlist) cells.push(k.shortlist ? 'yes' : 'no');
  cells.push(...stampCells(stamp));
  return cells;
}

const round2 = (x: KamNumber): number | null => (x === undefined ? null : Math.round(x * 100) / 100 + 0);

/**
 * One row as a JSON object text, keys in column order. Built as text, not as an object,
 * so a header such as `__proto__` is an ordinary key.
 */
export function toJsonObject(header: readonly string[], row: EnrichedRow, withShortlist: boolean, stamp?: RunStamp): string {
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
  const stampNames = stampHeader(stamp);
  stampCells(stamp).forEach((v, i) => kv.push([stampNames[i]!, v]));
  for (const [key, v] of kv) parts.push(`${JSON.stringify(key)}:${JSON.stringify(v)}`);
  return `{${parts.join(',')}}`;
}
