/**
 * Column-level rules of an accounts table, after pass 1: the percent scale of each percent
 * column (SCORING.md §1), the rating scale of each rating column (§2), and what the header
 * annotations did to the values (one effect per column and annotation).
 */
import { inferRatingColumn, type InferredRatingScale, type RatingScale } from '../core/normalise.ts';
import type { RawTable } from '../io/read-table.ts';
import type { AccountField } from './fields.ts';
import { PERCENT_FIELDS, RATING_FIELDS, type AccountContext, type AccountStore, type RatingField } from './account-read.ts';
import type { SchemaNote } from './notes.ts';
import { resolvePercentColumn } from './values.ts';

/** One thing a header annotation set for its column, and whether it changed any value kam read. */
export interface AnnotationEffect {
  readonly field: AccountField;
  /** 0-based column index and the header as written. */
  readonly column: number;
  readonly header: string;
  readonly annotation: 'percent' | 'scale' | 'currency' | 'ratingScale' | 'ratingWords';
  /** What it set, in words: 'bare numbers are percents', 'values × 1000', 'amounts in EUR', 'scale 1..5', 'words H=100, M=50, L=0'. */
  readonly effect: string;
  /** True when a value reads differently than it would without the annotation (said on stderr once). */
  readonly changed: boolean;
}

/** The effects of one table's annotations, in the order they are found. */
export class AnnotationEffects {
  readonly list: AnnotationEffect[] = [];
  constructor(private readonly ctx: AccountContext) {}

  add(f: AccountField, annotation: AnnotationEffect['annotation'], effect: string, changed: boolean): void {
    const column = this.ctx.fi[f]!;
    this.list.push({ field: f, column, header: this.ctx.header[column]!, annotation, effect, changed });
  }
}

/** How each percent column reads bare numbers: as fractions (0.35) or percents (35). */
export type PercentScales = Partial<Record<AccountField, 'fraction' | 'percent'>>;

/**
 * A bare percent column read as percents (it has values above 1) can still hold a value
 * written as a fraction ('0.9' among '85', '90'): it reads as 0.9%, as SCORING.md says, but
 * the user is told, with the first such line, rather than left to find it in a score.
 */
function fractionLookingNote(ctx: AccountContext, table: RawTable, col: number, st: AccountStore, val: Float64Array, sign: Uint8Array): SchemaNote | undefined {
  const passed = st.passed;
  let count = 0;
  let firstRec = -1;
  let percentRec = -1;
  for (let r = 0; r < st.n; r++) {
    if (!passed[r] || sign[r] !== 0) continue;
    const v = val[r]!;
    if (Number.isNaN(v)) continue;
    if (percentRec < 0 && (v < -1 || v > 1)) percentRec = r;
    if (v > -1 && v < 1 && !Number.isInteger(v)) {
      if (firstRec < 0) firstRec = r;
      count++;
    }
  }
  if (firstRec < 0 || percentRec < 0) return undefined;
  const cell = (r: number) => ({ text: table.cellsOf(r)[col]!.trim(), line: table.lineOf(r), value: val[r]! });
  return { code: 'fraction_in_percent_column', header: ctx.header[col]!, percent: cell(percentRec), fraction: cell(firstRec), more: count - 1 };
}

/** The percent scale of each percent column: the header's '(%)', else what its bare values say (SCORING.md §1); and its notes. */
export function percentScales(
  ctx: AccountContext,
  table: RawTable,
  st: AccountStore,
  effects: AnnotationEffects,
): { readonly scales: PercentScales; readonly notes: readonly SchemaNote[] } {
  const scales: PercentScales = {};
  const notes: SchemaNote[] = [];
  for (const f of PERCENT_FIELDS) {
    if (ctx.fi[f] === undefined) continue;
    const bare: number[] = [];
    const val = st.pctValue[f];
    const sign = st.pctSign[f];
    for (let r = 0; r < st.n; r++) if (st.passed[r] && sign[r] === 0 && !Number.isNaN(val[r]!)) bare.push(val[r]!);
    const inferred = resolvePercentColumn(bare);
    if (ctx.annotationsOf(f).percent === true) {
      // The header says percent: 0.9 is 0.9%, whatever the other values are.
      scales[f] = 'percent';
      effects.add(f, 'percent', 'bare numbers are percents', inferred === 'fraction' && bare.length > 0);
      continue;
    }
    scales[f] = inferred;
    if (inferred === 'percent') {
      const note = fractionLookingNote(ctx, table, ctx.fi[f], st, val, sign);
      if (note !== undefined) notes.push(note);
    }
  }
  return { scales, notes };
}

/** The rating scale of each rating column, and the inferred scales that left a few values off (a single 7 among 1-5). */
export interface RatingScales {
  readonly scales: Partial<Record<RatingField, RatingScale>>;
  readonly apparent: Partial<Record<RatingField, InferredRatingScale>>;
}

/** Rating scales: the config's, else the header's '(1-5)', else inferred from the column (SCORING.md §2). */
export function ratingScales(
  ctx: AccountContext,
  st: AccountStore,
  given: Partial<Record<RatingField, RatingScale | undefined>> | undefined,
  wordsAdded: Partial<Record<RatingField, string>>,
  effects: AnnotationEffects,
): RatingScales {
  const scales: Partial<Record<RatingField, RatingScale>> = {};
  const apparent: Partial<Record<RatingField, InferredRatingScale>> = {};
  for (const f of RATING_FIELDS) {
    if (ctx.fi[f] === undefined) continue;
    const nums: number[] = [];
    const val = st.ratValue[f];
    const kind = st.ratKind[f];
    let words = 0;
    for (let r = 0; r < st.n; r++) {
      if (st.passed[r] && kind[r] === 1) nums.push(val[r]!);
      else if (st.passed[r] && kind[r] === 2) words++;
    }
    if (wordsAdded[f] !== undefined) effects.add(f, 'ratingWords', `words ${wordsAdded[f]}`, words > 0);
    const fixed = given?.[f];
    if (fixed) {
      scales[f] = fixed;
      continue;
    }
    const inferred = inferRatingColumn(nums);
    const fromHeader = ctx.annotationsOf(f).ratingScale;
    if (fromHeader !== undefined) {
      scales[f] = fromHeader;
      const changed = nums.length > 0 && (inferred.scale.min !== fromHeader.min || inferred.scale.max !== fromHeader.max);
      effects.add(f, 'ratingScale', `scale ${fromHeader.min}..${fromHeader.max}`, changed);
      continue;
    }
    scales[f] = inferred.scale;
    if (inferred.hasOutliers) apparent[f] = inferred;
  }
  return { scales, apparent };
}
