import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { CRITERIA, type AccountColumns } from '../core/types.ts';
import { noteSink, type Io } from '../io/console.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { readTable, type RawTable, type RecordSink } from '../io/read-table.ts';
import { locate } from '../io/xlsx/index.ts';
import type { ParsedAccounts } from '../schema/account.ts';
import { type Config } from '../schema/config.ts';
import { criteriaFed, modelInputs, type AccountField, type FedCriteria, type TableKind } from '../schema/fields.ts';
import { AccountsSink, mapTable, readOptionsFor, validateAccountsTable, type ReadRequest } from '../schema/load.ts';
import { unusedColumns, type ColumnMapping } from '../schema/mapping.ts';
import { type ReadCliOptions } from './load-options.ts';
import { loadConfig } from './load-config.ts';
import { isReaderNote, READER_NOTE_LEVEL, readerNoteText, type ReaderNote } from '../io/reader-notes.ts';
import { NOTE_LEVEL, noteLine, noteText, type RunNote } from '../io/run-notes.ts';
import { SCHEMA_NOTE_CODES, noteText as schemaNoteText, type SchemaNote } from '../schema/notes.ts';

/**
 * The read side every command shares: file -> table -> mapping -> validated accounts, and the
 * stderr reading report. One mechanism for accounts and deals files (load-deals.ts).
 */

export interface LoadedTable {
  readonly table: RawTable;
  readonly mapping: ColumnMapping;
}

/** The shared read path's request from the CLI's flags. */
function readRequest(options: ReadCliOptions): ReadRequest {
  return { ...options, withDeals: options.deals !== undefined };
}

