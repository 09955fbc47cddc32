/**
 * The records of a read handed to a RecordSink as they are parsed, instead of kept: each
 * record's formula guard removed on the way, its physical line kept (4 bytes a record), a
 * trailing run of footer-like records held back until the end (so a report footer never
 * reaches the sink), and each record's cells read again from its bytes on demand.
 */
import { parseBlock, type CsvDialect } from './csv-records.ts';
import type { RawRecord, RecordSink } from './read-table.ts';
import type { RecordSpans } from './record-spans.ts';
import { findFooter, unguard, type Footer } from './table-shape.ts';
import type { LeanRecords } from './table.ts';
import { QUOTE } from './bytes.ts';

/** As findFooter: a footer is at most this many trailing records. */
const MAX_FOOTER_RECORDS = 10;

/** The records handed to a sink: their lines, and the footer-like tail not handed on yet. */
export class RecordStream {
  #lines = new Uint32Array(1024);
  #n = 0;
  /** Footer-like records (every cell but the first blank) not handed to the sink yet, in order. */
  readonly #held: { r: number; record: RawRecord }[] = [];
  /** The last record handed on (findFooter looks at the record before a footer). */
  #previous: RawRecord | undefined;
  unguardedCells = 0;

  constructor(
    readonly sink: RecordSink,
    private readonly spans: RecordSpans,
    private readonly width: number,
  ) {}

  get n(): number {
    return this.#n;
  }

  lineOf(r: number): number {
    return this.#lines[r]!;
  }

  /** One data record, in input order. */
  add(line: number, cells: string[]): void {
    const r = this.#n;
    if (r === this.#lines.length) {
      const grown = new Uint32Array(r * 2);
      grown.set(this.#lines);
      this.#lines = grown;
    }
    this.#lines[r] = line;
    this.#n++;
    if (cells.length !== this.width) this.spans.misshapen(r);
    const guarded = unguard(cells);
    if (guarded > 0) {
      this.spans.alter(r);
      this.unguardedCells += guarded;
    }
    const record = { line, cells };
    if (this.width >= 2 && cells.every((c, i) => i === 0 || c.trim() === '')) {
      this.#held.push({ r, record });
      if (this.#held.length > MAX_FOOTER_RECORDS) this.#handOn(this.#held.shift()!);
      return;
    }
    while (this.#held.length > 0) this.#handOn(this.#held.shift()!);
    this.#handOn({ r, record });
  }

  /** The end of the input: the footer found in the held tail (dropped), the rest handed on. */
  end(header: readonly string[], headerLine: number): Footer {
    const prev = this.#previous;
    const tail = [...(prev === undefined ? [] : [prev]), ...this.#held.map((h) => h.record)];
    const found = findFooter(header, headerLine, tail);
    const keep = found.from - (prev === undefined ? 0 : 1);
    const from = this.#n - this.#held.length + keep;
    for (const h of this.#held.slice(0, keep)) this.#handOn(h);
    this.#held.length = 0;
    this.#n = Math.min(this.#n, from);
    this.spans.truncate(this.#n);
    return { ...found, from };
  }

  /** The records as a lean table keeps them: lines, and how cells are read again from a record's bytes. */
  lean(dialect: CsvDialect): LeanRecords {
    const lines = this.#lines.subarray(0, this.#n);
    return { n: this.#n, lines, cellsOfBytes: (b, r) => cellsAgain(b, dialect, lines[r]!) };
  }

  #handOn(h: { r: number; record: RawRecord }): void {
    this.#previous = h.record;
    this.sink.record(h.r, h.record.line, h.record.cells);
  }
}

/**
 * A record's cells from its bytes (line ending left out), as the reader read them: a
 * record without quotes is its text split at the delimiter (what csv-parse makes of it);
 * any other is parsed by the same parseBlock. The formula guard is removed again.
 */
function cellsAgain(bytes: Uint8Array, dialect: CsvDialect, line: number): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cells =
    buf.indexOf(QUOTE) < 0 ? buf.toString('utf8').split(dialect.delimiter) : (parseBlock(buf, () => buf.toString('utf8'), dialect, line).cells[0] ?? ['']);
  unguard(cells);
  return cells;
}
