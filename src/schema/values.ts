/**
 * Cell value parsing: one CSV text cell -> a typed value, `missing`, or an error message.
 *
 * These run once per cell on million-row files, so they scan char codes by hand: no regex
 * compiled per call, no exceptions, no intermediate strings (only the result, and the
 * message on the error path). A blank cell is always `missing`, never 0 (RELIABILITY #27).
 */
import { civilFromDays, daysFromCivil } from '../core/calendar.ts';

/** The decimal separator of an export (the other of `.`/`,` groups thousands). */
export type Decimal = '.' | ',';

/** Result of parsing one cell: missing (blank cell: never 0), a value, or an error message (no column/line: the caller adds those). */
export type Cell<T> =
  | { readonly kind: 'missing' }
  | { readonly kind: 'value'; readonly value: T }
  | { readonly kind: 'error'; readonly message: string };

const MISSING: { readonly kind: 'missing' } = Object.freeze({ kind: 'missing' });

function value<T>(v: T): Cell<T> {
  return { kind: 'value', value: v };
}

function error(message: string): { readonly kind: 'error'; readonly message: string } {
  return { kind: 'error', message };
}

// ---------------------------------------------------------------------------------------
// Characters

const C_TAB = 0x09;
const C_LF = 0x0a;
const C_CR = 0x0d;
const C_SPACE = 0x20;
const C_HASH = 0x23;
const C_DOLLAR = 0x24;
const C_PERCENT = 0x25;
const C_APOS = 0x27;
const C_LPAREN = 0x28;
const C_RPAREN = 0x29;
const C_PLUS = 0x2b;
const C_COMMA = 0x2c;
const C_MINUS = 0x2d;
const C_DOT = 0x2e;
const C_SLASH = 0x2f;
const C_0 = 0x30;
const C_COLON = 0x3a;
const C_UNICODE_MINUS = 0x2212;

/** Whitespace as String.prototype.trim sees it (includes NBSP U+00A0, narrow NBSP U+202F, BOM). */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === C_SPACE || (c >= C_TAB && c <= C_CR);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function isDigit(c: number): boolean {
  return c >= C_0 && c <= 0x39;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

const LETTER = /\p{L}/u;

/** Any letter, for word-boundary checks after a suffix or currency abbreviation. */
function isLetterAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0x80) return isAsciiLetter(c);
  return LETTER.test(s.charAt(i));
}
/** ASCII lower-casing of one char code. */
function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 32 : c;
}

function trimStart(s: string): number {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

function trimEnd(s: string, start: number): number {
  let e = s.length;
  while (e > start && isSpace(s.charCodeAt(e - 1))) e--;
  return e;
}

/** Skips whitespace and the LRM/RLM/ALM marks right-to-left locales put around numbers ('\u200f1,234.50 \u200f₪'). */
function skipSpace(s: string, i: number, end: number): number {
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isSpace(c) && c !== 0x200e && c !== 0x200f && c !== 0x61c) break;
  }
  return i;
}

/** Does s[start, end) equal `word` (lower-case ASCII) ignoring ASCII case? */
function equalsIgnoreCase(s: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) {
    if (lower(s.charCodeAt(start + k)) !== word.charCodeAt(k)) return false;
  }
  return true;
}

const QUOTE_MAX = 60;
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** The trimmed cell for an error message: quoted, control chars made visible, long text cut. */
function quote(cell: string): string {
  let t = cell.trim();
  if (t.length > QUOTE_MAX) t = `${t.slice(0, QUOTE_MAX)}…`;
  t = t.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${t}'`;
}

// ---------------------------------------------------------------------------------------
// Blank, control and invisible characters, spreadsheet errors

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

