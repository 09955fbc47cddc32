import { TIER_INDEX, type ScoreResult } from './types.ts';

/**
 * The shortlist: a KAM team can serve only so many key accounts. With a capacity n it is
 * the n best-ranked accounts of the matrix's attractive half (Key and Develop); without
 * one, the Key tier. One rule for score, report and diff.
 */

/** Whether an account of this tier can be on a shortlist with a capacity. */
export function isShortlistTier(tier: string): boolean {
  return tier === 'Key' || tier === 'Develop';
}

/** Account indices on the shortlist of a scored set: the n best Key/Develop accounts, else the Key tier. */
export function shortlistOf(result: Pick<ScoreResult, 'n' | 'order' | 'tier'>, n: number | undefined): Set<number> {
  const out = new Set<number>();
  if (n === undefined) {
    for (let i = 0; i < result.n; i++) if (result.tier[i] === TIER_INDEX.Key) out.add(i);
    return out;
  }
  for (let k = 0; k < result.n && out.size < n; k++) {
    const i = result.order[k]!;
    const t = result.tier[i];
    if (t === TIER_INDEX.Key || t === TIER_INDEX.Develop) out.add(i);
  }
  return out;
}
