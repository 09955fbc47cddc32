import type { ChalkInstance } from 'chalk';
import { apportionPoints, type Explanation } from '../core/explain.ts';
import { DerivedSource, type DealJoin, type DealRollup, type DerivedField, type FilledAccounts } from '../core/rollup.ts';
import { MEASURE_CRITERION, type Measure, type ModelConfig } from '../core/types.ts';
import type { WatchItem } from '../core/watch.ts';
import { fixed2, isoDate, jsonNumber, percent, round, toFixedPercent, wholeGrouped } from './format.ts';
import { renderTable } from './render-table.ts';
import { borderlineText, CRITERION_LABEL, SIGNAL_TEXT, tierWords } from './signal-text.ts';
import { escapeTerminal } from './terminal-text.ts';

/**
 * `kam explain` in words: the checklist, the deals section, the robust line and "what to
 * watch"; the numbers come from core/explain.ts (the checklist), core/rollup.ts (the deals),
 * core/robust.ts and core/watch.ts. Percent rules: tier and coverage lines whole percents
 * (Math.round), weights and deal rates toFixed, the watch list one decimal (format.ts).
 */

/** The deals file as explain shows it (commands/load.ts LoadedDeals fits). */
interface DealsView {
  readonly table: { readonly source: string };
  readonly join: DealJoin;
  readonly rollup: DealRollup;
  readonly filled: FilledAccounts;
  readonly asOf: number;
}

/** A gate on the account: the rule that fired ('' for none) and the tier the model gave. */
interface ExplainGate {
  readonly rule: string;
  readonly modelTier: string;
}

/** A fraction as a whole percent: 0.754 -> '75%'. */
const percent0 = (x: number): string => percent(x, 0);

function tierWhy(e: Explanation): string {
  const r = e.tierReason;
  switch (r.kind) {
    case 'matrix':
      return `current ${fixed2(e.current)} ${r.currentHigh ? '>=' : '<'} ${r.cut}, attractiveness ${fixed2(e.attractiveness)} ${r.attractivenessHigh ? '>=' : '<'} ${r.cut}`;
    case 'low_coverage':
      return `coverage ${percent0(r.coverage)} is below the minimum ${percent0(r.minCoverage)}`;
    case 'axis_missing':
      return `no input at all for the ${r.axis} axis`;
    case 'no_score':
      return 'no criterion has any input';
  }
}

const money = wholeGrouped;
/** A rate of the deals with one decimal through toFixed: 0.4 -> '40.0%'. */
const share = (x: number): string => toFixedPercent(x, 1);
const DERIVED_SOURCE_NAME = ['none', 'accounts', 'deals', 'accounts_over_deals'] as const;

/** The roll-up of one account, as `explain --format json` prints it (null: missing). */
function dealsJson(deals: DealsView, i: number): Record<string, unknown> {
  const r = deals.rollup;
  const num = (x: number | undefined): number | null => jsonNumber(x, 4);
  const count = (x: Float64Array): number => (Number.isNaN(x[i]!) ? 0 : x[i]!);
  const derived = { revenue: r.revenue, pipeline: r.pipeline, growth_rate: r.growthRate } as const;
  const fields = Object.fromEntries(
    (Object.keys(derived) as DerivedField[]).map((f) => [f, { source: DERIVED_SOURCE_NAME[deals.filled.source[f][i]!], derived: num(derived[f][i]) }]),
  );
  return {
    file: deals.table.source,
    joined_by: deals.join.by,
    as_of: isoDate(deals.asOf),
    window: { from: isoDate(r.yearAgo + 1), to: isoDate(deals.asOf) },
    deals: count(r.dealCount),
    won: count(r.wonCount),
    lost: count(r.closedCount) - count(r.wonCount),
    open: count(r.openCount),
    won_in_window: count(r.wonInWindow),
    revenue_12m: num(r.revenue[i]),
    revenue_previous_12m: num(r.revenuePrev[i]),
    pipeline: num(r.pipeline[i]),
    growth_rate: num(r.growthRate[i]),
    win_rate: num(r.winRate[i]),
    last_won: Number.isNaN(r.lastWon[i]!) ? null : isoDate(r.lastWon[i]!),
    fields,
  };
}

