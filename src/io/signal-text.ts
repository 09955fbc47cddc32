import { nearCut } from '../core/signals.ts';
import { TIERS, type ConstantMeasure, type Criterion, type ScoreResult, type SignalCode, type Tier } from '../core/types.ts';
import { fixed2, round } from './format.ts';

/** Signal codes in words (the engine emits codes; prose lives here). */
export const SIGNAL_TEXT: Readonly<Record<SignalCode, string>> = {
  headroom: "large headroom: potential is 3x or more of today's revenue",
  rising: 'small today, strategic tomorrow',
  volume_only: 'big revenue, little beyond it: not key on revenue alone',
  thin_margin: 'big orders, thin margin',
  retention_risk: 'retention risk',
  assumed_retention: 'retention not given: default assumed',
  low_coverage: 'too little data to rate',
  borderline: 'close to a tier cut: a small change of data could move the tier',
};

/**
 * The borderline signal with its numbers, for explain: `current 50.00 is less than 2 points
 * from the cut 50: a small change of data could move the tier`.
 */
export function borderlineText(current: number, attractiveness: number, cut: number, band: number): string {
  const near = [
    ...(nearCut(current, cut, band) ? [`current ${fixed2(current)}`] : []),
    ...(nearCut(attractiveness, cut, band) ? [`attractiveness ${fixed2(attractiveness)}`] : []),
  ];
  return `${near.join(' and ')} ${near.length > 1 ? 'are' : 'is'} less than ${band} points from the cut ${cut}: a small change of data could move the tier`;
}

/** Short forms for the table's signal column. */
export const SIGNAL_SHORT: Readonly<Record<SignalCode, string>> = {
  headroom: 'headroom',
  rising: 'rising',
  volume_only: 'volume only',
  thin_margin: 'thin margin',
  retention_risk: 'retention risk',
  assumed_retention: 'retention assumed',
  low_coverage: 'low coverage',
  borderline: 'borderline',
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
  Gated: 'a knock-out gate of the config fired: scored, but never Key or on the shortlist',
  Unrated: 'too little data to place on the matrix',
};

/** What a tier says about each axis, and what it asks of the team (the parts of TIER_TEXT). */
const AXIS_WORDS: Readonly<Record<Exclude<Tier, 'Unrated' | 'Gated'>, { current: string; attractiveness: string; action: string }>> = {
  Key: { current: 'high value today', attractiveness: 'high attractiveness', action: 'invest, a dedicated key account plan' },
  Develop: { current: 'small today', attractiveness: 'attractive tomorrow', action: 'develop the relationship' },
  Maintain: { current: 'big today', attractiveness: 'little beyond volume', action: 'maintain efficiently' },
  Monitor: { current: 'low value today', attractiveness: 'low attractiveness', action: 'serve through standard channels' },
};

/**
 * The tier in words for one account, saying "tie of all N accounts" for an axis that rests
 * only on constant signals (SCORING.md §3) instead of what its side of the cut would claim.
 */
export function tierWords(tier: Tier, ties: { readonly current: number | undefined; readonly attractiveness: number | undefined }): string {
  if (tier === 'Unrated' || tier === 'Gated' || (ties.current === undefined && ties.attractiveness === undefined)) return TIER_TEXT[tier];
  const w = AXIS_WORDS[tier];
  const current = ties.current === undefined ? w.current : `tie of all ${ties.current} accounts on value today`;
  const attractiveness = ties.attractiveness === undefined ? w.attractiveness : `tie of all ${ties.attractiveness} accounts on attractiveness`;
  return `${current} and ${attractiveness}: ${w.action}`;
}

/** A constant signal's one value as the user wrote it: money plainly, a growth rate as a percent. */
function constantValue(c: ConstantMeasure): string {
  const r = (x: number): string => String(round(x, 2));
  return c.measure === 'growth_rate' ? `${r(c.value * 100)}%` : r(c.value);
}

/**
 * The one stderr warning about constant signals (SCORING.md §3), '' when there are none:
 * `revenue is 0 on all 40 accounts that have it, clv is 0 on ...: each of them is tied ...`.
 */
export function constantSignalsWarning(constant: readonly ConstantMeasure[], file: string): string {
  if (constant.length === 0) return '';
  const list = constant.map((c) => `${c.measure} is ${constantValue(c)} on all ${c.accounts} accounts that have it`).join(', ');
  const one = constant.length === 1;
  return `kam: warning: constant signal${one ? '' : 's'}: ${list}: ${one ? 'it ties' : 'each ties'} them all at percentile 50, which tells nothing; \`kam columns ${file}\` shows which column feeds each field\n`;
}

/** Tier counts and rejected rows, for the table's last line and stderr summaries. */
export function tierSummary(result: ScoreResult, rejected: number): string {
  const counts = TIERS.map(() => 0);
  for (let i = 0; i < result.n; i++) counts[result.tier[i]!]!++;
  // Gated is listed only when a gate fired, so a run without gates reads as before.
  return `${TIERS.flatMap((t, k) => (t === 'Gated' && counts[k] === 0 ? [] : [`${t} ${counts[k]}`])).join(' · ')} · rejected ${rejected}`;
}
