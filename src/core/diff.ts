/**
 * Comparing two scored snapshots of the same CRM (`kam diff`): who entered or left the
 * shortlist, tier changes, new and removed accounts, the biggest rank movers with the
 * criterion that moved their score most, and revenue growth. Pure: the shell builds the
 * snapshots (scored now, or read from an enriched CSV) and renders the result.
 */
import { isShortlistTier } from './shortlist.ts';
import { compareCodePoints } from './rank.ts';
import { CRITERIA, TIERS, type Criterion, type Tier } from './types.ts';

/** What one snapshot says about one account. */
export interface SnapshotAccount {
  /** Matching key between the two snapshots; unique within a snapshot. */
  readonly id: string;
  readonly name: string;
  /** 1-based rank within its own snapshot. */
  readonly rank: number;
  /** 0..100; NaN when no criterion is present. */
  readonly score: number;
  readonly tier: Tier;
  /** Criterion values 0..100 in CRITERIA order; NaN when missing. */
  readonly criteria: readonly number[];
  /** Revenue earned from the account (base currency); NaN when missing. */
  readonly revenue: number;
  readonly shortlisted: boolean;
}

/** One side of a diff: its scored accounts and how many rows were left out as invalid. */
export interface Snapshot {
  readonly accounts: readonly SnapshotAccount[];
  /** Rows not compared: rejected by validation, or tier `Invalid` in an enriched file. */
  readonly invalid: number;
}

/** How much to report and how to attribute score changes. */
export interface DiffOptions {
  /** How many rank movers to list. */
  readonly movers: number;
  /** Criterion weights, to attribute a score change to criteria (SCORING.md §2). */
  readonly weights: Readonly<Record<Criterion, number>>;
}

/** An account's standing in one snapshot. */
export interface AccountState {
  readonly rank: number;
  readonly score: number;
  readonly tier: Tier;
  readonly shortlisted: boolean;
}

/** One account of the diff; `before` or `after` is undefined when it is new or removed. */
export interface AccountChange {
  readonly id: string;
  /** The name on the newest side it appears on. */
  readonly name: string;
  readonly before: AccountState | undefined;
  readonly after: AccountState | undefined;
}

/** An account present on both sides. */
export interface MatchedChange extends AccountChange {
  readonly before: AccountState;
  readonly after: AccountState;
}

/** The criterion whose contribution to the score changed most, and by how many score points (signed). */
export interface ScoreDriver {
  readonly criterion: Criterion;
  readonly points: number;
}

/** An account whose rank changed, with what moved its score. */
export interface RankMover extends MatchedChange {
  /** before.rank - after.rank: positive means it moved up. */
  readonly rankChange: number;
  /** Undefined when no criterion's contribution changed. */
  readonly driver: ScoreDriver | undefined;
}

/** One account's revenue on both sides (base currency). */
export interface RevenueChange {
  readonly id: string;
  readonly name: string;
  readonly before: number;
  readonly after: number;
  /** (after - before) / before; NaN when before is 0. */
  readonly growth: number;
}

/** Revenue of the accounts present on both sides with a revenue on both. */
export interface RevenueSummary {
  readonly matched: number;
  readonly totalBefore: number;
  readonly totalAfter: number;
  /** Growth of the total as a fraction; NaN when totalBefore is 0. */
  readonly growth: number;
  /** Accounts whose revenue changed, by rank after, then id. */
  readonly changed: readonly RevenueChange[];
}

/** Counts of one side: accounts compared, invalid rows left out, shortlist size, accounts per tier. */
export interface SnapshotSummary {
  readonly accounts: number;
  readonly invalid: number;
  readonly shortlist: number;
  readonly tiers: Readonly<Record<Tier, number>>;
}

/** Everything `kam diff` reports; every list in a fixed order (see diffSnapshots). */
export interface DiffResult {
  readonly before: SnapshotSummary;
  readonly after: SnapshotSummary;
  readonly entered: readonly AccountChange[];
  readonly left: readonly AccountChange[];
  readonly tierChanges: readonly MatchedChange[];
  readonly added: readonly AccountChange[];
  readonly removed: readonly AccountChange[];
  readonly movers: readonly RankMover[];
  readonly revenue: RevenueSummary;
  /** Accounts on both sides with the same tier and rank. */
  readonly unchanged: number;
  /** True when any account entered or left the shortlist (`--exit-code`). */
  readonly shortlistChanged: boolean;
}

/**
 * The shortlist of a snapshot: the ids of the `n` best-ranked Key and Develop accounts
 * (the same rule as `kam score --shortlist`). Ties in rank fall back to id by code point.
 */
export function pickSnapshotShortlist(accounts: readonly Pick<SnapshotAccount, 'id' | 'rank' | 'tier'>[], n: number): Set<string> {
  const candidates = accounts
    .filter((a) => isShortlistTier(a.tier))
    .sort((a, b) => a.rank - b.rank || compareCodePoints(a.id, b.id));
  return new Set(candidates.slice(0, n).map((a) => a.id));
}

const stateOf = (a: SnapshotAccount): AccountState => ({ rank: a.rank, score: a.score, tier: a.tier, shortlisted: a.shortlisted });

