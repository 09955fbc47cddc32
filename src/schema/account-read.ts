/**
 * Pass 1 of an accounts table: the context every pass reads (mapping, rules, flag
 * columns), typed storage indexed by record, and each mapped cell's rule run straight into
 * it; a row where a rule fails goes through the zod row schema, which names its issues.
 */
import type * as Zod from 'zod';
import type { RawTable } from '../io/read-table.ts';
import { ACCOUNT_FIELDS, fieldsOfType, type AccountField } from './fields.ts';
import type { ColumnAnnotations, ColumnMapping } from './mapping.ts';
import { normaliseHeader } from './mapping.ts';
import { booleanRule, cellSchema, checkRowCells, type FieldRules, type FieldValues, type RowIssue } from './cells.ts';
import { readCells, rowInput, rowIssues, rowSchema, type CellReader } from './row-rules.ts';
import type { Decimal } from './values.ts';
import { zod } from './zod.ts';

export const MONEY_FIELDS = fieldsOfType(ACCOUNT_FIELDS, 'money');
export const PERCENT_FIELDS = fieldsOfType(ACCOUNT_FIELDS, 'percent');
export const RATING_FIELDS = fieldsOfType(ACCOUNT_FIELDS, 'rating');
type MoneyField = (typeof MONEY_FIELDS)[number];
export type PercentField = (typeof PERCENT_FIELDS)[number];
export type RatingField = (typeof RATING_FIELDS)[number];
type TextField = 'account_id' | 'account_name' | 'industry' | 'country' | 'currency';

/** What every pass over one accounts table reads. */
export interface AccountContext {
  readonly table: RawTable;
  readonly header: readonly string[];
  readonly records: RawTable['records'];
  readonly n0: number;
  readonly fi: ColumnMapping['fieldIndex'];
  readonly annotationsOf: (f: AccountField) => ColumnAnnotations;
  readonly colOf: (f: AccountField) => string;
  readonly decimal: Decimal;
  readonly rules: FieldRules<AccountField>;
  /** Config flag columns found (config key -> column index). */
  readonly flagColumns: Readonly<Record<string, number>>;
  readonly flagKeys: readonly string[];
  readonly currencyColumns: Readonly<Partial<Record<AccountField, number>>>;
}

/** Flag columns named in the config, matched like any header (config key -> column index). */
export function findFlagColumns(header: readonly string[], keys: readonly string[]): Record<string, number> {
  const flagColumns: Record<string, number> = {};
  for (const key of keys) {
    const want = normaliseHeader(key);
    const i = header.findIndex((h) => normaliseHeader(h) === want);
    if (i >= 0) flagColumns[key] = i;
  }
  return flagColumns;
}

const nanArray = (n: number): Float64Array => new Float64Array(n).fill(Number.NaN);
function byField<F extends string, T>(fields: readonly F[], make: (f: F) => T): Record<F, T> {
  return Object.fromEntries(fields.map((f) => [f, make(f)])) as Record<F, T>;
}

/** Pass 1 storage, indexed by record. */
export interface AccountStore {
  readonly text: Record<TextField, (string | undefined)[]>;
  readonly money: Record<MoneyField, Float64Array>;
  /** The currency each money cell names itself (ISO code or family token), when it names one. */
  readonly moneyCurrency: Record<MoneyField, (string | undefined)[]>;
  readonly pctValue: Record<PercentField, Float64Array>;
  readonly pctSign: Record<PercentField, Uint8Array>;
  readonly ratValue: Record<RatingField, Float64Array>;
  /** 0 missing, 1 a number on the column's scale, 2 a word already on 0..100. */
  readonly ratKind: Record<RatingField, Uint8Array>;
  readonly employees: Float64Array;
  /** 255 missing, else 0/1. */
  readonly flagValues: Record<string, Uint8Array>;
  /** The row read and has its name (and id): it goes on to pass 2. */
  readonly passed: Uint8Array;
  /** Every rule of the row read its cell (the row may still lack its name or id). */
  readonly readOk: Uint8Array;
}

