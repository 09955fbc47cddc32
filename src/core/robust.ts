/**
 * Robustness of the picks to the criterion weights (SCORING.md §5): SMAA, stochastic
 * multicriteria acceptability analysis (Lahdelma & Salminen 2001; Tervonen & Figueira 2008).
 * For each weight scenario the whole model runs again on the accounts' criteria (which do not
 * depend on the weights): renormalisation over the present criteria, coverage, both axes,
 * tiers, rank, shortlist. Per account it counts how often it is on the shortlist, within the
 * top k, in each tier, its rank distribution and the mean weights that shortlist it; exact
 * tags come from dominance; stability intervals from the crossing points of the scores.
 *
 * Pure and columnar: one scenario is one fused pass over typed arrays (scores, tiers and the
 * rank keys with their digit counts) plus two radix passes; nothing is allocated per scenario.
 * The ranks of every scenario are kept (2 bytes each, up to 256 MB) and counted per account
 * at the end, so the rank quantiles are exact in one pass over the scenarios.
 */
import { below, THRESHOLD_EPSILON } from './normalise.ts';
import { sampleDirichlet, seededRng } from './random.ts';
import { compareCodePoints } from './rank.ts';
import { CRITERIA, TIER_INDEX, TIERS, type Criterion, type ModelConfig } from './types.ts';

const K = CRITERIA.length;
/** Criterion positions (CRITERIA order) of the two matrix axes. */
const CURRENT_AXIS = [CRITERIA.indexOf('volume'), CRITERIA.indexOf('ltv')] as const;
const ATTRACTIVENESS_AXIS = [CRITERIA.indexOf('potential'), CRITERIA.indexOf('fit'), CRITERIA.indexOf('strategic')] as const;
// ScenarioModel.evaluate spells these positions out (0 volume, 1 potential, 2 ltv, 3 fit, 4 strategic).
if (CURRENT_AXIS.join() !== '0,2' || ATTRACTIVENESS_AXIS.join() !== '1,3,4') throw new Error('robust.ts: CRITERIA order changed');
/** The matrix tier by (attractiveness below the cut) * 2 + (current below the cut). */
const MATRIX_TIER = Uint8Array.from([TIER_INDEX.Key, TIER_INDEX.Develop, TIER_INDEX.Maintain, TIER_INDEX.Monitor]);
/** fixedTier value of an account the model places. */
export const NO_FIXED_TIER = 255;
const { Key: KEY, Develop: DEVELOP, Maintain: MAINTAIN, Monitor: MONITOR, Unrated: UNRATED } = TIER_INDEX;

/** The accounts as the scenarios see them: criteria do not depend on the weights. */
export interface RobustInput {
  readonly n: number;
  /** Unique ids: the rank's last tie-breaker. */
  readonly ids: readonly string[];
  /** Criterion values 0..100, NaN when missing (ScoreResult.criteria, or the kam_ columns of an enriched file). */
  readonly criteria: Readonly<Record<Criterion, Float64Array>>;
  /**
   * A tier (index into TIERS) the weights cannot change, e.g. Gated; NO_FIXED_TIER (255) for
   * the accounts the model places. Undefined when no account has one.
   */
  readonly fixedTier?: Uint8Array | undefined;
}

/** What a scenario is judged on. */
export interface RobustOptions {
  /** tierCut and minCoverage are used; the weights come from the scenarios. */
  readonly model: ModelConfig;
  /** Shortlist capacity (the n best Key/Develop accounts); undefined: the Key tier. */
  readonly shortlist: number | undefined;
  /** k of the top-k acceptability. */
  readonly top: number;
  /**
   * Bytes the ranks of every weighting may take (default 256 MB); beyond it the rank
   * quantiles are counted in windows around a pilot's estimate instead (same results).
   */
  readonly rankStoreBytes?: number | undefined;
}

/** Per-account results, indexed like the input. Counts out of `scenarios`. */
export interface RobustResult {
  readonly n: number;
  readonly scenarios: number;
  readonly top: number;
  /** Scenarios in which the account is on the shortlist. */
  readonly shortlist: Uint32Array;
  /** Scenarios in which its rank is <= top. */
  readonly topK: Uint32Array;
  /** n x TIERS.length: scenarios per tier. */
  readonly tiers: Uint32Array;
  /** Ranks 1..exactRanks have exact counts: rankCount(i, r). */
  readonly exactRanks: number;
  /** n x 3: the 5%, 50% and 95% rank quantiles (the ceil(qN)-th smallest rank). */
  readonly rankQuantiles: Uint32Array;
  /** n x K: mean normalised weights of the scenarios that shortlist the account; NaN when none does. */
  readonly central: Float64Array;
  /** 1 `always` in the top k, 2 `never`, 0 neither: by dominance, without sampling. */
  readonly tags: Uint8Array;
  /** Scenarios in which account i has rank r (1 <= r <= exactRanks). */
  rankCount(i: number, r: number): number;
}

export const RobustTag = { None: 0, Always: 1, Never: 2 } as const;

/** Standard error of an acceptability A estimated from N scenarios: sqrt(A(1-A)/N). */
export function acceptabilityError(a: number, scenarios: number): number {
  return scenarios > 0 ? Math.sqrt((a * (1 - a)) / scenarios) : Number.NaN;
}

/**
 * One model, re-run per weight scenario into preallocated arrays. The arithmetic is that of
 * scoreAccounts (score.ts): the same sums in the same order, the same clamping, the same tier
 * rule and rank order, so a scenario equal to the configured weights gives the same bytes.
 */
