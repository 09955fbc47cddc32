/**
 * The table the reader returns, with the accessors every layer uses instead of reaching
 * into its records: a record's cells and physical line, an account row's cells (through the
 * validated rows' record index), and the original bytes of a record for verbatim output.
 */
import type { RawRecord, RawTable, TableRows } from './read-table.ts';
import { readerNoteText, type ReaderNote } from './reader-notes.ts';

/** Where each record's bytes are in the input: a source of bytes and per-record offset and length. */
export interface RecordBytesSource {
  /** The bytes [offset, offset + length) of the input (the file, the spill file of stdin, or the buffer). */
  read(offset: number, length: number): Uint8Array;
  readonly offsets: Float64Array;
  readonly lengths: Uint32Array;
  /** Record r's cells differ from its bytes (the reader removed a formula guard). */
  altered(r: number): boolean;
}

/** The fields of a RawTable, as the reader settles them; its notes as codes (the table words them). */
export type TableFields = Omit<RawTable, 'cellsOf' | 'lineOf' | 'rowsOf' | 'recordBytes' | 'notes' | 'noteCodes'> & { readonly notes: readonly ReaderNote[] };

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
  readonly records!: readonly RawRecord[];
  readonly blankLines!: number;
  readonly footerLines!: readonly number[];
  readonly notes: readonly string[];
  declare readonly sheet?: RawTable['sheet'];
  readonly #bytes: RecordBytesSource | undefined;
  readonly #noteCodes: readonly ReaderNote[];

  constructor(fields: TableFields, bytes?: RecordBytesSource) {
    Object.assign(this, fields);
    this.#noteCodes = fields.notes;
    this.notes = fields.notes.map(readerNoteText);
    this.#bytes = bytes;
  }

  get noteCodes(): readonly ReaderNote[] {
    return this.#noteCodes;
  }

  cellsOf(record: number): readonly string[] {
    return this.records[record]!.cells;
  }

  lineOf(record: number): number {
    return this.records[record]!.line;
  }

  rowsOf(recordIndex: Uint32Array): TableRows {
    const records = this.records;
    return {
      n: recordIndex.length,
      recordOf: (i) => recordIndex[i]!,
      cellsOf: (i) => records[recordIndex[i]!]!.cells,
      lineOf: (i) => records[recordIndex[i]!]!.line,
      cellOf: (i, column) => records[recordIndex[i]!]?.cells[column] ?? '',
    };
  }

  recordBytes(record: number): Uint8Array | undefined {
    const bytes = this.#bytes;
    if (bytes === undefined || record < 0 || record >= bytes.lengths.length || bytes.altered(record)) return undefined;
    return bytes.read(bytes.offsets[record]!, bytes.lengths[record]!);
  }
}
