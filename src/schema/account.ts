/**
 * Validation of an accounts table as a sequence of named passes: file-level checks, the
 * decimal separator, pass 1 (each cell's rule into typed columns, zod naming failed rows:
 * account-read.ts), totals rows, column-level rules (account-columns.ts), pass 2 (ranges,
 * ratings, currencies, duplicate ids: account-rows.ts), and the notes of the run.
 */
import type { RatingScale } from '../core/normalise.ts';
import type { AccountColumns } from '../core/types.ts';
import type { RawTable } from '../io/read-table.ts';
import { InputError } from '../errors.ts';
import { ACCOUNT_FIELDS, type AccountField } from './fields.ts';
import type { ColumnMapping } from './mapping.ts';
import { normaliseHeader } from './mapping.ts';
import { fieldRules, numberRules, type CellRule, type RowIssue } from './cells.ts';
import { CurrencyBook, type CurrencySettings } from './money.ts';
import { noteText, type SchemaNote } from './notes.ts';
import { findTotalsRows, type DroppedRow, type TotalsResult } from './totals.ts';
import { wrongKindOfFile } from './table-kind.ts';
import type { Decimal } from './values.ts';
import { decideDecimal } from './row-rules.ts';
import { FirstSeen } from './first-seen.ts';
import { hashText } from './packed-text.ts';
import {
  AccountCells,
  FACT_ID_BLANK,
  FACT_TOTALS_MAYBE,
  FACT_TOTALS_NAME,
  FACT_WIDTH,
  findFlagColumns,
  kamErrorsColumn,
  MONEY_FIELDS,
  PERCENT_FIELDS,
  RATING_FIELDS,
  type AccountContext,
  type AccountStore,
  type RatingField,
} from './account-read.ts';
import { AnnotationEffects, percentScales, ratingScales, type AnnotationEffect } from './account-columns.ts';
import { AccountColumnsBuilder, checkRow, moneyColumns, type MoneyColumns, type RowPass } from './account-rows.ts';

export type { RowIssue } from './cells.ts';
export type { DroppedRow } from './totals.ts';
export type { AnnotationEffect } from './account-columns.ts';

/** A rejected input record and why. */
export interface RejectedRow {
  readonly recordIndex: number;
  readonly line: number;
  readonly issues: readonly RowIssue[];
}

/** How the account file's values are read: from flags and config. */
export interface ValueSettings {
  readonly decimal?: Decimal | undefined;
  readonly ratingWords: ReadonlyMap<string, number>;
  readonly ratingScales?: { readonly product_fit?: RatingScale | undefined; readonly strategic_value?: RatingScale | undefined } | undefined;
  readonly currency?: CurrencySettings | undefined;
  /** Boolean flag columns (headers as in the config) whose "yes" adds strategic points. */
  readonly flagColumns?: readonly string[] | undefined;
}

/** The validated accounts, in columns, and everything the reports need to account for every row. */
export interface ParsedAccounts {
  readonly accounts: AccountColumns;
  /** Account i came from record recordIndex[i] of the table. */
  readonly recordIndex: Uint32Array;
  /** Rejected records, in input order. */
  readonly rejected: readonly RejectedRow[];
  readonly decimal: Decimal;
  readonly percentScales: Readonly<Partial<Record<AccountField, 'fraction' | 'percent'>>>;
  readonly ratingScales: Readonly<Partial<Record<'product_fit' | 'strategic_value', RatingScale>>>;
  /** Cells holding bidi-control or zero-width characters (kept, but counted). */
  readonly invisibleCells: number;
  /** Flag columns found (config key -> column index). */
  readonly flagColumns: Readonly<Record<string, number>>;
  /** One-line notes for stderr (e.g. 'retention_rate and churn_risk both given on 2 rows: retention_rate used'), rendered from `noteCodes`. */
  readonly notes: readonly string[];
  /** The notes as codes with their data (schema/notes.ts renders them). */
  readonly noteCodes: readonly SchemaNote[];
  /** What each column's header annotations did to its values (one entry per column and annotation). */
  readonly annotationEffects: readonly AnnotationEffect[];
  /** Records that are not accounts (spreadsheet totals and subtotals), dropped with a note. */
  readonly dropped: readonly DroppedRow[];
  /** The currencies the money values were in (ISO codes, most rows first); empty when no value named one. */
  readonly currencies: readonly string[];
}

