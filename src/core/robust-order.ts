/**
 * The rank order of one weighting (SCORING.md §2, §4) without a comparison sort: rated, then
 * the fixed tiers, then Unrated; score descending; then id by code point. Each account gets a
 * 22-bit key (rankKey) in id position, and an LSD radix sort of two 11-bit digits orders them;
 * only runs of equal keys (scores within 2e-4 points) are re-sorted on the exact score.
 * Nothing is allocated per weighting.
 */
import { TIER_INDEX } from './types.ts';

/** Rank groups of SCORING.md §4: rated tiers, then the fixed non-rated tiers in TIERS order, then Unrated. */
function rankGroup(tier: number): number {
  return tier === TIER_INDEX.Unrated ? 2 : tier > TIER_INDEX.Monitor ? 1 : 0;
}

/** An account's rank key: its group (scored before unscored within it) above 100 - score in 2^19 steps. */
export function rankKey(tier: number, score: number): number {
  const scored = score === score; // not NaN
  const group = rankGroup(tier) * 2 + (scored ? 0 : 1);
  // Monotone in the score, so distinct scores never swap: at worst they share a key.
  const q = scored ? Math.min(Math.floor((100 - (score < 0 ? 0 : score > 100 ? 100 : score)) * 5242.88), 524287) : 0;
  return (group << 19) | q;
}

/** The radix sort's buffers, allocated once per model. */
export class RankSorter {
  /** The rank key of each account in id position; the model writes them per weighting. */
  readonly keys: Uint32Array;
  /** Counts of the low (0..2047) and high (2048..4095) 11-bit digits of the keys; the model counts them as it writes them. */
  readonly count = new Uint32Array(4096);
  private readonly keysSpare: Uint32Array;
  private readonly spare: Uint32Array;

  constructor(n: number) {
    this.keys = new Uint32Array(n);
    this.keysSpare = new Uint32Array(n);
    this.spare = new Uint32Array(n);
  }

  /**
   * Writes into `order` the accounts in rank order, from the keys and digit counts of the last
   * weighting (which it consumes). `atPos` is the account at each id position, `idPos` its
   * inverse: the radix sort is stable, so equal keys stay in id order.
   */
  sort(atPos: Uint32Array, idPos: Uint32Array, score: Float64Array, order: Uint32Array): void {
    const { count } = this;
    const n = order.length;
    let keys = this.keys;
    let keysNext = this.keysSpare;
    let idx: Uint32Array = atPos;
    let idxNext = this.spare;
    for (let digit = 0; digit < 2; digit++) {
      const shift = digit * 11;
      const base = digit * 2048;
      let sum = 0;
      for (let d = base; d < base + 2048; d++) {
        const c = count[d]!;
        count[d] = sum;
        sum += c;
      }
      for (let k = 0; k < n; k++) {
        const key = keys[k]!;
        const at = count[base + ((key >>> shift) & 2047)]!++;
        keysNext[at] = key;
        idxNext[at] = idx[k]!;
      }
      const tk = keys;
      keys = keysNext;
      keysNext = tk;
      idx = idxNext;
      idxNext = order;
    }
    // Two passes: the result is back in `order` (idx), the keys in this.keys.
    let start = 0;
    while (start < n) {
      const key = keys[start]!;
      let end = start + 1;
      while (end < n && keys[end] === key) end++;
      if (end - start > 1) sortRun(order, score, idPos, start, end);
      start = end;
    }
  }
}

/** Insertion sort of order[from, to) by exact score (descending), then id position: the runs are short. */
function sortRun(order: Uint32Array, score: Float64Array, idPos: Uint32Array, from: number, to: number): void {
  for (let k = from + 1; k < to; k++) {
    const i = order[k]!;
    const s = score[i]!;
    let j = k - 1;
    while (j >= from) {
      const o = order[j]!;
      const x = score[o]!;
      // o stays before i when it has the higher score, or the same (or none) and an earlier id.
      if (x > s || ((x === s || (x !== x && s !== s)) && idPos[o]! < idPos[i]!)) break;
      order[j + 1] = o;
      j--;
    }
    order[j + 1] = i;
  }
}