function newStore(ctx: AccountContext): AccountStore {
  const { n0, fi } = ctx;
  return {
    text: byField(['account_id', 'account_name', 'industry', 'country', 'currency'] as const, () => []),
    money: byField(MONEY_FIELDS, () => nanArray(n0)),
    moneyCurrency: byField(MONEY_FIELDS, (f) => new Array<string | undefined>(fi[f] === undefined ? 0 : n0)),
    pctValue: byField(PERCENT_FIELDS, () => nanArray(n0)),
    pctSign: byField(PERCENT_FIELDS, () => new Uint8Array(n0)),
    ratValue: byField(RATING_FIELDS, () => nanArray(n0)),
    ratKind: byField(RATING_FIELDS, () => new Uint8Array(n0)),
    employees: nanArray(n0),
    flagValues: byField(ctx.flagKeys, () => new Uint8Array(n0).fill(255)),
    passed: new Uint8Array(n0),
    readOk: new Uint8Array(n0),
  };
}

/** A mapped cell of pass 1: its rule and where its value goes. */
interface AccountReader extends CellReader {
  readonly store: (r: number, v: unknown) => void;
}

/** Where a value of field f goes in the store. */
function storeOf(st: AccountStore, f: AccountField): (r: number, v: unknown) => void {
  if ((MONEY_FIELDS as readonly string[]).includes(f)) {
    const arr = st.money[f as MoneyField];
    const cur = st.moneyCurrency[f as MoneyField];
    return (r, v) => {
      arr[r] = (v as FieldValues['money']).amount;
      const c = (v as FieldValues['money']).currency;
      if (c !== undefined) cur[r] = c;
    };
  }
  if ((PERCENT_FIELDS as readonly string[]).includes(f)) {
    const val = st.pctValue[f as PercentField];
    const sign = st.pctSign[f as PercentField];
    return (r, v) => {
      val[r] = (v as FieldValues['percent']).value;
      sign[r] = (v as FieldValues['percent']).hasSign ? 1 : 0;
    };
  }
  if ((RATING_FIELDS as readonly string[]).includes(f)) {
    const val = st.ratValue[f as RatingField];
    const kind = st.ratKind[f as RatingField];
    return (r, v) => {
      const x = v as FieldValues['rating'];
      val[r] = 'word' in x ? x.word : x.number;
      kind[r] = 'word' in x ? 2 : 1;
    };
  }
  if (f === 'employees') return (r, v) => (st.employees[r] = v as number);
  const arr = st.text[f as TextField];
  return (r, v) => (arr[r] = v as string);
}

/** The readers of pass 1: each mapped field in ACCOUNT_FIELDS order, then the flag columns. */
function accountReaders(ctx: AccountContext, st: AccountStore): AccountReader[] {
  const readers: AccountReader[] = [];
  for (const f of ACCOUNT_FIELDS) {
    const col = ctx.fi[f];
    if (col !== undefined) readers.push({ key: f, col, rule: ctx.rules[f], store: storeOf(st, f) });
  }
  for (const k of ctx.flagKeys) {
    const values = st.flagValues[k]!;
    readers.push({ key: k, col: ctx.flagColumns[k]!, rule: booleanRule, store: (r, v) => (values[r] = v ? 1 : 0) });
  }
  return readers;
}

/** The issues the zod row schema names in a row whose fast pass failed (flags under `flags`). */
function namedIssues(
  ctx: AccountContext,
  readers: readonly AccountReader[],
  fields: number,
  schema: Zod.ZodType,
  cells: readonly string[],
  line: number,
): RowIssue[] {
  const row = rowInput(cells, readers.slice(0, fields));
  if (readers.length > fields) row['flags'] = rowInput(cells, readers.slice(fields));
  return rowIssues(schema, row, line, (path) => {
    const [f, k] = path as [string, string | undefined];
    return f === 'flags' && k !== undefined ? ctx.header[ctx.flagColumns[k]!]! : (ctx.header[ctx.fi[f as AccountField]!] ?? f);
  });
}

