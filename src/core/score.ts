/**
 * The scoring engine of SCORING.md §2: measures -> criteria -> composite, coverage, the two
 * matrix axes, tier, rank and signals. Pure and columnar: every step is a pass over typed
 * arrays, the only superlinear step is sorting (percentiles, rank), O(n log n).
 */
import { atLeast, below, midrankPercentiles, weightedMeanColumns } from './normalise.ts';
import { rankAccounts } from './rank.ts';
import { computeSignalMasks } from './signals.ts';
import { foldText } from './text-column.ts';
import { CRITERIA, MEASURE_CRITERION, MEASURES, PERCENTILE_MEASURES, TIER_INDEX } from './types.ts';
import type { AccountColumns, ConstantMeasure, Criterion, IcpRules, Measure, ModelConfig, PercentileMeasure, ScoreResult } from './types.ts';

/**
 * CLV, simple retention model: m*r/(1+d-r), m = revenue*gross_margin. NaN when the
 * denominator is not positive (only possible at r >= 1+d, e.g. r = 1 with d = 0: an
 * account that never leaves and whose future is not discounted has no finite value) or when
 * the result is not finite; the ltv criterion then counts as missing.
 */
export function customerLifetimeValue(revenue: number, grossMargin: number, retention: number, discountRate: number): number {
  const denominator = 1 + discountRate - retention;
  if (!(denominator > 0)) return Number.NaN;
  const clv = (revenue * grossMargin * retention) / denominator;
  return Number.isFinite(clv) ? clv : Number.NaN;
}

/** The retention rate the CLV of a row uses: the given one, else the model's default. */
export function retentionUsed(given: number, model: ModelConfig): number {
  return Number.isNaN(given) ? model.defaultRetention : given;
}

/** Tier index (into TIERS) for one account; the rules of SCORING.md §2. */
export function tierIndexOf(score: number, coverage: number, current: number, attractiveness: number, model: ModelConfig): number {
  if (Number.isNaN(score) || Number.isNaN(current) || Number.isNaN(attractiveness)) return TIER_INDEX.Unrated;
  if (below(coverage, model.minCoverage)) return TIER_INDEX.Unrated;
  const currentHigh = atLeast(current, model.tierCut);
  const attractivenessHigh = atLeast(attractiveness, model.tierCut);
  if (attractivenessHigh) return currentHigh ? TIER_INDEX.Key : TIER_INDEX.Develop;
  return currentHigh ? TIER_INDEX.Maintain : TIER_INDEX.Monitor;
}

/** The measures of one criterion that the model uses (icp_match only when ICP rules are set). */
export function measuresOf(criterion: Criterion, model: ModelConfig): readonly Measure[] {
  return MEASURES.filter((m) => MEASURE_CRITERION[m] === criterion && (m !== 'icp_match' || model.icp !== undefined));
}

