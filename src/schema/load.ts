/**
 * The read path the CLI (commands/load.ts) and the library (src/index.ts) share: the reading
 * options a config implies, the column overrides of config `columns` and `--map` / `map`,
 * the mapping, and the validation. Callers read the bytes (readTable) and say what went wrong
 * in their own terms; everything from the table to the typed accounts is this one code.
 */
import type { RawTable, ReadOptions, RecordSink, TableHead } from '../io/read-table.ts';
import { InputError } from '../errors.ts';
import { parseAccounts, type ParsedAccounts } from './account.ts';
import { hasDealColumns, wrongKindOfFile } from './table-kind.ts';
import { AccountStream } from './account-stream.ts';
import { configOverrides, valueSettings, type Config } from './config.ts';
import { FIELDS_BY_KIND, type TableKind } from './fields.ts';
import { mapColumns, normaliseHeader, parseMapOption, type ColumnMapping, type ColumnOverride } from './mapping.ts';
import type { PresetName } from './presets.ts';
import type { Decimal } from './values.ts';

/** What a reader was asked for, whoever asked (CLI flags or library options). */
export interface ReadRequest {
  readonly encoding?: string | undefined;
  readonly delimiter?: string | undefined;
  readonly maxRecordSize?: number | undefined;
  readonly maxInputSize?: number | undefined;
  /** The sheet of a workbook (`--sheet`). */
  readonly sheet?: string | undefined;
  readonly threads?: number | undefined;
  readonly preset?: PresetName | undefined;
  /** "Header=field" entries (`--map`, or the library's `map`). */
  readonly map?: readonly string[] | undefined;
  readonly decimal?: Decimal | undefined;
  /** A deals file is read in the same run: each override goes to the file it fits. */
  readonly withDeals?: boolean | undefined;
}

/** The reader's options: the request's, else the config's. */
export function readOptionsFor(request: ReadRequest, config: Config): ReadOptions {
  return {
    encoding: request.encoding ?? config.encoding,
    delimiter: request.delimiter ?? config.delimiter,
    maxRecordSize: request.maxRecordSize,
    maxInputSize: request.maxInputSize,
    sheet: request.sheet,
    decimal: request.decimal ?? config.decimal,
    threads: request.threads,
  };
}

/** Config `columns`, then `map`, as the mapper takes them. */
export function columnOverrides(request: ReadRequest, config: Config): ColumnOverride[] {
  const overrides: ColumnOverride[] = [];
  overrides.push(...configOverrides(config));
  for (const spec of request.map ?? []) overrides.push({ ...parseMapOption(spec), via: 'map' });
  return overrides;
}

/** Does the header have this column (as written, or normalised)? */
export function hasHeader(header: readonly string[], name: string): boolean {
  const wanted = normaliseHeader(name);
  return header.some((h) => h.trim() === name.trim() || normaliseHeader(h) === wanted);
}

/**
 * With a deals file, each override goes to the file whose kind has its field
 * ('revenue=company_revenue' to the accounts, 'Customer=deal_account_name' to the deals);
 * 'ignore' and fields of both kinds (currency) go to whichever file has the header.
 */
function isOverrideFor(o: ColumnOverride, kind: TableKind, header: readonly string[]): boolean {
  const other: TableKind = kind === 'accounts' ? 'deals' : 'accounts';
  const mine = o.field === 'ignore' || FIELDS_BY_KIND[kind].includes(o.field);
  const theirs = o.field === 'ignore' || FIELDS_BY_KIND[other].includes(o.field);
  if (mine && theirs) return hasHeader(header, o.header);
  return mine;
}

/** The column mapping of a header read as `kind` (throws what mapColumns throws). */
function mapHeader(header: readonly string[], kind: TableKind, request: ReadRequest, config: Config): ColumnMapping {
  const overrides = columnOverrides(request, config).filter((o) => !request.withDeals || isOverrideFor(o, kind, header));
  return mapColumns(header, kind, {
    preset: request.preset ?? config.preset,
    overrides,
    // The config's flag columns feed strategic bonuses: no field claims them.
    flagHeaders: kind === 'accounts' ? Object.keys(config.flags ?? {}) : [],
  });
}

/** The column mapping of a table read as `kind`. */
export function mapTable(table: RawTable, kind: TableKind, request: ReadRequest, config: Config): ColumnMapping {
  try {
    return mapHeader(table.header, kind, request, config);
  } catch (e) {
    // An opportunities export read as accounts claims account_id twice ('Id', 'AccountId'):
    // say what the file is rather than which columns collide.
    const wrongKind = e instanceof InputError ? wrongKindOfFile(table, kind, undefined) : undefined;
    throw wrongKind === undefined ? e : new InputError(wrongKind);
  }
}

/**
 * Accounts validated while the reader reads them (a RecordSink for readTable): the header
 * mapped as soon as it is known, each record through pass 1 as it comes, so the table keeps
 * no cells. A header whose mapping fails, lacks the account name, or looks like a deals
 * export is left to validateAccountsTable, which needs the whole table to say so.
 */
export class AccountsSink implements RecordSink {
  #stream: AccountStream | undefined;
  #mapping: ColumnMapping | undefined;

  constructor(
    private readonly request: ReadRequest,
    private readonly config: Config,
  ) {}

  start(head: TableHead): boolean {
    this.#stream = undefined;
    this.#mapping = undefined;
    let mapping: ColumnMapping;
    try {
      mapping = mapHeader(head.header, 'accounts', this.request, this.config);
    } catch {
      return false;
    }
    if (mapping.fieldIndex.account_name === undefined || hasDealColumns(head.header)) return false;
    this.#mapping = mapping;
    this.#stream = new AccountStream(head, mapping, valueSettings(this.config, this.request.decimal));
    return true;
  }

  record(r: number, line: number, cells: readonly string[]): void {
    this.#stream?.record(r, line, cells);
  }

  /** The table's mapping and validated accounts, or undefined when the sink did not take it all (validateAccountsTable then does). */
  finish(table: RawTable): { mapping: ColumnMapping; parsed: ParsedAccounts } | undefined {
    const parsed = this.#stream?.finish(table);
    if (parsed !== undefined) this.#stream = undefined;
    return parsed === undefined ? undefined : { mapping: this.#mapping!, parsed };
  }
}

/** A table read as accounts: its mapping and the validated accounts. */
export function validateAccountsTable(table: RawTable, request: ReadRequest, config: Config): { mapping: ColumnMapping; parsed: ParsedAccounts } {
  const mapping = mapTable(table, 'accounts', request, config);
  const parsed = parseAccounts(table, mapping, valueSettings(config, request.decimal));
  return { mapping, parsed };
}
