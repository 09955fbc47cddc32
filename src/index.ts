/**
 * kam as a library: read a CRM export and score it without the CLI.
 *
 *   import { readAccounts, scoreAccounts } from 'kam';
 *   const input = await readAccounts('accounts.csv');
 *   const ranked = scoreAccounts(input);            // best first
 */
import { resolve } from 'node:path';
import { scoreAccounts as scoreColumns } from './core/score.ts';
import { CRITERIA, TIERS, type Criterion, type ModelConfig, type SignalCode, type Tier } from './core/types.ts';
import { KamError } from './errors.ts';
import { readTable, type ReadOptions } from './io/read-table.ts';
import type { ParsedAccounts, RejectedRow } from './schema/account.ts';
import { toModelConfig, type Config } from './schema/config.ts';
import { checkedConfig, modelWith, weightsFromObject } from './schema/run-model.ts';
import { readOptionsFor, validateAccountsTable } from './schema/load.ts';
import type { PresetName } from './schema/presets.ts';
import { type Decimal } from './schema/values.ts';
import { signalsOfMask } from './core/signals.ts';

export { KamError, InputError, UsageError, ExitCode } from './errors.ts';

export { DEFAULT_MODEL } from './core/defaults.ts';
export { explainAccount, type Explanation } from './core/explain.ts';
export type { AccountColumns, Criterion, ModelConfig, ScoreResult, SignalCode, TextColumn, Tier } from './core/types.ts';
export type { Config } from './schema/config.ts';
export type { AnnotationEffect, DroppedRow, RejectedRow, RowIssue } from './schema/account.ts';

export interface ReadAccountsOptions extends ReadOptions {
  readonly preset?: PresetName;
  /** "Header=field" mappings, as with --map. */
  readonly map?: readonly string[];
  readonly decimal?: Decimal;
  /** A kam.config.json object (validated). */
  readonly config?: unknown;
}

/** What `readAccounts` returns: the validated accounts and every rejected row. */
export interface AccountsInput {
  readonly source: string;
  readonly header: readonly string[];
  readonly parsed: ParsedAccounts;
  readonly rejected: readonly RejectedRow[];
  readonly config: Config;
  /**
   * Original cells of account i, as read: text, with a leading spreadsheet formula guard
   * removed (`'=1+1` -> `=1+1`, as kam's CSV writer and Odoo add it). The library writes no
   * CSV; scores come back as numbers (ScoredAccount), in no locale's format.
   */
  readonly cells: (i: number) => readonly string[];
}

/**
 * The CLI's flags in a message, as the library's options: the read path is shared, its
 * messages are written for the CLI, and a library user has no `--map`.
 */
const LIBRARY_TERMS: readonly (readonly [RegExp, string])[] = [
  [/pass --decimal \. or --decimal ,/g, "pass the option decimal: '.' or decimal: ','"],
  [/--decimal ([.,])/g, "the option decimal: '$1'"],
  [/--delimiter '(.)'/g, "the option delimiter: '$1'"],
  [/--delimiter (\S+)/g, "the option delimiter: '$1'"],
  [/--encoding ([^\s:,;)]+)/g, "the option encoding: '$1'"],
  [/--map "([^"]*)"/g, "the option map: ['$1']"],
  [/--map:/g, 'map:'],
  [/--map\b/g, 'the option map'],
  [/\(--max-record-size\)/g, '(the option maxRecordSize)'],
  [/--max-record-size/g, 'maxRecordSize'],
  [/; give the accounts export first and this file with --deals: .*$/s, '; readAccounts takes an accounts export (the CLI reads this file as its deals file)'],
];

/** The error, its message in library terms (same class and exit code). */
function inLibraryTerms(e: unknown): unknown {
  if (e instanceof KamError) {
    let m = e.message;
    for (const [re, to] of LIBRARY_TERMS) m = m.replace(re, to);
    e.message = m;
  }
  return e;
}

/**
 * Read and validate an accounts CSV (a path, or '-' for stdin), through the same read path as
 * the CLI (schema/load.ts). Throws KamError (with `exitCode`) on file-level problems.
 */
export async function readAccounts(path: string, options: ReadAccountsOptions = {}): Promise<AccountsInput> {
  try {
    return await readAccountsInner(path, options);
  } catch (e) {
    throw inLibraryTerms(e);
  }
}

async function readAccountsInner(path: string, options: ReadAccountsOptions): Promise<AccountsInput> {
  const config = options.config === undefined ? {} : checkedConfig(options.config, undefined);
  const table = await readTable(path === '-' ? '-' : resolve(path), readOptionsFor(options, config));
  const { parsed } = validateAccountsTable(table, options, config);
  const rows = table.rowsOf(parsed.recordIndex);
  return {
    source: path,
    header: table.header,
    parsed,
    rejected: parsed.rejected,
    config,
    cells: (i: number) => rows.cellsOf(i),
  };
}

/** One scored account, as the library returns it. Numbers unrounded; NaN never appears (null instead). */
export interface ScoredAccount {
  readonly rank: number;
  readonly accountId: string;
  readonly accountName: string;
  readonly score: number | null;
  readonly tier: Tier;
  readonly criteria: Readonly<Record<Criterion, number | null>>;
  readonly current: number | null;
  readonly attractiveness: number | null;
  readonly coverage: number;
  readonly signals: readonly SignalCode[];
}

/**
 * How to score: the config's model, with any of its parts replaced. `weights` may name only
 * some criteria (`{ potential: 3 }`), as `--weights` does; the others keep the config's.
 */
export type ScoreOptions = Partial<Omit<ModelConfig, 'weights'>> & { readonly weights?: Partial<Record<Criterion, number>> };

/** The model of one scoring: the config's, with the options' parts; weights checked as `--weights` checks them (schema/run-model.ts). */
function modelFor(config: Config, options: ScoreOptions | undefined): ModelConfig {
  if (options === undefined) return toModelConfig(config);
  const given = Object.fromEntries(Object.entries(options).filter(([k, v]) => k !== 'weights' && v !== undefined)) as Partial<Omit<ModelConfig, 'weights'>>;
  return modelWith(config, weightsFromObject(options.weights ?? {}, 'weights'), 'weights', given);
}

/** Score validated accounts with the config's model (parts replaced by `options`); ranked best first. */
export function scoreAccounts(input: AccountsInput, options?: ScoreOptions): ScoredAccount[] {
  const m = modelFor(input.config, options);
  const a = input.parsed.accounts;
  const r = scoreColumns(a, m);
  const val = (x: number): number | null => (Number.isNaN(x) ? null : x);
  const out: ScoredAccount[] = [];
  for (let k = 0; k < r.n; k++) {
    const i = r.order[k]!;
    out.push({
      rank: r.rank[i]!,
      accountId: a.id.at(i)!,
      accountName: a.name.at(i)!,
      score: val(r.score[i]!),
      tier: TIERS[r.tier[i]!]!,
      criteria: Object.fromEntries(CRITERIA.map((c) => [c, val(r.criteria[c][i]!)])) as Record<Criterion, number | null>,
      current: val(r.current[i]!),
      attractiveness: val(r.attractiveness[i]!),
      coverage: r.coverage[i]!,
      signals: signalsOfMask(r.signalMasks[i]!),
    });
  }
  return out;
}