class ScenarioModel {
  readonly n: number;
  readonly cols: Float64Array[];
  readonly presence: Uint8Array;
  readonly fixedTier: Uint8Array | undefined;
  /** Position of each account in id order (code point), and the account at each position. */
  readonly idPos: Uint32Array;
  readonly atPos: Uint32Array;
  readonly score: Float64Array;
  readonly tier: Uint8Array;
  readonly order: Uint32Array;
  readonly rank: Uint32Array;
  private readonly keys: Uint32Array;
  private readonly keysSpare: Uint32Array;
  private readonly spare: Uint32Array;
  private readonly count = new Uint32Array(4096);
  private readonly coverageLow = new Uint8Array(1 << K);
  /** 1 when an account with these criteria present, all of them weighted, is placed on the matrix. */
  private readonly rateable = new Uint8Array(1 << K);
  private readonly coverage = new Float64Array(1 << K);
  private readonly totalScore = new Float64Array(1 << K);
  private readonly totalCurrent = new Float64Array(1 << K);
  private readonly totalAttractiveness = new Float64Array(1 << K);
  /** Criteria row by row, a missing one as 0 (it then adds nothing to a sum). */
  private readonly vals: Float64Array;
  /** Per account: min and max of the present criteria of the score, current and attractiveness (clamp bounds). */
  private readonly bounds: Float64Array;
  private readonly model: ModelConfig;