/** Message for a cell whose first non-blank char is '#', when it is a spreadsheet error. */
function spreadsheetErrorMessage(cell: string): string | undefined {
  const err = spreadsheetError(cell);
  return err === undefined ? undefined : `contains the spreadsheet error ${err}`;
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
    if (
      c === 0x61c ||
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x202a && c <= 0x202e) ||
      c === 0x2060 ||
      (c >= 0x2066 && c <= 0x2069) ||
      c === 0xfeff
    ) {
      n++;
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------
// Currencies

/** ISO 4217 codes (active ones plus CNH), kept as a bitmap over AAA..ZZZ for allocation-free lookup. */
const ISO_CURRENCIES =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHF CLP CNH CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP ' +
  'GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT ' +
  'LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD ' +
  'OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN ' +
  'SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF ' +
  'XPF YER ZAR ZMW ZWG ZWL';
const ISO_BITMAP = new Uint8Array(26 * 26 * 26);
for (const code of ISO_CURRENCIES.split(' ')) {
  ISO_BITMAP[(code.charCodeAt(0) - 65) * 676 + (code.charCodeAt(1) - 65) * 26 + (code.charCodeAt(2) - 65)] = 1;
}

function isIsoCurrencyAt(s: string, i: number): boolean {
  const a = lower(s.charCodeAt(i)) - 0x61;
  const b = lower(s.charCodeAt(i + 1)) - 0x61;
  const c = lower(s.charCodeAt(i + 2)) - 0x61;
  return ISO_BITMAP[a * 676 + b * 26 + c] === 1;
}

/** Unicode currency symbols (category Sc, minus the ones that are also other punctuation). */
function isCurrencySymbol(c: number): boolean {
  return (
    c === C_DOLLAR ||
    (c >= 0xa2 && c <= 0xa5) ||
    c === 0x58f ||
    c === 0x60b ||
    c === 0x9f2 ||
    c === 0x9f3 ||
    c === 0xe3f ||
    c === 0x17db ||
    (c >= 0x20a0 && c <= 0x20c0) ||
    c === 0xfdfc ||
    c === 0xff04 ||
    c === 0xffe0 ||
    c === 0xffe1 ||
    c === 0xffe5 ||
    c === 0xffe6
  );
}

/**
 * Currencies a symbol or abbreviation can stand for. A cell that says only '$' names a dollar
 * (or peso), not USD: `resolveCurrency` (schema/money.ts) settles it from the row's other
 * currency information, the config base, then `fallback`. Tokens are what `lastMoneyCurrency`
 * and `currencyOfText` return for them.
 */
export interface CurrencyFamily {
  readonly token: string;
  readonly members: readonly string[];
  /** What the symbol means when nothing else in the row or config settles it (undefined: stays unknown). */
  readonly fallback: string | undefined;
}

export const CURRENCY_FAMILIES: Readonly<Record<string, CurrencyFamily>> = {
  $: {
    token: '$',
    members: ['USD', 'CAD', 'AUD', 'NZD', 'HKD', 'SGD', 'MXN', 'TWD', 'ARS', 'CLP', 'COP', 'CUP', 'DOP', 'UYU', 'JMD', 'TTD', 'BSD', 'BBD', 'BZD', 'BMD', 'KYD', 'XCD', 'FJD', 'SBD', 'LRD', 'NAD', 'SRD', 'GYD', 'BND'],
    fallback: 'USD',
  },
  '¥': { token: '¥', members: ['JPY', 'CNY', 'CNH'], fallback: 'JPY' },
  kr: { token: 'kr', members: ['SEK', 'NOK', 'DKK', 'ISK'], fallback: undefined },
  Rs: { token: 'Rs', members: ['INR', 'PKR', 'LKR', 'NPR', 'MUR', 'SCR'], fallback: undefined },
};

/** The family of a token ('$', '¥', 'kr', 'Rs'), else undefined (an ISO code). */
export function currencyFamily(code: string): CurrencyFamily | undefined {
  return Object.hasOwn(CURRENCY_FAMILIES, code) ? CURRENCY_FAMILIES[code] : undefined;
}

/** Currency symbols -> ISO code or family token; a symbol not listed is checked for form only (no currency). */
const SYMBOL_CURRENCY: ReadonlyMap<number, string> = new Map([
  [0x24, '$'], [0xff04, '$'], [0x20ac, 'EUR'], [0xa3, 'GBP'], [0xffe1, 'GBP'], [0xa5, '¥'], [0xffe5, '¥'],
  [0x20b9, 'INR'], [0x20a9, 'KRW'], [0xffe6, 'KRW'], [0x20bd, 'RUB'], [0x20ba, 'TRY'], [0x20aa, 'ILS'], [0x20ab, 'VND'],
  [0x20b1, 'PHP'], [0xe3f, 'THB'], [0x20b4, 'UAH'], [0x20a6, 'NGN'], [0x20a1, 'CRC'], [0x20b2, 'PYG'], [0x20b5, 'GHS'],
  [0x20b8, 'KZT'], [0x20bc, 'AZN'], [0x20be, 'GEL'], [0x9f3, 'BDT'], [0x20ae, 'MNT'], [0x20ad, 'LAK'], [0x17db, 'KHR'],
  [0x60b, 'AFN'], [0x58f, 'AMD'],
]);

/** Local currency abbreviations seen in exports, longest first so 'Fr.' wins over 'Fr', with what they name. */
const CURRENCY_WORDS: readonly (readonly [string, string])[] = [
  ['SFr.', 'CHF'], ['Fr.', 'CHF'], ['Fr', 'CHF'], ['kr.', 'kr'], ['kr', 'kr'], ['Kr', 'kr'], ['zł', 'PLN'], ['Kč', 'CZK'],
  ['Ft', 'HUF'], ['Rs.', 'Rs'], ['Rs', 'Rs'], ['Rp', 'IDR'], ['RMB', 'CNY'], ['RM', 'MYR'], ['lei', 'RON'],
];

/** Country prefixes glued to '$' ('US$ 1,200'); an unknown prefix is a dollar of some country. */
const DOLLAR_PREFIXES: Readonly<Record<string, string>> = {
  US: 'USD', U: 'USD', R: 'BRL', A: 'AUD', AU: 'AUD', C: 'CAD', CA: 'CAD', NZ: 'NZD', HK: 'HKD', S: 'SGD', SG: 'SGD',
  MX: 'MXN', NT: 'TWD', RD: 'DOP', N: 'NAD', J: 'JMD', TT: 'TTD',
};

/**
 * Currency names as Dynamics 365 writes them (the currency record's name, in the UI language)
 * and as CLDR names them in English, French, German, Spanish, Portuguese, Italian and Dutch.
 * Keys lower-case NFC. Longest first, so 'us dollar' is tried before 'dollar' would be.
 */
const CURRENCY_NAMES: readonly (readonly [string, string])[] = (
  [
    ['EUR', ['euro', 'euros']],
    ['USD', ['us dollar', 'u.s. dollar', 'us dollars', 'united states dollar', 'dollar us', 'dollar américain', 'dollar des états-unis', 'us-dollar',
      'amerikanischer dollar', 'dólar estadounidense', 'dólar estadunidense', 'dólar de ee. uu.', 'dólar americano', 'dólar dos eua', 'dólar norte-americano',
      'dollaro statunitense', 'dollaro usa', 'dollaro americano', 'amerikaanse dollar']],
    ['GBP', ['pound sterling', 'british pound', 'livre sterling', 'pfund sterling', 'britisches pfund', 'libra esterlina', 'sterlina britannica',
      'lira sterlina', 'brits pond', 'pond sterling']],
    ['JPY', ['japanese yen', 'yen japonais', 'japanischer yen', 'yen japonés', 'iene japonês', 'yen giapponese', 'japanse yen']],
    ['CHF', ['swiss franc', 'franc suisse', 'schweizer franken', 'franco suizo', 'franco suíço', 'franco svizzero', 'zwitserse frank']],
    ['CAD', ['canadian dollar', 'dollar canadien', 'kanadischer dollar', 'dólar canadiense', 'dólar canadense', 'dollaro canadese', 'canadese dollar']],
    ['AUD', ['australian dollar', 'dollar australien', 'australischer dollar', 'dólar australiano', 'dollaro australiano', 'australische dollar']],
    ['CNY', ['chinese yuan', 'yuan renminbi', 'renminbi', 'yuan chinois', 'chinesischer yuan', 'yuan chino', 'yuan chinês', 'yuan cinese', 'chinese yuan renminbi']],
    ['SEK', ['swedish krona', 'couronne suédoise', 'schwedische krone', 'corona sueca', 'coroa sueca', 'corona svedese', 'zweedse kroon']],
    ['NOK', ['norwegian krone', 'couronne norvégienne', 'norwegische krone', 'corona noruega', 'coroa norueguesa', 'corona norvegese', 'noorse kroon']],
    ['DKK', ['danish krone', 'couronne danoise', 'dänische krone', 'corona danesa', 'coroa dinamarquesa', 'corona danese', 'deense kroon']],
    ['INR', ['indian rupee', 'roupie indienne', 'indische rupie', 'rupia india', 'rupia indiana', 'indiase roepie']],
  ] as const
)
  .flatMap(([code, names]) => names.map((n) => [n, code] as const))
  .sort((a, b) => b[0].length - a[0].length);

/** ISO code strings by bitmap index, so a matched code is returned without building a string. */
const ISO_CODE_AT: string[] = [];
for (const code of ISO_CURRENCIES.split(' ')) {
  ISO_CODE_AT[(code.charCodeAt(0) - 65) * 676 + (code.charCodeAt(1) - 65) * 26 + (code.charCodeAt(2) - 65)] = code;
}

function isoCodeAt(s: string, i: number): string {
  return ISO_CODE_AT[(lower(s.charCodeAt(i)) - 0x61) * 676 + (lower(s.charCodeAt(i + 1)) - 0x61) * 26 + (lower(s.charCodeAt(i + 2)) - 0x61)]!;
}

// Scratch output of `currencyAt`: what the currency it matched names (ISO code, family token, or undefined).
let matchedCurrency: string | undefined;

/** CURRENCY_NAMES by the char code of their first letter (longest first within each). */
const NAMES_BY_FIRST = new Map<number, (readonly [string, string])[]>();
for (const entry of CURRENCY_NAMES) {
  const c = entry[0].charCodeAt(0);
  const list = NAMES_BY_FIRST.get(c);
  if (list) list.push(entry);
  else NAMES_BY_FIRST.set(c, [entry]);
}

/** A currency name (any case) at i followed by a non-letter: the index after it, else -1; sets matchedCurrency. */
function currencyNameAt(s: string, i: number, end: number): number {
  const names = NAMES_BY_FIRST.get(lower(s.charCodeAt(i)));
  if (names === undefined) return -1;
  for (let k = 0; k < names.length; k++) {
    const [name, code] = names[k]!;
    const after = i + name.length;
    if (after > end) continue;
    if (s.slice(i, after).toLowerCase() === name && (after === end || !isLetterAt(s, after))) {
      matchedCurrency = code;
      return after;
    }
  }
  return -1;
}

/**
 * If a currency (symbol, ISO code, 'US$'-style prefix, local abbreviation, currency name)
 * starts at i, the index after it and `matchedCurrency` set to what it names; else -1.
 */
function currencyAt(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (isCurrencySymbol(c)) {
    matchedCurrency = SYMBOL_CURRENCY.get(c);
    return i + 1;
  }
  if (!isAsciiLetter(c)) return c >= 0x80 ? currencyNameAt(s, i, end) : -1;
  let j = i + 1;
  while (j < end && isAsciiLetter(s.charCodeAt(j))) j++;
  const run = j - i;
  // An ISO code first: the common case ('USD 40,000', a currency column's 'EUR').
  if (run === 3 && isIsoCurrencyAt(s, i) && (j === end || !isLetterAt(s, j))) {
    matchedCurrency = isoCodeAt(s, i);
    return j;
  }
  for (let k = 0; k < CURRENCY_WORDS.length; k++) {
    const [w, code] = CURRENCY_WORDS[k]!;
    const after = i + w.length;
    if (after <= end && s.startsWith(w, i) && (after === end || !isLetterAt(s, after))) {
      matchedCurrency = code;
      return after;
    }
  }
  const named = currencyNameAt(s, i, end);
  if (named > 0) return named;
  // 'US$', 'R$', 'A$', 'HK$': a short upper-case country prefix glued to '$'.
  if (run <= 3 && j < end && s.charCodeAt(j) === C_DOLLAR) {
    for (let k = i; k < j; k++) if (s.charCodeAt(k) > 0x5a) return -1;
    const prefix = s.slice(i, j);
    matchedCurrency = Object.hasOwn(DOLLAR_PREFIXES, prefix) ? DOLLAR_PREFIXES[prefix] : '$';
    return j + 1;
  }
  return -1;
}

/**
 * What a currency cell names: an ISO code ('eur' -> 'EUR'), a symbol ('€' -> 'EUR', '$' -> the
 * '$' family token), 'US$', an abbreviation ('kr'), or a currency name ('Euro', 'US Dollar',
 * 'Livre sterling'); undefined when the text is none of these (or blank).
 */
export function currencyOfText(cell: string): string | undefined {
  const s = trimStart(cell);
  if (s === cell.length) return undefined;
  const e = trimEnd(cell, s);
  matchedCurrency = undefined;
  const after = currencyAt(cell, s, e);
  if (after < 0 || skipSpace(cell, after, e) !== e) return undefined;
  return matchedCurrency;
}

// ---------------------------------------------------------------------------------------
// The number tokenizer shared by money, numbers, percents and ratings

const MODE_NUMBER = 0;
const MODE_MONEY = 1;
const MODE_PERCENT = 2;
const MODE_PLAIN = 3; // ratings: no currency, no suffix, no '%'

const FAIL_SYNTAX = 0;
const FAIL_GROUP = 1;
const FAIL_RANGE = 2;

// Scratch outputs of `scan` (single-threaded, read right after the call): avoids a result object.
let scanFail = FAIL_SYNTAX;
let scanPercent = false;
let scanCurrency: string | undefined;

// Parsed from text so every power is the exact double (Math.pow need not be correctly rounded).
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const MAX_EXACT = 2 ** 53;

/** Group-separator class of c under the decimal `dec`: 0 none, 1 the other of '.'/',', 2 apostrophe, 3 space-like. */
function groupClass(c: number, dec: number): number {
  if (c === C_COMMA || c === C_DOT) return c === dec ? 0 : 1;
  if (c === C_APOS || c === 0x2019) return 2;
  if (c === C_SPACE || c === 0xa0 || c === 0x202f || c === 0x2009 || c === 0x2007) return 3;
  return 0;
}

/**
 * Parse the number in cell[s, e) (already trimmed, non-blank). Returns the value, or NaN with
 * `scanFail` set. Grammar: [currency|sign|'('](*) digits[groups][decimal digits][exponent]
 * [suffix k/m/mm/bn]['%'][currency|')'](*), spaces allowed between the parts.
 */
function scan(cell: string, s: number, e: number, decimal: Decimal, mode: number): number {
  scanFail = FAIL_SYNTAX;
  scanPercent = false;
  scanCurrency = undefined;
  const dec = decimal === '.' ? C_DOT : C_COMMA;
  let i = s;
  let negative = false;
  let signed = false;
  let paren = false;
  let currency = false;

  // Prefix: sign, accounting '(', currency, in any order, each at most once.
  for (;;) {
    i = skipSpace(cell, i, e);
    if (i >= e) return NaN;
    const c = cell.charCodeAt(i);
    if (isDigit(c) || (c === dec && i + 1 < e && isDigit(cell.charCodeAt(i + 1)))) break;
    if ((c === C_MINUS || c === C_UNICODE_MINUS || c === C_PLUS) && !signed && !paren) {
      signed = true;
      negative = c !== C_PLUS;
      i++;
      continue;
    }
    if (c === C_LPAREN && !paren && !signed) {
      paren = true;
      i++;
      continue;
    }
    if (mode === MODE_MONEY && !currency) {
      const after = currencyAt(cell, i, e);
      if (after > 0) {
        currency = true;
        scanCurrency = matchedCurrency;
        i = after;
        continue;
      }
    }
    return NaN;
  }

  // Mantissa: digits accumulate into an integer `mant` with a decimal exponent `exp`.
  const bodyStart = i;
  let mant = 0;
  let exp = 0;
  const firstDigit = cell.charCodeAt(i);
  while (i < e) {
    const c = cell.charCodeAt(i);
    if (!isDigit(c)) break;
    mant = mant * 10 + (c - C_0);
    i++;
  }
  const intLen = i - bodyStart;
  let groupCls = 0;
  if (intLen > 0 && i < e) {
    const cls = groupClass(cell.charCodeAt(i), dec);
    if (cls !== 0 && cls !== 3 && (intLen > 3 || firstDigit === C_0)) {
      // '1234,567' or '0,123' with decimal '.': not thousands groups.
      scanFail = FAIL_GROUP;
      return NaN;
    }
    if (cls !== 0 && intLen <= 3) {
      while (i < e) {
        const k = groupClass(cell.charCodeAt(i), dec);
        if (k === 0) break;
        if (groupCls !== 0 && k !== groupCls) {
          if (k === 3) break; // '1,234 567': the space ends the number, the trailer rejects the rest
          return NaN; // "1,234'567" mixes two separators
        }
        const three =
          i + 3 < e &&
          isDigit(cell.charCodeAt(i + 1)) &&
          isDigit(cell.charCodeAt(i + 2)) &&
          isDigit(cell.charCodeAt(i + 3)) &&
          (i + 4 >= e || !isDigit(cell.charCodeAt(i + 4)));
        if (!three) {
          if (k === 3) break; // '10 20' is two numbers, not a bad group
          scanFail = FAIL_GROUP;
          return NaN;
        }
        groupCls = k;
        mant = mant * 1000 + (cell.charCodeAt(i + 1) - C_0) * 100 + (cell.charCodeAt(i + 2) - C_0) * 10 + (cell.charCodeAt(i + 3) - C_0);
        i += 4;
      }
    }
  }
  let fracLen = 0;
  if (i < e && cell.charCodeAt(i) === dec) {
    i++;
    const fracStart = i;
    while (i < e) {
      const c = cell.charCodeAt(i);
      if (!isDigit(c)) break;
      mant = mant * 10 + (c - C_0);
      i++;
    }
    fracLen = i - fracStart;
    if (fracLen === 0) return NaN; // '12.' or a lone separator
    exp -= fracLen;
  }
  const exact = mant < MAX_EXACT;
  const mantEnd = i;

  // Exponent, as Salesforce writes doubles ('6.0E7'); not after thousands groups.
  let hasExponent = false;
  if (groupCls === 0 && i < e && (cell.charCodeAt(i) | 0x20) === 0x65) {
    let j = i + 1;
    let expNegative = false;
    const sc = cell.charCodeAt(j);
    if (sc === C_PLUS || sc === C_MINUS) {
      expNegative = sc === C_MINUS;
      j++;
    }
    if (j < e && isDigit(cell.charCodeAt(j))) {
      let n = 0;
      while (j < e && isDigit(cell.charCodeAt(j))) {
        if (n < 100000) n = n * 10 + (cell.charCodeAt(j) - C_0);
        j++;
      }
      exp += expNegative ? -n : n;
      hasExponent = true;
      i = j;
    }
    // Otherwise the 'e' may start a currency code ('5EUR'); the suffix loop decides.
  }

  // Suffix: k (1e3), m / mm / mn (1e6), b / bn (1e9), followed by a non-letter.
  if ((mode === MODE_NUMBER || mode === MODE_MONEY) && !hasExponent) {
    const j = skipSpace(cell, i, e);
    if (j < e) {
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
        exp += power;
        i = j + len;
      }
    }
  }

  if (mode === MODE_PERCENT) {
    const j = skipSpace(cell, i, e);
    if (j < e && (cell.charCodeAt(j) === C_PERCENT || cell.charCodeAt(j) === 0xff05)) {
      scanPercent = true;
      exp -= 2;
      i = j + 1;
    }
  }

  // Trailer: closing ')' and a currency after the number.
  let closed = false;
  for (;;) {
    i = skipSpace(cell, i, e);
    if (i >= e) break;
    const c = cell.charCodeAt(i);
    if (c === C_RPAREN && paren && !closed) {
      closed = true;
      i++;
      continue;
    }
    if (mode === MODE_MONEY && !currency) {
      const after = currencyAt(cell, i, e);
      if (after > 0) {
        currency = true;
        scanCurrency = matchedCurrency;
        i = after;
        continue;
      }
    }
    return NaN;
  }
  if (paren !== closed) return NaN;

  let v: number;
  if (exact && exp >= 0 && exp <= 22) v = mant * POW10[exp]!;
  else if (exact && exp < 0 && exp >= -22) v = mant / POW10[-exp]!;
  else v = slowValue(cell, bodyStart, mantEnd, exp);
  if (!Number.isFinite(v)) {
    scanFail = FAIL_RANGE;
    return NaN;
  }
  if (v === 0) return 0; // never -0
  return negative || paren ? -v : v;
}

