import { describe, expect, it } from 'vitest';
import { buildHistory, leastSquaresSlope, sparkline, type DatedSnapshot } from '../../src/core/history.ts';
import type { SnapshotAccount } from '../../src/core/diff.ts';
import type { Tier } from '../../src/core/types.ts';

const acc = (id: string, rank: number, score: number, tier: Tier, shortlisted = false): SnapshotAccount => ({
  id,
  name: `Name ${id}`,
  rank,
  score,
  tier,
  criteria: [],
  revenue: Number.NaN,
  shortlisted,
});
/** Weekly snapshots from day 20,000 (a Thursday; only differences matter). */
const week = (k: number, model: string, accounts: SnapshotAccount[]): DatedSnapshot => ({ date: 20_000 + 7 * k, model, accounts });

describe('leastSquaresSlope', () => {
  it('is the least-squares slope; NaN for one point or one x', () => {
    // x 0,1,2 y 1,3,2: mean x 1, mean y 2; sxy = (-1)(-1) + 0 + (1)(0) = 1; sxx = 2.
    expect(leastSquaresSlope([0, 1, 2], [1, 3, 2])).toBe(0.5);
    expect(leastSquaresSlope([5], [1])).toBeNaN();
    expect(leastSquaresSlope([5, 5], [1, 2])).toBeNaN();
  });
});

describe('sparkline', () => {
  it('scales to the series range, a space for missing, | before a model change, mid bar when flat', () => {
    expect(sparkline([0, 50, 100])).toBe('▁▅█');
    expect(sparkline([10, Number.NaN, 20], new Set([2]))).toBe('▁ |█');
    expect(sparkline([40, 40])).toBe('▄▄');
  });
});

describe('buildHistory', () => {
  it("a jump at a model change is no momentum: the slope uses only the latest model's snapshots", () => {
    const snaps = [
      week(0, 'm1', [acc('A', 1, 40, 'Key')]),
      week(1, 'm1', [acc('A', 1, 41, 'Key')]),
      week(2, 'm2', [acc('A', 1, 70, 'Key')]),
      week(3, 'm2', [acc('A', 1, 70, 'Key')]),
      week(4, 'm2', [acc('A', 1, 70, 'Key')]),
    ];
    const h = buildHistory(snaps);
    expect(h.modelChanges).toEqual([{ at: 2, from: 'm1', to: 'm2' }]);
    expect(h.accounts[0]!.momentum).toEqual({ slope: 0, points: 3 });
    expect(h.accounts[0]!.signals).toEqual([]);
    expect(h.accounts[0]!.streak).toEqual({ tier: 'Key', snapshots: 5, since: 0 });
  });

  it('rising_fast at +3 points a week or more, falling at -2 or less, over the last 4 snapshots', () => {
    const scores = { up: [10, 13, 16, 19], down: [50, 48, 46, 44], flat: [50, 51, 50, 51] };
    const snaps = [0, 1, 2, 3].map((k) =>
      week(k, 'm', [acc('up', 3, scores.up[k]!, 'Develop'), acc('down', 1, scores.down[k]!, 'Key'), acc('flat', 2, scores.flat[k]!, 'Key')]),
    );
    const h = buildHistory(snaps);
    expect(h.accounts.map((a) => [a.id, a.momentum?.slope, a.signals])).toEqual([
      ['down', -2, ['falling']],
      ['flat', 0.2, []],
      ['up', 3, ['rising_fast']],
    ]);
  });

  it('entries, exits and the streak of an account that came back: its streak starts when it returned', () => {
    const snaps = [
      week(0, 'm', [acc('A', 1, 60, 'Key', true)]),
      week(1, 'm', [acc('B', 1, 10, 'Monitor')]),
      week(2, 'm', [acc('A', 1, 60, 'Key', true), acc('B', 2, 10, 'Monitor')]),
    ];
    const a = buildHistory(snaps).accounts.find((x) => x.id === 'A')!;
    expect(a.events).toEqual([
      { at: 1, kind: 'disappeared' },
      { at: 1, kind: 'left' },
      { at: 2, kind: 'appeared' },
      { at: 2, kind: 'entered' },
    ]);
    expect(a.streak).toEqual({ tier: 'Key', snapshots: 1, since: 2 });
    expect(a.momentum).toBeUndefined();
  });
});
