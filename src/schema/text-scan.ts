/**
 * Char-code scanning helpers shared by the cell grammars (number, date, currency, rating):
 * whitespace as String.prototype.trim sees it, ASCII case folding, trimming by index and the
 * quoted form of a cell in messages. No regex per call, no intermediate strings.
 */

export const C_TAB = 0x09;
export const C_LF = 0x0a;
export const C_CR = 0x0d;
export const C_SPACE = 0x20;
export const C_HASH = 0x23;
export const C_DOLLAR = 0x24;
export const C_PERCENT = 0x25;
export const C_APOS = 0x27;
export const C_LPAREN = 0x28;
export const C_RPAREN = 0x29;
export const C_PLUS = 0x2b;
export const C_COMMA = 0x2c;
export const C_MINUS = 0x2d;
export const C_DOT = 0x2e;
export const C_SLASH = 0x2f;
export const C_0 = 0x30;
export const C_COLON = 0x3a;
export const C_UNICODE_MINUS = 0x2212;

/** Whitespace as String.prototype.trim sees it (includes NBSP U+00A0, narrow NBSP U+202F, BOM). */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === C_SPACE || (c >= C_TAB && c <= C_CR);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

export function isDigit(c: number): boolean {
  return c >= C_0 && c <= 0x39;
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

const LETTER = /\p{L}/u;

/** Any letter, for word-boundary checks after a suffix or currency abbreviation. */
export function isLetterAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0x80) return isAsciiLetter(c);
  return LETTER.test(s.charAt(i));
}
/** ASCII lower-casing of one char code. */
export function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

export function trimStart(s: string): number {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

export function trimEnd(s: string, start: number): number {
  let e = s.length;
  while (e > start && isSpace(s.charCodeAt(e - 1))) e--;
  return e;
}

/** Skips whitespace and the LRM/RLM/ALM marks right-to-left locales put around numbers ('\u200f1,234.50 \u200f₪'). */
export function skipSpace(s: string, i: number, end: number): number {
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isSpace(c) && c !== 0x200e && c !== 0x200f && c !== 0x61c) break;
  }
  return i;
}

/** Does s[start, end) equal `word` (lower-case ASCII) ignoring ASCII case? */
export function equalsIgnoreCase(s: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    if (lower(s.charCodeAt(start + k)) !== word.charCodeAt(k)) return false;
  }
  return true;
}

const QUOTE_MAX = 60;
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** The trimmed cell for an error message: quoted, control chars made visible, long text cut. */
export function quote(cell: string): string {
  let t = cell.trim();
  if (t.length > QUOTE_MAX) t = `${t.slice(0, QUOTE_MAX)}…`;
  t = t.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${t}'`;
}
