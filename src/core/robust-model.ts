/**
 * The whole model (SCORING.md §1-§4) re-run under one weighting on the accounts' criteria,
 * which do not depend on the weights: renormalisation over the present criteria, coverage,
 * both axes, tiers, rank, shortlist. Columnar: one weighting is one fused pass over typed
 * arrays plus the radix sort of robust-order.ts; nothing is allocated per weighting.
 */
import { below, THRESHOLD_EPSILON, weightedMean } from './normalise.ts';
import { compareCodePoints } from './rank.ts';
import { RankSorter, rankKey } from './robust-order.ts';
import { CRITERIA, TIER_INDEX, type Criterion, type ModelConfig } from './types.ts';

const K = CRITERIA.length;
/** Criterion positions (CRITERIA order) of the two matrix axes. */
export const CURRENT_AXIS = [CRITERIA.indexOf('volume'), CRITERIA.indexOf('ltv')] as const;
export const ATTRACTIVENESS_AXIS = [CRITERIA.indexOf('potential'), CRITERIA.indexOf('fit'), CRITERIA.indexOf('strategic')] as const;
// ScenarioModel.evaluate spells these positions out (0 volume, 1 potential, 2 ltv, 3 fit, 4 strategic).
if (CURRENT_AXIS.join() !== '0,2' || ATTRACTIVENESS_AXIS.join() !== '1,3,4') throw new Error('robust-model.ts: CRITERIA order changed');
/** The three weighted means: the score (every criterion), current and attractiveness. */
const MEANS: readonly (readonly number[])[] = [CRITERIA.map((_, j) => j), CURRENT_AXIS, ATTRACTIVENESS_AXIS];
const CURRENT_MASK = (1 << 0) | (1 << 2);
const ATTRACTIVENESS_MASK = (1 << 1) | (1 << 3) | (1 << 4);
/** The matrix tier by (attractiveness below the cut) * 2 + (current below the cut). */
const MATRIX_TIER = Uint8Array.from([TIER_INDEX.Key, TIER_INDEX.Develop, TIER_INDEX.Maintain, TIER_INDEX.Monitor]);
/** fixedTier value of an account the model places. */
export const NO_FIXED_TIER = 255;
const { Key: KEY, Develop: DEVELOP, Maintain: MAINTAIN, Monitor: MONITOR, Unrated: UNRATED } = TIER_INDEX;

/** The accounts as the weightings see them: criteria do not depend on the weights. */
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

/**
 * One model, re-run per weighting into preallocated arrays. The arithmetic is that of
 * scoreAccounts (score.ts): the same sums in the same order, the same clamping, the same tier
 * rule and rank order, so a weighting equal to the configured weights gives the same bytes.
 */
export class ScenarioModel {
  readonly n: number;
  readonly cols: Float64Array[];
  /** Bit j set when criterion j is present. */
  readonly presence: Uint8Array;
  readonly fixedTier: Uint8Array | undefined;
  /** Position of each account in id order (code point), and the account at each position. */
  readonly idPos: Uint32Array;
  readonly atPos: Uint32Array;
  readonly score: Float64Array;
  readonly tier: Uint8Array;
  readonly order: Uint32Array;
  readonly rank: Uint32Array;
  private readonly sorter: RankSorter;
  /** Per presence pattern (see patterns): weight totals, coverage below min_coverage, placed on the matrix. */
  private readonly totalScore = new Float64Array(1 << K);
  private readonly totalCurrent = new Float64Array(1 << K);
  private readonly totalAttractiveness = new Float64Array(1 << K);
  private readonly coverageLow = new Uint8Array(1 << K);
  private readonly rateable = new Uint8Array(1 << K);
  /** The weights and one account's values of each of the MEANS, for weightedMean. */
  private readonly meanWeights = MEANS.map((members) => members.map(() => 0));
  private readonly meanValues = MEANS.map((members) => members.map(() => 0));
  /** Criteria row by row, a missing one as 0 (it then adds nothing to a sum). */
  private readonly vals: Float64Array;
  /** Per account: min and max of the present criteria of each of the MEANS (clamp bounds). */
  private readonly bounds: Float64Array;
  private readonly model: ModelConfig;

