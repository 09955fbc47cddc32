/**
 * "What to watch" for one account (`kam explain --history`): the article's "anticipate its
 * future needs", read from the account's history and signals. Codes, not prose (the shell
 * words them). Pure.
 */

/** What one snapshot (or this week's file, last) says about the account; NaN when missing. */
export interface WatchPoint {
  readonly pipeline: number;
  readonly revenue: number;
  readonly grossMargin: number;
  readonly signals: readonly string[];
}

export type WatchItem =
  /** Pipeline grew since the snapshot before, and no revenue has been won yet (0 or blank). */
  | { readonly code: 'pipeline_without_revenue'; readonly from: number; readonly to: number }
  /** Gross margin fell in each of the last three steps. */
  | { readonly code: 'margin_falling'; readonly values: readonly number[] }
  /** retention_risk now, not in the snapshot before. */
  | { readonly code: 'retention_risk_new' }
  /** Momentum signals of the history (core/history.ts). */
  | { readonly code: 'rising_fast' | 'falling'; readonly slope: number }
  /** A goal of the account behind or overdue. */
  | { readonly code: 'goal_behind'; readonly metric: string; readonly status: 'behind' | 'overdue' };

/** How many consecutive falls make `margin_falling`. */
const MARGIN_FALLS = 3;

/**
 * The list, in a fixed order: goals behind, momentum, pipeline without revenue, margin
 * falling, retention risk new. `points` are oldest first; an undefined point is a snapshot
 * the account is not in.
 */
export function watchList(
  points: readonly (WatchPoint | undefined)[],
  momentum: { readonly signals: readonly ('rising_fast' | 'falling')[]; readonly slope: number } | undefined,
  goals: readonly { readonly metric: string; readonly status: string }[],
): WatchItem[] {
  const out: WatchItem[] = [];
  for (const g of goals) if (g.status === 'behind' || g.status === 'overdue') out.push({ code: 'goal_behind', metric: g.metric, status: g.status });
  for (const s of momentum?.signals ?? []) out.push({ code: s, slope: momentum!.slope });
  const now = points.at(-1);
  const before = points.at(-2);
  if (!now) return out;
  if (before && now.pipeline > before.pipeline && !(now.revenue > 0)) out.push({ code: 'pipeline_without_revenue', from: before.pipeline, to: now.pipeline });
  const margins: number[] = [];
  for (let k = points.length - 1; k >= 0 && margins.length <= MARGIN_FALLS; k--) {
    const m = points[k]?.grossMargin ?? Number.NaN;
    if (Number.isNaN(m)) break;
    margins.unshift(m);
  }
  if (margins.length === MARGIN_FALLS + 1 && margins.every((m, i) => i === 0 || m < margins[i - 1]!)) out.push({ code: 'margin_falling', values: margins });
  if (now.signals.includes('retention_risk') && before !== undefined && !before.signals.includes('retention_risk')) out.push({ code: 'retention_risk_new' });
  return out;
}
