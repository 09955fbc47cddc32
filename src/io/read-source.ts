/**
 * Bytes in: a file, stdin, a FIFO or a device, read within --max-input-size and checked by
 * its first KiB before the rest is read; every I/O failure is a UsageError (exit 2) naming
 * the input and the errno in words.
 */
import { constants, fstatSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import type { FileHandle } from 'node:fs/promises';
import { InputError, UsageError } from '../errors.ts';
import { checkHead, HEAD_BYTES } from './decode.ts';

/** The default --max-input-size: 2 GiB, the most Node reads of one file. */
export const DEFAULT_MAX_INPUT_SIZE = 2 ** 31;

/**
 * The most bytes of one input kam holds as text: V8's longest string (2^29 - 24 UTF-16 code
 * units, `buffer.constants.MAX_STRING_LENGTH` on 64-bit Node 20-24). A UTF-8 file never
 * decodes to more characters than it has bytes, so every file up to this size fits; a larger
 * one is refused with this limit, in bytes, instead of a wrong "invalid UTF-8".
 */
export const MAX_TEXT_BYTES = 536_870_888;

/**
 * A regular file is checked by size first (`cap`, then MAX_TEXT_BYTES), then by its first
 * KiB (`checkHead`), then read whole; a FIFO, a character device or a socket is read as a
 * stream with the same cap, so `/dev/zero` fails at its first KiB, `yes | ...` at the cap.
 */
export async function readOpenFile(file: FileHandle, path: string, display: string, cap: number, encoding: string | undefined): Promise<Buffer> {
  let stat;
  try {
    stat = await file.stat();
  } catch (err) {
    throw ioError(display, err);
  }
  if (stat.isDirectory()) throw new UsageError(`${display} is a directory`);
  if (stat.isFIFO()) {
    // A FIFO is read as a pipe (non-blocking, like stdin), so a refusal at its first KiB stops
    // at once even while its writer goes on; a blocking read would hold the run until it ends.
    // Opened again before `file` closes, so the writer never sees the FIFO without a reader.
    const pipe = new Socket({ fd: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
    try {
      return await readStream(pipe, display, cap, encoding);
    } finally {
      pipe.destroy();
    }
  }
  if (!stat.isFile()) return readStream(file.createReadStream({ autoClose: false }), display, cap, encoding);
  if (stat.size > cap) throw tooLarge(display, stat.size, cap);
  if (stat.size > MAX_TEXT_BYTES) throw tooLong(display, stat.size);
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, stat.size));
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    checkHead(head.subarray(0, bytesRead), display, encoding);
    // The size may change while we read (a file still being written): read to its end, within the bounds.
    const chunks: Buffer[] = [head.subarray(0, bytesRead)];
    let total = bytesRead;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.max(65_536, Math.min(stat.size - total, 1 << 26)));
      const { bytesRead: n } = await file.read(buf, 0, buf.length, total);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > cap) throw tooLarge(display, total, cap);
      if (total > MAX_TEXT_BYTES) throw tooLong(display, total);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) throw err;
    throw new UsageError(`cannot read ${display}: ${errnoText(err)}`, { cause: err });
  }
}

/** `size` undefined: a stream, whose size is known only as "more than the cap". */
export function isDirectoryFd(fd: number): boolean {
  try {
    return fstatSync(fd).isDirectory();
  } catch {
    return false;
  }
}

export function tooLarge(display: string, size: number | undefined, cap: number): UsageError {
  const what = size === undefined ? `holds more than --max-input-size ${cap} bytes` : `is ${size} bytes, more than --max-input-size ${cap}`;
  return new UsageError(`${display} ${what}; raise --max-input-size if it really is one export`);
}

export function tooLong(display: string, size: number): UsageError {
  return new UsageError(`${display} is ${size} bytes: kam reads at most ${MAX_TEXT_BYTES} bytes (512 MiB) of text from one file; split the export`);
}

export function resolveMaxInputSize(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_INPUT_SIZE;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`invalid --max-input-size '${value}': expected a positive whole number of bytes`);
  }
  return value;
}

/**
 * A stream (stdin, a FIFO, a device) read whole within `cap` bytes (and MAX_TEXT_BYTES); its
 * first KiB is checked (`checkHead`) as soon as it has arrived, so binary data stops the read.
 */
export async function readStream(stream: NodeJS.ReadableStream, source: string, cap: number, encoding: string | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let checked = false;
  const check = (): void => {
    checked = true;
    const all = Buffer.concat(chunks, total);
    checkHead(all.subarray(0, HEAD_BYTES), source, encoding);
  };
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      chunks.push(buf);
      total += buf.length;
      if (!checked && total >= HEAD_BYTES) check();
      if (total > cap) throw tooLarge(source, undefined, cap);
      if (total > MAX_TEXT_BYTES) throw tooLong(source, total);
    }
  } catch (err) {
    (stream as { destroy?: () => void }).destroy?.();
    if (err instanceof UsageError || err instanceof InputError) throw err;
    if ((err as { code?: unknown }).code === 'EISDIR') throw new UsageError(`cannot read ${source}: EISDIR (it is a directory)`, { cause: err });
    throw new UsageError(`cannot read ${source}: ${errnoText(err)}`, { cause: err });
  }
  if (!checked && total > 0) check();
  return Buffer.concat(chunks, total);
}

const ERRNO_TEXT: ReadonlyMap<string, string> = new Map([
  ['ENOENT', 'no such file'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['ENOTDIR', 'a parent is not a directory'],
  ['ELOOP', 'too many symbolic links'],
  ['ENAMETOOLONG', 'name too long'],
  ['EMFILE', 'too many open files'],
  ['EIO', 'input/output error'],
  ['ERR_FS_FILE_TOO_LARGE', 'file larger than 2 GiB'],
]);

export function errnoText(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return err instanceof Error ? err.message : String(err);
  const text = ERRNO_TEXT.get(code);
  return text === undefined ? code : `${code} (${text})`;
}

export function ioError(path: string, err: unknown): UsageError {
  if ((err as { code?: unknown } | undefined)?.code === 'EISDIR') return new UsageError(`${path} is a directory`, { cause: err });
  return new UsageError(`cannot open ${path}: ${errnoText(err)}`, { cause: err });
}
