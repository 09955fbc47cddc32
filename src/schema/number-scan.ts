/**
 * The number tokenizer shared by money, plain numbers, percents and ratings:
 * [currency|sign|'('](*) digits[groups][decimal digits][exponent][suffix k/m/mm/bn]['%']
 * [currency|')'](*), spaces allowed between the parts. It runs once per cell on million-row
 * files, so it scans char codes by hand; each call keeps its state in its own `NumberScan`.
 */
import type { Decimal } from './cell-value.ts';
import { currencyAt } from './currency-text.ts';
import {
  C_0,
  C_APOS,
  C_COMMA,
  C_DOT,
  C_LPAREN,
  C_MINUS,
  C_PERCENT,
  C_PLUS,
  C_RPAREN,
  C_SPACE,
  C_UNICODE_MINUS,
  isDigit,
  isLetterAt,
  lower,
  skipSpace,
} from './text-scan.ts';

/** What the grammar accepts around the digits. */
export const NumberMode = { Number: 0, Money: 1, Percent: 2, /** Ratings: no currency, no suffix, no '%'. */ Plain: 3 } as const;
export type NumberMode = (typeof NumberMode)[keyof typeof NumberMode];

/** Why a scan failed. */
/** Why a scan failed: a syntax error, digits not grouped in threes for the decimal separator, or not a finite double. */
export const ScanFail = { Syntax: 0, Group: 1, Range: 2 } as const;
export type ScanFail = (typeof ScanFail)[keyof typeof ScanFail];

// Parsed from text so every power is the exact double (Math.pow need not be correctly rounded).
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const MAX_EXACT = 2 ** 53;

/** Group-separator class of c under the decimal `dec`: 0 none, 1 the other of '.'/',', 2 apostrophe, 3 space-like. */
export function groupClass(c: number, dec: number): number {
  if (c === C_COMMA || c === C_DOT) return c === dec ? 0 : 1;
  if (c === C_APOS || c === 0x2019) return 2;
  if (c === C_SPACE || c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x2007) return 3;
  return 0;
}

/**
 * One scan of one cell[s, e): the cursor, what has been read, and the outcome. One instance
 * serves every scan (`reset` starts the next): scanNumber's result is read before the next scan.
 */
export class NumberScan {
  i = 0;
  negative = false;
  signed = false;
  paren = false;
  hasCurrency = false;
  /** Digits so far as an integer, with the decimal exponent `exp`. */
  mant = 0;
  exp = 0;
  bodyStart = 0;
  mantEnd = 0;
  groupCls = 0;
  hasExponent = false;
  /** The outcome: the value, or NaN with `fail` saying why. */
  value = Number.NaN;
  fail: ScanFail = ScanFail.Syntax;
  /** A '%' was written (percent mode). */
  percent = false;
  /** What the currency the cell names stands for (money mode): ISO code, family token, or undefined. */
  currency: string | undefined = undefined;

  cell = '';
  /** Where the trimmed cell starts and ends. */
  start = 0;
  e = 0;
  dec = 0;
  mode: NumberMode = NumberMode.Plain;

  /** The state of a new scan of cell[s, e). */
  reset(cell: string, s: number, e: number, dec: number, mode: NumberMode): this {
    this.i = s;
    this.negative = false;
    this.signed = false;
    this.paren = false;
    this.hasCurrency = false;
    this.mant = 0;
    this.exp = 0;
    this.bodyStart = 0;
    this.mantEnd = 0;
    this.groupCls = 0;
    this.hasExponent = false;
    this.value = Number.NaN;
    this.fail = ScanFail.Syntax;
    this.percent = false;
    this.currency = undefined;
    this.cell = cell;
    this.start = s;
    this.e = e;
    this.dec = dec;
    this.mode = mode;
    return this;
  }

  /** A currency at the cursor (money mode, once): taken, true. */
  takeCurrency(): boolean {
    if (this.mode !== NumberMode.Money || this.hasCurrency) return false;
    const m = currencyAt(this.cell, this.i, this.e);
    if (m === undefined) return false;
    this.hasCurrency = true;
    this.currency = m.code;
    this.i = m.end;
    return true;
  }
}

/** Prefix: sign, accounting '(', currency, in any order, each at most once. False: not a number. */
function scanPrefix(sc: NumberScan): boolean {
  const { cell, e, dec } = sc;
  for (;;) {
    sc.i = skipSpace(cell, sc.i, e);
    if (sc.i >= e) return false;
    const c = cell.charCodeAt(sc.i);
    if (isDigit(c) || (c === dec && sc.i + 1 < e && isDigit(cell.charCodeAt(sc.i + 1)))) return true;
    if ((c === C_MINUS || c === C_UNICODE_MINUS || c === C_PLUS) && !sc.signed && !sc.paren) {
      sc.signed = true;
      sc.negative = c !== C_PLUS;
      sc.i++;
      continue;
    }
    if (c === C_LPAREN && !sc.paren && !sc.signed) {
      sc.paren = true;
      sc.i++;
      continue;
    }
    if (sc.takeCurrency()) continue;
    return false;
  }
}

