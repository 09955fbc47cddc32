import { describe, expect, it } from 'vitest';
import { diffSnapshots, pickSnapshotShortlist, scoreDriver, type Snapshot, type SnapshotAccount } from '../../src/core/diff.ts';
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
    const before = snap([acc({ id: 'b', rank: 1 }), acc({ id: 'a', rank: 2 }), acc({ id: 'Z', rank: 3 }), acc({ id: 'X', rank: 4 }), acc({ id: 'Y', rank: 5 })]);
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
      ],
    });
  });

  it('counts tiers, shortlist and invalid rows per side; identical snapshots have no changes', () => {
    const s = snap([acc({ id: 'A', rank: 1, tier: 'Key', shortlisted: true }), acc({ id: 'B', rank: 2, tier: 'Unrated', score: Number.NaN, criteria: NaN5 })], 3);
    const d = diffSnapshots(s, s, { movers: 5, weights: WEIGHTS });
    expect(d.before).toEqual({ accounts: 2, invalid: 3, shortlist: 1, tiers: { Key: 1, Develop: 0, Maintain: 0, Monitor: 0, Unrated: 1 } });
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
  it('renormalises over present criteria: a criterion going missing loses its whole contribution', () => {
    // Before: all five at 60 (score 60). After: fit missing, the others 60 (score 60); fit's share 0.15*60 = 9 is gone,
    // the others each gain; volume: 0.2*60/0.85 - 0.2*60 = +2.1176, ltv: 0.25*60/0.85 - 15 = +2.647.
    const d = scoreDriver([60, 60, 60, 60, 60], [60, 60, 60, Number.NaN, 60], WEIGHTS);
    expect(d?.criterion).toBe('fit');
    expect(d?.points).toBeCloseTo(-9, 10);
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
