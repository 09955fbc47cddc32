/**
 * Whether a record's original bytes are, byte for byte, what the CSV writer would write for
 * its cells (CsvBytes.cell, one cell per column in the same delimiter), so that the enriched
 * CSV can copy them instead of reading the cells again and re-encoding them. Conservative: a
 * printable-ASCII record whose quoted fields need their quotes, with no cell the formula guard
 * would change, is plain; anything else (a byte outside ASCII, a control byte, quotes the
 * writer would drop, a field count other than the header's) is not, and the caller writes
 * the record's cells one by one as before.
 */
import { escapeFormula, mayStartFormula, type IsNumber } from './write-csv.ts';
import { CR, LF, QUOTE } from './bytes.ts';

/** How the writer treats a record's cells: its delimiter, the header's width, the formula guard. */
export interface PlainRule {
  readonly delimiter: number;
  readonly width: number;
  /** The writer guards formulas (`--escape-formulas`, the default): cells it would change are not plain. */
  readonly escape: boolean;
  readonly isNumber: IsNumber;
}

/** What a byte is to isPlainRecord: one table lookup a byte instead of five comparisons. */
const PLAIN = 0; // printable ASCII an unquoted field may hold and the writer copies as it is
const DELIMITER = 1;
const QUOTE_BYTE = 2;
const BREAK = 3; // CR, LF: only inside quotes
const OTHER = 4; // a control byte, DEL, or a byte of a non-ASCII character

const CLASSES = new Map<number, Uint8Array>();

/** The byte classes under `delimiter` (made once per delimiter). */
function classesOf(delimiter: number): Uint8Array {
  let table = CLASSES.get(delimiter);
  if (table === undefined) {
    table = new Uint8Array(256).fill(OTHER);
    table.fill(PLAIN, 0x20, 0x7f);
    table[QUOTE] = QUOTE_BYTE;
    table[CR] = BREAK;
    table[LF] = BREAK;
    if (delimiter < 256) table[delimiter] = DELIMITER;
    CLASSES.set(delimiter, table);
  }
  return table;
}

/** Whether the writer leaves the cell `text` unguarded. */
function unguarded(text: string, rule: PlainRule): boolean {
  return !rule.escape || text === '' || !mayStartFormula(text.charCodeAt(0)) || escapeFormula(text, rule.isNumber) === text;
}

/** Just after the unquoted field starting at k, or -1 when it is not plain. */
function unquotedEnd(bytes: Uint8Array, k: number, rule: PlainRule, classes: Uint8Array): number {
  const start = k;
  const end = bytes.length;
  for (; k < end; k++) {
    const c = classes[bytes[k]!]!;
    if (c === DELIMITER) break;
    if (c !== PLAIN) return -1;
  }
  if (k > start && rule.escape && mayStartFormula(bytes[start]!) && !unguarded(Buffer.from(bytes.subarray(start, k)).toString('latin1'), rule)) return -1;
  return k;
}

/** Just after the quoted field whose opening quote is at k, when the writer would quote its text the same way; else -1. */
function quotedEnd(bytes: Uint8Array, k: number, rule: PlainRule, classes: Uint8Array): number {
  const end = bytes.length;
  let needsQuotes = false;
  let j = k + 1;
  for (; j < end; j++) {
    const c = classes[bytes[j]!]!;
    if (c === PLAIN) continue;
    if (c === QUOTE_BYTE) {
      if (bytes[j + 1] !== QUOTE) break;
      needsQuotes = true;
      j++;
    } else if (c === DELIMITER || c === BREAK) needsQuotes = true;
    else return -1;
  }
  if (j >= end || !needsQuotes) return -1;
  if (rule.escape && mayStartFormula(bytes[k + 1]!)) {
    const text = Buffer.from(bytes.subarray(k + 1, j))
      .toString('latin1')
      .replaceAll('""', '"');
    if (!unguarded(text, rule)) return -1;
  }
  return j + 1;
}

/** Whether `bytes` (one record, its line ending left out) is exactly what the writer makes of its cells. */
export function isPlainRecord(bytes: Uint8Array, rule: PlainRule): boolean {
  const end = bytes.length;
  const classes = classesOf(rule.delimiter);
  let k = 0;
  for (let field = 0; field < rule.width; field++) {
    k = k < end && bytes[k] === QUOTE ? quotedEnd(bytes, k, rule, classes) : unquotedEnd(bytes, k, rule, classes);
    if (k < 0) return false;
    if (k === end) return field === rule.width - 1;
    k++; // the delimiter
  }
  return false;
}
