import { describe, expect, it } from 'vitest';
import type { Snapshot, SnapshotAccount } from '../../src/core/diff.ts';
import { holdTiers } from '../../src/core/hysteresis.ts';
import type { Tier } from '../../src/core/types.ts';

/** An account of a snapshot: id, rank, tier, axes (current, attractiveness). */
function acc(id: string, rank: number, tier: Tier, current: number, attractiveness: number, shortlisted = false): SnapshotAccount {
  return { id, name: `Name ${id}`, rank, score: 100 - rank, tier, criteria: [], revenue: Number.NaN, shortlisted, current, attractiveness };
}
const snap = (accounts: SnapshotAccount[]): Snapshot => ({ accounts, invalid: 0 });
const OPTIONS = { cut: 50, band: 2, shortlist: { kind: 'key' } } as const;

describe('holdTiers (diff --hysteresis, SCORING.md §4)', () => {
  const before = snap([
    acc('A', 1, 'Key', 60, 60),
    acc('B', 2, 'Develop', 45, 70),
    acc('C', 3, 'Key', 55, 55),
    acc('D', 4, 'Monitor', 40, 40),
    acc('E', 5, 'Gated', 60, 60),
    acc('F', 6, 'Key', 70, 70),
  ]);
  const after = snap([
    acc('A', 1, 'Develop', 48.5, 60), // current 60 -> 48.5: crossed by 1.5 < 2: held Key
    acc('B', 2, 'Key', 51.99, 70), // current 45 -> 51.99: crossed by 1.99: held Develop
    acc('C', 3, 'Monitor', 49, 47), // both crossed, attractiveness by 3: moves
    acc('D', 4, 'Key', 50.5, 51), // both crossed, each by less than 2: held Monitor
    acc('E', 5, 'Key', 50.5, 60), // was Gated: not a cut crossing
    acc('F', 6, 'Maintain', 70, 48), // crossed by exactly 2: moves
    acc('G', 7, 'Key', 50.1, 50.1), // new this week
  ]);

  it("keeps last week's tier where every cut crossed was crossed by less than the band, and says which", () => {
    const r = holdTiers(before, after, OPTIONS);
    expect(r.after.accounts.map((a) => `${a.id} ${a.tier}${a.shortlisted ? ' listed' : ''}`)).toEqual([
      'A Key listed',
      'B Develop',
      'C Monitor',
      'D Monitor',
      'E Key listed',
      'F Maintain',
      'G Key listed',
    ]);
    expect(r.held).toEqual([
      { id: 'A', name: 'Name A', tier: 'Key', model: 'Develop', crossed: [{ axis: 'current', value: 48.5 }] },
      { id: 'B', name: 'Name B', tier: 'Develop', model: 'Key', crossed: [{ axis: 'current', value: 51.99 }] },
      {
        id: 'D',
        name: 'Name D',
        tier: 'Monitor',
        model: 'Key',
        crossed: [
          { axis: 'current', value: 50.5 },
          { axis: 'attractiveness', value: 51 },
        ],
      },
    ]);
  });

  it('decides the shortlist again from the held tiers: the n best Key/Develop, or as the snapshot has it', () => {
    const best = holdTiers(before, after, { ...OPTIONS, shortlist: { kind: 'best', n: 2 } });
    expect(best.after.accounts.filter((a) => a.shortlisted).map((a) => a.id)).toEqual(['A', 'B']);
    const asIs = holdTiers(before, snap(after.accounts.map((a) => ({ ...a, shortlisted: a.id === 'C' }))), { ...OPTIONS, shortlist: { kind: 'as-is' } });
    expect(asIs.after.accounts.filter((a) => a.shortlisted).map((a) => a.id)).toEqual(['C']);
  });

  it('holds nothing with band 0, or when the later snapshot has no axes', () => {
    expect(holdTiers(before, after, { ...OPTIONS, band: 0 }).held).toEqual([]);
    const noAxes = snap(after.accounts.map(({ current: _c, attractiveness: _a, ...a }) => a));
    expect(holdTiers(before, noAxes, OPTIONS).held).toEqual([]);
  });
});
