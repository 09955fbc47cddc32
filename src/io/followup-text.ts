import type { BacktestReport, BacktestResult, Interval, OutcomeSpec } from '../core/backtest.ts';
import type { ShortlistRule } from '../core/diff.ts';
import type { GoalsReport, GoalStatus, GoalValue, MetricKind } from '../core/goals.ts';
import { sparkline, type AccountHistory, type HistoryEvent, type HistoryResult } from '../core/history.ts';
import { fixed, fixed2, fixedOrBlank, grouped, isoDate, percent, signed, wholePercent } from './format.ts';
import type { ReportBacktest, ReportGoals, ReportHistory } from './render-followup.ts';

/**
 * The follow-up commands in words (goals, history, backtest), shared by their renderers and
 * by kam report and kam diff: the data comes from commands/follow-up.ts, the arithmetic from
 * core/goals.ts, core/history.ts and core/backtest.ts.
 */

// ---- goals ----------------------------------------------------------------------------

export const STATUS_TEXT: Readonly<Record<GoalStatus, string>> = {
  done: 'done',
  on_track: 'on track',
  behind: 'behind',
  overdue: 'overdue',
  no_data: 'no data',
  account_gone: 'account gone',
};

/** A metric value in words: money grouped, percents with %, scores with 2 decimals. */
export function formatGoalValue(v: GoalValue | undefined, kind: MetricKind): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  switch (kind) {
    case 'percent':
      return percent(v, 1);
    case 'score':
      return fixed2(v);
    case 'rank':
      return String(v);
    default:
      return grouped(v, 'shortest');
  }
}

// ---- history --------------------------------------------------------------------------

export const day = (h: HistoryResult, k: number): string => isoDate(h.dates[k]!);

/** 'Key for 8 snapshots since 2026-10-02'; '' when the account is gone. */
export function streakText(h: HistoryResult, a: AccountHistory): string {
  if (!a.streak) return '';
  const n = a.streak.snapshots;
  return `${a.streak.tier} for ${n} snapshot${n === 1 ? '' : 's'} since ${day(h, a.streak.since)}`;
}

/** '+6.42/wk' or '' when there is no slope. */
export function momentumText(a: AccountHistory): string {
  if (!a.momentum) return '';
  return `${signed(a.momentum.slope)}/wk`;
}

/** The score sparkline with a `|` where the model changed. */
export function scoreSparkline(h: HistoryResult, a: AccountHistory): string {
  return sparkline(
    a.series.map((p) => p?.score ?? Number.NaN),
    new Set(h.modelChanges.map((c) => c.at)),
  );
}

export function eventText(e: HistoryEvent): string {
  switch (e.kind) {
    case 'appeared':
      return 'new account';
    case 'disappeared':
      return 'no longer in the export';
    case 'entered':
      return 'entered the shortlist';
    case 'left':
      return 'left the shortlist';
    case 'tier':
      return `tier ${e.from} -> ${e.to}`;
  }
}

/** One line per model change, in words. */
export function modelChangeLines(h: HistoryResult): string[] {
  return h.modelChanges.map(
    (c) =>
      `model changed on ${day(h, c.at)}: ${c.from ?? 'unknown'} -> ${c.to ?? 'unknown'} (scores across it are not comparable; momentum starts after the last change)`,
  );
}

// ---- backtest -------------------------------------------------------------------------

/** The outcome in words, for the report's first lines. */
export function describeOutcome(spec: OutcomeSpec): string {
  switch (spec.kind) {
    case 'growth':
      return `revenue grew by at least ${formatPercent(spec.min, 0)}`;
    case 'won':
      return 'a deal won in between';
    case 'churn':
      return 'revenue fell to 0 or the account disappeared';
  }
}

/** The outcome as a code, for CSV and JSON. */
export const outcomeCode = (spec: OutcomeSpec): string => (spec.kind === 'growth' ? `growth:${Number((spec.min * 100).toPrecision(12))}%` : spec.kind);

/** A fraction as a percent with `digits` decimals: 0.75 -> '75.0%'; '' when NaN. */
export function formatPercent(x: number, digits = 1): string {
  return Number.isNaN(x) ? '' : percent(x, digits, true);
}

