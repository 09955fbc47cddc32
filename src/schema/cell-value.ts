/**
 * What a cell grammar returns (a value, `missing`, or an error message) and the checks of a
 * cell's characters every row gets: blank, control and invisible characters, spreadsheet
 * errors, and ids Excel mangled. A blank cell is always `missing`, never 0 (RELIABILITY #27).
 */
import { cellProblemText, type CellProblem } from './cell-problems.ts';
import { C_APOS, C_CR, C_HASH, C_LF, C_TAB, equalsIgnoreCase, isSpace, skipSpace, trimEnd, trimStart } from './text-scan.ts';

/** The decimal separator of an export (the other of `.`/`,` groups thousands). */
export type Decimal = '.' | ',';

/** A cell that is not a value: its message (no column/line: the caller adds those), and why. */
export interface CellFailure {
  readonly kind: 'error';
  readonly message: string;
  /** Why, with its data (every grammar's failure has it: see CellError). */
  readonly problem?: CellProblem;
}

/**
 * Result of parsing one cell: missing (blank cell: never 0), a value, or a failure. A value is
 * also `ok`, so the cell rules (cells.ts) hand it on as their own result instead of copying it.
 */
export type Cell<T> = { readonly kind: 'missing' } | { readonly kind: 'value'; readonly ok: true; readonly value: T } | CellFailure;

/**
 * A grammar's failure: its problem (a typed reason with its data) and the problem's words
 * (cell-problems.ts), made once. The problem is an accessor, so a failure compares and
 * prints as its kind and message.
 */
class CellError implements CellFailure {
  readonly kind = 'error';
  readonly message: string;
  readonly #problem: CellProblem;

  constructor(problem: CellProblem) {
    this.#problem = problem;
    this.message = cellProblemText(problem);
  }

  get problem(): CellProblem {
    return this.#problem;
  }
}

export const MISSING: { readonly kind: 'missing' } = Object.freeze({ kind: 'missing' });

export function value<T>(v: T): Cell<T> {
  return { kind: 'value', ok: true, value: v };
}

export function error(problem: CellProblem): CellFailure {
  return new CellError(problem);
}

/** True for '' or whitespace only (including NBSP and narrow NBSP). */
export function isBlank(cell: string): boolean {
  for (let i = 0; i < cell.length; i++) if (!isSpace(cell.charCodeAt(i))) return false;
  return true;
}

const SPREADSHEET_ERRORS: readonly string[] = [
  '#N/A',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#NULL!',
  '#SPILL!',
  '#CALC!',
  '#GETTING_DATA',
  // Newer Excel and Google Sheets errors: the same kind of leftover formula result.
  '#FIELD!',
  '#BLOCKED!',
  '#CONNECT!',
  '#BUSY!',
  '#UNKNOWN!',
  '#ERROR!',
];
const SPREADSHEET_ERRORS_LOWER: readonly string[] = SPREADSHEET_ERRORS.map((e) => e.toLowerCase());

/** The canonical spreadsheet error ('#N/A', '#DIV/0!', ...) the cell holds (trimmed, case-insensitive), else undefined. */
export function spreadsheetError(cell: string): string | undefined {
  const s = trimStart(cell);
  if (s >= cell.length || cell.charCodeAt(s) !== C_HASH) return undefined;
  const e = trimEnd(cell, s);
  for (let k = 0; k < SPREADSHEET_ERRORS_LOWER.length; k++) {
    if (equalsIgnoreCase(cell, s, e, SPREADSHEET_ERRORS_LOWER[k]!)) return SPREADSHEET_ERRORS[k];
  }
  return undefined;
}

/** The error of a cell whose first non-blank char (at s) is '#' and that holds a spreadsheet error, else undefined. */
export function spreadsheetErrorCell(cell: string, s: number): CellFailure | undefined {
  if (cell.charCodeAt(s) !== C_HASH) return undefined;
  const err = spreadsheetError(cell);
  return err === undefined ? undefined : error({ reason: 'spreadsheet_error', error: err });
}

/** True when the cell has a C0 control other than TAB, CR, LF (NUL included), or DEL (0x7F). */
export function hasControlChars(cell: string): boolean {
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (c < 0x20) {
      if (c !== C_TAB && c !== C_LF && c !== C_CR) return true;
    } else if (c === 0x7f) return true;
  }
  return false;
}

/** Number of bidi controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C) and zero-width chars (U+200B-200D, U+2060, U+FEFF). */
export function countInvisible(cell: string): number {
  let n = 0;
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (c < 0x61c) continue;
    if (c === 0x61c || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || c === 0x2060 || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff) {
      n++;
    }
  }
  return n;
}

// Ids

// A German or French Excel writes the mantissa with a decimal comma: 1,23457E+11.
const EXCEL_SCIENTIFIC_ID = /^\s*\d(?:[.,]\d+)?E[+-]?\d+\s*$/i;

/** Why a cell is not an id: Excel mangled it into scientific notation ('1.23457E+11'); else undefined. */
export function idProblem(cell: string): CellProblem | undefined {
  return EXCEL_SCIENTIFIC_ID.test(cell) ? { reason: 'id_scientific', cell } : undefined;
}

/** The message of `idProblem`, else undefined. */
export function checkId(cell: string): string | undefined {
  const p = idProblem(cell);
  return p === undefined ? undefined : cellProblemText(p);
}

/** The id as compared: trimmed, without Zoho's 'zcrm_' prefix or an Odoo/Excel leading apostrophe. */
export function stripIdPrefix(cell: string): string {
  let s = trimStart(cell);
  const e = trimEnd(cell, s);
  if (s < e && (cell.charCodeAt(s) === C_APOS || cell.charCodeAt(s) === 0x2019)) s = skipSpace(cell, s + 1, e);
  if (e - s > 5 && equalsIgnoreCase(cell, s, s + 5, 'zcrm_')) s += 5;
  return s === 0 && e === cell.length ? cell : cell.slice(s, e);
}