  constructor(input: RobustInput, model: ModelConfig) {
    const n = input.n;
    this.n = n;
    this.model = model;
    this.cols = CRITERIA.map((c) => input.criteria[c]);
    this.presence = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let j = 0; j < K; j++) if (!Number.isNaN(this.cols[j]![i]!)) m |= 1 << j;
      this.presence[i] = m;
    }
    this.vals = new Float64Array(n * K);
    this.bounds = new Float64Array(n * 6);
    const axes = [
      [0, 1, 2, 3, 4],
      [0, 2],
      [1, 3, 4],
    ];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < K; j++) {
        const x = this.cols[j]![i]!;
        this.vals[i * K + j] = Number.isNaN(x) ? 0 : x;
      }
      axes.forEach((members, a) => {
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (const j of members) {
          const x = this.cols[j]![i]!;
          if (Number.isNaN(x)) continue;
          if (x < lo) lo = x;
          if (x > hi) hi = x;
        }
        this.bounds[i * 6 + 2 * a] = lo;
        this.bounds[i * 6 + 2 * a + 1] = hi;
      });
    }
    this.fixedTier = input.fixedTier;
    const byId = Array.from({ length: n }, (_, i) => i).sort((a, b) => compareCodePoints(input.ids[a] ?? '', input.ids[b] ?? '') || a - b);
    this.atPos = Uint32Array.from(byId);
    this.idPos = new Uint32Array(n);
    for (let p = 0; p < n; p++) this.idPos[byId[p]!] = p;
    this.score = new Float64Array(n);
    this.tier = new Uint8Array(n);
    this.order = new Uint32Array(n);
    this.rank = new Uint32Array(n);
    this.keys = new Uint32Array(n);
    this.keysSpare = new Uint32Array(n);
    this.spare = new Uint32Array(n);
  }

  /**
   * Scores and tiers under weights w (K values at w[offset..]). The sums are those of
   * weightedMeanColumns in the same order (a missing criterion adds +0, which leaves a sum
   * unchanged); totals, coverage and the clamp bounds depend only on which criteria are
   * present, so they are looked up per presence pattern instead of recomputed per account.
   */
  evaluate(w: Float64Array, offset: number): void {
    const { n, vals, presence, score, tier, model, bounds } = this;
    const fixed = this.fixedTier;
    const w0 = w[offset]!;
    const w1 = w[offset + 1]!;
    const w2 = w[offset + 2]!;
    const w3 = w[offset + 3]!;
    const w4 = w[offset + 4]!;
    const ws = [w0, w1, w2, w3, w4];
    let positive = 0;
    let all = 0;
    for (let j = 0; j < K; j++) {
      if (ws[j]! > 0) positive |= 1 << j;
      all += Math.max(ws[j]!, 0);
    }
    const { totalScore, totalCurrent, totalAttractiveness, coverage, coverageLow, rateable } = this;
    for (let m = 0; m < 1 << K; m++) {
      let present = 0;
      let ts = 0;
      for (let j = 0; j < K; j++) {
        if (!(m & (1 << j))) continue;
        present += Math.max(ws[j]!, 0);
        if (ws[j]! > 0) ts += ws[j]!;
      }
      totalScore[m] = ts;
      let tc = 0;
      if (m & 1 && w0 > 0) tc += w0;
      if (m & 4 && w2 > 0) tc += w2;
      totalCurrent[m] = tc;
      let ta = 0;
      if (m & 2 && w1 > 0) ta += w1;
      if (m & 8 && w3 > 0) ta += w3;
      if (m & 16 && w4 > 0) ta += w4;
      totalAttractiveness[m] = ta;
      coverage[m] = all > 0 ? Math.min(present / all, 1) : 0;
      coverageLow[m] = below(coverage[m]!, model.minCoverage) ? 1 : 0;
      // With every present criterion weighted, an axis is NaN exactly when its total is 0.
      rateable[m] = ts > 0 && tc > 0 && ta > 0 && coverageLow[m] === 0 ? 1 : 0;
    }
    const cut = model.tierCut - THRESHOLD_EPSILON;
    // The rank keys (see rankOrder) are built here, in id position, with both digits counted.
    const { keys, idPos, count } = this;
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const m = presence[i]!;
      const v = i * K;
      const v0 = vals[v]!;
      const v1 = vals[v + 1]!;
      const v2 = vals[v + 2]!;
      const v3 = vals[v + 3]!;
      const v4 = vals[v + 4]!;
      const f = fixed === undefined ? NO_FIXED_TIER : fixed[i]!;
      let s: number;
      let t: number;
      if ((m & ~positive) === 0) {
        const ts = totalScore[m]!;
        s = ts > 0 ? clamp((0 + w0 * v0 + w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4) / ts, bounds[i * 6]!, bounds[i * 6 + 1]!) : Number.NaN;
        if (f !== NO_FIXED_TIER) t = f;
        else if (rateable[m] === 0) t = UNRATED;
        else {
          // Both totals are > 0 here (rateable), so neither axis is NaN.
          const b = i * 6;
          const cur = clamp((0 + w0 * v0 + w2 * v2) / totalCurrent[m]!, bounds[b + 2]!, bounds[b + 3]!);
          const att = clamp((0 + w1 * v1 + w3 * v3 + w4 * v4) / totalAttractiveness[m]!, bounds[b + 4]!, bounds[b + 5]!);
          t = MATRIX_TIER[(att >= cut ? 0 : 2) + (cur >= cut ? 0 : 1)]!;
        }
      } else {
        // A present criterion without weight: the general weighted mean.
        const c = this.cols;
        s = mean5(c[0]![i]!, c[1]![i]!, c[2]![i]!, c[3]![i]!, c[4]![i]!, w0, w1, w2, w3, w4);
        const cur = mean5(c[0]![i]!, c[2]![i]!, Number.NaN, Number.NaN, Number.NaN, w0, w2, 0, 0, 0);
        const att = mean5(c[1]![i]!, c[3]![i]!, c[4]![i]!, Number.NaN, Number.NaN, w1, w3, w4, 0, 0);
        if (f !== NO_FIXED_TIER) t = f;
        // tierIndexOf (score.ts), inlined: NaN compares false, so a missing axis is Unrated.
        else if (!(s === s && cur === cur && att === att) || coverageLow[m] === 1) t = UNRATED;
        else t = att >= cut ? (cur >= cut ? KEY : DEVELOP) : cur >= cut ? MAINTAIN : MONITOR;
      }
      score[i] = s;
      tier[i] = t;
      const scored = s === s; // not NaN
      const group = rankGroup(t) * 2 + (scored ? 0 : 1);
      // Monotone in the score, so distinct scores never swap: at worst they share a key.
      const q = scored ? Math.min(Math.floor((100 - (s < 0 ? 0 : s > 100 ? 100 : s)) * 5242.88), 524287) : 0;
      const key = (group << 19) | q;
      keys[idPos[i]!] = key;
      count[key & 2047]!++;
      count[2048 + (key >>> 11)]!++;
    }
  }

  /**
   * Rank order of the last evaluate (SCORING.md §2): rated, then the fixed tiers, then
   * Unrated; score descending; then id by code point. An LSD radix sort (two 11-bit digits)
   * of 22-bit keys (group, 100 - score in 2^19 steps) over the accounts in id order: stable,
   * so equal keys stay in id order; the runs of equal keys whose exact scores differ (scores
   * within 2e-4 points) are re-sorted exactly. Fills `order`; `rank` is left alone (see fillRank).
   * Once per evaluate: it consumes the keys and digit counts evaluate leaves.
   */
  rankOrder(): void {
    const { n, atPos, order, count } = this;
    // The keys and digit counts come from evaluate; the accounts start in id order (atPos).
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
      if (end - start > 1) this.sortRun(start, end);
      start = end;
    }
  }

  /** rank[i] from the last rankOrder. */
  fillRank(): void {
    const { n, order, rank } = this;
    for (let k = 0; k < n; k++) rank[order[k]!] = k + 1;
  }

  /** Insertion sort of order[from, to) by exact score (descending), then id position: the runs are short. */
  private sortRun(from: number, to: number): void {
    const { score, order, idPos } = this;
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

  /** The shortlist of the last evaluate + rankOrder, written to `out`; returns its size. */
  shortlistInto(capacity: number | undefined, out: Uint32Array): number {
    const { n, tier, order } = this;
    let taken = 0;
    if (capacity === undefined) {
      for (let i = 0; i < n; i++) if (tier[i] === KEY) out[taken++] = i;
      return taken;
    }
    for (let k = 0; k < n && taken < capacity; k++) {
      const i = order[k]!;
      const t = tier[i];
      if (t === KEY || t === DEVELOP) out[taken++] = i;
    }
    return taken;
  }

  /**
   * The shortlist of the last evaluate without a full sort: the `capacity` best Key/Develop
   * accounts (score descending, then id), or the Key tier. Sorted account indices.
   */
  shortlistFast(capacity: number | undefined): number[] {
    const { n, tier, score, idPos } = this;
    if (capacity === undefined) {
      const out: number[] = [];
      for (let i = 0; i < n; i++) if (tier[i] === TIER_INDEX.Key) out.push(i);
      return out;
    }
    const best: number[] = []; // best first
    const better = (a: number, b: number): boolean => score[a]! > score[b]! || (score[a] === score[b] && idPos[a]! < idPos[b]!);
    for (let i = 0; i < n; i++) {
      const t = tier[i];
      if (t !== TIER_INDEX.Key && t !== TIER_INDEX.Develop) continue;
      if (best.length === capacity && !better(i, best[best.length - 1]!)) continue;
      let k = best.length;
      while (k > 0 && better(i, best[k - 1]!)) k--;
      best.splice(k, 0, i);
      if (best.length > capacity) best.pop();
    }
    return best.sort((a, b) => a - b);
  }
}

