import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textValues } from '../../src/core/text-column.ts';
import { DEFAULT_MODEL } from '../../src/core/defaults.ts';
import { sampleDirichlet, sampleGamma, seededRng } from '../../src/core/random.ts';
import { robustAnalysis, RobustTag, acceptabilityError, type RobustInput } from '../../src/core/robust.ts';
import { scoreAccounts } from '../../src/core/score.ts';
import { shortlistOf } from '../../src/core/shortlist.ts';
import { CRITERIA, TIER_INDEX, TIERS, type Criterion, type ModelConfig } from '../../src/core/types.ts';
import { makeAccounts, type AccountRow } from '../helpers/accounts.ts';
import { ABC, ABC_MODEL, ABC_OPTIONS, twoCriteria } from '../helpers/robust-inputs.ts';

/** Scenario rows (volume, potential, 0, 0, 0). */
function scenarioRows(w1: readonly number[]): Float64Array {
  const out = new Float64Array(w1.length * 5);
  w1.forEach((w, s) => {
    out[s * 5] = w;
    out[s * 5 + 1] = 1 - w;
  });
  return out;
}

describe('robustAnalysis: the analytic SMAA example (A = (100,0), B = (0,100), C = (60,60))', () => {
  const N = 1000;
  const grid = scenarioRows(Array.from({ length: N }, (_, i) => (i + 1 - 0.5) / N));
  const r = robustAnalysis(ABC, grid, ABC_OPTIONS);
  const ranks = (i: number) => [1, 2, 3].map((k) => r.rankCount(i, k) / N);

  it('gives the exact rank acceptabilities on an evenly spaced grid w1 = (i - 1/2)/N', () => {
    expect([ranks(0), ranks(1), ranks(2)]).toEqual([
      [0.4, 0.1, 0.5],
      [0.4, 0.1, 0.5],
      [0.2, 0.8, 0],
    ]);
  });

  it('gives top-2 acceptabilities A 0.5, B 0.5, C 1.0 and shortlist (rank-1) acceptabilities 0.4, 0.4, 0.2', () => {
    expect(Array.from(r.topK, (c) => c / N)).toEqual([0.5, 0.5, 1]);
    expect(Array.from(r.shortlist, (c) => c / N)).toEqual([0.4, 0.4, 0.2]);
  });

  it('gives central weights A (0.8, 0.2), B (0.2, 0.8), C (0.5, 0.5)', () => {
    const central = (i: number) => [r.central[i * 5]!, r.central[i * 5 + 1]!];
    for (const [i, expected] of [
      [0, [0.8, 0.2]],
      [1, [0.2, 0.8]],
      [2, [0.5, 0.5]],
    ] as const) {
      expect(central(i)[0]).toBeCloseTo(expected[0], 12);
      expect(central(i)[1]).toBeCloseTo(expected[1], 12);
    }
    // Criteria no scenario weights have a central weight of 0.
    expect(r.central[2 * 5 + 3]).toBe(0);
  });

  it('gives median ranks and 90% intervals (the ceil(qN)-th smallest rank): A 2 (1..3), B 2 (1..3), C 2 (1..2)', () => {
    // A: rank 1 in 400 scenarios, rank 2 in 100: the 500th smallest rank is 2.
    expect(Array.from(r.rankQuantiles)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 2]);
  });

  it('puts every account in tier Key (tier_cut 0) in every scenario', () => {
    expect(Array.from(r.tiers)).toEqual([N, 0, 0, 0, 0, 0, N, 0, 0, 0, 0, 0, N, 0, 0, 0, 0, 0]);
  });

  it('is within 0.015 of the exact values with 10,000 Dirichlet(1,1) samples', () => {
    const samples = sampleDirichlet(seededRng(1), [1, 1, 0, 0, 0], 10_000);
    const s = robustAnalysis(ABC, samples, ABC_OPTIONS);
    const M = s.scenarios;
    expect(M).toBe(10_000);
    const got = [0, 1, 2].flatMap((i) => [...[1, 2, 3].map((k) => s.rankCount(i, k) / M), s.topK[i]! / M, s.central[i * 5]!, s.central[i * 5 + 1]!]);
    const exact = [0.4, 0.1, 0.5, 0.5, 0.8, 0.2, 0.4, 0.1, 0.5, 0.5, 0.2, 0.8, 0.2, 0.8, 0, 1, 0.5, 0.5];
    got.forEach((g, k) => {
      expect(Math.abs(g - exact[k]!)).toBeLessThan(0.015);
    });
  });

  it('standard error sqrt(A(1-A)/N)', () => {
    expect(acceptabilityError(0.5, 10_000)).toBe(0.005);
    expect(acceptabilityError(1, 10_000)).toBe(0);
  });
});

