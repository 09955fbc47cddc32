/**
 * One record-aligned block of an input as records: numbered by physical line, blank records
 * told apart, and csv-parse's errors turned into one line naming the physical line and column
 * of the problem. csv-parse is the reference for every quoting rule and every error. A block
 * of plain RFC 4180 CSV is read by kam's own byte-level tokeniser (fast-records.ts), which gives
 * up on anything else, and csv-parse reads that block as before; a differential fuzz test
 * (test/fuzz/fast-records.fuzz.test.ts) holds the two to identical records. CPU on a loaded
 * machine (100k bench file: medians of 3; 1M: one run): `kam columns` (read + map) 2.10 -> 1.05
 * s, 1M 24.4 -> 13.2 s; `kam score --format csv` 4.34 -> 3.84 s, 1M 60.2 -> 52.4 s, the rest
 * of it validation and the writer. That is the 25% issue 13 item 2 asks for on reading, not
 * yet on score; it serves anyway because csv-parse alone (1.0-1.3 s on 100k, 3.5x the
 * tokeniser) is more than the 1 s for the whole score. papaparse 5.7.1 had won 8%.
 */
import { createRequire } from 'node:module';
import type * as CsvParseSync from 'csv-parse/sync';
import type { CsvError, Options } from 'csv-parse/sync';
import { InputError } from '../errors.ts';
import { fastRecords } from './fast-records.ts';
import { CR, LF, QUOTE } from './bytes.ts';

let csvParse: typeof CsvParseSync | undefined;
/** csv-parse, loaded when a file is read (not for `kam --help`). */
function csv(): typeof CsvParseSync {
  csvParse ??= createRequire(import.meta.url)('csv-parse/sync') as typeof CsvParseSync;
  return csvParse;
}

/** How one input is split into records. */
export interface CsvDialect {
  readonly source: string;
  readonly delimiter: string;
  readonly maxRecordSize: number;
}

/** The records of one block, blank ones counted and left out. */
export interface BlockRecords {
  /** Non-blank records (the header among them, for the first block that has one). */
  readonly cells: string[][];
  /** Physical line where each of `cells` starts. */
  readonly lines: number[];
  /** Index of each of `cells` among all the block's records (blank ones included). */
  readonly rowIndex: number[];
  /** All records csv-parse found in the block, blank ones included. */
  readonly rowCount: number;
  /** Blank physical lines (blank lines, rows of empty cells) and the first line of each. */
  readonly blankLines: number;
  readonly blankLineNumbers: number[];
  /** The physical line just after the block. */
  readonly endLine: number;
  /**
   * For each of `cells`, two numbers: where its bytes start and end in the block (its line
   * break included) when they are what the CSV writer makes of its cells in this delimiter
   * (kam's tokeniser says so as it reads; see Fields.plain), else -1, -1. No array: unknown.
   */
  readonly plainSpans?: readonly number[];
}

function optionsFor(dialect: CsvDialect): Options {
  return {
    delimiter: dialect.delimiter,
    quote: '"',
    escape: '"',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    max_record_size: dialect.maxRecordSize,
    bom: false,
  };
}

/** csv-parse over a block; a CsvError becomes the InputError naming its line and column. */
function parseOrExplain(input: Buffer, text: () => string, dialect: CsvDialect, firstLine: number): string[][] {
  const options = optionsFor(dialect);
  try {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's typed overload (parse<T>) rejects our options (columns: false)
    return csv().parse(input, options) as string[][];
  } catch (err) {
    if (!(err instanceof csv().CsvError)) throw err;
    // Find where the failing record starts: re-read the records before it (error path only).
    let before: string[][] = [];
    try {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's typed overload (parse<T>) rejects our options (columns: false)
      if (typeof err.records === 'number' && err.records > 0) before = csv().parse(input, { ...options, to: err.records }) as string[][];
    } catch {
      // Cannot happen (those records parsed once already); the record-1 line is the fallback.
    }
    let line = firstLine;
    for (const cells of before) line += 1 + countBreaksInCells(cells);
    const all = text();
    throw csvInputError(err, dialect, all, line, offsetOfLine(all, line - firstLine));
  }
}

/**
 * The records of one block (which starts at a record boundary, at physical line
 * `firstLine`), numbered by physical line: by the fast tokeniser when the block is plain
 * RFC 4180 CSV, else by csv-parse, which also reports every error. `text` is the block as
 * text (for messages and the rare one-empty-cell record).
 */
export function parseBlock(input: Buffer, text: () => string, dialect: CsvDialect, firstLine: number): BlockRecords {
  return fastRecords(input, dialect, firstLine) ?? csvParseBlock(input, text, dialect, firstLine);
}

/**
 * `parseBlock` by csv-parse alone: the fallback, and the reference the fast path is tested
 * against. csv-parse's own `info.lines` counts a CRLF inside quotes twice (and
 * `info`/`raw`/`on_record` cost more than the parse itself), so lines are derived from the
 * values: a record spans one line plus the line breaks inside its quoted values, which keep
 * them verbatim.
 */
