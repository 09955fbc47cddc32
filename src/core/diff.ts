/**
 * Comparing two scored snapshots of the same CRM (`kam diff`): who entered or left the
 * shortlist, tier changes, new and removed accounts, the biggest rank movers with what moved
 * them (the inputs that changed and the criteria they moved, a change of model between the
 * snapshots, or other accounts), and revenue growth. Pure: the shell builds the snapshots
 * (scored now, or read from an enriched CSV) and renders the result.
 */
import { isShortlistTier } from './shortlist.ts';
import { compareCodePoints } from './rank.ts';
import { CRITERIA, TIERS, type AccountColumns, type Criterion, type Tier } from './types.ts';

/** The inputs a mover's explanation compares, and the criteria each feeds (SCORING.md §2). */
/** How a side's shortlist was decided. */
export type ShortlistRule = { readonly kind: 'best'; readonly n: number } | { readonly kind: 'column' } | { readonly kind: 'key' };

/** Whether two sides decided their shortlist the same way (so their shortlists compare like with like). */
export const sameRule = (a: ShortlistRule, b: ShortlistRule): boolean => a.kind === b.kind && (a.kind !== 'best' || (b.kind === 'best' && a.n === b.n));

const DIFF_INPUTS = ['revenue', 'potential_revenue', 'pipeline', 'growth_rate', 'gross_margin', 'retention_rate', 'product_fit', 'strategic_value'] as const;
export type DiffInput = (typeof DIFF_INPUTS)[number];
const INPUT_CRITERIA: Readonly<Record<DiffInput, readonly Criterion[]>> = {
  revenue: ['volume', 'potential', 'ltv'],
  potential_revenue: ['potential'],
  pipeline: ['potential'],
  growth_rate: ['potential'],
  gross_margin: ['ltv'],
  retention_rate: ['ltv'],
  product_fit: ['fit'],
  strategic_value: ['strategic'],
};

/** Account i's inputs in DIFF_INPUTS order, as SnapshotAccount.inputs holds them. */
export function snapshotInputs(a: AccountColumns, i: number): number[] {
  return [
    a.revenue[i]!,
    a.potentialRevenue[i]!,
    a.pipeline[i]!,
    a.growthRate[i]!,
    a.grossMargin[i]!,
    a.retentionRate[i]!,
    a.productFit[i]!,
    a.strategicValue[i]!,
  ];
}

/**
 * Whether an account's recorded numbers (an enriched CSV's kam_score and kam_ criteria,
 * written with two decimals) differ from the same inputs scored now: then the file was
 * written with other weights or config.
 */
export function scoredDifferently(recorded: Scored, now: Scored): boolean {
  const differs = (x: number, y: number): boolean => (Number.isNaN(x) ? !Number.isNaN(y) : Number.isNaN(y) || Math.abs(x - y) > 0.0051);
  return differs(recorded.score, now.score) || CRITERIA.some((_, k) => differs(recorded.criteria[k] ?? Number.NaN, now.criteria[k] ?? Number.NaN));
}

