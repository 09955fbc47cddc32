/**
 * The one formatting module of every renderer: rounding, fixed decimals, signed numbers,
 * grouped amounts, percents, and the Markdown and XML escapers. Every output of kam writes
 * numbers through these, so the same value reads the same in a table, a CSV cell, JSON,
 * Markdown, HTML and SVG.
 *
 * Two rounding rules exist on purpose and are named by their function:
 * - `round`/`fixed` (and everything built on them) round the binary value half away from
 *   zero (`Math.round`): every table, CSV, JSON and Markdown number;
 * - `toFixedPercent` keeps `Number.prototype.toFixed`'s rounding of the exact decimal
 *   expansion, which the report's HTML growth and kam explain's shares have always used.
 * They differ only on values that sit on a half, but they differ, so each output keeps its rule.
 */
import { civilFromDays } from '../core/calendar.ts';

/** `x` rounded to `digits` decimals (half away from zero on the binary value), never -0. */
export const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits + 0;

/** A number for JSON: rounded to `digits`, null when missing (undefined or NaN). */
export const jsonNumber = (x: number | undefined, digits: number): number | null => (x === undefined || Number.isNaN(x) ? null : round(x, digits));

/** `digits` decimals always: 0.5 -> '0.50' (for two). */
export const fixed = (x: number, digits: number): string => round(x, digits).toFixed(digits);

/** `fixed`, or '' when NaN. */
export const fixedOrBlank = (x: number, digits: number): string => (Number.isNaN(x) ? '' : fixed(x, digits));

/** Two decimals, the way every output writes numbers ('' when missing); `,` as the decimal for a comma dialect. */
export function fixed2(x: number | undefined, decimal: '.' | ',' = '.'): string {
  if (x === undefined) return '';
  // Integer arithmetic: the same text as (Math.round(x * 100) / 100).toFixed(2), several times faster.
  const v = Math.round(x * 100);
  const a = v < 0 ? -v : v;
  const whole = Math.floor(a / 100);
  const cents = a - whole * 100;
  return `${v < 0 ? '-' : ''}${whole}${decimal}${cents < 10 ? '0' : ''}${cents}`;
}

/** Signed with `digits` decimals: '+13.44', '-5.66', '0.00'. */
export const signed = (x: number, digits = 2): string => {
  const r = round(x, digits);
  return `${r > 0 ? '+' : ''}${r.toFixed(digits)}`;
};

/**
 * An amount rounded to cents with thousands grouped: 1234567.5 -> '1,234,567.50' with
 * `cents: 'fixed'` (two decimals unless whole: the diff's money), '1,234,567.5' with
 * `cents: 'shortest'` (the goals' metric values).
 */
export function grouped(x: number, cents: 'fixed' | 'shortest'): string {
  const r = round(x, 2);
  const abs = Math.abs(r);
  const [whole, frac] = (cents === 'fixed' && !Number.isInteger(r) ? abs.toFixed(2) : String(abs)).split('.');
  return `${r < 0 ? '-' : ''}${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
}

/** An amount rounded to cents without grouping (CSV cells: spreadsheets read it as a number); '' when NaN. */
export const plainAmount = (x: number): string => {
  if (Number.isNaN(x)) return '';
  const r = round(x, 2);
  return Number.isInteger(r) ? String(r) : r.toFixed(2);
};

/** A whole number with thousands grouped the en-US way (Math.round first): 1234567.4 -> '1,234,567'. */
export const wholeGrouped = (x: number): string => Math.round(x).toLocaleString('en-US');

/**
 * A fraction as a percent with `digits` decimals: 0.125 -> '12.5%' (for one). The fraction is
 * scaled once (`x * 10^(digits+2)`, the goals' percents and kam explain's trend) or, with
 * `twoStep`, by 100 and then by 10^digits (the backtest's rates): the two differ on rare halves.
 */
export function percent(x: number, digits: number, twoStep = false): string {
  const r = twoStep ? Math.round(x * 100 * 10 ** digits) / 10 ** digits + 0 : Math.round(x * 10 ** (digits + 2)) / 10 ** digits + 0;
  return `${r.toFixed(digits)}%`;
}

/** A fraction as a whole percent ('' when NaN): 0.754 -> '75%'. */
export const wholePercent = (x: number): string => (Number.isNaN(x) ? '' : percent(x, 0));

/** A fraction as a percent through `toFixed` (its rounding, see the top): 0.125 -> '12.5%'. */
export const toFixedPercent = (x: number, digits: number): string => `${(x * 100).toFixed(digits)}%`;

/**
 * Days since 1970-01-01 as YYYY-MM-DD ('' when not finite): the same text as schema's
 * formatDate for the four-digit years kam reads, written here because io does not run schema.
 */
export function isoDate(days: number): string {
  if (!Number.isFinite(days)) return '';
  const { y, m, d } = civilFromDays(days);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The one escaper of every Markdown output (score, diff, report): untrusted text (names,
 * ids, file names, messages) becomes literal text in prose, headings and table cells. It
 * neutralises links and images (`[`, `]`), raw HTML and `<...>` autolinks (`<`), entity
 * references (`&amp;`), emphasis and code (`* _ ~ \``), table pipes, the extended autolinks
 * of GitHub-flavoured Markdown (`www.`, `https://`, `name@host`), and a leading character
 * that would start a block (`#`, `>`, `-`, `+`, `1. `). Line breaks become spaces.
 */
export function markdownText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]<|~@]/g, '\\$&')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/([A-Za-z])(:)(?=\/\/)/g, '$1\\:')
    .replace(/^(\s*)([#>+-])/, '$1\\$2')
    .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/** Escape text for XML and HTML content and attribute values (CSV text is untrusted). */
export function escapeXml(text: string): string {
  // Control characters other than tab/newline are not allowed in XML 1.0; drop them.
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
