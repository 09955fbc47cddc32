import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/defaults.ts';
import { customerLifetimeValue, scoreAccounts } from '../../src/core/score.ts';
import { RetentionSource, TIERS } from '../../src/core/types.ts';
import type { ModelConfig, ScoreResult } from '../../src/core/types.ts';
import { FULL_ACCOUNT, makeAccounts } from '../helpers/accounts.ts';
import type { AccountRow } from '../helpers/accounts.ts';
import { signalLists } from '../helpers/accounts.ts';

const model = (o: Partial<ModelConfig> = {}): ModelConfig => ({ ...DEFAULT_MODEL, ...o });
const score = (rows: Partial<AccountRow>[], m: ModelConfig = DEFAULT_MODEL): ScoreResult => scoreAccounts(makeAccounts(rows), m);
const tiers = (r: ScoreResult): string[] => [...r.tier].map((t) => TIERS[t]!);
const ids = (rows: Partial<AccountRow>[], r: ScoreResult): string[] => [...r.order].map((i) => rows[i]!.id ?? `A${i + 1}`);

describe('customerLifetimeValue', () => {
  it('uses the simple retention model m*r/(1+d-r)', () => {
    // m = 1000*0.3 = 300; 300*0.9 / (1 + 0.1 - 0.9) = 270 / 0.2 = 1350 (float: within 1e-10)
    expect(customerLifetimeValue(1000, 0.3, 0.9, 0.1)).toBeCloseTo(1350, 10);
    // default retention 0.85: 300*0.85 / 0.25 = 1020
    expect(customerLifetimeValue(1000, 0.3, 0.85, 0.1)).toBeCloseTo(1020, 10);
  });
  it('is negative for a negative margin and 0 for zero retention', () => {
    // m = -200; -200*0.9 / 0.2 = -900
    expect(customerLifetimeValue(1000, -0.2, 0.9, 0.1)).toBeCloseTo(-900, 10);
    expect(customerLifetimeValue(1000, 0.3, 0, 0.1)).toBe(0);
  });
  it('is NaN (ltv missing) when the denominator is not positive: r = 1 with d = 0', () => {
    // 1 + 0 - 1 = 0: a customer who never leaves, undiscounted, has no finite value
    expect(customerLifetimeValue(1000, 0.3, 1, 0)).toBeNaN();
    expect(customerLifetimeValue(1000, 0.3, 1.2, 0.1)).toBeNaN();
  });
});

describe('scoreAccounts: one complete account', () => {
  // Alone, every percentile measure is 50. fit = product_fit 80 (no ICP rules);
  // strategic = 60. score = 0.2*50 + 0.2*50 + 0.25*50 + 0.15*80 + 0.2*60
  //                      = 10 + 10 + 12.5 + 12 + 12 = 56.5
  // current = 50 (volume 50, ltv 50); attractiveness = (0.2*50 + 0.15*80 + 0.2*60)/0.55 = 34/0.55
  const r = score([FULL_ACCOUNT]);
  it('computes measures, criteria, score, coverage and axes', () => {
    expect(Object.fromEntries(Object.entries(r.measures).map(([k, v]) => [k, v[0]]))).toEqual({
      revenue: 50,
      headroom: 50,
      pipeline: 50,
      growth_rate: 50,
      clv: 50,
      product_fit: 80,
      icp_match: Number.NaN,
      strategic_value: 60,
    });
    expect(Object.fromEntries(Object.entries(r.criteria).map(([k, v]) => [k, v[0]]))).toEqual({
      volume: 50,
      potential: 50,
      ltv: 50,
      fit: 80,
      strategic: 60,
    });
    expect(r.clv[0]).toBeCloseTo(1350, 10);
    expect(r.score[0]).toBeCloseTo(56.5, 10);
    expect(r.coverage[0]).toBe(1);
    expect(r.current[0]).toBe(50);
    expect(r.attractiveness[0]).toBeCloseTo(34 / 0.55, 10);
  });
  it('is Key (current exactly 50 counts as high), rank 1, with the headroom signal (5000 >= 3*1000), borderline (current on the cut)', () => {
    expect(tiers(r)).toEqual(['Key']);
    expect([...r.rank]).toEqual([1]);
    expect([...r.order]).toEqual([0]);
    expect(signalLists(r.signalMasks)).toEqual([['headroom', 'borderline']]);
  });
});

