/**
 * Bytes -> text for CSV input: refuses files that are not text (workbooks, archives, PDFs),
 * honours byte-order marks, decodes UTF-8 strictly and other encodings only on request.
 * Knows nothing of CSV.
 */
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import type * as Iconv from 'iconv-lite';
import { InputError, UsageError } from '../errors.ts';
import type { ReaderNote } from './reader-notes.ts';
import { firstInvalidUtf8, lineAtByte, mostlyUtf8, type Utf8Breaks } from './utf8-bytes.ts';

let iconvLib: typeof Iconv | undefined;
/** iconv-lite, loaded only for a legacy encoding (most files are UTF-8). */
function iconv(): typeof Iconv {
  iconvLib ??= createRequire(import.meta.url)('iconv-lite') as typeof Iconv;
  return iconvLib;
}

/** The decoded text of an input file. */
export interface Decoded {
  /** The text, without its byte-order mark. */
  readonly text: string;
  /** 'utf-8' | 'utf-8 (BOM)' | 'utf-16le (BOM)' | 'utf-16be (BOM)' | 'windows-1252' | another iconv-lite name given with --encoding. */
  readonly encoding: string;
  readonly hadBom: boolean;
  /** A warning for stderr about how the bytes were read (a mostly-UTF-8 file given --encoding windows-1252). */
  readonly warning?: ReaderNote;
}

/** How many leading bytes the text/binary heuristics look at. */
const SNIFF_BYTES = 8192;

const FIX_HINT = 'open it in Excel (or your CRM) and export it as CSV UTF-8';
const XLSX = 'an .xlsx workbook (zip)';

/** `--encoding` spellings that mean one of the encodings we decode ourselves. */
const ENCODING_ALIASES: ReadonlyMap<string, string> = new Map([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['windows-1252', 'windows-1252'],
  ['windows1252', 'windows-1252'],
  ['win-1252', 'windows-1252'],
  ['win1252', 'windows-1252'],
  ['cp1252', 'windows-1252'],
  ['cp-1252', 'windows-1252'],
  // As in the WHATWG Encoding Standard: files labelled Latin-1 are Windows-1252 in practice,
  // and real ISO-8859-1 would turn 0x80-0x9F (€ ‘ ’ “ ” –) into invisible C1 controls.
  ['latin1', 'windows-1252'],
  ['latin-1', 'windows-1252'],
  ['l1', 'windows-1252'],
  ['iso-8859-1', 'windows-1252'],
  ['iso8859-1', 'windows-1252'],
  ['iso_8859-1', 'windows-1252'],
  ['ansi', 'windows-1252'],
  ['utf-16le', 'utf-16le'],
  ['utf16le', 'utf-16le'],
  ['utf-16', 'utf-16le'],
  ['utf16', 'utf-16le'],
  ['ucs-2', 'utf-16le'],
  ['ucs2', 'utf-16le'],
  ['utf-16be', 'utf-16be'],
  ['utf16be', 'utf-16be'],
]);

/**
 * What a file is when its first bytes carry the signature of a known non-CSV format
 * (e.g. 'an .xlsx workbook (zip)'), else undefined.
 */
