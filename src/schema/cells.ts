import type * as Zod from 'zod';
import { cellProblemText, type CellProblem } from './cell-problems.ts';
import { zod } from './zod.ts';
import { FIELD_TYPES, type Field, type FieldType } from './fields.ts';
import {
  countInvisible,
  idProblem,
  currencyOfText,
  hasControlChars,
  isBlank,
  parseBoolean,
  parseDate,
  parseMoneyCell,
  parseNumber,
  parsePercent,
  parseRating,
  spreadsheetError,
  stripIdPrefix,
  type Cell,
  type DateFormat,
  type Decimal,
  type Money,
} from './values.ts';

/**
 * Cell rules: one explicit rule per kind of cell (CSV cells are strings; never
 * `z.coerce`, which reads '' as 0). Each rule is a plain function, so the hot path can run
 * it directly; `cellSchema` wraps the same rule as a zod schema, which is the row schema's
 * definition and the authority for the issues of a row that fails.
 */

/** Stable codes of row issues (tests assert codes; messages are for people). */
export type IssueCode =
  | 'ragged_row'
  | 'control_char'
  | 'spreadsheet_error'
  | 'invalid_value'
  | 'required'
  | 'duplicate_id'
  | 'id_mangled'
  | 'out_of_range'
  | 'no_rate'
  | 'currency_conflict';

/** What a rule says of one cell: a value (undefined when blank), or a problem in words (cell-problems.ts) with its issue code. */
type Checked<T> = { readonly ok: true; readonly value: T | undefined } | { readonly ok: false; readonly message: string; readonly code: IssueCode };

export type CellRule<T> = (cell: string) => Checked<T>;

const BLANK = { ok: true, value: undefined } as const;

function fromCell<T>(c: Cell<T>): Checked<T> {
  if (c.kind === 'value') return c;
  if (c.kind === 'missing') return BLANK;
  return { ok: false, message: c.message, code: 'invalid_value' };
}

function problem(p: CellProblem, code: IssueCode = 'invalid_value'): Checked<never> {
  return { ok: false, message: cellProblemText(p), code };
}

/** Trimmed text; blank is missing. */
export const textRule: CellRule<string> = (s) => (isBlank(s) ? BLANK : { ok: true, value: s.trim() });

/** An id stays text (`00123` stays `00123`); an id Excel turned into 1.23457E+11 is flagged. */
export const idRule: CellRule<string> = (s) => {
  if (isBlank(s)) return BLANK;
  const mangled = idProblem(s);
  return mangled !== undefined ? problem(mangled, 'id_mangled') : { ok: true, value: stripIdPrefix(s) };
};

/**
 * A currency: an ISO code ('eur'), a symbol ('€'; '$' is the dollar family token), 'US$', or a
 * currency name as Dynamics writes it ('Euro', 'US Dollar', 'Livre sterling'): see values.ts.
 */
export const currencyRule: CellRule<string> = (s) => {
  if (isBlank(s)) return BLANK;
  const c = currencyOfText(s);
  return c !== undefined ? { ok: true, value: c } : problem({ reason: 'not_a_currency', cell: s });
};

/** A yes/no cell. */
export const booleanRule: CellRule<boolean> = (s) => fromCell(parseBoolean(s));

/** The rules whose reading depends on the export's decimal separator (and rating words, date format). */
export interface NumberRules {
  /** Money >= 0, with the currency its cell names. */
  readonly money: CellRule<Money>;
  readonly percent: CellRule<{ readonly value: number; readonly hasSign: boolean }>;
  readonly rating: CellRule<{ readonly number: number } | { readonly word: number }>;
  /** A whole number >= 0. */
  readonly count: CellRule<number>;
  readonly date: CellRule<number>;
}

/** A band of counts, as free-text employee fields hold them: '50-100', '1,001 – 5,000', '10000+'. */
const COUNT_RANGE = /^\s*\d[\d,.\s]*(?:[-\u2013\u2014]\s*\d[\d,.\s]*|\+)\s*$/;

/** Build the number rules for one export. */
export function numberRules(decimal: Decimal, words: ReadonlyMap<string, number>, dateFormat?: DateFormat): NumberRules {
  return {
    money: (s) => {
      const r = fromCell(parseMoneyCell(s, decimal));
      if (r.ok && r.value !== undefined && r.value.amount < 0) return problem({ reason: 'negative', cell: s }, 'out_of_range');
      return r;
    },
    percent: (s) => fromCell(parsePercent(s, decimal)),
    rating: (s) => fromCell(parseRating(s, words, decimal)),
    count: (s) => {
      const r = fromCell(parseNumber(s, decimal));
      // SuiteCRM and others keep employees as free text, often a band: '50-100', '10,001+'.
      if (!r.ok && COUNT_RANGE.test(s)) {
        return problem({ reason: 'count_range', cell: s });
      }
      if (r.ok && r.value !== undefined && (!Number.isInteger(r.value) || r.value < 0)) {
        return problem({ reason: 'not_whole', cell: s }, 'out_of_range');
      }
      return r;
    },
    date: (s) => fromCell(parseDate(s, dateFormat)),
  };
}

