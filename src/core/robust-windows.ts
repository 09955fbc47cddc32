/**
 * Exact rank quantiles without keeping every rank (robust-quantiles.ts, when the rank store
 * does not fit): per account a histogram of its ranks, one bin per rank up to exactRanks,
 * then blocks of about sqrt(n) ranks. A quantile in a block needs the ranks inside it: a pilot
 * of the first P weightings says where each quantile lies, give or take six standard errors;
 * from then on the ranks in that window (plus a block each side) are counted one by one, and
 * the pilot is replayed for them at the end. A quantile outside its window is refined by one
 * more pass over all weightings (rare by construction; also taken when the windows would need
 * more than WINDOW_BUDGET counters), counting the ranks of its block the same way.
 */
import { QUANTILES, quantileTarget, type RankCounter, type RankStats } from './robust-quantiles.ts';

/** At most this many rank counters (128 MB) for the quantile windows. */
const WINDOW_BUDGET = 1 << 25;

/** Per account and quantile (x = 3i + qi): ranks start..start+length-1 counted one by one, from counts[offset]. */
interface Windows {
  /** First rank of the window; -1 for none. */
  readonly start: Int32Array;
  readonly length: Uint32Array;
  readonly offset: Float64Array;
  readonly counts: Uint32Array;
}

function newWindows(n: number): { start: Int32Array; length: Uint32Array; offset: Float64Array } {
  return { start: new Int32Array(n * 3).fill(-1), length: new Uint32Array(n * 3), offset: new Float64Array(n * 3) };
}

/** A counter of rank histograms and windows for n accounts, N weightings. */
export function windowedRanks(n: number, N: number, exactRanks: number): RankCounter {
  return new WindowedRanks(n, N, exactRanks);
}

class WindowedRanks implements RankCounter {
  private readonly block: number;
  private readonly bins: number;
  /** Bin-major: consecutive ranks hit the same row of n counts. */
  private readonly hist: Uint32Array;
  /** Rank r (1-based) -> its histogram bin. */
  private readonly binOfRank: Uint32Array;
  /** The pilot's weightings. */
  private readonly P: number;
  private windows: Windows | undefined;

  constructor(
    private readonly n: number,
    private readonly N: number,
    private readonly exactRanks: number,
  ) {
    this.block = Math.max(1, Math.ceil(Math.sqrt(n)));
    this.bins = exactRanks + Math.ceil((n - exactRanks) / this.block);
    this.hist = new Uint32Array(n * this.bins);
    this.binOfRank = new Uint32Array(n + 1);
    for (let r = 1; r <= n; r++) this.binOfRank[r] = r <= exactRanks ? r - 1 : exactRanks + Math.floor((r - exactRanks - 1) / this.block);
    this.P = N <= 2000 ? N : Math.max(2000, Math.ceil(N / 5));
  }

  add(order: Uint32Array, s: number): void {
    if (s === this.P && this.P < this.N) this.windows = this.openWindows();
    countRanks(order, this.hist, this.binOfRank);
    if (this.windows !== undefined) countWindows(order, this.windows, this.exactRanks);
  }

  finish(replay: (s: number) => Uint32Array): RankStats {
    const { n, N, exactRanks, hist, windows } = this;
    if (windows !== undefined) for (let s = 0; s < this.P; s++) countWindows(replay(s), windows, exactRanks);
    const rankQuantiles = new Uint32Array(n * 3);
    const pending = this.readQuantiles(rankQuantiles);
    if (pending !== undefined) {
      for (let s = 0; s < N; s++) countWindows(replay(s), pending.windows, exactRanks);
      for (let x = 0; x < n * 3; x++) {
        const start = pending.windows.start[x]!;
        if (start >= 0) rankQuantiles[x] = rankInWindow(pending.windows, x, start, Math.min(start + this.block, n + 1), pending.need[x]!);
      }
    }
    return { rankQuantiles, rankCount: (i, r) => (r >= 1 && r <= exactRanks ? hist[(r - 1) * n + i]! : Number.NaN) };
  }

  /** First rank of bin b (b >= exactRanks). */
  private blockStart(b: number): number {
    return this.exactRanks + (b - this.exactRanks) * this.block + 1;
  }