/** Is cell[i+1..i+3] three digits not followed by a fourth? */
function threeDigitsAfter(cell: string, i: number, e: number): boolean {
  return (
    i + 3 < e &&
    isDigit(cell.charCodeAt(i + 1)) &&
    isDigit(cell.charCodeAt(i + 2)) &&
    isDigit(cell.charCodeAt(i + 3)) &&
    (i + 4 >= e || !isDigit(cell.charCodeAt(i + 4)))
  );
}

/** Thousands groups after the first 1-3 digits. False: not a number (fail set when it is a grouping error). */
function scanGroups(sc: NumberScan, intLen: number, firstDigit: number): boolean {
  const { cell, e, dec } = sc;
  const cls = groupClass(cell.charCodeAt(sc.i), dec);
  if (cls !== 0 && cls !== 3 && (intLen > 3 || firstDigit === C_0)) {
    // '1234,567' or '0,123' with decimal '.': not thousands groups.
    sc.fail = ScanFail.Group;
    return false;
  }
  if (cls === 0 || intLen > 3) return true;
  while (sc.i < e) {
    const i = sc.i;
    const k = groupClass(cell.charCodeAt(i), dec);
    if (k === 0) break;
    if (sc.groupCls !== 0 && k !== sc.groupCls) {
      if (k === 3) break; // '1,234 567': the space ends the number, the trailer rejects the rest
      return false; // "1,234'567" mixes two separators
    }
    if (!threeDigitsAfter(cell, i, e)) {
      if (k === 3) break; // '10 20' is two numbers, not a bad group
      sc.fail = ScanFail.Group;
      return false;
    }
    sc.groupCls = k;
    sc.mant = sc.mant * 1000 + (cell.charCodeAt(i + 1) - C_0) * 100 + (cell.charCodeAt(i + 2) - C_0) * 10 + (cell.charCodeAt(i + 3) - C_0);
    sc.i = i + 4;
  }
  return true;
}

/** Digits at the cursor into the mantissa; returns how many. */
function scanDigits(sc: NumberScan): number {
  const { cell, e } = sc;
  const start = sc.i;
  while (sc.i < e) {
    const c = cell.charCodeAt(sc.i);
    if (!isDigit(c)) break;
    sc.mant = sc.mant * 10 + (c - C_0);
    sc.i++;
  }
  return sc.i - start;
}

/** Mantissa: integer digits, thousands groups, decimal digits. False: not a number. */
function scanMantissa(sc: NumberScan): boolean {
  const { cell, e } = sc;
  sc.bodyStart = sc.i;
  const firstDigit = cell.charCodeAt(sc.i);
  const intLen = scanDigits(sc);
  if (intLen > 0 && sc.i < e && !scanGroups(sc, intLen, firstDigit)) return false;
  if (sc.i < e && cell.charCodeAt(sc.i) === sc.dec) {
    sc.i++;
    const fracLen = scanDigits(sc);
    if (fracLen === 0) return false; // '12.' or a lone separator
    sc.exp -= fracLen;
  }
  sc.mantEnd = sc.i;
  return true;
}

/** Exponent, as Salesforce writes doubles ('6.0E7'); not after thousands groups. */
function scanExponent(sc: NumberScan): void {
  const { cell, e } = sc;
  if (sc.groupCls !== 0 || sc.i >= e || (cell.charCodeAt(sc.i) | 0x20) !== 0x65) return;
  let j = sc.i + 1;
  let expNegative = false;
  const c = cell.charCodeAt(j);
  if (c === C_PLUS || c === C_MINUS) {
    expNegative = c === C_MINUS;
    j++;
  }
  // Otherwise the 'e' may start a currency code ('5EUR'); the suffix and trailer decide.
  if (j >= e || !isDigit(cell.charCodeAt(j))) return;
  let n = 0;
  while (j < e && isDigit(cell.charCodeAt(j))) {
    if (n < 100000) n = n * 10 + (cell.charCodeAt(j) - C_0);
    j++;
  }
  sc.exp += expNegative ? -n : n;
  sc.hasExponent = true;
  sc.i = j;
}

/** Suffix: k (1e3), m / mm / mn (1e6), b / bn (1e9), followed by a non-letter. */
function scanSuffix(sc: NumberScan): void {
  if ((sc.mode !== NumberMode.Number && sc.mode !== NumberMode.Money) || sc.hasExponent) return;
  const { cell, e } = sc;
  const j = skipSpace(cell, sc.i, e);
  if (j >= e) return;
  const c = lower(cell.charCodeAt(j));
  let len = 0;
  let power = 0;
  if (c === 0x6b) {
    len = 1;
    power = 3;
  } else if (c === 0x6d) {
    const n = j + 1 < e ? lower(cell.charCodeAt(j + 1)) : 0;
    len = n === 0x6d || n === 0x6e ? 2 : 1;
    power = 6;
  } else if (c === 0x62) {
    len = j + 1 < e && lower(cell.charCodeAt(j + 1)) === 0x6e ? 2 : 1;
    power = 9;
  }
  if (len > 0 && (j + len === e || !isLetterAt(cell, j + len))) {
    sc.exp += power;
    sc.i = j + len;
  }
}

