/**
 * The reader shared by accounts and deals files: bytes -> decoded text -> header + raw
 * records with physical line numbers. File-level problems are InputErrors naming
 * `<source>:<line>`; row-level problems (ragged rows, bad values) are left to the schema layer.
 */
import { constants, fstatSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { open, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as CsvParseSync from 'csv-parse/sync';
import type { CsvError, Options } from 'csv-parse/sync';
import { InputError, UsageError } from '../errors.ts';
import { checkHead, decodeBytes, HEAD_BYTES } from './decode.ts';
import { isEnrichedHeader } from './enriched.ts';
import { unescapeFormula } from './write-csv.ts';
import { readIfWorkbook } from './xlsx/index.ts';

/** Reader options, as given on the command line. */
export interface ReadOptions {
  /** --encoding: any name iconv-lite knows; default: BOM, else strict UTF-8. */
  readonly encoding?: string | undefined;
  /** --delimiter: one character, or tab / comma / semicolon / pipe; default: detected. */
  readonly delimiter?: string | undefined;
  /** --max-record-size in bytes; default 1 MiB. Bounds the damage of an unclosed quote. */
  readonly maxRecordSize?: number | undefined;
  /** --max-input-size in bytes; default 2 GiB. Bounds what stdin, a FIFO or a device can make kam hold. */
  readonly maxInputSize?: number | undefined;
  /** --sheet: which sheet of a workbook (name, or 1-based position); see io/xlsx/read.ts. */
  readonly sheet?: string | undefined;
  /** --decimal (or the config's), only to say it is ignored for a workbook, whose numbers are numbers. */
  readonly decimal?: '.' | ',' | undefined;
}

/** The default --max-input-size: 2 GiB, the most Node reads of one file. */
const DEFAULT_MAX_INPUT_SIZE = 2 ** 31;

/**
 * The most bytes of one input kam holds as text: V8's longest string (2^29 - 24 UTF-16 code
 * units, `buffer.constants.MAX_STRING_LENGTH` on 64-bit Node 20-24). A UTF-8 file never
 * decodes to more characters than it has bytes, so every file up to this size fits; a larger
 * one is refused with this limit, in bytes, instead of a wrong "invalid UTF-8".
 */
export const MAX_TEXT_BYTES = 536_870_888;

/** One data record as read. */
export interface RawRecord {
  /** Physical line (1-based) where the record starts. */
  readonly line: number;
  readonly cells: readonly string[];
}

/** A parsed CSV file: header and data records, untyped. */
export interface RawTable {
  /** Display name: the path as given, or '<stdin>'. */
  readonly source: string;
  readonly encoding: string;
  /** ',', ';', '\t', '|' (or another single character from --delimiter or a sep= line). */
  readonly delimiter: string;
  readonly delimiterSource: 'detected' | 'sep-line' | 'option';
  /** The file started with a byte-order mark. */
  readonly hadBom: boolean;
  /** The first line break of the file (LF when it has none): what the enriched CSV is written with. */
  readonly lineEnding: '\n' | '\r\n' | '\r';
  /** Cells (header included) that carried the spreadsheet formula guard `'` (`'=1+1`), read without it. */
  readonly unguardedCells: number;
  readonly headerLine: number;
  /** Raw header cells: BOM removed, otherwise untouched. */
  readonly header: readonly string[];
  /** Data records only; may be ragged (the schema layer rejects those rows, the reader never pads or drops them). */
  readonly records: readonly RawRecord[];
  /** Blank or whitespace-only lines skipped, and rows of empty cells only (',,,' as Excel writes them). */
  readonly blankLines: number;
  /** Lines of a dropped report footer (Salesforce "Grand Totals", "Confidential Information", ...). */
  readonly footerLines: readonly number[];
  /** One-line diagnostics for stderr, e.g. 'detected UTF-16LE (BOM), TAB-delimited'. */
  readonly notes: readonly string[];
  /**
   * Set when the table was read from a workbook: the sheet and each header column's letters,
   * so a location is a cell (`Sheet1!C5`; see `locate`); `line` is then the sheet's row number.
   */
  readonly sheet?: { readonly name: string; readonly columns: readonly string[] } | undefined;
}

let csvParse: typeof CsvParseSync | undefined;
/** csv-parse, loaded when a file is read (not for `kam --help`). */
function csv(): typeof CsvParseSync {
  csvParse ??= createRequire(import.meta.url)('csv-parse/sync') as typeof CsvParseSync;
  return csvParse;
}

/** 1 MiB: far above any real CRM record, small enough to stop a runaway quote early. */
const DEFAULT_MAX_RECORD_SIZE = 1_048_576;
/** Delimiter detection looks at the header and this many records, within SNIFF_CHARS. */
const SNIFF_RECORDS = 20;
const SNIFF_CHARS = 256 * 1024;
/** Candidates in tie-break order. */
const CANDIDATES = [',', ';', '\t', '|'] as const;
/** A report footer is a short block; longer single-cell tails stay records for the schema to judge. */
const MAX_FOOTER_RECORDS = 10;

const DELIMITER_WORDS: ReadonlyMap<string, string> = new Map([
  ['tab', '\t'],
  ['\\t', '\t'],
  ['comma', ','],
  ['semicolon', ';'],
  ['pipe', '|'],
]);

const DELIMITER_NAMES: ReadonlyMap<string, string> = new Map([
  [',', 'comma'],
  [';', 'semicolon'],
  ['\t', 'TAB'],
  ['|', 'pipe'],
]);

/** Texts that only a report footer contains (Salesforce report exports). */
const FOOTER_PATTERNS: readonly RegExp[] = [
  /^Grand Totals? \(\d[\d,.\s]* records?\)$/i,
  /^Confidential Information - Do Not Distribute$/i,
  /^Copyright \(c\) [\d\s-]*salesforce\.com, inc\./i,
];

/** Excel's delimiter hint: `sep=;` (optionally quoted) alone on the first line. */
const SEP_LINE = /^(?:sep=([^\r\n"])|"sep=([^\r\n"])")(?:\r\n|\n|\r|$)/i;

const LF = 10;
const CR = 13;
const QUOTE = 34;

/**
 * Parses a whole CSV file held in memory. Pure apart from csv-parse; throws InputError
 * (exit 1) for file-level problems and UsageError (exit 2) for bad options.
 */
export function parseTable(bytes: Uint8Array, source: string, options: ReadOptions = {}): RawTable {
  const optionDelimiter = options.delimiter === undefined ? undefined : resolveDelimiter(options.delimiter);
  const maxRecordSize = resolveMaxRecordSize(options.maxRecordSize);
  const decoded = decodeBytes(bytes, source, options.encoding);
  const notes: string[] = [];
  if (decoded.warning !== undefined) notes.push(`warning: ${decoded.warning}`);
  if (options.sheet !== undefined) notes.push(`ignored --sheet ${options.sheet}: ${source} is not a workbook`);
  if (options.encoding !== undefined && decoded.hadBom) {
    notes.push(`ignored --encoding ${options.encoding}: the file starts with a ${bomName(decoded.encoding)} byte-order mark`);
  }

  let text = decoded.text;
  if (!/\S/.test(text)) throw new InputError(`${source}: input is empty: no header row`);

  // Parse from the original bytes when they are exactly the UTF-8 of `text` (no re-encoding).
  const isUtf8 = decoded.encoding === 'utf-8' || decoded.encoding === 'utf-8 (BOM)';
  let byteStart = decoded.hadBom && isUtf8 ? 3 : 0;
  let firstLine = 1;
  let delimiter: string;
  let delimiterSource: RawTable['delimiterSource'];

  const sep = SEP_LINE.exec(text);
  if (sep !== null) {
    const sepChar = sep[1] ?? sep[2] ?? ',';
    text = text.slice(sep[0].length);
    byteStart += Buffer.byteLength(sep[0]);
    firstLine = 2;
    if (!/\S/.test(text)) throw new InputError(`${source}: input is empty: no header row`);
    if (optionDelimiter === undefined) notes.push(`honoured the Excel 'sep=${sepChar}' line (line 1)`);
    delimiter = optionDelimiter ?? sepChar;
    delimiterSource = optionDelimiter === undefined ? 'sep-line' : 'option';
  } else if (optionDelimiter !== undefined) {
    delimiter = optionDelimiter;
    delimiterSource = 'option';
  } else {
    const counts = countCandidates(text);
    const isUtf16 = decoded.encoding.startsWith('utf-16');
    // Excel's "Unicode Text" is UTF-16LE + TAB; a header with tabs settles it.
    delimiter = isUtf16 && (counts[0]?.[2] ?? 0) > 0 ? '\t' : chooseDelimiter(counts);
    delimiterSource = 'detected';
    if (isUtf16 || delimiter !== ',') {
      notes.push(`detected ${encodingLabel(decoded.encoding)}, ${DELIMITER_NAMES.get(delimiter) ?? `'${delimiter}'`}-delimited`);
    }
  }

  const input = isUtf8 ? Buffer.from(bytes.buffer, bytes.byteOffset + byteStart, bytes.byteLength - byteStart) : Buffer.from(text);
  const parsed = parseRecords(input, text, source, delimiter, maxRecordSize, firstLine);
  const { header: rawHeader, headerLine, records } = parsed;
  if (rawHeader === undefined) throw new InputError(`${source}: input is empty: no header row`);

  const unguardedCells = unguard(rawHeader as string[], records);
  if (unguardedCells > 0 && !isEnrichedHeader(rawHeader)) {
    notes.push(
      `${unguardedCells} ${unguardedCells === 1 ? 'cell starts' : 'cells start'} with the spreadsheet formula guard ' (as in '=1+1 or '-5): read without it`,
    );
  }
  const header = checkHeader(rawHeader, records, source, headerLine, notes);
  const footerLines = dropFooter(header, headerLine, records, notes);
  const lastLine = records.length > 0 ? records[records.length - 1]!.line : headerLine;
  const blankInside = parsed.blankLineNumbers.filter((l) => l > headerLine && l < lastLine);
  if (blankInside.length > 0) notes.push(blankLinesNote(blankInside));

  return {
    source,
    encoding: decoded.encoding,
    delimiter,
    delimiterSource,
    hadBom: decoded.hadBom,
    lineEnding: lineEndingOf(text),
    unguardedCells,
    headerLine,
    header,
    records,
    blankLines: parsed.blankLines,
    footerLines,
    notes,
  };
}

/**
 * Reads a file (or stdin for '-') and parses it with parseTable. I/O failures are
 * UsageErrors (exit 2); a terminal on stdin is refused rather than waited on.
 */
export async function readTable(
  path: string,
  options: ReadOptions = {},
  stdin: NodeJS.ReadableStream = process.stdin,
  display: string = path,
): Promise<RawTable> {
  const cap = resolveMaxInputSize(options.maxInputSize);
  if (path === '-') {
    if ((stdin as { isTTY?: boolean }).isTTY === true) {
      throw new UsageError('stdin is a terminal: pass a file, or pipe one in (kam ... - < accounts.csv)');
    }
    // `kam score - < /tmp`: Node reads a directory on fd 0 as an empty stream; say what it is.
    const fd = (stdin as { fd?: unknown }).fd;
    if (typeof fd === 'number' && isDirectoryFd(fd)) throw new UsageError('cannot read <stdin>: EISDIR (it is a directory)');
    return parseTable(await readStream(stdin, '<stdin>', cap, options.encoding), '<stdin>', options);
  }
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (err) {
    throw ioError(display, err);
  }
  let bytes: Buffer;
  try {
    // An .xlsx is read by io/xlsx (by offset, its sheet as a stream) into the same table.
    const workbook = await readIfWorkbook(file, display, options, FOOTER_PATTERNS);
    if (workbook !== undefined) return workbook;
    bytes = await readOpenFile(file, path, display, cap, options.encoding);
  } finally {
    await file.close().catch(() => undefined);
  }
  return parseTable(bytes, display, options);
}

/**
 * A regular file is checked by size first (`cap`, then MAX_TEXT_BYTES), then by its first
 * KiB (`checkHead`), then read whole; a FIFO, a character device or a socket is read as a
 * stream with the same cap, so `/dev/zero` fails at its first KiB, `yes | ...` at the cap.
 */
async function readOpenFile(file: FileHandle, path: string, display: string, cap: number, encoding: string | undefined): Promise<Buffer> {
  let stat;
  try {
    stat = await file.stat();
  } catch (err) {
    throw ioError(display, err);
  }
  if (stat.isDirectory()) throw new UsageError(`${display} is a directory`);
  if (stat.isFIFO()) {
    // A FIFO is read as a pipe (non-blocking, like stdin), so a refusal at its first KiB stops
    // at once even while its writer goes on; a blocking read would hold the run until it ends.
    // Opened again before `file` closes, so the writer never sees the FIFO without a reader.
    const pipe = new Socket({ fd: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
    try {
      return await readStream(pipe, display, cap, encoding);
    } finally {
      pipe.destroy();
    }
  }
  if (!stat.isFile()) return readStream(file.createReadStream({ autoClose: false }), display, cap, encoding);
  if (stat.size > cap) throw tooLarge(display, stat.size, cap);
  if (stat.size > MAX_TEXT_BYTES) throw tooLong(display, stat.size);
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, stat.size));
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    checkHead(head.subarray(0, bytesRead), display, encoding);
    // The size may change while we read (a file still being written): read to its end, within the bounds.
    const chunks: Buffer[] = [head.subarray(0, bytesRead)];
    let total = bytesRead;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.max(65_536, Math.min(stat.size - total, 1 << 26)));
      const { bytesRead: n } = await file.read(buf, 0, buf.length, total);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > cap) throw tooLarge(display, total, cap);
      if (total > MAX_TEXT_BYTES) throw tooLong(display, total);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) throw err;
    throw new UsageError(`cannot read ${display}: ${errnoText(err)}`, { cause: err });
  }
}

/** `size` undefined: a stream, whose size is known only as "more than the cap". */
function isDirectoryFd(fd: number): boolean {
  try {
    return fstatSync(fd).isDirectory();
  } catch {
    return false;
  }
}

function tooLarge(display: string, size: number | undefined, cap: number): UsageError {
  const what = size === undefined ? `holds more than --max-input-size ${cap} bytes` : `is ${size} bytes, more than --max-input-size ${cap}`;
  return new UsageError(`${display} ${what}; raise --max-input-size if it really is one export`);
}

function tooLong(display: string, size: number): UsageError {
  return new UsageError(`${display} is ${size} bytes: kam reads at most ${MAX_TEXT_BYTES} bytes (512 MiB) of text from one file; split the export`);
}

function resolveMaxInputSize(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_INPUT_SIZE;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`invalid --max-input-size '${value}': expected a positive whole number of bytes`);
  }
  return value;
}