/** Rank groups of SCORING.md §4: rated tiers, then the fixed non-rated tiers in TIERS order, then Unrated. */
function rankGroup(tier: number): number {
  return tier === TIER_INDEX.Unrated ? 2 : tier > TIER_INDEX.Monitor ? 1 : 0;
}

/** weightedMean of normalise.ts for five values, without an array: same sums, same order, same clamp. */
function mean5(v0: number, v1: number, v2: number, v3: number, v4: number, w0: number, w1: number, w2: number, w3: number, w4: number): number {
  let sum = 0;
  let total = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  if (!Number.isNaN(v0) && w0 > 0) {
    sum += w0 * v0;
    total += w0;
    if (v0 < lo) lo = v0;
    if (v0 > hi) hi = v0;
  }
  if (!Number.isNaN(v1) && w1 > 0) {
    sum += w1 * v1;
    total += w1;
    if (v1 < lo) lo = v1;
    if (v1 > hi) hi = v1;
  }
  if (!Number.isNaN(v2) && w2 > 0) {
    sum += w2 * v2;
    total += w2;
    if (v2 < lo) lo = v2;
    if (v2 > hi) hi = v2;
  }
  if (!Number.isNaN(v3) && w3 > 0) {
    sum += w3 * v3;
    total += w3;
    if (v3 < lo) lo = v3;
    if (v3 > hi) hi = v3;
  }
  if (!Number.isNaN(v4) && w4 > 0) {
    sum += w4 * v4;
    total += w4;
    if (v4 < lo) lo = v4;
    if (v4 > hi) hi = v4;
  }
  if (!(total > 0)) return Number.NaN;
  const x = sum / total;
  return x < lo ? lo : x > hi ? hi : x;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** One scenario's tier, rank-bin and top-k counts (kept out of robustAnalysis so the JIT sees plain typed arrays). */
function countScenario(
  order: Uint32Array,
  tier: Uint8Array,
  tiers: Uint32Array,
  hist: Uint32Array,
  binOfRank: Uint32Array,
  topK: Uint32Array,
  top: number,
): void {
  const n = order.length;
  const T = TIERS.length;
  for (let i = 0; i < n; i++) tiers[i * T + tier[i]!]!++;
  // hist is bin-major: consecutive ranks hit the same row of n counts.
  for (let k = 0; k < n; k++) hist[binOfRank[k + 1]! * n + order[k]!]!++;
  const m = Math.min(top, n);
  for (let k = 0; k < m; k++) topK[order[k]!]!++;
}

/** Counts the ranks that fall in each account's quantile windows (see robustAnalysis). */
function countWindows(
  order: Uint32Array,
  windowStart: Int32Array,
  windowLength: Uint32Array,
  windowOffset: Float64Array,
  fine: Uint32Array,
  from: number,
): void {
  const n = order.length;
  for (let k = from; k < n; k++) {
    const i = order[k]!;
    const r = k + 1;
    for (let x = i * 3; x < i * 3 + 3; x++) {
      const start = windowStart[x]!;
      if (start >= 0 && r >= start && r < start + windowLength[x]!) fine[windowOffset[x]! + r - start]!++;
    }
  }
}

/** Ranks 1..this many get exact counts; beyond, blocks of about sqrt(n) ranks (refined in a second pass when a quantile falls in one). */
const EXACT_RANKS = 64;
const QUANTILES = [0.05, 0.5, 0.95] as const;
/** At most this many rank counters (128 MB) for the quantile windows. */
const WINDOW_BUDGET = 1 << 25;

/** The rank store's budget: 256 MB holds the ranks of 10k accounts in 10,000 weightings (2 bytes each). */
const RANK_STORE_BYTES = 1 << 28;
/** Accounts whose rank counts are gathered together from the rank store (32 ranks of 2 bytes: one cache line). */
const STORE_CHUNK = 32;

/** Rows of the rank store start on a multiple of STORE_CHUNK entries, so a chunk's ranks of one weighting are one cache line. */
function storeStride(n: number): number {
  return Math.ceil(n / STORE_CHUNK) * STORE_CHUNK;
}

/** One rank per account and weighting, weighting-major, when it fits in `budget` bytes; else undefined. */
function rankStore(n: number, N: number, budget: number): Uint16Array | Uint32Array | undefined {
  if (n === 0 || N === 0) return undefined;
  const wide = n > 0xffff;
  const stride = storeStride(n);
  if (stride * N * (wide ? 4 : 2) > budget) return undefined;
  return wide ? new Uint32Array(stride * N) : new Uint16Array(stride * N);
}

/**
 * robustAnalysis when every rank fits in memory: one pass over the weightings, each storing
 * its ranks (one row of n); then, 32 accounts at a time, the rank counts of each account
 * over all weightings, from which its exact quantiles and first ranks are read.
 */
function storedRankAnalysis(
  input: RobustInput,
  scenarios: Float64Array,
  options: RobustOptions,
  model: ScenarioModel,
  store: Uint16Array | Uint32Array,
): RobustResult {
  const n = input.n;
  const N = Math.floor(scenarios.length / K);
  const T = TIERS.length;
  const top = options.top;
  const shortlist = new Uint32Array(n);
  const topK = new Uint32Array(n);
  const tiers = new Uint32Array(n * T);
  const central = new Float64Array(n * K);
  const exactRanks = Math.min(n, Math.max(EXACT_RANKS, top));
  const onList = new Uint32Array(n);
  const firstOrder = new Uint32Array(n);
  const share = new Float64Array(K);
  const { order, tier } = model;
  const stride = storeStride(n);
  const rankRow = store instanceof Uint16Array ? new Uint16Array(n) : new Uint32Array(n);
  for (let s = 0; s < N; s++) {
    const offset = s * K;
    model.evaluate(scenarios, offset);
    model.rankOrder();
    const listed = model.shortlistInto(options.shortlist, onList);
    if (s === 0) firstOrder.set(order);
    let sum = 0;
    for (let j = 0; j < K; j++) sum += Math.max(scenarios[offset + j]!, 0);
    for (let j = 0; j < K; j++) share[j] = sum > 0 ? Math.max(scenarios[offset + j]!, 0) / sum : 0;
    countTiersAndTop(order, tier, tiers, topK, top);
    for (let x = 0; x < listed; x++) {
      const i = onList[x]!;
      shortlist[i]!++;
      for (let j = 0; j < K; j++) central[i * K + j]! += share[j]!;
    }
    storeRanks(order, rankRow, store, s * stride);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < K; j++) central[i * K + j] = shortlist[i]! > 0 ? central[i * K + j]! / shortlist[i]! : Number.NaN;
  }
  const { rankQuantiles, firstRanks } = quantilesFromStore(store, n, N, exactRanks);
  const tags = dominanceTags(input, model, scenarios, N, top, topK, firstOrder);
  return {
    n,
    scenarios: N,
    top,
    shortlist,
    topK,
    tiers,
    exactRanks,
    rankQuantiles,
    central,
    tags,
    rankCount: (i, r) => (r >= 1 && r <= exactRanks ? firstRanks[i * exactRanks + r - 1]! : Number.NaN),
  };
}