/** Correctly rounded value when the fast path cannot be exact (over 2^53 or |exp| > 22): rare. */
function slowValue(cell: string, from: number, to: number, exp: number): number {
  let digits = '';
  for (let k = from; k < to; k++) {
    const c = cell.charCodeAt(k);
    if (isDigit(c)) digits += cell[k];
  }
  return Number(`${digits}e${exp}`);
}

function numberError(cell: string, what: string, decimal: Decimal): string {
  if (scanFail === FAIL_GROUP) return `${quote(cell)} is not ${what}: digits must be grouped in threes (decimal separator '${decimal}')`;
  if (scanFail === FAIL_RANGE) return `${quote(cell)} is out of range`;
  return `${quote(cell)} is not ${what}`;
}

function parseWith(cell: string, decimal: Decimal, mode: number, what: string): Cell<number> {
  const s = trimStart(cell);
  if (s === cell.length) return MISSING;
  const e = trimEnd(cell, s);
  const v = scan(cell, s, e, decimal, mode);
  if (v === v) return value(v); // not NaN
  if (cell.charCodeAt(s) === C_HASH) {
    const m = spreadsheetErrorMessage(cell);
    if (m !== undefined) return error(m);
  }
  return error(numberError(cell, what, decimal));
}

/**
 * A money amount: `$1,234.50`, `1.234,50 €`, `USD 1,234`, `(1,200)`, `-$1,200`, `6.0E7`, `$10M`,
 * `1.234,56 Euro`. The currency the cell names is kept for `lastMoneyCurrency`.
 */
