import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError, UsageError } from '../errors.ts';
import { DealStatus, DerivedSource, fillFromDeals, joinDeals, rollupDeals, type DealJoin, type DealRollup, type FilledAccounts } from '../core/rollup.ts';
import { applyGates } from '../core/gates.ts';
import { scoreAccounts } from '../core/score.ts';
import { CRITERIA, MEASURE_CRITERION, MEASURES, TIER_INDEX, TIERS, type Criterion, type Measure, type ModelConfig, type ScoreResult } from '../core/types.ts';
import type { AccountOverride } from '../core/overrides.ts';
import { noteSink, type Io } from '../io/console.ts';
import { shortHash } from '../io/fingerprint.ts';
import type { RunFile } from '../io/output-file.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { readTable, type RawTable } from '../io/read-table.ts';
import type { ParsedAccounts } from '../schema/account.ts';
import { parseDeals, type ParsedDeals } from '../schema/deal.ts';
import { parseConfig, parseWeightsOption, toModelConfig, weightsProblem, type Config } from '../schema/config.ts';
import { criteriaFed, modelInputs, type AccountField, type FedCriteria, type TableKind } from '../schema/fields.ts';
import { columnOverrides, hasHeader, mapTable, readOptionsFor, validateAccountsTable, type ReadRequest } from '../schema/load.ts';
import { unusedColumns, type ColumnMapping } from '../schema/mapping.ts';
import { unusedColumnsWarning } from '../io/render-mapping.ts';
import { evaluateGates, parseGateRule, type GateOutcome, type GateRule } from '../schema/gates.ts';
import { parseOverrides, type OverrideRow } from '../schema/overrides.ts';
import { PRESET_NAMES, type PresetName } from '../schema/presets.ts';
import { DEFAULT_RATING_WORDS, formatDate, parseDate, parseDateFormat, type Decimal } from '../schema/values.ts';

/**
 * The read side every command shares: config, then file -> table -> mapping -> validated
 * accounts. One mechanism for accounts and deals files.
 */

/** Options of every command that reads a CRM export. */
export interface ReadCliOptions {
  readonly config?: string | undefined;
  readonly preset?: PresetName | undefined;
  readonly map?: readonly string[] | undefined;
  readonly decimal?: Decimal | undefined;
  readonly encoding?: string | undefined;
  readonly delimiter?: string | undefined;
  readonly dateFormat?: string | undefined;
  readonly maxRecordSize?: number | undefined;
  readonly maxInputSize?: number | undefined;
  /** --deals FILE: with it, one --map list (and config `columns`) serves both files. */
  readonly deals?: string | undefined;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parse a positive integer option (commander calls it; errors become exit 2). */
export function positiveInt(name: string): (v: string) => number {
  return (v: string) => {
    if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new InvalidArgumentError(`${name} takes a whole number >= 1.`);
    return Number(v);
  };
}

/** Add the reading options (shared by score, validate, columns, explain, diff, report). */
export function addReadOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (default: kam.config.json in the working folder)')
    .addOption(new Option('--preset <crm>', 'CRM preset instead of detecting it').choices([...PRESET_NAMES]))
    .option('-m, --map <Header=field>', 'map a column to a canonical field, or "Header=ignore" (repeatable)', collect)
    .addOption(new Option('--decimal <sep>', 'decimal separator of the export (inferred when absent)').choices(['.', ',']))
    .option('--encoding <name>', 'text encoding when the file has no BOM, e.g. windows-1252')
    .option('--delimiter <char>', 'field delimiter: , ; tab | (detected when absent)')
    .addOption(new Option('--date-format <format>', 'how slash dates are written').choices(['M/D/YYYY', 'D/M/YYYY', 'YYYY/M/D']))
    .option('--max-record-size <bytes>', 'largest record accepted (default 1048576)', positiveInt('--max-record-size'))
    .option('--max-input-size <bytes>', 'most bytes read from one input, file, stdin or FIFO (default 2147483648)', positiveInt('--max-input-size'));
}