/** What pass 1 found: the store, the issues of rows that failed, the cells with invisible characters. */
export interface ReadCells {
  readonly store: AccountStore;
  readonly issuesByRecord: Map<number, RowIssue[]>;
  readonly invisibleCells: number;
}

/** Every column kam reads: mapped fields, flag columns, currency columns (their spreadsheet errors are row issues). */
function mappedColumns(ctx: AccountContext): number[] {
  const defined = (v: number | undefined): v is number => v !== undefined;
  const cols = [...Object.values(ctx.fi).filter(defined), ...Object.values(ctx.flagColumns), ...Object.values(ctx.currencyColumns).filter(defined)];
  return [...new Set(cols)].sort((a, b) => a - b);
}

/** The row checks every table gets, plus a lone CR in a name (it overwrites the name on a terminal). */
function cellIssues(ctx: AccountContext, cells: readonly string[], line: number, mapped: readonly number[], out: RowIssue[]): number {
  const nameCol = ctx.fi.account_name!;
  // CRLF is a line break inside a quoted name, as LF is.
  if (cells.length === ctx.header.length && /\r(?!\n)/.test(cells[nameCol]!)) {
    out.push({ line, column: ctx.header[nameCol]!, code: 'control_char', message: 'contains a carriage return (CR), a control character' });
  }
  return checkRowCells(cells, ctx.header, mapped, line, out);
}

/** The required cells of a row that read: its name, and its id when the file has an id column. */
function requiredIssue(ctx: AccountContext, st: AccountStore, r: number, line: number): RowIssue | undefined {
  const { fi, header } = ctx;
  if (st.text.account_name[r] === undefined) return { line, column: header[fi.account_name!]!, code: 'required', message: 'account name is required' };
  if (fi.account_id !== undefined && st.text.account_id[r] === undefined) {
    return { line, column: header[fi.account_id]!, code: 'required', message: 'account id is blank' };
  }
  return undefined;
}

/** Pass 1 over every record: cell checks, each mapped cell's rule into the store, required cells. */
export function readAccountCells(ctx: AccountContext): ReadCells {
  const st = newStore(ctx);
  const readers = accountReaders(ctx, st);
  const fields = readers.length - ctx.flagKeys.length;
  const mapped = mappedColumns(ctx);
  const issuesByRecord = new Map<number, RowIssue[]>();
  let invisibleCells = 0;
  let schema: Zod.ZodType | undefined;
  let current = 0;
  const put = (rd: AccountReader, v: unknown): void => {
    rd.store(current, v);
  };
  const found: RowIssue[] = []; // reused: a row with issues gets a copy
  for (let r = 0; r < ctx.n0; r++) {
    const { cells, line } = ctx.records[r]!;
    found.length = 0;
    invisibleCells += cellIssues(ctx, cells, line, mapped, found);
    if (found.length > 0) {
      issuesByRecord.set(r, [...found]);
      continue;
    }
    current = r;
    if (!readCells(cells, readers, put)) {
      schema ??= rowSchema(readers.slice(0, fields), ctx.flagKeys.length ? { flags: flagsSchema() } : {});
      const named = namedIssues(ctx, readers, fields, schema, cells, line);
      if (named.length) issuesByRecord.set(r, named);
      continue;
    }
    st.readOk[r] = 1;
    const missing = requiredIssue(ctx, st, r, line);
    if (missing !== undefined) issuesByRecord.set(r, [missing]);
    else st.passed[r] = 1;
  }
  return { store: st, issuesByRecord, invisibleCells };
}

/** The config flag columns of a row, as the row schema reads them. */
function flagsSchema(): Zod.ZodType {
  const { z } = zod();
  return z.record(z.string(), cellSchema(booleanRule)).optional();
}