export function parseMoney(cell: string, decimal: Decimal): Cell<number> {
  return parseWith(cell, decimal, MODE_MONEY, 'an amount');
}

/**
 * The currency named by the cell of the last `parseMoney` call (read it right after the call):
 * an ISO code ('EUR' for `€`, `EUR`, `Euro`), a family token ('$', '¥', 'kr', 'Rs': see
 * CURRENCY_FAMILIES), or undefined when the cell names none (or a symbol kam does not know).
 * A scratch value rather than part of the result, so the plain path allocates nothing more.
 */
export function lastMoneyCurrency(): string | undefined {
  return scanCurrency;
}

/** A plain number (the money grammar without currency), e.g. employee counts: `1,200`, `12k`, `500000.0`. */
export function parseNumber(cell: string, decimal: Decimal): Cell<number> {
  return parseWith(cell, decimal, MODE_NUMBER, 'a number');
}

/**
 * Is the cell a number in an export with this decimal separator: an amount (`-$1,200`,
 * `(1,200)`, `-12k`, `-USD 5`, `−4.5`) or a percent (`-20,3 %`, `+3 %`)? The CSV writer asks
 * it before it guards a cell starting with `-` or `+`, so kam never turns a number into text.
 */
export function isNumberCell(cell: string, decimal: Decimal): boolean {
  const s = trimStart(cell);
  if (s === cell.length) return false;
  const e = trimEnd(cell, s);
  const amount = scan(cell, s, e, decimal, MODE_MONEY);
  if (amount === amount) return true; // not NaN
  const percent = scan(cell, s, e, decimal, MODE_PERCENT);
  return percent === percent;
}