/** Scores, tiers, ranks and signals every account. Config values are trusted (the schema checks them). */
export function scoreAccounts(accounts: AccountColumns, model: ModelConfig): ScoreResult {
  const n = accounts.n;
  const { revenue, potentialRevenue, grossMargin, retentionRate } = accounts;

  const clv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rev = revenue[i]!;
    const gm = grossMargin[i]!;
    clv[i] = Number.isNaN(rev) || Number.isNaN(gm) ? Number.NaN : customerLifetimeValue(rev, gm, retentionUsed(retentionRate[i]!, model), model.discountRate);
  }
  const rawOf = (m: PercentileMeasure): Float64Array => {
    if (m === 'revenue') return revenue;
    if (m === 'headroom') return headroomOf(revenue, potentialRevenue);
    if (m === 'pipeline') return accounts.pipeline;
    return m === 'growth_rate' ? accounts.growthRate : clv;
  };
  const constant = PERCENTILE_MEASURES.filter((m) => model.measureWeights[m] > 0).flatMap((m) => {
    const c = constantOf(rawOf(m));
    return c === undefined ? [] : [{ measure: m, ...c }];
  });

  // Each measure is computed when a criterion needs it and let go after: the result keeps
  // the criteria, and computes a measure again only when asked (explain), saving 8 bytes an
  // account per measure in every run that does not explain.
  const measureOf = (m: Measure): Float64Array => {
    if (m === 'product_fit') return clampColumn(accounts.productFit);
    if (m === 'icp_match') return model.icp === undefined ? filledNaN(n) : icpMatch(accounts, model.icp);
    if (m === 'strategic_value') return strategicValue(accounts, model.flagBonuses);
    return midrankPercentiles(rawOf(m));
  };
  const criteria = {} as Record<Criterion, Float64Array>;
  for (const c of CRITERIA) {
    const ms = measuresOf(c, model);
    criteria[c] = weightedMeanColumns(
      ms.map((m) => measureOf(m)),
      ms.map((m) => model.measureWeights[m]),
      n,
    );
  }
  const measures = lazyMeasures(measureOf);

  const w = model.weights;
  const score = weightedMeanColumns(
    CRITERIA.map((c) => criteria[c]),
    CRITERIA.map((c) => w[c]),
    n,
  );
  const current = weightedMeanColumns([criteria.volume, criteria.ltv], [w.volume, w.ltv], n);
  const attractiveness = weightedMeanColumns([criteria.potential, criteria.fit, criteria.strategic], [w.potential, w.fit, w.strategic], n);
  const coverage = coverageOf(criteria, model, n);

  const tier = new Uint8Array(n);
  for (let i = 0; i < n; i++) tier[i] = tierIndexOf(score[i]!, coverage[i]!, current[i]!, attractiveness[i]!, model);
  const { order, rank } = rankAccounts(score, tier, accounts.id);
  const signalMasks = computeSignalMasks(accounts, { volume: criteria.volume, current, attractiveness, coverage }, model);

  return { n, measures, clv, criteria, score, coverage, current, attractiveness, tier, rank, order, signalMasks, constant };
}

/** Headroom in money: potential less revenue, at least 0; a missing revenue counts as 0 (SCORING §2); Math.max keeps NaN from Inf-Inf. */
function headroomOf(revenue: Float64Array, potential: Float64Array): Float64Array {
  const out = new Float64Array(revenue.length);
  for (let i = 0; i < out.length; i++) {
    const rev = revenue[i]!;
    const pot = potential[i]!;
    out[i] = Number.isNaN(pot) ? Number.NaN : Math.max(pot - (Number.isNaN(rev) ? 0 : rev), 0);
  }
  return out;
}

/** The measures as an object whose columns are computed on first use (each once). */
function lazyMeasures(measureOf: (m: Measure) => Float64Array): Readonly<Record<Measure, Float64Array>> {
  const measures = {} as Record<Measure, Float64Array>;
  for (const m of MEASURES) {
    let column: Float64Array | undefined;
    Object.defineProperty(measures, m, { enumerable: true, get: () => (column ??= measureOf(m)) });
  }
  return measures;
}

/** The single value of a column and how many rows have it, when at least two rows have a value and all are equal. */
function constantOf(values: Float64Array): Omit<ConstantMeasure, 'measure'> | undefined {
  let first = Number.NaN;
  let present = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (present === 0) first = v;
    else if (v !== first) return undefined;
    present++;
  }
  return present >= 2 ? { value: first + 0, accounts: present } : undefined;
}

/** Share (0..1) of the criterion weight whose criterion is present on each row. */
function coverageOf(criteria: Readonly<Record<Criterion, Float64Array>>, model: ModelConfig, n: number): Float64Array {
  const out = new Float64Array(n);
  let total = 0;
  for (const c of CRITERIA) total += Math.max(model.weights[c], 0);
  if (!(total > 0)) return out;
  const cols = CRITERIA.map((c) => criteria[c]);
  const ws = CRITERIA.map((c) => Math.max(model.weights[c], 0));
  for (let i = 0; i < n; i++) {
    let present = 0;
    // Same summation order as `total`, so a fully covered row gets exactly 1.
    for (let j = 0; j < cols.length; j++) if (!Number.isNaN(cols[j]![i]!)) present += ws[j]!;
    out[i] = Math.min(present / total, 1);
  }
  return out;
}

