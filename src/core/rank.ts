/**
 * Ranking (SCORING.md §2, §4): rated tiers, then Gated, then Unrated; within each group score
 * descending (unrounded, NaN last), then account_id ascending by code point. Total and deterministic, so the same
 * input always gives the same bytes whatever the input order.
 */
import { sortedIndices } from './normalise.ts';
import { TIER_INDEX, type TextColumn } from './types.ts';

const UNRATED = TIER_INDEX.Unrated;
const GATED = TIER_INDEX.Gated;

/**
 * Compares strings by Unicode code point (not UTF-16 code unit, not locale): 'B' < 'a',
 * 'Z' < 'é', '\uFFFD' < '😀'. Negative, zero or positive like a sort comparator.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const len = Math.min(a.length, b.length);
  for (let k = 0; k < len; k++) {
    const x = a.charCodeAt(k);
    const y = b.charCodeAt(k);
    if (x !== y) return codePointOrderKey(x) - codePointOrderKey(y);
  }
  return a.length - b.length;
}

/**
 * Code-unit order equals code-point order except that surrogates (U+D800..DFFF, which
 * encode U+10000 and up) must sort after U+E000..FFFF. Shifting those two bands fixes it.
 */
export function codePointOrderKey(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * Rank order of the accounts. Returns `order` (account indices, order[0] is rank 1) and
 * `rank` (1-based rank of each account index), ranks 1..n with no gaps. `tier` holds
 * indices into TIERS. O(n) radix sort on the score; only runs of equal scores are sorted by
 * id with a comparator.
 */
export function rankAccounts(score: Float64Array, tier: Uint8Array, ids: TextColumn): { order: Uint32Array; rank: Uint32Array } {
  const n = score.length;
  // Six classes in rank order: rated with a score, rated without, Gated with and without, Unrated
  // with and without. One pass puts every account in its class, in index order.
  const classes = new Uint8Array(n);
  const sizes = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const c = (tier[i] === UNRATED ? 4 : tier[i] === GATED ? 2 : 0) + (Number.isNaN(score[i]!) ? 1 : 0);
    classes[i] = c;
    sizes[c]!++;
  }
  const byClass = new Uint32Array(n);
  const starts = [0, 0, 0, 0, 0, 0];
  for (let c = 1; c < sizes.length; c++) starts[c] = starts[c - 1]! + sizes[c - 1]!;
  const fill = [...starts];
  for (let i = 0; i < n; i++) byClass[fill[classes[i]!]!++] = i;
  const order = new Uint32Array(n);
  let offset = 0;
  for (let c = 0; c < sizes.length; c++) {
    const size = sizes[c]!;
    const members = byClass.subarray(starts[c], starts[c]! + size);
    const keys = new Float64Array(size);
    // Descending score; the no-score classes all share key 0.
    if (c % 2 === 0) for (let k = 0; k < size; k++) keys[k] = -score[members[k]!]!;
    const sorted = sortedIndices(keys);
    for (let j = 0; j < size; j++) order[offset + j] = members[sorted[j]!]!;
    sortTiesById(order, offset, offset + size, keys, sorted, ids);
    offset += size;
  }
  const rank = new Uint32Array(n);
  for (let k = 0; k < n; k++) rank[order[k]!] = k + 1;
  return { order, rank };
}

/** Sorts each run of equal keys inside order[from, to) by id (code point), then index. */
function sortTiesById(order: Uint32Array, from: number, to: number, keys: Float64Array, sorted: Uint32Array, ids: TextColumn): void {
  const byId = (a: number, b: number): number => ids.compare(a, b) || a - b;
  let start = from;
  while (start < to) {
    const key = keys[sorted[start - from]!]!;
    let end = start + 1;
    while (end < to && keys[sorted[end - from]!] === key) end++;
    if (end - start > 1) order.subarray(start, end).sort(byId);
    start = end;
  }
}
