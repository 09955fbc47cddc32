/**
 * The worker thread of the parallel reader: parses the blocks it is sent with the same
 * `parseBlock` as the single-thread run and returns each as typed columns (all cells in one
 * string, their ends, the cells per record), never as row objects.
 */
import { parentPort } from 'node:worker_threads';
import { parseBlock, type CsvDialect } from './csv-records.ts';

/** A block to parse. */
export interface BlockJob {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly line: number;
  readonly dialect: CsvDialect;
}

/** A parsed block, packed. */
export interface PackedBlock {
  readonly id: number;
  /** Set when csv-parse refused the block: the run starts again on one thread, which reports it exactly. */
  readonly failed?: true;
  readonly text: string;
  /** End offset in `text` of each cell. */
  readonly cellEnds: Uint32Array;
  /** Cells in each non-blank record. */
  readonly cellCounts: Uint32Array;
  readonly lines: Uint32Array;
  readonly rowIndex: Uint32Array;
  readonly rowCount: number;
  readonly blankLines: number;
  readonly blankLineNumbers: number[];
  readonly endLine: number;
}

function pack(job: BlockJob): PackedBlock {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const parsed = parseBlock(bytes, () => bytes.toString('utf8'), job.dialect, job.line);
  const cellCounts = new Uint32Array(parsed.cells.length);
  let cellTotal = 0;
  for (let k = 0; k < parsed.cells.length; k++) cellTotal += cellCounts[k] = parsed.cells[k]!.length;
  const cellEnds = new Uint32Array(cellTotal);
  const parts: string[] = [];
  let at = 0;
  let c = 0;
  for (const cells of parsed.cells) {
    for (const cell of cells) {
      parts.push(cell);
      at += cell.length;
      cellEnds[c++] = at;
    }
  }
  return {
    id: job.id,
    text: parts.join(''),
    cellEnds,
    cellCounts,
    lines: Uint32Array.from(parsed.lines),
    rowIndex: Uint32Array.from(parsed.rowIndex),
    rowCount: parsed.rowCount,
    blankLines: parsed.blankLines,
    blankLineNumbers: parsed.blankLineNumbers,
    endLine: parsed.endLine,
  };
}

parentPort?.on('message', (job: BlockJob) => {
  let out: PackedBlock;
  try {
    out = pack(job);
  } catch {
    out = {
      id: job.id,
      failed: true,
      text: '',
      cellEnds: new Uint32Array(0),
      cellCounts: new Uint32Array(0),
      lines: new Uint32Array(0),
      rowIndex: new Uint32Array(0),
      rowCount: 0,
      blankLines: 0,
      blankLineNumbers: [],
      endLine: 0,
    };
  }
  parentPort?.postMessage(out, [out.cellEnds.buffer, out.cellCounts.buffer, out.lines.buffer, out.rowIndex.buffer] as ArrayBuffer[]);
});
