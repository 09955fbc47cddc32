/**
 * A workbook cell -> the one text kam's grammars read exactly: numbers with '.' decimals and
 * no grouping (at most the 15 significant digits Excel keeps), dates as ISO 8601 (1900 and
 * 1904 systems, the 1900 leap-year bug honoured), percent-formatted cells with an explicit
 * '%', currency-formatted cells with the currency their format names. Text stays text.
 */
import { isoDate } from '../format.ts';

/** How a cell style shows a number. */
export type NumberKind =
  | { readonly kind: 'number'; readonly decimals?: number }
  | { readonly kind: 'percent'; readonly decimals?: number }
  | { readonly kind: 'date'; readonly time: boolean }
  | { readonly kind: 'time' }
  | { readonly kind: 'currency'; readonly token: string; readonly decimals?: number };

export const PLAIN: NumberKind = { kind: 'number' };

/** Excel's built-in number formats that are not plain numbers (ECMA-376 Part 1, 18.8.30). */
const BUILTIN: ReadonlyMap<number, NumberKind> = new Map<number, NumberKind>([
  [2, { kind: 'number', decimals: 2 }],
  [4, { kind: 'number', decimals: 2 }],
  [9, { kind: 'percent' }],
  [10, { kind: 'percent', decimals: 2 }],
  [14, { kind: 'date', time: false }],
  [15, { kind: 'date', time: false }],
  [16, { kind: 'date', time: false }],
  [17, { kind: 'date', time: false }],
  [18, { kind: 'time' }],
  [19, { kind: 'time' }],
  [20, { kind: 'time' }],
  [21, { kind: 'time' }],
  [22, { kind: 'date', time: true }],
  [45, { kind: 'time' }],
  [46, { kind: 'time' }],
  [47, { kind: 'time' }],
]);

const SYMBOLS = ['€', '£', '¥', '$', '₹', '₩', '₽', '₺', '₪', 'CHF', 'kr', 'zł', 'R$', 'Kč', 'Fr.'];