/** Read a CRM export's bytes into a table (the same reader options as the library). */
async function readCliTable(io: Io, file: string, options: ReadCliOptions, config: Config, sink?: RecordSink): Promise<RawTable> {
  return readTable(file === '-' ? '-' : resolve(io.cwd, file), readOptionsFor(options, config), io.stdin, file, sink);
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
export function criteriaOf(
  loaded: Pick<LoadedAccounts, 'mapping' | 'config'> & { readonly derivedFields?: readonly AccountField[] },
  flagColumns: number,
  blank: ReadonlySet<AccountField> = new Set(),
): FedCriteria {
  const fields = new Set<AccountField>(loaded.derivedFields ?? []);
  for (const c of loaded.mapping.columns) if (c.field !== undefined && !blank.has(c.field as AccountField)) fields.add(c.field as AccountField);
  return criteriaFed(fields, hasIcpRules(loaded.config), flagColumns);
}

/** The typed column each measure field is read into. */
const MEASURE_COLUMNS = {
  revenue: 'revenue',
  potential_revenue: 'potentialRevenue',
  pipeline: 'pipeline',
  growth_rate: 'growthRate',
  gross_margin: 'grossMargin',
  retention_rate: 'retentionRate',
  churn_risk: 'retentionRate',
  product_fit: 'productFit',
  strategic_value: 'strategicValue',
  employees: 'employees',
} as const satisfies Partial<Record<AccountField, keyof AccountColumns>>;

/** Mapped measure columns with no value on any valid row (not filled by a deals roll-up): they feed nothing. */
function blankColumns(loaded: LoadedAccounts): { index: number; field: AccountField }[] {
  const accounts = loaded.parsed.accounts;
  if (accounts.n === 0) return [];
  const out: { index: number; field: AccountField }[] = [];
  for (const c of loaded.mapping.columns) {
    const field = c.field as AccountField | undefined;
    if (field === undefined || !(field in MEASURE_COLUMNS) || loaded.derivedFields.includes(field)) continue;
    const values = accounts[MEASURE_COLUMNS[field as keyof typeof MEASURE_COLUMNS]];
    if (values.every(Number.isNaN)) out.push({ index: c.index, field });
  }
  return out;
}

function hasIcpRules(config: Config): boolean {
  const icp = config.icp;
  return icp !== undefined && (icp.industries !== undefined || icp.countries !== undefined || icp.employees !== undefined);
}

/** Print `mappingNotes` on stderr (after the reading and deals reports: the rows' own problems come first). */
export async function reportMapping(io: Io, loaded: LoadedAccounts, options: { readonly nameFile?: boolean } = {}): Promise<void> {
  const prefix = options.nameFile ? `kam: ${loaded.table.source}: ` : 'kam: ';
  const lines = mappingNotes(loaded).map((n) => noteLine(n, prefix));
  if (lines.length) await noteSink(io).write(lines.join('\n') + '\n');
}

/** The fields that name an account: a column losing one to a stronger key changes no score. */
const IDENTITY_FIELDS: ReadonlySet<string> = new Set(['account_id', 'account_name']);

/**
 * What the run does not use but could: columns that look like model inputs and feed nothing
 * (with the --map that would use each), criteria no column feeds, config `columns` entries
 * this export does not have. One note each, for stderr.
 */
export function mappingNotes(loaded: LoadedAccounts): RunNote[] {
  const lines: RunNote[] = [];
  const { mapping, config } = loaded;
  // A weak claim on the id or name that lost ('Account Number' beside 'Record Id') was a guess a
  // stronger key beat, and changes no score: `kam columns` shows it, a run does not warn of it.
  // A weak scoring input that lost (Salesforce's Rating beside a custom strategic value) is still named.
  const unused = unusedColumns(mapping, modelInputs('accounts', hasIcpRules(config))).filter((u) => !(u.weak === true && IDENTITY_FIELDS.has(u.field)));
  if (unused.length > 0) lines.push({ code: 'columns_unused', header: mapping.columns.map((c) => c.header), unused });
  const blank = blankColumns(loaded);
  if (blank.length > 0) lines.push({ code: 'columns_blank', columns: blank.map((b) => ({ header: mapping.columns[b.index]!.header, field: b.field })) });
  const fed = criteriaOf(loaded, Object.keys(loaded.parsed.flagColumns).length, new Set(blank.map((b) => b.field)));
  const missing = CRITERIA.filter((c) => !fed[c]);
  if (missing.length > 0 && missing.length < CRITERIA.length) {
    lines.push({ code: 'criteria_unfed', missing, used: CRITERIA.filter((c) => fed[c]) });
  }
  // A rate no value of this export is in: kept for other exports (a deals file may use it, so only without one).
  const rates = config.currency?.rates;
  if (rates !== undefined && loaded.derivedFields.length === 0) {
    const used = new Set(loaded.parsed.currencies.map((c) => c.toUpperCase()));
    const unusedRates = Object.keys(rates)
      .map((c) => c.toUpperCase())
      .filter((c) => !used.has(c) && c !== config.currency!.base.toUpperCase());
    if (unusedRates.length > 0) lines.push({ code: 'currency_rates_unused', source: loaded.table.source, currencies: unusedRates });
  }
  for (const h of loaded.missingConfigColumns) {
    lines.push({ code: 'config_column_missing', header: h, source: loaded.table.source });
  }
  return lines;
}

/** Config, file, mapping, validation: everything up to the engine. */
export async function loadAccounts(io: Io, file: string, options: ReadCliOptions): Promise<LoadedAccounts> {
  const { config, path } = loadConfig(io, options.config);
  // Validated as it is read (the table keeps offsets, not cells); any table the sink did not take, whole.
  const sink = new AccountsSink(readRequest(options), config);
  const table = await readCliTable(io, file, options, config, sink);
  const { mapping, parsed } = sink.finish(table) ?? validateAccountsTable(table, readRequest(options), config);
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
  readonly collect?: FileNote[] | undefined;
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
    notes.push(noteText({ code: 'invisible_cells', cells: parsed.invisibleCells }));
  }
  if (options.collect) {
    if (table.recordCount === 0) options.collect.push({ code: 'zero_rows', source: undefined });
    options.collect.push(...table.noteCodes, ...parsed.noteCodes);
    if (parsed.invisibleCells > 0) options.collect.push({ code: 'invisible_cells', cells: parsed.invisibleCells });
  } else {
    const lines = notes.map((n) => prefix + n);
    if (table.recordCount === 0) lines.splice(notes.length - (parsed.invisibleCells > 0 ? 1 : 0), 0, noteLine({ code: 'zero_rows', source: table.source }));
    if (lines.length) await noteSink(io).write(lines.map((l) => escapeTerminal(l)).join('\n') + '\n');
  }
  const lines: string[] = [];
  const issues = parsed.rejected.flatMap((r) => r.issues);
  for (const i of issues.slice(0, options.maxIssues)) lines.push(formatIssue(table, i));
  if (options.maxIssues > 0 && issues.length > options.maxIssues) {
    lines.push(`... and ${issues.length - options.maxIssues} more issue(s) (kam validate ${table.source} lists them all)`);
  }
  if (options.rejectedNote !== undefined && parsed.rejected.length > 0) {
    // With no valid row the command stops (assertSomeValid): the note would promise an output that never comes.
    const note = parsed.accounts.n > 0 ? options.rejectedNote : '';
    lines.push(`kam: ${parsed.rejected.length} of ${table.recordCount} row(s) rejected${note}`);
  }
  if (lines.length) await io.stderr.write(lines.map((l) => escapeTerminal(l)).join('\n') + '\n');
}

