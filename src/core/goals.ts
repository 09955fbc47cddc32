/**
 * Goals per key account (`kam goals`): the KAM article's "set goals, deliver, measure the
 * account's growth with the same criteria that selected it". A goal moves one metric of one
 * account from a baseline to a target by a due date; its status at a date is done, on track,
 * behind (below the straight line from baseline to target at that date), overdue, no data,
 * or account gone. Pure: dates are day numbers passed in, never the clock.
 */

export type GoalStatus = 'done' | 'on_track' | 'behind' | 'overdue' | 'no_data' | 'account_gone';

/** A metric value: a number (amount, percent as a fraction, 0..100 score) or a text (a tier). */
export type GoalValue = number | string;

export interface Goal {
  /** A number for numeric metrics, a tier name for kam_tier. */
  readonly target: GoalValue;
  /** Days since 1970-01-01. */
  readonly due: number;
  /** When the goal was set (days); undefined: from the first snapshot. */
  readonly set: number | undefined;
  /** A baseline given in the goals file; undefined: the first snapshot on or after `set`. */
  readonly baseline: GoalValue | undefined;
}

/** What one snapshot says about the goal's account. */
export interface GoalObservation {
  /** Days since 1970-01-01 (snapshots oldest first). */
  readonly date: number;
  /** Whether the account is in the snapshot. */
  readonly present: boolean;
  /** The metric's value there; undefined when absent or blank. */
  readonly value: GoalValue | undefined;
  readonly shortlisted: boolean;
}

export interface GoalEvaluation {
  readonly status: GoalStatus;
  readonly baseline: { readonly value: GoalValue; readonly date: number } | undefined;
  /** The value in the latest snapshot; undefined when absent or blank there. */
  readonly current: GoalValue | undefined;
  /** Share of the way from baseline to target, 1 = reached (may exceed 1 or be negative); NaN without data. */
  readonly progress: number;
  /** Share of the time from baseline to due that has passed at `today`, 0..1; NaN without a baseline. */
  readonly expected: number;
  /** The account was on the shortlist in an earlier snapshot and is not in the latest. */
  readonly leftShortlist: boolean;
}

/** Progress of `current` from `baseline` toward `target`: numbers on the line, texts 0 or 1. */
export function goalProgress(baseline: GoalValue, current: GoalValue, target: GoalValue): number {
  if (typeof target === 'string' || typeof current === 'string' || typeof baseline === 'string') {
    return String(current).toLowerCase() === String(target).toLowerCase() ? 1 : 0;
  }
  // A target equal to the baseline means "keep it there": reached while at least the target.
  if (target === baseline) return current >= target ? 1 : 0;
  return (current - baseline) / (target - baseline);
}

/** The status of one goal at `today`, from its account's observations in every snapshot (oldest first). */
export function evaluateGoal(goal: Goal, observations: readonly GoalObservation[], today: number): GoalEvaluation {
  const latest = observations.at(-1);
  const leftShortlist = latest !== undefined && !latest.shortlisted && observations.slice(0, -1).some((o) => o.shortlisted);
  const none = { baseline: undefined, current: undefined, progress: Number.NaN, expected: Number.NaN, leftShortlist };
  if (!observations.some((o) => o.present)) return { status: 'no_data', ...none };
  if (!latest?.present) return { status: 'account_gone', ...none, current: undefined };

  let baseline: GoalEvaluation['baseline'];
  if (goal.baseline !== undefined) {
    baseline = { value: goal.baseline, date: goal.set ?? observations[0]!.date };
  } else {
    const first = observations.find((o) => (goal.set === undefined || o.date >= goal.set) && o.present && o.value !== undefined);
    baseline = first ? { value: first.value!, date: first.date } : undefined;
  }
  const current = latest.value;
  if (baseline === undefined || current === undefined) return { status: 'no_data', ...none, baseline, current };

  const progress = goalProgress(baseline.value, current, goal.target);
  const span = goal.due - baseline.date;
  const expected = span <= 0 ? 1 : Math.min(1, Math.max(0, (today - baseline.date) / span));
  let status: GoalStatus;
  if (progress >= 1 - 1e-12) status = 'done';
  else if (today > goal.due) status = 'overdue';
  else if (progress < expected - 1e-12) status = 'behind';
  else status = 'on_track';
  return { status, baseline, current, progress, expected, leftShortlist };
}

// ---- goals.csv as read (commands/follow-up.ts) and shown (io/followup-text.ts) ----

/** How a metric's values are read and shown. */
export type MetricKind = 'money' | 'percent' | 'number' | 'score' | 'rank' | 'tier';

/** One row of goals.csv, read. */
export interface GoalRow {
  readonly line: number;
  readonly accountId: string;
  readonly metric: string;
  readonly kind: MetricKind;
  readonly goal: Goal;
  readonly owner: string;
  readonly note: string;
}

/** A goal with its account's name (latest snapshot it is in) and its evaluation. */
export interface GoalResult {
  readonly row: GoalRow;
  readonly name: string;
  readonly evaluation: GoalEvaluation;
}

export interface GoalsReport {
  readonly source: string;
  readonly today: number;
  readonly snapshots: number;
  readonly latest: string;
  readonly goals: readonly GoalResult[];
}