/** One scenario's tier and top-k counts. */
function countTiersAndTop(order: Uint32Array, tier: Uint8Array, tiers: Uint32Array, topK: Uint32Array, top: number): void {
  const n = order.length;
  const T = TIERS.length;
  for (let i = 0; i < n; i++) tiers[i * T + tier[i]!]!++;
  const m = Math.min(top, n);
  for (let k = 0; k < m; k++) topK[order[k]!]!++;
}

/** Row `base` of the rank store: the 1-based rank of each account, scattered in `row` (small, cached), then copied in one go. */
function storeRanks(order: Uint32Array, row: Uint16Array | Uint32Array, store: Uint16Array | Uint32Array, base: number): void {
  const n = order.length;
  for (let k = 0; k < n; k++) row[order[k]!] = k + 1;
  store.set(row, base);
}

/**
 * Per account, from the rank store: the 5%, 50% and 95% rank quantiles (the ceil(qN)-th
 * smallest rank) and the counts of ranks 1..exactRanks (account-major).
 */
function quantilesFromStore(
  store: Uint16Array | Uint32Array,
  n: number,
  N: number,
  exactRanks: number,
): { rankQuantiles: Uint32Array; firstRanks: Uint32Array } {
  const rankQuantiles = new Uint32Array(n * 3);
  const firstRanks = new Uint32Array(n * exactRanks);
  const targets = QUANTILES.map((q) => Math.max(1, Math.ceil(q * N - 1e-9)));
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

/**
 * Runs every scenario (rows of K weights, CRITERIA order, any positive scale) through the
 * model and counts, per account, shortlist, top-k and tier memberships, ranks and central
 * weights; tags accounts `always` / `never` in the top k by dominance.
 */
export function robustAnalysis(input: RobustInput, scenarios: Float64Array, options: RobustOptions): RobustResult {
  const n = input.n;
  const N = Math.floor(scenarios.length / K);
  const model = new ScenarioModel(input, options.model);
  const store = rankStore(n, N, options.rankStoreBytes ?? RANK_STORE_BYTES);
  if (store !== undefined) return storedRankAnalysis(input, scenarios, options, model, store);
  const T = TIERS.length;
  const top = options.top;
  const shortlist = new Uint32Array(n);
  const topK = new Uint32Array(n);
  const tiers = new Uint32Array(n * T);
  const central = new Float64Array(n * K);
  const exactRanks = Math.min(n, Math.max(EXACT_RANKS, top));
  const block = Math.max(1, Math.ceil(Math.sqrt(n)));
  const bins = exactRanks + Math.ceil((n - exactRanks) / block);
  const hist = new Uint32Array(n * bins);
  const onList = new Uint32Array(n);
  const firstOrder = new Uint32Array(n);
  const share = new Float64Array(K);

  // Rank r (1-based) -> its histogram bin; bins beyond the exact ranks hold `block` ranks each.
  const binOfRank = new Uint32Array(n + 1);
  for (let r = 1; r <= n; r++) binOfRank[r] = r <= exactRanks ? r - 1 : exactRanks + Math.floor((r - exactRanks - 1) / block);
  const blockStart = (b: number): number => exactRanks + (b - exactRanks) * block + 1;
  const targetOf = (q: number, count: number): number => Math.max(1, Math.ceil(q * count - 1e-9));
  /** The bin holding account i's ceil(q*count)-th smallest rank, and the count below it. */
  const quantileBin = (i: number, target: number): { bin: number; below: number } => {
    let cum = 0;
    for (let b = 0; b < bins; b++) {
      const c = hist[b * n + i]!;
      if (cum + c >= target) return { bin: b, below: cum };
      cum += c;
    }
    return { bin: bins - 1, below: cum };
  };
  // Exact quantiles beyond the exact ranks need the ranks inside one block. A pilot of the
  // first P weightings says where each quantile lies, give or take six standard errors; from
  // then on the ranks in that window (plus a block each side) are counted one by one, and the
  // pilot is replayed for them at the end. A quantile outside its window is refined by one
  // more pass over all weightings (rare by construction; also taken when the windows would
  // need more than WINDOW_BUDGET counters).
  const P = N <= 2000 ? N : Math.max(2000, Math.ceil(N / 5));
  const windowStart = new Int32Array(n * 3).fill(-1);
  const windowLength = new Uint32Array(n * 3);
  const windowOffset = new Float64Array(n * 3);
  let fine: Uint32Array | undefined;
  const openWindows = (): void => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let qi = 0; qi < 3; qi++) {
        const q = QUANTILES[qi]!;
        const delta = 6 * Math.sqrt((q * (1 - q)) / P) + 2 / P;
        const high = quantileBin(i, Math.min(P, Math.ceil((q + delta) * P))).bin;
        if (high < exactRanks) continue;
        const low = quantileBin(i, Math.max(1, Math.floor((q - delta) * P))).bin;
        const x = i * 3 + qi;
        const start = blockStart(Math.max(exactRanks, low - 1));
        const end = Math.min(n + 1, blockStart(Math.min(bins - 1, high + 1)) + block);
        windowStart[x] = start;
        windowLength[x] = end - start;
        windowOffset[x] = total;
        total += end - start;
      }
    }
    if (total <= WINDOW_BUDGET) fine = new Uint32Array(total);
    else windowStart.fill(-1);
  };

  const { order, tier } = model;
  for (let s = 0; s < N; s++) {
    const offset = s * K;
    if (s === P && P < N) openWindows();
    model.evaluate(scenarios, offset);
    model.rankOrder();
    const listed = model.shortlistInto(options.shortlist, onList);
    if (s === 0) firstOrder.set(order);
    let sum = 0;
    for (let j = 0; j < K; j++) sum += Math.max(scenarios[offset + j]!, 0);
    for (let j = 0; j < K; j++) share[j] = sum > 0 ? Math.max(scenarios[offset + j]!, 0) / sum : 0;
    countScenario(order, tier, tiers, hist, binOfRank, topK, top);
    for (let x = 0; x < listed; x++) {
      const i = onList[x]!;
      shortlist[i]!++;
      for (let j = 0; j < K; j++) central[i * K + j]! += share[j]!;
    }
    if (fine !== undefined) countWindows(order, windowStart, windowLength, windowOffset, fine, exactRanks);
  }
  if (fine !== undefined) {
    for (let s = 0; s < P; s++) {
      model.evaluate(scenarios, s * K);
      model.rankOrder();
      countWindows(order, windowStart, windowLength, windowOffset, fine, exactRanks);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < K; j++) central[i * K + j] = shortlist[i]! > 0 ? central[i * K + j]! / shortlist[i]! : Number.NaN;
  }

  const rankQuantiles = new Uint32Array(n * 3);
  const pendingStart = new Int32Array(n * 3).fill(-1);
  const pendingNeed = new Uint32Array(n * 3);
  let pending = 0;
  for (let i = 0; i < n && N > 0; i++) {
    for (let qi = 0; qi < 3; qi++) {
      const x = i * 3 + qi;
      const target = targetOf(QUANTILES[qi]!, N);
      const { bin, below } = quantileBin(i, target);
      if (bin < exactRanks) {
        rankQuantiles[x] = bin + 1;
        continue;
      }
      const start = blockStart(bin);
      const need = target - below;
      const w = windowStart[x]!;
      const end = Math.min(start + block, n + 1);
      if (fine !== undefined && w >= 0 && start >= w && end <= w + windowLength[x]!) {
        let cum = 0;
        for (let r = start; r < end; r++) {
          cum += fine[windowOffset[x]! + r - w]!;
          if (cum >= need) {
            rankQuantiles[x] = r;
            break;
          }
        }
      } else {
        pendingStart[x] = start;
        pendingNeed[x] = need;
        pending++;
      }
    }
  }
  if (pending > 0) {
    const exact = new Uint32Array(n * 3 * block);
    for (let s = 0; s < N; s++) {
      model.evaluate(scenarios, s * K);
      model.rankOrder();
      for (let k = exactRanks; k < n; k++) {
        const i = order[k]!;
        const r = k + 1;
        for (let qi = 0; qi < 3; qi++) {
          const start = pendingStart[i * 3 + qi]!;
          if (start >= 0 && r >= start && r < start + block) exact[(i * 3 + qi) * block + r - start]!++;
        }
      }
    }
    for (let x = 0; x < n * 3; x++) {
      const start = pendingStart[x]!;
      if (start < 0) continue;
      let cum = 0;
      for (let d = 0; d < block; d++) {
        cum += exact[x * block + d]!;
        if (cum >= pendingNeed[x]!) {
          rankQuantiles[x] = start + d;
          break;
        }
      }
    }
  }

  const tags = dominanceTags(input, model, scenarios, N, top, topK, firstOrder);
  return {
    n,
    scenarios: N,
    top,
    shortlist,
    topK,
    tiers,
    exactRanks,
    rankQuantiles,
    central,
    tags,
    rankCount: (i, r) => (r >= 1 && r <= exactRanks ? hist[(r - 1) * n + i]! : Number.NaN),
  };
}

