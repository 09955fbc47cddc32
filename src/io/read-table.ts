/**
 * The reader shared by accounts and deals files: bytes -> decoded text -> header + raw
 * records with physical line numbers. File-level problems are InputErrors naming
 * `<source>:<line>`; row-level problems (ragged rows, bad values) are left to the schema layer.
 * The jobs live beside it: `read-source` (bytes in), `decode` (bytes to text), `dialect`
 * (delimiter, line ending), `csv-records` (csv-parse, lines, errors), `table-shape` (header,
 * footer, blank rows, formula guard), `table` (the accessors).
 */
import { UsageError } from '../errors.ts';
import { bufferSource } from './blocks.ts';
import { isDirectoryFd, openForReading, openInput, resolveMaxInputSize, spillStream, type OpenedInput } from './read-source.ts';
import { FOOTER_PATTERNS } from './table-shape.ts';
import { Table } from './table.ts';
import { readIfWorkbook } from './xlsx/index.ts';
import { readInput } from './read-input.ts';
import type { ReaderNote } from './reader-notes.ts';
import { readInputThreaded } from './read-parallel.ts';

export { MAX_TEXT_BYTES } from './read-source.ts';
export type { TableFields } from './table.ts';

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
  /** Bytes per block the reader parses at a time (default 4 MiB); small values let tests cross block edges. */
  readonly blockBytes?: number | undefined;
  /** --threads: worker threads that parse a large UTF-8 input (default: one per core; 1 = none). */
  readonly threads?: number | undefined;
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
  /**
   * Data records only; may be ragged (the schema layer rejects those rows, the reader never pads or drops them).
   * A table read by a RecordSink builds them on first use: prefer recordCount, cellsOf and lineOf.
   */
  readonly records: readonly RawRecord[];
  /** How many data records there are. */
  readonly recordCount: number;
  /** A RecordSink took the records as they were read: the table keeps no cells (see `records`). */
  readonly streamed: boolean;
  /** Blank or whitespace-only lines skipped, and rows of empty cells only (',,,' as Excel writes them). */
  readonly blankLines: number;
  /** Lines of a dropped report footer (Salesforce "Grand Totals", "Confidential Information", ...). */
  readonly footerLines: readonly number[];
  /** One-line diagnostics for stderr, e.g. 'detected UTF-16LE (BOM), TAB-delimited': `noteCodes` in words. */
  readonly notes: readonly string[];
  /** The notes as codes with their data (io/reader-notes.ts words them). */
  readonly noteCodes: readonly ReaderNote[];
  /**
   * Set when the table was read from a workbook: the sheet and each header column's letters,
   * so a location is a cell (`Sheet1!C5`; see `locate`); `line` is then the sheet's row number.
   */
  readonly sheet?: { readonly name: string; readonly columns: readonly string[] } | undefined;
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
  /**
   * Records in the order an output writes them, read forwards (k = 0, 1, 2, ...): each one's
   * bytes (as recordBytes) and cells (as cellsOf), fetched in batches, not a read per record.
   */
  recordsInOrder(records: Uint32Array): OrderedRecords;
}

/** The records an output asked for, by position k in its order. */
export interface OrderedRecords {
  bytes(k: number): Uint8Array | undefined;
  cells(k: number): readonly string[];
  /** The k-th record's bytes are known to be what the CSV writer writes for its cells, in the input's delimiter (false: unknown). */
  plain(k: number): boolean;
}

/** What a RecordSink is told once the header is known. */
export interface TableHead {
  readonly source: string;
  readonly delimiter: string;
  readonly headerLine: number;
  /** The header as the table will have it (formula guard removed, checked). */
  readonly header: readonly string[];
  /** About how many records the input holds (its size over the first block's bytes per record): room to make. */
  readonly expectedRecords: number;
}

/**
 * A consumer that takes the data records as the reader reads them, block by block, so the
 * table need not keep their cells: it keeps each record's line and byte span, and reads a
 * record's cells again from its bytes when asked (`cellsOf`). A report footer is held back
 * until the end, so the sink never sees it.
 */
export interface RecordSink {
  /**
   * The header is known: true to take the records (the table is then lean); false, and the
   * table keeps every record as before. Called again when a read starts over (the threads fell back).
   */
  start(head: TableHead): boolean;
  /**
   * Data record r (from 0, in input order) at its physical line, its cells with the formula
   * guard removed. Each cell owns its characters (none is a slice of a block's text), so a
   * sink may keep one without keeping the block.
   */
  record(r: number, line: number, cells: readonly string[]): void;
}

/** Closes an input's descriptor once its table is collected (the table reads record bytes from it until then). */
const closeWhenCollected = new FinalizationRegistry<OpenedInput>((input) => {
  input.close();
});

/**
 * Parses a whole CSV file held in memory. Pure apart from csv-parse; throws InputError
 * (exit 1) for file-level problems and UsageError (exit 2) for bad options.
 */
export function parseTable(bytes: Uint8Array, source: string, options: ReadOptions = {}, sink?: RecordSink): RawTable {
  return readInput(bufferSource(bytes), source, options, undefined, sink);
}

/**
 * Reads a file (or stdin for '-') block by block: a regular file in place, a stream through
 * a spill file; with a `sink`, its records are handed to it as they are read (a workbook is
 * read whole, as ever). I/O failures are UsageErrors (exit 2); a terminal on stdin is refused rather
 * than waited on.
 */
export async function readTable(
  path: string,
  options: ReadOptions = {},
  stdin: NodeJS.ReadableStream = process.stdin,
  display: string = path,
  sink?: RecordSink,
): Promise<RawTable> {
  const cap = resolveMaxInputSize(options.maxInputSize);
  let input: OpenedInput;
  let name = display;
  if (path === '-') {
    if ((stdin as { isTTY?: boolean }).isTTY === true) {
      throw new UsageError('stdin is a terminal: pass a file, or pipe one in (kam ... - < accounts.csv)');
    }
    // `kam score - < /tmp`: Node reads a directory on fd 0 as an empty stream; say what it is.
    const fd = (stdin as { fd?: unknown }).fd;
    if (typeof fd === 'number' && isDirectoryFd(fd)) throw new UsageError('cannot read <stdin>: EISDIR (it is a directory)');
    name = '<stdin>';
    input = await spillStream(stdin, name, cap, options.encoding);
  } else {
    // One open for both questions: a FIFO closed between two opens would leave its writer
    // without a reader for a moment (SIGPIPE), and the read would then see an empty input.
    const file = await openForReading(path, display);
    try {
      const workbook = await readIfWorkbook(file, display, options, FOOTER_PATTERNS);
      if (workbook !== undefined) return new Table(workbook);
      input = await openInput(file, path, display, cap, options.encoding);
    } finally {
      await file.close().catch(() => undefined);
    }
  }
  try {
    const table = await readInputThreaded(input.bytes, name, withTestKnobs(options), sink);
    closeWhenCollected.register(table, input);
    return table;
  } catch (err) {
    input.close();
    throw err;
  }
}

/** KAM_BLOCK_BYTES sets the block size of a run (tests cross block edges and split small files with it). */
function withTestKnobs(options: ReadOptions): ReadOptions {
  const blockBytes = Number(process.env['KAM_BLOCK_BYTES']);
  return options.blockBytes === undefined && Number.isSafeInteger(blockBytes) && blockBytes > 0 ? { ...options, blockBytes } : options;
}
