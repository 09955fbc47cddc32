/**
 * Normalisation of inputs to 0..100 (SCORING.md §2) and the weighted mean used at every
 * level of the model. Pure; works on typed arrays so a million accounts stay cheap.
 */

/**
 * Tolerance for comparing a derived 0..100 value (or a fraction) against a threshold:
 * a weighted mean that is 50 on paper can come out as 49.99999999999999 in floating point,
 * and the user, who sees "50.00", expects it to count as 50.
 */
export const THRESHOLD_EPSILON = 1e-9;

/** `value >= threshold`, counting a value within THRESHOLD_EPSILON below it as equal. */
export function atLeast(value: number, threshold: number): boolean {
  return value >= threshold - THRESHOLD_EPSILON;
}

/** `value < threshold`, counting a value within THRESHOLD_EPSILON below it as equal (so not below). */
export function below(value: number, threshold: number): boolean {
  return value < threshold - THRESHOLD_EPSILON;
}

/**
 * Midrank percentile of each present (non-NaN) value among the present values:
 * 100*(below + 0.5*equal)/n, where equal counts the account itself; one account alone -> 50;
 * NaN stays NaN. One radix sort, then one pass over the runs of equal values.
 */
export function midrankPercentiles(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  const order = sortedIndices(values);
  const present = order.length;
  let start = 0;
  while (start < present) {
    const v = values[order[start]!]!;
    let end = start + 1;
    while (end < present && values[order[end]!] === v) end++;
    // below + 0.5*equal is a half-integer, exact in a double; one correctly rounded division.
    const p = (100 * (start + 0.5 * (end - start))) / present;
    for (let k = start; k < end; k++) out[order[k]!] = p;
    start = end;
  }
  return out;
}

/** Below this many values a comparison sort beats the radix sort's 65536-bucket passes. */
const RADIX_MIN = 2048;

