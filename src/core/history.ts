/**
 * The history of every account across many dated snapshots (`kam history`): its series of
 * rank, score, tier, criteria and revenue; its current tier streak; when it entered or left
 * the shortlist, appeared, disappeared or changed tier; its momentum (the least-squares slope
 * of the score, in points per week, over the last n snapshots made by the latest model) and
 * the two signals momentum feeds; and where the model itself changed, so a jump caused by new
 * weights is not read as a change in the account. Pure: dates are day numbers passed in.
 */
import { compareCodePoints } from './rank.ts';
import type { SnapshotAccount } from './diff.ts';
import type { Tier } from './types.ts';

/** One dated snapshot, oldest first. */
export interface DatedSnapshot {
  /** Days since 1970-01-01. */
  readonly date: number;
  /** kam_model of the snapshot; undefined when the file does not say. */
  readonly model: string | undefined;
  readonly accounts: readonly SnapshotAccount[];
}

/** Momentum signal codes (prose lives in the renderers). */
type MomentumSignal = 'rising_fast' | 'falling';

export interface HistoryOptions {
  /** Momentum uses the last `window` snapshots of the account made by the latest model (at least 3). */
  readonly window: number;
  /** rising_fast: slope >= this many score points per week. */
  readonly risingFast: number;
  /** falling: slope <= minus this many score points per week. */
  readonly falling: number;
}

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = { window: 4, risingFast: 3, falling: 2 };

/** Fewest snapshots a slope is computed over. */
export const MIN_MOMENTUM_POINTS = 3;

/** What changed for one account between two consecutive snapshots. */
export interface HistoryEvent {
  /** Index of the later snapshot. */
  readonly at: number;
  readonly kind: 'appeared' | 'disappeared' | 'entered' | 'left' | 'tier';
  /** For `tier`: the tier before and after. */
  readonly from?: Tier;
  readonly to?: Tier;
}

/** The run of the same tier that ends at the latest snapshot. */
interface TierStreak {
  readonly tier: Tier;
  /** Snapshots in the run. */
  readonly snapshots: number;
  /** Index of the first snapshot of the run. */
  readonly since: number;
}

interface Momentum {
  /** Score points per week (least squares over the points used). */
  readonly slope: number;
  /** How many snapshots the slope is over. */
  readonly points: number;
}

export interface AccountHistory {
  readonly id: string;
  /** The name in the latest snapshot the account is in. */
  readonly name: string;
  /** One entry per snapshot: the account there, or undefined when absent. */
  readonly series: readonly (SnapshotAccount | undefined)[];
  /** Undefined when the account is not in the latest snapshot. */
  readonly streak: TierStreak | undefined;
  readonly events: readonly HistoryEvent[];
  /** Undefined when fewer than MIN_MOMENTUM_POINTS snapshots of the latest model have a score. */
  readonly momentum: Momentum | undefined;
  readonly signals: readonly MomentumSignal[];
}