export function csvParseBlock(input: Buffer, text: () => string, dialect: CsvDialect, firstLine: number): BlockRecords {
  const rows = parseOrExplain(input, text, dialect, firstLine);
  const out = { cells: [] as string[][], lines: [] as number[], rowIndex: [] as number[], blankLines: 0, blankLineNumbers: [] as number[] };
  // Finds a record's text only for the rare one-empty-cell records, to tell a blank line from `""`.
  let cursorLine = firstLine;
  let cursorOffset = 0;
  let all: string | undefined;
  const isQuotedLine = (line: number): boolean => {
    all ??= text();
    cursorOffset = offsetOfLine(all, line - cursorLine, cursorOffset);
    cursorLine = line;
    for (let i = cursorOffset; i < all.length; i++) {
      const c = all.charCodeAt(i);
      if (c === QUOTE) return true;
      if (c === LF || c === CR) return false;
    }
    return false;
  };
  let line = firstLine;
  for (let k = 0; k < rows.length; k++) {
    const cells = rows[k]!;
    const start = line;
    line += 1 + countBreaksInCells(cells);
    // Only delimiters (',,,') is the blank row Excel writes inside a sheet's used range.
    const blank = cells.length === 1 ? (cells[0] ?? '').trim() === '' && !isQuotedLine(start) : cells.length > 1 && cells.every((c) => c.trim() === '');
    if (blank) {
      out.blankLines += line - start;
      out.blankLineNumbers.push(start);
    } else {
      out.cells.push(cells);
      out.lines.push(start);
      out.rowIndex.push(k);
    }
  }
  return { ...out, rowCount: rows.length, endLine: line };
}

/** Turns a csv-parse error into one line naming the physical line of the problem. */
function csvInputError(err: CsvError, dialect: CsvDialect, text: string, recordLine: number, recordOffset: number): InputError {
  const at = (line: number, message: string): InputError => new InputError(`${dialect.source}:${line}: ${message}`, { cause: err });
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED': {
      const rest = text.slice(recordOffset);
      const last = rest.charCodeAt(rest.length - 1);
      const endLine = recordLine + countLineBreaks(rest) - (last === LF || last === CR ? 1 : 0);
      return at(recordLine, `unclosed quote in the record starting at this line (reached the end of the file at line ${endLine})`);
    }
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE': {
      const found = locateQuoteError(text, recordOffset, dialect.delimiter);
      const line = recordLine + (found?.lineDelta ?? 0);
      const column = found?.column ?? (typeof err.column === 'number' ? err.column + 1 : 1);
      return err.code === 'INVALID_OPENING_QUOTE'
        ? at(line, `quote in an unquoted field (column ${column})`)
        : at(line, `unexpected text after a closing quote (column ${column})`);
    }
    case 'CSV_MAX_RECORD_SIZE':
      return at(recordLine, `record larger than ${dialect.maxRecordSize} bytes (--max-record-size)`);
    default:
      return at(recordLine, `cannot parse the record starting at this line (${err.code})`);
  }
}

/** Past a quoted field from its opening quote at `i`: the index after its closing quote (n if none) and the line breaks inside. */
function skipQuoted(text: string, i: number): { end: number; breaks: number } {
  const n = text.length;
  let breaks = 0;
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      if (text.charCodeAt(i + 1) !== QUOTE) return { end: i + 1, breaks };
      i += 2;
      continue;
    }
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) breaks++;
    i++;
  }
  return { end: n + 1, breaks };
}

/**
 * Re-scans one record (RFC 4180 rules, as csv-parse applies them) to find where a quote
 * error is: lines into the record and 1-based field number.
 */
function locateQuoteError(text: string, start: number, delimiter: string): { lineDelta: number; column: number } | undefined {
  const n = text.length;
  let i = start;
  let field = 0;
  let lineDelta = 0;
  while (i < n) {
    if (text.charCodeAt(i) === QUOTE) {
      const quoted = skipQuoted(text, i);
      lineDelta += quoted.breaks;
      i = quoted.end;
      if (i >= n) return undefined;
      const c = text[i];
      if (c === delimiter) {
        field++;
        i++;
        continue;
      }
      if (c === '\r' || c === '\n') return undefined;
      return { lineDelta, column: field + 1 };
    }
    for (;;) {
      if (i >= n) return undefined;
      const c = text[i];
      i++;
      if (c === delimiter) {
        field++;
        break;
      }
      if (c === '\r' || c === '\n') return undefined;
      if (c === '"') return { lineDelta, column: field + 1 };
    }
  }
  return undefined;
}

/** Line breaks inside a record's values (only quoted values can hold them). */
export function countBreaksInCells(cells: readonly string[]): number {
  let n = 0;
  for (const cell of cells) {
    if (cell.indexOf('\n') !== -1 || cell.indexOf('\r') !== -1) n += countLineBreaks(cell);
  }
  return n;
}

/** Index in s just after the n-th line break counted from `from` (`from` itself for n = 0). */
function offsetOfLine(s: string, n: number, from = 0): number {
  let i = from;
  for (let seen = 0; seen < n && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || (c === CR && s.charCodeAt(i + 1) !== LF)) seen++;
  }
  return i;
}

/** Line breaks in s: CRLF, LF and lone CR each count once. */
function countLineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || (c === CR && s.charCodeAt(i + 1) !== LF)) n++;
  }
  return n;
}