  /** The bin holding account i's target-th smallest rank, and the count below it. */
  private quantileBin(i: number, target: number): { bin: number; below: number } {
    const { n, bins, hist } = this;
    let cum = 0;
    for (let b = 0; b < bins; b++) {
      const c = hist[b * n + i]!;
      if (cum + c >= target) return { bin: b, below: cum };
      cum += c;
    }
    return { bin: bins - 1, below: cum };
  }

  /** The windows around the pilot's quantiles beyond the exact ranks; undefined when they would need more than WINDOW_BUDGET counters. */
  private openWindows(): Windows | undefined {
    const { n, P, exactRanks, bins, block } = this;
    const w = newWindows(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let qi = 0; qi < 3; qi++) {
        const q = QUANTILES[qi]!;
        const delta = 6 * Math.sqrt((q * (1 - q)) / P) + 2 / P;
        const high = this.quantileBin(i, Math.min(P, Math.ceil((q + delta) * P))).bin;
        if (high < exactRanks) continue;
        const low = this.quantileBin(i, Math.max(1, Math.floor((q - delta) * P))).bin;
        const x = i * 3 + qi;
        const start = this.blockStart(Math.max(exactRanks, low - 1));
        const end = Math.min(n + 1, this.blockStart(Math.min(bins - 1, high + 1)) + block);
        w.start[x] = start;
        w.length[x] = end - start;
        w.offset[x] = total;
        total += end - start;
      }
    }
    return total <= WINDOW_BUDGET ? { ...w, counts: new Uint32Array(total) } : undefined;
  }

  /**
   * Fills rankQuantiles from the histogram and the windows; returns the quantiles that need
   * another pass (a window over the block they lie in, and how many ranks into it), if any.
   */
  private readQuantiles(rankQuantiles: Uint32Array): { windows: Windows; need: Uint32Array } | undefined {
    const { n, N, exactRanks, block, windows } = this;
    const pending = newWindows(n);
    const need = new Uint32Array(n * 3);
    let total = 0;
    for (let i = 0; i < n && N > 0; i++) {
      for (let qi = 0; qi < 3; qi++) {
        const x = i * 3 + qi;
        const target = quantileTarget(QUANTILES[qi]!, N);
        const { bin, below } = this.quantileBin(i, target);
        if (bin < exactRanks) {
          rankQuantiles[x] = bin + 1;
          continue;
        }
        const start = this.blockStart(bin);
        const end = Math.min(start + block, n + 1);
        const w = windows?.start[x] ?? -1;
        if (windows !== undefined && w >= 0 && start >= w && end <= w + windows.length[x]!) {
          rankQuantiles[x] = rankInWindow(windows, x, start, end, target - below);
        } else {
          pending.start[x] = start;
          pending.length[x] = block;
          pending.offset[x] = total;
          need[x] = target - below;
          total += block;
        }
      }
    }
    return total > 0 ? { windows: { ...pending, counts: new Uint32Array(total) }, need } : undefined;
  }
}

/** One weighting's ranks into the histogram (bin-major). */
function countRanks(order: Uint32Array, hist: Uint32Array, binOfRank: Uint32Array): void {
  const n = order.length;
  for (let k = 0; k < n; k++) hist[binOfRank[k + 1]! * n + order[k]!]!++;
}

/** Counts the ranks from `from` + 1 on that fall in each account's windows. */
function countWindows(order: Uint32Array, w: Windows, from: number): void {
  const n = order.length;
  const { start: windowStart, length: windowLength, offset: windowOffset, counts } = w;
  for (let k = from; k < n; k++) {
    const i = order[k]!;
    const r = k + 1;
    for (let x = i * 3; x < i * 3 + 3; x++) {
      const start = windowStart[x]!;
      if (start >= 0 && r >= start && r < start + windowLength[x]!) counts[windowOffset[x]! + r - start]!++;
    }
  }
}

/** The rank in from..to-1 (inside window x) at which `need` ranks have been counted; 0 if none. */
function rankInWindow(w: Windows, x: number, from: number, to: number, need: number): number {
  const base = w.offset[x]! - w.start[x]!;
  let cum = 0;
  for (let r = from; r < to; r++) {
    cum += w.counts[base + r]!;
    if (cum >= need) return r;
  }
  return 0;
}