export interface LoadedConfig {
  readonly config: Config;
  readonly path: string | undefined;
}

/** The config a run uses: --config FILE, else kam.config.json when the working folder has one. */
export function configPathOf(io: Io, file: string | undefined): string | undefined {
  return file ?? (existsSync(resolve(io.cwd, 'kam.config.json')) ? 'kam.config.json' : undefined);
}

/**
 * Every file a run reads, named as the user gave it, for the outputs to check against
 * (io/output-file.ts refuses an output that is one of them).
 */
export function runInputs(
  io: Io,
  files: readonly { readonly path: string | undefined; readonly role: string }[],
  options: { readonly config?: string | undefined; readonly deals?: string | undefined },
): RunFile[] {
  const all = [...files, { path: options.deals, role: '--deals' }, { path: configPathOf(io, options.config), role: 'the config' }];
  // `kam score - < a.csv -o a.csv`: stdin redirected from a file is that file.
  return all
    .filter((f): f is RunFile => f.path !== undefined)
    .map((f) => (f.path === '-' ? { path: '/dev/stdin', role: `${f.role}, read from` } : f));
}

/** Read kam.config.json (or --config FILE); a typo is an error with its JSON path (exit 2). */
export function loadConfig(io: Io, file: string | undefined): LoadedConfig {
  const path = configPathOf(io, file);
  if (path === undefined) return { config: {}, path: undefined };
  const text = readConfigText(resolve(io.cwd, path), path);
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    const where = at ? lineAndColumn(text, Number(at[1])) : undefined;
    throw new UsageError(`config ${path}${where ? `:${where.line}:${where.column}` : ''} is not valid JSON: ${(e as Error).message}`);
  }
  const r = parseConfig(json);
  if (!r.ok) throw new UsageError(`invalid config ${path}:\n${r.errors}`);
  return { config: r.config, path };
}

/** A config is a few KiB; more than this is the wrong file (or /dev/zero), refused before it fills memory. */
export const MAX_CONFIG_BYTES = 1_048_576;

