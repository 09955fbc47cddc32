/**
 * Pass 1 of an accounts table: the context every pass reads (mapping, rules, flag
 * columns), typed storage indexed by record, and each mapped cell's rule run straight into
 * it; a row where a rule fails goes through the zod row schema, which names its issues.
 */
import type * as Zod from 'zod';
import { ACCOUNT_FIELDS, fieldsOfType, type AccountField } from './fields.ts';
import type { ColumnAnnotations, ColumnMapping } from './mapping.ts';
import { normaliseHeader } from './mapping.ts';
import { booleanRule, cellSchema, checkRowCells, type FieldRules, type FieldValues, type RowIssue } from './cells.ts';
import { readCells, rowInput, rowIssues, rowSchema, type CellReader } from './row-rules.ts';
import type { Decimal } from './values.ts';
import { zod } from './zod.ts';
import { isBlank } from './values.ts';
import { totalsNameFacts } from './totals.ts';
import { cellProblemText, RESHAPED_SUFFIX } from './cell-problems.ts';
import { CodedText, PackedText } from './packed-text.ts';

export const MONEY_FIELDS = fieldsOfType(ACCOUNT_FIELDS, 'money');
export const PERCENT_FIELDS = fieldsOfType(ACCOUNT_FIELDS, 'percent');
export const RATING_FIELDS = fieldsOfType(ACCOUNT_FIELDS, 'rating');
type MoneyField = (typeof MONEY_FIELDS)[number];
export type PercentField = (typeof PERCENT_FIELDS)[number];
export type RatingField = (typeof RATING_FIELDS)[number];
type RepeatedTextField = 'industry' | 'country' | 'currency';

/** What every pass over one accounts table reads: its header, mapping and rules (no records: they come one by one). */
export interface AccountContext {
  readonly source: string;
  readonly header: readonly string[];
  readonly fi: ColumnMapping['fieldIndex'];
  readonly annotationsOf: (f: AccountField) => ColumnAnnotations;
  readonly colOf: (f: AccountField) => string;
  readonly decimal: Decimal;
  readonly rules: FieldRules<AccountField>;
  /** Config flag columns found (config key -> column index). */
  readonly flagColumns: Readonly<Record<string, number>>;
  readonly flagKeys: readonly string[];
  readonly currencyColumns: Readonly<Partial<Record<AccountField, number>>>;
  /** The kam_errors column of a file kam wrote (kam_tier and kam_errors in its header), else undefined. */
  readonly kamErrorsColumn: number | undefined;
}

/** The kam_errors column of a header kam wrote, if it is one. */
export function kamErrorsColumn(header: readonly string[]): number | undefined {
  const at = header.indexOf('kam_errors');
  return at >= 0 && header.includes('kam_tier') ? at : undefined;
}

/**
 * What kam_errors says of a row whose field count was wrong when kam wrote it (`line 7:
 * (row): expected 17 fields, got 18 ...`, as io/enriched.ts writes a ragged_row issue, with
 * RESHAPED_SUFFIX once a later run rejected it again): kam cut or padded its cells to the
 * header's width, so they are not the export's.
 */