/** The zod schema of one cell rule: a string in, the value out; a problem becomes a zod issue with its code. */
export function cellSchema<T>(rule: CellRule<T>) {
  const { z } = zod();
  return z.string().transform((s, ctx): T | undefined => {
    const r = rule(s);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.message, params: { code: r.code } });
    return z.NEVER;
  });
}

/** The issue code a zod issue carries (set by cellSchema), else invalid_value. */
export function issueCode(issue: Zod.core.$ZodIssue): IssueCode {
  return (issue as { params?: { code?: IssueCode } }).params?.code ?? 'invalid_value';
}

/** One problem of one row: the file line, the column header as written, a message. */
export interface RowIssue {
  readonly line: number;
  readonly column: string;
  readonly code: IssueCode;
  readonly message: string;
}

/** Characters that need a closer look: C0 controls (but TAB, CR, LF), DEL, bidi and zero-width marks. */
const SUSPICIOUS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;

/** SUSPICIOUS.test(v), with the regular expression run only on a cell with a control or non-ASCII character (a loop over an ASCII cell costs a third of the call). */
function suspicious(v: string): boolean {
  for (let k = 0; k < v.length; k++) {
    const c = v.charCodeAt(k);
    if (c < 0x20 || c >= 0x7f) return SUSPICIOUS.test(v);
  }
  return false;
}

/**
 * The checks every row of every table gets before its values are read, the same for accounts
 * and deals: the field count, a control character in any cell (every cell is written back
 * out), a spreadsheet error in a mapped cell. Pushes the row's issues onto `out` (the row has
 * issues when `out` grew); returns the number of cells holding bidi or zero-width characters
 * (kept, but counted).
 */
export function checkRowCells(cells: readonly string[], header: readonly string[], mapped: readonly number[], line: number, out: RowIssue[]): number {
  const width = header.length;
  if (cells.length !== width) {
    out.push({ line, column: '(row)', code: 'ragged_row', message: cellProblemText({ reason: 'ragged_row', expected: width, got: cells.length }) });
    return 0;
  }
  let invisible = 0;
  for (let c = 0; c < width; c++) {
    const v = cells[c]!;
    if (!suspicious(v)) continue;
    if (hasControlChars(v)) {
      out.push({ line, column: header[c]!, code: 'control_char', message: cellProblemText({ reason: 'control_char' }) });
    }
    if (countInvisible(v) > 0) invisible++;
  }
  for (const c of mapped) {
    const v = cells[c]!;
    if (v.indexOf('#') < 0) continue;
    const err = spreadsheetError(v);
    if (err !== undefined) {
      out.push({ line, column: header[c]!, code: 'spreadsheet_error', message: cellProblemText({ reason: 'spreadsheet_error', error: err }) });
    }
  }
  return invisible;
}

/** The value a field type's rule reads from a cell. */
export interface FieldValues {
  readonly id: string;
  readonly text: string;
  readonly money: Money;
  readonly percent: { readonly value: number; readonly hasSign: boolean };
  readonly rating: { readonly number: number } | { readonly word: number };
  readonly integer: number;
  readonly boolean: boolean;
  readonly date: number;
  readonly currency: string;
}

/** The rule of each field type (FIELD_TYPES in fields.ts says which type a field is). */
function ruleOfType<T extends FieldType>(type: T, rules: NumberRules): CellRule<FieldValues[T]> {
  const byType: { readonly [K in FieldType]: CellRule<FieldValues[K]> } = {
    id: idRule,
    text: textRule,
    money: rules.money,
    percent: rules.percent,
    rating: rules.rating,
    integer: rules.count,
    boolean: booleanRule,
    date: rules.date,
    currency: currencyRule,
  };
  return byType[type];
}

/** The rule of each field, derived from its type. */
export type FieldRules<F extends Field> = { [K in F]: CellRule<FieldValues[(typeof FIELD_TYPES)[K]]> };

/** The rules of `fields`, each from its type in FIELD_TYPES: one table, no per-file copy. */
export function fieldRules<F extends Field>(fields: readonly F[], rules: NumberRules): FieldRules<F> {
  return Object.fromEntries(fields.map((f) => [f, ruleOfType(FIELD_TYPES[f], rules)])) as FieldRules<F>;
}