describe('scoreAccounts: renormalisation, coverage and the two axes', () => {
  // A and B have volume, ltv and fit only (coverage 0.2+0.25+0.15 = 0.6, exactly the minimum).
  // revenue 100 vs 300 -> volume 25 / 75. clv A = 50*0.8/0.3 = 133.3, B = 150*0.8/0.3 = 400 -> ltv 25 / 75.
  // score A = (0.2*25 + 0.25*25 + 0.15*100) / 0.6 = 26.25/0.6 = 43.75
  // score B = (0.2*75 + 0.25*75 + 0.15*20) / 0.6 = 36.75/0.6 = 61.25
  const rows = [
    { id: 'A', revenue: 100, grossMargin: 0.5, retentionRate: 0.8, productFit: 100 },
    { id: 'B', revenue: 300, grossMargin: 0.5, retentionRate: 0.8, productFit: 20 },
  ];
  const r = score(rows);
  it('renormalises the criterion weights over the present criteria', () => {
    expect([r.score[0], r.score[1]].map((x) => Number(x!.toFixed(10)))).toEqual([43.75, 61.25]);
    expect([r.criteria.potential[0], r.criteria.strategic[0]]).toEqual([Number.NaN, Number.NaN]);
  });
  it('reports coverage 0.6 and rates the accounts (0.6 is not below min_coverage 0.6)', () => {
    expect([...r.coverage].map((x) => Number(x.toFixed(12)))).toEqual([0.6, 0.6]);
    expect(tiers(r)).toEqual(['Develop', 'Maintain']);
  });
  it('computes current from volume and ltv, attractiveness from what is present of potential, fit, strategic', () => {
    expect([...r.current]).toEqual([25, 75]);
    expect([...r.attractiveness]).toEqual([100, 20]);
  });
  it('ranks by score descending and sets the axis signals', () => {
    expect(ids(rows, r)).toEqual(['B', 'A']);
    expect([...r.rank]).toEqual([2, 1]);
    // A: current 25 < 50, attractiveness 100 >= 75 -> rising. B: volume 75, attractiveness 20 < 50 -> volume_only.
    expect(signalLists(r.signalMasks)).toEqual([['rising'], ['volume_only']]);
  });
});

describe('scoreAccounts: tiers', () => {
  it('places current 50 and attractiveness 50 in Key (the cut is inclusive)', () => {
    // alone: volume 50, ltv 50, potential 50 (headroom percentile), fit 50, strategic 50
    const r = score([{ revenue: 1000, grossMargin: 0.3, retentionRate: 0.9, potentialRevenue: 1500, productFit: 50, strategicValue: 50 }]);
    expect([r.current[0], r.attractiveness[0], r.score[0]]).toEqual([50, 50, 50]);
    expect(tiers(r)).toEqual(['Key']);
  });
  it('places every quadrant of the matrix', () => {
    // volume/ltv: revenue 100 -> 25, 300 -> 75 (no margin, so current = volume);
    // attractiveness = strategic_value; coverage 0.2 + 0.2 = 0.4 would be Unrated, so min_coverage 0.
    const rows = [
      { id: 'key', revenue: 300, strategicValue: 60 },
      { id: 'develop', revenue: 100, strategicValue: 60 },
      { id: 'maintain', revenue: 300, strategicValue: 40 },
      { id: 'monitor', revenue: 100, strategicValue: 40 },
    ];
    const r = score(rows, model({ minCoverage: 0 }));
    expect([...r.current]).toEqual([75, 25, 75, 25]);
    expect(tiers(r)).toEqual(['Key', 'Develop', 'Maintain', 'Monitor']);
  });
  it('uses the configured cut', () => {
    const r = score([{ revenue: 1, strategicValue: 60 }], model({ minCoverage: 0, tierCut: 70 }));
    // current 50 < 70, attractiveness 60 < 70
    expect(tiers(r)).toEqual(['Monitor']);
  });
});

