/**
 * The fast path of `parseBlock`: one pass over the bytes of a record-aligned UTF-8 block
 * for plain RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes, CRLF, LF
 * or lone CR, ragged rows), giving exactly the records csv-parse gives. Anything else (a
 * quote inside an unquoted field, text after a closing quote, an unclosed quote, a record
 * near --max-record-size, a delimiter that is not ASCII) gives up on the block: csv-parse
 * then reads it and reports it, exactly as ever (test/fuzz/fast-records.fuzz.test.ts
 * checks both against each other).
 */
import type { BlockRecords, CsvDialect } from './csv-records.ts';
import { CR, LF, QUOTE } from './bytes.ts';
import { mayStartFormula } from './write-csv.ts';

/** What ended a field: a delimiter, a record's end (line break or end of block), or a reason to give up. */
const FIELD = 0;
const RECORD = 1;
const GIVE_UP = 2;

/** Byte classes for unquoted fields: ordinary, the delimiter, a line break, a quote, a non-ASCII byte, a control byte or DEL. */
const PLAIN = 0;
const DELIMITER = 1;
const BREAK = 2;
const QUOTE_BYTE = 3;
const HIGH = 4;
const CONTROL = 5;
/** V8's shortest sliced string (SlicedString::kMinLength): shorter substrings are copies. */
export const SLICED_MIN = 13;
/** Blocks up to 16 MiB (4 read blocks) get a Latin-1 text; a larger one (one decoded whole, a runaway record) is only sliced. */
export const TEXT_MAX_BYTES = 16 * 1024 * 1024;

/** Buffer's own slicers (what `toString` ends in), without its argument checks. */
interface Slicing {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const classes = new Map<number, Uint8Array>();
/** The byte classes for a delimiter byte. */
function classesFor(delimiter: number): Uint8Array {
  let table = classes.get(delimiter);
  if (table === undefined) {
    table = new Uint8Array(256);
    table.fill(CONTROL, 0, 0x20);
    table[0x7f] = CONTROL;
    table.fill(HIGH, 128);
    table[LF] = BREAK;
    table[CR] = BREAK;
    table[QUOTE] = QUOTE_BYTE;
    table[delimiter] = DELIMITER;
    classes.set(delimiter, table);
  }
  return table;
}

/** Reads one field after another; each call leaves its cell in `value` and the next field's start in `pos`. */
class Fields {
  readonly #bytes: Buffer;
  readonly #slicing: Slicing;
  /** The block as Latin-1 text: an ASCII cell is a substring of it, at the same offsets. */
  readonly #text: string | undefined;
  readonly #n: number;
  readonly #delimiter: number;
  readonly #classes: Uint8Array;
  pos = 0;
  /** Line breaks inside the quoted values read since the last reset. */
  breaks = 0;
  /**
   * Every field read since the last reset is printable ASCII, quoted only where the writer
   * would quote it and not one the formula guard may change: the record's bytes are what the
   * CSV writer would write for its cells (verbatim-record.ts's isPlainRecord, for this delimiter).
   */
  plain = true;
  value = '';

  constructor(bytes: Buffer, delimiter: number) {
    this.#bytes = bytes;
    this.#slicing = bytes as unknown as Slicing;
    this.#text = bytes.length <= TEXT_MAX_BYTES ? this.#slicing.latin1Slice(0, bytes.length) : undefined;
    this.#n = bytes.length;
    this.#delimiter = delimiter;
    this.#classes = classesFor(delimiter);
  }

  /** A new record starts at `pos`: no line breaks in it yet, and plain until a field says otherwise. */
  startRecord(): void {
    this.breaks = 0;
    this.plain = true;
  }

  /** The field at `pos`: FIELD, RECORD or GIVE_UP. */
  next(): number {
    const bytes = this.#bytes;
    const table = this.#classes;
    const n = this.#n;
    const start = this.pos;
    if (start < n && bytes[start] === QUOTE) return this.#quoted(start + 1);
    if (start < n && mayStartFormula(bytes[start]!)) this.plain = false;
    let high = false;
    for (let i = start; i < n; i++) {
      const kind = table[bytes[i]!]!;
      if (kind === PLAIN) continue;
      if (kind === HIGH) {
        high = true;
        this.plain = false;
        continue;
      }
      if (kind === CONTROL) {
        this.plain = false;
        continue;
      }
      if (kind === QUOTE_BYTE) return GIVE_UP;
      this.value = this.#slice(start, i, high);
      if (kind === DELIMITER) {
        this.pos = i + 1;
        return FIELD;
      }
      this.pos = this.#afterBreak(i);
      return RECORD;
    }
    this.value = this.#slice(start, n, high);
    this.pos = n;
    return RECORD;
  }

