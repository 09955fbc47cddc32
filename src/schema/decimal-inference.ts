/**
 * Decimal-separator inference (RELIABILITY #28): what the number cells of an export say
 * about its decimal separator, from decisive values only; never a guess.
 */
import type { Decimal } from './cell-value.ts';
import { groupClass } from './number-scan.ts';
import { C_0, C_COMMA, C_DOT, C_MINUS, C_PLUS, isDigit } from './text-scan.ts';

/** What the number cells say about the decimal separator; see inferDecimal. */
export interface DecimalEvidence {
  readonly decimal: Decimal | undefined;
  readonly conflict?: { readonly dot: string; readonly comma: string };
  readonly ambiguous?: string;
}

const EV_NONE = 0;
const EV_DOT = 1;
const EV_COMMA = 2;
const EV_AMBIGUOUS = 3;

/** The decimal-separator evidence of one cell (EV_*), from its first run of digits and separators. */
function decimalEvidence(cell: string): number {
  const len = cell.length;
  let i = 0;
  for (; i < len; i++) {
    const c = cell.charCodeAt(i);
    if (isDigit(c)) break;
    if ((c === C_DOT || c === C_COMMA) && i + 1 < len && isDigit(cell.charCodeAt(i + 1))) break;
  }
  if (i >= len) return EV_NONE;
  const leadingZero = cell.charCodeAt(i) === C_0;
  let dots = 0;
  let commas = 0;
  let lastSep = 0;
  let seg = 0; // digits since the last separator of any kind
  let before = -1; // digits in the group just before the first '.'/','
  let otherGroups = false; // spaces or apostrophes grouping digits
  let middleGroupsOfThree = true;
  for (; i < len; i++) {
    const c = cell.charCodeAt(i);
    if (isDigit(c)) {
      seg++;
      continue;
    }
    if (c === C_DOT || c === C_COMMA) {
      if (lastSep === 0) before = seg;
      else if (seg !== 3) middleGroupsOfThree = false;
      if (c === C_DOT) dots++;
      else commas++;
      lastSep = c;
      seg = 0;
      if (i + 1 >= len || !isDigit(cell.charCodeAt(i + 1))) {
        i++;
        break;
      }
      continue;
    }
    if (groupClass(c, 0) >= 2 && seg > 0 && i + 1 < len && isDigit(cell.charCodeAt(i + 1))) {
      if (lastSep === 0) otherGroups = true;
      seg = 0;
      continue;
    }
    break;
  }
  if (lastSep === 0) return EV_NONE;
  const after = seg;
  const sepIsDecimal = lastSep === C_DOT ? EV_DOT : EV_COMMA;
  if (dots > 0 && commas > 0) return sepIsDecimal;
  if (dots + commas === 1) {
    if (after === 0) return EV_NONE;
    if (after !== 3 || before === 0 || before > 3 || leadingZero || otherGroups || exponentAt(cell, i)) return sepIsDecimal;
    return EV_AMBIGUOUS;
  }
  // The same separator several times: valid thousands grouping means the other one is the decimal.
  if (middleGroupsOfThree && after === 3 && before >= 1 && before <= 3 && !leadingZero) {
    return lastSep === C_DOT ? EV_COMMA : EV_DOT;
  }
  return EV_NONE;
}

/** Does an exponent ('E7', 'e-3', 'E+11') start at i? ('EUR' does not.) */
function exponentAt(s: string, i: number): boolean {
  if (i >= s.length || (s.charCodeAt(i) | 0x20) !== 0x65) return false;
  const c = s.charCodeAt(i + 1);
  if (c === C_PLUS || c === C_MINUS) return isDigit(s.charCodeAt(i + 2));
  return isDigit(c);
}

/**
 * The export's decimal separator from all its number cells (RELIABILITY #28): decisive values
 * (`12,5`, `1.234.567`, `1,234.50`, `6.0E7`) must agree; `1.234` alone is ambiguous; no
 * separator at all is '.'. Never a guess: conflict or ambiguity come back with an example.
 */
export function inferDecimal(cells: Iterable<string>): DecimalEvidence {
  const scan = new DecimalScan();
  for (const cell of cells) if (scan.add(cell)) break;
  return scan.result();
}

/** inferDecimal cell by cell, for cells that come block by block: `decisive` once one value settles it (a later one may still conflict). */
export class DecimalScan {
  #dot: string | undefined;
  #comma: string | undefined;
  #ambiguous: string | undefined;

  /** The first decisive value's separator, before the end (the end may still find a conflict). */
  get decisive(): Decimal | undefined {
    return this.#dot !== undefined ? '.' : this.#comma !== undefined ? ',' : undefined;
  }

  /** One more cell; true once both separators were seen (a conflict: nothing more to learn). */
  add(cell: string): boolean {
    const ev = decimalEvidence(cell);
    if (ev === EV_NONE) return false;
    if (ev === EV_DOT) {
      this.#dot ??= cell.trim();
      return this.#comma !== undefined;
    }
    if (ev === EV_COMMA) {
      this.#comma ??= cell.trim();
      return this.#dot !== undefined;
    }
    this.#ambiguous ??= cell.trim();
    return false;
  }

  result(): DecimalEvidence {
    const dot = this.#dot;
    const comma = this.#comma;
    if (dot !== undefined && comma !== undefined) return { decimal: undefined, conflict: { dot, comma } };
    if (dot !== undefined) return { decimal: '.' };
    if (comma !== undefined) return { decimal: ',' };
    if (this.#ambiguous !== undefined) return { decimal: undefined, ambiguous: this.#ambiguous };
    return { decimal: '.' };
  }
}
