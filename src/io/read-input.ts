/**
 * From bytes to a table: the encoding sniffed from the first bytes, the dialect from the
 * first text, then the input parsed block by block (a UTF-8 input: blocks of bytes, each
 * validated and handed to csv-parse as it is; any other encoding: decoded whole, one block),
 * keeping each record's cells, physical line and byte span; the table's shape is judged last.
 */
import { InputError, UsageError } from '../errors.ts';
import { blocksOf, type Block, type ByteSource } from './blocks.ts';
import { parseBlock, type BlockRecords, type CsvDialect } from './csv-records.ts';
import { checkUtf8Block, decodeBytes, sniffEncoding, SNIFF_HEAD_BYTES } from './decode.ts';
import { chooseDelimiter, countCandidates, lineEndingOf, resolveDelimiter, SEP_LINE, SNIFF_CHARS } from './dialect.ts';
import { isEnrichedHeader } from './enriched.ts';
import { MAX_TEXT_BYTES, tooLong } from './read-source.ts';
import type { RawRecord, RawTable, ReadOptions, RecordSink } from './read-table.ts';
import { RecordSpans } from './record-spans.ts';
import type { ReaderNote } from './reader-notes.ts';
import { RecordStream } from './record-stream.ts';
import { checkHeader, findFooter, unguard } from './table-shape.ts';
import { Table } from './table.ts';
import { CR, LF } from './bytes.ts';

/** 1 MiB: far above any real CRM record, small enough to stop a runaway quote early. */
const DEFAULT_MAX_RECORD_SIZE = 1_048_576;

/** A block as csv-parse reads it: bytes (UTF-8), its text on demand, and where it is in the input. */
export interface TextBlock {
  readonly input: Buffer;
  /** The physical line it starts at. */
  readonly line: number;
  readonly text: () => string;
  /** Byte offset in the input and record ends (a UTF-8 input only). */
  readonly block: Block | undefined;
}

/** The decoded input: how it was read, its first text (for the dialect), and its blocks. */
interface TextInput {
  readonly encoding: string;
  readonly hadBom: boolean;
  readonly warning: ReaderNote | undefined;
  /** The text from the start (BOM removed): the whole input, or its first SNIFF_CHARS or more characters. */
  readonly head: string;
  readonly headIsWhole: boolean;
  /** The blocks after the first `skip` characters of `head` (a sep= line). */
  blocks(skip: string): Iterable<TextBlock>;
}

/** An input whose encoding and dialect are settled: what is left is to parse its blocks. */
export interface Prepared {
  readonly source: string;
  readonly input: TextInput;
  readonly notes: readonly ReaderNote[];
  readonly dialect: CsvDialect;
  readonly delimiterSource: RawTable['delimiterSource'];
  /** The sep= line, skipped before the first block ('' when none). */
  readonly skip: string;
  readonly firstLine: number;
  /** The input's size in bytes (as it was when opened). */
  readonly size: number;
}

/** Reads a table from `bytes`; `keep` is where record bytes are read back from later (the same source). */
export function readInput(bytes: ByteSource, source: string, options: ReadOptions, keep: ByteSource = bytes, sink?: RecordSink): RawTable {
  const prepared = prepareInput(bytes, source, options);
  const read = readRecords(prepared.input.blocks(prepared.skip), prepared, sink);
  // A sink took records whose bytes cannot all be found again (cannot happen for valid CSV): read them all, kept.
  if (read.stream !== undefined && !read.spans.complete) return readInput(bytes, source, options, keep);
  return finishTable(prepared, read, keep);
}

