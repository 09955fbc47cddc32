import { describe, expect, it } from 'vitest';
import { aucMannWhitney, outcomeOf, runBacktest, wilsonInterval, type BacktestAccount } from '../../src/core/backtest.ts';

/** The hand-computed case: twelve accounts, tiers of four, the 4 Key accounts shortlisted. */
const SCORES = [92, 85, 80, 77, 70, 66, 60, 55, 48, 40, 33, 20];
const OUTCOMES = [1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0];
const TWELVE: BacktestAccount[] = SCORES.map((score, i) => ({
  id: `A-${String(i + 1).padStart(2, '0')}`,
  name: `Account ${i + 1}`,
  rank: i + 1,
  score,
  tier: (['Key', 'Develop', 'Monitor'] as const)[Math.floor(i / 4)]!,
  shortlisted: i < 4,
  positive: OUTCOMES[i] === 1,
}));

/**
 * Wilson by hand, z = 1.96, z² = 3.8416. For n = 4: 1 + z²/n = 1.9604, z²/2n = 0.4802,
 * z²/4n² = 0.060025.
 *  3/4: centre (0.75 + 0.4802) / 1.9604 = 0.627525; half 1.96 * sqrt(0.046875 + 0.060025) / 1.9604 = 0.326889
 *  2/4: centre (0.50 + 0.4802) / 1.9604 = 0.5;      half 1.96 * sqrt(0.0625   + 0.060025) / 1.9604 = 0.349964
 *  1/4: centre (0.25 + 0.4802) / 1.9604 = 0.372475; half as for 3/4 = 0.326889
 * For 6/12: 1 + z²/12 = 1.320133, centre 0.5, half 1.96 * sqrt(0.020833 + 0.006669) / 1.320133 = 0.246222.
 */
const WILSON = {
  key: { low: 0.627525 - 0.326889, high: 0.627525 + 0.326889 },
  develop: { low: 0.5 - 0.349964, high: 0.5 + 0.349964 },
  monitor: { low: 0.372475 - 0.326889, high: 0.372475 + 0.326889 },
  all: { low: 0.5 - 0.246222, high: 0.5 + 0.246222 },
};

describe('runBacktest: the hand-computed twelve accounts', () => {
  const r = runBacktest(TWELVE);

  it('rates 0.75 / 0.5 / 0.25 and lifts 1.5 / 1.0 / 0.5 per tier, every tier flagged small', () => {
    expect(r.tiers.map((t) => [t.tier, t.accounts, t.positives, t.rate, t.lift, t.small])).toEqual([
      ['Key', 4, 3, 0.75, 1.5, true],
      ['Develop', 4, 2, 0.5, 1, true],
      ['Monitor', 4, 1, 0.25, 0.5, true],
    ]);
    expect([r.accounts, r.positives, r.rate]).toEqual([12, 6, 0.5]);
  });

  it('Wilson 95% intervals match the formula worked by hand; lift intervals are them over the overall rate', () => {
    const [key, develop, monitor] = r.tiers;
    for (const [got, want] of [
      [key!.rateInterval, WILSON.key],
      [develop!.rateInterval, WILSON.develop],
      [monitor!.rateInterval, WILSON.monitor],
      [r.rateInterval, WILSON.all],
    ] as const) {
      expect(got.low).toBeCloseTo(want.low, 5);
      expect(got.high).toBeCloseTo(want.high, 5);
    }
    expect(key!.liftInterval.low).toBeCloseTo(WILSON.key.low / 0.5, 5);
    expect(key!.liftInterval.high).toBeCloseTo(WILSON.key.high / 0.5, 5);
  });

  it('AUC 26/36: of the 36 positive-negative pairs the positive scored higher in 26', () => {
    // Negatives below each positive: 92 -> 6, 85 -> 6, 77 -> 5, 70 -> 5, 55 -> 3, 33 -> 1.
    expect(r.auc).toBe(26 / 36);
    expect(r.auc.toFixed(4)).toBe('0.7222');
    expect(r.aucAccounts).toBe(12);
  });

  it('the 4-account shortlist: precision 0.75, recall 0.5', () => {
    expect(r.shortlist).toEqual({ size: 4, positives: 3, precision: 0.75, recall: 0.5 });
  });

  it('cumulative gains by decile: the top ceil(d * 12 / 10) accounts', () => {
    expect(r.gains.map((g) => [g.decile, g.accounts, g.positives, g.gain, g.lift])).toEqual([
      [1, 2, 2, 2 / 6, 2],
      [2, 3, 2, 2 / 6, 2 / 3 / 0.5],
      [3, 4, 3, 3 / 6, 1.5],
      [4, 5, 4, 4 / 6, 4 / 5 / 0.5],
      [5, 6, 4, 4 / 6, 4 / 6 / 0.5],
      [6, 8, 5, 5 / 6, 5 / 8 / 0.5],
      [7, 9, 5, 5 / 6, 5 / 9 / 0.5],
      [8, 10, 5, 5 / 6, 1],
      [9, 11, 6, 1, 6 / 11 / 0.5],
      [10, 12, 6, 1, 1],
    ]);
  });

  it('a tier of 10 accounts with 5 positives is not small; 9 accounts or 4 positives is', () => {
    const make = (n: number, k: number): BacktestAccount[] =>
      Array.from({ length: n }, (_, i) => ({ id: `B${i}`, name: `B${i}`, rank: i + 1, score: 100 - i, tier: 'Key', shortlisted: false, positive: i < k }));
    expect(runBacktest(make(10, 5)).tiers[0]!.small).toBe(false);
    expect(runBacktest(make(9, 5)).tiers[0]!.small).toBe(true);
    expect(runBacktest(make(10, 4)).tiers[0]!.small).toBe(true);
  });
});