describe('scoreAccounts: Unrated', () => {
  it('makes coverage below min_coverage Unrated and ranks it after a rated account with a lower score', () => {
    // X: volume and ltv only: coverage 0.45 < 0.6. Y: volume, ltv, fit, strategic: coverage 0.8.
    // revenue 1000 vs 10, same margin and retention -> X 75/75, Y 25/25.
    // score X = 75; score Y = (0.2*25 + 0.25*25 + 0.15*10 + 0.2*10)/0.8 = 14.75/0.8 = 18.4375
    const rows = [
      { id: 'X', revenue: 1000, grossMargin: 0.5, retentionRate: 0.9 },
      { id: 'Y', revenue: 10, grossMargin: 0.5, retentionRate: 0.9, productFit: 10, strategicValue: 10 },
    ];
    const r = score(rows);
    expect([r.score[0], r.score[1]]).toEqual([75, 18.4375]);
    expect([r.coverage[0]!.toFixed(12), r.coverage[1]!.toFixed(12)]).toEqual(['0.450000000000', '0.800000000000']);
    expect(tiers(r)).toEqual(['Unrated', 'Monitor']);
    expect(ids(rows, r)).toEqual(['Y', 'X']);
    expect(signalLists(r.signalMasks)).toEqual([['low_coverage'], []]);
  });
  it('makes an account with a missing axis Unrated even when coverage is enough', () => {
    // min_coverage 0.5; potential, fit and strategic cover 0.55 but current (volume, ltv) is missing
    // P: headroom 100 (revenue missing counts 0) -> 75, fit 90, strategic 90:
    //    score = attractiveness = (0.2*75 + 0.15*90 + 0.2*90)/0.55 = 46.5/0.55 = 84.54...
    // R: volume 50 (alone), headroom 10-5 = 5 -> 25, fit 1, strategic 1: current 50, attractiveness
    //    (0.2*25 + 0.15 + 0.2)/0.55 = 5.35/0.55 = 9.72... -> Maintain; score (10 + 5.35)/0.75 = 20.466...
    const rows = [
      { id: 'P', potentialRevenue: 100, productFit: 90, strategicValue: 90 },
      { id: 'R', revenue: 5, strategicValue: 1, productFit: 1, potentialRevenue: 10 },
    ];
    const r = score(rows, model({ minCoverage: 0.5 }));
    expect([r.current[0], r.score[0]!.toFixed(6), r.score[1]!.toFixed(6)]).toEqual([Number.NaN, '84.545455', '20.466667']);
    expect(tiers(r)).toEqual(['Unrated', 'Maintain']);
    expect(ids(rows, r)).toEqual(['R', 'P']);
  });
  it('gives an account with no criterion no score and ranks it last, after other Unrated accounts', () => {
    // thin: volume only (coverage 0.2), score = volume 75. ok: volume 25, ltv 50 (only clv),
    // fit 50: coverage 0.6, current (0.2*25 + 0.25*50)/0.45 = 38.9 -> Develop.
    const rows = [
      { id: 'empty', name: 'Nothing Ltd' },
      { id: 'thin', revenue: 5 },
      { id: 'ok', revenue: 1, grossMargin: 0.2, productFit: 50 },
    ];
    const r = score(rows);
    expect([r.score[0], r.coverage[0], r.current[0], r.attractiveness[0]]).toEqual([Number.NaN, 0, Number.NaN, Number.NaN]);
    expect([r.score[1], r.current[2]!.toFixed(6)]).toEqual([75, '38.888889']);
    expect(tiers(r)).toEqual(['Unrated', 'Unrated', 'Develop']);
    expect(ids(rows, r)).toEqual(['ok', 'thin', 'empty']);
    expect([...r.rank]).toEqual([3, 2, 1]);
    expect(signalLists(r.signalMasks)[0]).toEqual(['low_coverage']);
  });
});

describe('scoreAccounts: rank tie-break', () => {
  it('breaks equal scores by account_id in code point order, ranks 1..n without gaps', () => {
    const same = { revenue: 100, grossMargin: 0.5, retentionRate: 0.9, potentialRevenue: 100, productFit: 50, strategicValue: 50 };
    const rows = ['é', 'a', 'Z', 'B', '😀', '\uFFFD'].map((id) => ({ id, ...same }));
    const r = score(rows);
    expect([...new Set(r.score)]).toEqual([50]);
    // B (U+42) < Z (U+5A) < a (U+61) < é (U+E9) < U+FFFD < 😀 (U+1F600, whose UTF-16 units D83D... sort before FFFD)
    expect(ids(rows, r)).toEqual(['B', 'Z', 'a', 'é', '\uFFFD', '😀']);
    expect([...r.rank]).toEqual([4, 3, 2, 1, 6, 5]);
  });
});

