import type * as Zod from 'zod';
import { zod } from './zod.ts';
import {
  checkId,
  isBlank,
  parseBoolean,
  parseDate,
  parseMoney,
  parseNumber,
  parsePercent,
  parseRating,
  stripIdPrefix,
  type Cell,
  type DateFormat,
  type Decimal,
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
  | 'no_rate';

/** What a rule says of one cell: a value (undefined when blank), or a problem. */
export type Checked<T> =
  | { readonly ok: true; readonly value: T | undefined }
  | { readonly ok: false; readonly message: string; readonly code: IssueCode };

export type CellRule<T> = (cell: string) => Checked<T>;

const BLANK = { ok: true, value: undefined } as const;

function fromCell<T>(c: Cell<T>): Checked<T> {
  if (c.kind === 'value') return { ok: true, value: c.value };
  if (c.kind === 'missing') return BLANK;
  return { ok: false, message: c.message, code: 'invalid_value' };
}

function problem(message: string, code: IssueCode = 'invalid_value'): Checked<never> {
  return { ok: false, message, code };
}

/** Trimmed text; blank is missing. */
export const textRule: CellRule<string> = (s) => (isBlank(s) ? BLANK : { ok: true, value: s.trim() });

/** An id stays text (`00123` stays `00123`); an id Excel turned into 1.23457E+11 is flagged. */
export const idRule: CellRule<string> = (s) => {
  if (isBlank(s)) return BLANK;
  const mangled = checkId(s);
  return mangled !== undefined ? problem(mangled, 'id_mangled') : { ok: true, value: stripIdPrefix(s) };
};

/** An ISO currency code. */
export const currencyRule: CellRule<string> = (s) => {
  if (isBlank(s)) return BLANK;
  const c = s.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(c) ? { ok: true, value: c } : problem(`'${s.trim()}' is not an ISO currency code`);
};

/** A yes/no cell. */
export const booleanRule: CellRule<boolean> = (s) => fromCell(parseBoolean(s));

/** The rules whose reading depends on the export's decimal separator (and rating words, date format). */
export interface NumberRules {
  /** Money >= 0. */
  readonly money: CellRule<number>;
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
      const r = fromCell(parseMoney(s, decimal));
      if (r.ok && r.value !== undefined && r.value < 0) return problem(`must not be negative (got ${s.trim()})`, 'out_of_range');
      return r;
    },
    percent: (s) => fromCell(parsePercent(s, decimal)),
    rating: (s) => fromCell(parseRating(s, words, decimal)),
    count: (s) => {
      const r = fromCell(parseNumber(s, decimal));
      // SuiteCRM and others keep employees as free text, often a band: '50-100', '10,001+'.
      if (!r.ok && COUNT_RANGE.test(s)) {
        return problem(`'${s.trim()}' is a range, not a number: write one count, or leave the column out with --map "Header=ignore"`);
      }
      if (r.ok && r.value !== undefined && (!Number.isInteger(r.value) || r.value < 0)) {
        return problem(`must be a whole number >= 0 (got ${s.trim()})`, 'out_of_range');
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
  return ((issue as { params?: { code?: IssueCode } }).params?.code ?? 'invalid_value') as IssueCode;
}