/**
 * Removes the formula guard kam's writer adds (`'=1+1` -> `=1+1`, see write-csv.ts), in place,
 * so a CSV kam wrote reads back as it was; returns how many cells carried it.
 */
function unguard(header: string[], records: readonly RawRecord[]): number {
  let n = 0;
  const strip = (cells: string[]): void => {
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!;
      if (cell.charCodeAt(0) !== 0x27) continue;
      const plain = unescapeFormula(cell);
      if (plain !== cell) {
        cells[i] = plain;
        n++;
      }
    }
  };
  strip(header);
  for (const r of records) strip(r.cells as string[]);
  return n;
}

/** The first line break of the text: CRLF, LF or a lone CR (LF when there is none). */
function lineEndingOf(text: string): '\n' | '\r\n' | '\r' {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr < 0) return '\n';
  if (lf < 0) return '\r';
  if (cr < lf) return cr + 1 === lf ? '\r\n' : '\r';
  return '\n';
}

interface ParsedRecords {
  header: readonly string[] | undefined;
  headerLine: number;
  records: RawRecord[];
  blankLines: number;
  /** The first line of each blank record (a blank line, or a row of empty cells). */
  blankLineNumbers: number[];
}

const MAX_LISTED_LINES = 10;

/** The note for blank rows between data rows: dropped, but named, so no row is lost unseen. */
function blankLinesNote(lines: readonly number[]): string {
  const shown = lines.slice(0, MAX_LISTED_LINES).join(', ');
  const more = lines.length > MAX_LISTED_LINES ? `, ... and ${lines.length - MAX_LISTED_LINES} more` : '';
  return `skipped ${lines.length} blank row${lines.length === 1 ? '' : 's'} inside the data (line${lines.length === 1 ? '' : 's'} ${shown}${more})`;
}