/**
 * A note about one file, kept as its code until said (mergeNotes): the commands' (RunNote),
 * the schema's (SchemaNote), or the reader's (ReaderNote).
 */
export type FileNote = RunNote | SchemaNote | ReaderNote;

const isSchemaNote = (n: FileNote): n is SchemaNote => Object.hasOwn(SCHEMA_NOTE_CODES, n.code);

/** A note's words with its level, as after `kam: <file>: `. */
function fileNoteText(n: FileNote): string {
  if (isReaderNote(n)) return readerNoteText(n);
  return isSchemaNote(n) ? schemaNoteText(n) : noteText(n);
}

/** Schema notes are notes, never warnings; the reader's and the commands' say their level. */
function isWarning(n: FileNote): boolean {
  if (isReaderNote(n)) return READER_NOTE_LEVEL[n.code] === 'warning';
  return !isSchemaNote(n) && NOTE_LEVEL[n.code] === 'warning';
}

/**
 * The notes of several files, each once: a note two files share (the same code and data) is
 * said once, naming both (`kam: a.csv, b.csv: detected UTF-8 (BOM), semicolon-delimited`);
 * warnings first.
 */
export function mergeNotes(files: readonly { readonly source: string; readonly notes: readonly FileNote[] }[]): string[] {
  const merged = new Map<string, { note: FileNote; sources: string[] }>();
  for (const f of files) {
    for (const n of f.notes) {
      const key = JSON.stringify(n);
      const entry = merged.get(key) ?? { note: n, sources: [] };
      if (!entry.sources.includes(f.source)) entry.sources.push(f.source);
      merged.set(key, entry);
    }
  }
  const all = [...merged.values()];
  const line = (e: { note: FileNote; sources: string[] }): string => escapeTerminal(`kam: ${e.sources.join(', ')}: ${fileNoteText(e.note)}`);
  return [...all.filter((e) => isWarning(e.note)).map(line), ...all.filter((e) => !isWarning(e.note)).map(line)];
}

/**
 * `file:line: column: message`, so editors can jump to it (`file:Sheet1!C5: column: message`
 * for a workbook, given its table); headers and cells quoted in it are shown escaped.
 */
export function formatIssue(source: string | Pick<RawTable, 'source' | 'header' | 'sheet'>, issue: { line: number; column: string; message: string }): string {
  const where = typeof source === 'string' ? `${source}:${issue.line}` : locate(source, issue.line, issue.column);
  return escapeTerminal(`${where}: ${issue.column}: ${issue.message}`);
}

/** Fail (exit 1) when no row is valid: there is nothing to score. */
export function assertSomeValid(loaded: LoadedAccounts): void {
  if (loaded.parsed.accounts.n === 0 && loaded.table.recordCount > 0) {
    const { source } = loaded.table;
    throw new InputError(`${source}: no valid rows (${loaded.parsed.rejected.length} rejected): fix the rows above (kam validate ${source} lists every issue)`);
  }
}
