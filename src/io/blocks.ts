/**
 * An input as record-aligned blocks of bytes: each block ends at a record delimiter (LF,
 * CRLF or a lone CR) outside quotes, found by quote parity (an even count of `"` since the
 * block's start, which starts a record), so csv-parse reads every block on its own exactly
 * as it would read the whole input. Never holds more than a block and a pending record.
 */
import { readSync } from 'node:fs';
import { CR, LF, QUOTE } from './bytes.ts';

/** Where the bytes come from: a buffer in memory, or an open file (a regular file, or the spill file of a stream). */
export interface ByteSource {
  /** The size now (a file may still grow while it is read; reads go on to its end). */
  readonly size: number;
  /**
   * Up to `length` bytes from `position`; fewer (or none) at the end. With `into` (at least
   * `length` long), a file source reads into it rather than a new buffer; a buffer source
   * returns a view of its own bytes either way.
   */
  read(position: number, length: number, into?: Buffer): Buffer;
}

export function bufferSource(bytes: Uint8Array): ByteSource {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { size: buf.length, read: (position, length) => buf.subarray(position, Math.min(buf.length, position + length)) };
}

export function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(position, length, into) {
      const buf = into !== undefined && into.length >= length ? into : Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, position + got);
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    },
  };
}

/**
 * 256 KiB: big enough that per-block costs vanish, small enough that a block's cells (about
 * six times its bytes as strings and arrays) die in the young generation once a consumer has
 * read them: with 4 MiB blocks they were promoted, and peak RSS at 300k rows was 412 MB
 * against 359 MB (and 18.3 s of CPU against 13.7 s).
 */
const BLOCK_BYTES = 256 * 1024;

/** One record-aligned block. */
export interface Block {
  readonly bytes: Buffer;
  /** Its offset in the input. */
  readonly offset: number;
  /** Offsets in `bytes` just after each record delimiter outside quotes (the record ends before it). */
  readonly ends: readonly number[];
  /** The block reaches the end of the input. */
  readonly last: boolean;
}

/**
 * Record ends in `bytes` (offsets just after each LF, CRLF or lone CR outside quotes).
 * A CR at the very end is a record end only when `eof` (else its LF may follow).
 */
function recordEnds(bytes: Uint8Array, eof: boolean): number[] {
  const ends: number[] = [];
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      // Inside quotes to the closing quote ("" is two toggles: leaving and entering again).
      const close = bytes.indexOf(QUOTE, i + 1);
      if (close < 0) return ends;
      i = close + 1;
    } else if (c === LF) {
      ends.push(++i);
    } else if (c === CR) {
      if (i + 1 < n) ends.push(bytes[i + 1] === LF ? (i += 2) : ++i);
      else if (eof) ends.push(++i);
      else return ends;
    } else {
      i = nextSpecial(bytes, i + 1, n);
    }
  }
  return ends;
}

/** The next quote, LF or CR at or after `from` (n if none). */
function nextSpecial(bytes: Uint8Array, from: number, n: number): number {
  for (let i = from; i < n; i++) {
    const c = bytes[i]!;
    if (c === QUOTE || c === LF || c === CR) return i;
  }
  return n;
}

/**
 * The input from `start` as record-aligned blocks of about `blockBytes`. A record longer
 * than a block makes its block longer, up to `maxPending` bytes (a few times
 * --max-record-size); past that (an unclosed quote, a runaway record) the rest of the input
 * is one last block, so csv-parse stops on it exactly as it would on the whole file.
 */
export function* blocksOf(source: ByteSource, start: number, maxPending: number, blockBytes = BLOCK_BYTES): Generator<Block> {
  let position = start;
  let pending: Buffer = Buffer.alloc(0);
  let offset = start;
  for (;;) {
    const fresh = source.read(position, blockBytes);
    position += fresh.length;
    const bytes = pending.length === 0 ? fresh : Buffer.concat([pending, fresh]);
    if (fresh.length === 0) {
      if (bytes.length > 0) yield { bytes, offset, ends: recordEnds(bytes, true), last: true };
      return;
    }
    const ends = recordEnds(bytes, false);
    const cut = ends[ends.length - 1];
    if (cut !== undefined) {
      yield { bytes: bytes.subarray(0, cut), offset, ends, last: false };
      pending = Buffer.from(bytes.subarray(cut));
      offset += cut;
    } else if (bytes.length > maxPending) {
      const rest = readRest(source, position, [bytes]);
      yield { bytes: rest, offset, ends: recordEnds(rest, true), last: true };
      return;
    } else {
      pending = bytes;
    }
  }
}

/** Everything from `position` to the end, after `head`, as one buffer. */
function readRest(source: ByteSource, position: number, head: Buffer[]): Buffer {
  const chunks = [...head];
  for (;;) {
    const chunk = source.read(position, BLOCK_BYTES * 16);
    if (chunk.length === 0) return Buffer.concat(chunks);
    chunks.push(chunk);
    position += chunk.length;
  }
}