/**
 * `always` when at most k-1 accounts are not dominated by it, `never` when at least k
 * dominate it. b dominates a when both have the same present criteria (so the same coverage
 * and axes) and the same fixed tier, b >= a on every present criterion that some scenario
 * weights, and b > a on one that every scenario weights: then b outranks a in every scenario.
 * So the tags only need checking where the samples agree (top-k count N or 0), and a
 * dominator of a is always ranked above it in any one scenario (`firstOrder`).
 */
function dominanceTags(
  input: RobustInput,
  model: ScenarioModel,
  scenarios: Float64Array,
  N: number,
  k: number,
  topK: Uint32Array,
  firstOrder: Uint32Array,
): Uint8Array {
  const n = input.n;
  const tags = new Uint8Array(n);
  if (N === 0) return tags;
  let everyWeighted = (1 << K) - 1;
  let someWeighted = 0;
  for (let s = 0; s < N; s++) {
    for (let j = 0; j < K; j++) {
      if (scenarios[s * K + j]! > 0) someWeighted |= 1 << j;
      else everyWeighted &= ~(1 << j);
    }
  }
  const { cols, presence } = model;
  const fixed = input.fixedTier;
  const groupOf = (i: number): number => (presence[i]! & someWeighted) | ((fixed === undefined ? NO_FIXED_TIER : fixed[i]!) << K);
  const dominates = (b: number, a: number): boolean => {
    if (groupOf(a) !== groupOf(b)) return false;
    const mask = presence[a]! & someWeighted;
    let strict = false;
    for (let j = 0; j < K; j++) {
      if (!(mask & (1 << j))) continue;
      const x = cols[j]![b]!;
      const y = cols[j]![a]!;
      if (x < y) return false;
      if (x > y && everyWeighted & (1 << j)) strict = true;
    }
    return strict;
  };
  for (let p = 0; p < n; p++) {
    const a = firstOrder[p]!;
    if (topK[a] === 0 && p >= k) {
      let dominators = 0;
      for (let q = 0; q < p && dominators < k; q++) if (dominates(firstOrder[q]!, a)) dominators++;
      if (dominators >= k) tags[a] = RobustTag.Never;
    } else if (topK[a] === N && k < n) {
      let others = 0;
      for (let b = 0; b < n && others < k; b++) if (b !== a && !dominates(a, b)) others++;
      if (others <= k - 1) tags[a] = RobustTag.Always;
    } else if (topK[a] === N) {
      tags[a] = RobustTag.Always; // k >= n: every rank is within the top k
    }
  }
  return tags;
}

