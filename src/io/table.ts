/**
 * The table the reader returns, with the accessors every layer uses instead of reaching
 * into its records: a record's cells and physical line, an account row's cells (through the
 * validated rows' record index), and the original bytes of a record for verbatim output.
 * A table read by a streaming consumer keeps no cells (`LeanRecords`): a record's cells are
 * read again from its bytes when asked for, with the same tokeniser, so they are the same.
 */
import type { OrderedRecords, RawRecord, RawTable, TableRows } from './read-table.ts';
import { GatheredRecords } from './record-gather.ts';
import { readerNoteText, type ReaderNote } from './reader-notes.ts';

/** Where each record's bytes are in the input: a source of bytes and per-record offset and length. */
export interface RecordBytesSource {
  /** The bytes [offset, offset + length) of the input (the file, the spill file of stdin, or the buffer); read into `into` when it is given and long enough (ByteSource.read). */
  read(offset: number, length: number, into?: Buffer): Uint8Array;
  readonly offsets: Float64Array;
  readonly lengths: Uint32Array;
  /** Record r's cells differ from its bytes (the reader removed a formula guard). */
  altered(r: number): boolean;
  /** Record r's bytes are, as the reader found, what the CSV writer writes for its cells in the input's delimiter (false: unknown). */
  plain(r: number): boolean;
}

/** The records of a table whose cells were handed to a consumer block by block and let go. */
export interface LeanRecords {
  readonly n: number;
  /** The physical line each record starts at. */
  readonly lines: Uint32Array;
  /** Record r's cells from its bytes, tokenised as the reader did (the formula guard removed again). */
  cellsOfBytes(bytes: Uint8Array, r: number): string[];
}

/** The fields of a RawTable, as the reader settles them; its notes as codes (the table words them); no `records` when they are lean. */
export type TableFields = Omit<
  RawTable,
  'cellsOf' | 'lineOf' | 'rowsOf' | 'recordBytes' | 'recordsInOrder' | 'notes' | 'noteCodes' | 'records' | 'recordCount' | 'streamed'
> & {
  readonly notes: readonly ReaderNote[];
  readonly records?: readonly RawRecord[];
  readonly streamed?: boolean;
};

/** A RawTable: its fields are plain data; its accessors are methods (not own properties). */
export class Table implements RawTable {
  readonly source!: string;
  readonly encoding!: string;
  readonly delimiter!: string;
  readonly delimiterSource!: RawTable['delimiterSource'];
  readonly hadBom!: boolean;
  readonly lineEnding!: RawTable['lineEnding'];
  readonly unguardedCells!: number;
  readonly headerLine!: number;
  readonly header!: readonly string[];
  readonly blankLines!: number;
  readonly footerLines!: readonly number[];
  readonly notes: readonly string[];
  declare readonly sheet?: RawTable['sheet'];
  /** Own properties, not enumerable (a table compares equal to its plain fields), set in the constructor. */
  declare readonly records: readonly RawRecord[];
  declare readonly recordCount: number;
  declare readonly streamed: boolean;
  readonly #bytes: RecordBytesSource | undefined;
  readonly #noteCodes: readonly ReaderNote[];
  readonly #lean: LeanRecords | undefined;
  /** The last record a lean table read again (a caller often asks for one record's cells several times). */
  #last = -1;
  #lastCells: string[] = [];

  /** A lean table's records need `bytes`: their cells are read again from them. */
  constructor(fields: TableFields, bytes?: RecordBytesSource, lean?: LeanRecords) {
    const { records, streamed, ...rest } = fields;
    Object.assign(this, rest);
    this.#noteCodes = fields.notes;
    this.notes = fields.notes.map(readerNoteText);
    this.#bytes = bytes;
    this.#lean = lean;
    const hidden = (name: string, value: unknown): void => {
      Object.defineProperty(this, name, { value, enumerable: false });
    };
    hidden('streamed', streamed === true && lean !== undefined);
    if (lean === undefined) {
      // A table that keeps its records has them as a plain field.
      Object.assign(this, { records: records ?? [] });
      hidden('recordCount', this.records.length);
      return;
    }
    hidden('recordCount', lean.n);
    // A lean table builds every record (cells read again) only for a consumer that asks for them all.
    let all: RawRecord[] | undefined;
    Object.defineProperty(this, 'records', {
      enumerable: false,
      get: (): readonly RawRecord[] => {
        if (all === undefined) {
          all = new Array<RawRecord>(lean.n);
          for (let r = 0; r < lean.n; r++) all[r] = { line: lean.lines[r]!, cells: this.#leanCells(r) };
        }
        return all;
      },
    });
  }

  get noteCodes(): readonly ReaderNote[] {
    return this.#noteCodes;
  }

  cellsOf(record: number): readonly string[] {
    if (this.#lean === undefined) return this.records[record]!.cells;
    if (record !== this.#last) {
      this.#lastCells = this.#leanCells(record);
      this.#last = record;
    }
    return this.#lastCells;
  }

  /** A lean record's cells, from its bytes read again. */
  #leanCells(r: number): string[] {
    const bytes = this.#bytes!;
    return this.#lean!.cellsOfBytes(bytes.read(bytes.offsets[r]!, bytes.lengths[r]!), r);
  }

  lineOf(record: number): number {
    return this.#lean === undefined ? this.records[record]!.line : this.#lean.lines[record]!;
  }

  rowsOf(recordIndex: Uint32Array): TableRows {
    return {
      n: recordIndex.length,
      recordOf: (i) => recordIndex[i]!,
      cellsOf: (i) => this.cellsOf(recordIndex[i]!),
      lineOf: (i) => this.lineOf(recordIndex[i]!),
      cellOf: (i, column) => this.cellsOf(recordIndex[i]!)[column] ?? '',
    };
  }

  recordBytes(record: number): Uint8Array | undefined {
    const bytes = this.#bytes;
    if (bytes === undefined || record < 0 || record >= bytes.lengths.length || bytes.altered(record)) return undefined;
    return bytes.read(bytes.offsets[record]!, bytes.lengths[record]!);
  }

  recordsInOrder(records: Uint32Array): OrderedRecords {
    const source = this.#bytes;
    if (source === undefined || records.some((r) => r >= source.lengths.length)) {
      return { bytes: (k) => this.recordBytes(records[k]!), cells: (k) => this.cellsOf(records[k]!), plain: () => false };
    }
    const gathered = new GatheredRecords(source, records);
    const lean = this.#lean;
    return {
      bytes: (k) => (source.altered(records[k]!) ? undefined : gathered.bytes(k)),
      plain: (k) => source.plain(records[k]!),
      cells: (k) => {
        // The bytes of an altered record still carry the formula guard, which cellsOfBytes removes.
        const r = records[k]!;
        return lean === undefined ? this.cellsOf(r) : lean.cellsOfBytes(gathered.bytes(k), r);
      },
    };
  }
}
