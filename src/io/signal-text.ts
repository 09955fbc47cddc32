import type { Criterion, SignalCode, Tier } from '../core/types.ts';

/** Signal codes in words (the engine emits codes; prose lives here). */
export const SIGNAL_TEXT: Readonly<Record<SignalCode, string>> = {
  headroom: 'large headroom: potential is 3x or more of today\'s revenue',
  rising: 'small today, strategic tomorrow',
  volume_only: 'big revenue, little beyond it: not key on revenue alone',
  thin_margin: 'big orders, thin margin',
  retention_risk: 'retention risk',
  assumed_retention: 'retention not given: default assumed',
  low_coverage: 'too little data to rate',
};

/** Short forms for the table's signal column. */
export const SIGNAL_SHORT: Readonly<Record<SignalCode, string>> = {
  headroom: 'headroom',
  rising: 'rising',
  volume_only: 'volume only',
  thin_margin: 'thin margin',
  retention_risk: 'retention risk',
  assumed_retention: 'retention assumed',
  low_coverage: 'low coverage',
};

export const CRITERION_LABEL: Readonly<Record<Criterion, string>> = {
  volume: 'Revenue volume',
  potential: 'Revenue potential',
  ltv: 'Lifetime value',
  fit: 'Product fit',
  strategic: 'Strategic value',
};

export const TIER_TEXT: Readonly<Record<Tier, string>> = {
  Key: 'high value today and high attractiveness: invest, a dedicated key account plan',
  Develop: 'small today, attractive tomorrow: develop the relationship',
  Maintain: 'big today, little beyond volume: maintain efficiently',
  Monitor: 'low on both axes: monitor, serve through standard channels',
  Unrated: 'too little data to place on the matrix',
};