/** A '%' (or fullwidth '％') in percent mode: the value is a hundredth. */
function scanPercentSign(sc: NumberScan): void {
  if (sc.mode !== NumberMode.Percent) return;
  const { cell, e } = sc;
  const j = skipSpace(cell, sc.i, e);
  if (j < e && (cell.charCodeAt(j) === C_PERCENT || cell.charCodeAt(j) === 0xff05)) {
    sc.percent = true;
    sc.exp -= 2;
    sc.i = j + 1;
  }
}

/** Trailer: closing ')' and a currency after the number. False: not a number. */
function scanTrailer(sc: NumberScan): boolean {
  const { cell, e } = sc;
  let closed = false;
  for (;;) {
    sc.i = skipSpace(cell, sc.i, e);
    if (sc.i >= e) break;
    if (cell.charCodeAt(sc.i) === C_RPAREN && sc.paren && !closed) {
      closed = true;
      sc.i++;
      continue;
    }
    if (sc.takeCurrency()) continue;
    return false;
  }
  return sc.paren === closed;
}

/** Correctly rounded value when the fast path cannot be exact (over 2^53 or |exp| > 22): rare. */
function slowValue(cell: string, from: number, to: number, exp: number): number {
  let digits = '';
  for (let k = from; k < to; k++) {
    const c = cell.charCodeAt(k);
    if (isDigit(c)) digits += cell[k]!;
  }
  return Number(`${digits}e${exp}`);
}

/** The value of a scan whose parts all read (never -0). */
function scanValue(sc: NumberScan): number {
  const { mant, exp } = sc;
  const exact = mant < MAX_EXACT;
  let v: number;
  if (exact && exp >= 0 && exp <= 22) v = mant * POW10[exp]!;
  else if (exact && exp < 0 && exp >= -22) v = mant / POW10[-exp]!;
  else v = slowValue(sc.cell, sc.bodyStart, sc.mantEnd, exp);
  if (!Number.isFinite(v)) {
    sc.fail = ScanFail.Range;
    return Number.NaN;
  }
  if (v === 0) return 0;
  return sc.negative || sc.paren ? -v : v;
}

/**
 * The most common cells read in one loop: digits, optionally the decimal separator and more
 * digits, and a '%' at the end in percent mode (`295466`, `102798.06`, `14.1%`). Sets exactly
 * what the full grammar sets for them (the same mantissa, digit by digit); false, having set
 * nothing, for every other cell, which the full grammar reads.
 */
function scanPlain(sc: NumberScan): boolean {
  const { cell, start, e, dec } = sc;
  let i = start;
  let mant = 0;
  for (; i < e; i++) {
    const c = cell.charCodeAt(i);
    if (c < C_0 || c > 0x39) break;
    mant = mant * 10 + (c - C_0);
  }
  if (i === start) return false;
  let exp = 0;
  if (i < e && cell.charCodeAt(i) === dec) {
    const from = ++i;
    for (; i < e; i++) {
      const c = cell.charCodeAt(i);
      if (c < C_0 || c > 0x39) break;
      mant = mant * 10 + (c - C_0);
    }
    if (i === from) return false;
    exp = from - i;
  }
  const mantEnd = i;
  if (i < e) {
    if (sc.mode !== NumberMode.Percent || i + 1 !== e || cell.charCodeAt(i) !== C_PERCENT) return false;
    sc.percent = true;
    exp -= 2;
  }
  sc.bodyStart = start;
  sc.mantEnd = mantEnd;
  sc.mant = mant;
  sc.exp = exp;
  sc.i = e;
  sc.value = scanValue(sc);
  return true;
}

/** The one scan state; no scan calls another, so it is never in use twice (a new instance cost 180 bytes a cell: 40% of pass 1's garbage). */
const SCAN = new NumberScan();

/**
 * Scan the number in cell[s, e) (already trimmed, non-blank): the scan, whose `value` is NaN
 * when it is not one. The result is the shared scan state: read it before the next scan.
 */
export function scanNumber(cell: string, s: number, e: number, decimal: Decimal, mode: NumberMode): NumberScan {
  const sc = SCAN.reset(cell, s, e, decimal === '.' ? C_DOT : C_COMMA, mode);
  if (scanPlain(sc)) return sc;
  if (!scanPrefix(sc) || !scanMantissa(sc)) return sc;
  scanExponent(sc);
  scanSuffix(sc);
  scanPercentSign(sc);
  if (scanTrailer(sc)) sc.value = scanValue(sc);
  return sc;
}