/** The encoding from the first bytes, then the delimiter (option, sep= line, or detected) from the first text. */
export function prepareInput(bytes: ByteSource, source: string, options: ReadOptions): Prepared {
  const optionDelimiter = options.delimiter === undefined ? undefined : resolveDelimiter(options.delimiter);
  const maxRecordSize = resolveMaxRecordSize(options.maxRecordSize);
  const sniffed = sniffEncoding(bytes.read(0, SNIFF_HEAD_BYTES), source, options.encoding);
  const input =
    sniffed.blockwise === undefined
      ? wholeInput(bytes, source, options.encoding)
      : utf8Input(bytes, source, sniffed.blockwise, sniffed.bomLength, Math.max(4 * maxRecordSize, options.blockBytes ?? 0), options.blockBytes);
  const notes: ReaderNote[] = [];
  if (input.warning !== undefined) notes.push(input.warning);
  if (options.sheet !== undefined) notes.push({ code: 'ignored_option', option: 'sheet', value: options.sheet, why: 'not_a_workbook', source });
  if (options.encoding !== undefined && input.hadBom) {
    notes.push({ code: 'ignored_option', option: 'encoding', value: options.encoding, why: 'bom', bom: input.encoding });
  }

  const sep = SEP_LINE.exec(input.head);
  let delimiter: string;
  let delimiterSource: RawTable['delimiterSource'];
  if (sep !== null) {
    const sepChar = sep[1] ?? sep[2] ?? ',';
    if (optionDelimiter === undefined) notes.push({ code: 'sep_line', char: sepChar });
    delimiter = optionDelimiter ?? sepChar;
    delimiterSource = optionDelimiter === undefined ? 'sep-line' : 'option';
  } else if (optionDelimiter !== undefined) {
    delimiter = optionDelimiter;
    delimiterSource = 'option';
  } else {
    const counts = countCandidates(input.head, input.headIsWhole);
    const isUtf16 = input.encoding.startsWith('utf-16');
    // Excel's "Unicode Text" is UTF-16LE + TAB; a header with tabs settles it.
    delimiter = isUtf16 && (counts[0]?.[2] ?? 0) > 0 ? '\t' : chooseDelimiter(counts);
    delimiterSource = 'detected';
    if (isUtf16 || delimiter !== ',') notes.push({ code: 'detected_dialect', encoding: input.encoding, delimiter });
  }
  const skip = sep?.[0] ?? '';
  return { source, input, notes, dialect: { source, delimiter, maxRecordSize }, delimiterSource, skip, firstLine: skip === '' ? 1 : 2, size: bytes.size };
}

/** The table from its records: its shape judged, its notes in order. */
export function finishTable(prepared: Prepared, read: ReadRecords, keep: ByteSource): RawTable {
  const { source, input } = prepared;
  const shaped = shapeTable(read, source);
  const spans = shaped.verbatim ? read.spans.source(keep) : undefined;
  const stream = read.stream;
  return new Table(
    {
      source,
      encoding: input.encoding,
      delimiter: prepared.dialect.delimiter,
      delimiterSource: prepared.delimiterSource,
      hadBom: input.hadBom,
      lineEnding: read.lineEnding,
      unguardedCells: shaped.unguardedCells,
      headerLine: read.headerLine,
      header: shaped.header,
      ...(stream === undefined ? { records: read.records } : {}),
      blankLines: read.blankLines,
      footerLines: shaped.footerLines,
      notes: [...prepared.notes, ...shaped.notes],
      streamed: stream !== undefined,
    },
    spans,
    stream === undefined || spans === undefined ? undefined : stream.lean(prepared.dialect),
  );
}

/** A UTF-8 input (BOM or not), read in record-aligned blocks of bytes, each checked as strict UTF-8. */
function utf8Input(bytes: ByteSource, source: string, encoding: string, bomLength: number, maxPending: number, blockBytes: number | undefined): TextInput {
  const headBytes = bytes.read(bomLength, SNIFF_CHARS * 4);
  const head = new TextDecoder('utf-8', { ignoreBOM: true }).decode(headBytes, { stream: true });
  return {
    encoding,
    hadBom: bomLength > 0,
    warning: undefined,
    head,
    headIsWhole: bomLength + headBytes.length >= bytes.size,
    *blocks(skip) {
      let start = bomLength;
      if (skip !== '') {
        // The sep= line is read from `head` (decoded leniently): check its bytes as strictly as the rest.
        const length = Buffer.byteLength(skip);
        checkUtf8Block(bytes.read(bomLength, length), bomLength, 1, source);
        start += length;
      }
      let line = skip === '' ? 1 : 2;
      for (const block of blocksOf(bytes, start, maxPending, blockBytes)) {
        checkUtf8Block(block.bytes, block.offset, line, source);
        yield { input: block.bytes, line, text: () => block.bytes.toString('utf8'), block };
        line += countLineBreaks(block.bytes);
      }
    },
  };
}

