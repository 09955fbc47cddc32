/**
 * The workbook side of the reader: `readIfWorkbook` is the one hook read-table.ts calls for
 * a file it has opened; it reads an .xlsx (by its zip signature, not its name) and leaves
 * every other file to the CSV reader.
 */
import type { FileHandle } from 'node:fs/promises';
import { InputError, UsageError } from '../../errors.ts';
import type { RawTable, ReadOptions, TableFields } from '../read-table.ts';
import type { ReaderNote } from '../reader-notes.ts';
import { readWorkbook } from './read.ts';
import { fileSource } from './zip.ts';

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** An OLE compound file: a legacy .xls, or an .xlsx Excel encrypted with a password (MS-OFFCRYPTO 2.3.4). */
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

/** Does the compound file hold an `EncryptedPackage` stream (its directory is near the start of an encrypted workbook)? */
async function isEncryptedPackage(file: FileHandle, size: number): Promise<boolean> {
  const buf = Buffer.alloc(Math.min(size, 1 << 20));
  await file.read(buf, 0, buf.length, 0);
  return buf.includes(ENCRYPTED_PACKAGE);
}
const ODS_MIMETYPE = 'mimetypeapplication/vnd.oasis.opendocument';

/**
 * The table of an opened regular file that is an .xlsx workbook (zip signature, not an
 * OpenDocument file), else undefined (the CSV reader goes on, and refuses other binaries).
 */
export async function readIfWorkbook(
  file: FileHandle,
  display: string,
  options: ReadOptions,
  footerPatterns: readonly RegExp[],
): Promise<TableFields | undefined> {
  let size: number;
  try {
    const stat = await file.stat();
    if (!stat.isFile()) return undefined;
    size = stat.size;
  } catch {
    return undefined;
  }
  const head = Buffer.alloc(Math.min(size, 30 + ODS_MIMETYPE.length));
  await file.read(head, 0, head.length, 0);
  if (CFB.every((b, i) => head[i] === b) && (await isEncryptedPackage(file, size))) {
    throw new InputError(
      `${display} is a password-protected workbook: kam cannot open it; remove the password in Excel (File > Info > Protect Workbook) and save it again`,
    );
  }
  if (head.length < 4 || !ZIP.every((b, i) => head[i] === b)) return undefined;
  if (head.toString('latin1', 30).startsWith(ODS_MIMETYPE)) return undefined;
  const cap = options.maxInputSize ?? 2 ** 31;
  if (size > cap) throw new UsageError(`${display} is ${size} bytes, more than --max-input-size ${cap}; raise --max-input-size if it really is one export`);
  const table = await readWorkbook(fileSource(file, size), display, { sheet: options.sheet }, { patterns: footerPatterns });
  const ignored = (option: 'encoding' | 'delimiter' | 'decimal', value: string | undefined): ReaderNote[] =>
    value === undefined ? [] : [{ code: 'ignored_option', option, value, why: 'workbook', source: display }];
  const notes = [
    ...ignored('encoding', options.encoding),
    ...ignored('delimiter', options.delimiter),
    ...ignored('decimal', options.decimal === ',' ? ',' : undefined),
  ];
  return notes.length === 0 ? table : { ...table, notes: [...notes, ...table.notes] };
}

/**
 * Where a row (and optionally a column, by header name or index) is, for messages:
 * `file:line` for a CSV, `file:Sheet1!C5` (or `file:Sheet1!5` for a whole row) for a workbook.
 */
export function locate(table: Pick<RawTable, 'source' | 'header' | 'sheet'>, line: number, column?: string | number): string {
  const sheet = table.sheet;
  if (sheet === undefined) return `${table.source}:${line}`;
  const index = typeof column === 'number' ? column : column === undefined ? -1 : table.header.findIndex((h) => h === column || h.trim() === column.trim());
  const letters = index >= 0 ? sheet.columns[index] : undefined;
  return `${table.source}:${quoteSheet(sheet.name)}!${letters ?? ''}${line}`;
}

/** A sheet name as Excel writes it in a reference: quoted when it is not a plain word. */
function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}
