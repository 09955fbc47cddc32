/**
 * The exact tags of kam robust (SCORING.md §5): `always` / `never` in the top k, settled by
 * dominance instead of sampling, so they hold for every weighting, not only the sampled ones.
 */
import { NO_FIXED_TIER, type RobustInput, type ScenarioModel } from './robust-model.ts';
import { CRITERIA } from './types.ts';

const K = CRITERIA.length;

export const RobustTag = { None: 0, Always: 1, Never: 2 } as const;

/** The criteria every weighting weights (> 0), and those some weighting weights, as bit masks. */
function weightedMasks(scenarios: Float64Array, N: number): { every: number; some: number } {
  let every = (1 << K) - 1;
  let some = 0;
  for (let s = 0; s < N; s++) {
    for (let j = 0; j < K; j++) {
      if (scenarios[s * K + j]! > 0) some |= 1 << j;
      else every &= ~(1 << j);
    }
  }
  return { every, some };
}

/**
 * `always` when at most k-1 accounts are not dominated by it, `never` when at least k
 * dominate it. b dominates a when both have the same present criteria (so the same coverage
 * and axes) and the same fixed tier, b >= a on every present criterion that some weighting
 * weights, and b > a on one that every weighting weights: then b outranks a in every weighting.
 * So the tags only need checking where the samples agree (top-k count N or 0), and a
 * dominator of a is always ranked above it in any one weighting (`firstOrder`).
 */
export function dominanceTags(
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
  const { every: everyWeighted, some: someWeighted } = weightedMasks(scenarios, N);
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
