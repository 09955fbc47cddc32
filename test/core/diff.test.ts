import { describe, expect, it } from 'vitest';
import {
  criterionMoves,
  diffSnapshots,
  pickSnapshotShortlist,
  scoredDifferently,
  scoreDriver,
  type Snapshot,
  type SnapshotAccount,
} from '../../src/core/diff.ts';
import { describeMover, inputValue, modelChangeLine } from '../../src/io/diff-text.ts';
import type { Criterion } from '../../src/core/types.ts';

const WEIGHTS: Readonly<Record<Criterion, number>> = { volume: 0.2, potential: 0.2, ltv: 0.25, fit: 0.15, strategic: 0.2 };
const NaN5 = [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN];

/** One snapshot account; only what a test states matters. */
const acc = (o: Partial<SnapshotAccount> & { id: string; rank: number }): SnapshotAccount => ({
  name: o.id,
  score: 50,
  tier: 'Maintain',
  criteria: [50, 50, 50, 50, 50],
  revenue: Number.NaN,
  shortlisted: false,
  ...o,
});
const snap = (accounts: SnapshotAccount[], invalid = 0): Snapshot => ({ accounts, invalid });
const ids = (list: readonly { id: string }[]): string[] => list.map((x) => x.id);

describe('diffSnapshots', () => {
  it('lists shortlist entries and exits, tier changes, new and removed accounts', () => {
    const before = snap([
      acc({ id: 'A', rank: 1, tier: 'Key', shortlisted: true }),
      acc({ id: 'B', rank: 2, tier: 'Key', shortlisted: true }),
      acc({ id: 'C', rank: 3, tier: 'Develop' }),
      acc({ id: 'D', rank: 4, tier: 'Key', shortlisted: true }),
    ]);
    const after = snap([
      acc({ id: 'C', rank: 1, tier: 'Key', shortlisted: true }),
      acc({ id: 'A', rank: 2, tier: 'Key', shortlisted: true }),
      acc({ id: 'E', rank: 3, tier: 'Key', shortlisted: true }),
      acc({ id: 'B', rank: 4, tier: 'Develop' }),
    ]);
    const d = diffSnapshots(before, after, { movers: 5, weights: WEIGHTS });
    expect({
      entered: ids(d.entered),
      left: ids(d.left),
      tiers: d.tierChanges.map((c) => `${c.id} ${c.before.tier}->${c.after.tier}`),
      added: ids(d.added),
      removed: ids(d.removed),
      changed: d.shortlistChanged,
    }).toEqual({
      entered: ['C', 'E'],
      left: ['B', 'D'],
      tiers: ['C Develop->Key', 'B Key->Develop'],
      added: ['E'],
      removed: ['D'],
      changed: true,
    });
    expect(d.left[1]).toEqual({ id: 'D', name: 'D', before: { rank: 4, score: 50, tier: 'Key', shortlisted: true }, after: undefined });
    expect(d.entered[1]!.before).toBeUndefined();
  });

  it('orders movers by |rank change| then id by code point, keeps the first N, skips unmoved accounts', () => {
    const before = snap([
      acc({ id: 'b', rank: 1 }),
      acc({ id: 'a', rank: 2 }),
      acc({ id: 'Z', rank: 3 }),
      acc({ id: 'X', rank: 4 }),
      acc({ id: 'Y', rank: 5 }),
    ]);
    const after = snap([acc({ id: 'Z', rank: 1 }), acc({ id: 'X', rank: 2 }), acc({ id: 'b', rank: 3 }), acc({ id: 'a', rank: 4 }), acc({ id: 'Y', rank: 5 })]);
    const d = diffSnapshots(before, after, { movers: 3, weights: WEIGHTS });
    // Z +2, X +2, b -2, a -2: ties by code point ('X' < 'Z' < 'a' < 'b'); Y did not move.
    expect(d.movers.map((m) => [m.id, m.rankChange])).toEqual([
      ['X', 2],
      ['Z', 2],
      ['a', -2],
    ]);
    expect(d.unchanged).toBe(1);
  });

  it('names the criterion whose weighted contribution changed most, signed, in score points', () => {
    const before = snap([acc({ id: 'A', rank: 2, criteria: [50, 40, 50, 50, 50] }), acc({ id: 'B', rank: 1 })]);
    const after = snap([acc({ id: 'A', rank: 1, criteria: [50, 90, 50, 50, 40] }), acc({ id: 'B', rank: 2 })]);
    const d = diffSnapshots(before, after, { movers: 5, weights: WEIGHTS });
    // potential: 0.2 * (90 - 40) / 1.0 = +10; strategic: 0.2 * -10 = -2.
    expect(d.movers[0]).toMatchObject({ id: 'A', rankChange: 1, driver: { criterion: 'potential', points: 10 } });
    // B's criteria did not change: it moved because A did.
    expect(d.movers[1]).toMatchObject({ id: 'B', rankChange: -1, driver: undefined });
  });

  it('summarises revenue over accounts with revenue on both sides and lists the changed ones by rank after', () => {
    const before = snap([
      acc({ id: 'A', rank: 1, revenue: 100 }),
      acc({ id: 'B', rank: 2, revenue: 200 }),
      acc({ id: 'C', rank: 3, revenue: 0 }),
      acc({ id: 'D', rank: 4, revenue: 1000 }),
      acc({ id: 'R', rank: 5, revenue: 999 }),
    ]);
    const after = snap([
      acc({ id: 'C', rank: 1, revenue: 50 }),
      acc({ id: 'B', rank: 2, revenue: 300 }),
      acc({ id: 'A', rank: 3, revenue: 100 }),
      acc({ id: 'D', rank: 4 }),
      acc({ id: 'N', rank: 5, revenue: 5 }),
    ]);
    const r = diffSnapshots(before, after, { movers: 5, weights: WEIGHTS }).revenue;
    expect(r).toEqual({
      matched: 3,
      totalBefore: 300,
      totalAfter: 450,
      growth: 0.5,
      changed: [
        { id: 'C', name: 'C', before: 0, after: 50, growth: Number.NaN },
        { id: 'B', name: 'B', before: 200, after: 300, growth: 0.5 },
        // D's revenue went blank: a change, out of the totals.
        { id: 'D', name: 'D', before: 1000, after: Number.NaN, growth: Number.NaN },
      ],
    });
  });

  it('counts tiers, shortlist and invalid rows per side; identical snapshots have no changes', () => {
    const s = snap(
      [acc({ id: 'A', rank: 1, tier: 'Key', shortlisted: true }), acc({ id: 'B', rank: 2, tier: 'Unrated', score: Number.NaN, criteria: NaN5 })],
      3,
    );
    const d = diffSnapshots(s, s, { movers: 5, weights: WEIGHTS });
    expect(d.before).toEqual({ accounts: 2, invalid: 3, shortlist: 1, tiers: { Key: 1, Develop: 0, Maintain: 0, Monitor: 0, Gated: 0, Unrated: 1 } });
    expect([d.entered, d.left, d.tierChanges, d.added, d.removed, d.movers, d.revenue.changed, d.shortlistChanged, d.unchanged]).toEqual([
      [],
      [],
      [],
      [],
      [],
      [],
      [],
      false,
      2,
    ]);
  });

  it('gives the same result whatever the input order', () => {
    const a = [acc({ id: 'A', rank: 1, tier: 'Key', shortlisted: true }), acc({ id: 'B', rank: 2 }), acc({ id: 'C', rank: 3 })];
    const b = [acc({ id: 'C', rank: 1, tier: 'Key', shortlisted: true }), acc({ id: 'D', rank: 2, tier: 'Key', shortlisted: true }), acc({ id: 'B', rank: 3 })];
    const one = diffSnapshots(snap(a), snap(b), { movers: 5, weights: WEIGHTS });
    const two = diffSnapshots(snap([...a].reverse()), snap([...b].reverse()), { movers: 5, weights: WEIGHTS });
    expect(two).toEqual(one);
    expect(ids(one.entered)).toEqual(['C', 'D']);
  });
});