/** Any other encoding (UTF-16, Windows-1252, ...): decoded whole (within MAX_TEXT_BYTES), one block. */
function wholeInput(bytes: ByteSource, source: string, encoding: string | undefined): TextInput {
  if (bytes.size > MAX_TEXT_BYTES) throw tooLong(source, bytes.size);
  const all = readAll(bytes);
  const decoded = decodeBytes(all, source, encoding);
  return {
    encoding: decoded.encoding,
    hadBom: decoded.hadBom,
    warning: decoded.warning,
    head: decoded.text,
    headIsWhole: true,
    blocks(skip) {
      const text = decoded.text.slice(skip.length);
      return [{ input: Buffer.from(text), line: skip === '' ? 1 : 2, text: () => text, block: undefined }];
    },
  };
}

/** The whole input, to its end (a file may have grown since its size was taken). */
function readAll(bytes: ByteSource): Buffer {
  const chunks: Buffer[] = [];
  for (let position = 0; ;) {
    const chunk = bytes.read(position, Math.max(bytes.size - position, 65_536));
    if (chunk.length === 0) return Buffer.concat(chunks);
    chunks.push(chunk);
    position += chunk.length;
  }
}

/** Line breaks in a block of bytes: CRLF, LF and a lone CR each count once (a block never ends between CR and LF). */
function countLineBreaks(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) n++;
  if (bytes.indexOf(CR) < 0) return n;
  for (let i = bytes.indexOf(CR); i >= 0; i = bytes.indexOf(CR, i + 1)) if (bytes[i + 1] !== LF) n++;
  return n;
}

/** All records of the input, with the header the first non-blank one. */
export interface ReadRecords {
  readonly header: string[] | undefined;
  readonly headerLine: number;
  readonly records: RawRecord[];
  readonly blankLines: number;
  readonly blankLineNumbers: number[];
  readonly lineEnding: RawTable['lineEnding'];
  /** Each data record's byte offset and length in the input, when every block has them. */
  readonly spans: RecordSpans;
  /** Set when a sink took the records (then `records` is empty). */
  readonly stream: RecordStream | undefined;
}

/** Gathers the records of the blocks, in input order. */
export class RecordCollector {
  header: string[] | undefined;
  headerLine: number;
  readonly records: RawRecord[] = [];
  blankLines = 0;
  readonly blankLineNumbers: number[] = [];
  readonly spans = new RecordSpans();
  lineEnding: RawTable['lineEnding'] | undefined;
  stream: RecordStream | undefined;

  constructor(
    firstLine: number,
    private readonly dialect?: CsvDialect,
    private readonly sink?: RecordSink,
    private readonly size = 0,
  ) {
    this.headerLine = firstLine;
  }

  add(b: TextBlock, parsed: BlockRecords): void {
    this.lineEnding ??= lineEndingOf(b.text());
    this.blankLines += parsed.blankLines;
    for (const l of parsed.blankLineNumbers) this.blankLineNumbers.push(l);
    let k = 0;
    if (this.header === undefined && parsed.cells.length > 0) {
      this.header = parsed.cells[0]!;
      this.headerLine = parsed.lines[0]!;
      k = 1;
      this.stream = this.#startSink(b, parsed.rowCount);
    }
    this.spans.addBlock(b.block, parsed, k);
    const stream = this.stream;
    if (stream !== undefined) for (; k < parsed.cells.length; k++) stream.add(parsed.lines[k]!, parsed.cells[k]!);
    else for (; k < parsed.cells.length; k++) this.records.push({ line: parsed.lines[k]!, cells: parsed.cells[k]! });
  }

  /**
   * The stream to the sink, when there is one, the input is UTF-8 read in blocks (every
   * record's bytes can be read again) and the header is as the table will keep it: a header
   * the shape checks would change or refuse keeps every record, so the table is judged as ever.
   */
  #startSink(b: TextBlock, rows: number): RecordStream | undefined {
    const { sink, dialect, header } = this;
    if (sink === undefined || dialect === undefined || header === undefined || b.block === undefined) return undefined;
    const unguarded = [...header];
    unguard(unguarded);
    let checked: readonly string[];
    try {
      checked = checkHeader(unguarded, [], dialect.source, this.headerLine).header;
    } catch {
      return undefined;
    }
    if (checked.length !== header.length) return undefined;
    const perRecord = Math.max(1, b.block.bytes.length / Math.max(1, rows));
    const expectedRecords = Math.min(this.size, Math.ceil((this.size / perRecord) * 1.02)) + 16;
    const head = { source: dialect.source, delimiter: dialect.delimiter, headerLine: this.headerLine, header: checked, expectedRecords };
    return sink.start(head) ? new RecordStream(sink, this.spans, header.length) : undefined;
  }

  result(): ReadRecords {
    return {
      header: this.header,
      headerLine: this.headerLine,
      records: this.records,
      blankLines: this.blankLines,
      blankLineNumbers: this.blankLineNumbers,
      lineEnding: this.lineEnding ?? '\n',
      spans: this.spans,
      stream: this.stream,
    };
  }
}