/** A percent cell: '35%' -> {0.35, hasSign: true}; bare '35' -> {35, false} (the column decides, see resolvePercentColumn). */
export function parsePercent(cell: string, decimal: Decimal): Cell<{ readonly value: number; readonly hasSign: boolean }> {
  const s = trimStart(cell);
  if (s === cell.length) return MISSING;
  const e = trimEnd(cell, s);
  const v = scan(cell, s, e, decimal, MODE_PERCENT);
  if (v === v) return value({ value: v, hasSign: scanPercent });
  if (cell.charCodeAt(s) === C_HASH) {
    const m = spreadsheetErrorMessage(cell);
    if (m !== undefined) return error(m);
  }
  return error(numberError(cell, 'a percentage', decimal));
}

/** SCORING.md §1: bare percent values all within -1..1 are fractions, else percents (35 -> 0.35). NaN is skipped; empty -> 'fraction'. */
export function resolvePercentColumn(bareValues: Iterable<number>): 'fraction' | 'percent' {
  for (const v of bareValues) if (v < -1 || v > 1) return 'percent';
  return 'fraction';
}

// ---------------------------------------------------------------------------------------
// Ratings and booleans

/** SCORING.md §2 rating words (keys lower-case): High/Medium/Low and Salesforce's Hot/Warm/Cold. */
export const DEFAULT_RATING_WORDS: ReadonlyMap<string, number> = new Map([
  ['high', 100],
  ['medium', 50],
  ['low', 0],
  ['hot', 100],
  ['warm', 50],
  ['cold', 0],
  // The same three levels in the CRM UI languages kam reads headers in (German, French,
  // Spanish, Portuguese, Italian, Dutch), accented and folded.
  ['hoch', 100],
  ['mittel', 50],
  ['niedrig', 0],
  ['élevé', 100],
  ['eleve', 100],
  ['moyen', 50],
  ['faible', 0],
  ['alto', 100],
  ['alta', 100],
  ['medio', 50],
  ['media', 50],
  ['médio', 50],
  ['média', 50],
  ['bajo', 0],
  ['baja', 0],
  ['baixo', 0],
  ['baixa', 0],
  ['basso', 0],
  ['bassa', 0],
  ['hoog', 100],
  ['gemiddeld', 50],
  ['laag', 0],
]);