describe('scoreAccounts: measures', () => {
  it('counts a missing revenue as 0 in headroom, and headroom never below 0', () => {
    // raw headroom: A 500 (revenue missing), B 1000-800 = 200, C max(100-400, 0) = 0, D no potential
    // percentiles over 3 present: C 100*0.5/3, B 100*1.5/3 = 50, A 100*2.5/3
    const r = score([{ potentialRevenue: 500 }, { potentialRevenue: 1000, revenue: 800 }, { potentialRevenue: 100, revenue: 400 }, { revenue: 100 }]);
    expect([...r.measures.headroom]).toEqual([250 / 3, 50, 50 / 3, Number.NaN]);
  });
  it('weights headroom 0.6, pipeline 0.2, growth 0.2 inside potential', () => {
    // A: headroom 75, pipeline 25, growth 50 (the only one present) -> 0.6*75 + 0.2*25 + 0.2*50 = 45 + 5 + 10 = 60
    // B: headroom 25, pipeline 75, growth missing -> (0.6*25 + 0.2*75)/0.8 = 30/0.8 = 37.5
    const r = score([
      { potentialRevenue: 1000, pipeline: 1, growthRate: 0.2 },
      { potentialRevenue: 10, pipeline: 2 },
    ]);
    expect([r.criteria.potential[0], r.criteria.potential[1]]).toEqual([60, 37.5]);
  });
  it('takes the clv percentile of the raw clv, with the default retention when none is given', () => {
    // A: 1000*0.3*0.85/0.25 = 1020 (assumed); B: 1000*0.3*0.9/0.2 = 1350; C: gross margin missing -> no clv
    const r = score([{ revenue: 1000, grossMargin: 0.3 }, { revenue: 1000, grossMargin: 0.3, retentionRate: 0.9 }, { revenue: 1000 }]);
    expect([r.clv[0]!.toFixed(6), r.clv[1]!.toFixed(6), r.clv[2]]).toEqual(['1020.000000', '1350.000000', Number.NaN]);
    expect([...r.measures.clv]).toEqual([25, 75, Number.NaN]);
    expect(signalLists(r.signalMasks).map((s) => s.includes('assumed_retention'))).toEqual([true, false, false]);
  });
  it('uses the retention derived from churn as given retention', () => {
    // churn 40% -> retention 0.6 (schema layer); clv = 500*0.6/(1.1-0.6) = 600; retention 0.6 < 0.7
    const r = score([{ revenue: 1000, grossMargin: 0.5, retentionRate: 0.6, retentionSource: RetentionSource.Churn }]);
    expect(r.clv[0]).toBeCloseTo(600, 10);
    expect(signalLists(r.signalMasks)[0]).toEqual(['retention_risk', 'low_coverage']);
  });
  it('leaves ltv missing when clv has no finite value (retention 1, discount 0)', () => {
    const r = score([{ revenue: 1000, grossMargin: 0.3, retentionRate: 1 }], model({ discountRate: 0 }));
    expect([r.clv[0], r.measures.clv[0], r.criteria.ltv[0], r.current[0]]).toEqual([Number.NaN, Number.NaN, Number.NaN, 50]);
  });
  it('clamps product_fit and strategic_value to 0..100 defensively', () => {
    const r = score([{ productFit: 120, strategicValue: -5 }]);
    expect([r.measures.product_fit[0], r.measures.strategic_value[0]]).toEqual([100, 0]);
  });
});