/** Why the deals derive no value of a field for account i ('' when they simply have none). */
function missingWhy(deals: DealsView, i: number, f: DerivedField): string {
  const r = deals.rollup;
  if (f === 'pipeline' && r.openCount[i]! > 0) return ' (no open deal has an amount)';
  if (f !== 'growth_rate') return '';
  if (!r.coversGrowth) return ` (the deals do not reach back to ${isoDate(r.twoYearsAgo)})`;
  return ` (nothing won in the 12 months to ${isoDate(r.yearAgo)})`;
}

/** The "Deals" section of `explain`: the roll-up, and where revenue, pipeline and growth_rate came from. */
function renderDeals(deals: DealsView, i: number): string[] {
  const r = deals.rollup;
  const asOf = isoDate(deals.asOf);
  const out = [`Deals (${deals.table.source}, joined by account ${deals.join.by}, as of ${asOf}):`];
  if (Number.isNaN(r.dealCount[i]!)) {
    out.push('  no deal names this account: nothing derived');
    return out;
  }
  const won = r.wonCount[i]!;
  const closed = r.closedCount[i]!;
  const open = r.openCount[i]!;
  out.push(`  deals: ${r.dealCount[i]} (${won} won, ${closed - won} lost, ${open} open)`);
  const prev = r.coversGrowth ? money(r.revenuePrev[i]!) : `${money(r.revenuePrev[i]!)} (the deals do not reach back to ${isoDate(r.twoYearsAgo)})`;
  out.push(
    `  won in the 12 months to ${asOf}: ${money(r.revenue[i]!)} (${r.wonInWindow[i]} deal${r.wonInWindow[i] === 1 ? '' : 's'}) · previous 12 months: ${prev}`,
  );
  out.push(
    `  open pipeline: ${Number.isNaN(r.pipeline[i]!) ? `missing (${open} open deal${open === 1 ? '' : 's'}, none with an amount)` : money(r.pipeline[i]!)}`,
  );
  out.push(`  win rate: ${Number.isNaN(r.winRate[i]!) ? 'missing (no closed deal)' : `${share(r.winRate[i]!)} (${won} of ${closed} closed)`}`);
  out.push(`  last won: ${Number.isNaN(r.lastWon[i]!) ? 'never' : isoDate(r.lastWon[i]!)}`);
  const derived: Record<DerivedField, { value: number; show: (x: number) => string; why: string }> = {
    revenue: { value: r.revenue[i]!, show: money, why: `won in the 12 months to ${asOf}: ${r.wonInWindow[i]} deal${r.wonInWindow[i] === 1 ? '' : 's'}` },
    pipeline: { value: r.pipeline[i]!, show: money, why: `${open} open deal${open === 1 ? '' : 's'}` },
    growth_rate: { value: r.growthRate[i]!, show: share, why: 'the 12 months to the as-of date against the 12 before' },
  };
  for (const [f, d] of Object.entries(derived) as [DerivedField, (typeof derived)[DerivedField]][]) {
    switch (deals.filled.source[f][i]) {
      case DerivedSource.Deals:
        out.push(`  ${f}: from deals (${d.why})`);
        break;
      case DerivedSource.AccountsOverDeals:
        out.push(`  ${f}: accounts file value used; deals say ${d.show(d.value)}`);
        break;
      case DerivedSource.Accounts:
        out.push(`  ${f}: accounts file value used; the deals give none`);
        break;
      default:
        out.push(`  ${f}: missing in both${missingWhy(deals, i, f)}`);
    }
  }
  return out;
}

/** The account as `kam explain` names it: its name and id, the file and the physical line. */
interface ExplainedRow {
  readonly name: string;
  readonly id: string;
  readonly source: string;
  readonly line: number;
}

/** Where the table goes: its colours and the terminal width. */
export interface ExplainTerminal {
  readonly color: ChalkInstance;
  readonly width: number | undefined;
}

/**
 * `kam explain`'s text: the tier line, the checklist table, the axes, signals, what is missing
 * or assumed, and the deals; `inputsOf` gives a measure's raw cells as `field=value`.
 */
