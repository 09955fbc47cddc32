/**
 * The parallel reader, for large UTF-8 inputs: the main thread cuts the input into
 * record-aligned blocks (quote parity from the start of the input, so a cut is never in
 * doubt for valid CSV), checks each as UTF-8 and counts its lines; worker threads
 * (`--threads`, none by default) parse the blocks and send back typed columns; the main
 * thread gathers them in input order. Any block csv-parse refuses, or any disagreement on lines or record
 * counts, sends the run back to the single-thread reader, which reports it exactly as ever.
 */
import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors.ts';
import type { ByteSource } from './blocks.ts';
import type { BlockRecords } from './csv-records.ts';
import { SLICED_MIN } from './fast-records.ts';
import type { BlockJob, PackedBlock } from './parse-worker.ts';
import { finishTable, prepareInput, readInput, RecordCollector, type Prepared, type TextBlock } from './read-input.ts';
import type { RawTable, ReadOptions, RecordSink } from './read-table.ts';

/** Inputs below 32 MiB are read on one thread: starting workers costs more than it saves. */
const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

/**
 * The threads a read uses: --threads, else 1. Workers only parse: the cells still come back
 * to the main thread to be validated, so at 1M rows on two cores two threads took as long
 * as one (26.4 s against 26.3 s) in 26% more memory (898 MB against 712 MB).
 */
function resolveThreads(value: number | undefined): number {
  if (value === undefined) return 1;
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`invalid --threads '${value}': expected a whole number >= 1`);
  return value;
}

/** The size from which a read goes parallel (KAM_PARALLEL_MIN_BYTES overrides it, for tests). */
function parallelMinBytes(): number {
  const env = Number(process.env['KAM_PARALLEL_MIN_BYTES']);
  return Number.isSafeInteger(env) && env > 0 ? env : PARALLEL_MIN_BYTES;
}

/** Reads a table, in parallel when it is large, UTF-8 and more than one thread is allowed. */
export async function readInputThreaded(bytes: ByteSource, source: string, options: ReadOptions, sink?: RecordSink): Promise<RawTable> {
  const threads = resolveThreads(options.threads);
  if (threads < 2 || bytes.size < parallelMinBytes()) return readInput(bytes, source, options, bytes, sink);
  const prepared = prepareInput(bytes, source, options);
  if (prepared.input.encoding !== 'utf-8' && prepared.input.encoding !== 'utf-8 (BOM)') return readInput(bytes, source, options, bytes, sink);
  const read = (await readRecordsParallel(prepared, threads, sink))?.result();
  // On any doubt the single-thread reader reads it again (the sink is started again): it reports exactly.
  if (read === undefined || (read.stream !== undefined && !read.spans.complete)) return readInput(bytes, source, options, bytes, sink);
  return finishTable(prepared, read, bytes);
}

/** The worker script: beside this module in dist; tests running src use the built one. */
function workerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../dist/io/parse-worker.js', import.meta.url) : new URL('./parse-worker.js', import.meta.url);
}

async function readRecordsParallel(prepared: Prepared, threads: number, sink: RecordSink | undefined): Promise<RecordCollector | undefined> {
  const workers = Array.from({ length: threads }, () => new Worker(workerUrl()));
  const waiting = new Map<number, (block: PackedBlock) => void>();
  let crashed = false as boolean;
  for (const w of workers) {
    w.on('message', (block: PackedBlock) => waiting.get(block.id)?.(block));
    w.on('error', () => {
      crashed = true;
      for (const resolve of waiting.values()) resolve({ id: -1, failed: true } as PackedBlock);
    });
  }
  const collector = new RecordCollector(prepared.firstLine, prepared.dialect, sink, prepared.size);
  const inFlight: { block: TextBlock; done: Promise<PackedBlock> }[] = [];
  let line = prepared.firstLine;
  let ok = true as boolean;
  const take = async (): Promise<void> => {
    const { block, done } = inFlight.shift()!;
    const packed = await done;
    if (!ok || packed.failed === true) {
      ok = false;
      return;
    }
    const parsed = unpack(packed);
    if (block.line !== line) ok = false;
    line = parsed.endLine;
    if (ok) collector.add(block, parsed);
  };
  try {
    let id = 0;
    for (const block of prepared.input.blocks(prepared.skip)) {
      const job: BlockJob = { id, bytes: new Uint8Array(block.input), line: block.line, dialect: prepared.dialect };
      const done = new Promise<PackedBlock>((resolve) => waiting.set(job.id, resolve));
      workers[id % threads]!.postMessage(job, [job.bytes.buffer as ArrayBuffer]);
      inFlight.push({ block: { ...block, input: Buffer.alloc(0) }, done });
      id++;
      if (inFlight.length >= threads * 2) await take();
      if (!ok || crashed) return undefined;
    }
    while (inFlight.length > 0 && ok) await take();
    return ok && !crashed ? collector : undefined;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * A cell that holds only its own characters: V8 slices strings of SLICED_MIN or more characters,
 * and one kept slice would keep the block's whole text; concatenating and slicing again copies
 * the characters into a string of their own (kam's own tokeniser and csv-parse make copies already).
 */
function ownString(s: string): string {
  return s.length < SLICED_MIN ? s : (' ' + s).slice(1);
}

/** A packed block as the records the collector takes. */
function unpack(p: PackedBlock): BlockRecords {
  const cells: string[][] = new Array<string[]>(p.cellCounts.length);
  let c = 0;
  let from = 0;
  for (let k = 0; k < p.cellCounts.length; k++) {
    const n = p.cellCounts[k]!;
    const row = new Array<string>(n);
    for (let j = 0; j < n; j++) {
      const end = p.cellEnds[c++]!;
      row[j] = ownString(p.text.slice(from, end));
      from = end;
    }
    cells[k] = row;
  }
  return {
    cells,
    lines: Array.from(p.lines),
    rowIndex: Array.from(p.rowIndex),
    rowCount: p.rowCount,
    blankLines: p.blankLines,
    blankLineNumbers: p.blankLineNumbers,
    endLine: p.endLine,
  };
}
