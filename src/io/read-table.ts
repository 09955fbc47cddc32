/**
 * The reader shared by accounts and deals files: bytes -> decoded text -> header + raw
 * records with physical line numbers. File-level problems are InputErrors naming
 * `<source>:<line>`; row-level problems (ragged rows, bad values) are left to the schema layer.
 * The jobs live beside it: `read-source` (bytes in), `decode` (bytes to text), `dialect`
 * (delimiter, line ending), `csv-records` (csv-parse, lines, errors), `table-shape` (header,
 * footer, blank rows, formula guard), `table` (the accessors).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { InputError, UsageError } from '../errors.ts';
import { decodeBytes } from './decode.ts';
import { isEnrichedHeader } from './enriched.ts';
import { bomName, chooseDelimiter, countCandidates, DELIMITER_NAMES, encodingLabel, lineEndingOf, resolveDelimiter, SEP_LINE } from './dialect.ts';
import { parseBlock } from './csv-records.ts';
import { blankLinesNote, checkHeader, findFooter, unguard, unguardNote } from './table-shape.ts';
import { ioError, isDirectoryFd, readOpenFile, readStream, resolveMaxInputSize } from './read-source.ts';
import { Table } from './table.ts';

export { DEFAULT_MAX_INPUT_SIZE, MAX_TEXT_BYTES } from './read-source.ts';

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

/** One data record as read. */
export interface RawRecord {
  /** Physical line (1-based) where the record starts. */
  readonly line: number;
  readonly cells: readonly string[];
}

/** The validated rows of a table (account i is record `recordOf(i)`), read through their record index. */
export interface TableRows {
  readonly n: number;
  /** The record row i came from. */
  recordOf(i: number): number;
  /** Row i's cells, as read (formula guard removed; may be ragged). */
  cellsOf(i: number): readonly string[];
  /** The physical line row i starts at. */
  lineOf(i: number): number;
  /** Row i's cell in `column` ('' when the row is short). */
  cellOf(i: number, column: number): string;
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
  /** Record r's cells (r indexes `records`). */
  cellsOf(record: number): readonly string[];
  /** The physical line record r starts at. */
  lineOf(record: number): number;
  /** The rows a validation kept, by their record index (`ParsedAccounts.recordIndex`). */
  rowsOf(recordIndex: Uint32Array): TableRows;
  /**
   * Record r's original bytes, without its line ending, exactly as in the input (a UTF-8
   * input only: else undefined). What an output copies verbatim when it needs no re-quoting.
   */
  recordBytes(record: number): Uint8Array | undefined;
}

/** 1 MiB: far above any real CRM record, small enough to stop a runaway quote early. */
const DEFAULT_MAX_RECORD_SIZE = 1_048_576;

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
  const block = parseBlock(input, () => text, { source, delimiter, maxRecordSize }, firstLine);
  const [rawHeader, ...rest] = block.cells;
  if (rawHeader === undefined) throw new InputError(`${source}: input is empty: no header row`);
  const headerLine = block.lines[0]!;
  const records: RawRecord[] = rest.map((cells, k) => ({ line: block.lines[k + 1]!, cells }));

  let unguardedCells = unguard(rawHeader);
  for (const r of records) unguardedCells += unguard(r.cells as string[]);
  if (unguardedCells > 0 && !isEnrichedHeader(rawHeader)) notes.push(unguardNote(unguardedCells));
  const checked = checkHeader(rawHeader, records, source, headerLine);
  notes.push(...checked.notes);
  const footer = findFooter(checked.header, headerLine, records);
  records.length = footer.from;
  if (footer.note !== undefined) notes.push(footer.note);
  const lastLine = records.length > 0 ? records[records.length - 1]!.line : headerLine;
  const blankInside = block.blankLineNumbers.filter((l) => l > headerLine && l < lastLine);
  if (blankInside.length > 0) notes.push(blankLinesNote(blankInside));

  return new Table({
    source,
    encoding: decoded.encoding,
    delimiter,
    delimiterSource,
    hadBom: decoded.hadBom,
    lineEnding: lineEndingOf(text),
    unguardedCells,
    headerLine,
    header: checked.header,
    records,
    blankLines: block.blankLines,
    footerLines: footer.lines,
    notes,
  });
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

function resolveMaxRecordSize(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RECORD_SIZE;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`invalid --max-record-size '${value}': expected a positive whole number of bytes`);
  }
  return value;
}