/** The range of one criterion's share within which the shortlist stays the same. */
export interface StabilityInterval {
  readonly criterion: Criterion;
  /** The criterion's share of the configured weights, 0..1. */
  readonly share: number;
  /** The shortlist is unchanged for every share strictly between low and high (others scaled proportionally). */
  readonly low: number;
  readonly high: number;
}

/** a + b t, for t in [0, 1]. */
interface Line {
  readonly a: number;
  readonly b: number;
}

/**
 * Stability intervals (SCORING.md §5): for each criterion k, its share t of the weights, the
 * others scaled proportionally (w_c(t) = w_c (1 - t) / (1 - w_k)), moved away from the
 * configured share in both directions until the shortlist changes. Every weighted mean of the
 * model is a ratio of two lines in t, so the candidate points are exact: an axis or coverage
 * crossing its cut (one linear equation), or two accounts swapping (N_a D_b = N_b D_a, at most
 * two roots; with every criterion present this is t* = -D_ab / (x_ak - x_bk) measured from the
 * configured share). The shortlist is evaluated once between consecutive candidates, moving
 * outwards, and the interval ends at the first candidate after which it differs.
 */
export function stabilityIntervals(input: RobustInput, options: RobustOptions): StabilityInterval[] {
  const weights = options.model.weights;
  const w = Float64Array.from(CRITERIA, (c) => Math.max(weights[c], 0));
  const total = w.reduce((x, y) => x + y, 0);
  for (let j = 0; j < K; j++) w[j] = w[j]! / total;
  const model = new ScenarioModel(input, options.model);
  const configured = Float64Array.from(CRITERIA, (c) => weights[c]);
  model.evaluate(configured, 0);
  const base = model.shortlistFast(options.shortlist);
  const baseSet = new Uint8Array(input.n);
  for (const i of base) baseSet[i] = 1;
  const { cut, minCoverage } = { cut: options.model.tierCut, minCoverage: options.model.minCoverage };
  const out: StabilityInterval[] = [];
  for (let k = 0; k < K; k++) {
    const t0 = w[k]!;
    const rest = 1 - t0;
    if (!(rest > 1e-12)) {
      out.push({ criterion: CRITERIA[k]!, share: t0, low: 0, high: 1 });
      continue;
    }
    const weightAt = (t: number, into: Float64Array): void => {
      for (let j = 0; j < K; j++) into[j] = j === k ? t : (w[j]! * (1 - t)) / rest;
    };
    // Lines of the numerator and denominator of each weighted mean, per account.
    const lineOf = (i: number, members: readonly number[]): { num: Line; den: Line } => {
      let n0 = 0;
      let n1 = 0;
      let d0 = 0;
      let d1 = 0;
      for (const j of members) {
        const x = model.cols[j]![i]!;
        if (Number.isNaN(x)) continue;
        if (j === k) {
          n1 += x;
          d1 += 1;
        } else if (w[j]! > 0) {
          n0 += (w[j]! * x) / rest;
          d0 += w[j]! / rest;
        }
      }
      return { num: { a: n0, b: n1 - n0 }, den: { a: d0, b: d1 - d0 } };
    };
    const all = CRITERIA.map((_, j) => j);
    const candidates: number[] = [];
    const addRoot = (t: number): void => {
      if (t > 1e-12 && t < 1 - 1e-12 && Math.abs(t - t0) > 1e-12) candidates.push(t);
    };
    const linearRoot = (f: Line): void => {
      if (f.b !== 0) addRoot(-f.a / f.b);
    };
    const fixed = input.fixedTier;
    const scoreLines: { num: Line; den: Line }[] = [];
    for (let i = 0; i < input.n; i++) {
      const s = lineOf(i, all);
      scoreLines.push(s);
      if (fixed !== undefined && fixed[i] !== NO_FIXED_TIER) continue;
      const cur = lineOf(i, CURRENT_AXIS);
      const att = lineOf(i, ATTRACTIVENESS_AXIS);
      linearRoot({ a: cur.num.a - cut * cur.den.a, b: cur.num.b - cut * cur.den.b });
      linearRoot({ a: att.num.a - cut * att.den.a, b: att.num.b - cut * att.den.b });
      // coverage = present weight / all weight, and all weight is 1 at every t.
      linearRoot({ a: s.den.a - minCoverage, b: s.den.b });
    }
    if (options.shortlist !== undefined) {
      for (const a of base) {
        const la = scoreLines[a]!;
        for (let b = 0; b < input.n; b++) {
          if (baseSet[b] === 1 || (fixed !== undefined && fixed[b] !== NO_FIXED_TIER)) continue;
          const lb = scoreLines[b]!;
          // N_a D_b - N_b D_a = c0 + c1 t + c2 t^2
          const c0 = la.num.a * lb.den.a - lb.num.a * la.den.a;
          const c1 = la.num.a * lb.den.b + la.num.b * lb.den.a - lb.num.a * la.den.b - lb.num.b * la.den.a;
          const c2 = la.num.b * lb.den.b - lb.num.b * la.den.b;
          for (const t of quadraticRoots(c0, c1, c2)) addRoot(t);
        }
      }
    }
    candidates.sort((x, y) => x - y);
    const scratch = new Float64Array(K);
    const same = (t: number): boolean => {
      weightAt(t, scratch);
      model.evaluate(scratch, 0);
      const list = model.shortlistFast(options.shortlist);
      return list.length === base.length && list.every((i, j) => i === base[j]);
    };
    const walk = (points: readonly number[], end: number): number => {
      let previous = t0;
      for (const p of [...points, end]) {
        if (Math.abs(p - previous) <= 1e-12) continue;
        if (!same((previous + p) / 2)) return previous;
        previous = p;
      }
      return end;
    };
    const high = walk(
      candidates.filter((t) => t > t0),
      1,
    );
    const low = walk(candidates.filter((t) => t < t0).reverse(), 0);
    out.push({ criterion: CRITERIA[k]!, share: t0, low, high });
  }
  return out;
}