function reshapedBy(errors: string): string | undefined {
  const m = /^line \d+: \(row\): (expected \d+ fields, got \d+.*)$/s.exec(errors);
  if (m === null) return undefined;
  const said = m[1]!;
  return said.endsWith(RESHAPED_SUFFIX) ? said.slice(0, -RESHAPED_SUFFIX.length) : said;
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

function byField<F extends string, T>(fields: readonly F[], make: (f: F) => T): Record<F, T> {
  return Object.fromEntries(fields.map((f) => [f, make(f)])) as Record<F, T>;
}

/** Facts of a record pass 1 keeps for the later passes (bits of `AccountStore.facts`). */
export const FACT_WIDTH = 1; // as many cells as the header
export const FACT_ID_BLANK = 2; // width right, and a blank id (or no id column)
export const FACT_TOTALS_NAME = 4; // and its name is a totals label
export const FACT_TOTALS_MAYBE = 8; // and its name is blank or carries a totals word

/** Pass 1 storage, indexed by record; the typed arrays grow (doubling) as records come. */
export interface AccountStore {
  /** Records read. */
  n: number;
  /** Ids and names packed (one byte a character, most of them); the repeated text as codes. */
  readonly text: Record<'account_id' | 'account_name', PackedText> & Record<RepeatedTextField, CodedText>;
  readonly money: Record<MoneyField, Float64Array>;
  /** The currency each money cell names itself (ISO code or family token), as 1 + its index in `currencyCodes`; 0 when none. */
  readonly moneyCurrency: Record<MoneyField, Uint16Array>;
  readonly currencyCodes: string[];
  readonly pctValue: Record<PercentField, Float64Array>;
  readonly pctSign: Record<PercentField, Uint8Array>;
  readonly ratValue: Record<RatingField, Float64Array>;
  /** 0 missing, 1 a number on the column's scale, 2 a word already on 0..100. */
  readonly ratKind: Record<RatingField, Uint8Array>;
  employees: Float64Array;
  /** 255 missing, else 0/1. */
  readonly flagValues: Record<string, Uint8Array>;
  /** The row read and has its name (and id): it goes on to pass 2. */
  passed: Uint8Array;
  /** Every rule of the row read its cell (the row may still lack its name or id). */
  readOk: Uint8Array;
  /** FACT_* bits of each record. */
  facts: Uint8Array;
  /** The id (or name, without an id column) of each right-width record that did not pass, when it reads. */
  readonly failedIds: Map<number, string>;
}

/** The currency money cell r of field f names itself, if any. */
export function cellCurrency(st: AccountStore, f: MoneyField, r: number): string | undefined {
  const k = st.moneyCurrency[f][r]!;
  return k === 0 ? undefined : st.currencyCodes[k - 1];
}

/** First guesses of an id's and a name's length in bytes (the pools grow by half when they are short). */
const ID_BYTES = 12;
const NAME_BYTES = 24;

function newStore(ctx: AccountContext, cap: number): AccountStore {
  const nan = (): Float64Array => new Float64Array(cap).fill(Number.NaN);
  return {
    n: 0,
    text: {
      account_id: new PackedText(ctx.fi.account_id === undefined ? 0 : cap, ID_BYTES),
      account_name: new PackedText(cap, NAME_BYTES),
      industry: new CodedText(ctx.fi.industry === undefined ? 0 : cap),
      country: new CodedText(ctx.fi.country === undefined ? 0 : cap),
      currency: new CodedText(ctx.fi.currency === undefined ? 0 : cap),
    },
    money: byField(MONEY_FIELDS, nan),
    moneyCurrency: byField(MONEY_FIELDS, () => new Uint16Array(cap)),
    currencyCodes: [],
    pctValue: byField(PERCENT_FIELDS, nan),
    pctSign: byField(PERCENT_FIELDS, () => new Uint8Array(cap)),
    ratValue: byField(RATING_FIELDS, nan),
    ratKind: byField(RATING_FIELDS, () => new Uint8Array(cap)),
    employees: nan(),
    flagValues: byField(ctx.flagKeys, () => new Uint8Array(cap).fill(255)),
    passed: new Uint8Array(cap),
    readOk: new Uint8Array(cap),
    facts: new Uint8Array(cap),
    failedIds: new Map(),
  };
}

/** A typed array `cap` long with a's values, the rest `fill`. */
function grown<T extends Float64Array | Uint8Array | Uint16Array>(a: T, cap: number, fill: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** Every typed array of the store at `cap` records. */
function growStore(st: AccountStore, cap: number): void {
  const each = <K extends string, T extends Float64Array | Uint8Array | Uint16Array>(rec: Record<K, T>, fill: number): void => {
    for (const k of Object.keys(rec) as K[]) rec[k] = grown(rec[k], cap, fill);
  };
  each(st.money, Number.NaN);
  each(st.moneyCurrency, 0);
  each(st.pctValue, Number.NaN);
  each(st.pctSign, 0);
  each(st.ratValue, Number.NaN);
  each(st.ratKind, 0);
  each(st.flagValues, 255);
  st.employees = grown(st.employees, cap, Number.NaN);
  st.passed = grown(st.passed, cap, 0);
  st.readOk = grown(st.readOk, cap, 0);
  st.facts = grown(st.facts, cap, 0);
}

/** A mapped cell of pass 1: its rule and where its value goes. */
interface AccountReader extends CellReader {
  readonly store: (r: number, v: unknown) => void;
}

/** The index + 1 of a currency code in the store's list (a handful of codes per file). */
function currencyIndex(st: AccountStore, code: string): number {
  const codes = st.currencyCodes;
  for (let k = 0; k < codes.length; k++) if (codes[k] === code) return k + 1;
  codes.push(code);
  return codes.length;
}

/** Where a value of field f goes in the store (arrays looked up at each store: they grow). */
function storeOf(st: AccountStore, f: AccountField): (r: number, v: unknown) => void {
  if ((MONEY_FIELDS as readonly string[]).includes(f)) {
    const m = f as MoneyField;
    return (r, v) => {
      st.money[m][r] = (v as FieldValues['money']).amount;
      const c = (v as FieldValues['money']).currency;
      if (c !== undefined) st.moneyCurrency[m][r] = currencyIndex(st, c);
    };
  }
  if ((PERCENT_FIELDS as readonly string[]).includes(f)) {
    const p = f as PercentField;
    return (r, v) => {
      st.pctValue[p][r] = (v as FieldValues['percent']).value;
      st.pctSign[p][r] = (v as FieldValues['percent']).hasSign ? 1 : 0;
    };
  }
  if ((RATING_FIELDS as readonly string[]).includes(f)) {
    const g = f as RatingField;
    return (r, v) => {
      const x = v as FieldValues['rating'];
      st.ratValue[g][r] = 'word' in x ? x.word : x.number;
      st.ratKind[g][r] = 'word' in x ? 2 : 1;
    };
  }
  if (f === 'employees') return (r, v) => (st.employees[r] = v as number);
  if (f === 'account_id' || f === 'account_name') {
    const packed = st.text[f];
    return (r, v) => {
      packed.set(r, v as string);
    };
  }
  const coded = st.text[f as RepeatedTextField];
  return (r, v) => {
    coded.set(r, v as string);
  };
}

/** The readers of pass 1: each mapped field in ACCOUNT_FIELDS order, then the flag columns. */
function accountReaders(ctx: AccountContext, st: AccountStore): AccountReader[] {
  const readers: AccountReader[] = [];
  for (const f of ACCOUNT_FIELDS) {
    const col = ctx.fi[f];
    if (col !== undefined) readers.push({ key: f, col, rule: ctx.rules[f], store: storeOf(st, f) });
  }
  for (const k of ctx.flagKeys) {
    readers.push({ key: k, col: ctx.flagColumns[k]!, rule: booleanRule, store: (r, v) => (st.flagValues[k]![r] = v ? 1 : 0) });
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
    out.push({ line, column: ctx.header[nameCol]!, code: 'control_char', message: cellProblemText({ reason: 'carriage_return' }) });
  }
  const invisible = checkRowCells(cells, ctx.header, mapped, line, out);
  const errors = ctx.kamErrorsColumn === undefined || cells.length !== ctx.header.length ? undefined : cells[ctx.kamErrorsColumn]!;
  const said = errors === undefined || !errors.startsWith('line ') ? undefined : reshapedBy(errors);
  if (said !== undefined) out.push({ line, column: '(row)', code: 'ragged_row', message: cellProblemText({ reason: 'reshaped_by_kam', said }) });
  return invisible;
}

/** The required cells of a row that read: its name, and its id when the file has an id column. */
function requiredIssue(ctx: AccountContext, st: AccountStore, r: number, line: number): RowIssue | undefined {
  const { fi, header } = ctx;
  if (!st.text.account_name.has(r))
    return { line, column: header[fi.account_name!]!, code: 'required', message: cellProblemText({ reason: 'required', what: 'account_name' }) };
  if (fi.account_id !== undefined && !st.text.account_id.has(r)) {
    return { line, column: header[fi.account_id]!, code: 'required', message: cellProblemText({ reason: 'required', what: 'account_id' }) };
  }
  return undefined;
}

/**
 * Pass 1, one record at a time as the reader hands them on: cell checks, each mapped cell's
 * rule into the store, required cells, and the facts later passes need (so they need not
 * read the record's cells again).
 */
export class AccountCells {
  readonly store: AccountStore;
  readonly issuesByRecord = new Map<number, RowIssue[]>();
  invisibleCells = 0;
  readonly #ctx: AccountContext;
  readonly #readers: AccountReader[];
  readonly #fields: number;
  readonly #mapped: number[];
  #schema: Zod.ZodType | undefined;
  #current = 0;
  readonly #put = (rd: AccountReader, v: unknown): void => {
    rd.store(this.#current, v);
  };
  /** Reused: a row with issues gets a copy. */
  readonly #found: RowIssue[] = [];

  constructor(ctx: AccountContext, capacity = 1024) {
    this.#ctx = ctx;
    this.store = newStore(ctx, Math.max(16, capacity));
    this.#readers = accountReaders(ctx, this.store);
    this.#fields = this.#readers.length - ctx.flagKeys.length;
    this.#mapped = mappedColumns(ctx);
  }

  /** Record r (records come in order, from 0) at its physical line. */
  add(r: number, line: number, cells: readonly string[]): void {
    const ctx = this.#ctx;
    const st = this.store;
    if (r >= st.passed.length) growStore(st, Math.max(st.passed.length * 2, r + 1));
    st.n = r + 1;
    st.facts[r] = recordFacts(ctx, cells);
    const found = this.#found;
    found.length = 0;
    this.invisibleCells += cellIssues(ctx, cells, line, this.#mapped, found);
    if (found.length > 0) this.issuesByRecord.set(r, [...found]);
    else {
      this.#current = r;
      if (!readCells(cells, this.#readers, this.#put)) {
        this.#schema ??= rowSchema(this.#readers.slice(0, this.#fields), ctx.flagKeys.length ? { flags: flagsSchema() } : {});
        const named = namedIssues(ctx, this.#readers, this.#fields, this.#schema, cells, line);
        if (named.length) this.issuesByRecord.set(r, named);
      } else {
        st.readOk[r] = 1;
        const missing = requiredIssue(ctx, st, r, line);
        if (missing !== undefined) this.issuesByRecord.set(r, [missing]);
        else st.passed[r] = 1;
      }
    }
    if (st.passed[r] === 0 && (st.facts[r] & FACT_WIDTH) !== 0) {
      const id = ctx.fi.account_id !== undefined ? ctx.rules.account_id(cells[ctx.fi.account_id]!) : ctx.rules.account_name(cells[ctx.fi.account_name!]!);
      if (id.ok && id.value !== undefined) st.failedIds.set(r, id.value);
    }
  }
}

/** The FACT_* bits of a record. */
function recordFacts(ctx: AccountContext, cells: readonly string[]): number {
  if (cells.length !== ctx.header.length) return 0;
  const idCol = ctx.fi.account_id;
  if (idCol !== undefined && !isBlank(cells[idCol]!)) return FACT_WIDTH;
  return FACT_WIDTH | FACT_ID_BLANK | totalsNameFacts(cells[ctx.fi.account_name!]!, FACT_TOTALS_NAME, FACT_TOTALS_MAYBE);
}

/** The config flag columns of a row, as the row schema reads them. */
function flagsSchema(): Zod.ZodType {
  const { z } = zod();
  return z.record(z.string(), cellSchema(booleanRule)).optional();
}