describe('scoreDriver', () => {
  it("a criterion counts by what its own change does to the score: fit going missing at the score's level moves nothing", () => {
    // Before: all five at 60 (score 60). After: fit missing, the others 60: still 60. Its share
    // was renormalised onto the others, but none of them changed, so none is blamed.
    expect(scoreDriver([60, 60, 60, 60, 60], [60, 60, 60, Number.NaN, 60], WEIGHTS)).toBeUndefined();
    // fit going missing at 20 lifts the score: (60*0.85)/0.85 - (60*0.85 + 0.15*20) = 60 - 54 = +6.
    expect(scoreDriver([60, 60, 60, 20, 60], [60, 60, 60, Number.NaN, 60], WEIGHTS)?.points).toBeCloseTo(6, 10);
  });

  it('breaks ties by CRITERIA order and ignores changes below half a hundredth', () => {
    expect(scoreDriver([50, 50, 50, 50, 50], [60, 50, 50, 50, 60], WEIGHTS)).toEqual({ criterion: 'volume', points: 2 });
    expect(scoreDriver([50, 50, 50, 50, 50], [50.01, 50, 50, 50, 50], WEIGHTS)).toBeUndefined();
    expect(scoreDriver(NaN5, NaN5, WEIGHTS)).toBeUndefined();
  });
});

