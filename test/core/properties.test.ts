import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textColumn } from '../../src/core/text-column.ts';
import { DEFAULT_MODEL } from '../../src/core/defaults.ts';
import { midrankPercentiles, sortedIndices } from '../../src/core/normalise.ts';
import { compareCodePoints, rankAccounts } from '../../src/core/rank.ts';
import { measuresOf, scoreAccounts } from '../../src/core/score.ts';
import { CRITERIA, MEASURES, TIER_INDEX } from '../../src/core/types.ts';
import type { Criterion, Measure, ModelConfig, ScoreResult } from '../../src/core/types.ts';
import { makeAccounts } from '../helpers/accounts.ts';
import type { AccountRow } from '../helpers/accounts.ts';
import { signalsOfMask } from '../../src/core/signals.ts';

const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const RUNS = { numRuns: 1000 };

/** A row with any subset of fields present, values in the ranges the schema layer lets through. */
const rowArb: fc.Arbitrary<Partial<AccountRow>> = fc.record(
  {
    revenue: fc.oneof(num(0, 1e7), fc.constantFrom(0, 100, 1000)),
    potentialRevenue: num(0, 3e7),
    pipeline: num(0, 1e6),
    growthRate: num(-1, 3),
    grossMargin: num(-1, 1),
    retentionRate: fc.oneof(num(0, 1), fc.constant(1)),
    productFit: num(0, 100),
    strategicValue: fc.oneof(num(0, 100), fc.constantFrom(0, 50, 100)),
    industry: fc.constantFrom('Energy', ' energy ', 'Retail', ''),
    country: fc.constantFrom('DE', 'fr', 'US'),
    employees: fc.integer({ min: 0, max: 5000 }),
    flags: fc.record({ reference_customer: fc.constantFrom<0 | 1>(0, 1) }),
  },
  { requiredKeys: [] },
);

const weight = num(0, 1);
const modelArb: fc.Arbitrary<ModelConfig> = fc
  .record({
    weights: fc.tuple(weight, weight, weight, weight, weight),
    measureWeights: fc.tuple(weight, weight, weight, weight, weight, weight, weight, weight),
    tierCut: num(0, 100),
    minCoverage: num(0, 1),
    discountRate: fc.oneof(num(0, 0.5), fc.constant(0)),
    defaultRetention: num(0, 1),
    withIcp: fc.boolean(),
  })
  .map(({ weights, measureWeights, withIcp, ...rest }) => ({
    ...DEFAULT_MODEL,
    ...rest,
    // the config schema guarantees a positive sum
    weights: Object.fromEntries(CRITERIA.map((c, k) => [c, weights[k]! + (k === 0 ? 0.01 : 0)])) as Record<Criterion, number>,
    measureWeights: Object.fromEntries(MEASURES.map((m, k) => [m, measureWeights[k]!])) as Record<Measure, number>,
    icp: withIcp
      ? { industries: ['energy'], countries: ['DE'], employees: { min: 100, max: 1000 }, weights: { industries: 1, countries: 2, employees: 1 } }
      : undefined,
    flagBonuses: { reference_customer: 15 },
  }));

/** Rows with unique ids (any characters, astral ones included). */
const accountsArb = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 3, unit: 'binary' }), rowArb), {
  selector: ([id]) => id,
  maxLength: 25,
});
const withIds = (list: [string, Partial<AccountRow>][]): Partial<AccountRow>[] => list.map(([id, row]) => ({ ...row, id }));

/** Everything the engine says about account i, in a form toEqual compares exactly (NaN equals NaN). */
const view = (r: ScoreResult, i: number) => ({
  score: r.score[i],
  coverage: r.coverage[i],
  current: r.current[i],
  attractiveness: r.attractiveness[i],
  tier: r.tier[i],
  rank: r.rank[i],
  criteria: CRITERIA.map((c) => r.criteria[c][i]),
  measures: MEASURES.map((m) => r.measures[m][i]),
  clv: r.clv[i],
  signals: signalsOfMask(r.signalMasks[i]!),
});

describe('normalisation properties', () => {
  const valuesArb = fc.array(fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 })), { maxLength: 40 });
  it('sortedIndices agrees with a stable comparator sort of the present values', () => {
    fc.assert(
      fc.property(valuesArb, (xs) => {
        const expected = [...xs.keys()].filter((i) => !Number.isNaN(xs[i]!)).sort((a, b) => xs[a]! - xs[b]! || a - b);
        expect([...sortedIndices(Float64Array.from(xs))]).toEqual(expected);
      }),
      RUNS,
    );
  });
  it('midrankPercentiles agrees with the definition 100*(below + 0.5*equal)/n', () => {
    fc.assert(
      fc.property(valuesArb, (xs) => {
        const present = xs.filter((x) => !Number.isNaN(x));
        const expected = xs.map((x) =>
          Number.isNaN(x) ? Number.NaN : (100 * (present.filter((y) => y < x).length + 0.5 * present.filter((y) => y === x).length)) / present.length,
        );
        expect([...midrankPercentiles(Float64Array.from(xs))]).toEqual(expected);
      }),
      RUNS,
    );
  });
});

