/**
 * Domain types of the scoring engine. Plain data, no I/O. The schema layer produces
 * `AccountColumns` from validated rows; the engine turns them into a `ScoreResult`.
 *
 * Units: money in the base currency (whole units, not millions), percents as fractions
 * (0.35 for 35%), ratings already normalised to 0..100 by the schema layer using
 * `normaliseRating` from ./normalise.ts. Missing values are NaN (numbers) or
 * `undefined` (text): a blank cell is missing, never zero.
 */

/** The five identification criteria of the KAM article, in display order. */
export const CRITERIA = ['volume', 'potential', 'ltv', 'fit', 'strategic'] as const;
export type Criterion = (typeof CRITERIA)[number];

/** The measures (inputs normalised to 0..100) that feed the criteria. */
export const MEASURES = ['revenue', 'headroom', 'pipeline', 'growth_rate', 'clv', 'product_fit', 'icp_match', 'strategic_value'] as const;
export type Measure = (typeof MEASURES)[number];

/** Which criterion each measure feeds. */
export const MEASURE_CRITERION: Readonly<Record<Measure, Criterion>> = {
  revenue: 'volume',
  headroom: 'potential',
  pipeline: 'potential',
  growth_rate: 'potential',
  clv: 'ltv',
  product_fit: 'fit',
  icp_match: 'fit',
  strategic_value: 'strategic',
};

/**
 * Tiers of the KAM portfolio matrix, then Gated (a knock-out gate of the config fired: it
 * keeps its score but cannot be Key or on the shortlist) and Unrated (too little data to
 * place), in rank order (SCORING.md §4).
 */
export const TIERS = ['Key', 'Develop', 'Maintain', 'Monitor', 'Gated', 'Unrated'] as const;
export type Tier = (typeof TIERS)[number];
export const TIER_INDEX: Readonly<Record<Tier, number>> = { Key: 0, Develop: 1, Maintain: 2, Monitor: 3, Gated: 4, Unrated: 5 };

/** Stable explanation codes. Prose lives in the renderers (signal-text.ts), never here. */
export const SIGNAL_CODES = ['headroom', 'rising', 'volume_only', 'thin_margin', 'retention_risk', 'assumed_retention', 'low_coverage', 'borderline'] as const;
export type SignalCode = (typeof SIGNAL_CODES)[number];

/** Where a row's retention rate came from. */
export const RetentionSource = { None: 0, Retention: 1, Churn: 2, Both: 3 } as const;
export type RetentionSource = (typeof RetentionSource)[keyof typeof RetentionSource];

/**
 * One text cell per account, stored as its maker chooses (a file's ids and names as packed
 * characters, schema/packed-text.ts; `textColumn` over an array for everything else).
 */
export interface TextColumn {
  readonly length: number;
  /** Cell i, or undefined when it is missing. */
  at(i: number): string | undefined;
  /** Cells i and j in code point order (a missing cell as ''), negative, zero or positive. */
  compare(i: number, j: number): number;
}

/**
 * Accounts in columnar form: index i is the i-th valid account. One typed array per
 * numeric field keeps a million accounts cheap. NaN means missing.
 */
export interface AccountColumns {
  readonly n: number;
  /** Unique, non-empty; the account name when the file has no id column. */
  readonly id: TextColumn;
  readonly name: TextColumn;
  /** Revenue we earned from the account, last 12 months (base currency). */
  readonly revenue: Float64Array;
  /** The account's own annual revenue (firmographic); never scored as volume. */
  readonly companyRevenue: Float64Array;
  readonly potentialRevenue: Float64Array;
  readonly pipeline: Float64Array;
  /** Fraction per year, may be negative. */
  readonly growthRate: Float64Array;
  /** Fraction, -1..1. */
  readonly grossMargin: Float64Array;
  /** Fraction 0..1 (from retention_rate, else 1 - churn_risk); NaN when neither given. */
  readonly retentionRate: Float64Array;
  readonly retentionSource: Uint8Array;
  /** 0..100, normalised by the schema layer. */
  readonly productFit: Float64Array;
  /** 0..100, normalised by the schema layer. */
  readonly strategicValue: Float64Array;
  readonly industry: TextColumn;
  readonly country: TextColumn;
  readonly employees: Float64Array;
  /** Configured flag columns: 1 yes, 0 no, 255 missing. Keyed as in `ModelConfig.flagBonuses`. */
  readonly flags: Readonly<Record<string, Uint8Array>>;
}

