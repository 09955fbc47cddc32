import type { Sink } from './console.ts';

/**
 * The one CSV writer (enriched output, rejects, diff). Text cells that a spreadsheet would
 * run as a formula get a leading apostrophe; plain numbers are written as they are, so a
 * negative number stays a number. RFC 4180 quoting keeps every cell in its place.
 *
 * Quoting is done here rather than by csv-stringify: the rule is three lines (quote a cell
 * holding `"` `,` CR or LF, or a guarded formula; double its quotes), and csv-stringify
 * spent about 14 µs a row on it, more than csv-parse spends reading the row.
 */

/** Characters that start a formula in Excel, LibreOffice or Google Sheets (incl. full-width forms). */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain number (optionally grouped, with a decimal part or a trailing %): never a formula. */
const PLAIN_NUMBER = /^[+-]?(\d{1,3}([,.' ]\d{3})+|\d+)([.,]\d+)?([eE][+-]?\d+)?%?$/;

/** The cell as it is safe to open in a spreadsheet: `=1+1` becomes `'=1+1`; `-3.5` stays. */
export function escapeFormula(cell: string): string {
  if (cell.length === 0 || !FORMULA_START.test(cell)) return cell;
  if (PLAIN_NUMBER.test(cell)) return cell;
  return `'${cell}`;
}

/**
 * The cell as it was before escapeFormula: `'=1+1` becomes `=1+1`. For text kam reads back
 * from a CSV it wrote itself (a snapshot given to `kam diff`), where the apostrophe is the guard.
 */
export function unescapeFormula(cell: string): string {
  return cell.length > 1 && cell.charCodeAt(0) === 0x27 && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

export interface CsvWriteOptions {
  /** Default true: see escapeFormula. `--no-escape-formulas` turns it off. */
  readonly escapeFormulas: boolean;
}

/** Rows per write: big enough to be cheap, small enough to stream. */
const BATCH = 2000;

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;

/** One cell as CSV text: guarded (when asked) and quoted when it must be. */
export function formatCsvCell(cell: string, escapeFormulas: boolean): string {
  if (cell.length === 0) return cell;
  let text = cell;
  if (escapeFormulas) {
    text = escapeFormula(cell);
    // A guarded cell is always quoted, so no editor or parser sees a bare trigger.
    if (text !== cell) return `"${text.replace(QUOTES, '""')}"`;
  }
  return NEEDS_QUOTES.test(text) ? `"${text.replace(QUOTES, '""')}"` : text;
}

/** One record as a CSV line ending in LF; the record may come in parts (e.g. original cells, then kam's). */
export function formatCsvRecord(record: readonly string[], options: CsvWriteOptions, ...more: (readonly string[])[]): string {
  let line = '';
  let first = true;
  for (const part of [record, ...more]) {
    for (let i = 0; i < part.length; i++) {
      line += (first ? '' : ',') + formatCsvCell(part[i]!, options.escapeFormulas);
      first = false;
    }
  }
  return line + '\n';
}

/** Format records (arrays of text cells) as CSV lines ending in LF. */
export function formatCsvRecords(records: readonly (readonly string[])[], options: CsvWriteOptions): string {
  let out = '';
  for (const r of records) out += formatCsvRecord(r, options);
  return out;
}

/**
 * Write a header and records to a sink in batches, honouring backpressure. Stops early
 * (without error) when the reader has gone away (`kam score x.csv | head`).
 */
export async function writeCsv(
  sink: Sink,
  header: readonly string[],
  records: Iterable<readonly string[]>,
  options: CsvWriteOptions,
): Promise<void> {
  await writeCsvRows(sink, header, records, (r) => formatCsvRecord(r, options), options);
}

/**
 * The same, for rows of any shape: `line` turns a row into its CSV line (with
 * formatCsvRecord), so a caller need not build one array per row.
 */
export async function writeCsvRows<T>(
  sink: Sink,
  header: readonly string[],
  rows: Iterable<T>,
  line: (row: T) => string,
  options: CsvWriteOptions,
): Promise<void> {
  await sink.write(formatCsvRecord(header, options));
  let chunk = '';
  let count = 0;
  for (const r of rows) {
    chunk += line(r);
    if (++count === BATCH) {
      if (sink.closed) return;
      await sink.write(chunk);
      chunk = '';
      count = 0;
    }
  }
  if (chunk && !sink.closed) await sink.write(chunk);
}