/** Parses every block; on a CSV error, the rest of the input is still checked first, as a whole-file decode would. */
function readRecords(blocks: Iterable<TextBlock>, prepared: Prepared, sink: RecordSink | undefined): ReadRecords {
  const { dialect, firstLine } = prepared;
  const collector = new RecordCollector(firstLine, dialect, sink, prepared.size);
  let line = firstLine;
  const it = blocks[Symbol.iterator]();
  for (let next = it.next(); next.done !== true; next = it.next()) {
    const b = next.value;
    let parsed: BlockRecords;
    try {
      parsed = parseBlock(b.input, b.text, dialect, line);
    } catch (err) {
      if (err instanceof InputError) throw errorAfterRest(err, it, collector.header === undefined && !/\S/.test(b.text()), dialect.source);
      throw err;
    }
    line = parsed.endLine;
    collector.add(b, parsed);
  }
  return collector.result();
}

/**
 * The error to report for a CSV error in one block: a decoding error further on wins (the
 * whole input is decoded before it is parsed), and an input that is only blank is empty.
 */
function errorAfterRest(err: InputError, rest: Iterator<TextBlock>, blankSoFar: boolean, source: string): InputError {
  let blank = blankSoFar;
  for (let next = rest.next(); next.done !== true; next = rest.next()) if (blank && /\S/.test(next.value.text())) blank = false;
  return blank ? new InputError(`${source}: input is empty: no header row`) : err;
}

/** The table's shape, judged once every record is read. */
interface Shaped {
  readonly header: readonly string[];
  readonly unguardedCells: number;
  readonly footerLines: readonly number[];
  readonly notes: readonly ReaderNote[];
  /** Every record's bytes still say exactly its cells (no trailing column dropped). */
  readonly verbatim: boolean;
}

function shapeTable(read: ReadRecords, source: string): Shaped {
  const { header: rawHeader, headerLine, records } = read;
  if (rawHeader === undefined) throw new InputError(`${source}: input is empty: no header row`);
  const notes: ReaderNote[] = [];
  let unguardedCells = unguard(rawHeader) + (read.stream?.unguardedCells ?? 0);
  for (let r = 0; r < records.length; r++) {
    const n = unguard(records[r]!.cells as string[]);
    if (n > 0) read.spans.alter(r);
    unguardedCells += n;
  }
  if (unguardedCells > 0 && !isEnrichedHeader(rawHeader)) notes.push({ code: 'unguarded_cells', cells: unguardedCells });
  const checked = checkHeader(rawHeader, records, source, headerLine);
  notes.push(...checked.notes);
  const footer = read.stream?.end(checked.header, headerLine) ?? findFooter(checked.header, headerLine, records);
  records.length = Math.min(records.length, footer.from);
  read.spans.truncate(footer.from);
  if (footer.note !== undefined) notes.push(footer.note);
  const lastLine = lastLineOf(read, headerLine);
  const blankInside = read.blankLineNumbers.filter((l) => l > headerLine && l < lastLine);
  if (blankInside.length > 0) notes.push({ code: 'blank_lines_inside', lines: blankInside });
  return { header: checked.header, unguardedCells, footerLines: footer.lines, notes, verbatim: checked.header.length === rawHeader.length };
}

/** The line of the last data record (the header's when there is none). */
function lastLineOf(read: ReadRecords, headerLine: number): number {
  const { records, stream } = read;
  if (stream !== undefined) return stream.n > 0 ? stream.lineOf(stream.n - 1) : headerLine;
  return records.length > 0 ? records[records.length - 1]!.line : headerLine;
}

function resolveMaxRecordSize(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RECORD_SIZE;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`invalid --max-record-size '${value}': expected a positive whole number of bytes`);
  }
  return value;
}
