/**
 * The zip container of an .xlsx, read and written with node:zlib alone: the central
 * directory from the end of the file, small parts inflated whole, the sheet inflated as a
 * stream (so a 100k-row sheet is never one string), and a writer with fixed entry
 * timestamps (same input, same bytes). Zip64 and encrypted entries are refused.
 */
import { createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { FileHandle } from 'node:fs/promises';
import { InputError, UsageError } from '../../errors.ts';

/** Where the bytes of a zip come from: an open file (read by offset) or bytes in memory (stdin). */
export interface ZipSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

export function fileSource(file: FileHandle, size: number): ZipSource {
  return {
    size,
    async read(offset, length) {
      const buf = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await file.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buf.subarray(0, done);
    },
  };
}

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
  readonly encrypted: boolean;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** A part read whole (workbook, styles, shared strings) may inflate to at most this. */
const MAX_PART_BYTES = 512 * 1024 * 1024;
/** Most chunks of compressed data read at a time when a part streams. */
const CHUNK = 1 << 20;

/** The entries of the zip's central directory, by name. */
export async function readDirectory(src: ZipSource, display: string): Promise<Map<string, ZipEntry>> {
  const tailLength = Math.min(src.size, 65_557);
  const tail = await src.read(src.size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  const damaged = (): InputError =>
    new InputError(`${display}: the workbook is damaged (its zip directory cannot be read): open it in Excel and save it again`);
  if (at < 0) throw damaged();
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  if (cdOffset === 0xffffffff || count === 0xffff)
    throw new InputError(`${display}: the workbook is a zip64 archive (over 4 GiB), which kam does not read: split the export`);
  if (cdOffset + cdSize > src.size) throw damaged();
  const cd = await src.read(cdOffset, cdSize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw damaged();
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
    entries.set(name, {
      name,
      method: cd.readUInt16LE(p + 10),
      encrypted: (cd.readUInt16LE(p + 8) & 1) === 1,
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function dataStart(src: ZipSource, entry: ZipEntry, display: string): Promise<number> {
  const head = await src.read(entry.localOffset, 30);
  if (head.length < 30 || head.readUInt32LE(0) !== LOCAL)
    throw new InputError(`${display}: the workbook is damaged (part ${entry.name}): open it in Excel and save it again`);
  return entry.localOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
}

function checkEntry(entry: ZipEntry, display: string): void {
  if (entry.encrypted) throw new InputError(`${display}: the workbook's parts are encrypted: remove the password in Excel and save it again`);
  if (entry.method !== 0 && entry.method !== 8)
    throw new InputError(`${display}: part ${entry.name} uses zip method ${entry.method}, which kam does not read: open it in Excel and save it again`);
}

/** A small part, inflated whole. */
export async function readPart(src: ZipSource, entry: ZipEntry, display: string): Promise<Buffer> {
  checkEntry(entry, display);
  if (entry.size > MAX_PART_BYTES)
    throw new UsageError(`${display}: part ${entry.name} inflates to ${entry.size} bytes, more than kam reads (${MAX_PART_BYTES})`);
  const data = await src.read(await dataStart(src, entry, display), entry.compressedSize);
  if (entry.method === 0) return data;
  try {
    return inflateRawSync(data, { maxOutputLength: MAX_PART_BYTES });
  } catch (err) {
    throw new InputError(`${display}: the workbook is damaged (part ${entry.name} does not inflate): open it in Excel and save it again`, { cause: err });
  }
}

/**
 * A part as a stream of inflated chunks, read CHUNK compressed bytes at a time. The output
 * is bounded by the size the directory declares (a zip bomb stops there).
 */
export async function* streamPart(src: ZipSource, entry: ZipEntry, display: string): AsyncGenerator<Buffer> {
  checkEntry(entry, display);
  const start = await dataStart(src, entry, display);
  const end = start + entry.compressedSize;
  async function* compressed(): AsyncGenerator<Buffer> {
    for (let at = start; at < end; at += CHUNK) yield await src.read(at, Math.min(CHUNK, end - at));
  }
  if (entry.method === 0) {
    yield* compressed();
    return;
  }
  // 64 KiB output chunks: fewer strings for the scanner than the default 16 KiB, and still
  // small enough to die young (a 1 MiB string goes to the large-object space: +150 MB RSS).
  const inflate = createInflateRaw({ chunkSize: 1 << 16 });
  const feed = (async () => {
    try {
      for await (const chunk of compressed()) if (!inflate.write(chunk)) await new Promise((r) => inflate.once('drain', r));
      inflate.end();
    } catch (err) {
      inflate.destroy(err as Error);
    }
  })();
  let total = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > entry.size)
        throw new InputError(`${display}: part ${entry.name} inflates to more than the ${entry.size} bytes its zip directory says: the workbook is damaged`);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${display}: the workbook is damaged (part ${entry.name} does not inflate): open it in Excel and save it again`, { cause: err });
  } finally {
    inflate.destroy();
    await feed;
  }
}

// ---------------------------------------------------------------------------------------
// Writing

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (IEEE), as zip needs it (zlib.crc32 is Node 20.15+ only). */
function crc32(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** The DOS time and date every entry carries: 1980-01-01 00:00, the zip epoch, so a run's bytes never depend on the clock. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** A zip of these parts, in this order, deflated (level 6), with fixed timestamps. */
export function writeZip(parts: readonly { readonly name: string; readonly data: Uint8Array }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const deflated = deflateRawSync(part.data, { level: 6 });
    const crc = crc32(part.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(part.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(part.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, deflated);
    centrals.push(central, name);
    offset += 30 + name.length + deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