/**
 * Runs csv-parse and numbers records by physical line. csv-parse's own `info.lines`
 * counts a CRLF inside quotes twice (and `info`/`raw`/`on_record` cost more than the
 * parse itself), so lines are derived from the values: a record spans one line plus
 * the line breaks inside its quoted values, which keep them verbatim.
 */
function parseRecords(
  input: Buffer,
  text: string,
  source: string,
  delimiter: string,
  maxRecordSize: number,
  firstLine: number,
): ParsedRecords {
  const options = {
    delimiter,
    quote: '"',
    escape: '"',
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    max_record_size: maxRecordSize,
    bom: false,
  } satisfies Options;
  let rows: string[][];
  try {
    rows = csv().parse(input, options);
  } catch (err) {
    if (!(err instanceof csv().CsvError)) throw err;
    // Find where the failing record starts: re-read the records before it (error path only).
    let before: string[][] = [];
    try {
      if (typeof err.records === 'number' && err.records > 0) before = csv().parse(input, { ...options, to: err.records });
    } catch {
      // Cannot happen (those records parsed once already); the record-1 line is the fallback.
    }
    let line = firstLine;
    for (const cells of before) line += 1 + countBreaksInCells(cells);
    throw csvInputError(err, source, text, line, offsetOfLine(text, line - firstLine), delimiter, maxRecordSize);
  }

  const result: ParsedRecords = { header: undefined, headerLine: firstLine, records: [], blankLines: 0, blankLineNumbers: [] };
  // Finds a record's text only for the rare one-empty-cell records, to tell a blank line from `""`.
  let cursorLine = firstLine;
  let cursorOffset = 0;
  const isQuotedLine = (line: number): boolean => {
    cursorOffset = offsetOfLine(text, line - cursorLine, cursorOffset);
    cursorLine = line;
    for (let i = cursorOffset; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) return true;
      if (c === LF || c === CR) return false;
    }
    return false;
  };
  let line = firstLine;
  for (const cells of rows) {
    const start = line;
    line += 1 + countBreaksInCells(cells);
    if (cells.length === 1 && (cells[0] ?? '').trim() === '' && !isQuotedLine(start)) {
      result.blankLines += line - start;
      result.blankLineNumbers.push(start);
    } else if (cells.length > 1 && cells.every((c) => c.trim() === '')) {
      // Only delimiters (',,,'): the blank row Excel writes inside a sheet's used range.
      result.blankLines += line - start;
      result.blankLineNumbers.push(start);
    } else if (result.header === undefined) {
      result.header = cells;
      result.headerLine = start;
    } else {
      result.records.push({ line: start, cells });
    }
  }
  return result;
}

