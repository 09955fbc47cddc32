import type { ModelConfig } from './types.ts';

/** The default model of SCORING.md (v1). Every number here can be changed by the config. */
export const DEFAULT_MODEL: ModelConfig = {
  weights: { volume: 0.2, potential: 0.2, ltv: 0.25, fit: 0.15, strategic: 0.2 },
  measureWeights: {
    revenue: 1,
    headroom: 0.6,
    pipeline: 0.2,
    growth_rate: 0.2,
    clv: 1,
    product_fit: 0.5,
    icp_match: 0.5,
    strategic_value: 1,
  },
  tierCut: 50,
  band: 2,
  minCoverage: 0.6,
  discountRate: 0.1,
  defaultRetention: 0.85,
  icp: undefined,
  flagBonuses: {},
  thresholds: {
    headroomMultiple: 3,
    thinMarginVolume: 75,
    thinMargin: 0.1,
    retentionRisk: 0.7,
    volumeOnlyVolume: 75,
    volumeOnlyAttractiveness: 50,
    risingCurrent: 50,
    risingAttractiveness: 75,
  },
};
