/**
 * Hysteresis for the weekly comparison (SCORING.md §4 Borderline, `kam diff --hysteresis`): an
 * account whose tier changed between two matrix tiers only because it crossed the cut by
 * less than the band keeps last week's tier, so the shortlist does not churn on noise. A tier
 * moves when every cut it crossed was crossed by the band or more. Pure: the snapshots come
 * from the shell, with this week's axes on each account.
 */
import { pickSnapshotShortlist, type Snapshot, type SnapshotAccount } from './diff.ts';
import { compareCodePoints } from './rank.ts';
import { nearCut } from './signals.ts';
import type { Tier } from './types.ts';

/** Which side of the cut each axis of a matrix tier is on. */
const SIDES: Readonly<Partial<Record<Tier, { readonly current: boolean; readonly attractiveness: boolean }>>> = {
  Key: { current: true, attractiveness: true },
  Develop: { current: false, attractiveness: true },
  Maintain: { current: true, attractiveness: false },
  Monitor: { current: false, attractiveness: false },
};

/** One axis an account crossed the cut on, with this week's value. */
interface CutCrossing {
  readonly axis: 'current' | 'attractiveness';
  readonly value: number;
}

/** An account whose tier was held at last week's. */
export interface HeldTier {
  readonly id: string;
  readonly name: string;
  /** Last week's tier, kept. */
  readonly tier: Tier;
  /** The tier the model gives it this week. */
  readonly model: Tier;
  /** The cuts it crossed, each by less than the band. */
  readonly crossed: readonly CutCrossing[];
}

export interface HysteresisOptions {
  readonly cut: number;
  readonly band: number;
  /**
   * How the later snapshot's shortlist is decided once tiers are held: the n best Key/Develop
   * accounts, the Key tier, or as the snapshot has it (a kam_shortlist column).
   */
  readonly shortlist: { readonly kind: 'best'; readonly n: number } | { readonly kind: 'key' } | { readonly kind: 'as-is' };
}

/** The later snapshot with the held tiers (and its shortlist decided again), and the accounts held, by rank then id. */
export function holdTiers<S extends { readonly accounts: readonly SnapshotAccount[] }>(
  before: Snapshot,
  after: S,
  options: HysteresisOptions,
): { after: S; held: HeldTier[] } {
  type A = S['accounts'][number];
  const beforeById = new Map(before.accounts.map((a) => [a.id, a]));
  const held: (HeldTier & { rank: number })[] = [];
  const accounts = after.accounts.map((a): A => {
    const b = beforeById.get(a.id);
    const crossed = b === undefined ? undefined : crossedWithinBand(b.tier, a, options);
    if (b === undefined || crossed === undefined) return a;
    held.push({ id: a.id, name: a.name, tier: b.tier, model: a.tier, crossed, rank: a.rank });
    return { ...a, tier: b.tier };
  });
  const rule = options.shortlist;
  const best = rule.kind === 'best' ? pickSnapshotShortlist(accounts, rule.n) : undefined;
  const listed = accounts.map((a) => (rule.kind === 'as-is' ? a : { ...a, shortlisted: best ? best.has(a.id) : a.tier === 'Key' }));
  held.sort((x, y) => x.rank - y.rank || compareCodePoints(x.id, y.id));
  return { after: { ...after, accounts: listed }, held: held.map(({ rank: _rank, ...h }) => h) };
}

/**
 * The cuts an account crossed from `was` to its tier now, when each was crossed by less than
 * the band; undefined when the tier did not change, either tier is not a matrix tier, an
 * axis is unknown, or a cut was crossed by the band or more.
 */
function crossedWithinBand(was: Tier, now: SnapshotAccount, options: HysteresisOptions): CutCrossing[] | undefined {
  const from = SIDES[was];
  const to = SIDES[now.tier];
  if (from === undefined || to === undefined || was === now.tier || !(options.band > 0)) return undefined;
  const crossed: CutCrossing[] = [];
  for (const axis of ['current', 'attractiveness'] as const) {
    if (from[axis] === to[axis]) continue;
    const value = now[axis] ?? Number.NaN;
    if (!nearCut(value, options.cut, options.band)) return undefined;
    crossed.push({ axis, value });
  }
  return crossed;
}