describe('scoreAccounts: icp_match', () => {
  const icpModel = model({
    icp: {
      industries: ['Automotive', 'Energy'],
      countries: ['DE'],
      employees: { min: 100, max: 1000 },
      weights: { industries: 2, countries: 1, employees: 1 },
    },
  });
  it('scores matched rule weight over the weight of the rules evaluable on the row', () => {
    const r = score(
      [
        // all three match (case-insensitive, trimmed; 1000 is inside the inclusive range): 4/4
        { industry: ' automotive ', country: 'de', employees: 1000 },
        // only country matches (99 < 100): 1/4 = 25
        { industry: 'Retail', country: 'DE', employees: 99 },
        // only industry evaluable and matched: 2/2
        { industry: 'ENERGY' },
        // country and employees evaluable (1+1), employees 100 matches: 1/2
        { country: 'FR', employees: 100 },
        // nothing evaluable (a blank industry is no value)
        { industry: '  ' },
      ],
      icpModel,
    );
    expect([...r.measures.icp_match]).toEqual([100, 25, 100, 50, Number.NaN]);
  });
  it('feeds fit at weight 0.5 next to product_fit', () => {
    // fit = (0.5*75 + 0.5*25) / 1 = 50
    const r = score([{ industry: 'Retail', country: 'DE', employees: 99, productFit: 75 }], icpModel);
    expect(r.criteria.fit[0]).toBe(50);
  });
  it('matches composed and decomposed accents alike (a config typed in NFC, an export in NFD)', () => {
    const r = score(
      [{ industry: 'E\u0301nergie', country: 'DE' }],
      model({ icp: { industries: ['\u00C9nergie'], weights: { industries: 1, countries: 0, employees: 0 } } }),
    );
    expect(r.measures.icp_match[0]).toBe(100);
  });
  it('does not count a rule that is not configured', () => {
    const r = score([{ industry: 'Retail', country: 'de' }], model({ icp: { countries: ['DE'], weights: { industries: 5, countries: 1, employees: 1 } } }));
    expect(r.measures.icp_match[0]).toBe(100);
  });
  it('is absent without ICP rules', () => {
    const r = score([{ industry: 'Automotive', country: 'DE', employees: 500 }]);
    expect(r.measures.icp_match[0]).toBeNaN();
    expect(r.criteria.fit[0]).toBeNaN();
  });
});

describe('scoreAccounts: flag bonuses', () => {
  const flagModel = model({ flagBonuses: { reference_customer: 15, partner: 30, unused: 10 } });
  it('adds the points of each flag set to 1, caps at 100, and starts from 0 without strategic_value where a flag is known', () => {
    const r = score(
      [
        { strategicValue: 90, flags: { reference_customer: 1 } }, // 90 + 15 = 105 -> 100
        { flags: { reference_customer: 1 } }, // 0 + 15 = 15
        { strategicValue: 50, flags: { reference_customer: 1, partner: 1 } }, // 50 + 15 + 30 = 95
        { flags: { reference_customer: 0 } }, // no value, a known 'no': 0
        { strategicValue: 40 }, // flag missing on the row: 40
        {}, // no value, no flag known: absent
      ],
      flagModel,
    );
    expect([...r.measures.strategic_value]).toEqual([100, 15, 95, 0, 40, Number.NaN]);
    expect([...r.criteria.strategic]).toEqual([100, 15, 95, 0, 40, Number.NaN]);
  });

  it('a flag never ranks its accounts below the same accounts without it (stranger test of 7179ab6: flagged Key accounts fell to Maintain)', () => {
    // No strategic_value column: the flag is the strategic criterion of every row it is known on.
    const r = score(
      [
        { revenue: 100, flags: { reference_customer: 1 } },
        { revenue: 100, flags: { reference_customer: 0 } },
      ],
      flagModel,
    );
    expect([...r.criteria.strategic]).toEqual([15, 0]);
    expect([r.score[0]! > r.score[1]!, [...r.rank]]).toEqual([true, [1, 2]]);
  });
});

