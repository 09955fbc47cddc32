/**
 * The identification checklist of SCORING.md §3 for one account, as data: every number
 * `kam explain` shows, so the renderer computes nothing.
 */
import { atLeast, below } from './normalise.ts';
import { measuresOf } from './score.ts';
import { CRITERIA, RetentionSource, TIERS } from './types.ts';
import type { AccountColumns, Criterion, Measure, ModelConfig, ScoreResult, SignalCode, TextColumn, Tier } from './types.ts';
import { signalsOfMask } from './signals.ts';
import { foldText } from './text-column.ts';

/** One criterion of the checklist with its measures, weight, contribution and pass mark. */
export interface CriterionCheck {
  readonly criterion: Criterion;
  /** As configured. */
  readonly weight: number;
  /** Renormalised share of the score, 0 when the criterion is absent. */
  readonly effectiveWeight: number;
  /** 0..100, NaN when absent. */
  readonly value: number;
  /** effectiveWeight * value (0 when absent); the contributions sum to the score. */
  readonly contribution: number;
  /** value >= tierCut; undefined when absent. */
  readonly pass: boolean | undefined;
  readonly measures: readonly {
    readonly measure: Measure;
    readonly weight: number;
    /** Normalised 0..100, NaN when absent. */
    readonly value: number;
    /** When the measure is a constant signal and present here: how many accounts share the tie. */
    readonly tie: number | undefined;
  }[];
}

/** Why an account got its tier. */
export type TierReason =
  | { readonly kind: 'matrix'; readonly currentHigh: boolean; readonly attractivenessHigh: boolean; readonly cut: number }
  | { readonly kind: 'low_coverage'; readonly coverage: number; readonly minCoverage: number }
  | { readonly kind: 'axis_missing'; readonly axis: 'current' | 'attractiveness' }
  | { readonly kind: 'no_score' };

/** Assumptions the engine made for an account, shown by `kam explain`. */
export type Assumption = 'default_retention' | 'retention_over_churn' | 'missing_revenue_as_zero_in_headroom';

/** Everything `kam explain` prints for one account. */
export interface Explanation {
  readonly index: number;
  readonly score: number;
  readonly rank: number;
  readonly tier: Tier;
  readonly coverage: number;
  readonly current: number;
  readonly attractiveness: number;
  readonly checks: readonly CriterionCheck[];
  readonly signals: readonly SignalCode[];
  readonly tierReason: TierReason;
  /** Measures the model would use that have no value on this row. */
  readonly missing: readonly Measure[];
  readonly assumptions: readonly Assumption[];
  /** Raw customer lifetime value (money), NaN when not computable. */
  readonly clv: number;
  /**
   * Per axis, when every measure behind it on this row is a constant signal: how many
   * accounts share the tie (the fewest, over its measures). Then the axis says nothing
   * about the account, whatever side of the cut the tie falls on.
   */
  readonly axisTies: { readonly current: number | undefined; readonly attractiveness: number | undefined };
}

const AXIS_CRITERIA: Readonly<Record<'current' | 'attractiveness', readonly Criterion[]>> = {
  current: ['volume', 'ltv'],
  attractiveness: ['potential', 'fit', 'strategic'],
};

/** Why account i has its tier; mirrors `tierIndexOf` in score.ts, most telling reason first. */
export function tierReasonOf(result: ScoreResult, model: ModelConfig, i: number): TierReason {
  const coverage = result.coverage[i]!;
  const current = result.current[i]!;
  const attractiveness = result.attractiveness[i]!;
  if (Number.isNaN(result.score[i]!)) return { kind: 'no_score' };
  if (below(coverage, model.minCoverage)) return { kind: 'low_coverage', coverage, minCoverage: model.minCoverage };
  if (Number.isNaN(current)) return { kind: 'axis_missing', axis: 'current' };
  if (Number.isNaN(attractiveness)) return { kind: 'axis_missing', axis: 'attractiveness' };
  return {
    kind: 'matrix',
    currentHigh: atLeast(current, model.tierCut),
    attractivenessHigh: atLeast(attractiveness, model.tierCut),
    cut: model.tierCut,
  };
}

