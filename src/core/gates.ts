/**
 * Knock-out gates (SCORING.md §4): rules of the config evaluated on the inputs before tiers.
 * A gated account keeps its score and criteria, but its tier is Gated: it ranks after the
 * rated accounts and before Unrated, and it cannot be Key or on the shortlist. Which rule
 * fired is decided in the schema layer (it reads the cells); this applies the outcome.
 */
import { rankAccounts } from './rank.ts';
import { TIER_INDEX, type ScoreResult, type TextColumn } from './types.ts';

/** The scored accounts with the gated ones (gated[i] === 1) moved to tier Gated and re-ranked. */
export function applyGates(result: ScoreResult, gated: Uint8Array, ids: TextColumn): ScoreResult {
  let any = false;
  for (let i = 0; i < result.n && !any; i++) any = gated[i] === 1;
  if (!any) return result;
  const tier = Uint8Array.from(result.tier);
  for (let i = 0; i < result.n; i++) if (gated[i] === 1) tier[i] = TIER_INDEX.Gated;
  const { order, rank } = rankAccounts(result.score, tier, ids);
  return { ...result, tier, order, rank };
}
