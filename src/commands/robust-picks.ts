/**
 * `kam report --robust` (issue 14): each account's shortlist acceptability over kam robust's
 * default weightings, so the report can mark the robust picks on the matrix. Shared module,
 * not a command (no command imports another).
 */
import { defaultRobustAnalysis, NO_FIXED_TIER, ROBUST_PICK } from '../core/robust.ts';
import { textValues } from '../core/text-column.ts';
import { TIER_INDEX, type ModelConfig, type ScoreResult } from '../core/types.ts';
import type { ReportAccount, ReportData } from '../io/report-data.ts';
import type { LoadedAccounts } from './load.ts';

/** The report's data with every account's shortlist acceptability and the legend's numbers. */
export function withRobustPicks(data: ReportData, loaded: LoadedAccounts, model: ModelConfig, result: ScoreResult, shortlist: number | undefined): ReportData {
  const a = loaded.parsed.accounts;
  // A gate does not depend on the weights: a gated account is Gated in every weighting.
  const gated = result.tier.some((t) => t === TIER_INDEX.Gated);
  const fixedTier = gated ? Uint8Array.from(result.tier, (t) => (t === TIER_INDEX.Gated ? TIER_INDEX.Gated : NO_FIXED_TIER)) : undefined;
  const ids = textValues(a.id) as string[];
  const r = defaultRobustAnalysis({ n: a.n, ids, criteria: result.criteria, fixedTier }, model, shortlist);
  const index = new Map(ids.map((id, i) => [id, i]));
  const accounts = data.accounts.map((x): ReportAccount => ({ ...x, robust: r.shortlist[index.get(x.id)!]! / r.scenarios }));
  return { ...data, accounts, robust: { scenarios: r.scenarios, threshold: ROBUST_PICK } };
}