describe('scoreAccounts: signals at their thresholds', () => {
  // Two accounts with revenue 1 and 2 give volumes 25 and 75 (the threshold of thin_margin and volume_only).
  const signalsOf = (rows: Partial<AccountRow>[], i: number, m: ModelConfig = DEFAULT_MODEL) => signalLists(score(rows, m).signalMasks)[i];
  const lowBar = model({ minCoverage: 0 });
  it.each([
    ['headroom at exactly 3x revenue', [{ revenue: 1000, potentialRevenue: 3000 }], true],
    ['no headroom just below 3x', [{ revenue: 1000, potentialRevenue: 2999 }], false],
    ['headroom with revenue missing and potential > 0', [{ potentialRevenue: 1 }], true],
    ['headroom with revenue 0 and potential > 0', [{ revenue: 0, potentialRevenue: 1 }], true],
    ['no headroom with revenue 0 and potential 0', [{ revenue: 0, potentialRevenue: 0 }], false],
    ['no headroom without potential', [{ revenue: 1000 }], false],
  ])('%s', (_case, rows, expected) => {
    expect(signalsOf(rows, 0, lowBar)!.includes('headroom')).toBe(expected);
  });
  it.each([
    ['thin_margin at volume 75 and margin 9%', 0.09, true],
    ['no thin_margin at margin exactly 10%', 0.1, false],
  ])('%s', (_case, margin, expected) => {
    const rows = [
      { revenue: 1, grossMargin: margin },
      { revenue: 2, grossMargin: margin },
    ];
    expect(signalsOf(rows, 1, lowBar)!.includes('thin_margin')).toBe(expected);
    expect(signalsOf(rows, 0, lowBar)!.includes('thin_margin')).toBe(false); // volume 25
  });
  it.each([
    ['retention_risk at 69%', 0.69, RetentionSource.Retention, true],
    ['no retention_risk at exactly 70%', 0.7, RetentionSource.Retention, false],
    ['retention_risk from churn 31% (retention 0.69)', 0.69, RetentionSource.Churn, true],
  ])('%s', (_case, retention, source, expected) => {
    const rows = [{ retentionRate: retention, retentionSource: source }];
    expect(signalsOf(rows, 0, lowBar)!.includes('retention_risk')).toBe(expected);
  });
  it('no retention_risk when retention is assumed, even below the threshold', () => {
    const rows = [{ revenue: 1, grossMargin: 0.2 }];
    expect(signalsOf(rows, 0, model({ minCoverage: 0, defaultRetention: 0.5 }))).toEqual(['assumed_retention']);
  });
  it.each([
    ['volume_only at volume 75 and attractiveness 49', 49, true],
    ['no volume_only at attractiveness exactly 50', 50, false],
  ])('%s', (_case, fit, expected) => {
    // attractiveness = fit = product_fit (potential and strategic missing)
    const rows = [
      { revenue: 1, productFit: fit },
      { revenue: 2, productFit: fit },
    ];
    expect(signalsOf(rows, 1, lowBar)!.includes('volume_only')).toBe(expected);
    expect(signalsOf(rows, 0, lowBar)!.includes('volume_only')).toBe(false); // volume 25
  });
  it('no volume_only when attractiveness is missing', () => {
    const rows = [{ revenue: 1 }, { revenue: 2 }];
    expect(signalsOf(rows, 1, lowBar)).toEqual([]);
  });
  it.each([
    ['rising at current 25 and attractiveness exactly 75', 1, 75, true],
    ['no rising at attractiveness 74', 1, 74, false],
    ['no rising at current exactly 50', undefined, 90, false],
  ])('%s', (_case, other, fit, expected) => {
    // current = volume (no margin); account 0 has revenue 1: volume 25 next to revenue 2, 50 alone
    const rows: Partial<AccountRow>[] = [{ revenue: 1, productFit: fit }];
    if (other !== undefined) rows.push({ revenue: 2 });
    expect(signalsOf(rows, 0, lowBar)!.includes('rising')).toBe(expected);
  });
  it.each([
    ['assumed_retention with revenue and margin and no retention', { revenue: 1, grossMargin: 0.2 }, true],
    ['no assumed_retention when retention is given', { revenue: 1, grossMargin: 0.2, retentionRate: 0.9 }, false],
    ['no assumed_retention without a margin (no clv)', { revenue: 1 }, false],
  ])('%s', (_case, row, expected) => {
    expect(signalsOf([row], 0, lowBar)!.includes('assumed_retention')).toBe(expected);
  });
  it.each([
    ['low_coverage at 0.45', { revenue: 1, grossMargin: 0.2, retentionRate: 0.9 }, true],
    ['no low_coverage at exactly 0.6', { revenue: 1, grossMargin: 0.2, retentionRate: 0.9, productFit: 50 }, false],
  ])('%s', (_case, row, expected) => {
    expect(signalsOf([row], 0)!.includes('low_coverage')).toBe(expected);
  });
  it('lists several signals in SIGNAL_CODES order', () => {
    // volume 75, margin 5%, retention 50% given, potential 10x, coverage 0.45
    const rows = [{ revenue: 1 }, { revenue: 2, grossMargin: 0.05, retentionRate: 0.5, potentialRevenue: 20 }];
    // attractiveness is 50 (its one measure, headroom, alone at percentile 50): borderline too.
    expect(signalsOf(rows, 1)).toEqual(['headroom', 'thin_margin', 'retention_risk', 'borderline']);
  });
});

describe('scoreAccounts: empty input', () => {
  it('returns empty columns for no accounts', () => {
    const r = score([]);
    expect([r.n, r.score.length, r.order.length, r.signalMasks.length]).toEqual([0, 0, 0, 0]);
  });
});
