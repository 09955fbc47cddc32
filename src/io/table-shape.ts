/**
 * The shape of a parsed table, judged once all its records are read: the formula guard
 * removed, the header checked (a trailing empty column dropped, empty, duplicate and damaged
 * names refused), a report footer dropped, blank rows inside the data named. Each step
 * returns its notes for stderr; none fills an array it is given.
 */
import { InputError } from '../errors.ts';
import type { ReaderNote } from './reader-notes.ts';
import { unescapeFormula } from './write-csv.ts';
import { countBreaksInCells } from './csv-records.ts';
import type { RawRecord } from './read-table.ts';

/** A report footer is a short block; longer single-cell tails stay records for the schema to judge. */
const MAX_FOOTER_RECORDS = 10;

/** Texts that only a report footer contains (Salesforce report exports). */
export const FOOTER_PATTERNS: readonly RegExp[] = [
  /^Grand Totals? \(\d[\d,.\s]* records?\)$/i,
  /^Confidential Information - Do Not Distribute$/i,
  /^Copyright \(c\) [\d\s-]*salesforce\.com, inc\./i,
];

/**
 * Removes the formula guard kam's writer adds (`'=1+1` -> `=1+1`, see write-csv.ts), in place,
 * so a CSV kam wrote reads back as it was; returns how many cells carried it.
 */
export function unguard(cells: string[]): number {
  let n = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    if (cell.charCodeAt(0) !== 0x27) continue;
    const plain = unescapeFormula(cell);
    if (plain !== cell) {
      cells[i] = plain;
      n++;
    }
  }
  return n;
}

/** The header to use, and the note when a trailing empty column was dropped. */
export interface CheckedHeader {
  readonly header: readonly string[];
  readonly notes: readonly ReaderNote[];
}

/**
 * Checks header names and returns the header to use: a single trailing empty column
 * (a trailing delimiter on every line) is dropped from header and records.
 */
export function checkHeader(header: readonly string[], records: readonly RawRecord[], source: string, headerLine: number): CheckedHeader {
  const isEmpty = (s: string | undefined): boolean => (s ?? '').trim() === '';
  const emptyAt = header.flatMap((h, i) => (isEmpty(h) ? [i] : []));
  const last = header.length - 1;
  const notes: ReaderNote[] = [];
  if (emptyAt.length === 1 && emptyAt[0] === last && last > 0 && records.every((r) => r.cells.length < header.length || isEmpty(r.cells[last]))) {
    for (const r of records) if (r.cells.length === header.length) (r.cells as string[]).pop();
    notes.push({ code: 'trailing_delimiter', column: last + 1 });
    header = header.slice(0, last);
  } else if (emptyAt[0] !== undefined) {
    throw new InputError(`${source}:${headerLine}: column ${emptyAt[0] + 1} has an empty header name`);
  }
  checkNames(header, source, headerLine);
  return { header, notes };
}

/** Refuses control characters and duplicates (trimmed, NFC, case-insensitive) in header names. */
function checkNames(header: readonly string[], source: string, headerLine: number): void {
  for (const [i, name] of header.entries()) {
    // A NUL (or another C0 control but TAB, CR, LF) in a header is a damaged or binary file, never a name.
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(name)) {
      throw new InputError(
        `${source}:${headerLine}: the header of column ${i + 1} ('${name}') contains a control character (NUL or similar): re-export the file`,
      );
    }
  }
  const seen = new Map<string, number>();
  for (const [i, name] of header.entries()) {
    const key = name.trim().normalize('NFC').toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new InputError(`${source}:${headerLine}: duplicate column '${(header[first] ?? name).trim()}' at positions ${first + 1} and ${i + 1}`);
    }
    seen.set(key, i);
  }
}

/** Where a report footer starts (`from`, an index into the records) and its note. */
export interface Footer {
  readonly from: number;
  readonly lines: readonly number[];
  readonly note: ReaderNote | undefined;
}

/**
 * Finds a report footer: the trailing run of single-cell (or all-but-first-empty) records,
 * provided one of them is a known footer text. The footer starts at a blank line (or an
 * all-empty row, as Excel re-saves one) or at a known footer text: a name-only account
 * right after the data ('"Zeta Corp","",""') stays a record. The caller drops records from `from`.
 */
export function findFooter(header: readonly string[], headerLine: number, records: readonly RawRecord[]): Footer {
  const none: Footer = { from: records.length, lines: [], note: undefined };
  if (header.length < 2) return none;
  const isFooterish = (r: RawRecord): boolean => r.cells.every((c, i) => i === 0 || c.trim() === '');
  let from = records.length;
  while (from > 0 && records.length - from < MAX_FOOTER_RECORDS && isFooterish(records[from - 1]!)) from--;
  const isKnown = (r: RawRecord): boolean => FOOTER_PATTERNS.some((re) => re.test((r.cells[0] ?? '').trim()));
  if (!records.slice(from).some(isKnown)) return none;
  const endLine = (line: number, cells: readonly string[]): number => line + 1 + countBreaksInCells(cells);
  let previousEnd = from > 0 ? endLine(records[from - 1]!.line, records[from - 1]!.cells) : endLine(headerLine, header);
  for (; from < records.length; from++) {
    const r = records[from]!;
    if (isKnown(r) || r.line > previousEnd || r.cells.every((c) => c.trim() === '')) break;
    previousEnd = endLine(r.line, r.cells);
  }
  const lines = records.slice(from).map((r) => r.line);
  return { from, lines, note: { code: 'footer_dropped', lines } };
}