/** Suggest headers that look like a missing field, for the "missing required column" error. */
function nearMisses(header: readonly string[], field: string): string[] {
  const words = field.split('_');
  return header.filter((h) => {
    const n = normaliseHeader(h);
    return words.some((w) => w.length > 2 && n.includes(w));
  });
}

/** Delimiters a header read with the wrong one still contains, with how to ask for them. */
const OTHER_DELIMITERS = [
  { char: ';', label: "';'", option: "';'" },
  { char: '\t', label: 'TAB', option: 'tab' },
  { char: '|', label: "'|'", option: "'|'" },
  { char: ',', label: "','", option: "','" },
] as const;

/**
 * The delimiter a header read as too few columns (a ';' file read with `--delimiter ,`)
 * still contains, for the missing-column hint; undefined when the header looks split right.
 */
function otherDelimiter(table: RawTable): { char: string; label: string; option: string } | undefined {
  if (table.header.length !== 1) return undefined;
  return OTHER_DELIMITERS.find((d) => d.char !== table.delimiter && table.header.some((h) => h.includes(d.char)));
}

/** File-level checks: the right kind of file and an account name column (InputError otherwise, with a hint). */
function checkAccountColumns(table: RawTable, fi: ColumnMapping['fieldIndex']): void {
  const wrongKind = wrongKindOfFile(table, 'accounts', fi.account_name);
  if (wrongKind !== undefined) throw new InputError(wrongKind);
  if (fi.account_name !== undefined) return;
  const other = otherDelimiter(table);
  const near = nearMisses(table.header, 'account_name');
  const hint =
    other !== undefined
      ? `; the header contains ${other.label}: use --delimiter ${other.option}`
      : near.length
        ? `; did you mean ${near.map((h) => `--map "${h}=account_name"`).join(' or ')}?`
        : '; use --map "Header=account_name"';
  throw new InputError(`${table.source}: missing required column: account_name (the account's name); found: ${table.header.join(', ')}${hint}`);
}

/** The columns whose number cells say the decimal separator. */
export function numberColumns(fi: ColumnMapping['fieldIndex']): number[] {
  return [...MONEY_FIELDS, ...PERCENT_FIELDS, ...RATING_FIELDS, 'employees' as const].flatMap((f) => (fi[f] === undefined ? [] : [fi[f]]));
}

/** Pass 1 under way: its context, the rating words headers added, the cells read so far. */
export interface AccountsRead {
  readonly ctx: AccountContext;
  readonly wordsAdded: Partial<Record<RatingField, string>>;
  readonly cells: AccountCells;
}

/** The context of every pass: the rules of this export, a header's rating words ('(H/M/L)') extending its column only. */
export function startAccounts(
  head: { readonly source: string; readonly header: readonly string[]; readonly expectedRecords: number },
  mapping: ColumnMapping,
  settings: ValueSettings,
  decimal: Decimal,
): AccountsRead {
  const { source, header } = head;
  const fi = mapping.fieldIndex;
  const annotationsOf = (f: AccountField) => mapping.columns[fi[f]!]?.annotations ?? {};
  const rules = fieldRules(ACCOUNT_FIELDS, numberRules(decimal, settings.ratingWords));
  const wordsAdded: Partial<Record<RatingField, string>> = {};
  for (const f of RATING_FIELDS) {
    if (fi[f] === undefined) continue;
    const extra = columnRatingWords(annotationsOf(f).ratingWords);
    if (extra.size === 0) continue;
    const words = new Map(settings.ratingWords);
    for (const [k, v] of extra) words.set(k, v);
    (rules as Record<string, CellRule<unknown>>)[f] = numberRules(decimal, words).rating;
    wordsAdded[f] = [...extra].map(([k, v]) => `${k.length <= 1 ? k.toUpperCase() : k}=${v}`).join(', ');
  }
  const flagColumns = findFlagColumns(header, settings.flagColumns ?? []);
  const ctx: AccountContext = {
    source,
    header,
    fi,
    annotationsOf,
    colOf: (f) => header[fi[f]!]!,
    decimal,
    rules,
    flagColumns,
    flagKeys: Object.keys(flagColumns),
    currencyColumns: mapping.currencyColumns,
    kamErrorsColumn: kamErrorsColumn(header),
  };
  return { ctx, wordsAdded, cells: new AccountCells(ctx, head.expectedRecords) };
}