  constructor(input: RobustInput, model: ModelConfig) {
    const n = input.n;
    this.n = n;
    this.model = model;
    this.cols = CRITERIA.map((c) => input.criteria[c]);
    this.presence = presenceOf(this.cols, n);
    this.vals = valueRows(this.cols, n);
    this.bounds = meanBounds(this.cols, n);
    this.fixedTier = input.fixedTier;
    const byId = Array.from({ length: n }, (_, i) => i).sort((a, b) => compareCodePoints(input.ids[a] ?? '', input.ids[b] ?? '') || a - b);
    this.atPos = Uint32Array.from(byId);
    this.idPos = new Uint32Array(n);
    for (let p = 0; p < n; p++) this.idPos[byId[p]!] = p;
    this.score = new Float64Array(n);
    this.tier = new Uint8Array(n);
    this.order = new Uint32Array(n);
    this.rank = new Uint32Array(n);
    this.sorter = new RankSorter(n);
  }

  /**
   * Scores and tiers under weights w (K values at w[offset..]). The sums are those of
   * weightedMeanColumns in the same order (a missing criterion adds +0, which leaves a sum
   * unchanged); totals, coverage and the clamp bounds depend only on which criteria are
   * present, so they are looked up per presence pattern instead of recomputed per account.
   * The rank keys (see rankOrder) are built here, in id position, with both digits counted.
   */
  evaluate(w: Float64Array, offset: number): void {
    const positive = this.patterns(w, offset);
    const { n, vals, presence, score, tier, bounds, totalScore, totalCurrent, totalAttractiveness, rateable, idPos } = this;
    const { keys, count } = this.sorter;
    const fixed = this.fixedTier;
    const w0 = w[offset]!;
    const w1 = w[offset + 1]!;
    const w2 = w[offset + 2]!;
    const w3 = w[offset + 3]!;
    const w4 = w[offset + 4]!;
    const cut = this.model.tierCut - THRESHOLD_EPSILON;
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const m = presence[i]!;
      const f = fixed === undefined ? NO_FIXED_TIER : fixed[i]!;
      let s: number;
      let t: number;
      if ((m & ~positive) === 0) {
        const v = i * K;
        const v0 = vals[v]!;
        const v1 = vals[v + 1]!;
        const v2 = vals[v + 2]!;
        const v3 = vals[v + 3]!;
        const v4 = vals[v + 4]!;
        const ts = totalScore[m]!;
        s = ts > 0 ? clamp((0 + w0 * v0 + w1 * v1 + w2 * v2 + w3 * v3 + w4 * v4) / ts, bounds[i * 6]!, bounds[i * 6 + 1]!) : Number.NaN;
        score[i] = s;
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
        t = this.generalTier(i, f, cut);
        s = score[i]!;
      }
      tier[i] = t;
      const key = rankKey(t, s);
      keys[idPos[i]!] = key;
      count[key & 2047]!++;
      count[2048 + (key >>> 11)]!++;
    }
  }

  /**
   * The per-pattern tables of weights w: for each presence pattern m (bit j: criterion j
   * present, every present one weighted) the weight totals of the score and both axes,
   * whether coverage is below min_coverage and whether the account is placed on the matrix.
   * Also the weights of the MEANS. Returns the mask of the criteria with a weight > 0.
   */
  private patterns(w: Float64Array, offset: number): number {
    let positive = 0;
    let all = 0;
    for (let j = 0; j < K; j++) {
      const x = w[offset + j]!;
      if (x > 0) positive |= 1 << j;
      all += Math.max(x, 0);
    }
    const { totalScore, totalCurrent, totalAttractiveness, coverageLow, rateable } = this;
    const minCoverage = this.model.minCoverage;
    for (let m = 0; m < 1 << K; m++) {
      const ts = positiveWeight(m, w, offset);
      const tc = positiveWeight(m & CURRENT_MASK, w, offset);
      const ta = positiveWeight(m & ATTRACTIVENESS_MASK, w, offset);
      totalScore[m] = ts;
      totalCurrent[m] = tc;
      totalAttractiveness[m] = ta;
      // Coverage is the present weight over all weight; the present weight is ts (a weight <= 0 adds +0 to it).
      coverageLow[m] = below(all > 0 ? Math.min(ts / all, 1) : 0, minCoverage) ? 1 : 0;
      // With every present criterion weighted, an axis is NaN exactly when its total is 0.
      rateable[m] = ts > 0 && tc > 0 && ta > 0 && coverageLow[m] === 0 ? 1 : 0;
    }
    MEANS.forEach((members, a) => {
      members.forEach((j, x) => (this.meanWeights[a]![x] = w[offset + j]!));
    });
    return positive;
  }

  /**
   * The tier of account i when one of its present criteria has no weight, its score written
   * to `score`: the general weighted means of normalise.ts.
   */
  private generalTier(i: number, fixedTier: number, cut: number): number {
    const s = this.mean(i, 0);
    const cur = this.mean(i, 1);
    const att = this.mean(i, 2);
    this.score[i] = s;
    if (fixedTier !== NO_FIXED_TIER) return fixedTier;
    // tierIndexOf (score.ts), inlined: NaN compares false, so a missing axis is Unrated.
    if (!(s === s && cur === cur && att === att) || this.coverageLow[this.presence[i]!] === 1) return UNRATED;
    return att >= cut ? (cur >= cut ? KEY : DEVELOP) : cur >= cut ? MAINTAIN : MONITOR;
  }

  /** weightedMean (normalise.ts) of account i over MEANS[a] with the weights of the last evaluate. */
  private mean(i: number, a: number): number {
    const members = MEANS[a]!;
    const values = this.meanValues[a]!;
    for (let x = 0; x < members.length; x++) values[x] = this.cols[members[x]!]![i]!;
    return weightedMean(values, this.meanWeights[a]!);
  }

  /**
   * Rank order of the last evaluate (robust-order.ts) into `order`; `rank` is left alone
   * (see fillRank). Once per evaluate: it consumes the keys and digit counts evaluate leaves.
   */
  rankOrder(): void {
    this.sorter.sort(this.atPos, this.idPos, this.score, this.order);
  }

  /** rank[i] from the last rankOrder. */
  fillRank(): void {
    const { n, order, rank } = this;
    for (let k = 0; k < n; k++) rank[order[k]!] = k + 1;
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
      for (let i = 0; i < n; i++) if (tier[i] === KEY) out.push(i);
      return out;
    }
    const best: number[] = []; // best first
    const better = (a: number, b: number): boolean => score[a]! > score[b]! || (score[a] === score[b] && idPos[a]! < idPos[b]!);
    for (let i = 0; i < n; i++) {
      const t = tier[i];
      if (t !== KEY && t !== DEVELOP) continue;
      if (best.length === capacity && !better(i, best[best.length - 1]!)) continue;
      let k = best.length;
      while (k > 0 && better(i, best[k - 1]!)) k--;
      best.splice(k, 0, i);
      if (best.length > capacity) best.pop();
    }
    return best.sort((a, b) => a - b);
  }
}

