import { stringify } from 'csv-stringify/sync';
import type { Sink } from './console.ts';

/**
 * The one CSV writer (enriched output, rejects, diff). Text cells that a spreadsheet would
 * run as a formula get a leading apostrophe; plain numbers are written as they are, so a
 * negative number stays a number. RFC 4180 quoting keeps every cell in its place.
 */

/** Characters that start a formula in Excel, LibreOffice or Google Sheets (incl. full-width forms). */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain number (optionally grouped, with a decimal part or a trailing %): never a formula. */
const PLAIN_NUMBER = /^[+-]?(\d{1,3}([,.' ]\d{3})+|\d+)([.,]\d+)?([eE][+-]?\d+)?%?$/;

/** A cell escapeFormula guarded: it is always quoted, so no editor or parser sees a bare trigger. */
const ESCAPED = /^'[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The cell as it is safe to open in a spreadsheet: `=1+1` becomes `'=1+1`; `-3.5` stays. */
export function escapeFormula(cell: string): string {
  if (cell.length === 0 || !FORMULA_START.test(cell)) return cell;
  if (PLAIN_NUMBER.test(cell)) return cell;
  return `'${cell}`;
}

export interface CsvWriteOptions {
  /** Default true: see escapeFormula. `--no-escape-formulas` turns it off. */
  readonly escapeFormulas: boolean;
}

/** Rows per stringify call: big enough to be cheap, small enough to stream. */
const BATCH = 2000;

/** Format records (arrays of text cells) as CSV lines ending in LF. */
export function formatCsvRecords(records: readonly (readonly string[])[], options: CsvWriteOptions): string {
  const rows = options.escapeFormulas ? records.map((r) => r.map(escapeFormula)) : records;
  // quote_record_delimiter: with record_delimiter 'unix' csv-stringify would leave a lone CR
  // unquoted, and a reader honouring CR line ends (kam does) would split the cell there.
  return stringify(rows as string[][], {
    eof: true,
    record_delimiter: 'unix',
    quote_record_delimiter: true,
    quoted_empty: false,
    ...(options.escapeFormulas ? { quoted_match: ESCAPED } : {}),
  });
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
  await sink.write(formatCsvRecords([header], options));
  let batch: (readonly string[])[] = [];
  for (const r of records) {
    batch.push(r);
    if (batch.length >= BATCH) {
      if (sink.closed) return;
      await sink.write(formatCsvRecords(batch, options));
      batch = [];
    }
  }
  if (batch.length && !sink.closed) await sink.write(formatCsvRecords(batch, options));
}
