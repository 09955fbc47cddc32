/**
 * The scanned sheet as kam's table: merged cells filled, the header found, the columns and
 * records cut to it (a ragged row as in CSV), a formatted report's extra rows dropped, and a
 * note for each thing the sheet's layout added.
 */
import { InputError } from '../../errors.ts';
import type { RawRecord, TableFields } from '../read-table.ts';
import type { ReaderNote } from '../reader-notes.ts';
import { columnLetters, rowOf } from './cell-ref.ts';
import { dropFooter, dropTotals, findHeader, type FooterTexts } from './report-shape.ts';
import { isBlankRow, type Row, type Scanned } from './sheet-scan.ts';

type SheetRecord = RawRecord & { hidden: boolean };

/** Where a cell is, for messages: `Sheet1!C5`. */
type CellAt = (col: number, r: number) => string;

/** The scanned sheet as kam's table: header, records, and a note for each thing the layout added. */
export function tableOf(scanned: Scanned, sheetName: string, display: string, footer: FooterTexts): TableFields {
  const { rows } = scanned;
  rows.sort((a, b) => a.r - b.r);
  const { filledRanges, mergedRows } = fillMerges(rows, scanned.merges);
  rows.sort((a, b) => a.r - b.r);
  const at: CellAt = (col, r) => `${sheetName}!${columnLetters(col)}${r}`;
  const { headerRow, titleRows } = findHeader(rows, mergedRows, display, sheetName);
  const dataRows = rows.filter((r) => r.r > headerRow.r);
  const { columns, droppedEmpty, last } = headerColumns(headerRow, dataRows, display, at);
  const header = headerNames(headerRow, columns, display, at);
  const read = recordsOf(dataRows, columns, last, headerRow.r);
  const recordLines = new Set(read.records.map((r) => r.line));
  const { records: kept, footerLines } = dropFooter(read.records, footer);
  const { records, totalLines } = dropTotals(kept, titleRows.length > 0 || footerLines.length > 0);
  const hiddenColumns = columns.flatMap((c, i) => (scanned.hiddenColumns.has(c) ? [{ letters: columnLetters(c), header: header[i]! }] : []));
  const uncached = scanned.uncached.filter((r) => recordLines.has(rowOf(r)) || rowOf(r) === headerRow.r);
  const notes: ReaderNote[] = [
    ...layoutNotes({ titleRows, droppedEmpty, hiddenColumns, records, filledRanges, totalLines, footerLines, blankRows: read.blankRows }),
    ...(uncached.length > 0 ? [{ code: 'formulas_uncached' as const, sheet: sheetName, cells: uncached }] : []),
  ];
  return {
    source: display,
    encoding: 'xlsx',
    delimiter: ',',
    delimiterSource: 'detected',
    hadBom: false,
    lineEnding: '\n',
    unguardedCells: 0,
    headerLine: headerRow.r,
    header,
    records: records.map((r) => ({ line: r.line, cells: r.cells })),
    blankLines: read.blankRows.length,
    footerLines,
    notes,
    sheet: { name: sheetName, columns: columns.map(columnLetters) },
  };
}

/**
 * Merged cells hold their value in the top-left cell only: every cell of the range gets it.
 * The rows a merged range of columns spans (a merged title), and how many ranges span rows.
 */
function fillMerges(rows: Row[], merges: Scanned['merges']): { filledRanges: number; mergedRows: Set<number> } {
  const byRow = new Map<number, Row>();
  for (const row of rows) byRow.set(row.r, row);
  let filledRanges = 0;
  const mergedRows = new Set<number>();
  for (const [r1, c1, r2, c2] of merges) {
    const value = byRow.get(r1)?.cells[c1];
    if (value === undefined || r1 < 1 || c1 < 0) continue;
    if (r2 > r1) filledRanges++;
    for (let r = r1; r <= r2; r++) {
      let row = byRow.get(r);
      if (row === undefined) {
        row = { r, hidden: false, cells: [] };
        byRow.set(r, row);
        rows.push(row);
      }
      for (let c = c1; c <= c2; c++) row.cells[c] = value;
      if (c2 > c1 && r1 === r2) mergedRows.add(r);
    }
  }
  return { filledRanges, mergedRows };
}

/**
 * Every column between the first and last header cell; one without a name and without values
 * is dropped. InputError for an unnamed column with values, and for a value left of the header.
 */