/** Bit j set when account i has criterion j. */
function presenceOf(cols: readonly Float64Array[], n: number): Uint8Array {
  const presence = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < K; j++) if (!Number.isNaN(cols[j]![i]!)) m |= 1 << j;
    presence[i] = m;
  }
  return presence;
}

/** The criteria row by row (n x K), a missing one as 0. */
function valueRows(cols: readonly Float64Array[], n: number): Float64Array {
  const vals = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < K; j++) {
      const x = cols[j]![i]!;
      vals[i * K + j] = Number.isNaN(x) ? 0 : x;
    }
  }
  return vals;
}

/** Per account (n x 6): min and max of its present criteria in each of the MEANS (infinities when none is). */
function meanBounds(cols: readonly Float64Array[], n: number): Float64Array {
  const bounds = new Float64Array(n * 6);
  for (let i = 0; i < n; i++) {
    MEANS.forEach((members, a) => {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const j of members) {
        const x = cols[j]![i]!;
        if (Number.isNaN(x)) continue;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      bounds[i * 6 + 2 * a] = lo;
      bounds[i * 6 + 2 * a + 1] = hi;
    });
  }
  return bounds;
}

/** The sum of the weights > 0 of the criteria in `mask`, in CRITERIA order (the order of weightedMean's sums). */
function positiveWeight(mask: number, w: Float64Array, offset: number): number {
  let total = 0;
  for (let j = 0; j < K; j++) {
    const x = w[offset + j]!;
    if (mask & (1 << j) && x > 0) total += x;
  }
  return total;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