describe('robustAnalysis: exact tags by dominance', () => {
  // C (60,60) dominates D (50,50) and E (10,10); D dominates E; A and B dominate nobody.
  const input = twoCriteria(
    [
      [100, 0],
      [0, 100],
      [60, 60],
      [50, 50],
      [10, 10],
    ],
    ['A', 'B', 'C', 'D', 'E'],
  );
  const weights = sampleDirichlet(seededRng(7), [1, 1, 0, 0, 0], 500);

  it('tags C always in the top 3 (only A and B are not dominated by it), not in the top 2', () => {
    // Not dominated by C: A and B (2 accounts) > k - 1 = 1, so C is not `always` in the top 2;
    // in the top 3 it is: at most 2 accounts are not dominated by it.
    const top2 = robustAnalysis(input, weights, { model: ABC_MODEL, shortlist: 1, top: 2 });
    const top3 = robustAnalysis(input, weights, { model: ABC_MODEL, shortlist: 1, top: 3 });
    expect(Array.from(top2.tags)).toEqual([0, 0, 0, 0, RobustTag.Never]);
    expect(Array.from(top3.tags)).toEqual([0, 0, RobustTag.Always, 0, 0]);
    expect(top3.topK[2]).toBe(500);
  });

  it('tags E never in the top 2: C and D dominate it', () => {
    const r = robustAnalysis(input, weights, { model: ABC_MODEL, shortlist: 1, top: 2 });
    expect(r.tags[4]).toBe(RobustTag.Never);
    expect(r.topK[4]).toBe(0);
  });
});

describe('robustAnalysis: rank quantiles beyond the exact ranks', () => {
  // The rank store (every rank kept) by default; without room for it (rankStoreBytes 0), the
  // rank counts in windows: 200 weightings take a second pass over all of them, 3,000 a pilot
  // of 2,000 that opens windows.
  for (const [scenarios, rankStoreBytes] of [
    [200, undefined],
    [3000, undefined],
    [200, 0],
    [3000, 0],
  ] as const) {
    it(`equal the quantiles of the ranks computed by scoring each of ${scenarios} weightings (${rankStoreBytes === 0 ? 'counted in windows' : 'rank store'})`, () => {
      const n = 150;
      const rng = seededRng(3);
      const points = Array.from({ length: n }, () => [Math.round(rng() * 100), Math.round(rng() * 100)] as const);
      const ids = points.map((_, i) => `X${String(i).padStart(3, '0')}`);
      const input = twoCriteria(points, ids);
      const samples = sampleDirichlet(seededRng(4), [2, 3, 0, 0, 0], scenarios);
      const r = robustAnalysis(input, samples, { model: ABC_MODEL, shortlist: 5, top: 5, rankStoreBytes });
      const ranks: number[][] = ids.map(() => []);
      for (let s = 0; s < scenarios; s++) {
        const w1 = samples[s * 5]!;
        const w2 = samples[s * 5 + 1]!;
        const score = points.map(([x, y]) => (w1 * x + w2 * y) / (w1 + w2));
        const order = ids.map((_, i) => i).sort((a, b) => score[b]! - score[a]! || (ids[a]! < ids[b]! ? -1 : 1));
        order.forEach((i, k) => ranks[i]!.push(k + 1));
      }
      const quantile = (list: number[], q: number) => [...list].sort((a, b) => a - b)[Math.ceil(q * list.length - 1e-9) - 1]!;
      const expected = ranks.flatMap((list) => [quantile(list, 0.05), quantile(list, 0.5), quantile(list, 0.95)]);
      expect(Array.from(r.rankQuantiles)).toEqual(expected);
      expect(expected.some((x) => x > 64)).toBe(true);
    });
  }

  it('the rank store and the windows give the same result, field by field, gates and Unrated accounts included', () => {
    const n = 300;
    const rng = seededRng(11);
    const points = Array.from({ length: n }, () => [Math.round(rng() * 100), rng() < 0.1 ? Number.NaN : Math.round(rng() * 100)] as const);
    const ids = points.map((_, i) => `Y${String(n - i).padStart(3, '0')}`);
    const input = { ...twoCriteria(points, ids), fixedTier: Uint8Array.from(points, (_, i) => (i % 17 === 0 ? TIER_INDEX.Gated : 255)) };
    const samples = sampleDirichlet(seededRng(12), [2, 3, 0, 0, 0], 2500);
    const model: ModelConfig = { ...ABC_MODEL, tierCut: 50 };
    const stored = robustAnalysis(input, samples, { model, shortlist: 7, top: 9 });
    const windows = robustAnalysis(input, samples, { model, shortlist: 7, top: 9, rankStoreBytes: 0 });
    const fields = (r: typeof stored) => ({
      shortlist: Array.from(r.shortlist),
      topK: Array.from(r.topK),
      tiers: Array.from(r.tiers),
      rankQuantiles: Array.from(r.rankQuantiles),
      central: Array.from(r.central),
      tags: Array.from(r.tags),
      firstRanks: ids.flatMap((_, i) => Array.from({ length: r.exactRanks }, (_, k) => r.rankCount(i, k + 1))),
    });
    expect(fields(stored)).toEqual(fields(windows));
    expect(stored.tiers[0 * TIERS.length + TIER_INDEX.Gated]).toBe(2500);
  });
});