function renderExplanation(
  row: ExplainedRow,
  model: ModelConfig,
  e: Explanation,
  n: number,
  term: ExplainTerminal,
  deals: DealsView | undefined,
  gate: ExplainGate | undefined,
  inputsOf: (measure: Measure) => string[],
): string {
  const out: string[] = [];
  out.push(escapeTerminal(`${row.name} (${row.id}), ${row.source} line ${row.line}`));
  out.push(
    `score ${fixed2(e.score)} · rank ${e.rank} of ${n} · tier ${e.tier}: ${tierWords(e.tier, e.axisTies)} (${gate && gate.rule !== '' ? `gate '${gate.rule}' fired; without it ${gate.modelTier}: ${tierWhy(e)}` : tierWhy(e)}) · coverage ${percent0(e.coverage)}`,
  );
  out.push('');
  out.push(`Identification checklist (pass mark ${model.tierCut}):`);
  const points = apportionPoints(
    e.checks.map((c) => c.contribution),
    e.score,
  );
  const rows = e.checks.map((c, k) => {
    const inputs = c.measures
      .filter((m) => m.weight > 0 || !Number.isNaN(m.value))
      .map((m) => {
        const raw = inputsOf(m.measure);
        const val = Number.isNaN(m.value) ? 'missing' : fixed2(m.value);
        const tie = m.tie === undefined ? '' : ` (tie of all ${m.tie} accounts)`;
        return `${m.measure} ${val}${tie}${raw.length ? ` [${raw.join(', ')}]` : ''}`;
      })
      .join('\n');
    return [
      CRITERION_LABEL[c.criterion],
      inputs || '-',
      Number.isNaN(c.value) ? 'missing' : fixed2(c.value),
      `${c.weight} (${toFixedPercent(c.effectiveWeight, 0)})`,
      fixed2(points[k]),
      c.pass === undefined ? '-' : c.pass ? 'pass' : 'fail',
    ];
  });
  out.push(
    renderTable({
      head: ['Criterion', 'Measures [raw inputs]', 'Value', 'Weight', 'Points', 'Pass'],
      rows,
      numeric: new Set([2, 4]),
      flexible: [{ index: 1, min: 20, floor: 12 }],
      width: term.width,
      color: term.color,
    }).trimEnd(),
  );
  const axis = (x: number): string => (Number.isNaN(x) ? 'missing' : fixed2(x));
  out.push(`current (volume, ltv): ${axis(e.current)} · attractiveness (potential, fit, strategic): ${axis(e.attractiveness)}`);
  if (!Number.isNaN(e.clv)) out.push(`customer lifetime value: ${wholeGrouped(e.clv)}`);
  out.push('');
  out.push('Signals:');
  if (e.signals.length === 0) out.push('  (none)');
  for (const s of e.signals)
    out.push(`  ${s}: ${s === 'borderline' ? borderlineText(e.current, e.attractiveness, model.tierCut, model.band) : SIGNAL_TEXT[s]}`);
  const missing = e.missing.map((m) => `  missing: ${m} (${CRITERION_LABEL[MEASURE_CRITERION[m]]})`);
  const assumed = e.assumptions.map((x) =>
    x === 'default_retention'
      ? `  assumed: retention ${model.defaultRetention} (no retention_rate or churn_risk given)`
      : x === 'retention_over_churn'
        ? '  assumed: both retention_rate and churn_risk given; retention_rate used'
        : '  assumed: revenue missing, counted as 0 in headroom',
  );
  if (missing.length || assumed.length) {
    out.push('');
    out.push('Missing or assumed:');
    out.push(...missing, ...assumed);
  }
  if (deals) out.push('', ...renderDeals(deals, e.index));
  return out.join('\n') + '\n';
}

