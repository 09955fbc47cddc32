import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/defaults.ts';
import { apportionPoints, explainAccount } from '../../src/core/explain.ts';
import { scoreAccounts } from '../../src/core/score.ts';
import { RetentionSource } from '../../src/core/types.ts';
import type { ModelConfig } from '../../src/core/types.ts';
import { FULL_ACCOUNT, makeAccounts } from '../helpers/accounts.ts';
import type { AccountRow } from '../helpers/accounts.ts';

const explain = (rows: Partial<AccountRow>[], i: number, model: ModelConfig = DEFAULT_MODEL) => {
  const accounts = makeAccounts(rows);
  return explainAccount(accounts, scoreAccounts(accounts, model), model, i);
};
const round = (x: number): number => Number(x.toFixed(9));

describe('explainAccount', () => {
  it('shows every criterion with weight, value, contribution and pass mark for a complete account', () => {
    // Alone: volume, potential, ltv 50; fit 80; strategic 60 (see score.test.ts): score 56.5
    const e = explain([FULL_ACCOUNT], 0);
    expect(e.checks.map((c) => [c.criterion, c.weight, c.effectiveWeight, c.value, round(c.contribution), c.pass])).toEqual([
      ['volume', 0.2, 0.2, 50, 10, true],
      ['potential', 0.2, 0.2, 50, 10, true],
      ['ltv', 0.25, 0.25, 50, 12.5, true],
      ['fit', 0.15, 0.15, 80, 12, true],
      ['strategic', 0.2, 0.2, 60, 12, true],
    ]);
    expect(e.checks[1]!.measures).toEqual([
      { measure: 'headroom', weight: 0.6, value: 50, tie: undefined },
      { measure: 'pipeline', weight: 0.2, value: 50, tie: undefined },
      { measure: 'growth_rate', weight: 0.2, value: 50, tie: undefined },
    ]);
    // icp_match is not listed without ICP rules
    expect(e.checks[3]!.measures.map((m) => m.measure)).toEqual(['product_fit']);
    expect({ ...e, checks: undefined, score: round(e.score), attractiveness: round(e.attractiveness), clv: round(e.clv) }).toEqual({
      index: 0,
      score: 56.5,
      rank: 1,
      tier: 'Key',
      coverage: 1,
      current: 50,
      attractiveness: round(34 / 0.55),
      checks: undefined,
      signals: ['headroom', 'borderline'],
      tierReason: { kind: 'matrix', currentHigh: true, attractivenessHigh: true, cut: 50 },
      missing: [],
      assumptions: [],
      clv: 1350,
      axisTies: { current: undefined, attractiveness: undefined },
    });
  });

  it('renormalises over present criteria, lists missing measures and the assumptions made', () => {
    // potential 50 (headroom 500 with revenue counted 0), fit 60: coverage 0.35.
    // score = (0.2*50 + 0.15*60)/0.35 = 19/0.35 = 54.2857...; shares 0.2/0.35 and 0.15/0.35
    const e = explain([{ potentialRevenue: 500, productFit: 60, retentionRate: 0.9, retentionSource: RetentionSource.Both }], 0);
    expect(e.checks.map((c) => [c.criterion, round(c.effectiveWeight), round(c.contribution), c.pass])).toEqual([
      ['volume', 0, 0, undefined],
      ['potential', round(0.2 / 0.35), round(10 / 0.35), true],
      ['ltv', 0, 0, undefined],
      ['fit', round(0.15 / 0.35), round(9 / 0.35), true],
      ['strategic', 0, 0, undefined],
    ]);
    expect(round(e.checks.reduce((s, c) => s + c.contribution, 0))).toBe(round(e.score));
    expect(round(e.score)).toBe(round(19 / 0.35));
    expect(e.missing).toEqual(['revenue', 'pipeline', 'growth_rate', 'clv', 'strategic_value']);
    expect(e.assumptions).toEqual(['retention_over_churn', 'missing_revenue_as_zero_in_headroom']);
    expect(e.tierReason).toEqual({ kind: 'low_coverage', coverage: e.coverage, minCoverage: 0.6 });
    expect(round(e.coverage)).toBe(0.35);
    expect(e.tier).toBe('Unrated');
  });

  it('records the default retention and fails a criterion below the cut', () => {
    // A: revenue 10 -> volume 25 (fail), clv with r = 0.85 (assumed)
    const e = explain([{ revenue: 10, grossMargin: 0.2 }, { revenue: 20 }], 0);
    expect([e.checks[0]!.value, e.checks[0]!.pass]).toEqual([25, false]);
    expect(e.assumptions).toEqual(['default_retention']);
    // m = 2; 2*0.85/0.25 = 6.8
    expect(round(e.clv)).toBe(6.8);
  });

  it('names the missing axis, and no score when nothing is present', () => {
    const lenient = { ...DEFAULT_MODEL, minCoverage: 0 };
    expect(explain([{ productFit: 70 }], 0, lenient).tierReason).toEqual({ kind: 'axis_missing', axis: 'current' });
    expect(explain([{ revenue: 70 }], 0, lenient).tierReason).toEqual({ kind: 'axis_missing', axis: 'attractiveness' });
    const none = explain([{ id: 'x' }], 0);
    expect([none.tierReason, none.tier, none.score, none.rank]).toEqual([{ kind: 'no_score' }, 'Unrated', Number.NaN, 1]);
  });

  it('lists icp_match as missing when ICP rules are set but nothing on the row can be checked', () => {
    const icp = { ...DEFAULT_MODEL, icp: { countries: ['DE'], weights: { industries: 1, countries: 1, employees: 1 } } };
    const e = explain([{ productFit: 40 }], 0, icp);
    expect(e.checks[3]!.measures).toEqual([
      { measure: 'product_fit', weight: 0.5, value: 40 },
      { measure: 'icp_match', weight: 0.5, value: Number.NaN },
    ]);
    expect(e.missing.includes('icp_match')).toBe(true);
  });

  it('rejects an index outside the accounts', () => {
    expect(() => explain([{ revenue: 1 }], 1)).toThrow(new RangeError('account index 1 is outside 0..0'));
  });
});

