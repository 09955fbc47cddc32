/**
 * Bytes in: a file read in place, or stdin, a FIFO or a device copied to a spill file, within
 * --max-input-size and checked by its first KiB before the rest is read; every I/O failure
 * is a UsageError (exit 2) naming the input and the errno in words.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, UsageError } from '../errors.ts';
import { fileSource, type ByteSource } from './blocks.ts';
import { checkHead, HEAD_BYTES } from './decode.ts';

/** The default --max-input-size: 2 GiB, the most Node reads of one file. */
const DEFAULT_MAX_INPUT_SIZE = 2 ** 31;

/**
 * The most bytes of one input kam decodes whole: V8's longest string (2^29 - 24 UTF-16 code
 * units, `buffer.constants.MAX_STRING_LENGTH` on 64-bit Node 20-24). A UTF-8 input is read
 * in blocks and has no such limit; one in another encoding (UTF-16, Windows-1252) is decoded
 * whole, and a larger one is refused with this limit, in bytes.
 */
export const MAX_TEXT_BYTES = 536_870_888;

/** An opened input: its bytes, readable at any offset for as long as the table lives. */
export interface OpenedInput {
  readonly bytes: ByteSource;
  /** The descriptor behind `bytes` (closed when the table is collected, or by `close`). */
  readonly fd: number;
  close(): void;
}

/**
 * Opens a file for block reading: a regular file is checked by size (`cap`) and read in
 * place; a FIFO, a character device or a socket is read as a stream into a spill file with
 * the same cap (its first KiB checked first, so `/dev/zero` fails at once, `yes | ...` at
 * the cap). `file` is the caller's handle on `path`, already open (and closed by the caller).
 * I/O failures are UsageErrors.
 */
export async function openInput(file: FileHandle, path: string, display: string, cap: number, encoding: string | undefined): Promise<OpenedInput> {
  let stat;
  try {
    stat = await file.stat();
  } catch (err) {
    throw ioError(display, err);
  }
  if (stat.isDirectory()) throw new UsageError(`${display} is a directory`);
  if (stat.isFile()) {
    if (stat.size > cap) throw tooLarge(display, stat.size, cap);
    try {
      return opened(openSync(path, 'r'), display, cap);
    } catch (err) {
      throw ioError(display, err);
    }
  }
  if (stat.isFIFO()) {
    // A FIFO is read as a pipe (non-blocking, like stdin), so a refusal at its first KiB stops
    // at once even while its writer goes on; a blocking read would hold the run until it ends.
    // Opened again before `file` closes, so the writer never sees the FIFO without a reader.
    const pipe = new Socket({ fd: openSync(path, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
    try {
      return await spillStream(pipe, display, cap, encoding);
    } finally {
      pipe.destroy();
    }
  }
  return await spillStream(file.createReadStream({ autoClose: false }), display, cap, encoding);
}

/** A ByteSource over an open descriptor; reading past `cap` (a file that grows) is refused. */
function opened(fd: number, display: string, cap: number): OpenedInput {
  const source = fileSource(fd, fstatSync(fd).size);
  let closed = false;
  return {
    fd,
    bytes: {
      size: source.size,
      read(position, length, into) {
        let chunk: Buffer;
        try {
          chunk = source.read(position, length, into);
        } catch (err) {
          throw new UsageError(`cannot read ${display}: ${errnoText(err)}`, { cause: err });
        }
        if (position + chunk.length > cap) throw tooLarge(display, position + chunk.length, cap);
        return chunk;
      },
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}

/** `size` undefined: a stream, whose size is known only as "more than the cap". */
export function isDirectoryFd(fd: number): boolean {
  try {
    return fstatSync(fd).isDirectory();
  } catch {
    return false;
  }
}

function tooLarge(display: string, size: number | undefined, cap: number): UsageError {
  const what = size === undefined ? `holds more than --max-input-size ${cap} bytes` : `is ${size} bytes, more than --max-input-size ${cap}`;
  return new UsageError(`${display} ${what}; raise --max-input-size if it really is one export`);
}

export function tooLong(display: string, size: number): UsageError {
  return new UsageError(
    `${display} is ${size} bytes: kam reads at most ${MAX_TEXT_BYTES} bytes (512 MiB) of a file that is not UTF-8; re-save it as CSV UTF-8 (read in blocks, with no such limit) or split the export`,
  );
}

export function resolveMaxInputSize(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_INPUT_SIZE;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`invalid --max-input-size '${value}': expected a positive whole number of bytes`);
  }
  return value;
}

/**
 * A stream (stdin, a FIFO, a device) copied into a spill file (created and unlinked at once,
 * so nothing is left behind) within `cap` bytes; its first KiB is checked (`checkHead`) as
 * soon as it has arrived, so binary data stops the read. The spill file is then read in
 * blocks like any file, and keeps each record's bytes for output.
 */
export async function spillStream(stream: NodeJS.ReadableStream, source: string, cap: number, encoding: string | undefined): Promise<OpenedInput> {
  const path = join(tmpdir(), `kam-spill-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(path, 'wx+', 0o600);
  unlinkSync(path);
  const head: Buffer[] = [];
  let total = 0;
  let checked = false as boolean;
  const check = (): void => {
    checked = true;
    checkHead(Buffer.concat(head, Math.min(total, HEAD_BYTES * 2)).subarray(0, HEAD_BYTES), source, encoding);
  };
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      if (!checked) head.push(buf);
      for (let at = 0; at < buf.length;) at += writeSync(fd, buf, at, buf.length - at, total + at);
      total += buf.length;
      if (!checked && total >= HEAD_BYTES) check();
      if (total > cap) throw tooLarge(source, undefined, cap);
    }
  } catch (err) {
    closeSync(fd);
    (stream as { destroy?: () => void }).destroy?.();
    if (err instanceof UsageError || err instanceof InputError) throw err;
    if ((err as { code?: unknown }).code === 'EISDIR') throw new UsageError(`cannot read ${source}: EISDIR (it is a directory)`, { cause: err });
    throw new UsageError(`cannot read ${source}: ${errnoText(err)}`, { cause: err });
  }
  if (!checked && total > 0) {
    try {
      check();
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }
  return opened(fd, source, cap);
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

function errnoText(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return err instanceof Error ? err.message : String(err);
  const text = ERRNO_TEXT.get(code);
  return text === undefined ? code : `${code} (${text})`;
}

/** A file opened for reading, asynchronously (opening a FIFO waits for its writer, and must not block the run); a failure is the UsageError naming it. */
export async function openForReading(path: string, display: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    throw ioError(display, err);
  }
}

function ioError(path: string, err: unknown): UsageError {
  if ((err as { code?: unknown } | undefined)?.code === 'EISDIR') return new UsageError(`${path} is a directory`, { cause: err });
  return new UsageError(`cannot open ${path}: ${errnoText(err)}`, { cause: err });
}
