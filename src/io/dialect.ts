/**
 * The CSV dialect of an input, read from its text: the delimiter (`--delimiter`, an Excel
 * `sep=` line, or detected from the header and the first records) and the first line ending.
 */
import { UsageError } from '../errors.ts';
import { CR, LF, QUOTE } from './bytes.ts';

/** Delimiter detection looks at the header and this many records, within SNIFF_CHARS. */
const SNIFF_RECORDS = 20;
export const SNIFF_CHARS = 256 * 1024;
/** Candidates in tie-break order. */
const CANDIDATES = [',', ';', '\t', '|'] as const;

const DELIMITER_WORDS: ReadonlyMap<string, string> = new Map([
  ['tab', '\t'],
  ['\\t', '\t'],
  ['comma', ','],
  ['semicolon', ';'],
  ['pipe', '|'],
]);

export const DELIMITER_NAMES: ReadonlyMap<string, string> = new Map([
  [',', 'comma'],
  [';', 'semicolon'],
  ['\t', 'TAB'],
  ['|', 'pipe'],
]);

/** Excel's delimiter hint: `sep=;` (optionally quoted) alone on the first line. */
export const SEP_LINE = /^(?:sep=([^\r\n"])|"sep=([^\r\n"])")(?:\r\n|\n|\r|$)/i;

/**
 * Per-record counts of each candidate delimiter outside quotes, for the header and the
 * first SNIFF_RECORDS records (blank lines skipped). Index order follows CANDIDATES.
 * `whole`: `text` is the whole input (else only its first SNIFF_CHARS or more characters).
 */
export function countCandidates(text: string, whole = true): number[][] {
  const rows: number[][] = [];
  let counts = [0, 0, 0, 0];
  let inQuotes = false;
  let hasContent = false;
  const end = Math.min(text.length, SNIFF_CHARS);
  let i = 0;
  for (; i < end && rows.length <= SNIFF_RECORDS; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Toggling on every quote treats "" inside a quoted field as leaving and re-entering it.
      inQuotes = !inQuotes;
      hasContent = true;
    } else if (inQuotes) {
      continue;
    } else if (c === LF || c === CR) {
      if (hasContent) rows.push(counts);
      counts = [0, 0, 0, 0];
      hasContent = false;
    } else {
      const k = CANDIDATES.indexOf(text[i] as (typeof CANDIDATES)[number]);
      if (k >= 0) counts[k] = (counts[k] ?? 0) + 1;
      // A line of only spaces and tabs is blank for the reader, so it must not vote either.
      if (c !== 32 && c !== 9) hasContent = true;
    }
  }
  if (whole && hasContent && i === text.length && rows.length <= SNIFF_RECORDS) rows.push(counts);
  return rows;
}

/**
 * The candidate whose field count (> 1 on the header) the most records share;
 * ties go to the earlier candidate in `, ; TAB |`. A single-column file stays ','.
 */
export function chooseDelimiter(rows: readonly (readonly number[])[]): string {
  const [header, ...data] = rows;
  let best: string = ',';
  let bestScore = -1;
  CANDIDATES.forEach((candidate, k) => {
    const fields = (header?.[k] ?? 0) + 1;
    if (fields < 2) return;
    const matching = data.filter((r) => (r[k] ?? 0) + 1 === fields).length;
    const score = data.length === 0 ? 1 : matching / data.length;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  });
  return best;
}

/** The first line break of the text: CRLF, LF or a lone CR (LF when there is none). */
export function lineEndingOf(text: string): '\n' | '\r\n' | '\r' {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr < 0) return '\n';
  if (lf < 0) return '\r';
  if (cr < lf) return cr + 1 === lf ? '\r\n' : '\r';
  return '\n';
}

export function resolveDelimiter(value: string): string {
  const word = DELIMITER_WORDS.get(value.toLowerCase());
  if (word !== undefined) return word;
  if (value.length === 1 && value !== '"' && value !== '\r' && value !== '\n') return value;
  throw new UsageError(`invalid delimiter '${value}': use one character, or tab, comma, semicolon or pipe`);
}

/** 'utf-16le (BOM)' -> 'UTF-16LE (BOM)'. */
export function encodingLabel(encoding: string): string {
  return encoding.replace(/^[^ ]+/, (name) => name.toUpperCase());
}

export function bomName(encoding: string): string {
  return (encoding.split(' ')[0] ?? encoding).toUpperCase();
}