/** An object's keys in snake_case, like every other key of the JSON output. */
function snakeKeys(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

/** The robust analysis of one account, as `explain --robust` says it. */
export interface RobustFacts {
  readonly scenarios: number;
  /** Share of weightings with the account on the shortlist, and in the top `top`. */
  readonly shortlist: number;
  readonly topK: number;
  readonly top: number;
  readonly error: number;
  readonly capacity: number | undefined;
  readonly p5: number;
  readonly median: number;
  readonly p95: number;
  readonly source: string;
}

/** The robust line and its JSON. */
export function robustText(r: RobustFacts): { text: string; json: object } {
  const list = r.capacity === undefined ? 'the Key tier' : `the best ${r.capacity}`;
  const N = r.scenarios;
  const text = `robust: on the shortlist (${list}) in ${toFixedPercent(r.shortlist, 1)} of ${N.toLocaleString('en-US')} weightings (± ${(r.error * 100).toFixed(1)}), in the top ${r.top} in ${toFixedPercent(r.topK, 1)}; median rank ${r.median} (90% of weightings: ${r.p5}-${r.p95}); kam robust ${r.source} has the detail`;
  return {
    text,
    json: {
      scenarios: N,
      shortlist_acceptability: round(r.shortlist, 3),
      top_k: r.top,
      top_k_acceptability: round(r.topK, 3),
      rank_median: r.median,
      rank_p5: r.p5,
      rank_p95: r.p95,
    },
  };
}

/** One "what to watch" item in words. */
function watchText(w: WatchItem): string {
  const money = wholeGrouped;
  const pct = (x: number): string => percent(x, 1);
  const slope = (x: number): string => `${x > 0 ? '+' : ''}${(Math.round(x * 100) / 100 + 0).toFixed(2)} points a week`;
  switch (w.code) {
    case 'goal_behind':
      return `goal on ${w.metric} is ${w.status}`;
    case 'rising_fast':
      return `score rising fast (${slope(w.slope)})`;
    case 'falling':
      return `score falling (${slope(w.slope)})`;
    case 'pipeline_without_revenue':
      return `pipeline rising (${money(w.from)} -> ${money(w.to)}) with no won revenue yet`;
    case 'margin_falling':
      return `gross margin falling three snapshots running (${w.values.map(pct).join(' -> ')})`;
    case 'retention_risk_new':
      return 'retention risk newly given: retention below the threshold, not so in the snapshot before';
  }
}

/** Everything `kam explain` shows of one account: the checklist and what the options add. */
export interface ExplainParts {
  readonly row: ExplainedRow;
  readonly model: ModelConfig;
  readonly e: Explanation;
  /** Accounts in the file (the rank is "of n"). */
  readonly n: number;
  readonly deals: DealsView | undefined;
  readonly gate: ExplainGate | undefined;
  readonly inputsOf: (measure: Measure) => string[];
  /** kam_override of the account ('' without one); undefined without an overrides file. */
  readonly override: string | undefined;
  readonly robust: { readonly text: string; readonly json: object } | undefined;
  readonly watch: readonly WatchItem[] | undefined;
}

/** `kam explain --format json`: one document. */
export function explanationJson({ row, e, deals, gate, inputsOf, override, robust, watch }: ExplainParts): string {
  const nan = (x: number): number | null => jsonNumber(x, 2);
  const points = apportionPoints(
    e.checks.map((c) => c.contribution),
    e.score,
  );
  const doc = {
    account_id: row.id,
    account_name: row.name,
    line: row.line,
    rank: e.rank,
    score: nan(e.score),
    tier: e.tier,
    tier_reason: snakeKeys(e.tierReason),
    ...(gate ? { gate: gate.rule === '' ? null : { rule: gate.rule, model_tier: gate.modelTier } } : {}),
    ...(override !== undefined ? { override: override === '' ? null : override } : {}),
    ...(robust ? { robust: robust.json } : {}),
    coverage: nan(e.coverage),
    current: nan(e.current),
    attractiveness: nan(e.attractiveness),
    clv: nan(e.clv),
    checklist: e.checks.map((c, k) => ({
      criterion: c.criterion,
      weight: c.weight,
      effective_weight: nan(c.effectiveWeight),
      value: nan(c.value),
      contribution: points[k]!,
      pass: c.pass ?? null,
      measures: c.measures.map((m) => ({
        measure: m.measure,
        weight: m.weight,
        value: nan(m.value),
        ...(m.tie === undefined ? {} : { tie_of: m.tie }),
        inputs: inputsOf(m.measure),
      })),
    })),
    signals: e.signals,
    missing: e.missing,
    assumptions: e.assumptions,
    ...(deals ? { deals: dealsJson(deals, e.index) } : {}),
    ...(watch ? { watch: watch.map((w) => ({ ...w, text: watchText(w) })) } : {}),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** `kam explain` as text: the override and robust lines go under the tier line, the watch list last. */
export function explanationText({ row, model, e, n, deals, gate, inputsOf, override, robust, watch }: ExplainParts, term: ExplainTerminal): string {
  const watchLines = watch
    ? ['', 'What to watch:', ...(watch.length ? watch.map((w) => `  - ${watchText(w)}`) : ['  nothing in the history or the goals'])]
    : [];
  const text = renderExplanation(row, model, e, n, term, deals, gate, inputsOf);
  const [head, tierLine, ...rest] = text.split('\n');
  const extra = [...(override ? [`override: ${override}`] : []), ...(robust ? [robust.text] : [])];
  const body = extra.length ? [head, tierLine, ...extra, ...rest].join('\n') : text;
  return body + (watchLines.length ? watchLines.join('\n') + '\n' : '');
}