/** Each present criterion's share of the score: w_c * v_c / sum of present weights (0 when missing). */
function contributions(criteria: readonly number[], weights: Readonly<Record<Criterion, number>>): number[] {
  let total = 0;
  CRITERIA.forEach((c, k) => {
    if (!Number.isNaN(criteria[k] ?? Number.NaN)) total += weights[c];
  });
  return CRITERIA.map((c, k) => {
    const v = criteria[k] ?? Number.NaN;
    return Number.isNaN(v) || total <= 0 ? 0 : (weights[c] * v) / total;
  });
}

/**
 * The criterion that moved the score most between two snapshots of one account, signed in
 * score points. Ties go to the first criterion in CRITERIA order; a change below 0.005
 * points (invisible once rounded) counts as none.
 */
export function scoreDriver(
  before: readonly number[],
  after: readonly number[],
  weights: Readonly<Record<Criterion, number>>,
): ScoreDriver | undefined {
  const b = contributions(before, weights);
  const a = contributions(after, weights);
  let best: ScoreDriver | undefined;
  CRITERIA.forEach((c, k) => {
    const points = a[k]! - b[k]!;
    if (Math.abs(points) >= 0.005 && (best === undefined || Math.abs(points) > Math.abs(best.points))) best = { criterion: c, points };
  });
  return best;
}

/** Accounts with a rank after first (by it), then the rest by rank before; then id. */
function byRankAfter(x: AccountChange, y: AccountChange): number {
  const key = (c: AccountChange): [number, number] => (c.after ? [0, c.after.rank] : [1, c.before?.rank ?? 0]);
  const [xa, xr] = key(x);
  const [ya, yr] = key(y);
  return xa - ya || xr - yr || compareCodePoints(x.id, y.id);
}

function summarise(s: Snapshot): SnapshotSummary {
  const tiers = Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>;
  let shortlist = 0;
  for (const a of s.accounts) {
    tiers[a.tier]++;
    if (a.shortlisted) shortlist++;
  }
  return { accounts: s.accounts.length, invalid: s.invalid, shortlist, tiers };
}

/**
 * Compare two snapshots, matching accounts by id. Lists are ordered by rank after, then
 * id (removed accounts by rank before); movers by |rank change| descending, then id by
 * code point. Accounts whose rank did not change are not movers.
 */
export function diffSnapshots(before: Snapshot, after: Snapshot, options: DiffOptions): DiffResult {
  const beforeById = new Map(before.accounts.map((a) => [a.id, a]));
  const afterById = new Map(after.accounts.map((a) => [a.id, a]));
  const entered: AccountChange[] = [];
  const left: AccountChange[] = [];
  const tierChanges: MatchedChange[] = [];
  const added: AccountChange[] = [];
  const removed: AccountChange[] = [];
  const movers: RankMover[] = [];
  const revenueChanged: (RevenueChange & { rank: number })[] = [];
  let matched = 0;
  let totalBefore = 0;
  let totalAfter = 0;
  let unchanged = 0;

  for (const a of after.accounts) {
    const b = beforeById.get(a.id);
    const change: AccountChange = { id: a.id, name: a.name, before: b && stateOf(b), after: stateOf(a) };
    if (a.shortlisted && !b?.shortlisted) entered.push(change);
    if (b === undefined) {
      added.push(change);
      continue;
    }
    if (b.shortlisted && !a.shortlisted) left.push(change);
    const both = change as MatchedChange;
    if (b.tier !== a.tier) tierChanges.push(both);
    if (b.rank !== a.rank) {
      movers.push({ ...both, rankChange: b.rank - a.rank, driver: scoreDriver(b.criteria, a.criteria, options.weights) });
    }
    if (b.tier === a.tier && b.rank === a.rank) unchanged++;
    if (!Number.isNaN(b.revenue) && !Number.isNaN(a.revenue)) {
      matched++;
      totalBefore += b.revenue;
      totalAfter += a.revenue;
      if (b.revenue !== a.revenue) {
        revenueChanged.push({ id: a.id, name: a.name, before: b.revenue, after: a.revenue, growth: growthOf(b.revenue, a.revenue), rank: a.rank });
      }
    }
  }
  for (const b of before.accounts) {
    if (afterById.has(b.id)) continue;
    const change: AccountChange = { id: b.id, name: b.name, before: stateOf(b), after: undefined };
    removed.push(change);
    if (b.shortlisted) left.push(change);
  }

  for (const list of [entered, left, tierChanges, added, removed]) list.sort(byRankAfter);
  movers.sort((x, y) => Math.abs(y.rankChange) - Math.abs(x.rankChange) || compareCodePoints(x.id, y.id));
  revenueChanged.sort((x, y) => x.rank - y.rank || compareCodePoints(x.id, y.id));

  return {
    before: summarise(before),
    after: summarise(after),
    entered,
    left,
    tierChanges,
    added,
    removed,
    movers: movers.slice(0, Math.max(0, options.movers)),
    revenue: {
      matched,
      totalBefore,
      totalAfter,
      growth: growthOf(totalBefore, totalAfter),
      changed: revenueChanged.map(({ rank: _rank, ...r }) => r),
    },
    unchanged,
    shortlistChanged: entered.length > 0 || left.length > 0,
  };
}

/** Growth as a fraction; NaN when there is nothing to grow from. */
function growthOf(before: number, after: number): number {
  return before === 0 ? Number.NaN : (after - before) / before;
}
