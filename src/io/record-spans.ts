/**
 * Where each data record is in the input: its byte offset and length (line ending left
 * out), in typed arrays (13 bytes a record), so an output can copy a record's original bytes
 * instead of the reader keeping them. Records whose cells the reader changed (the formula
 * guard removed) are marked: their bytes no longer say their cells. So are records whose bytes
 * kam's tokeniser found to be what the CSV writer would write (no second look at output).
 */
import type { Block, ByteSource } from './blocks.ts';
import type { BlockRecords } from './csv-records.ts';
import type { RecordBytesSource } from './table.ts';
import { CR, LF } from './bytes.ts';

/** Marks of a record: its bytes no longer say its cells; its bytes are known plain (verbatim-record.ts). */
const ALTERED = 1;
const PLAIN = 2;

export class RecordSpans {
  #offsets = new Float64Array(1024);
  #lengths = new Uint32Array(1024);
  #altered = new Uint8Array(1024);
  #n = 0;
  /** False once a block came without byte positions (a decoded, non-UTF-8 input) or did not match csv-parse's records. */
  #complete = true;

  /** Adds the kept records of one block, from its `from`-th kept record (the header is not a data record). */
  addBlock(block: Block | undefined, parsed: BlockRecords, from: number): void {
    if (!this.#complete) return;
    const ends = block?.ends;
    if (block === undefined || ends === undefined) {
      this.#complete = false;
      return;
    }
    const bytes = block.bytes;
    const lastEnd = ends[ends.length - 1] ?? 0;
    const rows = ends.length + (bytes.length > lastEnd ? 1 : 0);
    if (rows !== parsed.rowCount) {
      this.#complete = false;
      return;
    }
    const plain = parsed.plainSpans;
    for (let k = from; k < parsed.rowIndex.length; k++) {
      const row = parsed.rowIndex[k]!;
      const start = row === 0 ? 0 : ends[row - 1]!;
      const rawEnd = ends[row] ?? bytes.length;
      let end = rawEnd;
      if (end > start && bytes[end - 1] === LF) end--;
      if (end > start && bytes[end - 1] === CR) end--;
      // The tokeniser's verdict holds for exactly the bytes it read: the same span, or none.
      const known = plain !== undefined && plain[2 * k] === start && plain[2 * k + 1] === rawEnd;
      this.#push(block.offset + start, end - start, known ? PLAIN : 0);
    }
  }

  /** Every block had byte positions matching csv-parse's records. */
  get complete(): boolean {
    return this.#complete;
  }

  /** Record r's cells differ from what its bytes say. */
  alter(r: number): void {
    if (r < this.#n) this.#altered[r] = ALTERED;
  }

  /** Record r has more or fewer cells than the header: its bytes are not a record the writer would write. */
  misshapen(r: number): void {
    if (r < this.#n && this.#altered[r] === PLAIN) this.#altered[r] = 0;
  }

  truncate(n: number): void {
    this.#n = Math.min(this.#n, n);
  }

  /** The spans as a RecordBytesSource over `bytes`, or undefined when they are not complete. */
  source(bytes: ByteSource): RecordBytesSource | undefined {
    if (!this.#complete) return undefined;
    const n = this.#n;
    const altered = this.#altered;
    return {
      offsets: this.#offsets.subarray(0, n),
      lengths: this.#lengths.subarray(0, n),
      read: (offset, length, into) => bytes.read(offset, length, into),
      altered: (r) => altered[r] === ALTERED,
      plain: (r) => altered[r] === PLAIN,
    };
  }

  #push(offset: number, length: number, mark: number): void {
    if (this.#n === this.#offsets.length) {
      const grow = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.#offsets = grow(this.#offsets, (n) => new Float64Array(n));
      this.#lengths = grow(this.#lengths, (n) => new Uint32Array(n));
      this.#altered = grow(this.#altered, (n) => new Uint8Array(n));
    }
    this.#offsets[this.#n] = offset;
    this.#lengths[this.#n] = length;
    this.#altered[this.#n] = mark;
    this.#n++;
  }
}