/** The default words that translate High/Medium/Low (shown in messages as one phrase, not 24 words). */
const TRANSLATED_DEFAULTS: ReadonlySet<string> = new Set([...DEFAULT_RATING_WORDS.keys()].filter((k) => !['high', 'medium', 'low', 'hot', 'warm', 'cold'].includes(k)));

interface RatingLookup {
  readonly keys: readonly string[];
  readonly values: readonly number[];
  readonly ascii: boolean;
  readonly expected: string;
}
const RATING_LOOKUPS = new WeakMap<ReadonlyMap<string, number>, RatingLookup>();
const WORD_START = /(^|[\s-])(\p{Ll})/gu;

function ratingLookup(words: ReadonlyMap<string, number>): RatingLookup {
  let lookup = RATING_LOOKUPS.get(words);
  if (lookup === undefined) {
    const keys: string[] = [];
    const values: number[] = [];
    for (const [k, v] of words) {
      keys.push(k.trim().toLowerCase());
      values.push(v);
    }
    const ascii = keys.every((k) => [...k].every((ch) => ch.charCodeAt(0) < 0x80));
    // The message names the words beyond the translated defaults, and the defaults in English.
    const isTranslatedDefault = (k: string, i: number): boolean => TRANSLATED_DEFAULTS.has(k) && DEFAULT_RATING_WORDS.get(k) === values[i];
    const shown = keys.filter((k, i) => !isTranslatedDefault(k, i));
    const titles = shown.map((k) => k.replace(WORD_START, (_m, pre: string, ch: string) => pre + ch.toUpperCase()));
    const also = keys.some(isTranslatedDefault) ? ' (or High/Medium/Low in German, French, Spanish, Portuguese, Italian or Dutch)' : '';
    lookup = { keys, values, ascii, expected: `expected a number or one of: ${titles.join(', ')}${also}` };
    RATING_LOOKUPS.set(words, lookup);
  }
  return lookup;
}