describe('pickSnapshotShortlist', () => {
  it('takes the n best-ranked Key and Develop accounts, skipping other tiers', () => {
    const accounts = [
      acc({ id: 'M', rank: 1, tier: 'Maintain' }),
      acc({ id: 'K2', rank: 3, tier: 'Key' }),
      acc({ id: 'D', rank: 2, tier: 'Develop' }),
      acc({ id: 'K9', rank: 9, tier: 'Key' }),
      acc({ id: 'U', rank: 10, tier: 'Unrated' }),
    ];
    expect([...pickSnapshotShortlist(accounts, 2)]).toEqual(['D', 'K2']);
    expect([...pickSnapshotShortlist(accounts, 10)]).toEqual(['D', 'K2', 'K9']);
  });
});

/** Inputs in DIFF_INPUTS order: revenue, potential_revenue, pipeline, growth_rate, gross_margin, retention_rate, product_fit, strategic_value. */
const inputs = (o: Partial<Record<'revenue' | 'potential' | 'pipeline' | 'growth' | 'margin' | 'retention' | 'fit' | 'strategic', number>>): number[] => [
  o.revenue ?? Number.NaN,
  o.potential ?? 1_000_000,
  o.pipeline ?? 100_000,
  o.growth ?? 0.05,
  o.margin ?? 0.3,
  o.retention ?? 0.9,
  o.fit ?? 50,
  o.strategic ?? 70,
];