/** A 0..100 input column, defensively clamped (the schema layer already normalised it). */
function clampColumn(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = v < 0 ? 0 : v > 100 ? 100 : v; // NaN passes through
  }
  return out;
}

function filledNaN(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

/**
 * strategic_value (0..100) plus the flag bonuses of the rows whose flag is 1, capped at 100.
 * A row without strategic_value whose flag is known (yes or no) starts from 0: the flag says
 * something of every row it is known on. Were a 'no' left absent, the flagged rows would have
 * a low strategic (the bonus alone) and the others none, their weight spread over the rest:
 * the flag would rank its accounts lower. A 0-point bonus is no bonus, and says nothing.
 */
function strategicValue(accounts: AccountColumns, bonuses: Readonly<Record<string, number>>): Float64Array {
  const out = clampColumn(accounts.strategicValue);
  for (const [flag, points] of Object.entries(bonuses)) {
    const column = accounts.flags[flag];
    if (column === undefined || !(points > 0)) continue;
    for (let i = 0; i < out.length; i++) {
      const known = column[i]!;
      if (known === FLAG_MISSING) continue;
      const base = out[i]!;
      out[i] = Math.min((Number.isNaN(base) ? 0 : base) + (known === 1 ? points : 0), 100);
    }
  }
  return out;
}

/** A flag cell that was blank (AccountColumns.flags: 1 yes, 0 no, 255 missing). */
const FLAG_MISSING = 255;

/** The ICP rules as the engine uses them: normalised sets, and only the configured rules. */
interface PreparedIcp {
  readonly industries: ReadonlySet<string> | undefined;
  readonly countries: ReadonlySet<string> | undefined;
  readonly employees: { readonly min: number; readonly max: number } | undefined;
  readonly weights: IcpRules['weights'];
}

/** Text compared case-insensitively after trimming; an empty cell is no value. */
function icpKey(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  // Composed and decomposed accents alike: 'Énergie' typed in the config matches an NFD cell.
  const key = foldText(text);
  return key === '' ? undefined : key;
}

function prepareIcp(icp: IcpRules): PreparedIcp {
  const toSet = (list: readonly string[] | undefined): ReadonlySet<string> | undefined => {
    if (list === undefined) return undefined;
    const set = new Set<string>();
    for (const item of list) {
      const key = icpKey(item);
      if (key !== undefined) set.add(key);
    }
    return set.size > 0 ? set : undefined;
  };
  const e = icp.employees;
  const employees =
    e !== undefined && (e.min !== undefined || e.max !== undefined)
      ? { min: e.min ?? Number.NEGATIVE_INFINITY, max: e.max ?? Number.POSITIVE_INFINITY }
      : undefined;
  return { industries: toSet(icp.industries), countries: toSet(icp.countries), employees, weights: icp.weights };
}

/**
 * 100 * matched rule weight / weight of the rules that could be evaluated on the row (a rule
 * whose input is missing there is not counted); NaN when no configured rule is evaluable.
 */
export function icpMatch(accounts: AccountColumns, icp: IcpRules): Float64Array {
  const rules = prepareIcp(icp);
  const n = accounts.n;
  const out = new Float64Array(n);
  const wi = Math.max(rules.weights.industries, 0);
  const wc = Math.max(rules.weights.countries, 0);
  const we = Math.max(rules.weights.employees, 0);
  for (let i = 0; i < n; i++) {
    let matched = 0;
    let evaluable = 0;
    if (rules.industries !== undefined) {
      const key = icpKey(accounts.industry.at(i));
      if (key !== undefined) {
        evaluable += wi;
        if (rules.industries.has(key)) matched += wi;
      }
    }
    if (rules.countries !== undefined) {
      const key = icpKey(accounts.country.at(i));
      if (key !== undefined) {
        evaluable += wc;
        if (rules.countries.has(key)) matched += wc;
      }
    }
    if (rules.employees !== undefined) {
      const e = accounts.employees[i]!;
      if (!Number.isNaN(e)) {
        evaluable += we;
        if (e >= rules.employees.min && e <= rules.employees.max) matched += we;
      }
    }
    out[i] = evaluable > 0 ? Math.min((100 * matched) / evaluable, 100) : Number.NaN;
  }
  return out;
}