/** Turns a csv-parse error into one line naming the physical line of the problem. */
function csvInputError(
  err: CsvError,
  source: string,
  text: string,
  recordLine: number,
  recordOffset: number,
  delimiter: string,
  maxRecordSize: number,
): InputError {
  const at = (line: number, message: string): InputError => new InputError(`${source}:${line}: ${message}`, { cause: err });
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED': {
      const rest = text.slice(recordOffset);
      const last = rest.charCodeAt(rest.length - 1);
      const endLine = recordLine + countLineBreaks(rest) - (last === LF || last === CR ? 1 : 0);
      return at(recordLine, `unclosed quote in the record starting at this line (reached the end of the file at line ${endLine})`);
    }
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE': {
      const found = locateQuoteError(text, recordOffset, delimiter);
      const line = recordLine + (found?.lineDelta ?? 0);
      const column = found?.column ?? (typeof err.column === 'number' ? err.column + 1 : 1);
      return err.code === 'INVALID_OPENING_QUOTE'
        ? at(line, `quote in an unquoted field (column ${column})`)
        : at(line, `unexpected text after a closing quote (column ${column})`);
    }
    case 'CSV_MAX_RECORD_SIZE':
      return at(recordLine, `record larger than ${maxRecordSize} bytes (--max-record-size)`);
    default:
      return at(recordLine, `cannot parse the record starting at this line (${err.code})`);
  }
}