describe('ranking properties', () => {
  it('rankAccounts agrees with the plain comparator: rated first, score descending (NaN last), id by code point', () => {
    const entryArb = fc.record({
      score: fc.oneof(fc.constantFrom(0, 50, 100, Number.NaN), fc.double({ min: 0, max: 100, noNaN: true })),
      unrated: fc.boolean(),
    });
    const arb = fc.uniqueArray(fc.tuple(fc.string({ maxLength: 3, unit: 'binary' }), entryArb), { selector: ([id]) => id, maxLength: 40 });
    fc.assert(
      fc.property(arb, (list) => {
        const ids = list.map(([id]) => id);
        const score = Float64Array.from(list, ([, e]) => e.score);
        const tier = Uint8Array.from(list, ([, e]) => (e.unrated ? TIER_INDEX.Unrated : TIER_INDEX.Key));
        const key = (i: number): [number, number] => [tier[i] === TIER_INDEX.Unrated ? 1 : 0, Number.isNaN(score[i]!) ? 1 : 0];
        const expected = [...ids.keys()].sort((a, b) => {
          const [ua, na] = key(a);
          const [ub, nb] = key(b);
          return ua - ub || na - nb || (na ? 0 : score[b]! - score[a]!) || compareCodePoints(ids[a]!, ids[b]!);
        });
        expect([...rankAccounts(score, tier, textColumn(ids)).order]).toEqual(expected);
      }),
      RUNS,
    );
  });
});

describe('scoreAccounts properties', () => {
  it('permuting the accounts permutes the result: same results by id, same order of ids', () => {
    const arb = accountsArb.chain((list) =>
      fc.tuple(fc.constant(withIds(list)), fc.shuffledSubarray([...list.keys()], { minLength: list.length, maxLength: list.length }), modelArb),
    );
    fc.assert(
      fc.property(arb, ([rows, perm, model]) => {
        const a = scoreAccounts(makeAccounts(rows), model);
        const permuted = perm.map((k) => rows[k]!);
        const b = scoreAccounts(makeAccounts(permuted), model);
        expect([...b.order].map((i) => permuted[i]!.id)).toEqual([...a.order].map((i) => rows[i]!.id));
        perm.forEach((k, j) => {
          expect(view(b, j)).toEqual(view(a, k));
        });
      }),
      RUNS,
    );
  });

  it("raising one account's revenue never lowers its volume, nor its ltv when its margin is positive", () => {
    const arb = accountsArb
      .filter((list) => list.length > 0)
      .chain((list) => fc.tuple(fc.constant(withIds(list)), fc.nat(list.length - 1), num(1e-6, 1e6), num(0, 1e7), modelArb));
    fc.assert(
      fc.property(arb, ([rows, k, raise, base, model]) => {
        const before = rows.map((r, i) => (i === k ? { ...r, revenue: r.revenue ?? base } : r));
        const after = before.map((r, i) => (i === k ? { ...r, revenue: r.revenue! + raise } : r));
        const a = scoreAccounts(makeAccounts(before), model);
        const b = scoreAccounts(makeAccounts(after), model);
        expect(b.measures.revenue[k]! >= a.measures.revenue[k]!).toBe(true);
        if (model.measureWeights.revenue > 0) expect(b.criteria.volume[k]! >= a.criteria.volume[k]!).toBe(true);
        if ((before[k]!.grossMargin ?? 0) > 0 && model.measureWeights.clv > 0) {
          if (Number.isNaN(a.criteria.ltv[k]!)) expect(b.criteria.ltv[k]).toBeNaN();
          else expect(b.criteria.ltv[k]! >= a.criteria.ltv[k]!).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('every value is finite and within range, or NaN exactly when its inputs are absent', () => {
    fc.assert(
      fc.property(accountsArb, modelArb, (list, model) => {
        const rows = withIds(list);
        const r = scoreAccounts(makeAccounts(rows), model);
        const inRange = (x: number, hi = 100): boolean => Number.isNaN(x) || (Number.isFinite(x) && x >= 0 && x <= hi);
        for (let i = 0; i < r.n; i++) {
          for (const m of MEASURES) expect(inRange(r.measures[m][i]!)).toBe(true);
          for (const c of CRITERIA) {
            const v = r.criteria[c][i]!;
            expect(inRange(v)).toBe(true);
            const anyMeasure = measuresOf(c, model).some((m) => model.measureWeights[m] > 0 && !Number.isNaN(r.measures[m][i]!));
            expect(Number.isNaN(v)).toBe(!anyMeasure);
          }
          const anyCriterion = CRITERIA.some((c) => model.weights[c] > 0 && !Number.isNaN(r.criteria[c][i]!));
          expect(Number.isNaN(r.score[i]!)).toBe(!anyCriterion);
          for (const x of [r.score[i]!, r.current[i]!, r.attractiveness[i]!]) expect(inRange(x)).toBe(true);
          expect(inRange(r.coverage[i]!, 1) && !Number.isNaN(r.coverage[i]!)).toBe(true);
          expect(Number.isNaN(r.clv[i]!) || Number.isFinite(r.clv[i]!)).toBe(true);
        }
        // ranks are 1..n without gaps, and order is their inverse
        expect([...r.rank].sort((x, y) => x - y)).toEqual(Array.from({ length: r.n }, (_, k) => k + 1));
        r.order.forEach((i, k) => {
          expect(r.rank[i]).toBe(k + 1);
        });
      }),
      RUNS,
    );
  });
});