  /** A quoted field whose text starts at `start` (after the opening quote). */
  #quoted(start: number): number {
    const bytes = this.#bytes;
    const n = this.#n;
    const delimiter = this.#delimiter;
    let high = false;
    let doubled = false;
    // Why the writer would quote this text too (a delimiter, a quote, a line break), and a byte it never copies.
    let needsQuotes = false;
    let odd = false;
    let i = start;
    for (;;) {
      if (i >= n) return GIVE_UP;
      const c = bytes[i]!;
      if (c === QUOTE) {
        if (bytes[i + 1] !== QUOTE) break;
        doubled = true;
        i += 2;
        continue;
      }
      if (c === LF || c === CR) {
        needsQuotes = true;
        if (c === LF || bytes[i + 1] !== LF) this.breaks++;
      } else if (c === delimiter) needsQuotes = true;
      else if (c >= 128) high = true;
      else if (c < 0x20 || c === 0x7f) odd = true;
      i++;
    }
    if (high || odd || !(needsQuotes || doubled) || (start < n && mayStartFormula(bytes[start]!))) this.plain = false;
    const value = this.#slice(start, i, high);
    this.value = doubled ? value.replaceAll('""', '"') : value;
    const after = i + 1;
    if (after >= n) {
      this.pos = n;
      return RECORD;
    }
    const c = bytes[after]!;
    if (c === this.#delimiter) {
      this.pos = after + 1;
      return FIELD;
    }
    if (c !== LF && c !== CR) return GIVE_UP;
    this.pos = this.#afterBreak(after);
    return RECORD;
  }

  /** Just past the line break at `i` (CRLF, LF or CR). */
  #afterBreak(i: number): number {
    return this.#bytes[i] === CR && this.#bytes[i + 1] === LF ? i + 2 : i + 1;
  }

  /**
   * The cell in bytes start..end. V8 copies a substring shorter than 13 characters (faster
   * than a call into Buffer); a longer one would be a view keeping the whole block alive, so
   * it is copied out of the bytes.
   */
  #slice(start: number, end: number, high: boolean): string {
    if (high) return this.#slicing.utf8Slice(start, end);
    return end - start < SLICED_MIN && this.#text !== undefined ? this.#text.substring(start, end) : this.#slicing.latin1Slice(start, end);
  }
}

/** A cell csv-records counts as blank (nothing but white space). */
function isBlankCell(cell: string): boolean {
  if (cell.length === 0) return true;
  const c = cell.charCodeAt(0);
  return (c <= 32 || c >= 127) && cell.trim() === '';
}

/** A record of blank cells: ',,,' or a blank line, but not a lone quoted cell (`""`). */
function isBlankRecord(cells: readonly string[], firstQuoted: boolean): boolean {
  if (cells.length === 1) return !firstQuoted && isBlankCell(cells[0]!);
  for (const cell of cells) if (!isBlankCell(cell)) return false;
  return true;
}

/**
 * The records of a block (UTF-8, starting at a record boundary at physical line
 * `firstLine`) exactly as `parseBlock` gives them from csv-parse, or undefined when the
 * block has anything for csv-parse to judge.
 */
export function fastRecords(bytes: Buffer, dialect: CsvDialect, firstLine: number): BlockRecords | undefined {
  const delimiter = dialect.delimiter.charCodeAt(0);
  if (dialect.delimiter.length !== 1 || delimiter >= 128 || delimiter === QUOTE || delimiter === LF || delimiter === CR) return undefined;
  const fields = new Fields(bytes, delimiter);
  const n = bytes.length;
  const cells: string[][] = [];
  const lines: number[] = [];
  const rowIndex: number[] = [];
  const plainSpans: number[] = [];
  const blankLineNumbers: number[] = [];
  let blankLines = 0;
  let rowCount = 0;
  let line = firstLine;
  while (fields.pos < n) {
    const start = fields.pos;
    const firstQuoted = bytes[start] === QUOTE;
    const row: string[] = [];
    fields.startRecord();
    let ended: number;
    do {
      ended = fields.next();
      if (ended === GIVE_UP) return undefined;
      row.push(fields.value);
    } while (ended === FIELD);
    // csv-parse counts the bytes of a record's cells against max_record_size: its bytes bound them.
    if (fields.pos - start > dialect.maxRecordSize) return undefined;
    const startLine = line;
    line += 1 + fields.breaks;
    if (isBlankRecord(row, firstQuoted)) {
      blankLines += line - startLine;
      blankLineNumbers.push(startLine);
    } else {
      cells.push(row);
      lines.push(startLine);
      rowIndex.push(rowCount);
      if (fields.plain) plainSpans.push(start, fields.pos);
      else plainSpans.push(-1, -1);
    }
    rowCount++;
  }
  return { cells, lines, rowIndex, blankLines, blankLineNumbers, rowCount, endLine: line, plainSpans };
}