/** The kind of a number format: a built-in id, or a custom format code. */
export function numberKind(id: number, code: string | undefined): NumberKind {
  if (code === undefined) return BUILTIN.get(id) ?? PLAIN;
  // Only the first section (positive numbers) decides.
  const first = splitSections(code)[0] ?? '';
  let currency: string | undefined;
  const bracket = /\[\$([^\]-]*)(?:-[0-9A-Fa-f]+)?\]/.exec(first);
  if (bracket !== null && bracket[1] !== '') currency = bracket[1];
  // Quoted literals and escaped characters: a currency, or text that says nothing of the kind.
  let bare = '';
  for (let i = 0; i < first.length; i++) {
    const c = first[i]!;
    if (c === '"') {
      const close = first.indexOf('"', i + 1);
      const literal = first.slice(i + 1, close < 0 ? first.length : close);
      currency ??= SYMBOLS.find((s) => literal.trim() === s) ?? (/^\s*[A-Z]{3}\s*$/.test(literal) ? literal.trim() : undefined);
      i = close < 0 ? first.length : close;
    } else if (c === '\\') {
      const next = first[i + 1] ?? '';
      if ('€£¥$'.includes(next)) currency ??= next;
      i++;
    } else if (c === '[') {
      const close = first.indexOf(']', i);
      const inside = first.slice(i + 1, close < 0 ? first.length : close);
      if (/^(h+|m+|s+)$/i.test(inside)) bare += inside; // [h]:mm elapsed time
      i = close < 0 ? first.length : close;
    } else if (c === '_' || c === '*') {
      i++;
    } else {
      bare += c;
    }
  }
  // The decimals the format shows ('0.00' -> 2): a value is padded to them, never rounded.
  const dot = /[0#?]\.([0#?]+)/.exec(bare);
  const decimals = dot === null ? 0 : (dot[1]!.match(/0/g) ?? []).length;
  if (bare.includes('%')) return { kind: 'percent', decimals };
  const lowered = bare
    .toLowerCase()
    .replace(/general/g, '')
    .replace(/am\/pm|a\/p/g, 'h');
  const hasDate = /[yd]/.test(lowered) || (/m/.test(lowered) && !/[hs]/.test(lowered) && !/[0#?]/.test(lowered));
  const hasTime = /[hs]/.test(lowered);
  if (!/[0#?]/.test(lowered) || hasDate) {
    if (hasDate) return { kind: 'date', time: hasTime };
    if (hasTime) return { kind: 'time' };
  }
  if (currency === undefined) currency = SYMBOLS.find((s) => s.length === 1 && bare.includes(s));
  return currency === undefined ? (decimals === 0 ? PLAIN : { kind: 'number', decimals }) : { kind: 'currency', token: currency, decimals };
}

function splitSections(code: string): string[] {
  const out: string[] = [];
  let from = 0;
  let quoted = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\\') i++;
    else if (c === ';' && !quoted) {
      out.push(code.slice(from, i));
      from = i + 1;
    }
  }
  out.push(code.slice(from));
  return out;
}

/** A number as kam reads it: 15 significant digits at most (what Excel keeps), '.' decimals, no grouping. */
export function numberText(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  if (Math.abs(v) >= 1e15)
    return v
      .toPrecision(15)
      .replace('e', 'E')
      .replace(/\.?0+E/, 'E');
  return String(Number(v.toPrecision(15)));
}

/** '45.5' padded to 2 decimals -> '45.50' (what the cell shows; more digits are kept, never rounded away). */
export function padDecimals(s: string, decimals: number | undefined): string {
  if (decimals === undefined || decimals === 0 || /[eE]/.test(s)) return s;
  const dot = s.indexOf('.');
  const have = dot < 0 ? 0 : s.length - dot - 1;
  if (have >= decimals) return s;
  return (dot < 0 ? s + '.' : s) + '0'.repeat(decimals - have);
}

/** 0.125 -> '12.5%' (the decimal point moved in the text: no 0.07 * 100 = 7.000000000000001). */
export function percentText(v: number, decimals?: number, canonical: string = numberText(v)): string {
  const s = canonical;
  if (/e/i.test(s)) return `${padDecimals(numberText(v * 100), decimals)}%`;
  const negative = s.startsWith('-');
  const digits = negative ? s.slice(1) : s;
  const dot = digits.indexOf('.');
  const int = dot < 0 ? digits : digits.slice(0, dot);
  const frac = dot < 0 ? '' : digits.slice(dot + 1);
  const padded = frac.padEnd(2, '0');
  let whole = (int + padded.slice(0, 2)).replace(/^0+(?=\d)/, '');
  const rest = padded.slice(2);
  if (whole === '') whole = '0';
  return `${padDecimals(`${negative ? '-' : ''}${whole}${rest === '' ? '' : `.${rest}`}`, decimals)}%`;
}

/**
 * An Excel serial date -> ISO text. 1900 system: serial 1 is 1900-01-01 and serial 60 is the
 * 1900-02-29 Lotus kept and Excel still counts (written as such: kam's date grammar rejects
 * it); 1904 system: serial 0 is 1904-01-01.
 */
export function serialDateText(serial: number, date1904: boolean, withTime: boolean): string {
  let day = Math.floor(serial);
  let seconds = Math.round((serial - day) * 86400);
  if (seconds === 86400) {
    day++;
    seconds = 0;
  }
  let text: string;
  if (date1904) text = isoDate(day - 24107);
  else if (day === 60) text = '1900-02-29';
  else text = isoDate(day < 60 ? day - 25568 : day - 25569);
  return withTime && seconds > 0 ? `${text}T${clock(seconds)}` : text;
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/**
 * A number cell's text under its style's kind; `canonical`, when the caller has it, is
 * numberText(v) already (the cell's own `<v>` text, when that is short: no float round trip).
 */
export function numberCellText(v: number, kind: NumberKind, date1904: boolean, canonical?: string): string {
  switch (kind.kind) {
    case 'number':
      return padDecimals(canonical ?? numberText(v), kind.decimals);
    case 'percent':
      return percentText(v, kind.decimals, canonical);
    case 'date':
      return serialDateText(v, date1904, kind.time);
    case 'time':
      return clock(Math.round((v - Math.floor(v)) * 86400) % 86400);
    case 'currency':
      return `${padDecimals(canonical ?? numberText(v), kind.decimals)} ${kind.token}`;
  }
}