/** Spreadsheet totals and subtotals are not accounts: dropped (no longer rejected or passed), with a note naming their lines. */
function dropTotals(ctx: AccountContext, table: RawTable, st: AccountStore, issuesByRecord: Map<number, RowIssue[]>): TotalsResult {
  const { fi } = ctx;
  const sumColumns = [...MONEY_FIELDS.filter((f) => fi[f] !== undefined).map((f) => st.money[f]), ...(fi.employees !== undefined ? [st.employees] : [])];
  const totals = findTotalsRows({
    n: st.n,
    hasIdColumn: fi.account_id !== undefined,
    facts: st.facts,
    bits: { width: FACT_WIDTH, idBlank: FACT_ID_BLANK, label: FACT_TOTALS_NAME, maybe: FACT_TOTALS_MAYBE },
    values: sumColumns,
    readOk: st.readOk,
    passed: st.passed,
    lineOf: (r) => table.lineOf(r),
    nameOf: (r) => table.cellsOf(r)[fi.account_name!]!,
  });
  for (const d of totals.rows) {
    issuesByRecord.delete(d.recordIndex);
    st.passed[d.recordIndex] = 0;
  }
  return totals;
}

/** Where every account id (its name when the file has no id column) was first seen, ragged and totals rows not counting. */
function accountFirstSeen(table: RawTable, st: AccountStore, totals: TotalsResult): FirstSeen {
  // Without an id column, the names are the ids. A passed row's id is read as a hash of its
  // packed characters, not as a string; only ids whose hashes collide are read as text.
  const { account_id: ids, account_name: names } = st.text;
  return new FirstSeen(
    st.n,
    (r) => (st.passed[r] ? (ids.has(r) ? ids : names).at(r) : st.failedIds.get(r)),
    (r) => (st.facts[r]! & FACT_WIDTH) !== 0 && !totals.isDropped(r),
    (r) => table.lineOf(r),
    (r) => {
      if (st.passed[r]) return (ids.has(r) ? ids : names).hash(r);
      const failed = st.failedIds.get(r);
      return failed === undefined ? -1 : hashText(failed);
    },
  );
}

/** What the money header annotations did: a scale, a currency (said once when they changed a value). */
function moneyEffects(ctx: AccountContext, mc: MoneyColumns, effects: AnnotationEffects): void {
  MONEY_FIELDS.forEach((f, m) => {
    if (ctx.fi[f] === undefined) return;
    const currency = ctx.annotationsOf(f).currency?.toUpperCase();
    if (mc.scales[m] !== 1) effects.add(f, 'scale', `values × ${mc.scales[m]}`, mc.valuesIn[m]! > 0);
    if (currency !== undefined) effects.add(f, 'currency', `amounts in ${currency}`, mc.book.hasRates && mc.headerUsed[m]! > 0 && currency !== mc.book.base);
  });
}

/**
 * Validate every record of an accounts table: each becomes a typed account (in columns) or
 * a rejected row with its issues. File-level problems (a missing required column, an
 * undecidable decimal separator) throw InputError. No object per row on the plain path.
 */
