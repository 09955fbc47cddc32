/**
 * The notes and warnings the reader says about a file (how it was decoded, what its layout
 * added and what was dropped), as typed codes with their data, and the one place they become
 * words (`readerNoteText`), as run-notes.ts does for the commands and schema/notes.ts for
 * validation. The reader decides on the code; `READER_NOTE_LEVEL` says which are warnings.
 */
import { bomName, DELIMITER_NAMES, encodingLabel } from './dialect.ts';

/** A sheet of a workbook other than the one read, as the note names it. */
interface OtherSheet {
  readonly name: string;
  readonly hidden: boolean;
  /** 'worksheet', or what else it is ('chartsheet', 'macrosheet', ...). */
  readonly kind: string;
}

/** One note of a read table. */
export type ReaderNote =
  // decoding and dialect (CSV)
  | { readonly code: 'utf8_despite_encoding'; readonly source: string; readonly encoding: string }
  | { readonly code: 'utf8_with_stray_bytes'; readonly source: string; readonly encoding: string; readonly lines: readonly number[] }
  | { readonly code: 'detected_dialect'; readonly encoding: string; readonly delimiter: string }
  | { readonly code: 'sep_line'; readonly char: string }
  // options that do not apply to this input
  | { readonly code: 'ignored_option'; readonly option: 'sheet'; readonly value: string; readonly why: 'not_a_workbook'; readonly source: string }
  | { readonly code: 'ignored_option'; readonly option: 'encoding'; readonly value: string; readonly why: 'bom'; readonly bom: string }
  | {
      readonly code: 'ignored_option';
      readonly option: 'encoding' | 'delimiter' | 'decimal';
      readonly value: string;
      readonly why: 'workbook';
      readonly source: string;
    }
  // the table's shape (CSV)
  | { readonly code: 'unguarded_cells'; readonly cells: number }
  | { readonly code: 'trailing_delimiter'; readonly column: number }
  | { readonly code: 'footer_dropped'; readonly lines: readonly number[] }
  | { readonly code: 'blank_lines_inside'; readonly lines: readonly number[] }
  // a workbook's layout (rows are the sheet's row numbers)
  | { readonly code: 'sheet_read'; readonly sheet: string; readonly hidden: boolean; readonly others: readonly OtherSheet[] }
  | { readonly code: 'sheet_title_rows'; readonly rows: readonly number[] }
  | { readonly code: 'sheet_empty_columns'; readonly columns: readonly string[] }
  | { readonly code: 'sheet_hidden_columns'; readonly columns: readonly { readonly letters: string; readonly header: string }[] }
  | { readonly code: 'sheet_hidden_rows'; readonly rows: readonly number[] }
  | { readonly code: 'sheet_merged_ranges'; readonly ranges: number }
  | { readonly code: 'sheet_totals_dropped'; readonly rows: readonly number[] }
  | { readonly code: 'sheet_footer_dropped'; readonly rows: readonly number[] }
  | { readonly code: 'sheet_blank_rows'; readonly rows: readonly number[] }
  | { readonly code: 'formulas_uncached'; readonly sheet: string; readonly cells: readonly string[] };

type ReaderNoteCode = ReaderNote['code'];

/** How each note is introduced: `warning: `, or plainly. */
export const READER_NOTE_LEVEL: Readonly<Record<ReaderNoteCode, 'warning' | 'plain'>> = {
  utf8_despite_encoding: 'warning',
  utf8_with_stray_bytes: 'warning',
  detected_dialect: 'plain',
  sep_line: 'plain',
  ignored_option: 'plain',
  unguarded_cells: 'plain',
  trailing_delimiter: 'plain',
  footer_dropped: 'plain',
  blank_lines_inside: 'plain',
  sheet_read: 'plain',
  sheet_title_rows: 'plain',
  sheet_empty_columns: 'plain',
  sheet_hidden_columns: 'plain',
  sheet_hidden_rows: 'plain',
  sheet_merged_ranges: 'plain',
  sheet_totals_dropped: 'plain',
  sheet_footer_dropped: 'plain',
  sheet_blank_rows: 'plain',
  formulas_uncached: 'warning',
};

/** Tells a reader note from the other layers' where notes are kept together (commands/load.ts). */
export const isReaderNote = (n: { readonly code: string }): n is ReaderNote => Object.hasOwn(READER_NOTE_LEVEL, n.code);

const MAX_LISTED_LINES = 10;
const s = (n: number): string => (n === 1 ? '' : 's');

/** 'rows 1-3, 7' (at most 10 runs) for a workbook's rows. */
function rowList(rows: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < rows.length && parts.length < 10;) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === rows[j]! + 1) j++;
    parts.push(j === i ? `${rows[i]}` : `${rows[i]}-${rows[j]}`);
    i = j + 1;
  }
  const shown = parts.join(', ') + (rows.length > 0 && parts.length === 10 && rows.length > 10 ? ', ...' : '');
  return `${rows.length === 1 ? 'row' : 'rows'} ${shown}`;
}

/** The words of the options a file ignores. */
function ignoredText(n: Extract<ReaderNote, { code: 'ignored_option' }>): string {
  if (n.why === 'not_a_workbook') return `ignored --sheet ${n.value}: ${n.source} is not a workbook`;
  if (n.why === 'bom') return `ignored --encoding ${n.value}: the file starts with a ${bomName(n.bom)} byte-order mark`;
  if (n.option === 'decimal') return `ignored --decimal ${n.value}: a workbook's numbers are numbers, not text`;
  return n.option === 'delimiter' ? `ignored --delimiter: ${n.source} is a workbook` : `ignored --encoding ${n.value}: ${n.source} is a workbook`;
}

