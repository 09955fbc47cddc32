import type { PlainRule } from './verbatim-record.ts';
import type { Sink } from './console.ts';

/**
 * The one CSV writer (enriched output, rejects, diff). Text cells that a spreadsheet would
 * run as a formula get a leading apostrophe; a cell that is a number in the file's dialect
 * is written as it is, so `-3.5`, `-20,3 %` or `-$1,200` stay numbers. RFC 4180 quoting
 * (with the dialect's delimiter) keeps every cell in its place.
 *
 * Quoting is done here rather than by csv-stringify: the rule is three lines (quote a cell
 * holding `"`, the delimiter, CR or LF, or a guarded formula; double its quotes), and
 * csv-stringify spent about 14 µs a row on it, more than csv-parse spends reading the row.
 */

/** Characters that start a formula in Excel, LibreOffice or Google Sheets (incl. full-width forms). */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
/**
 * Invisible characters a spreadsheet may drop before it reads a cell (BOM, zero-width
 * space/joiners, word joiner, bidi marks and controls): `\uFEFF=1+1` is still a formula.
 */
const INVISIBLE_LEAD = /^[\uFEFF\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\u061C]*/;
/** A plain number (optionally grouped, with a decimal part or a trailing %): the default test of "is a number". */
const PLAIN_NUMBER = /^[+-]?(\d{1,3}([,.' ]\d{3})+|\d+)([.,]\d+)?([eE][+-]?\d+)?%?$/;
/**
 * A run of letters (not after a digit) glued to a digit or a `(`: a cell reference or a call
 * (`-AUD1`, `+SUM(1)`), which a spreadsheet evaluates even where kam's grammar reads an amount.
 * `-1e5` and `-12k` are not references.
 */
const REFERENCE = /(?:^|[^0-9A-Za-z])[A-Za-z]+[0-9(]/;

/** Decides whether a cell is a number in the file's dialect (the commands pass schema/values' grammar). */
export type IsNumber = (cell: string) => boolean;

const plainNumber: IsNumber = (cell) => PLAIN_NUMBER.test(cell);

/** Where the formula trigger of a cell is (after leading invisible characters), or -1 when it starts none. */
function triggerAt(cell: string, from = 0): number {
  const lead = from + INVISIBLE_LEAD.exec(from === 0 ? cell : cell.slice(from))![0].length;
  return FORMULA_START.test(cell.charAt(lead)) ? lead : -1;
}

/**
 * Whether a cell starting with this char code can need the guard: a trigger, an apostrophe,
 * or an invisible character (the fast path: most cells start with a letter or a digit). Also
 * asked of a record's first byte of a field (verbatim-record.ts, fast-records.ts): no byte is
 * one of the non-ASCII codes, so a byte says yes only for the ASCII ones.
 */
export function mayStartFormula(c: number): boolean {
  if (c < 0x80) return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x27;
  return (
    c === 0xff1d ||
    c === 0xff0b ||
    c === 0xff0d ||
    c === 0xff20 ||
    c === 0xfeff ||
    c === 0x61c ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    c === 0x2060 ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

/** Leading apostrophes of a cell. */
function apostrophes(cell: string): number {
  let n = 0;
  while (cell.charCodeAt(n) === 0x27) n++;
  return n;
}

/**
 * The cell as it is safe to open in a spreadsheet: `=1+1` becomes `'=1+1` (so does
 * `\uFEFF=1+1`); a cell starting with a sign that is a number (`isNumber`) stays as it is.
 * A cell that already looks guarded (`'=1`) gets one more apostrophe. Exactly the inverse
 * of unescapeFormula: unescapeFormula(escapeFormula(c)) === c for every cell.
 */
export function escapeFormula(cell: string, isNumber: IsNumber = plainNumber): string {
  if (cell.length === 0 || !mayStartFormula(cell.charCodeAt(0))) return cell;
  const quotes = apostrophes(cell);
  const at = triggerAt(cell, quotes);
  if (at < 0) return cell;
  const c = cell.charCodeAt(0);
  if (at === 0 && (c === 0x2b || c === 0x2d) && !REFERENCE.test(cell) && isNumber(cell)) return cell;
  return `'${cell}`;
}

/**
 * The cell as it was before escapeFormula: `'=1+1` becomes `=1+1`. The reader applies it to
 * every cell (io/read-table.ts), so what kam wrote reads back unchanged, and so does the same
 * guard in other exports (Odoo writes a text `-5` as `'-5`).
 */
export function unescapeFormula(cell: string): string {
  const quotes = apostrophes(cell);
  return quotes > 0 && triggerAt(cell, quotes) >= 0 ? cell.slice(1) : cell;
}

/** How a CSV file is written: the input's dialect by default, RFC 4180 with `--rfc4180`. */
export interface CsvDialect {
  /** One character: `,` `;` TAB `|`. */
  readonly delimiter: string;
  readonly lineEnding: '\n' | '\r\n' | '\r';
  /** Start the file with a UTF-8 byte-order mark (Excel needs it to read UTF-8 accents). */
  readonly bom: boolean;
  /** The decimal separator of kam's own numbers (kam_score, ...). */
  readonly decimal: '.' | ',';
}

/** Plain RFC 4180: comma, LF, UTF-8 without BOM, decimal point (kam's output before dialects; `--rfc4180`). */
export const RFC4180: CsvDialect = Object.freeze({ delimiter: ',', lineEnding: '\n', bom: false, decimal: '.' });

export interface CsvWriteOptions {
  /** Default true: see escapeFormula. `--no-escape-formulas` turns it off. */
  readonly escapeFormulas: boolean;
  /** Default RFC4180 (delimiter and line ending; the BOM is written by writeCsvRows). */
  readonly dialect?: CsvDialect | undefined;
  /** Is this cell a number in the file's dialect (never guarded)? Default: a plain number. */
  readonly isNumber?: IsNumber | undefined;
}

/** Rows per write: big enough to be cheap, small enough to stream. */
const BATCH = 2000;

const QUOTES = /"/g;
const NEEDS_QUOTES_BY_DELIMITER = new Map<string, RegExp>([[',', /[",\r\n]/]]);

function needsQuotes(delimiter: string): RegExp {
  let re = NEEDS_QUOTES_BY_DELIMITER.get(delimiter);
  if (re === undefined) {
    re = new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]`);
    NEEDS_QUOTES_BY_DELIMITER.set(delimiter, re);
  }
  return re;
}

/** One cell as CSV text: guarded (when asked) and quoted when it must be. */
export function formatCsvCell(cell: string, escapeFormulas: boolean, delimiter = ',', isNumber: IsNumber = plainNumber): string {
  if (cell.length === 0) return cell;
  let text = cell;
  if (escapeFormulas) {
    text = escapeFormula(cell, isNumber);
    // A guarded cell is always quoted, so no editor or parser sees a bare trigger.
    if (text !== cell) return `"${text.replace(QUOTES, '""')}"`;
  }
  return needsQuotes(delimiter).test(text) ? `"${text.replace(QUOTES, '""')}"` : text;
}

/** One record as a CSV line ending in the dialect's line ending; the record may come in parts (e.g. original cells, then kam's). */
export function formatCsvRecord(record: readonly string[], options: CsvWriteOptions, ...more: (readonly string[])[]): string {
  const dialect = options.dialect ?? RFC4180;
  const delimiter = dialect.delimiter;
  const isNumber = options.isNumber ?? plainNumber;
  let line = '';
  let first = true;
  for (const part of [record, ...more]) {
    for (let i = 0; i < part.length; i++) {
      line += (first ? '' : delimiter) + formatCsvCell(part[i]!, options.escapeFormulas, delimiter, isNumber);
      first = false;
    }
  }
  return line + dialect.lineEnding;
}

/** Format records (arrays of text cells) as CSV lines (no BOM). */
export function formatCsvRecords(records: readonly (readonly string[])[], options: CsvWriteOptions): string {
  let out = '';
  for (const r of records) out += formatCsvRecord(r, options);
  return out;
}

/**
 * Write a header and records to a sink in batches, honouring backpressure. Stops early
 * (without error) when the reader has gone away (`kam score x.csv | head`).
 */
export async function writeCsv(sink: Sink, header: readonly string[], records: Iterable<readonly string[]>, options: CsvWriteOptions): Promise<void> {
  await writeCsvRows(sink, header, records, (r) => formatCsvRecord(r, options), options);
}

/**
 * The same, for rows of any shape: `line` turns a row into its CSV line (with
 * formatCsvRecord), so a caller need not build one array per row. The dialect's BOM
 * comes first.
 */
async function writeCsvRows<T>(sink: Sink, header: readonly string[], rows: Iterable<T>, line: (row: T) => string, options: CsvWriteOptions): Promise<void> {
  await sink.write((options.dialect?.bom === true ? '\uFEFF' : '') + formatCsvRecord(header, options));
  let chunk = '';
  let count = 0;
  for (const r of rows) {
    chunk += line(r);
    if (++count === BATCH) {
      if (sink.closed) return;
      await sink.write(chunk);
      chunk = '';
      count = 0;
    }
  }
  if (chunk && !sink.closed) await sink.write(chunk);
}

/** A CsvBytes buffer is handed to the sink once it holds this much. */
export const CSV_CHUNK_BYTES = 256 * 1024;

/**
 * CSV text built straight into bytes: cells are guarded, quoted and UTF-8 encoded into one
 * Buffer, kam's numbers written digit by digit, so a million rows make no string per cell and
 * no string per line to re-encode for stdout. The same rules as formatCsvCell, byte for byte:
 * a cell whose first character may start a formula, that holds a character outside ASCII, the
 * delimiter, a quote, CR or LF takes formatCsvCell's own path.
 */
export class CsvBytes {
  private buf: Buffer;
  /** The buffer the last take() handed out: the one after it reuses it. */
  private spare: Buffer | undefined;
  private pos = 0;
  private first = true;
  private readonly escape: boolean;
  private readonly delimiter: string;
  private readonly delimiterCode: number;
  private readonly lineEnding: string;
  private readonly isNumber: IsNumber;

  constructor(options: CsvWriteOptions, capacity = CSV_CHUNK_BYTES + 64 * 1024) {
    const dialect = options.dialect ?? RFC4180;
    this.escape = options.escapeFormulas;
    this.delimiter = dialect.delimiter;
    this.delimiterCode = dialect.delimiter.charCodeAt(0);
    this.lineEnding = dialect.lineEnding;
    this.isNumber = options.isNumber ?? plainNumber;
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Bytes written since the last take(). */
  get size(): number {
    return this.pos;
  }

  /**
   * The bytes so far (a whole number of records when called between records). Two buffers take
   * turns: what take() returns is written over after the next take(), so the caller is done
   * with it (the sink's write resolved) by then. At 1M rows a fresh buffer per chunk had left
   * 700 of them, 220 MB, for the collector, and 20-40 MB of them in RSS at a time.
   */
  take(): Buffer {
    const taken = this.buf;
    const out = taken.subarray(0, this.pos);
    const spare = this.spare;
    this.buf = spare !== undefined && spare.length >= taken.length ? spare : Buffer.allocUnsafe(taken.length);
    this.spare = taken;
    this.pos = 0;
    return out;
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  private separate(): void {
    if (this.first) {
      this.first = false;
      return;
    }
    this.room(4);
    if (this.delimiterCode < 0x80) this.buf[this.pos++] = this.delimiterCode;
    else this.pos += this.buf.write(this.delimiter, this.pos, 'utf8');
  }

  /** Text already formatted (guarded and quoted), encoded as UTF-8. */
  private encoded(text: string): void {
    this.room(text.length * 3);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  /** One text cell, as formatCsvCell writes it. */
  cell(text: string): void {
    this.separate();
    const n = text.length;
    if (n === 0) return;
    if (this.escape && mayStartFormula(text.charCodeAt(0))) {
      this.encoded(formatCsvCell(text, true, this.delimiter, this.isNumber));
      return;
    }
    this.room(n);
    const buf = this.buf;
    const start = this.pos;
    const d = this.delimiterCode;
    for (let k = 0; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c >= 0x80 || c === 0x22 || c === d || c === 0x0d || c === 0x0a) {
        this.pos = start;
        this.encoded(formatCsvCell(text, false, this.delimiter, this.isNumber));
        return;
      }
      buf[start + k] = c;
    }
    this.pos = start + n;
  }

  /** A whole number >= 0, as String(n) writes it. */
  uint(n: number): void {
    this.separate();
    this.digits(n);
  }

  private digits(n: number): void {
    if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n))) {
      this.encoded(String(n));
      return;
    }
    let len = 1;
    for (let p = 10; p <= n; p *= 10) len++;
    this.room(len);
    let v = n;
    for (let k = this.pos + len - 1; k >= this.pos; k--) {
      const q = Math.floor(v / 10);
      this.buf[k] = 0x30 + (v - q * 10);
      v = q;
    }
    this.pos += len;
  }

  /**
   * A number with two decimals, or '' for NaN: the text of enriched.ts fixed2 (which `format`
   * is), through the text path when it needs the guard or quotes (a negative number, or a
   * decimal comma in a comma-delimited file).
   */
  fixed2(x: number, decimal: '.' | ',', format: (x: number, decimal: '.' | ',') => string): void {
    if (Number.isNaN(x)) {
      this.separate();
      return;
    }
    const v = Math.round(x * 100);
    if (!(v >= 0 && v <= Number.MAX_SAFE_INTEGER) || decimal.charCodeAt(0) === this.delimiterCode) {
      this.cell(format(x, decimal));
      return;
    }
    this.separate();
    const whole = Math.floor(v / 100);
    const cents = v - whole * 100;
    this.digits(whole);
    this.room(3);
    const buf = this.buf;
    buf[this.pos] = decimal === ',' ? 0x2c : 0x2e;
    buf[this.pos + 1] = 0x30 + Math.floor(cents / 10);
    buf[this.pos + 2] = 0x30 + (cents % 10);
    this.pos += 3;
  }

  /** The rule isPlainRecord checks a record's bytes against: this writer's delimiter and guard, `width` cells. */
  plainRule(width: number): PlainRule {
    return { delimiter: this.delimiterCode, width, escape: this.escape, isNumber: this.isNumber };
  }

  /** A record's first cells as their original bytes, which isPlainRecord(bytes, plainRule(width)) accepted. */
  raw(bytes: Uint8Array): void {
    this.separate();
    this.room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Ends the record with the dialect's line ending. */
  end(): void {
    this.encoded(this.lineEnding);
    this.first = true;
  }

  /** A record formatted by formatCsvRecord (the rare rows, such as rejected ones), appended as it is. */
  line(text: string): void {
    this.encoded(text);
    this.first = true;
  }
}
