/**
 * Robustness of the picks to the criterion weights (SCORING.md §5): SMAA, stochastic
 * multicriteria acceptability analysis (Lahdelma & Salminen 2001; Tervonen & Figueira 2008).
 * For each weighting the whole model runs again on the accounts' criteria (robust-model.ts).
 * Per account it counts how often it is on the shortlist, within the top k, in each tier, its
 * rank distribution (robust-quantiles.ts) and the mean weights that shortlist it; exact tags
 * come from dominance (robust-tags.ts); stability intervals from the crossing points of the
 * scores (robust-stability.ts). This module is the entry: the analysis over many weightings,
 * the model under one, and the defaults of kam robust.
 */
import { sampleDirichlet, seededRng } from './random.ts';
import { ScenarioModel, type RobustInput } from './robust-model.ts';
import { RANK_STORE_BYTES, storedRanks } from './robust-quantiles.ts';
import { dominanceTags } from './robust-tags.ts';
import { windowedRanks } from './robust-windows.ts';
import { CRITERIA, TIERS, type Criterion, type ModelConfig } from './types.ts';

// The analysis's input and the meaning of its tags, for its callers.
export { NO_FIXED_TIER, type RobustInput } from './robust-model.ts';
export { RobustTag } from './robust-tags.ts';

const K = CRITERIA.length;
/** Ranks 1..this many (at least the top k) get exact counts: RobustResult.rankCount. */
const EXACT_RANKS = 64;

/** What a weighting is judged on. */
export interface RobustOptions {
  /** tierCut and minCoverage are used; the weights come from the weightings. */
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
  /** Weightings in which the account is on the shortlist. */
  readonly shortlist: Uint32Array;
  /** Weightings in which its rank is <= top. */
  readonly topK: Uint32Array;
  /** n x TIERS.length: weightings per tier. */
  readonly tiers: Uint32Array;
  /** Ranks 1..exactRanks have exact counts: rankCount(i, r). */
  readonly exactRanks: number;
  /** n x 3: the 5%, 50% and 95% rank quantiles (the ceil(qN)-th smallest rank). */
  readonly rankQuantiles: Uint32Array;
  /** n x K: mean normalised weights of the weightings that shortlist the account; NaN when none does. */
  readonly central: Float64Array;
  /** RobustTag per account: `always` in the top k, `never`, or neither; by dominance, without sampling. */
  readonly tags: Uint8Array;
  /** Weightings in which account i has rank r (1 <= r <= exactRanks). */
  rankCount(i: number, r: number): number;
}

/** Standard error of an acceptability A estimated from N weightings: sqrt(A(1-A)/N). */
export function acceptabilityError(a: number, scenarios: number): number {
  return scenarios > 0 ? Math.sqrt((a * (1 - a)) / scenarios) : Number.NaN;
}

/**
 * Runs every weighting (rows of K weights, CRITERIA order, any positive scale) through the
 * model and counts, per account, shortlist, top-k and tier memberships, ranks and central
 * weights; tags accounts `always` / `never` in the top k by dominance.
 */
export function robustAnalysis(input: RobustInput, scenarios: Float64Array, options: RobustOptions): RobustResult {
  const n = input.n;
  const N = Math.floor(scenarios.length / K);
  const top = options.top;
  const model = new ScenarioModel(input, options.model);
  const exactRanks = Math.min(n, Math.max(EXACT_RANKS, top));
  const ranks = storedRanks(n, N, exactRanks, options.rankStoreBytes ?? RANK_STORE_BYTES) ?? windowedRanks(n, N, exactRanks);
  const tally = new Tally(n, top, options.shortlist);
  const run = (s: number): Uint32Array => {
    model.evaluate(scenarios, s * K);
    model.rankOrder();
    return model.order;
  };
  for (let s = 0; s < N; s++) {
    const order = run(s);
    tally.add(model, scenarios, s);
    ranks.add(order, s);
  }
  const central = tally.central();
  const { rankQuantiles, rankCount } = ranks.finish(run);
  const { shortlist, topK, tiers, firstOrder } = tally;
  const tags = dominanceTags(input, model, scenarios, N, top, topK, firstOrder);
  return { n, scenarios: N, top, shortlist, topK, tiers, exactRanks, rankQuantiles, central, tags, rankCount };
}

/** The counts per account that every weighting adds to: shortlist, top k, tiers and the weights that shortlist it. */
class Tally {
  readonly shortlist: Uint32Array;
  readonly topK: Uint32Array;
  readonly tiers: Uint32Array;
  /** The rank order of the first weighting. */
  readonly firstOrder: Uint32Array;
  /** n x K: the sums of the normalised weights of the weightings that shortlist the account. */
  private readonly shares: Float64Array;
  private readonly onList: Uint32Array;
  private readonly share = new Float64Array(K);
  private readonly top: number;
  private readonly capacity: number | undefined;

  constructor(n: number, top: number, capacity: number | undefined) {
    this.shortlist = new Uint32Array(n);
    this.topK = new Uint32Array(n);
    this.tiers = new Uint32Array(n * TIERS.length);
    this.firstOrder = new Uint32Array(n);
    this.shares = new Float64Array(n * K);
    this.onList = new Uint32Array(n);
    this.top = top;
    this.capacity = capacity;
  }

  /** Weighting s, once the model has evaluated and ranked it. */
  add(model: ScenarioModel, scenarios: Float64Array, s: number): void {
    const { onList, share, shortlist, shares } = this;
    const offset = s * K;
    const listed = model.shortlistInto(this.capacity, onList);
    if (s === 0) this.firstOrder.set(model.order);
    let sum = 0;
    for (let j = 0; j < K; j++) sum += Math.max(scenarios[offset + j]!, 0);
    for (let j = 0; j < K; j++) share[j] = sum > 0 ? Math.max(scenarios[offset + j]!, 0) / sum : 0;
    countTiersAndTop(model.order, model.tier, this.tiers, this.topK, this.top);
    for (let x = 0; x < listed; x++) {
      const i = onList[x]!;
      shortlist[i]!++;
      for (let j = 0; j < K; j++) shares[i * K + j]! += share[j]!;
    }
  }

  /** The central weights (n x K): the mean normalised weights of the weightings that shortlist the account, NaN when none does. */
  central(): Float64Array {
    const { shortlist, shares } = this;
    const central = new Float64Array(shares.length);
    for (let i = 0; i < shortlist.length; i++) {
      for (let j = 0; j < K; j++) central[i * K + j] = shortlist[i]! > 0 ? shares[i * K + j]! / shortlist[i]! : Number.NaN;
    }
    return central;
  }
}

/** One weighting's tier and top-k counts. */
function countTiersAndTop(order: Uint32Array, tier: Uint8Array, tiers: Uint32Array, topK: Uint32Array, top: number): void {
  const n = order.length;
  const T = TIERS.length;
  for (let i = 0; i < n; i++) tiers[i * T + tier[i]!]!++;
  const m = Math.min(top, n);
  for (let k = 0; k < m; k++) topK[order[k]!]!++;
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
