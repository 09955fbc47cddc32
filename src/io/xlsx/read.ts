/**
 * An .xlsx workbook -> the same RawTable the CSV reader makes: one sheet (the first visible
 * one, or `--sheet NAME|N`), its header row and data records, each record's `line` the
 * sheet's row number, every cell as the canonical text of cell-text.ts. What the sheet's
 * layout adds to the data is recognised and said once: title rows above the header, merged
 * cells (filled with their value), a report's subtotal rows and footer, hidden sheets,
 * columns and rows, formulas without a cached value. The sheet part is inflated and scanned
 * as a stream; the records are held as the CSV reader holds them.
 *
 * The steps, each in its module: workbook.ts (parts, sheet list, styles, shared strings),
 * sheet-scan.ts (the sheet XML as rows), sheet-table.ts (rows -> header and records, with
 * report-shape.ts for a formatted report's title rows, subtotals and footer).
 */
import type { TableFields } from '../read-table.ts';
import type { ReaderNote } from '../reader-notes.ts';
import type { FooterTexts } from './report-shape.ts';
import { scanSheet } from './sheet-scan.ts';
import { tableOf } from './sheet-table.ts';
import { cellContext, chooseSheet, openBook, type SheetInfo } from './workbook.ts';
import type { ZipSource } from './zip.ts';

export interface WorkbookReadOptions {
  /** --sheet: a sheet's name, or its 1-based position among the worksheets. */
  readonly sheet?: string | undefined;
}

/**
 * Reads one sheet of a workbook into a RawTable. InputError (exit 1) for what the user must
 * fix in the file; UsageError (exit 2) for a `--sheet` the workbook does not have.
 */
export async function readWorkbook(src: ZipSource, display: string, options: WorkbookReadOptions, footer: FooterTexts): Promise<TableFields> {
  const book = await openBook(src, display);
  const { sheet, entry } = chooseSheet(book, options.sheet, display);
  const scanned = await scanSheet(src, entry, display, await cellContext(book));
  const table = tableOf(scanned, sheet.name, display, footer);
  const others = otherSheetsNote(book.sheets, sheet);
  return others.length === 0 ? table : { ...table, notes: [...others, ...table.notes] };
}

/** The note naming the sheets not read, when there are any. */
function otherSheetsNote(sheets: readonly SheetInfo[], sheet: SheetInfo): ReaderNote[] {
  const others = sheets.filter((s) => s !== sheet).map((s) => ({ name: s.name, hidden: s.state !== 'visible', kind: s.kind }));
  return others.length === 0 ? [] : [{ code: 'sheet_read', sheet: sheet.name, hidden: sheet.state !== 'visible', others }];
}