describe('what moved a rank mover (issue 10 item 4)', () => {
  // Revenue appeared (blank -> 6.5M): volume and ltv appear, nothing else changed. Before:
  // (0.2*60 + 0.15*50 + 0.2*70) / 0.55 = 60.909...; volume 98 alone: 53.1/0.75 = 70.8 (+9.89);
  // ltv 99 alone: 58.25/0.8 = 72.8125 (+11.90). strategic did not change: it is never named.
  const before = snap([
    acc({ id: 'X', rank: 55, score: 60.91, criteria: [Number.NaN, 60, Number.NaN, 50, 70], inputs: inputs({}) }),
    acc({ id: 'Y', rank: 1, score: 80, criteria: [80, 80, 80, 80, 80], inputs: inputs({ revenue: 100 }), revenue: 100 }),
  ]);
  const after = snap([
    acc({ id: 'X', rank: 1, score: 83.5, criteria: [98, 60, 99, 50, 70], inputs: inputs({ revenue: 6_500_000 }), revenue: 6_500_000 }),
    acc({ id: 'Y', rank: 2, score: 79, criteria: [75, 80, 80, 80, 80], inputs: inputs({ revenue: 100 }), revenue: 100 }),
  ]);
  const d = diffSnapshots(before, after, { movers: 5, weights: WEIGHTS });

  it('names the input that changed and the criteria it moved, each by what its change alone did', () => {
    const x = d.movers.find((m) => m.id === 'X')!;
    expect(x.inputs).toEqual([{ input: 'revenue', before: Number.NaN, after: 6_500_000 }]);
    expect(x.criteria.map((c) => [c.criterion, Number(c.points.toFixed(4)), c.own])).toEqual([
      ['volume', 9.8909, true],
      ['ltv', 11.9034, true],
    ]);
    expect(x.driver).toEqual({ criterion: 'ltv', points: x.criteria[1]!.points });
    expect(x.modelPoints).toBeUndefined();
    expect(describeMover(x, '→')).toBe('revenue blank → 6.5M: volume +9.89, ltv +11.9');
  });

  it('a criterion moved only by the other accounts (a percentile) is said apart', () => {
    const y = d.movers.find((m) => m.id === 'Y')!;
    expect(y.inputs).toEqual([]);
    expect(describeMover(y)).toBe('other accounts moved volume -1');
    const still = diffSnapshots(snap([acc({ id: 'A', rank: 1, inputs: inputs({}) })]), snap([acc({ id: 'A', rank: 2, inputs: inputs({}) })]), {
      movers: 5,
      weights: WEIGHTS,
    });
    expect(describeMover(still.movers[0]!)).toBe('no change of its own: other accounts moved past it');
  });

  it('revenue changes include blank -> value and value -> blank (no growth for them); totals keep to revenue on both sides', () => {
    const b = snap([acc({ id: 'A', rank: 1 }), acc({ id: 'B', rank: 2, revenue: 500 }), acc({ id: 'C', rank: 3, revenue: 10 })]);
    const a = snap([acc({ id: 'A', rank: 1, revenue: 6_500_000 }), acc({ id: 'B', rank: 2 }), acc({ id: 'C', rank: 3, revenue: 10 })]);
    expect(diffSnapshots(b, a, { movers: 5, weights: WEIGHTS }).revenue).toEqual({
      matched: 1,
      totalBefore: 10,
      totalAfter: 10,
      growth: 0,
      changed: [
        { id: 'A', name: 'A', before: Number.NaN, after: 6_500_000, growth: Number.NaN },
        { id: 'B', name: 'B', before: 500, after: Number.NaN, growth: Number.NaN },
      ],
    });
  });

  it('a change of weights between the snapshots is named as such, and the data part is compared under the current model', () => {
    // Before was written with other weights: recorded 70, 60 under the current model (rescored).
    const b = snap([
      acc({ id: 'A', rank: 2, score: 70, criteria: [50, 50, 50, 50, 50], rescored: { score: 60, criteria: [50, 50, 50, 50, 50] }, inputs: inputs({}) }),
      acc({ id: 'B', rank: 1, score: 90, inputs: inputs({}) }),
    ]);
    const a = snap([
      acc({ id: 'A', rank: 1, score: 60, criteria: [50, 50, 50, 50, 50], inputs: inputs({}) }),
      acc({ id: 'B', rank: 2, score: 55, inputs: inputs({}) }),
    ]);
    const r = diffSnapshots(b, a, { movers: 5, weights: WEIGHTS });
    const m = r.movers.find((x) => x.id === 'A')!;
    expect([m.modelPoints, m.criteria, m.driver]).toEqual([-10, [], undefined]);
    expect(describeMover(m)).toBe('weights or config changed: -10');
    expect(r.modelChanged).toEqual({ before: 1, after: 0 });
    expect(modelChangeLine(r, 'last.csv', 'this.csv')).toBe(
      'model: weights or config changed between the snapshots: 1 of 2 accounts of last.csv score differently under the current one (the movers show that part apart)',
    );
    expect(modelChangeLine(d, 'last.csv', 'this.csv')).toBe('');
  });

  it('scoredDifferently allows for the two decimals an enriched CSV keeps; criterionMoves skips unchanged criteria', () => {
    expect(scoredDifferently({ score: 60.91, criteria: [1, 2, 3, 4, 5] }, { score: 60.909, criteria: [1, 2, 3.004, 4, 5] })).toBe(false);
    expect(scoredDifferently({ score: 60.91, criteria: [1, 2, 3, 4, 5] }, { score: 61.5, criteria: [1, 2, 3, 4, 5] })).toBe(true);
    expect(scoredDifferently({ score: 60, criteria: [1, 2, 3, 4, Number.NaN] }, { score: 60, criteria: [1, 2, 3, 4, 5] })).toBe(true);
    expect(criterionMoves([50, 50, 50, 50, 50], [50, 50, 50, 50, 50], WEIGHTS)).toEqual([]);
  });

  it('inputValue: blank, money short, fractions as percents, ratings as numbers', () => {
    expect([
      inputValue('revenue', Number.NaN),
      inputValue('revenue', 6_500_000),
      inputValue('pipeline', 1_150_000),
      inputValue('potential_revenue', 45_000),
      inputValue('revenue', 950),
      inputValue('growth_rate', -0.203),
      inputValue('product_fit', 75),
    ]).toEqual(['blank', '6.5M', '1.15M', '45k', '950', '-20.3%', '75']);
  });
});
