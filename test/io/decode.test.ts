import { describe, expect, it } from 'vitest';
import { decodeBytes, sniffBinary } from '../../src/io/decode.ts';
import { InputError, UsageError } from '../../src/errors.ts';

const bytes = (...parts: (string | readonly number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const utf16le = (s: string): number[] => [...Buffer.from(s, 'utf16le')];
const utf16be = (s: string): number[] => [...Buffer.from(s, 'utf16le').swap16()];

/** The error thrown by fn, for asserting class and message together. */
function thrown(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (err) {
    return { type: (err as Error).constructor.name, message: (err as Error).message };
  }
  throw new Error('expected an error');
}

describe('decodeBytes: byte-order marks', () => {
  it('R1: strips a UTF-8 BOM and reports it', () => {
    expect(decodeBytes(bytes([0xef, 0xbb, 0xbf], 'id,name\n'), 'a.csv')).toEqual({
      text: 'id,name\n',
      encoding: 'utf-8 (BOM)',
      hadBom: true,
    });
  });

  it('R2: decodes UTF-16LE with a BOM (Excel "Unicode Text")', () => {
    expect(decodeBytes(bytes([0xff, 0xfe], utf16le('id\tnäme\r\n')), 'a.txt')).toEqual({
      text: 'id\tnäme\r\n',
      encoding: 'utf-16le (BOM)',
      hadBom: true,
    });
  });

  it('decodes UTF-16BE with a BOM', () => {
    expect(decodeBytes(bytes([0xfe, 0xff], utf16be('id,€\n')), 'a.csv')).toEqual({
      text: 'id,€\n',
      encoding: 'utf-16be (BOM)',
      hadBom: true,
    });
  });

  it.each([
    { case: 'UTF-32LE', bom: [0xff, 0xfe, 0x00, 0x00] },
    { case: 'UTF-32BE', bom: [0x00, 0x00, 0xfe, 0xff] },
  ])('refuses a $case BOM', ({ bom }) => {
    expect(thrown(() => decodeBytes(bytes(bom, [0x69, 0, 0, 0]), 'a.csv'))).toEqual({
      type: 'InputError',
      message: 'a.csv: UTF-32 is not supported; re-save as CSV UTF-8',
    });
  });

  it('a BOM wins over --encoding', () => {
    expect(decodeBytes(bytes([0xef, 0xbb, 0xbf], 'M\xc3\xbcller\n'), 'a.csv', 'windows-1252')).toEqual({
      text: 'Müller\n',
      encoding: 'utf-8 (BOM)',
      hadBom: true,
    });
  });

  it('refuses UTF-16 with a BOM but an odd number of bytes', () => {
    expect(thrown(() => decodeBytes(bytes([0xff, 0xfe], utf16le('id'), [0x41]), 'a.csv'))).toEqual({
      type: 'InputError',
      message: 'a.csv: invalid UTF-16LE data (an odd number of bytes or a broken surrogate pair); re-save as CSV UTF-8',
    });
  });
});

describe('decodeBytes: no BOM', () => {
  it('decodes plain UTF-8', () => {
    expect(decodeBytes(bytes('id,name\n1,M\xc3\xbcller\n'), 'a.csv')).toEqual({
      text: 'id,name\n1,Müller\n',
      encoding: 'utf-8',
      hadBom: false,
    });
  });

  it('decodes 0 bytes to empty text', () => {
    expect(decodeBytes(new Uint8Array(0), 'a.csv')).toEqual({ text: '', encoding: 'utf-8', hadBom: false });
  });

  it('R4: invalid UTF-8 names the line and byte and suggests --encoding windows-1252', () => {
    // 'id,name\n' is bytes 0-7, '1,Acme\r\n' 8-15, then '2,M' 16-18: 0xFC is byte 19, line 3.
    expect(thrown(() => decodeBytes(bytes('id,name\n1,Acme\r\n2,M\xfcller\n'), 'accounts.csv'))).toEqual({
      type: 'InputError',
      message: "accounts.csv:3: invalid UTF-8 at byte 19; the file may be Windows-1252 (Excel's 'CSV' on Windows): try --encoding windows-1252",
    });
  });

  it.each([
    { case: 'a smart quote (0x93)', input: 'a\r"\x93x\x94"', offset: 3, line: 2 },
    { case: 'an overlong NUL (C0 80)', input: 'ab\xc0\x80', offset: 2, line: 1 },
    { case: 'a UTF-16 surrogate (ED A0 80)', input: 'a\n\n\xed\xa0\x80', offset: 3, line: 3 },
    { case: 'a truncated sequence at the end', input: 'id\nx\xe2\x82', offset: 4, line: 2 },
  ])('R4: finds the first invalid byte: $case', ({ input, offset, line }) => {
    expect(thrown(() => decodeBytes(bytes(input), 'x.csv')).message).toBe(
      `x.csv:${line}: invalid UTF-8 at byte ${offset}; the file may be Windows-1252 (Excel's 'CSV' on Windows): try --encoding windows-1252`,
    );
  });

  it.each([
    { case: 'little-endian (NULs at odd offsets)', data: utf16le('id,name\r\n1,Acme\r\n') },
    { case: 'big-endian (NULs at even offsets)', data: utf16be('id,name\r\n1,Acme\r\n') },
  ])('R3: refuses UTF-16 without a BOM, $case', ({ data }) => {
    expect(thrown(() => decodeBytes(bytes(data), 'a.csv'))).toEqual({
      type: 'InputError',
      message: 'a.csv: looks like UTF-16 without a BOM (NUL bytes at every other byte); re-save as CSV UTF-8',
    });
  });

  it('R24: a NUL inside one cell is left for the schema layer', () => {
    expect(decodeBytes(bytes('id,name\n1,Acme\0\n2,Beta\n'), 'a.csv').text).toBe('id,name\n1,Acme\0\n2,Beta\n');
  });

  it('refuses other binary content', () => {
    const junk = Array.from({ length: 64 }, (_, i) => (i * 37) % 256);
    expect(thrown(() => decodeBytes(bytes(junk), 'data.bin'))).toEqual({
      type: 'InputError',
      message: 'data.bin does not look like a text file',
    });
  });
});

describe('decodeBytes: --encoding', () => {
  it('R5: windows-1252 maps 0x80-0x9F as Excel does (€ ‘ ’ “ ” –), not as C1 controls', () => {
    const input = bytes('name,note\nM\xfcller \x80,\x91a\x92 \x93b\x94 \x96 c\n');
    expect(decodeBytes(input, 'a.csv', 'windows-1252')).toEqual({
      text: 'name,note\nMüller €,‘a’ “b” – c\n',
      encoding: 'windows-1252',
      hadBom: false,
    });
  });

  it.each(['cp1252', 'CP1252', 'latin1', 'ISO-8859-1', 'win1252'])('R5: %s is read as windows-1252', (name) => {
    expect(decodeBytes(bytes('\x80\x92'), 'a.csv', name)).toEqual({ text: '€’', encoding: 'windows-1252', hadBom: false });
  });

  it('utf-16le without a BOM decodes when asked for', () => {
    expect(decodeBytes(bytes(utf16le('id\tname\n')), 'a.csv', 'utf-16le')).toEqual({
      text: 'id\tname\n',
      encoding: 'utf-16le',
      hadBom: false,
    });
  });

  it('other iconv-lite encodings work (iso-8859-15: 0xA4 is €)', () => {
    expect(decodeBytes(bytes('\xa4'), 'a.csv', 'iso-8859-15').text).toBe('€');
  });

  it('an unknown encoding name is a usage error', () => {
    expect(thrown(() => decodeBytes(bytes('a'), 'a.csv', 'klingon'))).toEqual({
      type: 'UsageError',
      message: "unknown encoding 'klingon'",
    });
    expect(() => decodeBytes(bytes('a'), 'a.csv', 'klingon')).toThrow(UsageError);
  });
});

describe('sniffBinary', () => {
  it.each([
    { case: 'xlsx', head: [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], what: 'an .xlsx workbook (zip)' },
    { case: 'gzip', head: [0x1f, 0x8b, 0x08, 0x00], what: 'a gzip archive' },
    { case: 'pdf', head: [...Buffer.from('%PDF-1.7\n')], what: 'a PDF document' },
    { case: 'xls', head: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00], what: 'a legacy .xls workbook' },
    { case: 'html', head: [...Buffer.from('\n<!DOCTYPE html><html>')], what: 'an HTML page' },
  ])('R25: recognises $case', ({ head, what }) => {
    expect(sniffBinary(bytes(head))).toBe(what);
  });

  it('R25: recognises an OpenDocument spreadsheet by its mimetype entry', () => {
    const zip = bytes([0x50, 0x4b, 0x03, 0x04], new Array<number>(26).fill(0), 'mimetypeapplication/vnd.oasis.opendocument.spreadsheet');
    expect(sniffBinary(zip)).toBe('an OpenDocument spreadsheet (zip)');
  });

  it('leaves CSV text (even text starting "PK") alone', () => {
    expect([sniffBinary(bytes('id,name\n')), sniffBinary(bytes('PK,name\n')), sniffBinary(new Uint8Array(0))]).toEqual([undefined, undefined, undefined]);
  });

  it('R25: decodeBytes refuses a workbook before anything else', () => {
    const err = thrown(() => decodeBytes(bytes([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]), 'accounts.xlsx', 'utf-8'));
    expect(err).toEqual({
      type: 'InputError',
      message: 'accounts.xlsx is an .xlsx workbook (zip): kam reads a workbook from its file (kam score accounts.xlsx), not from a pipe or stdin',
    });
    expect(() => decodeBytes(bytes([0x1f, 0x8b]), 'a.csv.gz')).toThrow(InputError);
  });
});
