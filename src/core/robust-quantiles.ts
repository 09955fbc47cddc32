/**
 * Rank statistics over every weighting, exact: per account the 5%, 50% and 95% rank
 * quantiles (the ceil(qN)-th smallest rank) and the counts of its first ranks. Two ways to
 * count, with the same results: the rank store here (every rank kept, 2 bytes each, up to
 * 256 MB, counted per account at the end), and, when it does not fit, rank histograms with
 * windows around a pilot's estimate (robust-windows.ts).
 */

/** The quantiles reported per account. */
export const QUANTILES = [0.05, 0.5, 0.95] as const;

/** Which of N ranks, in ascending order, is the q quantile: the ceil(qN)-th smallest (at least the first). */
export function quantileTarget(q: number, N: number): number {
  return Math.max(1, Math.ceil(q * N - 1e-9));
}

/** The rank statistics of the weightings. */
export interface RankStats {
  /** n x 3: the QUANTILES of each account's ranks. */
  readonly rankQuantiles: Uint32Array;
  /** Weightings in which account i has rank r (1 <= r <= exactRanks); NaN beyond. */
  readonly rankCount: (i: number, r: number) => number;
}

/** Counts the ranks of the weightings one at a time. */
export interface RankCounter {
  /** The ranks of weighting s (`order`: the accounts in rank order); weightings come in order 0..N-1. */
  add(order: Uint32Array, s: number): void;
  /** The statistics once every weighting is added; `replay(s)` runs weighting s again and returns its order. */
  finish(replay: (s: number) => Uint32Array): RankStats;
}

/** The rank store's default budget: 256 MB holds the ranks of 10k accounts in 10,000 weightings (2 bytes each). */
export const RANK_STORE_BYTES = 1 << 28;
/** Accounts whose rank counts are gathered together from the rank store (32 ranks of 2 bytes: one cache line). */
const STORE_CHUNK = 32;

/** Rows of the rank store start on a multiple of STORE_CHUNK entries, so a chunk's ranks of one weighting are one cache line. */
function storeStride(n: number): number {
  return Math.ceil(n / STORE_CHUNK) * STORE_CHUNK;
}

/**
 * A counter that keeps one rank per account and weighting, weighting-major, when that fits
 * in `budget` bytes (else undefined): one row of n ranks per weighting; at the end, 32
 * accounts at a time, the rank counts of each account over all weightings, from which its
 * exact quantiles and first ranks are read.
 */
export function storedRanks(n: number, N: number, exactRanks: number, budget: number): RankCounter | undefined {
  if (n === 0 || N === 0) return undefined;
  const wide = n > 0xffff;
  const stride = storeStride(n);
  if (stride * N * (wide ? 4 : 2) > budget) return undefined;
  const store = wide ? new Uint32Array(stride * N) : new Uint16Array(stride * N);
  const row = wide ? new Uint32Array(n) : new Uint16Array(n);
  return {
    add: (order, s) => {
      storeRanks(order, row, store, s * stride);
    },
    finish: () => {
      const { rankQuantiles, firstRanks } = quantilesFromStore(store, n, N, exactRanks);
      return { rankQuantiles, rankCount: (i, r) => (r >= 1 && r <= exactRanks ? firstRanks[i * exactRanks + r - 1]! : Number.NaN) };
    },
  };
}

/** Row `base` of the rank store: the 1-based rank of each account, scattered in `row` (small, cached), then copied in one go. */
function storeRanks(order: Uint32Array, row: Uint16Array | Uint32Array, store: Uint16Array | Uint32Array, base: number): void {
  const n = order.length;
  for (let k = 0; k < n; k++) row[order[k]!] = k + 1;
  store.set(row, base);
}

/**
 * Per account, from the rank store: the QUANTILES of its ranks and the counts of ranks
 * 1..exactRanks (account-major).
 */
function quantilesFromStore(
  store: Uint16Array | Uint32Array,
  n: number,
  N: number,
  exactRanks: number,
): { rankQuantiles: Uint32Array; firstRanks: Uint32Array } {
  const rankQuantiles = new Uint32Array(n * 3);
  const firstRanks = new Uint32Array(n * exactRanks);
  const targets = QUANTILES.map((q) => quantileTarget(q, N));
  const width = n + 1;
  const stride = storeStride(n);
  const counts = new Uint32Array(STORE_CHUNK * width);
  for (let from = 0; from < n; from += STORE_CHUNK) {
    const c = Math.min(STORE_CHUNK, n - from);
    counts.fill(0, 0, c * width);
    for (let s = 0; s < N; s++) {
      const row = s * stride + from;
      for (let x = 0; x < c; x++) counts[x * width + store[row + x]!]!++;
    }
    for (let x = 0; x < c; x++) {
      const i = from + x;
      const at = x * width;
      for (let r = 1; r <= exactRanks; r++) firstRanks[i * exactRanks + r - 1] = counts[at + r]!;
      let cum = 0;
      let qi = 0;
      for (let r = 1; r <= n && qi < 3; r++) {
        cum += counts[at + r]!;
        while (qi < 3 && cum >= targets[qi]!) rankQuantiles[i * 3 + qi++] = r;
      }
    }
  }
  return { rankQuantiles, firstRanks };
}
