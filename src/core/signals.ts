/**
 * Signal codes of SCORING.md §3: short, stable codes per account, driven by the config's
 * thresholds. Codes only; the sentences live in the renderers.
 */
import { atLeast, below } from './normalise.ts';
import { SIGNAL_CODES } from './types.ts';
import type { AccountColumns, ModelConfig, SignalCode } from './types.ts';

/** The derived columns the signals read, besides the raw inputs. */
export interface SignalInputs {
  readonly volume: Float64Array;
  readonly current: Float64Array;
  readonly attractiveness: Float64Array;
  readonly coverage: Float64Array;
}

const BIT: Readonly<Record<SignalCode, number>> = Object.fromEntries(SIGNAL_CODES.map((code, k) => [code, 1 << k])) as Record<SignalCode, number>;

/**
 * Whether a rated account's axis lies less than `band` points from the tier cut (SCORING.md
 * §4 Borderline): a small change of data could move its tier. NaN (a missing axis) is not.
 */
export function nearCut(axis: number, cut: number, band: number): boolean {
  return below(Math.abs(axis - cut), band);
}

/**
 * One frozen array per combination of codes (2^8), shared by every account with that
 * combination: a million accounts allocate no per-account arrays.
 */
const COMBINATIONS: readonly (readonly SignalCode[])[] = Array.from({ length: 1 << SIGNAL_CODES.length }, (_, mask) =>
  Object.freeze(SIGNAL_CODES.filter((_code, k) => (mask & (1 << k)) !== 0)),
);

/** The signal codes (in SIGNAL_CODES order) of a bit mask built from `signalBit`. */
export function signalsOfMask(mask: number): readonly SignalCode[] {
  return COMBINATIONS[mask & (COMBINATIONS.length - 1)]!;
}

/** The bit of one signal code in a mask. */
export function signalBit(code: SignalCode): number {
  return BIT[code];
}

/**
 * Whether the headroom signal fires: potential_revenue >= headroomMultiple * revenue when
 * revenue is present and > 0; when revenue is missing or 0, any positive potential counts.
 */
export function hasHeadroom(revenue: number, potential: number, multiple: number): boolean {
  if (Number.isNaN(potential)) return false;
  if (Number.isNaN(revenue) || revenue <= 0) return potential > 0;
  const bar = multiple * revenue;
  // Relative tolerance: money, not a 0..100 value.
  return potential >= bar - Math.abs(bar) * 1e-12;
}

/** Signal bit masks (in SIGNAL_CODES bit order), one per account. */
export function computeSignalMasks(accounts: AccountColumns, derived: SignalInputs, model: ModelConfig): Uint8Array {
  const t = model.thresholds;
  const n = accounts.n;
  const masks = new Uint8Array(n);
  const { revenue, potentialRevenue, grossMargin, retentionRate } = accounts;
  const { volume, current, attractiveness, coverage } = derived;
  for (let i = 0; i < n; i++) {
    let m = 0;
    const rev = revenue[i]!;
    const gm = grossMargin[i]!;
    const r = retentionRate[i]!;
    const vol = volume[i]!;
    const cur = current[i]!;
    const att = attractiveness[i]!;
    if (hasHeadroom(rev, potentialRevenue[i]!, t.headroomMultiple)) m |= BIT.headroom;
    if (below(cur, t.risingCurrent) && atLeast(att, t.risingAttractiveness)) m |= BIT.rising;
    if (atLeast(vol, t.volumeOnlyVolume) && below(att, t.volumeOnlyAttractiveness)) m |= BIT.volume_only;
    if (atLeast(vol, t.thinMarginVolume) && below(gm, t.thinMargin)) m |= BIT.thin_margin;
    // retentionRate is NaN exactly when neither retention nor churn was given.
    if (below(r, t.retentionRisk)) m |= BIT.retention_risk;
    if (!Number.isNaN(rev) && !Number.isNaN(gm) && Number.isNaN(r)) m |= BIT.assumed_retention;
    if (below(coverage[i]!, model.minCoverage)) m |= BIT.low_coverage;
    // Borderline only for an account the matrix places: both axes present, coverage enough.
    else if (cur === cur && att === att && (nearCut(cur, model.tierCut, model.band) || nearCut(att, model.tierCut, model.band))) m |= BIT.borderline;
    masks[i] = m;
  }
  return masks;
}