export function sniffBinary(bytes: Uint8Array): string | undefined {
  const startsWith = (sig: readonly number[], at = 0): boolean => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
  const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

  const zip = zipKind(bytes);
  if (zip !== undefined) return zip === 'ods' ? 'an OpenDocument spreadsheet (zip)' : XLSX;
  if (startsWith([0x1f, 0x8b])) return 'a gzip archive';
  if (startsWith(ascii('%PDF'))) return 'a PDF document';
  if (startsWith([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'a legacy .xls workbook';
  if (startsWith([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return 'a 7-Zip archive';
  if (startsWith(ascii('Rar!\x1a\x07'))) return 'a RAR archive';
  if (startsWith([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'an xz archive';
  if (startsWith([0x28, 0xb5, 0x2f, 0xfd])) return 'a zstd archive';
  if (startsWith(ascii('BZh')) && startsWith([0x31, 0x41, 0x59, 0x26, 0x53, 0x59], 4)) return 'a bzip2 archive';
  if (startsWith(ascii('SQLite format 3\0'))) return 'an SQLite database';
  if (startsWith([0x89, 0x50, 0x4e, 0x47])) return 'a PNG image';
  if (startsWith([0xff, 0xd8, 0xff])) return 'a JPEG image';

  // Some CRMs' "Excel" exports are really HTML or SpreadsheetML; no CSV header starts with '<'.
  const head = latin1Head(bytes, 256)
    .replace(/^\uFEFF?\s*/, '')
    .toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'an HTML page';
  if (head.startsWith('<?xml')) return 'an XML document';
  return undefined;
}

const ODS_MIMETYPE: readonly number[] = Array.from(Buffer.from('mimetypeapplication/vnd.oasis.opendocument.spreadsheet', 'latin1'));

/** A zip's kind: an OpenDocument spreadsheet, else an .xlsx workbook; undefined when the bytes are no zip. */
function zipKind(bytes: Uint8Array): 'ods' | 'xlsx' | undefined {
  const startsWith = (sig: readonly number[], at = 0): boolean => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
  if (!startsWith([0x50, 0x4b, 0x03, 0x04]) && !startsWith([0x50, 0x4b, 0x05, 0x06])) return undefined;
  // An OpenDocument file stores an uncompressed "mimetype" entry first (ODF 1.2, 3.3).
  return startsWith(ODS_MIMETYPE, 30) ? 'ods' : 'xlsx';
}

/** How many leading bytes a reader checks (`checkHead`) before it reads the rest of a file or stream. */
export const HEAD_BYTES = 1024;

/**
 * Refuses, from the first bytes alone (`HEAD_BYTES`), an input that is not text: a known
 * binary format, UTF-32, BOM-less UTF-16, or binary data (/dev/zero, /dev/urandom). The
 * readers call it before reading the rest, so a 2 GB workbook or an endless device fails
 * at once with a bounded memory. `decodeBytes` repeats the same checks on the whole text.
 */
export function checkHead(head: Uint8Array, source: string, encoding?: string): void {
  const requested = encoding === undefined ? undefined : resolveEncoding(encoding);
  refuseBinary(head, source);
  if (hasPrefix(head, [0xff, 0xfe, 0x00, 0x00]) || hasPrefix(head, [0x00, 0x00, 0xfe, 0xff])) {
    throw new InputError(`${source}: UTF-32 is not supported; re-save as CSV UTF-8`);
  }
  if (hasPrefix(head, [0xef, 0xbb, 0xbf]) || hasPrefix(head, [0xff, 0xfe]) || hasPrefix(head, [0xfe, 0xff])) return;
  const isWideRequested = requested !== undefined && /^(utf-?16|utf-?32|ucs-?[24])/.test(requested);
  if (!isWideRequested) checkLooksLikeText(head, source);
}

/**
 * The refusal of a file that is not text. A workbook reaches this only from stdin, a pipe or
 * a device (a workbook file is read by io/xlsx, which needs to seek).
 */
function refuseBinary(bytes: Uint8Array, source: string): void {
  const what = sniffBinary(bytes);
  if (what === undefined) return;
  if (zipKind(bytes) === 'xlsx')
    throw new InputError(`${source} is ${what}: kam reads a workbook from its file (kam score accounts.xlsx), not from a pipe or stdin`);
  throw new InputError(`${source} is ${what}, not a CSV file: ${FIX_HINT}`);
}

/**
 * Decodes a whole input file. Without `encoding`: the BOM decides, else strict UTF-8, so a
 * Windows-1252 file fails loudly instead of turning into U+FFFD. Throws InputError for
 * content problems and UsageError for an unknown `encoding` name.
 */
export function decodeBytes(bytes: Uint8Array, source: string, encoding?: string): Decoded {
  const requested = encoding === undefined ? undefined : resolveEncoding(encoding);

  refuseBinary(bytes, source);

  // UTF-32 BOMs first: FF FE 00 00 would otherwise pass for a UTF-16LE BOM.
  if (hasPrefix(bytes, [0xff, 0xfe, 0x00, 0x00]) || hasPrefix(bytes, [0x00, 0x00, 0xfe, 0xff])) {
    throw new InputError(`${source}: UTF-32 is not supported; re-save as CSV UTF-8`);
  }
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf])) {
    return { text: decodeUtf8(bytes, 3, source), encoding: 'utf-8 (BOM)', hadBom: true };
  }
  if (hasPrefix(bytes, [0xff, 0xfe])) {
    return { text: decodeUtf16(bytes.subarray(2), 'utf-16le', source), encoding: 'utf-16le (BOM)', hadBom: true };
  }
  if (hasPrefix(bytes, [0xfe, 0xff])) {
    return { text: decodeUtf16(bytes.subarray(2), 'utf-16be', source), encoding: 'utf-16be (BOM)', hadBom: true };
  }

  const isWideRequested = requested !== undefined && /^(utf-?16|utf-?32|ucs-?[24])/.test(requested);
  if (!isWideRequested) checkLooksLikeText(bytes, source);

  if (requested === undefined || requested === 'utf-8') {
    return { text: decodeUtf8(bytes, 0, source), encoding: 'utf-8', hadBom: false };
  }
  if (requested === 'utf-16le' || requested === 'utf-16be') {
    return { text: decodeUtf16(bytes, requested, source), encoding: requested, hadBom: false };
  }
  const mixed = mostlyUtf8(bytes);
  if (mixed !== undefined) return decodeMixed(bytes, requested, source, mixed);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { text: iconv().decode(buffer, requested, { stripBOM: false }), encoding: requested, hadBom: false };
}

/** What the first bytes of an input say about how to decode the rest. */
export interface Sniffed {
  /** As `Decoded.encoding`, when the input can be decoded block by block ('utf-8' or 'utf-8 (BOM)'); else undefined (decode it whole). */
  readonly blockwise: 'utf-8' | 'utf-8 (BOM)' | undefined;
  /** Bytes of the byte-order mark at the start (0, 2 or 3). */
  readonly bomLength: number;
}

/**
 * Runs, on the first `SNIFF_BYTES` or more of an input, every check `decodeBytes` runs before
 * it decodes (binary formats, UTF-32, BOM-less UTF-16, binary data, an unknown --encoding),
 * in the same order and with the same errors, and says whether the input is UTF-8, which
 * `checkUtf8Block` then validates block by block (the strict UTF-8 of `decodeBytes`).
 */
export function sniffEncoding(head: Uint8Array, source: string, encoding?: string): Sniffed {
  const requested = encoding === undefined ? undefined : resolveEncoding(encoding);
  refuseBinary(head, source);
  if (hasPrefix(head, [0xff, 0xfe, 0x00, 0x00]) || hasPrefix(head, [0x00, 0x00, 0xfe, 0xff])) {
    throw new InputError(`${source}: UTF-32 is not supported; re-save as CSV UTF-8`);
  }
  if (hasPrefix(head, [0xef, 0xbb, 0xbf])) return { blockwise: 'utf-8 (BOM)', bomLength: 3 };
  if (hasPrefix(head, [0xff, 0xfe]) || hasPrefix(head, [0xfe, 0xff])) return { blockwise: undefined, bomLength: 2 };
  const isWideRequested = requested !== undefined && /^(utf-?16|utf-?32|ucs-?[24])/.test(requested);
  if (!isWideRequested) checkLooksLikeText(head, source);
  return { blockwise: requested === undefined || requested === 'utf-8' ? 'utf-8' : undefined, bomLength: 0 };
}

/** How many leading bytes `sniffEncoding` needs to judge as `decodeBytes` does. */
export const SNIFF_HEAD_BYTES = SNIFF_BYTES;

/**
 * The strict UTF-8 check of `decodeBytes`, on one block of the input that starts at byte
 * `offset`, physical line `line`, at a line start: the same message, with the file's byte
 * offset and line.
 */
export function checkUtf8Block(block: Uint8Array, offset: number, line: number, source: string): void {
  if (isUtf8(block)) return;
  const at = firstInvalidUtf8(block, 0);
  throw new InputError(
    `${source}:${line - 1 + lineAtByte(block, at)}: invalid UTF-8 at byte ${offset + at}; ` +
      `the file may be Windows-1252 (Excel's 'CSV' on Windows): try --encoding windows-1252`,
  );
}

/** UTF-8 as UTF-8 and only its non-UTF-8 bytes in `encoding`, with a warning naming their lines. */
function decodeMixed(bytes: Uint8Array, encoding: string, source: string, breaks: Utf8Breaks): Decoded {
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const parts: string[] = [];
  let from = 0;
  for (const at of breaks.badOffsets) {
    if (at > from) parts.push(utf8.decode(bytes.subarray(from, at)));
    parts.push(iconv().decode(Buffer.from(bytes.subarray(at, at + 1)), encoding));
    from = at + 1;
  }
  if (from < bytes.length) parts.push(utf8.decode(bytes.subarray(from)));
  const lines = breaks.badLines;
  const warning: ReaderNote =
    lines.length === 0 ? { code: 'utf8_despite_encoding', source, encoding } : { code: 'utf8_with_stray_bytes', source, encoding, lines };
  return { text: parts.join(''), encoding: lines.length === 0 ? 'utf-8' : `utf-8 (+${encoding})`, hadBom: false, warning };
}

/** Canonical name for an `--encoding` value; UsageError when neither we nor iconv-lite know it. */
function resolveEncoding(name: string): string {
  const key = name.trim().toLowerCase();
  const alias = ENCODING_ALIASES.get(key);
  if (alias !== undefined) return alias;
  if (key !== '' && iconv().encodingExists(key)) return key;
  throw new UsageError(`unknown encoding '${name}'`);
}

function hasPrefix(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function latin1Head(bytes: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < Math.min(n, bytes.length); i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

/**
 * Rejects BOM-less UTF-16 (NULs at every other byte) and binary data, judged on the first
 * 8 KiB. A stray NUL or two stays allowed: a row with a NUL in a cell is the schema's to reject.
 */
function checkLooksLikeText(bytes: Uint8Array, source: string): void {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  let nulEven = 0;
  let nulOdd = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0) {
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
    }
    // Control bytes other than TAB, LF, VT, FF, CR (and SUB, the old DOS end-of-file mark).
    if (b < 0x20 && !(b >= 0x09 && b <= 0x0d) && b !== 0x1a) control++;
  }
  const pairs = Math.floor(n / 2);
  const isUtf16 = (nulMany: number, nulFew: number): boolean => pairs >= 2 && nulMany >= pairs * 0.3 && nulFew <= Math.max(1, pairs * 0.05);
  if (isUtf16(nulOdd, nulEven) || isUtf16(nulEven, nulOdd)) {
    throw new InputError(`${source}: looks like UTF-16 without a BOM (NUL bytes at every other byte); re-save as CSV UTF-8`);
  }
  const nul = nulEven + nulOdd;
  if ((nul >= 2 && nul * 100 >= n) || (control >= 4 && control * 20 >= n)) {
    throw new InputError(`${source} does not look like a text file`);
  }
}

function decodeUtf8(bytes: Uint8Array, start: number, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start));
  } catch (err) {
    const offset = firstInvalidUtf8(bytes, start);
    throw new InputError(
      `${source}:${lineAtByte(bytes, offset)}: invalid UTF-8 at byte ${offset}; ` +
        `the file may be Windows-1252 (Excel's 'CSV' on Windows): try --encoding windows-1252`,
      { cause: err },
    );
  }
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', source: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (err) {
    throw new InputError(`${source}: invalid ${encoding.toUpperCase()} data (an odd number of bytes or a broken surrogate pair); re-save as CSV UTF-8`, {
      cause: err,
    });
  }
}