/** The words of the decoding, dialect and CSV shape notes. */
function csvWords(n: ReaderNote): string {
  switch (n.code) {
    case 'utf8_despite_encoding':
      return `${n.source} is valid UTF-8: read as UTF-8, not as ${n.encoding} (which would turn every 'ü' into 'Ã¼'); drop --encoding`;
    case 'utf8_with_stray_bytes': {
      const shown = n.lines.slice(0, 10).join(', ') + (n.lines.length > 10 ? `, ... (${n.lines.length} lines)` : '');
      return (
        `${n.source} looks like UTF-8 with a few bytes that are not (line${s(n.lines.length)} ${shown}): ` +
        `read as UTF-8, and only those bytes as ${n.encoding}, instead of turning every 'ü' into 'Ã¼'; check ${n.lines.length === 1 ? 'that line' : 'those lines'}`
      );
    }
    case 'detected_dialect':
      return `detected ${encodingLabel(n.encoding)}, ${DELIMITER_NAMES.get(n.delimiter) ?? `'${n.delimiter}'`}-delimited`;
    case 'sep_line':
      return `honoured the Excel 'sep=${n.char}' line (line 1)`;
    case 'ignored_option':
      return ignoredText(n);
    case 'unguarded_cells':
      return `${n.cells} ${n.cells === 1 ? 'cell starts' : 'cells start'} with the spreadsheet formula guard ' (as in '=1+1 or '-5): read without it`;
    case 'trailing_delimiter':
      return `ignored column ${n.column}: no header name and no values (a trailing delimiter)`;
    case 'footer_dropped': {
      const first = n.lines[0] ?? 0;
      const last = n.lines[n.lines.length - 1] ?? first;
      return `dropped a report footer (${first === last ? `line ${first}` : `lines ${first}-${last}`})`;
    }
    case 'blank_lines_inside': {
      const shown = n.lines.slice(0, MAX_LISTED_LINES).join(', ');
      const more = n.lines.length > MAX_LISTED_LINES ? `, ... and ${n.lines.length - MAX_LISTED_LINES} more` : '';
      return `skipped ${n.lines.length} blank row${s(n.lines.length)} inside the data (line${s(n.lines.length)} ${shown}${more})`;
    }
    default:
      return sheetWords(n);
  }
}

/** The words of a workbook's notes. */
function sheetWords(n: ReaderNote): string {
  switch (n.code) {
    case 'sheet_read': {
      const named = n.others.map((o) => `'${o.name}'${o.hidden ? ' (hidden)' : ''}${o.kind === 'worksheet' ? '' : ` (a ${o.kind})`}`);
      return `read sheet '${n.sheet}'${n.hidden ? ' (hidden)' : ''}; the workbook also has ${named.join(', ')}: --sheet NAME reads another`;
    }
    case 'sheet_title_rows':
      return `dropped ${n.rows.length === 1 ? 'a title row' : `${n.rows.length} title rows`} above the header (${rowList(n.rows)})`;
    case 'sheet_empty_columns':
      return `ignored column${s(n.columns.length)} ${n.columns.join(', ')}: no header name and no values`;
    case 'sheet_hidden_columns':
      return `${n.columns.length === 1 ? 'column' : 'columns'} hidden in the sheet, read like the others: ${n.columns.map((c) => `${c.letters} '${c.header}'`).join(', ')}`;
    case 'sheet_hidden_rows':
      return `${n.rows.length} hidden ${n.rows.length === 1 ? 'row' : 'rows'} (a filter or a collapsed group in Excel) read like the others: ${rowList(n.rows)}`;
    case 'sheet_merged_ranges': {
      const one = n.ranges === 1;
      return `${n.ranges} merged ${one ? 'range' : 'ranges'} of rows read as ${one ? 'its' : 'their'} value on every row ${one ? 'it covers' : 'they cover'}`;
    }
    case 'sheet_totals_dropped':
      return `dropped ${n.rows.length} subtotal and total ${n.rows.length === 1 ? 'row' : 'rows'} of a formatted report (${rowList(n.rows)})`;
    case 'sheet_footer_dropped':
      return `dropped a report footer (${rowList(n.rows)})`;
    case 'sheet_blank_rows':
      return `skipped ${n.rows.length} blank ${n.rows.length === 1 ? 'row' : 'rows'} inside the data (${rowList(n.rows)})`;
    case 'formulas_uncached':
      return (
        `${n.cells.length} formula ${n.cells.length === 1 ? 'cell has' : 'cells have'} no saved value (${n.cells
          .slice(0, 5)
          .map((r) => `${n.sheet}!${r}`)
          .join(', ')}${n.cells.length > 5 ? ', ...' : ''}): ` + 'read as blank; open the workbook in Excel and save it so its formulas are calculated'
      );
    default:
      throw new Error(`reader-notes: no words for ${n.code}`);
  }
}

/** The note in words with its level (`warning: ...`), as after `kam: <file>: `. */
export function readerNoteText(n: ReaderNote): string {
  return `${READER_NOTE_LEVEL[n.code] === 'warning' ? 'warning: ' : ''}${csvWords(n)}`;
}