/**
 * Re-scans one record (RFC 4180 rules, as csv-parse applies them) to find where a quote
 * error is: lines into the record and 1-based field number.
 */
function locateQuoteError(
  text: string,
  start: number,
  delimiter: string,
): { lineDelta: number; column: number } | undefined {
  const n = text.length;
  let i = start;
  let field = 0;
  let lineDelta = 0;
  while (i < n) {
    if (text.charCodeAt(i) === QUOTE) {
      i++;
      for (;;) {
        if (i >= n) return undefined;
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          if (text.charCodeAt(i + 1) === QUOTE) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) lineDelta++;
        i++;
      }
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

/**
 * Checks header names and returns the header to use: a single trailing empty column
 * (a trailing delimiter on every line) is dropped from header and records.
 */
function checkHeader(
  header: readonly string[],
  records: RawRecord[],
  source: string,
  headerLine: number,
  notes: string[],
): readonly string[] {
  const isEmpty = (s: string | undefined): boolean => (s ?? '').trim() === '';
  const emptyAt = header.flatMap((h, i) => (isEmpty(h) ? [i] : []));
  const last = header.length - 1;
  if (
    emptyAt.length === 1 &&
    emptyAt[0] === last &&
    last > 0 &&
    records.every((r) => {
      const cells = r.cells;
      return cells.length < header.length || isEmpty(cells[last]);
    })
  ) {
    for (const r of records) if (r.cells.length === header.length) (r.cells as string[]).pop();
    notes.push(`ignored column ${last + 1}: no header name and no values (a trailing delimiter)`);
    header = header.slice(0, last);
  } else if (emptyAt[0] !== undefined) {
    throw new InputError(`${source}:${headerLine}: column ${emptyAt[0] + 1} has an empty header name`);
  }

  for (const [i, name] of header.entries()) {
    // A NUL (or another C0 control but TAB, CR, LF) in a header is a damaged or binary file, never a name.
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(name)) {
      throw new InputError(`${source}:${headerLine}: the header of column ${i + 1} ('${name}') contains a control character (NUL or similar): re-export the file`);
    }
  }
  const seen = new Map<string, number>();
  for (const [i, name] of header.entries()) {
    const key = name.trim().normalize('NFC').toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new InputError(
        `${source}:${headerLine}: duplicate column '${(header[first] ?? name).trim()}' at positions ${first + 1} and ${i + 1}`,
      );
    }
    seen.set(key, i);
  }
  return header;
}

