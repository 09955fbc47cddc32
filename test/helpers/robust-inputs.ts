/** Robust inputs for test/core/robust*.test.ts: accounts on two criteria, and the analytic SMAA example. */
import { DEFAULT_MODEL } from '../../src/core/defaults.ts';
import type { RobustInput } from '../../src/core/robust.ts';
import { CRITERIA, type Criterion, type ModelConfig } from '../../src/core/types.ts';

/** Accounts given by two criteria (volume, potential), the others missing. */
export function twoCriteria(points: readonly (readonly [number, number])[], ids: readonly string[]): RobustInput {
  const nan = () => new Float64Array(points.length).fill(Number.NaN);
  const criteria = Object.fromEntries(CRITERIA.map((c) => [c, nan()])) as Record<Criterion, Float64Array>;
  criteria.volume = Float64Array.from(points, (p) => p[0]);
  criteria.potential = Float64Array.from(points, (p) => p[1]);
  return { n: points.length, ids, criteria };
}

// The analytic SMAA example: three alternatives on two criteria, A = (100, 0), B = (0, 100),
// C = (60, 60), weights uniform on the simplex. With tier_cut 0 every account is Key, so the
// shortlist of capacity 1 is rank 1 and the model reduces to the weighted sum of SMAA.
export const ABC = twoCriteria(
  [
    [100, 0],
    [0, 100],
    [60, 60],
  ],
  ['A', 'B', 'C'],
);
export const ABC_MODEL: ModelConfig = { ...DEFAULT_MODEL, tierCut: 0, weights: { volume: 0.5, potential: 0.5, ltv: 0, fit: 0, strategic: 0 } };
export const ABC_OPTIONS = { model: ABC_MODEL, shortlist: 1, top: 2 };
