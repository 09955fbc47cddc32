import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError, UsageError } from '../errors.ts';
import type { ModelConfig } from '../core/types.ts';
import type { Io } from '../io/console.ts';
import { readTable, type RawTable } from '../io/read-table.ts';
import { parseAccounts, type ParsedAccounts } from '../schema/account.ts';
import { parseConfig, parseWeightsOption, toModelConfig, type Config } from '../schema/config.ts';
import type { Field, TableKind } from '../schema/fields.ts';
import { mapColumns, parseMapOption, type ColumnMapping } from '../schema/mapping.ts';
import { PRESET_NAMES, type PresetName } from '../schema/presets.ts';
import { DEFAULT_RATING_WORDS, type Decimal } from '../schema/values.ts';

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
    .option('--max-record-size <bytes>', 'largest record accepted (default 1048576)', positiveInt('--max-record-size'));
}

export interface LoadedConfig {
  readonly config: Config;
  readonly path: string | undefined;
}

/** Read kam.config.json (or --config FILE); a typo is an error with its JSON path (exit 2). */
export function loadConfig(io: Io, file: string | undefined): LoadedConfig {
  const path = file ?? (existsSync(resolve(io.cwd, 'kam.config.json')) ? 'kam.config.json' : undefined);
  if (path === undefined) return { config: {}, path: undefined };
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, path), 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`config ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const r = parseConfig(json);
  if (!r.ok) throw new UsageError(`invalid config ${path}:\n${r.errors}`);
  return { config: r.config, path };
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
  if (Object.values(weights).reduce((a, b) => a + b, 0) <= 0) throw new UsageError('--weights: the weights must have a positive sum');
  return { ...model, weights };
}

export interface LoadedTable {
  readonly table: RawTable;
  readonly mapping: ColumnMapping;
}

/** Read a CRM export and map its columns (accounts or deals). */
export async function loadTable(io: Io, file: string, kind: TableKind, options: ReadCliOptions, config: Config): Promise<LoadedTable> {
  const table = await readTable(
    file === '-' ? '-' : resolve(io.cwd, file),
    {
      encoding: options.encoding ?? config.encoding,
      delimiter: options.delimiter ?? config.delimiter,
      maxRecordSize: options.maxRecordSize,
    },
    io.stdin,
  ).then((t) => (file === '-' ? t : { ...t, source: file }));
  const overrides: { header: string; field: Field | 'ignore'; via: 'config' | 'map' }[] = [];
  for (const [header, field] of Object.entries(config.columns ?? {})) overrides.push({ header, field, via: 'config' });
  for (const spec of options.map ?? []) overrides.push({ ...parseMapOption(spec), via: 'map' });
  const mapping = mapColumns(table.header, kind, { preset: options.preset ?? config.preset, overrides });
  return { table, mapping };
}

export interface LoadedAccounts extends LoadedTable {
  readonly parsed: ParsedAccounts;
  readonly config: Config;
  readonly configPath: string | undefined;
}

/** Config, file, mapping, validation: everything up to the engine. */
export async function loadAccounts(io: Io, file: string, options: ReadCliOptions): Promise<LoadedAccounts> {
  const { config, path } = loadConfig(io, options.config);
  const { table, mapping } = await loadTable(io, file, 'accounts', options, config);
  const words = new Map(DEFAULT_RATING_WORDS);
  for (const [k, v] of Object.entries(config.ratings?.words ?? {})) words.set(k.trim().toLowerCase(), v);
  const parsed = parseAccounts(table, mapping, {
    decimal: options.decimal ?? config.decimal,
    ratingWords: words,
    ratingScales: config.ratings?.scales,
    currency: config.currency,
    flagColumns: Object.keys(config.flags ?? {}),
  });
  return { table, mapping, parsed, config, configPath: path };
}

/** Diagnostics every reading command prints on stderr: notes, rejected rows, summary counts. */
export async function reportReading(io: Io, loaded: LoadedAccounts, options: { listIssues: boolean }): Promise<void> {
  const { table, parsed } = loaded;
  const lines: string[] = [];
  for (const note of [...table.notes, ...parsed.notes]) lines.push(`kam: ${note}`);
  if (table.records.length === 0) lines.push(`kam: warning: ${table.source} has 0 data rows`);
  if (parsed.invisibleCells > 0) {
    lines.push(`kam: ${parsed.invisibleCells} cell${parsed.invisibleCells === 1 ? '' : 's'} hold bidi or zero-width characters (kept as they are)`);
  }
  if (options.listIssues) for (const r of parsed.rejected) for (const i of r.issues) lines.push(formatIssue(table.source, i));
  if (lines.length) await io.stderr.write(lines.join('\n') + '\n');
}

/** `file:line: column: message`, so editors can jump to it. */
export function formatIssue(source: string, issue: { line: number; column: string; message: string }): string {
  return `${source}:${issue.line}: ${issue.column}: ${issue.message}`;
}

/** Fail (exit 1) when no row is valid: there is nothing to score. */
export function assertSomeValid(loaded: LoadedAccounts): void {
  if (loaded.parsed.accounts.n === 0 && loaded.table.records.length > 0) {
    throw new InputError(`${loaded.table.source}: no valid rows (${loaded.parsed.rejected.length} rejected)`);
  }
}