function headerColumns(headerRow: Row, dataRows: readonly Row[], display: string, at: CellAt): { columns: number[]; droppedEmpty: number[]; last: number } {
  const headerCols: number[] = [];
  headerRow.cells.forEach((c, i) => {
    if (c !== undefined) headerCols.push(i);
  });
  const first = headerCols[0]!;
  const last = headerCols[headerCols.length - 1]!;
  const columns: number[] = [];
  const droppedEmpty: number[] = [];
  for (let c = first; c <= last; c++) {
    const name = headerRow.cells[c];
    if (name !== undefined && name.trim() !== '') {
      columns.push(c);
      continue;
    }
    const holder = dataRows.find((r) => (r.cells[c] ?? '').trim() !== '');
    if (holder !== undefined)
      throw new InputError(`${display}: ${at(c, headerRow.r)}: column ${columnLetters(c)} has an empty header name but holds values (${at(c, holder.r)})`);
    droppedEmpty.push(c);
  }
  for (const r of dataRows) {
    for (let c = 0; c < first; c++) {
      const v = r.cells[c];
      if (v !== undefined && v.trim() !== '')
        throw new InputError(
          `${display}: ${at(c, r.r)} holds '${v}' left of the header, which starts at ${at(first, headerRow.r)}: delete it or move the table`,
        );
    }
  }
  return { columns, droppedEmpty, last };
}

/** The header's names; InputError for a control character or a duplicate name. */
function headerNames(headerRow: Row, columns: readonly number[], display: string, at: CellAt): string[] {
  const header = columns.map((c) => headerRow.cells[c]!);
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(name)) {
      throw new InputError(`${display}: ${at(columns[i]!, headerRow.r)}: the header '${name}' contains a control character: re-export the file`);
    }
    const key = name.trim().normalize('NFC').toLowerCase();
    const prior = seen.get(key);
    if (prior !== undefined)
      throw new InputError(`${display}: ${at(columns[i]!, headerRow.r)}: duplicate column '${name.trim()}' (also at ${at(columns[prior]!, headerRow.r)})`);
    seen.set(key, i);
  });
  return header;
}

/** Records: the header's columns, then whatever lies right of them (a ragged row, as in CSV); and the blank rows. */
function recordsOf(dataRows: readonly Row[], columns: readonly number[], lastCol: number, headerR: number): { records: SheetRecord[]; blankRows: number[] } {
  const records: SheetRecord[] = [];
  const blankRows: number[] = [];
  let previous = headerR;
  for (const row of dataRows) {
    for (let r = previous + 1; r < row.r; r++) blankRows.push(r);
    previous = row.r;
    if (isBlankRow(row)) {
      blankRows.push(row.r);
      continue;
    }
    // Values right of the header's last column make the record longer (ragged, as in CSV).
    let end = row.cells.length;
    while (end > lastCol + 1 && (row.cells[end - 1] ?? '').trim() === '') end--;
    const cells = columns.map((c) => row.cells[c] ?? '');
    for (let k = lastCol + 1; k < end; k++) cells.push(row.cells[k] ?? '');
    // The sparse row goes as its record comes: never both for the whole sheet.
    row.cells.length = 0;
    records.push({ line: row.r, cells, hidden: row.hidden });
  }
  return { records, blankRows };
}

interface Layout {
  readonly titleRows: readonly number[];
  readonly droppedEmpty: readonly number[];
  /** Each hidden column read: its letters and header. */
  readonly hiddenColumns: readonly { readonly letters: string; readonly header: string }[];
  readonly records: readonly SheetRecord[];
  readonly filledRanges: number;
  readonly totalLines: readonly number[];
  readonly footerLines: readonly number[];
  readonly blankRows: readonly number[];
}

/** A note for each thing the sheet's layout added to the data, in a fixed order. */
function layoutNotes(l: Layout): ReaderNote[] {
  const notes: ReaderNote[] = [];
  if (l.titleRows.length > 0) notes.push({ code: 'sheet_title_rows', rows: l.titleRows });
  if (l.droppedEmpty.length > 0) notes.push({ code: 'sheet_empty_columns', columns: l.droppedEmpty.map(columnLetters) });
  if (l.hiddenColumns.length > 0) notes.push({ code: 'sheet_hidden_columns', columns: l.hiddenColumns });
  const hiddenRows = l.records.filter((r) => r.hidden).map((r) => r.line);
  if (hiddenRows.length > 0) notes.push({ code: 'sheet_hidden_rows', rows: hiddenRows });
  if (l.filledRanges > 0) notes.push({ code: 'sheet_merged_ranges', ranges: l.filledRanges });
  if (l.totalLines.length > 0) notes.push({ code: 'sheet_totals_dropped', rows: l.totalLines });
  if (l.footerLines.length > 0) notes.push({ code: 'sheet_footer_dropped', rows: l.footerLines });
  const lastLine = l.records.length > 0 ? l.records[l.records.length - 1]!.line : undefined;
  const inside = l.blankRows.filter((r) => lastLine !== undefined && r < lastLine);
  if (inside.length > 0) notes.push({ code: 'sheet_blank_rows', rows: inside });
  return notes;
}