describe('constant signals (SCORING.md §3): a tie of all accounts is data, not a finding', () => {
  // Every revenue 0: revenue and clv (0 * margin) are tied at 50 on all three accounts;
  // headroom, pipeline and growth differ.
  const rows: Partial<AccountRow>[] = [
    { ...FULL_ACCOUNT, revenue: 0, potentialRevenue: 500_000, pipeline: 10, growthRate: 0.1 },
    { ...FULL_ACCOUNT, revenue: 0, potentialRevenue: 200_000, pipeline: 20, growthRate: 0.2 },
    { ...FULL_ACCOUNT, revenue: 0, potentialRevenue: 50_000, pipeline: 30, growthRate: 0.3 },
  ];

  it('scoreAccounts lists each percentile measure with one value on every account that has it', () => {
    expect(scoreAccounts(makeAccounts(rows), DEFAULT_MODEL).constant).toEqual([
      { measure: 'revenue', value: 0, accounts: 3 },
      { measure: 'clv', value: 0, accounts: 3 },
    ]);
  });

  it('not for one account alone, nor for two different values; blank cells are not part of the tie', () => {
    expect(scoreAccounts(makeAccounts([rows[0]!]), DEFAULT_MODEL).constant).toEqual([]);
    expect(scoreAccounts(makeAccounts([rows[0]!, { ...rows[1]!, revenue: 1 }]), DEFAULT_MODEL).constant).toEqual([]);
    const withBlank = scoreAccounts(makeAccounts([...rows, { ...rows[2]!, revenue: Number.NaN, pipeline: 40, growthRate: 0.4 }]), DEFAULT_MODEL).constant;
    expect(withBlank).toEqual([
      { measure: 'revenue', value: 0, accounts: 3 },
      { measure: 'clv', value: 0, accounts: 3 },
    ]);
  });

  it('explainAccount marks the tied measures and the current axis, which rests only on them', () => {
    const e = explain(rows, 0);
    expect(e.checks[0]!.measures).toEqual([{ measure: 'revenue', weight: 1, value: 50, tie: 3 }]);
    expect(e.checks[2]!.measures).toEqual([{ measure: 'clv', weight: 1, value: 50, tie: 3 }]);
    expect(e.checks[1]!.measures.map((m) => m.tie)).toEqual([undefined, undefined, undefined]);
    expect([e.tier, e.current, e.axisTies]).toEqual(['Key', 50, { current: 3, attractiveness: undefined }]);
  });
});

describe('apportionPoints', () => {
  it('rounds to hundredths by largest remainder so the parts add up to the rounded score; absent criteria stay 0', () => {
    expect(apportionPoints([20 / 3, 40 / 3, 25 / 3, 10 / 3, 10], 125 / 3)).toEqual([6.67, 13.34, 8.33, 3.33, 10]);
    expect(apportionPoints([16.665, 0, 16.665, 0, 0], 33.33)).toEqual([16.67, 0, 16.66, 0, 0]);
    expect(apportionPoints([50, 0, 0, 0, 0], 50)).toEqual([50, 0, 0, 0, 0]);
    expect(apportionPoints([0, 0, 0, 0, 0], Number.NaN)).toEqual([0, 0, 0, 0, 0]);
  });
});
