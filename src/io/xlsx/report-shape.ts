/**
 * What a formatted report (a Salesforce or Dynamics report exported as .xlsx) adds around
 * its table: title rows above the header, subtotal and total rows, a footer below the data.
 */
import type { RawRecord } from '../read-table.ts';
import { filledCells, isBlankRow, type Row } from './sheet-scan.ts';
import { InputError } from '../../errors.ts';

/** Texts only a report footer holds (Salesforce: "Confidential Information - Do Not Distribute", ...). */
export interface FooterTexts {
  readonly patterns: readonly RegExp[];
}

/** A subtotal or total row of a formatted report: the label it starts with. */
const TOTAL_LABEL = /^(?:sub-?totals?|totals?|grand totals?)(?:\s*\(\s*\d[\d,.\s]*(?:records?|rows?)?\s*\))?:?$/i;
const MAX_FOOTER_ROWS = 10;

/**
 * The header: the first row with two or more values (a one-column sheet: its first row);
 * the rows above it are title rows. A merged title spans columns with one value: it counts once.
 */
export function findHeader(rows: readonly Row[], mergedRows: ReadonlySet<number>, display: string, sheetName: string): { headerRow: Row; titleRows: number[] } {
  const distinct = (row: Row): number => (mergedRows.has(row.r) ? new Set(row.cells.filter((c) => c !== undefined && c.trim() !== '')).size : filledCells(row));
  const above: Row[] = [];
  for (const row of rows) {
    if (isBlankRow(row)) continue;
    if (distinct(row) >= 2) return { headerRow: row, titleRows: above.map((r) => r.r) };
    above.push(row);
  }
  const headerRow = above[0];
  if (headerRow === undefined) throw new InputError(`${display}: sheet '${sheetName}' is empty: no header row`);
  return { headerRow, titleRows: [] };
}

/** A report footer: a trailing run of one-value rows that holds a known footer text. */
export function dropFooter<R extends RawRecord>(records: R[], footer: FooterTexts): { records: R[]; footerLines: number[] } {
  const oneValue = (r: RawRecord): boolean => r.cells.filter((c) => c.trim() !== '').length <= 1;
  const isFooterText = (r: RawRecord): boolean => r.cells.some((c) => footer.patterns.some((p) => p.test(c.trim())));
  let from = records.length;
  while (from > 0 && records.length - from < MAX_FOOTER_ROWS && oneValue(records[from - 1]!)) from--;
  if (!records.slice(from).some(isFooterText)) return { records, footerLines: [] };
  // It starts at a known text or after a blank row: a name-only account right after the data stays.
  while (from < records.length && !isFooterText(records[from]!) && !(from > 0 ? records[from]!.line > records[from - 1]!.line + 1 : false)) from++;
  return { records: records.slice(0, from), footerLines: records.slice(from).map((r) => r.line) };
}

/** The subtotal and total rows of a formatted report (a title above the header, or a report footer) go. */
export function dropTotals<R extends RawRecord>(records: R[], formatted: boolean): { records: R[]; totalLines: number[] } {
  const totalLines: number[] = [];
  if (!formatted) return { records, totalLines };
  const kept = records.filter((r) => {
    const firstValue = r.cells.find((c) => c.trim() !== '');
    if (firstValue === undefined || !TOTAL_LABEL.test(firstValue.trim())) return true;
    totalLines.push(r.line);
    return false;
  });
  return { records: kept, totalLines };
}