/**
 * A rating: a number -> {number} (the column's scale is the caller's), or a word from `words`
 * (trimmed, case-insensitive; keys lower-case) -> {word: 0..100}.
 */
export function parseRating(
  cell: string,
  words: ReadonlyMap<string, number>,
  decimal: Decimal,
): Cell<{ readonly number: number } | { readonly word: number }> {
  const s = trimStart(cell);
  if (s === cell.length) return MISSING;
  const e = trimEnd(cell, s);
  const v = scan(cell, s, e, decimal, MODE_PLAIN);
  if (v === v) return value({ number: v });
  if (scanFail !== FAIL_SYNTAX) return error(numberError(cell, 'a number', decimal));
  const lookup = ratingLookup(words);
  let ascii = true;
  for (let k = s; k < e; k++) {
    if (cell.charCodeAt(k) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    for (let k = 0; k < lookup.keys.length; k++) {
      if (equalsIgnoreCase(cell, s, e, lookup.keys[k]!)) return value({ word: lookup.values[k]! });
    }
  } else if (!lookup.ascii) {
    const key = cell.slice(s, e).toLowerCase();
    const at = lookup.keys.indexOf(key);
    if (at >= 0) return value({ word: lookup.values[at]! });
  }
  if (cell.charCodeAt(s) === C_HASH) {
    const m = spreadsheetErrorMessage(cell);
    if (m !== undefined) return error(m);
  }
  return error(`${quote(cell)} is not a rating (${lookup.expected})`);
}

const TRUE_WORDS: readonly string[] = ['true', 'yes', 'y', '1', 'x'];
const FALSE_WORDS: readonly string[] = ['false', 'no', 'n', '0'];

/** A yes/no cell: true/false, yes/no, y/n, 1/0, x (true), case-insensitive; blank -> missing. */
export function parseBoolean(cell: string): Cell<boolean> {
  const s = trimStart(cell);
  if (s === cell.length) return MISSING;
  const e = trimEnd(cell, s);
  for (let k = 0; k < TRUE_WORDS.length; k++) if (equalsIgnoreCase(cell, s, e, TRUE_WORDS[k]!)) return value(true);
  for (let k = 0; k < FALSE_WORDS.length; k++) if (equalsIgnoreCase(cell, s, e, FALSE_WORDS[k]!)) return value(false);
  if (cell.charCodeAt(s) === C_HASH) {
    const m = spreadsheetErrorMessage(cell);
    if (m !== undefined) return error(m);
  }
  return error(`${quote(cell)} is not a yes/no value (expected true/false, yes/no, y/n, 1/0 or x)`);
}

// ---------------------------------------------------------------------------------------
// Dates

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

// Scratch of the date scanner: the value of the last digit run read by `digitsAt`.
let runValue = 0;

/** Reads up to `max` digits at i into `runValue`; returns the index after them. */
function digitsAt(s: string, i: number, end: number, max: number): number {
  let n = 0;
  const stop = Math.min(end, i + max);
  let j = i;
  while (j < stop && isDigit(s.charCodeAt(j))) {
    n = n * 10 + (s.charCodeAt(j) - C_0);
    j++;
  }
  runValue = n;
  return j;
}

const TIME_BAD = -2;
const TIME_SYNTAX = -1;

/**
 * Time part starting at i: H[H]:MM[:SS[.fff]], then ' AM/PM' (when `ampm`) or a zone 'Z',
 * '+HH:MM', '+HHMM', '+HH' (when `zone`), then the end. Returns e on success, TIME_BAD for an
 * impossible time, TIME_SYNTAX otherwise. The zone never shifts the date: it is taken as written.
 */
function scanTime(s: string, i: number, e: number, ampm: boolean, zone: boolean): number {
  let j = digitsAt(s, i, e, 2);
  if (j === i) return TIME_SYNTAX;
  const hour = runValue;
  if (j >= e || s.charCodeAt(j) !== C_COLON) return TIME_SYNTAX;
  let k = digitsAt(s, j + 1, e, 2);
  if (k - (j + 1) !== 2) return TIME_SYNTAX;
  let bad = runValue > 59;
  j = k;
  if (j < e && s.charCodeAt(j) === C_COLON) {
    k = digitsAt(s, j + 1, e, 2);
    if (k - (j + 1) !== 2) return TIME_SYNTAX;
    if (runValue > 59) bad = true;
    j = k;
    if (j < e && (s.charCodeAt(j) === C_DOT || s.charCodeAt(j) === C_COMMA)) {
      k = digitsAt(s, j + 1, e, 9);
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
      k = digitsAt(s, j + 1, e, 2);
      if (k - (j + 1) !== 2) return TIME_SYNTAX;
      if (runValue > 23) bad = true;
      j = k;
      if (j < e && s.charCodeAt(j) === C_COLON) j++;
      if (j < e) {
        k = digitsAt(s, j, e, 2);
        if (k - j !== 2) return TIME_SYNTAX;
        if (runValue > 59) bad = true;
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
  const c0 = cell.charCodeAt(s);
  if (c0 === C_HASH) {
    const m = spreadsheetErrorMessage(cell);
    if (m !== undefined) return error(m);
  }
  let i = digitsAt(cell, s, e, 9);
  const len1 = i - s;
  const n1 = runValue;
  if (len1 === 0) return error(notADate(cell, format));
  if (i === e || (cell.charCodeAt(i) === C_DOT && isAllDigits(cell, i + 1, e))) {
    return error(
      len1 <= EXCEL_SERIAL_MAX_DIGITS
        ? `${quote(cell)} looks like an Excel date serial; format the column as a date before exporting`
        : notADate(cell, format),
    );
  }
  const sep = cell.charCodeAt(i);
  const iso = len1 === 4 && sep === C_MINUS;
  if (!(sep === C_MINUS || sep === C_SLASH || sep === C_DOT) || len1 > 4 || len1 === 3) return error(notADate(cell, format));
  // Second and third parts.
  let j = digitsAt(cell, i + 1, e, 4);
  const len2 = j - (i + 1);
  const n2 = runValue;
  if (len2 === 0 || len2 > 2 || j >= e || cell.charCodeAt(j) !== sep) return error(notADate(cell, format));
  i = j + 1;
  j = digitsAt(cell, i, e, 5);
  const len3 = j - i;
  const n3 = runValue;
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
      if (timeTail(cell, i, e, false) === TIME_SYNTAX) return error(notADate(cell, format));
      return error(`ambiguous date ${quote(cell)}: pass --date-format M/D/YYYY or D/M/YYYY`);
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
  const t = timeTail(cell, i, e, iso);
  if (t === TIME_SYNTAX) return error(notADate(cell, format));
  if (t === TIME_BAD || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return error(`${quote(cell)} is not a valid date`);
  return value(daysFromCivil(y, m, d));
}

/** After the date part at i: nothing, or a time ('T' or space for ISO; space for slash dates). */
function timeTail(cell: string, i: number, e: number, iso: boolean): number {
  if (i === e) return e;
  const c = cell.charCodeAt(i);
  if (iso && (c === 0x54 || c === 0x74)) return scanTime(cell, i + 1, e, false, true);
  if (!isSpace(c)) return TIME_SYNTAX;
  return scanTime(cell, skipSpace(cell, i, e), e, !iso, iso);
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

function notADate(cell: string, format: DateFormat | undefined): string {
  const expected =
    format === undefined ? 'YYYY-MM-DD' : `YYYY-MM-DD or ${format.order === 'MDY' ? 'M/D/YYYY' : format.order === 'DMY' ? 'D/M/YYYY' : 'YYYY/M/D'}`;
  return `${quote(cell)} is not a date (expected ${expected})`;
}

// ---------------------------------------------------------------------------------------
// Decimal separator inference

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
  let dot: string | undefined;
  let comma: string | undefined;
  let ambiguous: string | undefined;
  for (const cell of cells) {
    const ev = decimalEvidence(cell);
    if (ev === EV_NONE) continue;
    if (ev === EV_DOT) {
      if (dot === undefined) {
        dot = cell.trim();
        if (comma !== undefined) break;
      }
    } else if (ev === EV_COMMA) {
      if (comma === undefined) {
        comma = cell.trim();
        if (dot !== undefined) break;
      }
    } else if (ambiguous === undefined) ambiguous = cell.trim();
  }
  if (dot !== undefined && comma !== undefined) return { decimal: undefined, conflict: { dot, comma } };
  if (dot !== undefined) return { decimal: '.' };
  if (comma !== undefined) return { decimal: ',' };
  if (ambiguous !== undefined) return { decimal: undefined, ambiguous };
  return { decimal: '.' };
}

// ---------------------------------------------------------------------------------------
// Ids

// A German or French Excel writes the mantissa with a decimal comma: 1,23457E+11.
const EXCEL_SCIENTIFIC_ID = /^\s*\d(?:[.,]\d+)?E[+-]?\d+\s*$/i;

/** A message when an id looks mangled by Excel into scientific notation ('1.23457E+11'), else undefined. */
export function checkId(cell: string): string | undefined {
  if (!EXCEL_SCIENTIFIC_ID.test(cell)) return undefined;
  return `looks like an id Excel converted to scientific notation (${cell.trim()}): re-export it as text`;
}

/** The id as compared: trimmed, without Zoho's 'zcrm_' prefix or an Odoo/Excel leading apostrophe. */
export function stripIdPrefix(cell: string): string {
  let s = trimStart(cell);
  const e = trimEnd(cell, s);
  if (s < e && (cell.charCodeAt(s) === C_APOS || cell.charCodeAt(s) === 0x2019)) s = skipSpace(cell, s + 1, e);
  if (e - s > 5 && equalsIgnoreCase(cell, s, s + 5, 'zcrm_')) s += 5;
  return s === 0 && e === cell.length ? cell : cell.slice(s, e);
}