describe('aucMannWhitney', () => {
  it('counts a tie as half a win; leaves out accounts without a score; NaN without both classes', () => {
    expect(aucMannWhitney([50, 50], [true, false])).toBe(0.5);
    expect(aucMannWhitney([60, 50, 50, 40], [true, true, false, false])).toBe((2 + 1.5) / 4);
    expect(aucMannWhitney([Number.NaN, 50, 40], [false, true, false])).toBe(1);
    expect(aucMannWhitney([50, 40], [true, true])).toBeNaN();
  });
});

describe('wilsonInterval', () => {
  it('0 of 5 starts at 0 and 5 of 5 ends at 1; 0 trials has no interval', () => {
    // 0/5: 1 + z²/5 = 1.76832; centre = (0 + 0.38416) / 1.76832 = 0.217246; half = 1.96 * sqrt(0.038416) / 1.76832 = 0.217246: [0, 0.434491].
    expect(wilsonInterval(0, 5).low).toBe(0);
    expect(wilsonInterval(0, 5).high).toBeCloseTo(0.434491, 5);
    expect(wilsonInterval(5, 5).high).toBe(1);
    expect(wilsonInterval(0, 0).low).toBeNaN();
  });
});

describe('outcomeOf', () => {
  const later = (revenue: number, present = true, wonDeals = 0) => ({ present, revenue, wonDeals });
  it('growth:10%: 100 -> 110 is growth, 100 -> 109.99 is not, gone is not, blank is unknown, 0 -> 1 is', () => {
    const g = { kind: 'growth', min: 0.1 } as const;
    expect([
      outcomeOf(g, 100, later(110)),
      outcomeOf(g, 100, later(109.99)),
      outcomeOf(g, 100, later(Number.NaN, false)),
      outcomeOf(g, 100, later(Number.NaN)),
      outcomeOf(g, Number.NaN, later(500)),
      outcomeOf(g, 0, later(1)),
      outcomeOf(g, 0, later(0)),
    ]).toEqual([true, false, false, undefined, undefined, true, false]);
  });
  it('churn: revenue fell to 0 or the account disappeared; won: a deal won in between', () => {
    const c = { kind: 'churn' } as const;
    expect([
      outcomeOf(c, 100, later(0)),
      outcomeOf(c, 100, later(5)),
      outcomeOf(c, 100, later(Number.NaN, false)),
      outcomeOf(c, 100, later(Number.NaN)),
    ]).toEqual([true, false, true, undefined]);
    expect([outcomeOf({ kind: 'won' }, 100, later(0, true, 2)), outcomeOf({ kind: 'won' }, 100, later(0, true, 0))]).toEqual([true, false]);
  });
});