// ---- the property: one scenario equal to the configured weights is `kam score` -----------------

const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const rowArb: fc.Arbitrary<Partial<AccountRow>> = fc.record(
  {
    revenue: fc.oneof(num(0, 1e7), fc.constantFrom(0, 100, 1000)),
    potentialRevenue: num(0, 3e7),
    pipeline: num(0, 1e6),
    growthRate: num(-1, 3),
    grossMargin: num(-1, 1),
    retentionRate: num(0, 1),
    productFit: fc.oneof(num(0, 100), fc.constantFrom(0, 50, 100)),
    strategicValue: fc.oneof(num(0, 100), fc.constantFrom(0, 50, 100)),
  },
  { requiredKeys: [] },
);
const weight = fc.oneof(num(0, 1), fc.constantFrom(0, 0.2, 0.25));
const modelArb = fc
  .record({ weights: fc.tuple(weight, weight, weight, weight, weight), tierCut: fc.oneof(num(0, 100), fc.constant(50)), minCoverage: num(0, 1) })
  .map(({ weights, ...rest }): ModelConfig => ({
    ...DEFAULT_MODEL,
    ...rest,
    weights: Object.fromEntries(CRITERIA.map((c, k) => [c, weights[k]! + (k === 0 ? 0.01 : 0)])) as Record<Criterion, number>,
  }));

describe('robustAnalysis: one scenario equal to the configured weights', () => {
  it('gives acceptability 1 to exactly the shortlist of scoreAccounts and 0 to every other account; ranks and tiers agree', () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 30 }),
        modelArb,
        fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
        (rows, model, capacity) => {
          const accounts = makeAccounts(rows);
          const scored = scoreAccounts(accounts, model);
          const input: RobustInput = { n: scored.n, ids: textValues(accounts.id) as string[], criteria: scored.criteria };
          const scenario = Float64Array.from(CRITERIA, (c) => model.weights[c]);
          const r = robustAnalysis(input, scenario, { model, shortlist: capacity, top: 3 });
          const list = shortlistOf(scored, capacity);
          for (let i = 0; i < scored.n; i++) {
            expect(r.shortlist[i]).toBe(list.has(i) ? 1 : 0);
            expect(r.rankQuantiles[i * 3 + 1]).toBe(scored.rank[i]);
            expect(r.tiers[i * TIERS.length + scored.tier[i]!]).toBe(1);
            expect(r.topK[i]).toBe(scored.rank[i]! <= 3 ? 1 : 0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is also exact on fixed ties: equal scores rank by id, as kam score does', () => {
    const accounts = makeAccounts([
      { id: 'b', strategicValue: 50, productFit: 50, revenue: 5 },
      { id: 'a', strategicValue: 50, productFit: 50, revenue: 5 },
    ]);
    const scored = scoreAccounts(accounts, DEFAULT_MODEL);
    const r = robustAnalysis(
      { n: 2, ids: textValues(accounts.id) as string[], criteria: scored.criteria },
      Float64Array.from(CRITERIA, (c) => DEFAULT_MODEL.weights[c]),
      {
        model: DEFAULT_MODEL,
        shortlist: 1,
        top: 1,
      },
    );
    expect([Array.from(scored.rank), Array.from(r.topK)]).toEqual([
      [2, 1],
      [0, 1],
    ]);
  });

  it('keeps a fixed tier (a gate) whatever the weights', () => {
    const input = { ...ABC, fixedTier: Uint8Array.from([255, 255, TIER_INDEX.Monitor]) };
    const r = robustAnalysis(input, scenarioRows([0.5]), ABC_OPTIONS);
    expect([r.tiers[2 * TIERS.length + TIER_INDEX.Monitor], Array.from(r.shortlist)]).toEqual([1, [1, 0, 0]]);
  });
});

describe('seeded randomness', () => {
  it('gives the same stream for the same seed and a different one for another', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    const c = seededRng(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(c()).not.toBe(first[0]);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  it('samples Gamma(alpha) with mean alpha and Dirichlet rows summing to 1', () => {
    const rng = seededRng(5);
    for (const alpha of [0.3, 1, 4]) {
      let sum = 0;
      for (let k = 0; k < 20_000; k++) sum += sampleGamma(rng, alpha);
      expect(Math.abs(sum / 20_000 - alpha)).toBeLessThan(0.05 * Math.max(alpha, 1));
    }
    const d = sampleDirichlet(rng, [2, 0, 1], 3);
    for (let s = 0; s < 3; s++) {
      expect(d[s * 3 + 1]).toBe(0);
      expect(d[s * 3]! + d[s * 3 + 2]!).toBeCloseTo(1, 15);
    }
    expect(() => sampleDirichlet(rng, [0, 0], 1)).toThrow('sampleDirichlet: at least one alpha must be positive');
  });
});