/** A change of kam_model between two consecutive snapshots. */
interface ModelChange {
  /** Index of the later snapshot. */
  readonly at: number;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

export interface HistoryResult {
  readonly dates: readonly number[];
  readonly models: readonly (string | undefined)[];
  readonly modelChanges: readonly ModelChange[];
  /** Accounts of the latest snapshot by rank there, then the others by id (code point). */
  readonly accounts: readonly AccountHistory[];
}

/** Least-squares slope of y on x; NaN with fewer than two distinct x. */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A text sparkline of a series scaled to its own range: one bar per value, a space for a
 * missing value, and `|` before index k for each k in `breaks` (a model change). A flat
 * series is drawn at mid height.
 */
export function sparkline(values: readonly number[], breaks: ReadonlySet<number> = new Set()): string {
  const present = values.filter((v) => !Number.isNaN(v));
  const lo = Math.min(...present);
  const hi = Math.max(...present);
  let out = '';
  values.forEach((v, k) => {
    if (breaks.has(k)) out += '|';
    if (Number.isNaN(v)) out += ' ';
    else if (hi === lo) out += BARS[3]!;
    else out += BARS[Math.min(BARS.length - 1, Math.floor(((v - lo) / (hi - lo)) * BARS.length))]!;
  });
  return out;
}

/** Whether two snapshots were made by different models (an unknown model differs from a known one). */
const modelDiffers = (a: string | undefined, b: string | undefined): boolean => a !== b;

/** The history of every account over snapshots sorted oldest first (dates strictly increasing). */
export function buildHistory(snapshots: readonly DatedSnapshot[], options: HistoryOptions = DEFAULT_HISTORY_OPTIONS): HistoryResult {
  const s = snapshots.length;
  const modelChanges: ModelChange[] = [];
  for (let k = 1; k < s; k++) {
    if (modelDiffers(snapshots[k - 1]!.model, snapshots[k]!.model)) modelChanges.push({ at: k, from: snapshots[k - 1]!.model, to: snapshots[k]!.model });
  }
  // The snapshots made by the latest model: the run after the last model change.
  const latestModelFrom = modelChanges.at(-1)?.at ?? 0;

  const byId = new Map<string, (SnapshotAccount | undefined)[]>();
  snapshots.forEach((snap, k) => {
    for (const a of snap.accounts) {
      let series = byId.get(a.id);
      if (!series) {
        series = new Array<SnapshotAccount | undefined>(s).fill(undefined);
        byId.set(a.id, series);
      }
      series[k] = a;
    }
  });

  const accounts: AccountHistory[] = [];
  for (const [id, series] of byId) {
    const events: HistoryEvent[] = [];
    for (let k = 1; k < s; k++) {
      const before = series[k - 1];
      const after = series[k];
      if (!before && after) events.push({ at: k, kind: 'appeared' });
      if (before && !after) events.push({ at: k, kind: 'disappeared' });
      if (!(before?.shortlisted ?? false) && (after?.shortlisted ?? false)) events.push({ at: k, kind: 'entered' });
      if ((before?.shortlisted ?? false) && !(after?.shortlisted ?? false)) events.push({ at: k, kind: 'left' });
      if (before && after && before.tier !== after.tier) events.push({ at: k, kind: 'tier', from: before.tier, to: after.tier });
    }
    const last = series[s - 1];
    let streak: TierStreak | undefined;
    if (last) {
      let since = s - 1;
      while (since > 0 && series[since - 1]?.tier === last.tier) since--;
      streak = { tier: last.tier, snapshots: s - since, since };
    }
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = s - 1; k >= latestModelFrom && xs.length < options.window; k--) {
      const p = series[k];
      if (!p || Number.isNaN(p.score)) continue;
      xs.unshift(snapshots[k]!.date / 7);
      ys.unshift(p.score);
    }
    const slope = xs.length >= MIN_MOMENTUM_POINTS ? leastSquaresSlope(xs, ys) : Number.NaN;
    const momentum = Number.isNaN(slope) ? undefined : { slope, points: xs.length };
    const signals: MomentumSignal[] = [];
    if (momentum && last) {
      if (momentum.slope >= options.risingFast) signals.push('rising_fast');
      if (momentum.slope <= -options.falling) signals.push('falling');
    }
    const named = [...series].reverse().find((p) => p !== undefined)!;
    accounts.push({ id, name: named.name, series, streak, events, momentum, signals });
  }
  accounts.sort((a, b) => {
    const ra = a.series[s - 1]?.rank;
    const rb = b.series[s - 1]?.rank;
    if (ra !== undefined && rb !== undefined) return ra - rb || compareCodePoints(a.id, b.id);
    if (ra !== undefined) return -1;
    if (rb !== undefined) return 1;
    return compareCodePoints(a.id, b.id);
  });
  return { dates: snapshots.map((x) => x.date), models: snapshots.map((x) => x.model), modelChanges, accounts };
}
