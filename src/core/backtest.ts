/**
 * Checking the model against what happened (`kam backtest`): the accounts of an old snapshot,
 * as kam ranked and tiered them then, each with an outcome observed later. Per tier: rate of
 * positives, lift over the overall rate, Wilson 95% intervals; cumulative gains by decile of
 * rank; AUC (Mann-Whitney, ties as halves); precision and recall of the shortlist. Pure.
 */
import type { ShortlistRule } from './diff.ts';
import { compareCodePoints } from './rank.ts';
import { TIERS, type Tier } from './types.ts';

/** One account of the old snapshot with the outcome observed in the later one. */
export interface BacktestAccount {
  readonly id: string;
  readonly name: string;
  /** 1-based rank in the old snapshot. */
  readonly rank: number;
  /** The old snapshot's score, 0..100; NaN when it had none. */
  readonly score: number;
  readonly tier: Tier;
  readonly shortlisted: boolean;
  readonly positive: boolean;
}

/** A 95% interval of a proportion (or of a lift: the proportion's interval over the overall rate). */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** z of a two-sided 95% interval, the textbook 1.96. */
const Z95 = 1.96;

/**
 * Wilson score interval of k successes in n trials:
 * (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), p = k/n. NaN bounds when n is 0.
 */
export function wilsonInterval(k: number, n: number, z: number = Z95): Interval {
  if (n <= 0) return { low: Number.NaN, high: Number.NaN };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Area under the ROC curve as the Mann-Whitney statistic: over every (positive, negative)
 * pair, 1 when the positive scored higher, 1/2 on a tie, 0 otherwise; divided by the pairs.
 * Accounts without a score are left out. NaN when either class is empty.
 */
export function aucMannWhitney(scores: readonly number[], positive: readonly boolean[]): number {
  const pos: number[] = [];
  const neg: number[] = [];
  scores.forEach((s, i) => {
    if (Number.isNaN(s)) return;
    (positive[i] ? pos : neg).push(s);
  });
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  // Sort the negatives once; each positive counts those below it and those tied, by binary search.
  neg.sort((a, b) => a - b);
  const firstAtLeast = (x: number): number => {
    let lo = 0;
    let hi = neg.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (neg[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const firstAbove = (x: number): number => {
    let lo = 0;
    let hi = neg.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (neg[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let wins = 0;
  for (const s of pos) {
    const below = firstAtLeast(s);
    wins += below + 0.5 * (firstAbove(s) - below);
  }
  return wins / (pos.length * neg.length);
}

/** One tier of the old snapshot. */
interface TierOutcome {
  readonly tier: Tier;
  readonly accounts: number;
  readonly positives: number;
  /** positives / accounts. */
  readonly rate: number;
  readonly rateInterval: Interval;
  /** rate / overall rate; NaN when the overall rate is 0. */
  readonly lift: number;
  readonly liftInterval: Interval;
  /** Fewer than `minAccounts` accounts or `minPositives` positives: the rate says little. */
  readonly small: boolean;
}

/** The best-ranked accounts down to one decile of the ranking. */
interface GainsRow {
  /** 1..10: the top decile*10 % of the ranked accounts. */
  readonly decile: number;
  /** Accounts in the top deciles: ceil(decile * n / 10). */
  readonly accounts: number;
  /** Positives among them. */
  readonly positives: number;
  /** Share of all positives captured: positives / all positives (NaN when there are none). */
  readonly gain: number;
  /** Rate among them over the overall rate (NaN when the overall rate is 0). */
  readonly lift: number;
}

/** The shortlist of the old snapshot against the outcome. */
interface ShortlistOutcome {
  readonly size: number;
  readonly positives: number;
  /** Positives on the shortlist / shortlist size (NaN for an empty shortlist). */
  readonly precision: number;
  /** Positives on the shortlist / all positives (NaN when there are none). */
  readonly recall: number;
}

export interface BacktestResult {
  readonly accounts: number;
  readonly positives: number;
  readonly rate: number;
  readonly rateInterval: Interval;
  /** Tiers that hold at least one account, in TIERS order. */
  readonly tiers: readonly TierOutcome[];
  readonly gains: readonly GainsRow[];
  readonly auc: number;
  /** Accounts with a score, the ones the AUC is over. */
  readonly aucAccounts: number;
  readonly shortlist: ShortlistOutcome;
}

/** When a tier is too small to read a rate from (the rule of thumb: 10 accounts, 5 positives). */
export interface BacktestOptions {
  readonly minAccounts: number;
  readonly minPositives: number;
}

const DEFAULT_BACKTEST_OPTIONS: BacktestOptions = { minAccounts: 10, minPositives: 5 };

const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);

/** Everything `kam backtest` reports, from the old snapshot's accounts and their outcomes. */
export function runBacktest(accounts: readonly BacktestAccount[], options: BacktestOptions = DEFAULT_BACKTEST_OPTIONS): BacktestResult {
  const n = accounts.length;
  const positives = accounts.filter((a) => a.positive).length;
  const rate = ratio(positives, n);
  const lift = (r: number): number => (rate > 0 ? r / rate : Number.NaN);
  const tiers: TierOutcome[] = [];
  for (const tier of TIERS) {
    const members = accounts.filter((a) => a.tier === tier);
    if (members.length === 0) continue;
    const k = members.filter((a) => a.positive).length;
    const interval = wilsonInterval(k, members.length);
    tiers.push({
      tier,
      accounts: members.length,
      positives: k,
      rate: k / members.length,
      rateInterval: interval,
      lift: lift(k / members.length),
      liftInterval: { low: lift(interval.low), high: lift(interval.high) },
      small: members.length < options.minAccounts || k < options.minPositives,
    });
  }
  const ranked = [...accounts].sort((a, b) => a.rank - b.rank || compareCodePoints(a.id, b.id));
  const gains: GainsRow[] = [];
  if (n > 0) {
    for (let decile = 1; decile <= 10; decile++) {
      const top = Math.ceil((decile * n) / 10);
      const k = ranked.slice(0, top).filter((a) => a.positive).length;
      gains.push({ decile, accounts: top, positives: k, gain: ratio(k, positives), lift: lift(k / top) });
    }
  }
  const scored = accounts.filter((a) => !Number.isNaN(a.score));
  const listed = accounts.filter((a) => a.shortlisted);
  const listedPositives = listed.filter((a) => a.positive).length;
  return {
    accounts: n,
    positives,
    rate,
    rateInterval: wilsonInterval(positives, n),
    tiers,
    gains,
    auc: aucMannWhitney(
      scored.map((a) => a.score),
      scored.map((a) => a.positive),
    ),
    aucAccounts: scored.length,
    shortlist: { size: listed.length, positives: listedPositives, precision: ratio(listedPositives, listed.length), recall: ratio(listedPositives, positives) },
  };
}

/** What counts as a positive outcome between the two snapshots. */
export type OutcomeSpec = { readonly kind: 'growth'; readonly min: number } | { readonly kind: 'won' } | { readonly kind: 'churn' };

/** What the later file says about one account of the old snapshot. */
export interface LaterState {
  /** False when the account is not in the later file. */
  readonly present: boolean;
  /** Revenue in the later file; NaN when blank. */
  readonly revenue: number;
  /** Deals of the account won between the two dates (only for `won`). */
  readonly wonDeals: number;
}

/**
 * The outcome of one account, or undefined when the files cannot tell (a blank revenue where
 * the outcome needs one). growth: revenue grew by at least `min` (from 0, any revenue is
 * growth; gone is no growth); won: a deal won in between; churn: revenue fell to 0 or the
 * account disappeared.
 */
export function outcomeOf(spec: OutcomeSpec, revenueBefore: number, later: LaterState): boolean | undefined {
  switch (spec.kind) {
    case 'won':
      return later.wonDeals > 0;
    case 'churn':
      if (!later.present) return true;
      return Number.isNaN(later.revenue) ? undefined : later.revenue === 0;
    case 'growth':
      if (Number.isNaN(revenueBefore)) return undefined;
      if (!later.present) return false;
      if (Number.isNaN(later.revenue)) return undefined;
      if (revenueBefore === 0) return later.revenue > 0;
      // Compare with a tolerance of a cent's share so 100 -> 110 is 10% growth, not 9.999...%.
      return later.revenue - revenueBefore >= spec.min * revenueBefore - 1e-9 * Math.max(1, revenueBefore);
  }
}

/** A backtest as read and computed (commands/follow-up.ts): everything its renderers show. */
export interface BacktestReport {
  readonly old: { readonly source: string; readonly date: number | undefined; readonly model: string | undefined; readonly rule: ShortlistRule };
  readonly later: { readonly source: string; readonly date: number | undefined };
  readonly outcome: OutcomeSpec;
  /** Accounts of the old snapshot whose outcome the later file could not tell. */
  readonly unknown: number;
  readonly result: BacktestResult;
}