/** Stable comparison sort of `origin` by `bits` (same positions); the small-input path of sortedIndices. */
function comparisonSort(bits: Float64Array, origin: Uint32Array): Uint32Array {
  const order = new Uint32Array(bits.length);
  for (let j = 0; j < order.length; j++) order[j] = j;
  order.sort((a, b) => {
    const x = bits[a]!;
    const y = bits[b]!;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  for (let j = 0; j < order.length; j++) order[j] = origin[order[j]!]!;
  return order;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Radix digits of 11 bits (2048 buckets fit in the first-level cache): three cover a 32-bit word. */
const DIGIT_BITS = 11;
const BUCKETS = 1 << DIGIT_BITS;
const DIGITS_PER_WORD = 3;

/**
 * A stable LSD radix sort of entries by a key of one or two 32-bit words (`words[0]` the least
 * significant), each entry's key words moved with its payload, so that every pass reads in
 * sequence (reading keys through an index cost a cache miss an element: 380 ms a sort at 1M
 * doubles, against 60 ms). Digits every entry shares are skipped, and a word stops moving once
 * its digits are done (the low word of a double rides along only for its own three passes).
 * Returns the payload and the most significant word, both in sorted order.
 */
export function radixSort(
  words: readonly [Uint32Array] | readonly [Uint32Array, Uint32Array],
  payload: Uint32Array,
): { top: Uint32Array; payload: Uint32Array } {
  const m = payload.length;
  const two = words.length === 2;
  let lo: Uint32Array = words[0];
  let hi: Uint32Array = two ? words[1] : lo;
  let p: Uint32Array = payload;
  let spareLo: Uint32Array = new Uint32Array(m);
  let spareHi: Uint32Array = two ? new Uint32Array(m) : spareLo;
  let spare: Uint32Array = new Uint32Array(m);
  const counts = digitCounts(words);
  for (let d = 0; d < words.length * DIGITS_PER_WORD; d++) {
    const shift = (d % DIGITS_PER_WORD) * DIGIT_BITS;
    const base = d * BUCKETS;
    const onLo = d < DIGITS_PER_WORD;
    const key = onLo ? lo : hi;
    if (m === 0 || counts[base + ((key[0]! >>> shift) & MASK)] === m) continue; // one digit only: nothing moves
    let sum = 0;
    for (let b = base; b < base + BUCKETS; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    if (onLo && two) {
      // A low-word pass of a two-word key: both words move.
      for (let j = 0; j < m; j++) {
        const x = lo[j]!;
        const to = counts[base + ((x >>> shift) & MASK)]!++;
        spareLo[to] = x;
        spareHi[to] = hi[j]!;
        spare[to] = p[j]!;
      }
      [lo, spareLo, hi, spareHi] = [spareLo, lo, spareHi, hi];
    } else {
      // The key's last word: only it and the payload move.
      for (let j = 0; j < m; j++) {
        const x = key[j]!;
        const to = counts[base + ((x >>> shift) & MASK)]!++;
        spareHi[to] = x;
        spare[to] = p[j]!;
      }
      [hi, spareHi] = [spareHi, hi];
      if (!two) [lo, spareLo] = [hi, spareHi];
    }
    [p, spare] = [spare, p];
  }
  return { top: hi, payload: p };
}

const MASK = BUCKETS - 1;

/** The counts of every digit value of every word, in one pass. */
function digitCounts(words: readonly Uint32Array[]): Uint32Array {
  const counts = new Uint32Array(words.length * DIGITS_PER_WORD * BUCKETS);
  words.forEach((word, w) => {
    const at = w * DIGITS_PER_WORD * BUCKETS;
    for (let j = 0; j < word.length; j++) {
      const x = word[j]!;
      counts[at + (x & MASK)]!++;
      counts[at + BUCKETS + ((x >>> DIGIT_BITS) & MASK)]!++;
      counts[at + 2 * BUCKETS + ((x >>> (2 * DIGIT_BITS)) & MASK)]!++;
    }
  });
  return counts;
}

/**
 * Indices of the present (non-NaN) values in ascending order; stable (equal values keep
 * index order), -0 equals 0. A radix sort on the IEEE-754 bits (O(n), no comparator); a
 * comparison sort for small inputs.
 */
export function sortedIndices(values: Float64Array): Uint32Array {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) m++;
  const index = new Uint32Array(m);
  const bits = new Float64Array(m);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    index[k] = i;
    bits[k++] = v + 0; // -0 + 0 is +0
  }
  if (m < RADIX_MIN) return comparisonSort(bits, index);
  const [hi, lo] = sortKeys(bits);
  // By the high word first (sign, exponent and 20 bits of mantissa: nearly every value apart),
  // then each run of equal high words by the low word: a third of the moves of a 64-bit sort.
  const position = new Uint32Array(m);
  for (let j = 0; j < m; j++) position[j] = j;
  const byHigh = radixSort([hi], position);
  const top = byHigh.top;
  const order = byHigh.payload;
  for (let a = 0; a < m;) {
    let b = a + 1;
    while (b < m && top[b] === top[a]) b++;
    if (b - a > 1) sortRunByLow(order, a, b, lo);
    a = b;
  }
  for (let j = 0; j < m; j++) order[j] = index[order[j]!]!;
  return order;
}

/** Runs up to this long are insertion-sorted; longer ones radix-sorted (a run of distinct low words can be the whole input). */
const INSERTION_MAX = 48;

/** Sorts positions order[a, b) (ascending, one high word) by low word, stably. */
function sortRunByLow(order: Uint32Array, a: number, b: number, lo: Uint32Array): void {
  if (b - a <= INSERTION_MAX) {
    for (let i = a + 1; i < b; i++) {
      const p = order[i]!;
      const key = lo[p]!;
      let j = i - 1;
      while (j >= a && lo[order[j]!]! > key) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = p;
    }
    return;
  }
  const run = order.subarray(a, b);
  const keys = new Uint32Array(b - a);
  let sorted = true;
  for (let k = 0; k < keys.length; k++) {
    keys[k] = lo[run[k]!]!;
    if (k > 0 && keys[k]! < keys[k - 1]!) sorted = false;
  }
  if (!sorted) run.set(radixSort([keys], run.slice()).payload);
}

/** Each double's bits as an unsigned key in the same order (negatives inverted, positives above them), high and low words. */
function sortKeys(bits: Float64Array): [Uint32Array, Uint32Array] {
  const m = bits.length;
  const words = new Uint32Array(bits.buffer, bits.byteOffset, m * 2);
  const hiAt = LITTLE_ENDIAN ? 1 : 0;
  const loAt = 1 - hiAt;
  const hi = new Uint32Array(m);
  const lo = new Uint32Array(m);
  for (let j = 0; j < m; j++) {
    const h = words[2 * j + hiAt]!;
    const l = words[2 * j + loAt]!;
    if (h & 0x80000000) {
      hi[j] = ~h >>> 0;
      lo[j] = ~l >>> 0;
    } else {
      hi[j] = (h | 0x80000000) >>> 0;
      lo[j] = l;
    }
  }
  return [hi, lo];
}

/** A rating scale, e.g. 1..5; a rating maps linearly onto 0..100 over it. */
export interface RatingScale {
  readonly min: number;
  readonly max: number;
}

/** A rating column's inferred scale, and how many of its values lie on it. */
export interface InferredRatingScale {
  readonly scale: RatingScale;
  /** Values (NaN aside) that lie on `scale`; the others are row issues. */
  readonly within: number;
  readonly total: number;
  /** True when a few values beyond a smaller scale were left off it rather than widening it. */
  readonly hasOutliers: boolean;
}

/**
 * SCORING §2: all values within 0..5 -> max 5, else all within 0..10 -> max 10, else 0..100;
 * min is 1 for the 5- and 10-point scales unless some value is below 1, then 0. One value
 * beyond the scale the rest of the column shows (a single 7 among 1-5) does not rescale the
 * column silently: when at least MIN_ON_SCALE (10) values lie within the smaller scale and at most
 * max(1, 5%) lie beyond it, the smaller scale stands and the
 * few are outside it (row issues naming the scale; the config's `ratings.scales` settles a
 * real 10-point column). NaN (missing) values are ignored. Empty -> {min:1,max:5}.
 */
/**
 * How many values must lie on the smaller scale before one beyond it is an outlier rather
 * than the column's real scale: a uniform 1-10 column of 11 values has all but one within
 * 1-5 by chance 0.5% of the time (11 / 2^11); of 5 values, 16%.
 */
const MIN_ON_SCALE = 10;

export function inferRatingColumn(values: Iterable<number>): InferredRatingScale {
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  let total = 0;
  let upTo5 = 0;
  let upTo10 = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    total++;
    if (v < lowest) lowest = v;
    if (v > highest) highest = v;
    if (v <= 5) upTo5++;
    if (v <= 10) upTo10++;
  }
  if (total === 0) return { scale: { min: 1, max: 5 }, within: 0, total: 0, hasOutliers: false };
  const min = lowest < 1 ? 0 : 1;
  const few = (beyond: number): boolean => beyond > 0 && beyond <= Math.max(1, Math.floor(total * 0.05));
  if (lowest >= 0) {
    if (highest <= 5) return { scale: { min, max: 5 }, within: total, total, hasOutliers: false };
    if (upTo5 >= MIN_ON_SCALE && few(total - upTo5)) return { scale: { min, max: 5 }, within: upTo5, total, hasOutliers: true };
    if (highest <= 10) return { scale: { min, max: 10 }, within: total, total, hasOutliers: false };
    if (upTo10 >= MIN_ON_SCALE && few(total - upTo10)) return { scale: { min, max: 10 }, within: upTo10, total, hasOutliers: true };
  }
  // 0..100: a value outside it is a row issue of the caller's range check, as ever.
  return { scale: { min: 0, max: 100 }, within: total, total, hasOutliers: false };
}

/** The scale of `inferRatingColumn`. */
export function inferRatingScale(values: Iterable<number>): RatingScale {
  return inferRatingColumn(values).scale;
}

/** 100*(x-min)/(max-min); undefined when x is outside the scale or not a number (the caller makes that a row issue). */
export function normaliseRating(x: number, scale: RatingScale): number | undefined {
  const { min, max } = scale;
  if (!(max > min) || !(x >= min && x <= max)) return undefined;
  return (100 * (x - min)) / (max - min);
}

/**
 * Weighted mean over present (non-NaN) parts, weights renormalised over what is present;
 * NaN when none present or total weight 0. The result is clamped to the range of the
 * weighted parts, so equal parts give exactly that value (50 and 50 -> 50, never 49.99…).
 */
export function weightedMean(values: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  let total = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const k = Math.min(values.length, weights.length);
  for (let j = 0; j < k; j++) {
    const v = values[j]!;
    const w = weights[j]!;
    if (Number.isNaN(v) || !(w > 0)) continue;
    sum += w * v;
    total += w;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return total > 0 ? clamp(sum / total, lo, hi) : Number.NaN;
}

/**
 * Row-wise weighted mean of columns: out[i] = weightedMean(columns[*][i], weights), without
 * allocating per row. Columns must all have length n.
 */
export function weightedMeanColumns(columns: readonly Float64Array[], weights: readonly number[], n: number): Float64Array {
  const out = new Float64Array(n);
  const k = Math.min(columns.length, weights.length);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let total = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) {
      const v = columns[j]![i]!;
      const w = weights[j]!;
      if (Number.isNaN(v) || !(w > 0)) continue;
      sum += w * v;
      total += w;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    out[i] = total > 0 ? clamp(sum / total, lo, hi) : Number.NaN;
  }
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
