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
import { readTable, type ReadOptions } from './io/read-table.ts';
import { parseAccounts, type ParsedAccounts, type RejectedRow } from './schema/account.ts';
import { configOverrides, parseConfig, toModelConfig, valueSettings, type Config } from './schema/config.ts';
import { mapColumns, parseMapOption } from './schema/mapping.ts';
import type { PresetName } from './schema/presets.ts';
import { type Decimal } from './schema/values.ts';

export { DEFAULT_MODEL } from './core/defaults.ts';
export { explainAccount, type Explanation } from './core/explain.ts';
export type { AccountColumns, Criterion, ModelConfig, ScoreResult, SignalCode, Tier } from './core/types.ts';
export type { Config } from './schema/config.ts';
export type { RejectedRow, RowIssue } from './schema/account.ts';

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
  /** Original cells of account i. */
  readonly cells: (i: number) => readonly string[];
}

/** Read and validate an accounts CSV (a path, or '-' for stdin). Throws KamError on file-level problems. */
export async function readAccounts(path: string, options: ReadAccountsOptions = {}): Promise<AccountsInput> {
  const cfg = options.config === undefined ? { ok: true as const, config: {} as Config } : parseConfig(options.config);
  if (!cfg.ok) throw new TypeError(`invalid config:\n${cfg.errors}`);
  const config = cfg.config;
  const table = await readTable(path === '-' ? '-' : resolve(path), {
    encoding: options.encoding ?? config.encoding,
    delimiter: options.delimiter ?? config.delimiter,
    maxRecordSize: options.maxRecordSize,
  });
  const overrides = [
    ...configOverrides(config),
    ...(options.map ?? []).map((m) => ({ ...parseMapOption(m), via: 'map' as const })),
  ];
  const mapping = mapColumns(table.header, 'accounts', { preset: options.preset ?? config.preset, overrides });
  const parsed = parseAccounts(table, mapping, valueSettings(config, options.decimal));
  return {
    source: path,
    header: table.header,
    parsed,
    rejected: parsed.rejected,
    config,
    cells: (i) => table.records[parsed.recordIndex[i]!]!.cells,
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

/** Score validated accounts with the config's model (or `model` when given); ranked best first. */
export function scoreAccounts(input: AccountsInput, model?: ModelConfig): ScoredAccount[] {
  const m = model ?? toModelConfig(input.config);
  const a = input.parsed.accounts;
  const r = scoreColumns(a, m);
  const val = (x: number): number | null => (Number.isNaN(x) ? null : x);
  const out: ScoredAccount[] = [];
  for (let k = 0; k < r.n; k++) {
    const i = r.order[k]!;
    out.push({
      rank: r.rank[i]!,
      accountId: a.id[i]!,
      accountName: a.name[i]!,
      score: val(r.score[i]!),
      tier: TIERS[r.tier[i]!]!,
      criteria: Object.fromEntries(CRITERIA.map((c) => [c, val(r.criteria[c][i]!)])) as Record<Criterion, number | null>,
      current: val(r.current[i]!),
      attractiveness: val(r.attractiveness[i]!),
      coverage: r.coverage[i]!,
      signals: r.signals[i]!,
    });
  }
  return out;
}
