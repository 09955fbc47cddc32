import type { Command } from 'commander';
import { explainAccount, findAccounts } from '../core/explain.ts';
import { DerivedSource, type DerivedField } from '../core/rollup.ts';
import { textValues } from '../core/text-column.ts';
import { acceptabilityError, NO_FIXED_TIER, ROBUST_DEFAULTS, robustAnalysis, sampleAroundWeights } from '../core/robust.ts';
import { TIER_INDEX, TIERS, type Measure, type ModelConfig, type ScoreResult } from '../core/types.ts';
import type { GateOutcome } from '../schema/gates.ts';
import { ExitCode, InputError, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { quietIo, type Io } from '../io/console.ts';
import { explanationJson, explanationText, robustText, type ExplainParts } from '../io/render-explain.ts';
import { terminalWidth } from '../io/render-table.ts';
import type { AccountField } from '../schema/fields.ts';
import { stripIdPrefix } from '../schema/values.ts';
import { assertSomeValid, reportMapping, type LoadedAccounts } from './load.ts';
import { reportConfig } from './load-config.ts';
import { loadAccountsAndDeals, reportDeals, type LoadedDeals } from './load-deals.ts';
import { scoreLoaded, loadOverrides, overrideText } from './load-gates.ts';
import { resolveModel } from './load-model.ts';
import { addReadOptions, resolveAsOf, type ReadCliOptions } from './load-options.ts';
import { buildGoals, readHistory } from './follow-up.ts';
import { readDatedSnapshots } from './snapshot.ts';
import { watchList, type WatchItem, type WatchPoint } from '../core/watch.ts';
import { addQuietOption, documentFormatOption } from './output.ts';
import { signalsOfMask } from '../core/signals.ts';

const HELP_EXAMPLES = `
Examples:
  $ kam explain accounts.csv ACC-1012        by account id
  $ kam explain accounts.csv Cartech         by name (case-insensitive; a part of it works too)
  $ kam explain accounts.csv Cartech --format json
  $ kam explain accounts.csv Cartech --deals opportunities.csv --as-of 2017-12-31
  $ kam explain export.csv Cartech --history snapshots/*.csv --goals goals.csv   with "what to watch"
`;

/** The accounts an ambiguous query lists (the rest are counted). */
const AMBIGUOUS_LISTED = 20;

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

interface ExplainCliOptions extends ReadCliOptions {
  readonly weights?: string | undefined;
  readonly format?: 'table' | 'text' | 'json' | undefined;
  readonly quiet?: boolean | undefined;
  readonly asOf?: string | undefined;
  readonly history?: readonly string[] | undefined;
  readonly goals?: string | undefined;
  readonly overrides?: string | undefined;
  readonly robust?: boolean | undefined;
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
    const cells = loaded.table.cellsOf(r.recordIndex);
    const id = idCol === undefined ? undefined : cells[idCol]?.trim();
    const name = nameCol === undefined ? '' : (cells[nameCol]?.trim().toLowerCase() ?? '');
    return (!partial && id === q) || name === lower || (partial && lower !== '' && name.includes(lower));
  });
}

const DEAL_FILLED: Readonly<Partial<Record<AccountField, (a: LoadedAccounts['parsed']['accounts'], i: number) => string>>> = {
  revenue: (a, i) => String(a.revenue[i]),
  pipeline: (a, i) => String(a.pipeline[i]),
  // As a percent: a bare "3" would read as 3% under kam's own percent rule, not 300%.
  growth_rate: (a, i) => `${Math.round(a.growthRate[i]! * 10_000) / 100}%`,
};

function rawInputs(loaded: LoadedAccounts, index: number, fields: readonly AccountField[], deals?: LoadedDeals): string[] {
  const cells = loaded.table.rowsOf(loaded.parsed.recordIndex).cellsOf(index);
  const out: string[] = [];
  for (const f of fields) {
    const filled = DEAL_FILLED[f];
    if (deals && filled && deals.filled.source[f as DerivedField][index] === DerivedSource.Deals) {
      out.push(`${f}=${filled(loaded.parsed.accounts, index)} (from deals)`);
      continue;
    }
    const col = loaded.mapping.fieldIndex[f];
    if (col === undefined) continue;
    const v = cells[col]?.trim() ?? '';
    out.push(`${f}=${v === '' ? '(blank)' : v}`);
  }
  return out;
}

/**
 * `explain --robust`: the account's shortlist and top-k acceptability over the default
 * sample of weightings (kam robust's defaults), with the shortlist of the config.
 */
function robustLine(
  loaded: LoadedAccounts,
  model: ModelConfig,
  scored: ScoreResult,
  gates: GateOutcome | undefined,
  i: number,
): { text: string; json: object } {
  const a = loaded.parsed.accounts;
  const fixedTier = gates === undefined ? undefined : Uint8Array.from(gates.gated, (g) => (g === 1 ? TIER_INDEX.Gated : NO_FIXED_TIER));
  const d = ROBUST_DEFAULTS;
  const capacity = loaded.config.shortlist;
  const top = capacity ?? d.top;
  const r = robustAnalysis(
    { n: a.n, ids: textValues(a.id) as string[], criteria: scored.criteria, fixedTier },
    sampleAroundWeights(model.weights, d.concentration, d.seed, d.samples),
    {
      model,
      shortlist: capacity,
      top,
    },
  );
  const N = r.scenarios;
  const acc = r.shortlist[i]! / N;
  const [p5, median, p95] = [r.rankQuantiles[i * 3]!, r.rankQuantiles[i * 3 + 1]!, r.rankQuantiles[i * 3 + 2]!];
  return robustText({
    scenarios: N,
    shortlist: acc,
    topK: r.topK[i]! / N,
    top,
    error: acceptabilityError(acc, N),
    capacity,
    p5,
    median,
    p95,
    source: loaded.table.source,
  });
}