export function parseAccounts(table: RawTable, mapping: ColumnMapping, settings: ValueSettings): ParsedAccounts {
  checkAccountColumns(table, mapping.fieldIndex);
  const decimal = decideDecimal(table, numberColumns(mapping.fieldIndex), settings.decimal, 'the number columns', true);
  const n = table.recordCount;
  const read = startAccounts({ source: table.source, header: table.header, expectedRecords: n }, mapping, settings, decimal);
  for (let r = 0; r < n; r++) read.cells.add(r, table.lineOf(r), table.cellsOf(r));
  return finishAccounts(table, read, settings);
}

/**
 * The passes after pass 1, once every record went through it: totals rows, column rules,
 * pass 2 and the notes. Reads a record's cells again (`table.cellsOf`) only for the rare
 * message that quotes one.
 */
export function finishAccounts(table: RawTable, read: AccountsRead, settings: ValueSettings): ParsedAccounts {
  const { ctx, wordsAdded } = read;
  const { store: st, issuesByRecord, invisibleCells } = read.cells;
  const totals = dropTotals(ctx, table, st, issuesByRecord);
  const effects = new AnnotationEffects(ctx);
  const percents = percentScales(ctx, table, st, effects);
  const pass: RowPass = {
    ctx,
    table,
    st,
    percentScales: percents.scales,
    ratings: ratingScales(ctx, st, settings.ratingScales, wordsAdded, effects),
    money: moneyColumns(ctx, new CurrencyBook(settings.currency)),
    firstSeen: accountFirstSeen(table, st, totals),
  };
  const out = new AccountColumnsBuilder(st, ctx.flagKeys, ctx.fi.account_id !== undefined);
  for (let r = 0; r < st.n; r++) {
    if (!st.passed[r]) continue;
    const issues: RowIssue[] = [];
    const values = checkRow(pass, r, issues);
    if (issues.length) issuesByRecord.set(r, dedupeIssues(issues));
    else out.push(r, values, pass.money.factors);
  }
  // Amounts in several currencies with no rates: one error for the file, not a comparison.
  pass.money.book.assertComparable(table.source);
  moneyEffects(ctx, pass.money, effects);
  const rejected: RejectedRow[] = [...issuesByRecord.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([recordIndex, issues]) => ({ recordIndex, line: table.lineOf(recordIndex), issues }));
  const noteCodes: SchemaNote[] = [
    ...totals.notes,
    ...effects.list.filter((e) => e.changed).map(effectNote),
    ...percents.notes,
    ...pass.money.book.noteCodes(),
  ];
  if (out.both > 0) noteCodes.push({ code: 'retention_and_churn', rows: out.both });
  return {
    accounts: out.finish(),
    recordIndex: out.recordIndex,
    rejected,
    decimal: ctx.decimal,
    percentScales: pass.percentScales,
    ratingScales: pass.ratings.scales,
    invisibleCells,
    flagColumns: ctx.flagColumns,
    notes: noteCodes.map(noteText),
    noteCodes,
    annotationEffects: effects.list,
    dropped: totals.rows,
    currencies: pass.money.book.currencies(),
  };
}

/** The note of an annotation that changed how values read. */
function effectNote(e: AnnotationEffect): SchemaNote {
  return { code: 'annotation_applied', header: e.header, effect: e.effect };
}

/** One issue per column and message (two money fields can report the same currency column). */
function dedupeIssues(issues: RowIssue[]): RowIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.column}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** H/M/L are High/Medium/Low: a header naming either form gets both. Keys lower-case. */
const RATING_ABBREVIATIONS: Readonly<Record<string, string>> = { high: 'h', medium: 'm', low: 'l', h: 'high', m: 'medium', l: 'low' };

/** The words a header adds to its rating column ('(H/M/L)' -> h, m, l and high, medium, low). */
function columnRatingWords(words: Readonly<Record<string, number>> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (words === undefined) return out;
  for (const [k, v] of Object.entries(words)) {
    const key = k.trim().toLowerCase();
    if (key === '') continue;
    out.set(key, v);
  }
  for (const [k, v] of [...out]) {
    const other = RATING_ABBREVIATIONS[k];
    if (other !== undefined && !out.has(other)) out.set(other, v);
  }
  return out;
}