/** The config's text, read within MAX_CONFIG_BYTES whatever the file is (a FIFO, a device). */
function readConfigText(abs: string, path: string): string {
  const fail = (e: unknown): never => {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read config ${path}: ${code === 'EISDIR' ? 'EISDIR (it is a directory)' : (code ?? String(e))}`);
  };
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (e) {
    return fail(e);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(65_536);
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        return fail(e);
      }
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > MAX_CONFIG_BYTES) {
        throw new UsageError(`config ${path} is larger than ${MAX_CONFIG_BYTES} bytes (1 MiB): is it the right file?`);
      }
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** 1-based line and column of a character offset, for JSON errors. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).replace(/^\uFEFF/, '');
  const lines = before.split(/\r\n|\n|\r/);
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** Parse `--as-of` (ISO date); defaults to the clock, read here in the shell, never in the engine. */
export function resolveAsOf(io: Io, spec: string | undefined): number {
  if (spec === undefined) return Math.floor(io.now().getTime() / 86_400_000);
  const d = parseDate(spec);
  if (d.kind !== 'value') throw new UsageError(`--as-of: '${spec}' is not a date (use YYYY-MM-DD)`);
  return d.value;
}

/** The model from config plus `--weights`. */
export function resolveModel(config: Config, weightsSpec: string | undefined): ModelConfig {
  const model = toModelConfig(config);
  if (weightsSpec === undefined) return model;
  let given;
  try {
    given = parseWeightsOption(weightsSpec);
  } catch (e) {
    throw new UsageError(`--weights: ${(e as Error).message}`);
  }
  const weights = { ...model.weights, ...given };
  const problem = weightsProblem(Object.values(weights));
  if (problem !== undefined) throw new UsageError(`--weights: ${problem}`);
  return { ...model, weights };
}

/**
 * `kam_model` (SCORING.md §4): the model version and a short hash of what makes the numbers:
 * the effective model (config plus --weights) and how values are read into it (rating words
 * and scales, currency rates). `v2-` keeps it text in a spreadsheet (a bare `1e234567` is not).
 */
export function modelId(config: Config, model: ModelConfig): string {
  return `v2-${shortHash({ model: { ...model, ...relativeWeights(model) }, ratings: ratingsBeyondDefaults(config), currency: config.currency })}`;
}

/**
 * The config's rating words and scales that change anything: words equal to the defaults
 * (as `kam init` spells them out, 'High': 100) are left out, so such a config is the model
 * no config is; undefined when nothing is left.
 */
function ratingsBeyondDefaults(config: Config): Config['ratings'] {
  const words = Object.entries(config.ratings?.words ?? {}).filter(([w, v]) => DEFAULT_RATING_WORDS.get(w.trim().toLowerCase()) !== v);
  const scales = config.ratings?.scales;
  if (words.length === 0 && scales === undefined) return undefined;
  return { ...(words.length ? { words: Object.fromEntries(words) } : {}), ...(scales !== undefined ? { scales } : {}) };
}

/**
 * Weights as the engine uses them, relative (SCORING.md §2 renormalises them): 0.5 each is the
 * model 0.2 each is, so it has the same fingerprint. Rounded to 12 digits against float noise.
 */
function relativeWeights(model: ModelConfig): Pick<ModelConfig, 'weights' | 'measureWeights'> {
  const round = (x: number): number => Number(x.toPrecision(12));
  const sum = CRITERIA.reduce((a, c) => a + model.weights[c], 0);
  const weights = Object.fromEntries(CRITERIA.map((c) => [c, round(model.weights[c] / sum)])) as Record<Criterion, number>;
  const measureWeights = {} as Record<Measure, number>;
  for (const c of CRITERIA) {
    const own = MEASURES.filter((m) => MEASURE_CRITERION[m] === c);
    const total = own.reduce((a, m) => a + model.measureWeights[m], 0);
    for (const m of own) measureWeights[m] = total > 0 ? round(model.measureWeights[m] / total) : 0;
  }
  return { weights, measureWeights };
}

export interface LoadedTable {
  readonly table: RawTable;
  readonly mapping: ColumnMapping;
}

/** The shared read path's request from the CLI's flags. */
function readRequest(options: ReadCliOptions): ReadRequest {
  return { ...options, withDeals: options.deals !== undefined };
}

/** Read a CRM export's bytes into a table (the same reader options as the library). */
async function readCliTable(io: Io, file: string, options: ReadCliOptions, config: Config): Promise<RawTable> {
  return readTable(file === '-' ? '-' : resolve(io.cwd, file), readOptionsFor(options, config), io.stdin, file);
}

/** Read a CRM export and map its columns (accounts or deals): schema/load.ts, as the library does. */
export async function loadTable(io: Io, file: string, kind: TableKind, options: ReadCliOptions, config: Config): Promise<LoadedTable> {
  const table = await readCliTable(io, file, options, config);
  return { table, mapping: mapTable(table, kind, readRequest(options), config) };
}

export interface LoadedAccounts extends LoadedTable {
  readonly parsed: ParsedAccounts;
  readonly config: Config;
  readonly configPath: string | undefined;
  /** Config `columns` entries for headers in none of the run's files (warned, not an error). */
  readonly missingConfigColumns: readonly string[];
  /** Fields a deals roll-up fills when the accounts file lacks them. */
  readonly derivedFields: readonly AccountField[];
}

/** Which of the five criteria the mapped columns (and a deals roll-up) can feed. */
export function criteriaOf(loaded: Pick<LoadedAccounts, 'mapping' | 'config'> & { readonly derivedFields?: readonly AccountField[] }, flagColumns: number): FedCriteria {
  const fields = new Set<AccountField>(loaded.derivedFields ?? []);
  for (const c of loaded.mapping.columns) if (c.field !== undefined) fields.add(c.field as AccountField);
  return criteriaFed(fields, hasIcpRules(loaded.config), flagColumns);
}

function hasIcpRules(config: Config): boolean {
  const icp = config.icp;
  return icp !== undefined && (icp.industries !== undefined || icp.countries !== undefined || icp.employees !== undefined);
}

/** Print `mappingNotes` on stderr (after the reading and deals reports: the rows' own problems come first). */
export async function reportMapping(io: Io, loaded: LoadedAccounts, options: { readonly nameFile?: boolean } = {}): Promise<void> {
  const lines = mappingNotes(loaded, options.nameFile ? `kam: ${loaded.table.source}: ` : 'kam: ');
  if (lines.length) await noteSink(io).write(lines.join('\n') + '\n');
}

/**
 * What the run does not use but could: columns that look like model inputs and feed nothing
 * (with the --map that would use each), criteria no column feeds, config `columns` entries
 * this export does not have. One line each, for stderr.
 */
export function mappingNotes(loaded: LoadedAccounts, prefix: string): string[] {
  const lines: string[] = [];
  const { mapping, config } = loaded;
  const unused = unusedColumnsWarning(prefix, mapping, unusedColumns(mapping, modelInputs('accounts', hasIcpRules(config))));
  if (unused !== undefined) lines.push(unused);
  const fed = criteriaOf(loaded, Object.keys(loaded.parsed.flagColumns).length);
  const missing = CRITERIA.filter((c) => !fed[c]);
  if (missing.length > 0 && missing.length < CRITERIA.length) {
    const used = CRITERIA.filter((c) => fed[c]);
    const list = used.length === 1 ? `${used[0]} alone` : `${used.slice(0, -1).join(', ')} and ${used.at(-1)}`;
    lines.push(`${prefix}warning: no column feeds ${missing.join(', ')}: scores use ${list}`);
  }
  // A rate no value of this export is in: kept for other exports (a deals file may use it, so only without one).
  const rates = config.currency?.rates;
  if (rates !== undefined && loaded.derivedFields.length === 0) {
    const used = new Set(loaded.parsed.currencies.map((c) => c.toUpperCase()));
    const unused = Object.keys(rates).map((c) => c.toUpperCase()).filter((c) => !used.has(c) && c !== config.currency!.base.toUpperCase());
    if (unused.length > 0) {
      lines.push(`${prefix}warning: config currency.rates: no value of ${loaded.table.source} is in ${unused.join(', ')} (the rate${unused.length === 1 ? ' is' : 's are'} kept for other exports)`);
    }
  }
  for (const h of loaded.missingConfigColumns) {
    lines.push(`${prefix}warning: config columns: no column '${h}' in ${loaded.table.source} (the entry is kept for other exports)`);
  }
  return lines;
}

/** Config, file, mapping, validation: everything up to the engine. */
export async function loadAccounts(io: Io, file: string, options: ReadCliOptions): Promise<LoadedAccounts> {
  const { config, path } = loadConfig(io, options.config);
  const table = await readCliTable(io, file, options, config);
  const { mapping, parsed } = validateAccountsTable(table, readRequest(options), config);
  return { table, mapping, parsed, config, configPath: path, missingConfigColumns: mapping.missingConfigColumns, derivedFields: [] };
}

/** How `reportReading` speaks about one file. */
export interface ReadingReport {
  /** List at most this many row issues (`file:line: column: message`), then a count. */
  readonly maxIssues: number;
  /** Name the file in every note (a command that reads two files, like diff). */
  readonly nameFile?: boolean;
  /** Close with "R of N row(s) rejected" plus this text, when any row was rejected. */
  readonly rejectedNote?: string | undefined;
  /**
   * Collect the notes (texts after `kam: <file>: `) here instead of printing them, so a
   * command reading two files says a note both share once (see mergeNotes).
   */
  readonly collect?: string[] | undefined;
}

/**
 * The diagnostics every reading command prints on stderr: notes (dropped by --quiet), then
 * the row issues and the rejected count (errors: always printed).
 */
export async function reportReading(io: Io, loaded: LoadedAccounts, options: ReadingReport): Promise<void> {
  const { table, parsed } = loaded;
  const prefix = options.nameFile ? `kam: ${table.source}: ` : 'kam: ';
  const notes: string[] = [...table.notes, ...parsed.notes];
  if (parsed.invisibleCells > 0) {
    notes.push(`${parsed.invisibleCells} ${parsed.invisibleCells === 1 ? 'cell holds' : 'cells hold'} bidi or zero-width characters (kept as they are)`);
  }
  if (options.collect) {
    if (table.records.length === 0) options.collect.push('warning: 0 data rows');
    options.collect.push(...notes);
  } else {
    const lines = notes.map((n) => prefix + n);
    if (table.records.length === 0) lines.splice(notes.length - (parsed.invisibleCells > 0 ? 1 : 0), 0, `kam: warning: ${table.source} has 0 data rows`);
    if (lines.length) await noteSink(io).write(lines.map((l) => escapeTerminal(l)).join('\n') + '\n');
  }
  const lines: string[] = [];
  const issues = parsed.rejected.flatMap((r) => r.issues);
  for (const i of issues.slice(0, options.maxIssues)) lines.push(formatIssue(table.source, i));
  if (options.maxIssues > 0 && issues.length > options.maxIssues) {
    lines.push(`... and ${issues.length - options.maxIssues} more issue(s) (kam validate ${table.source} lists them all)`);
  }
  if (options.rejectedNote !== undefined && parsed.rejected.length > 0) {
    lines.push(`kam: ${parsed.rejected.length} of ${table.records.length} row(s) rejected${options.rejectedNote}`);
  }
  if (lines.length) await io.stderr.write(lines.map((l) => escapeTerminal(l)).join('\n') + '\n');
}

/**
 * The notes of several files, each once: a note two files share is said once, naming both
 * (`kam: a.csv, b.csv: detected UTF-8 (BOM), semicolon-delimited`); warnings first.
 */
export function mergeNotes(files: readonly { readonly source: string; readonly notes: readonly string[] }[]): string[] {
  const sources = new Map<string, string[]>();
  for (const f of files) {
    for (const n of f.notes) {
      const list = sources.get(n) ?? [];
      if (!list.includes(f.source)) list.push(f.source);
      sources.set(n, list);
    }
  }
  const all = [...sources.entries()].map(([note, from]) => escapeTerminal(`kam: ${from.join(', ')}: ${note}`));
  const isWarning = (l: string): boolean => /: warning: /.test(l);
  return [...all.filter(isWarning), ...all.filter((l) => !isWarning(l))];
}

/** Say once per run (on stderr, not under --quiet) which config file was applied, if any. */
export async function reportConfig(io: Io, configPath: string | undefined): Promise<void> {
  if (configPath !== undefined) await noteSink(io).write(`kam: config ${configPath} applied\n`);
}

/** `file:line: column: message`, so editors can jump to it; headers and cells quoted in it are shown escaped. */
export function formatIssue(source: string, issue: { line: number; column: string; message: string }): string {
  return escapeTerminal(`${source}:${issue.line}: ${issue.column}: ${issue.message}`);
}

/** Fail (exit 1) when no row is valid: there is nothing to score. */
export function assertSomeValid(loaded: LoadedAccounts): void {
  if (loaded.parsed.accounts.n === 0 && loaded.table.records.length > 0) {
    throw new InputError(`${loaded.table.source}: no valid rows (${loaded.parsed.rejected.length} rejected)`);
  }
}

/** The accounts file and, with --deals, the deals rolled up into it as of `asOf` (days since epoch). */
export async function loadAccountsAndDeals(
  io: Io,
  file: string,
  options: ReadCliOptions,
  asOf: number,
): Promise<{ loaded: LoadedAccounts; deals: LoadedDeals | undefined }> {
  const accounts = await loadAccounts(io, file, options);
  const deals = options.deals === undefined ? undefined : await loadDeals(io, options.deals, options, accounts, asOf);
  return { loaded: withDeals(accounts, deals), deals };
}

/** The deals file, read, validated, joined to the accounts and rolled up; and the accounts it fills. */
export interface LoadedDeals extends LoadedTable {
  readonly parsed: ParsedDeals;
  readonly join: DealJoin;
  readonly rollup: DealRollup;
  readonly filled: FilledAccounts;
  readonly asOf: number;
}

/**
 * `--deals FILE`: the same reader, mapping and validation as the accounts file, then the
 * join (by account id when both files have one, else by name) and the roll-up at `asOf`.
 */
export async function loadDeals(io: Io, file: string, options: ReadCliOptions, accounts: LoadedAccounts, asOf: number): Promise<LoadedDeals> {
  const { config } = accounts;
  if (file === '-' && accounts.table.source === '<stdin>') throw new UsageError('the accounts and the deals cannot both come from stdin (-)');
  const { table, mapping } = await loadTable(io, file, 'deals', options, config);
  for (const o of columnOverrides(options, config)) {
    if ((o.field === 'ignore' || o.field === 'currency') && !hasHeader(accounts.table.header, o.header) && !hasHeader(table.header, o.header)) {
      throw new UsageError(`${o.via === 'map' ? '--map' : 'config columns'}: no column '${o.header}' in ${accounts.table.source} or ${table.source}`);
    }
  }
  const dateSpec = options.dateFormat ?? config.date_format;
  const parsed = parseDeals(table, mapping, {
    decimal: options.decimal ?? config.decimal,
    dateFormat: dateSpec === undefined ? undefined : parseDateFormat(dateSpec),
    currency: config.currency,
  });
  const a = accounts.parsed.accounts;
  const accountsHaveIds = accounts.mapping.fieldIndex.account_id !== undefined;
  const byId = parsed.hasAccountId && (accountsHaveIds || !parsed.hasAccountName);
  if (byId && !accountsHaveIds) {
    throw new InputError(
      `${table.source} names each deal's account by id, but ${accounts.table.source} has no account id column: use --map "Header=account_id" on the accounts, or map the deals' account name column with --map "Header=deal_account_name"`,
    );
  }
  const join = joinDeals(byId ? parsed.accountId : parsed.accountName, a, byId);
  const rollup = rollupDeals(parsed.deals, join.accountIndex, a.n, asOf);
  return { table, mapping, parsed, join, rollup, filled: fillFromDeals(a, rollup), asOf };
}

/** The accounts with the deal-derived values filled in, for the engine. */
export function withDeals(loaded: LoadedAccounts, deals: LoadedDeals | undefined): LoadedAccounts {
  if (deals === undefined) return loaded;
  const dealHeader = deals.table.header;
  return {
    ...loaded,
    parsed: { ...loaded.parsed, accounts: deals.filled.accounts },
    missingConfigColumns: loaded.missingConfigColumns.filter((h) => !hasHeader(dealHeader, h)),
    derivedFields: ['revenue', 'pipeline', 'growth_rate'],
  };
}

/** The stderr account of a deals file: every deal is matched, account-less, unmatched or rejected. */
export async function reportDeals(io: Io, deals: LoadedDeals, accountsSource: string, options: { maxListed: number }): Promise<void> {
  const { table, parsed, join, rollup } = deals;
  const lines: string[] = [];
  // Named, so a note the accounts file also gave ('detected ..., semicolon-delimited') says which file.
  for (const note of [...table.notes, ...parsed.notes]) lines.push(`kam: ${table.source}: ${note}`);
  if (table.records.length === 0) lines.push(`kam: warning: ${table.source} has 0 data rows`);
  const issues = parsed.rejected.flatMap((r) => r.issues);
  for (const i of issues.slice(0, options.maxListed)) lines.push(formatIssue(table.source, i));
  if (issues.length > options.maxListed) lines.push(`... and ${issues.length - options.maxListed} more deal issue(s)`);
  lines.push(
    `kam: deals: ${table.records.length} read, ${join.matched} matched, ${join.accountLess} without an account, ${join.unmatched} unmatched, ${parsed.rejected.length} rejected`,
  );
  if (join.unmatched > 0) {
    const shown = join.unmatchedKeys.slice(0, 5).map((u) => `'${u.key}' (${u.deals})`);
    const more = join.unmatchedKeys.length > 5 ? `, ... and ${join.unmatchedKeys.length - 5} more` : '';
    lines.push(`kam: deals: ${join.unmatched} deal(s) name an account (by ${join.by}) not among the valid rows of ${accountsSource}: ${shown.join(', ')}${more}`);
  }
  if (join.sharedNames.length > 0) {
    lines.push(`kam: deals: ${join.sharedNames.length} account name(s) are shared by several accounts; their deals go to the first: ${join.sharedNames.slice(0, 5).join(', ')}`);
  }
  const asOf = formatDate(deals.asOf);
  if (parsed.deals.n > 0 && !rollup.coversRevenue) {
    lines.push(
      Number.isNaN(rollup.historyStart)
        ? 'kam: deals: no closed deal in the file: revenue is 0 for every account with deals'
        : `kam: deals: closed deals start ${formatDate(rollup.historyStart)}: revenue covers less than the 12 months to ${asOf}`,
    );
  }
  if (parsed.deals.n > 0 && !rollup.coversGrowth) {
    lines.push(`kam: deals: growth_rate not derived: it needs closed deals back to ${formatDate(rollup.twoYearsAgo)}`);
  }
  const counts = (['revenue', 'pipeline', 'growth_rate'] as const).map((f) => {
    const src = deals.filled.source[f];
    let filled = 0;
    let kept = 0;
    for (let i = 0; i < src.length; i++) {
      if (src[i] === DerivedSource.Deals) filled++;
      else if (src[i] === DerivedSource.AccountsOverDeals) kept++;
    }
    return `${f} on ${filled}${kept ? ` (the accounts file's own value kept on ${kept})` : ''}`;
  });
  let openBlank = 0;
  for (let k = 0; k < parsed.deals.n; k++) {
    if (parsed.deals.status[k] === DealStatus.Open && Number.isNaN(parsed.deals.amount[k]!) && join.accountIndex[k]! >= 0) openBlank++;
  }
  if (openBlank > 0) lines.push(`kam: deals: ${openBlank} matched open deal(s) have a blank amount: they add nothing to pipeline`);
  lines.push(`kam: deals: filled from deals as of ${asOf}: ${counts.join(', ')} account(s)`);
  // Deal row issues are errors; the rest of the account of the deals file is notes (not under --quiet).
  const errors = new Set(issues.slice(0, options.maxListed).map((i) => formatIssue(table.source, i)));
  const errorLines = lines.filter((l) => errors.has(l) || l.startsWith('... and '));
  const shown = io.quiet === true ? errorLines : lines;
  if (shown.length) await io.stderr.write(shown.map((l) => escapeTerminal(l)).join('\n') + '\n');
}

/** The config's gates evaluated on a loaded file; undefined when the config has none. */
export function gatesOf(loaded: LoadedAccounts): GateOutcome | undefined {
  const texts = loaded.config.gates ?? [];
  if (texts.length === 0) return undefined;
  // The config schema has already checked every rule.
  const rules = texts.map((t) => parseGateRule(t) as GateRule);
  const { table, mapping, parsed } = loaded;
  return evaluateGates(rules, table, mapping, parsed.accounts, parsed.recordIndex, parsed.decimal);
}

/** Score, then the gates (SCORING.md §4): what every command that scores a file runs. */
export function scoreLoaded(loaded: LoadedAccounts, model: ModelConfig): { result: ScoreResult; scored: ScoreResult; gates: GateOutcome | undefined } {
  const scored = scoreAccounts(loaded.parsed.accounts, model);
  const gates = gatesOf(loaded);
  return { result: gates === undefined ? scored : applyGates(scored, gates.gated, loaded.parsed.accounts.id), scored, gates };
}

/** The stderr lines about the gates: how many accounts each rule gated, and the rules that could not be applied. */
export function gateNotes(source: string, gates: GateOutcome | undefined): string[] {
  if (gates === undefined) return [];
  const lines: string[] = [];
  const total = gates.gated.reduce((a, b) => a + b, 0);
  lines.push(`kam: gates: ${total} account(s) gated${total > 0 ? ` (${gates.counts.filter((c) => c.gated > 0).map((c) => `${c.rule}: ${c.gated}`).join('; ')})` : ''}: tier Gated, never Key or on the shortlist`);
  for (const c of gates.counts) {
    if (!c.applied) lines.push(`kam: warning: gate '${c.rule}' not applied: ${c.why ?? ''}`);
    else if (c.missing > 0) lines.push(`kam: gate '${c.rule}': ${c.missing} account(s) of ${source} have no usable value for it and were not judged by it`);
  }
  return lines.map((l) => escapeTerminal(l));
}

/** Overrides within this many days of their expiry are announced (SCORING.md §4). */
export const OVERRIDE_WARNING_DAYS = 14;

/** The overrides that apply to a loaded file on `asOf`, and the row behind each. */
export interface LoadedOverrides {
  readonly source: string;
  readonly active: readonly AccountOverride[];
  readonly rows: ReadonlyMap<number, OverrideRow>;
}

/**
 * `--overrides FILE` (or config `overrides`): read and check every row (a bad row is exit 1,
 * nothing guessed); an id not among the valid accounts is a warning, an expired override is
 * ignored with a note, one expiring within 14 days is announced.
 */
export async function loadOverrides(io: Io, file: string, loaded: LoadedAccounts, asOf: number): Promise<LoadedOverrides> {
  const table = await readTable(file === '-' ? '-' : resolve(io.cwd, file), {}, io.stdin, file);
  const parsed = parseOverrides(table);
  if (parsed.issues.length > 0) {
    await io.stderr.write(escapeTerminal(parsed.issues.map((i) => formatIssue(table.source, i)).join('\n'), { keepLineFeeds: true }) + '\n');
    throw new InputError(`${table.source}: ${parsed.issues.length} problem(s) in the overrides file; nothing written`);
  }
  const index = new Map<string, number>();
  loaded.parsed.accounts.id.forEach((id, i) => index.set(id, i));
  const notes: string[] = [];
  const active: AccountOverride[] = [];
  const rows = new Map<number, OverrideRow>();
  for (const row of parsed.rows) {
    const where = `kam: ${table.source}:${row.line}:`;
    const i = index.get(row.accountId);
    if (i === undefined) {
      notes.push(`${where} warning: account_id '${row.accountId}' is not among the valid rows of ${loaded.table.source}: override ignored`);
    } else if (rows.has(i)) {
      notes.push(`${where} warning: a second override for '${row.accountId}': ignored (line ${rows.get(i)!.line} holds)`);
    } else if (row.expires < asOf) {
      notes.push(`${where} override for '${row.accountId}' expired on ${formatDate(row.expires)}: ignored (renew it or delete the row)`);
    } else {
      if (row.expires - asOf <= OVERRIDE_WARNING_DAYS) notes.push(`${where} override for '${row.accountId}' (${row.owner}) expires on ${formatDate(row.expires)}`);
      rows.set(i, row);
      active.push({ account: i, tier: row.tier === undefined ? undefined : TIER_INDEX[row.tier], shortlist: row.shortlist });
    }
  }
  notes.push(`kam: overrides: ${active.length} of ${parsed.rows.length} applied from ${table.source}`);
  await io.stderr.write(escapeTerminal(notes.join('\n'), { keepLineFeeds: true }) + '\n');
  return { source: table.source, active, rows };
}

/** kam_override of one account: `model tier -> override tier, owner, until date: reason` ('' without an override). */
export function overrideText(o: LoadedOverrides, account: number, modelTier: number, shortlistBefore: boolean | undefined): string {
  const row = o.rows.get(account);
  if (row === undefined) return '';
  const moves: string[] = [];
  if (row.tier !== undefined) moves.push(`${TIERS[modelTier]} -> ${row.tier}`);
  if (row.shortlist !== undefined) moves.push(`shortlist ${shortlistBefore ? 'in' : 'out'} -> ${row.shortlist ? 'in' : 'out'}`);
  return `${moves.join(', ')}, ${row.owner}, until ${formatDate(row.expires)}: ${row.reason}`;
}
