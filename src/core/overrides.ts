/**
 * Manual overrides (SCORING.md §4), applied after scoring and gates: the effective tier and
 * shortlist membership. Which rows are active (not expired, known id) is decided by the
 * shell, which knows the date; this only applies them.
 */
import { compareCodePoints, rankAccounts } from './rank.ts';
import { TIER_INDEX, type ScoreResult, type TextColumn } from './types.ts';

/** One active override, by account index. */
export interface AccountOverride {
  readonly account: number;
  /** Index into TIERS, or undefined to keep the tier. */
  readonly tier: number | undefined;
  /** Force on (true) or off (false) the shortlist, or undefined. */
  readonly shortlist: boolean | undefined;
}

/** The result with the overridden tiers, re-ranked (an override out of Gated or Unrated moves the account's rank group). */
export function applyTierOverrides(result: ScoreResult, overrides: readonly AccountOverride[], ids: TextColumn): ScoreResult {
  if (!overrides.some((o) => o.tier !== undefined)) return result;
  const tier = Uint8Array.from(result.tier);
  for (const o of overrides) if (o.tier !== undefined) tier[o.account] = o.tier;
  const { order, rank } = rankAccounts(result.score, tier, ids);
  return { ...result, tier, order, rank };
}

/**
 * The shortlist under the overrides: the accounts forced in, then the best of the rest of the
 * attractive half (Key and Develop, not forced out) up to the capacity; without a capacity,
 * the Key tier plus those forced in, less those forced out.
 */
export function shortlistWithOverrides(
  result: Pick<ScoreResult, 'n' | 'order' | 'tier'>,
  capacity: number | undefined,
  overrides: readonly AccountOverride[],
): Set<number> {
  const forced = new Map<number, boolean>();
  for (const o of overrides) if (o.shortlist !== undefined) forced.set(o.account, o.shortlist);
  const out = new Set<number>();
  for (const [i, on] of forced) if (on) out.add(i);
  for (let k = 0; k < result.n && (capacity === undefined || out.size < capacity); k++) {
    const i = result.order[k]!;
    if (forced.has(i)) continue;
    const t = result.tier[i];
    if (t === TIER_INDEX.Key || (capacity !== undefined && t === TIER_INDEX.Develop)) out.add(i);
  }
  return out;
}

/**
 * The overrides whose last day lies from `date` to `date + days` (days since 1970-01-01; the
 * shell passes --as-of or the snapshot's date: core has no clock), soonest first, then by
 * account id. An override that has already expired is not among them.
 */
export function expiringWithin<T extends { readonly accountId: string; readonly expires: number }>(rows: readonly T[], date: number, days: number): T[] {
  return rows.filter((r) => r.expires >= date && r.expires - date <= days).sort((a, b) => a.expires - b.expires || compareCodePoints(a.accountId, b.accountId));
}