/** The checklist of SCORING.md §3 for account `index` of a result of `scoreAccounts(accounts, model)`. */
export function explainAccount(accounts: AccountColumns, result: ScoreResult, model: ModelConfig, index: number): Explanation {
  if (!Number.isInteger(index) || index < 0 || index >= result.n) {
    throw new RangeError(`account index ${index} is outside 0..${result.n - 1}`);
  }
  const i = index;
  let presentWeight = 0;
  for (const c of CRITERIA) if (!Number.isNaN(result.criteria[c][i]!)) presentWeight += Math.max(model.weights[c], 0);

  const missing: Measure[] = [];
  const checks = CRITERIA.map((criterion): CriterionCheck => {
    const weight = model.weights[criterion];
    const value = result.criteria[criterion][i]!;
    const present = !Number.isNaN(value) && presentWeight > 0;
    const effectiveWeight = present ? Math.max(weight, 0) / presentWeight : 0;
    const measures = measuresOf(criterion, model).map((measure) => {
      const v = result.measures[measure][i]!;
      const w = model.measureWeights[measure];
      if (Number.isNaN(v) && w > 0 && weight > 0) missing.push(measure);
      const tie = Number.isNaN(v) ? undefined : result.constant.find((c) => c.measure === measure)?.accounts;
      return { measure, weight: w, value: v, tie };
    });
    return {
      criterion,
      weight,
      effectiveWeight,
      value,
      contribution: present ? effectiveWeight * value : 0,
      pass: Number.isNaN(value) ? undefined : atLeast(value, model.tierCut),
      measures,
    };
  });

  const assumptions: Assumption[] = [];
  const rev = accounts.revenue[i]!;
  if (!Number.isNaN(rev) && !Number.isNaN(accounts.grossMargin[i]!) && Number.isNaN(accounts.retentionRate[i]!)) {
    assumptions.push('default_retention');
  }
  if (accounts.retentionSource[i] === RetentionSource.Both) assumptions.push('retention_over_churn');
  if (Number.isNaN(rev) && !Number.isNaN(accounts.potentialRevenue[i]!)) {
    assumptions.push('missing_revenue_as_zero_in_headroom');
  }

  const axisTie = (axis: 'current' | 'attractiveness'): number | undefined => {
    const used = checks
      .filter((c) => AXIS_CRITERIA[axis].includes(c.criterion) && !Number.isNaN(c.value) && c.weight > 0)
      .flatMap((c) => c.measures.filter((m) => !Number.isNaN(m.value) && m.weight > 0));
    if (used.length === 0 || used.some((m) => m.tie === undefined)) return undefined;
    return Math.min(...used.map((m) => m.tie!));
  };

  return {
    index: i,
    score: result.score[i]!,
    rank: result.rank[i]!,
    tier: TIERS[result.tier[i]!] ?? 'Unrated',
    coverage: result.coverage[i]!,
    current: result.current[i]!,
    attractiveness: result.attractiveness[i]!,
    checks,
    signals: signalsOfMask(result.signalMasks[i] ?? 0),
    tierReason: tierReasonOf(result, model, i),
    missing,
    assumptions,
    clv: result.clv[i]!,
    axisTies: { current: axisTie('current'), attractiveness: axisTie('attractiveness') },
  };
}

/**
 * Find the account: exact id (`idQuery`: the query as the ids were compared, e.g. without
 * Zoho's zcrm_), then exact name (ignoring case, and composed and decomposed accents alike),
 * then (with `partial`) a part of the name.
 */
export function findAccounts(ids: TextColumn, names: TextColumn, query: string, partial = true, idQuery = query.trim()): number[] {
  for (let i = 0; i < ids.length; i++) if (ids.at(i) === idQuery) return [i];
  const lower = foldText(query);
  const matching = (test: (name: string) => boolean): number[] => {
    const hits: number[] = [];
    for (let i = 0; i < names.length; i++) if (test((names.at(i) ?? '').normalize('NFC').toLowerCase())) hits.push(i);
    return hits;
  };
  const exact = matching((n) => n === lower);
  if (exact.length || !partial) return exact;
  return matching((n) => n.includes(lower));
}

/**
 * Points per criterion in hundredths, rounded so they add up to the score as shown (largest
 * remainder): 6.67 + 13.33 + 8.33 + 3.33 + 10.00 would show 41.66 beside a score of 41.67.
 */
export function apportionPoints(contributions: readonly number[], score: number): number[] {
  const raw = contributions.map((c) => (Number.isFinite(c) && c > 0 ? c * 100 : 0));
  const cents = raw.map(Math.floor);
  const target = Number.isFinite(score) ? Math.round(score * 100) : cents.reduce((s, c) => s + c, 0);
  let left = target - cents.reduce((s, c) => s + c, 0);
  // Largest fractional part first; ties keep criterion order. Only present criteria take a cent.
  const order = raw
    .map((_, k) => k)
    .filter((k) => raw[k]! > 0)
    .sort((x, y) => raw[y]! - cents[y]! - (raw[x]! - cents[x]!) || x - y);
  for (let j = 0; left > 0 && order.length > 0; j = (j + 1) % order.length, left--) cents[order[j]!]!++;
  for (let j = order.length - 1; left < 0 && order.length > 0; j = (j - 1 + order.length) % order.length, left++) cents[order[j]!]!--;
  return cents.map((c) => c / 100);
}