/**
 * Removes a report footer: the trailing run of single-cell (or all-but-first-empty) records,
 * provided one of them is a known footer text. The footer starts at a blank line (or an
 * all-empty row, as Excel re-saves one) or at a known footer text: a name-only account
 * right after the data ('"Zeta Corp","",""') stays a record. Returns the dropped records' lines.
 */
function dropFooter(header: readonly string[], headerLine: number, records: RawRecord[], notes: string[]): number[] {
  if (header.length < 2) return [];
  const isFooterish = (r: RawRecord): boolean => r.cells.every((c, i) => i === 0 || c.trim() === '');
  let from = records.length;
  while (from > 0 && records.length - from < MAX_FOOTER_RECORDS && isFooterish(records[from - 1] as RawRecord)) from--;
  const isKnown = (r: RawRecord): boolean => FOOTER_PATTERNS.some((re) => re.test((r.cells[0] ?? '').trim()));
  if (!records.slice(from).some(isKnown)) return [];
  const endLine = (line: number, cells: readonly string[]): number => line + 1 + countBreaksInCells(cells);
  let previousEnd = from > 0 ? endLine(records[from - 1]!.line, records[from - 1]!.cells) : endLine(headerLine, header);
  for (; from < records.length; from++) {
    const r = records[from]!;
    if (isKnown(r) || r.line > previousEnd || r.cells.every((c) => c.trim() === '')) break;
    previousEnd = endLine(r.line, r.cells);
  }
  const tail = records.slice(from);
  records.length = from;
  const lines = tail.map((r) => r.line);
  const first = lines[0] ?? 0;
  const lastLine = lines[lines.length - 1] ?? first;
  notes.push(`dropped a report footer (${first === lastLine ? `line ${first}` : `lines ${first}-${lastLine}`})`);
  return lines;
}

/**
 * Per-record counts of each candidate delimiter outside quotes, for the header and the
 * first SNIFF_RECORDS records (blank lines skipped). Index order follows CANDIDATES.
 */
function countCandidates(text: string): number[][] {
  const rows: number[][] = [];
  let counts = [0, 0, 0, 0];
  let inQuotes = false;
  let hasContent = false;
  const end = Math.min(text.length, SNIFF_CHARS);
  let i = 0;
  for (; i < end && rows.length <= SNIFF_RECORDS; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Toggling on every quote treats "" inside a quoted field as leaving and re-entering it.
      inQuotes = !inQuotes;
      hasContent = true;
    } else if (inQuotes) {
      continue;
    } else if (c === LF || c === CR) {
      if (hasContent) rows.push(counts);
      counts = [0, 0, 0, 0];
      hasContent = false;
    } else {
      const k = CANDIDATES.indexOf(text[i] as (typeof CANDIDATES)[number]);
      if (k >= 0) counts[k] = (counts[k] ?? 0) + 1;
      // A line of only spaces and tabs is blank for the reader, so it must not vote either.
      if (c !== 32 && c !== 9) hasContent = true;
    }
  }
  if (hasContent && i === text.length && rows.length <= SNIFF_RECORDS) rows.push(counts);
  return rows;
}

