/**
 * The date grammar: ISO 'YYYY-MM-DD' with an optional time and zone, slash dates in the
 * order --date-format gives (M/D/YYYY, D/M/YYYY, YYYY/M/D), and the messages for Excel
 * serials and ambiguous dates. Each call reads its digit runs into its own `DigitRun`.
 */
import { civilFromDays, daysFromCivil } from '../core/calendar.ts';
import type { CellProblem } from './cell-problems.ts';
import { MISSING, error, spreadsheetErrorCell, value, type Cell } from './cell-value.ts';
import { C_0, C_COLON, C_COMMA, C_DOT, C_MINUS, C_PLUS, C_SLASH, isDigit, isLetterAt, isSpace, lower, skipSpace, trimEnd, trimStart } from './text-scan.ts';

/** How slash dates are written, from --date-format. */
export interface DateFormat {
  readonly order: 'MDY' | 'DMY' | 'YMD';
}

const DATE_FORMATS: Readonly<Record<string, DateFormat>> = {
  MDY: Object.freeze({ order: 'MDY' }),
  DMY: Object.freeze({ order: 'DMY' }),
  YMD: Object.freeze({ order: 'YMD' }),
};
const DATE_PART = '(M{1,2}|D{1,2}|Y{2}|Y{4})';
const DATE_SPEC = new RegExp(`^${DATE_PART}[/.\\- ]${DATE_PART}[/.\\- ]${DATE_PART}$|^([MDY])([MDY])([MDY])$`);

