/**
 * The enriched CSV (SCORING.md §4) as bytes: the rows of enriched.ts's model written straight
 * from the table and the result's typed columns, without a row object per row.
 */
import { CRITERIA, TIERS, type ScoreResult } from '../core/types.ts';
import type { RejectedRow } from '../schema/account.ts';
import type { Sink } from './console.ts';
import { kamCells, keptColumns, rejectedRow, selectedAccounts, stampCells, type EnrichOptions, type RunStamp } from './enriched.ts';
import { fixed2 } from './format.ts';
import type { RawTable } from './read-table.ts';
import { isPlainRecord } from './verbatim-record.ts';
import { CSV_CHUNK_BYTES, CsvBytes, formatCsvRecord, type CsvWriteOptions } from './write-csv.ts';
import { signalsOfMask } from '../core/signals.ts';

/** What writeEnrichedCsv writes: the run's rows and how. */
export interface EnrichedCsv {
  readonly table: RawTable;
  readonly recordIndex: Uint32Array;
  readonly result: ScoreResult;
  readonly rejected: readonly RejectedRow[];
  readonly options: EnrichOptions;
  readonly csv: CsvWriteOptions;
  readonly header: readonly string[];
  readonly withShortlist: boolean;
  readonly stamp: RunStamp | undefined;
}

/**
 * The enriched CSV (header, scored rows, rejected rows) written to a sink: the same bytes as
 * formatCsvRecord(row.original, csv, kamCells(row.kam, ...)) for every row of enrichedRows,
 * built without a row object, an array or a string per row: each scored row's cells are
 * read from the record and the result's columns straight into bytes (CsvBytes), handed to
 * the sink in chunks of CSV_CHUNK_BYTES (backpressure honoured; stops when the reader went away).
 */
export async function writeEnrichedCsv(sink: Sink, job: EnrichedCsv): Promise<void> {
  const { table, recordIndex, result, options, csv, withShortlist, stamp } = job;
  const decimal = csv.dialect?.decimal ?? '.';
  await sink.write((csv.dialect?.bom === true ? '\uFEFF' : '') + formatCsvRecord(job.header, csv));
  const out = new CsvBytes(csv);
  const flush = async (): Promise<boolean> => {
    if (sink.closed) return false;
    await sink.write(out.take());
    return !sink.closed;
  };
  const width = table.header.length;
  const kept = keptColumns(table.header);
  // Cells that depend on the run or on a few values only: formatted once.
  const signalCells = new Map<readonly string[], string>();
  const stampCellsOfRun = stampCells(stamp);
  const extra = options.extra;
  const selected = selectedAccounts(result, options);
  const records = table.recordsInOrder(selected.map((i) => recordIndex[i]!));
  // A streamed table reads a record's cells again from its bytes: when those bytes are what
  // the writer would make of the cells (same delimiter, nothing to quote or guard), copy them.
  const rule = out.plainRule(width);
  const plain = table.streamed && kept === undefined && table.delimiter.charCodeAt(0) === rule.delimiter ? rule : undefined;
  const values = new OrderedValues(result, selected);
  for (let k = 0; k < selected.length; k++) {
    const i = selected[k]!;
    const j = values.at(k);
    const bytes = plain === undefined ? undefined : records.bytes(k);
    if (bytes !== undefined && plain !== undefined && (records.plain(k) || isPlainRecord(bytes, plain))) out.raw(bytes);
    else {
      const cells = records.cells(k);
      if (kept === undefined) for (let c = 0; c < width; c++) out.cell(cells[c] ?? '');
      else for (let c = 0; c < kept.length; c++) out.cell(cells[kept[c]!] ?? '');
    }
    out.uint(values.rank[j]!);
    const f = values.fixed;
    out.fixed2(f[0]![j]!, decimal, fixed2);
    out.cell(TIERS[values.tier[j]!]!);
    for (let c = 1; c < f.length; c++) out.fixed2(f[c]![j]!, decimal, fixed2);
    const codes = values.signals[j]!;
    let text = signalCells.get(codes);
    if (text === undefined) signalCells.set(codes, (text = codes.join(';')));
    out.cell(text);
    out.cell(''); // kam_errors
    if (withShortlist) out.cell(options.shortlist?.has(i) === true ? 'yes' : 'no');
    if (extra !== undefined) for (const cell of extra.cells(i)) out.cell(cell);
    for (let s = 0; s < stampCellsOfRun.length; s++) out.cell(stampCellsOfRun[s]!);
    out.end();
    if (out.size >= CSV_CHUNK_BYTES && !(await flush())) return;
  }
  if (options.withRejected !== false) {
    const pad = (cells: readonly string[]): readonly string[] =>
      kept === undefined ? Array.from({ length: width }, (_, c) => cells[c] ?? '') : kept.map((c) => cells[c] ?? '');
    for (const r of job.rejected) {
      const row = rejectedRow(table, r, pad, options);
      out.line(formatCsvRecord(row.original, csv, kamCells(row.kam, withShortlist, stamp, decimal)));
      if (out.size >= CSV_CHUNK_BYTES && !(await flush())) return;
    }
  }
  if (out.size > 0) await flush();
}

/** Output positions whose values are copied at once. */
const VALUES_CHUNK = 8192;

/**
 * The result's columns the enriched CSV writes, for a run of output positions at a time,
 * copied into rank order: the row loop then reads them in sequence. Read at each row's own
 * index, the eleven columns cost a cache miss each per row: at 1M rows the loop took 4.4 s.
 */
class OrderedValues {
  /** score, the five criteria, current, attractiveness, coverage: the fixed2 columns in output order. */
  readonly fixed: Float64Array[];
  readonly rank = new Uint32Array(VALUES_CHUNK);
  readonly tier = new Uint8Array(VALUES_CHUNK);
  readonly signals = new Array<readonly string[]>(VALUES_CHUNK);
  readonly #columns: readonly Float64Array[];
  #from = -VALUES_CHUNK;

  constructor(
    private readonly result: ScoreResult,
    private readonly selected: Uint32Array,
  ) {
    const r = result;
    this.#columns = [r.score, ...CRITERIA.map((c) => r.criteria[c]), r.current, r.attractiveness, r.coverage];
    this.fixed = this.#columns.map(() => new Float64Array(VALUES_CHUNK));
  }

  /** Where output position k's values are (positions come in order). */
  at(k: number): number {
    if (k - this.#from >= VALUES_CHUNK) this.#fill(k);
    return k - this.#from;
  }

  #fill(from: number): void {
    const { result, selected } = this;
    const to = Math.min(selected.length, from + VALUES_CHUNK);
    this.#columns.forEach((column, c) => {
      const out = this.fixed[c]!;
      for (let k = from; k < to; k++) out[k - from] = column[selected[k]!]!;
    });
    for (let k = from; k < to; k++) {
      const i = selected[k]!;
      this.rank[k - from] = result.rank[i]!;
      this.tier[k - from] = result.tier[i]!;
      this.signals[k - from] = signalsOfMask(result.signalMasks[i]!);
    }
    this.#from = from;
  }
}
