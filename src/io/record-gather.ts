/**
 * Records in the order an output writes them (rank order), their bytes fetched by sweeps of
 * the input rather than a read per record: a batch of records (a sixteenth of their total
 * bytes, between 4 and 64 MiB) is read in input order, nearby records in one read, and
 * copied into one buffer in output order. Here, 100k records in a random order took 280 ms
 * as a read each and 50-80 ms gathered; `--top 20` still reads its 20 records alone.
 */
import type { RecordBytesSource } from './table.ts';

/** Records closer than this in the input are read together, the bytes between them skipped. */
const GAP_BYTES = 64 * 1024;
/** The most one read takes. */
const MAX_READ_BYTES = 2 * 1024 * 1024;
/**
 * A batch is this part of the records' bytes: sixteen sweeps of the input, whatever its size
 * (a sweep of a file the page cache holds costs its size in copying, so a fixed batch would
 * make the sweeps grow with the square of the input). At 1M rows (140 MB) a batch of 9 MB
 * and reads of 2 MiB kept the wall time of a quarter (35 MB) and reads of 8 MiB, with 40 MB
 * less peak RSS.
 */
const BATCH_PART = 16;
const MIN_BATCH_BYTES = 4 * 1024 * 1024;
/**
 * The most a batch takes, however big the input: at 8.6M rows (1.2 GB) a quarter of the
 * records' bytes was a 300 MB buffer, on top of every column the output reads.
 */
const MAX_BATCH_BYTES = 64 * 1024 * 1024;

/**
 * The records of `records` (record numbers, in output order), read forwards: k = 0, 1, 2, ...
 * One batch buffer and one read buffer serve every batch: at 1M rows, a fresh buffer per
 * batch and per read (the garbage of four sweeps of the input, freed only as the collector
 * gets to them) had raised peak RSS by 120-200 MB while the CSV was written.
 */
export class GatheredRecords {
  readonly #source: RecordBytesSource;
  readonly #records: Uint32Array;
  readonly #budget: number;
  /** The batch buffer's size: the budget, or all the records when they take less. */
  readonly #capacity: number;
  /** Batch slot + 1 of each record of the batch being read (0: not in it). */
  #slot: Int32Array | undefined;
  #from = 0;
  #to = 0;
  /** The batch's records, back to back in output order; reused by the next batch. */
  #buffer: Buffer = Buffer.alloc(0);
  #starts = new Float64Array(0);
  /** Where a file source reads a run of records (a buffer source needs none). */
  #scratch: Buffer | undefined;

  /** `minBatchBytes`: the smallest batch (tests set it low to see several batches). */
  constructor(source: RecordBytesSource, records: Uint32Array, minBatchBytes = MIN_BATCH_BYTES) {
    this.#source = source;
    this.#records = records;
    let total = 0;
    for (let k = 0; k < records.length; k++) total += source.lengths[records[k]!]!;
    this.#budget = Math.max(minBatchBytes, Math.min(Math.ceil(total / BATCH_PART), MAX_BATCH_BYTES));
    this.#capacity = Math.min(this.#budget, total);
  }

  /** The bytes of the k-th record (as RecordBytesSource.read gives them), valid until a record of another batch is asked for. */
  bytes(k: number): Uint8Array {
    if (k < this.#from || k >= this.#to) this.#load(k);
    const at = k - this.#from;
    return this.#buffer.subarray(this.#starts[at], this.#starts[at + 1]);
  }

  /** Reads the batch that starts at k. */
  #load(k: number): void {
    const { lengths, offsets } = this.#source;
    const records = this.#records;
    let to = k;
    let size = 0;
    while (to < records.length && (to === k || size + lengths[records[to]!]! <= this.#budget)) size += lengths[records[to++]!]!;
    if (this.#starts.length < to - k + 1) this.#starts = new Float64Array(Math.max(to - k + 1, this.#starts.length * 2));
    const starts = this.#starts;
    starts[0] = 0;
    let lo = Infinity;
    let hi = -1;
    const slot = (this.#slot ??= new Int32Array(lengths.length));
    for (let j = k; j < to; j++) {
      const r = records[j]!;
      starts[j - k + 1] = starts[j - k]! + lengths[r]!;
      slot[r] = j - k + 1;
      if (r < lo) lo = r;
      if (r > hi) hi = r;
    }
    if (this.#buffer.length < size) this.#buffer = Buffer.allocUnsafe(Math.max(size, this.#capacity));
    const buffer = this.#buffer;
    // Runs of records in input order, each read at once.
    let runFrom = -1;
    let runStart = 0;
    let runEnd = 0;
    const flush = (until: number): void => {
      if (runFrom < 0) return;
      const length = runEnd - runStart;
      if (length <= MAX_READ_BYTES) this.#scratch ??= Buffer.allocUnsafe(MAX_READ_BYTES);
      const got = this.#source.read(runStart, length, this.#scratch);
      const run = Buffer.from(got.buffer, got.byteOffset, got.byteLength);
      for (let r = runFrom; r < until; r++) {
        const s = slot[r]!;
        if (s === 0) continue;
        // Buffer.copy: a third of the time of a byte loop or a subarray and set per record.
        const at = offsets[r]! - runStart;
        run.copy(buffer, starts[s - 1], at, at + lengths[r]!);
        slot[r] = 0;
      }
      runFrom = -1;
    };
    for (let r = lo; r <= hi; r++) {
      if (slot[r] === 0) continue;
      const start = offsets[r]!;
      const end = start + lengths[r]!;
      if (runFrom >= 0 && (start - runEnd > GAP_BYTES || end - runStart > MAX_READ_BYTES)) flush(r);
      if (runFrom < 0) {
        runFrom = r;
        runStart = start;
      }
      runEnd = end;
    }
    flush(hi + 1);
    this.#from = k;
    this.#to = to;
  }
}