export const lift2 = (x: number): string => (Number.isNaN(x) ? 'n/a' : fixed(x, 2));
export const intervalText = (i: Interval, f: (x: number) => string): string => (Number.isNaN(i.low) ? 'n/a' : `${f(i.low)} – ${f(i.high)}`);

export const ruleText = (rule: ShortlistRule): string =>
  rule.kind === 'best' ? `the best ${rule.n} Key/Develop accounts` : rule.kind === 'column' ? 'its kam_shortlist column' : 'the Key tier';

export const dateText = (d: number | undefined): string => (d === undefined ? 'undated' : isoDate(d));

/** Four decimals for data formats; '' when NaN. */
export const fixed4 = (x: number): string => fixedOrBlank(x, 4);

/** The tiers whose rates say little, for the warning. */
const smallTiers = (r: BacktestResult): string[] => r.tiers.filter((t) => t.small).map((t) => t.tier);

export function aucLine(r: BacktestResult): string {
  return Number.isNaN(r.auc)
    ? `AUC: n/a (it needs positive and negative accounts with a score)`
    : `AUC: ${fixed4(r.auc)} over ${r.aucAccounts} scored accounts (0.5 is a coin toss, 1 is a perfect ranking)`;
}

export function shortlistLine(b: BacktestReport): string {
  const s = b.result.shortlist;
  return `shortlist (${ruleText(b.old.rule)}): ${s.size} accounts, ${s.positives} positive · precision ${formatPercent(s.precision) || 'n/a'} · recall ${formatPercent(s.recall) || 'n/a'}`;
}

export function warningLine(r: BacktestResult): string | undefined {
  const small = smallTiers(r);
  return small.length ? `warning: fewer than 10 accounts or 5 positives in ${small.join(', ')}: read those rates with care` : undefined;
}

// ---- the report's follow-up sections ---------------------------------------------------

/** The goals as the report shows them. */
export function goalsForReport(r: GoalsReport): ReportGoals {
  return {
    source: r.source,
    summary: `${r.goals.length} goal(s) at ${isoDate(r.today)}`,
    rows: r.goals.map((g) => ({
      id: g.row.accountId,
      name: g.name,
      metric: g.row.metric,
      baseline: formatGoalValue(g.evaluation.baseline?.value, g.row.kind),
      current: formatGoalValue(g.evaluation.current, g.row.kind),
      target: formatGoalValue(g.row.goal.target, g.row.kind),
      due: isoDate(g.row.goal.due),
      progress: wholePercent(g.evaluation.progress),
      status: STATUS_TEXT[g.evaluation.status],
      flag: g.evaluation.leftShortlist ? 'left the shortlist' : '',
      owner: g.row.owner,
    })),
  };
}

/** The history of the given accounts (the report's shortlist, in its order) as the report charts it. */
export function historyForReport(h: HistoryResult, ids: readonly string[]): ReportHistory {
  const byId = new Map(h.accounts.map((a) => [a.id, a]));
  return {
    dates: h.dates.map((d) => isoDate(d)),
    modelBreaks: h.modelChanges.map((c) => c.at),
    modelLines: modelChangeLines(h),
    series: ids.flatMap((id) => {
      const a = byId.get(id);
      if (!a) return [];
      return [
        {
          id,
          name: a.name,
          scores: a.series.map((p) => (p && !Number.isNaN(p.score) ? p.score : undefined)),
          streak: streakText(h, a),
          momentum: momentumText(a),
          signals: [...a.signals],
        },
      ];
    }),
  };
}

/** The backtest as the report shows it. */
export function backtestForReport(b: BacktestReport, laterName: string): ReportBacktest {
  const r = b.result;
  return {
    compared: `${b.old.source} (${dateText(b.old.date)}${b.old.model ? `, model ${b.old.model}` : ''}) -> ${laterName}`,
    outcome: `${describeOutcome(b.outcome)}; ${r.positives} of ${r.accounts} accounts (${formatPercent(r.rate)})`,
    tiers: r.tiers.map((t) => ({
      tier: t.tier,
      accounts: t.accounts,
      positives: t.positives,
      rate: formatPercent(t.rate),
      interval: intervalText(t.rateInterval, formatPercent),
      lift: lift2(t.lift),
      small: t.small,
    })),
    gains: r.gains.map((g) => g.gain),
    auc: aucLine(r),
    shortlist: shortlistLine(b),
    warning: warningLine(r),
  };
}