export interface IcpRules {
  /** Matched case-insensitively. */
  readonly industries?: readonly string[];
  readonly countries?: readonly string[];
  readonly employees?: { readonly min?: number; readonly max?: number };
  /** Weight of each rule in icp_match; a rule that is not configured does not count. */
  readonly weights: { readonly industries: number; readonly countries: number; readonly employees: number };
}

export interface SignalThresholds {
  /** headroom: potential_revenue >= this multiple of revenue. */
  readonly headroomMultiple: number;
  /** thin_margin: volume >= thinMarginVolume and gross_margin < thinMargin. */
  readonly thinMarginVolume: number;
  readonly thinMargin: number;
  /** retention_risk: given retention < this. */
  readonly retentionRisk: number;
  /** volume_only: volume >= volumeOnlyVolume and attractiveness < volumeOnlyAttractiveness. */
  readonly volumeOnlyVolume: number;
  readonly volumeOnlyAttractiveness: number;
  /** rising: current < risingCurrent and attractiveness >= risingAttractiveness. */
  readonly risingCurrent: number;
  readonly risingAttractiveness: number;
}

/** Everything the engine needs; every number is a SCORING.md default the config can change. */
export interface ModelConfig {
  readonly weights: Readonly<Record<Criterion, number>>;
  readonly measureWeights: Readonly<Record<Measure, number>>;
  /** Tier cut on both axes, 0..100; also the pass mark of the checklist. */
  readonly tierCut: number;
  /**
   * Borderline band (SCORING.md §4): a rated account with an axis less than this many points
   * from the cut is `borderline`, and `diff --hysteresis` holds last week's tier for a cut
   * crossed by less; 0 turns both off.
   */
  readonly band: number;
  readonly minCoverage: number;
  readonly discountRate: number;
  readonly defaultRetention: number;
  readonly icp: IcpRules | undefined;
  /** Flag column (canonical key) -> points added to `strategic`, capped at 100. */
  readonly flagBonuses: Readonly<Record<string, number>>;
  readonly thresholds: SignalThresholds;
}

/** The measures normalised as midrank percentiles (SCORING.md §2); the others are scales. */
export const PERCENTILE_MEASURES = ['revenue', 'headroom', 'pipeline', 'growth_rate', 'clv'] as const satisfies readonly Measure[];
export type PercentileMeasure = (typeof PERCENTILE_MEASURES)[number];

/**
 * A percentile measure with a single value on every account that has it (SCORING.md §3
 * "Constant signals"): each of them is tied at 50, a number that tells nothing.
 */
export interface ConstantMeasure {
  readonly measure: PercentileMeasure;
  /** The one raw value (money, fraction or CLV), as the engine used it. */
  readonly value: number;
  /** How many accounts have the measure (all tied); at least 2. */
  readonly accounts: number;
}

/** The engine's output, columnar and indexed like the input `AccountColumns`. */
export interface ScoreResult {
  readonly n: number;
  /** Normalised measures 0..100, NaN when absent (clv also keeps its raw value). */
  readonly measures: Readonly<Record<Measure, Float64Array>>;
  /** Raw customer lifetime value in money, NaN when not computable. */
  readonly clv: Float64Array;
  /** Criterion values 0..100, NaN when no measure of it is present. */
  readonly criteria: Readonly<Record<Criterion, Float64Array>>;
  /** Composite score 0..100, NaN when no criterion is present. */
  readonly score: Float64Array;
  /** 0..1 */
  readonly coverage: Float64Array;
  readonly current: Float64Array;
  readonly attractiveness: Float64Array;
  /** Index into TIERS. */
  readonly tier: Uint8Array;
  /** 1-based rank of account i. */
  readonly rank: Uint32Array;
  /** Account indices in rank order (order[0] is rank 1). */
  readonly order: Uint32Array;
  /** Each account's signals as a bit mask: `signalsOfMask` (core/signals.ts) gives its codes, in SIGNAL_CODES order. */
  readonly signalMasks: Uint8Array;
  /** Percentile measures tied on every account that has them, in MEASURES order. */
  readonly constant: readonly ConstantMeasure[];
}