/** Real roots of c0 + c1 t + c2 t^2 (numerically stable form); none when the polynomial is identically 0. */
function quadraticRoots(c0: number, c1: number, c2: number): number[] {
  const scale = Math.max(Math.abs(c0), Math.abs(c1), Math.abs(c2));
  if (scale === 0) return [];
  if (Math.abs(c2) <= 1e-12 * scale) return c1 === 0 ? [] : [-c0 / c1];
  const disc = c1 * c1 - 4 * c2 * c0;
  if (disc < 0) return [];
  const q = -0.5 * (c1 + Math.sign(c1 || 1) * Math.sqrt(disc));
  const roots = [q / c2];
  if (q !== 0) roots.push(c0 / q);
  return roots;
}

/** The model's outcome under one weighting: what `kam score` gives with these weights. */
export interface WeightOutcome {
  readonly score: Float64Array;
  /** Index into TIERS. */
  readonly tier: Uint8Array;
  /** 1-based rank of account i. */
  readonly rank: Uint32Array;
  /** Account indices in rank order. */
  readonly order: Uint32Array;
  /** 1 for the accounts on the shortlist. */
  readonly shortlisted: Uint8Array;
}

/** Runs the model once on the accounts' criteria with `weights` (CRITERIA order). */
export function evaluateWeights(input: RobustInput, weights: Readonly<Record<Criterion, number>>, options: Omit<RobustOptions, 'top'>): WeightOutcome {
  const model = new ScenarioModel(input, options.model);
  model.evaluate(
    Float64Array.from(CRITERIA, (c) => weights[c]),
    0,
  );
  model.rankOrder();
  model.fillRank();
  const list = new Uint32Array(input.n);
  const size = model.shortlistInto(options.shortlist, list);
  const shortlisted = new Uint8Array(input.n);
  for (let x = 0; x < size; x++) shortlisted[list[x]!] = 1;
  return { score: model.score, tier: model.tier, rank: model.rank, order: model.order, shortlisted };
}

/**
 * Shortlist acceptability at or above which an account on the shortlist is a robust pick
 * (`report --robust` marks them on the matrix): it stays on the shortlist in at least 90% of
 * the weightings.
 */
export const ROBUST_PICK = 0.9;

/** robustAnalysis with kam robust's defaults: 10,000 weightings around the configured ones, seed 1; top k the shortlist size, else 10. */
export function defaultRobustAnalysis(input: RobustInput, model: ModelConfig, shortlist: number | undefined): RobustResult {
  const d = ROBUST_DEFAULTS;
  return robustAnalysis(input, sampleAroundWeights(model.weights, d.concentration, d.seed, d.samples), { model, shortlist, top: shortlist ?? d.top });
}

/** Sampling defaults: 10,000 weightings (standard error <= 0.005), concentration 20, seed 1; top k 10 without a shortlist size. */
export const ROBUST_DEFAULTS = { samples: 10_000, concentration: 20, seed: 1, top: 10 } as const;

/** `samples` weightings from Dirichlet(concentration * w), w the weights as shares, row after row (CRITERIA order). */
export function sampleAroundWeights(weights: Readonly<Record<Criterion, number>>, concentration: number, seed: number, samples: number): Float64Array {
  const total = CRITERIA.reduce((sum, c) => sum + weights[c], 0);
  return sampleDirichlet(
    seededRng(seed),
    CRITERIA.map((c) => (concentration * weights[c]) / total),
    samples,
  );
}
