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
  const [volume, potential, ltv, fit, strategic] = CRITERIA.map((c) => result.criteria[c]) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  const { score, current, attractiveness, coverage, tier, rank, signals } = result;
  // Cells that depend on the run or on a few values only: formatted once.
  const signalCells = new Map<readonly string[], string>();
  const stampCellsOfRun = stampCells(stamp);
  const extra = options.extra;
  const rows = table.rowsOf(recordIndex);
  // A streamed table reads a record's cells again from its bytes: when those bytes are what
  // the writer would make of the cells (same delimiter, nothing to quote or guard), copy them.
  const rule = out.plainRule(width);
  const plain = table.streamed && kept === undefined && table.delimiter.charCodeAt(0) === rule.delimiter ? rule : undefined;
  for (const i of selectedAccounts(result, options)) {
    const bytes = plain === undefined ? undefined : table.recordBytes(rows.recordOf(i));
    if (bytes !== undefined && plain !== undefined && isPlainRecord(bytes, plain)) out.raw(bytes);
    else {
      const cells = rows.cellsOf(i);
      if (kept === undefined) for (let c = 0; c < width; c++) out.cell(cells[c] ?? '');
      else for (let c = 0; c < kept.length; c++) out.cell(cells[kept[c]!] ?? '');
    }
    out.uint(rank[i]!);
    out.fixed2(score[i]!, decimal, fixed2);
    out.cell(TIERS[tier[i]!]!);
    out.fixed2(volume[i]!, decimal, fixed2);
    out.fixed2(potential[i]!, decimal, fixed2);
    out.fixed2(ltv[i]!, decimal, fixed2);
    out.fixed2(fit[i]!, decimal, fixed2);
    out.fixed2(strategic[i]!, decimal, fixed2);
    out.fixed2(current[i]!, decimal, fixed2);
    out.fixed2(attractiveness[i]!, decimal, fixed2);
    out.fixed2(coverage[i]!, decimal, fixed2);
    const codes = signals[i]!;
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