/** An account's score and criteria under one model. */
export interface Scored {
  /** 0..100; NaN when no criterion is present. */
  readonly score: number;
  /** Criterion values 0..100 in CRITERIA order; NaN when missing. */
  readonly criteria: readonly number[];
}

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
  /** The two matrix axes 0..100 (NaN when missing), for `diff --hysteresis`; undefined when the snapshot does not carry them. */
  readonly current?: number | undefined;
  readonly attractiveness?: number | undefined;
  /** The inputs in DIFF_INPUTS order as the engine read them (fractions, 0..100 ratings); NaN when blank. */
  readonly inputs?: readonly number[] | undefined;
  /**
   * The same inputs scored with the current model, when the snapshot's own numbers came from
   * another one (an enriched CSV written with other weights or config); else undefined.
   */
  readonly rescored?: Scored | undefined;
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
interface AccountState {
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
interface MatchedChange extends AccountChange {
  readonly before: AccountState;
  readonly after: AccountState;
}

/** A criterion whose value changed, and how many score points that change alone moved the score (signed). */
export interface ScoreDriver {
  readonly criterion: Criterion;
  readonly points: number;
}

/** One input of an account that changed between the snapshots (NaN: blank). */
interface InputChange {
  readonly input: DiffInput;
  readonly before: number;
  readonly after: number;
}

/** A criterion that moved, and whether one of the account's own inputs behind it changed. */
interface CriterionMove extends ScoreDriver {
  /** False when none of its inputs changed on this account: other accounts moved its percentile. */
  readonly own: boolean;
}

/** An account whose rank changed, with what moved its score. */
export interface RankMover extends MatchedChange {
  /** before.rank - after.rank: positive means it moved up. */
  readonly rankChange: number;
  /** The criterion whose change alone moved the score most; undefined when no criterion changed. */
  readonly driver: ScoreDriver | undefined;
  /** The account's inputs that changed, in DIFF_INPUTS order (empty when the snapshots carry none). */
  readonly inputs: readonly InputChange[];
  /** Every criterion whose value changed, in CRITERIA order, in score points (see scoreDriver). */
  readonly criteria: readonly CriterionMove[];
  /** Score points due to a change of weights or config between the snapshots; undefined when both use the current model. */
  readonly modelPoints: number | undefined;
}

/** One account's revenue on both sides (base currency). */
interface RevenueChange {
  readonly id: string;
  readonly name: string;
  readonly before: number;
  readonly after: number;
  /** (after - before) / before; NaN when before is 0 or either side is blank (NaN). */
  readonly growth: number;
}

/** Revenue of the accounts present on both sides with a revenue on both. */
interface RevenueSummary {
  readonly matched: number;
  readonly totalBefore: number;
  readonly totalAfter: number;
  /** Growth of the total as a fraction; NaN when totalBefore is 0. */
  readonly growth: number;
  /** Accounts on both sides whose revenue changed, blank -> value and value -> blank included; by rank after, then id. */
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
  /** Per side, how many accounts score differently under the current model (0: the side used it). */
  readonly modelChanged: { readonly before: number; readonly after: number };
}

/**
 * The shortlist of a snapshot: the ids of the `n` best-ranked Key and Develop accounts
 * (the same rule as `kam score --shortlist`). Ties in rank fall back to id by code point.
 */
export function pickSnapshotShortlist(accounts: readonly Pick<SnapshotAccount, 'id' | 'rank' | 'tier'>[], n: number): Set<string> {
  const candidates = accounts.filter((a) => isShortlistTier(a.tier)).sort((a, b) => a.rank - b.rank || compareCodePoints(a.id, b.id));
  return new Set(candidates.slice(0, n).map((a) => a.id));
}

const stateOf = (a: SnapshotAccount): AccountState => ({ rank: a.rank, score: a.score, tier: a.tier, shortlisted: a.shortlisted });

/** The weighted mean over present criteria (SCORING.md §2); NaN when none is present. */
function scoreOf(criteria: readonly number[], weights: Readonly<Record<Criterion, number>>): number {
  let sum = 0;
  let total = 0;
  CRITERIA.forEach((c, k) => {
    const v = criteria[k] ?? Number.NaN;
    if (Number.isNaN(v) || !(weights[c] > 0)) return;
    sum += weights[c] * v;
    total += weights[c];
  });
  return total > 0 ? sum / total : Number.NaN;
}

const sameValue = (x: number, y: number): boolean => (Number.isNaN(x) ? Number.isNaN(y) : !Number.isNaN(y) && Math.abs(x - y) < 0.005);

/**
 * Every criterion whose value changed (a blank that got a value counts), with the score
 * points that change alone makes: the score of `before` with only that criterion taken from
 * `after`, minus the score of `before` (weights renormalised over what is present, so a
 * criterion appearing at the score's own level moves nothing). A criterion that did not change
 * is never blamed, however its share was renormalised. CRITERIA order.
 */
export function criterionMoves(before: readonly number[], after: readonly number[], weights: Readonly<Record<Criterion, number>>): ScoreDriver[] {
  const base = scoreOf(before, weights);
  const out: ScoreDriver[] = [];
  CRITERIA.forEach((criterion, k) => {
    const b = before[k] ?? Number.NaN;
    const a = after[k] ?? Number.NaN;
    if (sameValue(b, a) || !(weights[criterion] > 0)) return;
    const one = [...before];
    one[k] = a;
    const s = scoreOf(one, weights);
    const points = Number.isNaN(base) ? (Number.isNaN(s) ? 0 : s) : Number.isNaN(s) ? -base : s - base;
    out.push({ criterion, points });
  });
  return out;
}

/**
 * The criterion whose change alone moved the score most (see criterionMoves), signed in
 * score points. Ties go to the first criterion in CRITERIA order; a move below 0.005 points
 * (invisible once rounded) counts as none.
 */
export function scoreDriver(before: readonly number[], after: readonly number[], weights: Readonly<Record<Criterion, number>>): ScoreDriver | undefined {
  let best: ScoreDriver | undefined;
  for (const m of criterionMoves(before, after, weights)) {
    if (Math.abs(m.points) >= 0.005 && (best === undefined || Math.abs(m.points) > Math.abs(best.points))) best = m;
  }
  return best;
}

/** What moved one account between the snapshots: its inputs, the criteria, the model. */
function explainMove(
  b: SnapshotAccount,
  a: SnapshotAccount,
  weights: Readonly<Record<Criterion, number>>,
): Pick<RankMover, 'driver' | 'inputs' | 'criteria' | 'modelPoints'> {
  const inputs: InputChange[] = [];
  if (b.inputs && a.inputs) {
    DIFF_INPUTS.forEach((input, k) => {
      const x = b.inputs![k] ?? Number.NaN;
      const y = a.inputs![k] ?? Number.NaN;
      if (Number.isNaN(x) ? !Number.isNaN(y) : Number.isNaN(y) || x !== y) inputs.push({ input, before: x, after: y });
    });
  }
  // Data changes are compared under the current model; what the model change did is apart.
  const bb = b.rescored ?? b;
  const aa = a.rescored ?? a;
  const modelPart = (x: SnapshotAccount, y: Scored): number => (Number.isNaN(x.score) || Number.isNaN(y.score) ? 0 : x.score - y.score);
  const modelPoints = b.rescored || a.rescored ? modelPart(a, aa) - modelPart(b, bb) : undefined;
  const touched = new Set(inputs.flatMap((c) => INPUT_CRITERIA[c.input]));
  const known = b.inputs !== undefined && a.inputs !== undefined;
  const criteria = criterionMoves(bb.criteria, aa.criteria, weights).map((m) => ({ ...m, own: known ? touched.has(m.criterion) : true }));
  return { driver: scoreDriver(bb.criteria, aa.criteria, weights), inputs, criteria, modelPoints };
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
    if (b.rank !== a.rank) movers.push({ ...both, rankChange: b.rank - a.rank, ...explainMove(b, a, options.weights) });
    if (b.tier === a.tier && b.rank === a.rank) unchanged++;
    if (!Number.isNaN(b.revenue) && !Number.isNaN(a.revenue)) {
      matched++;
      totalBefore += b.revenue;
      totalAfter += a.revenue;
    }
    // A revenue that appeared (blank -> value) or went blank is a change too.
    if (Number.isNaN(b.revenue) ? !Number.isNaN(a.revenue) : Number.isNaN(a.revenue) || b.revenue !== a.revenue) {
      revenueChanged.push({ id: a.id, name: a.name, before: b.revenue, after: a.revenue, growth: growthOf(b.revenue, a.revenue), rank: a.rank });
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
    modelChanged: { before: before.accounts.filter((x) => x.rescored).length, after: after.accounts.filter((x) => x.rescored).length },
  };
}

/** Growth as a fraction; NaN when there is nothing to grow from (0 or blank) or nothing after. */
function growthOf(before: number, after: number): number {
  return before === 0 || Number.isNaN(before) || Number.isNaN(after) ? Number.NaN : (after - before) / before;
}