/** 'M/D/YYYY', 'D/M/YYYY', 'YYYY/M/D' (also 'MM/DD/YY', 'DD.MM.YYYY', 'MDY', ...) -> the order; else undefined. */
export function parseDateFormat(spec: string): DateFormat | undefined {
  const m = DATE_SPEC.exec(spec.trim().toUpperCase());
  if (m === null) return undefined;
  const parts = m[1] !== undefined ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]];
  return DATE_FORMATS[parts.map((p) => p?.charAt(0) ?? '').join('')];
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** 'YYYY-MM-DD' of a day count since 1970-01-01 (UTC); '' for a non-finite (missing) value. */
export function formatDate(days: number): string {
  if (!Number.isFinite(days)) return '';
  const { y, m, d } = civilFromDays(days);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** The value of the last digit run `digitsAt` read: one per parseDate call, never shared. */
class DigitRun {
  value = 0;
}

/** Reads up to `max` digits at i into `run.value`; returns the index after them. */
function digitsAt(run: DigitRun, s: string, i: number, end: number, max: number): number {
  let n = 0;
  const stop = Math.min(end, i + max);
  let j = i;
  while (j < stop && isDigit(s.charCodeAt(j))) {
    n = n * 10 + (s.charCodeAt(j) - C_0);
    j++;
  }
  run.value = n;
  return j;
}

const TIME_BAD = -2;
const TIME_SYNTAX = -1;

/**
 * Time part starting at i: H[H]:MM[:SS[.fff]], then ' AM/PM' (when `ampm`) or a zone 'Z',
 * '+HH:MM', '+HHMM', '+HH' (when `zone`), then the end. Returns e on success, TIME_BAD for an
 * impossible time, TIME_SYNTAX otherwise. The zone never shifts the date: it is taken as written.
 */
function scanTime(run: DigitRun, s: string, i: number, e: number, ampm: boolean, zone: boolean): number {
  let j = digitsAt(run, s, i, e, 2);
  if (j === i) return TIME_SYNTAX;
  const hour = run.value;
  if (j >= e || s.charCodeAt(j) !== C_COLON) return TIME_SYNTAX;
  let k = digitsAt(run, s, j + 1, e, 2);
  if (k - (j + 1) !== 2) return TIME_SYNTAX;
  let bad = run.value > 59;
  j = k;
  if (j < e && s.charCodeAt(j) === C_COLON) {
    k = digitsAt(run, s, j + 1, e, 2);
    if (k - (j + 1) !== 2) return TIME_SYNTAX;
    if (run.value > 59) bad = true;
    j = k;
    if (j < e && (s.charCodeAt(j) === C_DOT || s.charCodeAt(j) === C_COMMA)) {
      k = digitsAt(run, s, j + 1, e, 9);
      if (k === j + 1) return TIME_SYNTAX;
      j = k;
    }
  }
  let meridiem = false;
  if (ampm) {
    const a = skipSpace(s, j, e);
    if (a + 1 < e) {
      const c0 = lower(s.charCodeAt(a));
      if ((c0 === 0x61 || c0 === 0x70) && lower(s.charCodeAt(a + 1)) === 0x6d && (a + 2 === e || !isLetterAt(s, a + 2))) {
        meridiem = true;
        j = a + 2;
      }
    }
  }
  if (meridiem ? hour < 1 || hour > 12 : hour > 23) bad = true;
  if (zone && j < e) {
    const c = s.charCodeAt(j);
    if (c === 0x5a || c === 0x7a) j++;
    else if (c === C_PLUS || c === C_MINUS) {
      k = digitsAt(run, s, j + 1, e, 2);
      if (k - (j + 1) !== 2) return TIME_SYNTAX;
      if (run.value > 23) bad = true;
      j = k;
      if (j < e && s.charCodeAt(j) === C_COLON) j++;
      if (j < e) {
        k = digitsAt(run, s, j, e, 2);
        if (k - j !== 2) return TIME_SYNTAX;
        if (run.value > 59) bad = true;
        j = k;
      }
    }
  }
  if (skipSpace(s, j, e) !== e) return TIME_SYNTAX;
  return bad ? TIME_BAD : e;
}

const EXCEL_SERIAL_MAX_DIGITS = 6;

/**
 * A date cell -> days since 1970-01-01. ISO 'YYYY-MM-DD' with an optional 'THH:mm[:ss[.SSS]]'
 * or ' HH:mm[:ss]' time and zone (the date is taken as written). Slash dates (M/D/YYYY, M/D/YY,
 * optional ' hh:mm[:ss] [AM|PM]') need `format`; 'YYYY/MM/DD' is read as year-first always.
 */
export function parseDate(cell: string, format?: DateFormat): Cell<number> {
  const s = trimStart(cell);
  if (s === cell.length) return MISSING;
  const e = trimEnd(cell, s);
  const sheet = spreadsheetErrorCell(cell, s);
  if (sheet !== undefined) return sheet;
  const run = new DigitRun();
  let i = digitsAt(run, cell, s, e, 9);
  const len1 = i - s;
  const n1 = run.value;
  if (len1 === 0) return error(notADate(cell, format));
  if (i === e || (cell.charCodeAt(i) === C_DOT && isAllDigits(cell, i + 1, e))) {
    return error(len1 <= EXCEL_SERIAL_MAX_DIGITS ? { reason: 'date_serial', cell } : notADate(cell, format));
  }
  const sep = cell.charCodeAt(i);
  const iso = len1 === 4 && sep === C_MINUS;
  if (!(sep === C_MINUS || sep === C_SLASH || sep === C_DOT) || len1 > 4 || len1 === 3) return error(notADate(cell, format));
  // Second and third parts.
  let j = digitsAt(run, cell, i + 1, e, 4);
  const len2 = j - (i + 1);
  const n2 = run.value;
  if (len2 === 0 || len2 > 2 || j >= e || cell.charCodeAt(j) !== sep) return error(notADate(cell, format));
  i = j + 1;
  j = digitsAt(run, cell, i, e, 5);
  const len3 = j - i;
  const n3 = run.value;
  if (len3 === 0) return error(notADate(cell, format));
  i = j;

  let y: number;
  let m: number;
  let d: number;
  if (len1 === 4 || format?.order === 'YMD') {
    // Year first: ISO, 'YYYY/MM/DD' (never ambiguous), or 'YY/M/D' under --date-format YYYY/M/D.
    if (len3 > 2 || len1 === 1) return error(notADate(cell, format));
    y = len1 === 4 ? n1 : expandYear(n1);
    m = n2;
    d = n3;
  } else {
    if (len3 !== 2 && len3 !== 4) return error(notADate(cell, format));
    if (format === undefined) {
      // Check the rest first, so that garbage still reads as "not a date".
      if (timeTail(run, cell, i, e, false) === TIME_SYNTAX) return error(notADate(cell, format));
      return error({ reason: 'date_ambiguous', cell });
    }
    y = len3 === 4 ? n3 : expandYear(n3);
    if (format.order === 'MDY') {
      m = n1;
      d = n2;
    } else {
      d = n1;
      m = n2;
    }
  }
  const t = timeTail(run, cell, i, e, iso);
  if (t === TIME_SYNTAX) return error(notADate(cell, format));
  if (t === TIME_BAD || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return error({ reason: 'invalid_date', cell });
  return value(daysFromCivil(y, m, d));
}

/** After the date part at i: nothing, or a time ('T' or space for ISO; space for slash dates). */
function timeTail(run: DigitRun, cell: string, i: number, e: number, iso: boolean): number {
  if (i === e) return e;
  const c = cell.charCodeAt(i);
  if (iso && (c === 0x54 || c === 0x74)) return scanTime(run, cell, i + 1, e, false, true);
  if (!isSpace(c)) return TIME_SYNTAX;
  return scanTime(run, cell, skipSpace(cell, i, e), e, !iso, iso);
}

function isAllDigits(s: string, i: number, e: number): boolean {
  if (i >= e) return false;
  for (let k = i; k < e; k++) if (!isDigit(s.charCodeAt(k))) return false;
  return true;
}

/** 2-digit years: 00-69 -> 20xx, 70-99 -> 19xx. */
function expandYear(yy: number): number {
  return yy < 70 ? 2000 + yy : 1900 + yy;
}

function notADate(cell: string, format: DateFormat | undefined): CellProblem {
  return { reason: 'not_a_date', cell, order: format?.order };
}