/**
 * "What to watch" (--history, --goals): the account across the snapshots, then this file as
 * the latest point (unless it is one of them); undefined without --history.
 */
async function whatToWatch(
  io: Io,
  options: ExplainCliOptions,
  loaded: LoadedAccounts,
  index: number,
  signals: readonly string[],
  asOf: number,
): Promise<WatchItem[] | undefined> {
  if (options.goals !== undefined && options.history === undefined)
    throw new UsageError('explain --goals needs --history SNAPSHOTS... (the goals are measured across them)');
  if (options.history === undefined) return undefined;
  const read = { ...options, deals: undefined };
  const sides = await readDatedSnapshots(io, options.history, read, undefined);
  const h = await readHistory(io, options.history, read, sides);
  const id = loaded.parsed.accounts.id.at(index)!;
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
  const goals =
    options.goals === undefined ? [] : (await buildGoals(io, options.history, options.goals, read, asOf, sides)).goals.filter((g) => g.row.accountId === id);
  return watchList(
    points,
    momentum,
    goals.map((g) => ({ metric: g.row.metric, status: g.evaluation.status })),
  );
}

/** `kam explain`: the identification checklist for one account. */
async function runExplain(file: string, query: string, options: ExplainCliOptions, runIo: Io): Promise<ExitCodeT> {
  const io = quietIo(runIo, options.quiet);
  const asOf = resolveAsOf(io, options.asOf);
  const { loaded, deals } = await loadAccountsAndDeals(io, file, options, asOf);
  await reportConfig(io, loaded.configPath);
  assertSomeValid(loaded);
  if (deals) await reportDeals(io, deals, loaded.table.source, { maxListed: 20 });
  const model = resolveModel(loaded.config, options.weights);
  const a = loaded.parsed.accounts;
  // The account is there, but its row has problems the user must fix: exit 1, as for any input problem.
  const onRejected = (r: LoadedAccounts['parsed']['rejected'][number]): InputError =>
    new InputError(`'${query}' is on a rejected row (line ${r.line}): ${r.issues.map((i) => `${i.column}: ${i.message}`).join('; ')}`);
  // The query as the ids were read: trimmed, without a leading apostrophe or Zoho's zcrm_ (schema/cell-value.ts).
  const idQuery = stripIdPrefix(query);
  let hits = findAccounts(a.id, a.name, query, false, idQuery);
  if (hits.length === 0) {
    const exactRejected = findRejected(loaded, query, false);
    if (exactRejected) throw onRejected(exactRejected);
    hits = findAccounts(a.id, a.name, query, true, idQuery);
  }
  if (hits.length === 0) {
    const rejected = findRejected(loaded, query, true);
    throw rejected ? onRejected(rejected) : new UsageError(`no account matches '${query}' (by id or name)`);
  }
  if (hits.length > 1) {
    const list = hits.slice(0, AMBIGUOUS_LISTED).map((i) => `  ${a.id.at(i)}  ${a.name.at(i)}`);
    if (hits.length > AMBIGUOUS_LISTED) list.push(`  ... and ${hits.length - AMBIGUOUS_LISTED} more: a longer part of the name narrows it`);
    throw new UsageError(`'${query}' matches ${hits.length} accounts; name one by id:\n${list.join('\n')}`);
  }
  await reportMapping(io, loaded);
  const { result, scored, gates } = scoreLoaded(loaded, model);
  const e = explainAccount(a, result, model, hits[0]!);
  const watch = await whatToWatch(io, options, loaded, e.index, signalsOfMask(result.signalMasks[e.index]!), asOf);
  const gate = gates === undefined ? undefined : { rule: gates.rule[e.index] ?? '', modelTier: TIERS[scored.tier[e.index]!]! };
  const overridesFile = options.overrides ?? loaded.config.overrides;
  const overrides = overridesFile === undefined ? undefined : await loadOverrides(io, overridesFile, loaded, asOf);
  // The override is said, not applied to the checklist: explain shows the model's reasoning.
  const override = overrides === undefined ? undefined : overrideText(overrides, e.index, result.tier[e.index]!, undefined);
  const robust = options.robust === true ? robustLine(loaded, model, scored, gates, e.index) : undefined;
  const line = loaded.table.rowsOf(loaded.parsed.recordIndex).lineOf(e.index);
  const inputsOf = (measure: Measure): string[] => rawInputs(loaded, e.index, MEASURE_INPUTS[measure], deals);
  const row = { name: a.name.at(e.index)!, id: a.id.at(e.index)!, source: loaded.table.source, line };
  const parts: ExplainParts = { row, model, e, n: a.n, deals, gate, inputsOf, override, robust, watch };
  const out = options.format === 'json' ? explanationJson(parts) : explanationText(parts, { color: io.color, width: terminalWidth(io) });
  await io.stdout.write(out);
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
    .option('--robust', "also the account's acceptability over 10,000 weightings around the configured weights (see kam robust)")
    .option('--overrides <file>', "manual overrides CSV: the account's override, who set it and why");
  addQuietOption(cmd)
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (file: string, account: string, opts: ExplainCliOptions) => {
      setExitCode(await runExplain(file, account, opts, io));
    });
}