/**
 * The candidate whose field count (> 1 on the header) the most records share;
 * ties go to the earlier candidate in `, ; TAB |`. A single-column file stays ','.
 */
function chooseDelimiter(rows: readonly (readonly number[])[]): string {
  const [header, ...data] = rows;
  let best: string = ',';
  let bestScore = -1;
  CANDIDATES.forEach((candidate, k) => {
    const fields = (header?.[k] ?? 0) + 1;
    if (fields < 2) return;
    const matching = data.filter((r) => (r[k] ?? 0) + 1 === fields).length;
    const score = data.length === 0 ? 1 : matching / data.length;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  });
  return best;
}

/** Line breaks inside a record's values (only quoted values can hold them). */
function countBreaksInCells(cells: readonly string[]): number {
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

function resolveDelimiter(value: string): string {
  const word = DELIMITER_WORDS.get(value.toLowerCase());
  if (word !== undefined) return word;
  if (value.length === 1 && value !== '"' && value !== '\r' && value !== '\n') return value;
  throw new UsageError(`invalid delimiter '${value}': use one character, or tab, comma, semicolon or pipe`);
}

function resolveMaxRecordSize(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RECORD_SIZE;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`invalid --max-record-size '${value}': expected a positive whole number of bytes`);
  }
  return value;
}

/** 'utf-16le (BOM)' -> 'UTF-16LE (BOM)'. */
function encodingLabel(encoding: string): string {
  return encoding.replace(/^[^ ]+/, (name) => name.toUpperCase());
}

function bomName(encoding: string): string {
  return (encoding.split(' ')[0] ?? encoding).toUpperCase();
}

/**
 * A stream (stdin, a FIFO, a device) read whole within `cap` bytes (and MAX_TEXT_BYTES); its
 * first KiB is checked (`checkHead`) as soon as it has arrived, so binary data stops the read.
 */
async function readStream(stream: NodeJS.ReadableStream, source: string, cap: number, encoding: string | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let checked = false as boolean; // set in check(): flow analysis would keep it false
  const check = (): void => {
    checked = true;
    const all = Buffer.concat(chunks, total);
    checkHead(all.subarray(0, HEAD_BYTES), source, encoding);
  };
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      chunks.push(buf);
      total += buf.length;
      if (!checked && total >= HEAD_BYTES) check();
      if (total > cap) throw tooLarge(source, undefined, cap);
      if (total > MAX_TEXT_BYTES) throw tooLong(source, total);
    }
  } catch (err) {
    (stream as { destroy?: () => void }).destroy?.();
    if (err instanceof UsageError || err instanceof InputError) throw err;
    if ((err as { code?: unknown }).code === 'EISDIR') throw new UsageError(`cannot read ${source}: EISDIR (it is a directory)`, { cause: err });
    throw new UsageError(`cannot read ${source}: ${errnoText(err)}`, { cause: err });
  }
  if (!checked && total > 0) check();
  return Buffer.concat(chunks, total);
}

const ERRNO_TEXT: ReadonlyMap<string, string> = new Map([
  ['ENOENT', 'no such file'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['ENOTDIR', 'a parent is not a directory'],
  ['ELOOP', 'too many symbolic links'],
  ['ENAMETOOLONG', 'name too long'],
  ['EMFILE', 'too many open files'],
  ['EIO', 'input/output error'],
  ['ERR_FS_FILE_TOO_LARGE', 'file larger than 2 GiB'],
]);

function errnoText(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return err instanceof Error ? err.message : String(err);
  const text = ERRNO_TEXT.get(code);
  return text === undefined ? code : `${code} (${text})`;
}

function ioError(path: string, err: unknown): UsageError {
  if ((err as { code?: unknown } | undefined)?.code === 'EISDIR') return new UsageError(`${path} is a directory`, { cause: err });
  return new UsageError(`cannot open ${path}: ${errnoText(err)}`, { cause: err });
}
