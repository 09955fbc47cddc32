/**
 * Whether a record's original bytes are, byte for byte, what the CSV writer would write for
 * its cells (CsvBytes.cell, one cell per column in the same delimiter), so that the enriched
 * CSV can copy them instead of reading the cells again and re-encoding them. Conservative: a
 * printable-ASCII record whose quoted fields need their quotes, with no cell the formula guard
 * would change, is plain; anything else (a byte outside ASCII, a control byte, quotes the
 * writer would drop, a field count other than the header's) is not, and the caller writes
 * the record's cells one by one as before.
 */
import { escapeFormula, type IsNumber } from './write-csv.ts';
import { CR, LF, QUOTE } from './bytes.ts';

/** How the writer treats a record's cells: its delimiter, the header's width, the formula guard. */
export interface PlainRule {
  readonly delimiter: number;
  readonly width: number;
  /** The writer guards formulas (`--escape-formulas`, the default): cells it would change are not plain. */
  readonly escape: boolean;
  readonly isNumber: IsNumber;
}

/** A first byte that can make escapeFormula change its cell (ASCII: the writer's own list, apostrophe included). */
function mayStartFormula(b: number): boolean {
  return b === 0x3d || b === 0x2b || b === 0x2d || b === 0x40 || b === 0x09 || b === 0x0d || b === 0x0a || b === 0x27;
}

/** A byte an unquoted field may hold and the writer copies as it is. */
function plainByte(b: number, delimiter: number): boolean {
  return b >= 0x20 && b < 0x7f && b !== QUOTE && b !== delimiter;
}

/** Whether the writer leaves the cell `text` unguarded. */
function unguarded(text: string, rule: PlainRule): boolean {
  return !rule.escape || text === '' || !mayStartFormula(text.charCodeAt(0)) || escapeFormula(text, rule.isNumber) === text;
}

/** Just after the unquoted field starting at k, or -1 when it is not plain. */
function unquotedEnd(bytes: Uint8Array, k: number, rule: PlainRule): number {
  const start = k;
  const end = bytes.length;
  while (k < end && bytes[k] !== rule.delimiter) {
    if (!plainByte(bytes[k]!, rule.delimiter)) return -1;
    k++;
  }
  if (k > start && rule.escape && mayStartFormula(bytes[start]!) && !unguarded(Buffer.from(bytes.subarray(start, k)).toString('latin1'), rule)) return -1;
  return k;
}

/** Just after the quoted field whose opening quote is at k, when the writer would quote its text the same way; else -1. */
function quotedEnd(bytes: Uint8Array, k: number, rule: PlainRule): number {
  const end = bytes.length;
  let needsQuotes = false;
  let j = k + 1;
  for (; j < end; j++) {
    const b = bytes[j]!;
    if (b === QUOTE) {
      if (bytes[j + 1] !== QUOTE) break;
      needsQuotes = true;
      j++;
    } else if (b === rule.delimiter || b === CR || b === LF) needsQuotes = true;
    else if (b < 0x20 || b >= 0x7f) return -1;
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
  let k = 0;
  for (let field = 0; field < rule.width; field++) {
    k = k < end && bytes[k] === QUOTE ? quotedEnd(bytes, k, rule) : unquotedEnd(bytes, k, rule);
    if (k < 0) return false;
    if (k === end) return field === rule.width - 1;
    k++; // the delimiter
  }
  return false;
}
