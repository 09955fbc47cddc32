import type { Command } from 'commander';
import { explainAccount, type Explanation } from '../core/explain.ts';
import { DerivedSource, type DerivedField } from '../core/rollup.ts';
import { acceptabilityError, NO_FIXED_TIER, ROBUST_DEFAULTS, robustAnalysis, sampleAroundWeights } from '../core/robust.ts';
import { MEASURE_CRITERION, TIER_INDEX, TIERS, type Measure, type ModelConfig, type ScoreResult } from '../core/types.ts';
import type { GateOutcome } from '../schema/gates.ts';
import { ExitCode, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { quietIo, type Io } from '../io/console.ts';
import { fixed2 } from '../io/format.ts';
import { renderTable, terminalWidth } from '../io/render-table.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { CRITERION_LABEL, SIGNAL_TEXT, tierWords } from '../io/signal-text.ts';
import type { AccountField } from '../schema/fields.ts';
import { formatDate } from '../schema/values.ts';
import {
  addReadOptions,
  assertSomeValid,
  loadAccountsAndDeals,
  reportConfig,
  reportMapping,
  reportDeals,
  resolveAsOf,
  resolveModel,
  scoreLoaded,
  loadOverrides,
  overrideText,
  type LoadedAccounts,
  type LoadedDeals,
  type ReadCliOptions,
} from './load.ts';
import { buildGoals, readHistory } from './follow-up.ts';
import { readDatedSnapshots } from './snapshot.ts';
import { watchList, type WatchItem, type WatchPoint } from '../core/watch.ts';
import { addQuietOption, documentFormatOption } from './output.ts';

const HELP_EXAMPLES = `
Examples:
  $ kam explain accounts.csv ACC-1012        by account id
  $ kam explain accounts.csv Cartech         by name (case-insensitive; a part of it works too)
  $ kam explain accounts.csv Cartech --format json
  $ kam explain accounts.csv Cartech --deals opportunities.csv --as-of 2017-12-31
  $ kam explain export.csv Cartech --history snapshots/*.csv --goals goals.csv   with "what to watch"
`;

/** The input fields behind each measure, shown as the raw cells of the row. */
const MEASURE_INPUTS: Readonly<Record<Measure, readonly AccountField[]>> = {
  revenue: ['revenue'],
  headroom: ['potential_revenue', 'revenue'],
  pipeline: ['pipeline'],
  growth_rate: ['growth_rate'],
  clv: ['revenue', 'gross_margin', 'retention_rate', 'churn_risk'],
  product_fit: ['product_fit'],
  icp_match: ['industry', 'country', 'employees'],
  strategic_value: ['strategic_value'],
};

export interface ExplainCliOptions extends ReadCliOptions {
  readonly weights?: string | undefined;
  readonly format?: 'table' | 'text' | 'json' | undefined;
  readonly quiet?: boolean | undefined;
  readonly asOf?: string | undefined;
  readonly history?: readonly string[] | undefined;
  readonly goals?: string | undefined;
  readonly overrides?: string | undefined;
  readonly robust?: boolean | undefined;
}

/** Find the account: exact id, then exact name (case-insensitive), then (with `partial`) a part of the name. */
export function findAccounts(ids: readonly string[], names: readonly string[], query: string, partial = true): number[] {
  const q = query.trim();
  const byId = ids.indexOf(q);
  if (byId >= 0) return [byId];
  const lower = q.toLowerCase();
  const exact = names.flatMap((n, i) => (n.toLowerCase() === lower ? [i] : []));
  if (exact.length || !partial) return exact;
  return names.flatMap((n, i) => (n.toLowerCase().includes(lower) ? [i] : []));
}

/**
 * The first rejected row whose account id is the query, or whose name is it (case-insensitive;
 * with `partial`, contains it). Checked before a partial match on the valid rows, so `B`, the
 * id of a rejected row, is not taken for a valid account whose name happens to contain a "b".
 */
function findRejected(loaded: LoadedAccounts, query: string, partial: boolean): LoadedAccounts['parsed']['rejected'][number] | undefined {
  const q = query.trim();
  const lower = q.toLowerCase();
  const idCol = loaded.mapping.fieldIndex.account_id;
  const nameCol = loaded.mapping.fieldIndex.account_name;
  return loaded.parsed.rejected.find((r) => {
    const cells = loaded.table.records[r.recordIndex]!.cells;
    const id = idCol === undefined ? undefined : cells[idCol]?.trim();
    const name = nameCol === undefined ? '' : (cells[nameCol]?.trim().toLowerCase() ?? '');
    return (!partial && id === q) || name === lower || (partial && lower !== '' && name.includes(lower));
  });
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
  const order = raw.map((_, k) => k).filter((k) => raw[k]! > 0).sort((x, y) => raw[y]! - cents[y]! - (raw[x]! - cents[x]!) || x - y);
  for (let j = 0; left > 0 && order.length > 0; j = (j + 1) % order.length, left--) cents[order[j]!]!++;
  for (let j = order.length - 1; left < 0 && order.length > 0; j = (j - 1 + order.length) % order.length, left++) cents[order[j]!]!--;
  return cents.map((c) => c / 100);
}

const DEAL_FILLED: Readonly<Partial<Record<AccountField, (a: LoadedAccounts['parsed']['accounts'], i: number) => string>>> = {
  revenue: (a, i) => String(a.revenue[i]),
  pipeline: (a, i) => String(a.pipeline[i]),
  // As a percent: a bare "3" would read as 3% under kam's own percent rule, not 300%.
  growth_rate: (a, i) => `${Math.round(a.growthRate[i]! * 10_000) / 100}%`,
};

function rawInputs(loaded: LoadedAccounts, index: number, fields: readonly AccountField[], deals?: LoadedDeals): string[] {
  const rec = loaded.table.records[loaded.parsed.recordIndex[index]!]!;
  const out: string[] = [];
  for (const f of fields) {
    const filled = DEAL_FILLED[f];
    if (deals && filled && deals.filled.source[f as DerivedField][index] === DerivedSource.Deals) {
      out.push(`${f}=${filled(loaded.parsed.accounts, index)} (from deals)`);
      continue;
    }
    const col = loaded.mapping.fieldIndex[f];
    if (col === undefined) continue;
    const v = rec.cells[col]?.trim() ?? '';
    out.push(`${f}=${v === '' ? '(blank)' : v}`);
  }
  return out;
}

function tierWhy(e: Explanation): string {
  const r = e.tierReason;
  switch (r.kind) {
    case 'matrix':
      return `current ${fixed2(e.current)} ${r.currentHigh ? '>=' : '<'} ${r.cut}, attractiveness ${fixed2(e.attractiveness)} ${r.attractivenessHigh ? '>=' : '<'} ${r.cut}`;
    case 'low_coverage':
      return `coverage ${Math.round(r.coverage * 100)}% is below the minimum ${Math.round(r.minCoverage * 100)}%`;
    case 'axis_missing':
      return `no input at all for the ${r.axis} axis`;
    case 'no_score':
      return 'no criterion has any input';
  }
}

const money = (x: number): string => Math.round(x).toLocaleString('en-US');
const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;
const DERIVED_SOURCE_NAME = ['none', 'accounts', 'deals', 'accounts_over_deals'] as const;

/** The roll-up of one account, as `explain --format json` prints it (null: missing). */
export function dealsJson(deals: LoadedDeals, i: number): Record<string, unknown> {
  const r = deals.rollup;
  const num = (x: number | undefined): number | null => (x === undefined || Number.isNaN(x) ? null : Math.round(x * 10_000) / 10_000);
  const count = (x: Float64Array): number => (Number.isNaN(x[i]!) ? 0 : x[i]!);
  const derived = { revenue: r.revenue, pipeline: r.pipeline, growth_rate: r.growthRate } as const;
  const fields = Object.fromEntries(
    (Object.keys(derived) as DerivedField[]).map((f) => [f, { source: DERIVED_SOURCE_NAME[deals.filled.source[f][i]!], derived: num(derived[f][i]) }]),
  );
  return {
    file: deals.table.source,
    joined_by: deals.join.by,
    as_of: formatDate(deals.asOf),
    window: { from: formatDate(r.yearAgo + 1), to: formatDate(deals.asOf) },
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
    last_won: Number.isNaN(r.lastWon[i]!) ? null : formatDate(r.lastWon[i]!),
    fields,
  };
}

/** Why the deals derive no value of a field for account i ('' when they simply have none). */
function missingWhy(deals: LoadedDeals, i: number, f: DerivedField): string {
  const r = deals.rollup;
  if (f === 'pipeline' && r.openCount[i]! > 0) return ' (no open deal has an amount)';
  if (f !== 'growth_rate') return '';
  if (!r.coversGrowth) return ` (the deals do not reach back to ${formatDate(r.twoYearsAgo)})`;
  return ` (nothing won in the 12 months to ${formatDate(r.yearAgo)})`;
}

/** The "Deals" section of `explain`: the roll-up, and where revenue, pipeline and growth_rate came from. */
function renderDeals(deals: LoadedDeals, i: number): string[] {
  const r = deals.rollup;
  const asOf = formatDate(deals.asOf);
  const out = [`Deals (${deals.table.source}, joined by account ${deals.join.by}, as of ${asOf}):`];
  if (Number.isNaN(r.dealCount[i]!)) {
    out.push('  no deal names this account: nothing derived');
    return out;
  }
  const won = r.wonCount[i]!;
  const closed = r.closedCount[i]!;
  const open = r.openCount[i]!;
  out.push(`  deals: ${r.dealCount[i]} (${won} won, ${closed - won} lost, ${open} open)`);
  const prev = r.coversGrowth ? money(r.revenuePrev[i]!) : `${money(r.revenuePrev[i]!)} (the deals do not reach back to ${formatDate(r.twoYearsAgo)})`;
  out.push(`  won in the 12 months to ${asOf}: ${money(r.revenue[i]!)} (${r.wonInWindow[i]} deal${r.wonInWindow[i] === 1 ? '' : 's'}) · previous 12 months: ${prev}`);
  out.push(`  open pipeline: ${Number.isNaN(r.pipeline[i]!) ? `missing (${open} open deal${open === 1 ? '' : 's'}, none with an amount)` : money(r.pipeline[i]!)}`);
  out.push(`  win rate: ${Number.isNaN(r.winRate[i]!) ? 'missing (no closed deal)' : `${percent(r.winRate[i]!)} (${won} of ${closed} closed)`}`);
  out.push(`  last won: ${Number.isNaN(r.lastWon[i]!) ? 'never' : formatDate(r.lastWon[i]!)}`);
  const derived: Record<DerivedField, { value: number; show: (x: number) => string; why: string }> = {
    revenue: { value: r.revenue[i]!, show: money, why: `won in the 12 months to ${asOf}: ${r.wonInWindow[i]} deal${r.wonInWindow[i] === 1 ? '' : 's'}` },
    pipeline: { value: r.pipeline[i]!, show: money, why: `${open} open deal${open === 1 ? '' : 's'}` },
    growth_rate: { value: r.growthRate[i]!, show: percent, why: 'the 12 months to the as-of date against the 12 before' },
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

/**
 * `explain --robust`: the account's shortlist and top-k acceptability over the default
 * sample of weightings (kam robust's defaults), with the shortlist of the config.
 */
function robustLine(loaded: LoadedAccounts, model: ModelConfig, scored: ScoreResult, gates: GateOutcome | undefined, i: number): { text: string; json: object } {
  const a = loaded.parsed.accounts;
  const fixedTier = gates === undefined ? undefined : Uint8Array.from(gates.gated, (g) => (g === 1 ? TIER_INDEX.Gated : NO_FIXED_TIER));
  const d = ROBUST_DEFAULTS;
  const capacity = loaded.config.shortlist;
  const top = capacity ?? d.top;
  const r = robustAnalysis({ n: a.n, ids: a.id, criteria: scored.criteria, fixedTier }, sampleAroundWeights(model.weights, d.concentration, d.seed, d.samples), {
    model,
    shortlist: capacity,
    top,
  });
  const N = r.scenarios;
  const acc = r.shortlist[i]! / N;
  const topK = r.topK[i]! / N;
  const [p5, median, p95] = [r.rankQuantiles[i * 3]!, r.rankQuantiles[i * 3 + 1]!, r.rankQuantiles[i * 3 + 2]!];
  const list = capacity === undefined ? 'the Key tier' : `the best ${capacity}`;
  const text = `robust: on the shortlist (${list}) in ${(acc * 100).toFixed(1)}% of ${N.toLocaleString('en-US')} weightings (± ${(acceptabilityError(acc, N) * 100).toFixed(1)}), in the top ${top} in ${(topK * 100).toFixed(1)}%; median rank ${median} (90% of weightings: ${p5}-${p95}); kam robust ${loaded.table.source} has the detail`;
  const round3 = (x: number): number => Math.round(x * 1000) / 1000;
  return { text, json: { scenarios: N, shortlist_acceptability: round3(acc), top_k: top, top_k_acceptability: round3(topK), rank_median: median, rank_p5: p5, rank_p95: p95 } };
}

function renderExplanation(
  loaded: LoadedAccounts,
  model: ModelConfig,
  e: Explanation,
  n: number,
  io: Io,
  deals: LoadedDeals | undefined,
  gate: { rule: string; modelTier: string } | undefined,
): string {
  const a = loaded.parsed.accounts;
  const line = loaded.table.records[loaded.parsed.recordIndex[e.index]!]!.line;
  const out: string[] = [];
  out.push(escapeTerminal(`${a.name[e.index]} (${a.id[e.index]}), ${loaded.table.source} line ${line}`));
  out.push(
    `score ${fixed2(e.score)} · rank ${e.rank} of ${n} · tier ${e.tier}: ${tierWords(e.tier, e.axisTies)} (${gate && gate.rule !== '' ? `gate '${gate.rule}' fired; without it ${gate.modelTier}: ${tierWhy(e)}` : tierWhy(e)}) · coverage ${Math.round(e.coverage * 100)}%`,
  );
  out.push('');
  out.push(`Identification checklist (pass mark ${model.tierCut}):`);
  const points = apportionPoints(e.checks.map((c) => c.contribution), e.score);
  const rows = e.checks.map((c, k) => {
    const inputs = c.measures
      .filter((m) => m.weight > 0 || !Number.isNaN(m.value))
      .map((m) => {
        const raw = rawInputs(loaded, e.index, m.measure === 'revenue' ? ['revenue'] : MEASURE_INPUTS[m.measure], deals);
        const val = Number.isNaN(m.value) ? 'missing' : fixed2(m.value);
        const tie = m.tie === undefined ? '' : ` (tie of all ${m.tie} accounts)`;
        return `${m.measure} ${val}${tie}${raw.length ? ` [${raw.join(', ')}]` : ''}`;
      })
      .join('\n');
    return [
      CRITERION_LABEL[c.criterion],
      inputs || '-',
      Number.isNaN(c.value) ? 'missing' : fixed2(c.value),
      `${c.weight} (${(c.effectiveWeight * 100).toFixed(0)}%)`,
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
      width: terminalWidth(io),
      color: io.color,
    }).trimEnd(),
  );
  const axis = (x: number): string => (Number.isNaN(x) ? 'missing' : fixed2(x));
  out.push(`current (volume, ltv): ${axis(e.current)} · attractiveness (potential, fit, strategic): ${axis(e.attractiveness)}`);
  if (!Number.isNaN(e.clv)) out.push(`customer lifetime value: ${Math.round(e.clv).toLocaleString('en-US')}`);
  out.push('');
  out.push('Signals:');
  if (e.signals.length === 0) out.push('  (none)');
  for (const s of e.signals) out.push(`  ${s}: ${SIGNAL_TEXT[s]}`);
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

/**
 * "What to watch" (--history, --goals): the account across the snapshots, then this file as
 * the latest point (unless it is one of them); undefined without --history.
 */
async function whatToWatch(io: Io, options: ExplainCliOptions, loaded: LoadedAccounts, index: number, signals: readonly string[], asOf: number): Promise<WatchItem[] | undefined> {
  if (options.goals !== undefined && options.history === undefined) throw new UsageError('explain --goals needs --history SNAPSHOTS... (the goals are measured across them)');
  if (options.history === undefined) return undefined;
  const read = { ...options, deals: undefined };
  const sides = await readDatedSnapshots(io, options.history, read, undefined);
  const h = await readHistory(io, options.history, read, sides);
  const id = loaded.parsed.accounts.id[index]!;
  const point = (c: LoadedAccounts['parsed']['accounts'], i: number, sig: readonly string[]): WatchPoint => ({
    pipeline: c.pipeline[i]!,
    revenue: c.revenue[i]!,
    grossMargin: c.grossMargin[i]!,
    signals: sig,
  });
  const points: (WatchPoint | undefined)[] = sides.map((side) => {
    const acc = side.snapshot.accounts.find((x) => x.id === id);
    return acc ? point(side.loaded.parsed.accounts, acc.index, acc.signals) : undefined;
  });
  if (!sides.some((side) => side.source === loaded.table.source)) points.push(point(loaded.parsed.accounts, index, signals));
  const account = h.history.accounts.find((x) => x.id === id);
  const momentum = account?.momentum ? { signals: account.signals, slope: account.momentum.slope } : undefined;
  const goals = options.goals === undefined ? [] : (await buildGoals(io, options.history, options.goals, read, asOf, sides)).goals.filter((g) => g.row.accountId === id);
  return watchList(points, momentum, goals.map((g) => ({ metric: g.row.metric, status: g.evaluation.status })));
}

/** One "what to watch" item in words. */
export function watchText(w: WatchItem): string {
  const money = (x: number): string => Math.round(x).toLocaleString('en-US');
  const pct = (x: number): string => `${(Math.round(x * 1000) / 10 + 0).toFixed(1)}%`;
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

/** `kam explain`: the identification checklist for one account. */
export async function runExplain(file: string, query: string, options: ExplainCliOptions, runIo: Io): Promise<ExitCodeT> {
  const io = quietIo(runIo, options.quiet);
  const asOf = resolveAsOf(io, options.asOf);
  const { loaded, deals } = await loadAccountsAndDeals(io, file, options, asOf);
  await reportConfig(io, loaded.configPath);
  assertSomeValid(loaded);
  if (deals) await reportDeals(io, deals, loaded.table.source, { maxListed: 20 });
  const model = resolveModel(loaded.config, options.weights);
  const a = loaded.parsed.accounts;
  const onRejected = (r: LoadedAccounts['parsed']['rejected'][number]): UsageError =>
    new UsageError(`'${query}' is on a rejected row (line ${r.line}): ${r.issues.map((i) => `${i.column}: ${i.message}`).join('; ')}`);
  let hits = findAccounts(a.id, a.name, query, false);
  if (hits.length === 0) {
    const exactRejected = findRejected(loaded, query, false);
    if (exactRejected) throw onRejected(exactRejected);
    hits = findAccounts(a.id, a.name, query);
  }
  if (hits.length === 0) {
    const rejected = findRejected(loaded, query, true);
    throw rejected ? onRejected(rejected) : new UsageError(`no account matches '${query}' (by id or name)`);
  }
  if (hits.length > 1) {
    const list = hits.map((i) => `  ${a.id[i]}  ${a.name[i]}`).join('\n');
    throw new UsageError(`'${query}' matches ${hits.length} accounts; name one by id:\n${list}`);
  }
  await reportMapping(io, loaded);
  const { result, scored, gates } = scoreLoaded(loaded, model);
  const e = explainAccount(a, result, model, hits[0]!);
  const watch = await whatToWatch(io, options, loaded, e.index, result.signals[e.index]!, asOf);
  const gate = gates === undefined ? undefined : { rule: gates.rule[e.index] ?? '', modelTier: TIERS[scored.tier[e.index]!]! };
  const overridesFile = options.overrides ?? loaded.config.overrides;
  const overrides = overridesFile === undefined ? undefined : await loadOverrides(io, overridesFile, loaded, asOf);
  // The override is said, not applied to the checklist: explain shows the model's reasoning.
  const override = overrides === undefined ? undefined : overrideText(overrides, e.index, result.tier[e.index]!, undefined);
  const robust = options.robust === true ? robustLine(loaded, model, scored, gates, e.index) : undefined;
  if (options.format === 'json') {
    const nan = (x: number): number | null => (Number.isNaN(x) ? null : Math.round(x * 100) / 100);
    const points = apportionPoints(e.checks.map((c) => c.contribution), e.score);
    const doc = {
      account_id: a.id[e.index],
      account_name: a.name[e.index],
      line: loaded.table.records[loaded.parsed.recordIndex[e.index]!]!.line,
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
          inputs: rawInputs(loaded, e.index, MEASURE_INPUTS[m.measure], deals),
        })),
      })),
      signals: e.signals,
      missing: e.missing,
      assumptions: e.assumptions,
      ...(deals ? { deals: dealsJson(deals, e.index) } : {}),
      ...(watch ? { watch: watch.map((w) => ({ ...w, text: watchText(w) })) } : {}),
    };
    await io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    const watchLines = watch ? ['', 'What to watch:', ...(watch.length ? watch.map((w) => `  - ${watchText(w)}`) : ['  nothing in the history or the goals'])] : [];
    const text = renderExplanation(loaded, model, e, a.n, io, deals, gate);
    const [head, tierLine, ...rest] = text.split('\n');
    const extra = [...(override ? [`override: ${override}`] : []), ...(robust ? [robust.text] : [])];
    const body = extra.length ? [head, tierLine, ...extra, ...rest].join('\n') : text;
    await io.stdout.write(body + (watchLines.length ? watchLines.join('\n') + '\n' : ''));
  }
  return ExitCode.Ok;
}

export function registerExplain(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('explain')
    .description('Show the identification checklist for one account: inputs, criteria, weights, tier, signals')
    .argument('<file>', 'accounts CSV, or - for stdin')
    .argument('<account>', 'account id or name');
  addReadOptions(cmd)
    .option('--weights <spec>', 'criterion weights, e.g. volume=2,potential=3')
    .addOption(documentFormatOption())
    .option('--deals <file>', 'opportunities export: derive revenue, pipeline and growth_rate from its deals')
    .option('--as-of <date>', 'the date the deals are rolled up, goals measured and overrides checked at (default: today)')
    .option('--history <snapshots...>', 'earlier snapshots: add "what to watch" from the account\'s history')
    .option('--goals <file>', 'goals.csv: a goal of the account behind or overdue is on the watch list (needs --history)')
    .option('--robust', 'also the account\'s acceptability over 10,000 weightings around the configured weights (see kam robust)')
    .option('--overrides <file>', 'manual overrides CSV: the account\'s override, who set it and why');
  addQuietOption(cmd)
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (file: string, account: string, opts: ExplainCliOptions) => setExitCode(await runExplain(file, account, opts, io)));
}
