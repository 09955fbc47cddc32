/**
 * io/xlsx/read.ts through readTable, on workbooks built by fixtures/xlsx/make-xlsx.mjs (an
 * independent SpreadsheetML writer): the table, the notes, the cell locations, the refusals.
 * Part names and sheet states: ECMA-376 Part 1, 18.2.19 (sheet), 18.3.1.13 (col), 18.3.1.55 (mergeCell).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../../src/io/read-table.ts';
import { locate } from '../../../src/io/xlsx/index.ts';
import { columnLetters } from '../../../src/io/xlsx/cell-ref.ts';
// @ts-expect-error: a plain .mjs script, no types
import { workbook } from '../../../fixtures/xlsx/make-xlsx.mjs';

const dir = mkdtempSync(join(tmpdir(), 'kam-xlsx-read-'));
let n = 0;
function book(spec: unknown): string {
  const path = join(dir, `b${++n}.xlsx`);
  writeFileSync(path, (workbook as (s: unknown) => Buffer)(spec));
  return path;
}
async function thrown(p: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return { type: (e as Error).constructor.name, message: (e as Error).message };
  }
  throw new Error('did not throw');
}
const rows = (t: { records: readonly { line: number; cells: readonly string[] }[] }) => t.records.map((r) => [r.line, ...r.cells]);

describe('readTable on an .xlsx', () => {
  it('reads the first sheet: header, cells as canonical text, lines = row numbers', async () => {
    const path = book({
      styles: { pct: '0.0%', date: 'dd.mm.yyyy', eur: '[$EUR] #,##0.00', text: 49, two: '#,##0.00' },
      sheets: [
        {
          name: 'Accounts',
          rows: [
            ['id', 'name', 'revenue', 'growth', 'since', 'amount', 'flag'],
            [
              { str: '007', s: 'text' },
              'Atlas & Co <GmbH>',
              { n: 1234.5, s: 'two' },
              { n: 0.07, s: 'pct' },
              { n: 46357, s: 'date' },
              { n: -12, s: 'eur' },
              { b: true },
            ],
            [],
            [{ n: 8 }, 'Beacon', { n: 0.30000000000000004 }, undefined, undefined, undefined, { b: false }],
          ],
        },
      ],
    });
    const t = await readTable(path, {}, undefined, 'a.xlsx');
    expect([t.source, t.encoding, t.headerLine, t.header, t.notes, t.sheet]).toEqual([
      'a.xlsx',
      'xlsx',
      1,
      ['id', 'name', 'revenue', 'growth', 'since', 'amount', 'flag'],
      ['skipped 1 blank row inside the data (row 3)'],
      { name: 'Accounts', columns: ['A', 'B', 'C', 'D', 'E', 'F', 'G'] },
    ]);
    expect(rows(t)).toEqual([
      [2, '007', 'Atlas & Co <GmbH>', '1234.50', '7.0%', '2026-12-01', '-12.00 EUR', 'TRUE'],
      [4, '8', 'Beacon', '0.3', '', '', '', 'FALSE'],
    ]);
    expect(t.blankLines).toBe(1);
    expect([locate(t, 4, 'revenue'), locate(t, 4), locate({ ...t, sheet: { name: 'My Accounts', columns: t.sheet!.columns } }, 2, 0)]).toEqual([
      'a.xlsx:Accounts!C4',
      'a.xlsx:Accounts!4',
      "a.xlsx:'My Accounts'!A2",
    ]);
    expect([columnLetters(0), columnLetters(25), columnLetters(26), columnLetters(701), columnLetters(702)]).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
  });

  it('the 1904 date system', async () => {
    const path = book({
      date1904: true,
      styles: { date: 14 },
      sheets: [
        {
          name: 'S',
          rows: [
            ['name', 'when'],
            ['a', { n: 0, s: 'date' }],
            ['b', { n: 44895, s: 'date' }],
          ],
        },
      ],
    });
    expect(rows(await readTable(path))).toEqual([
      [2, 'a', '1904-01-01'],
      [3, 'b', '2026-12-01'],
    ]);
  });

  it('skips hidden sheets by default, names them; --sheet by name or number; an unknown sheet is exit 2', async () => {
    const path = book({
      sheets: [
        {
          name: 'Lookups',
          state: 'hidden',
          rows: [
            ['k', 'v'],
            ['x', 'y'],
          ],
        },
        {
          name: 'Data',
          rows: [
            ['name', 'n'],
            ['a', { n: 1 }],
          ],
        },
        {
          name: 'Notes',
          rows: [
            ['text', 'more'],
            ['hello', 'world'],
          ],
        },
      ],
    });
    const t = await readTable(path, {}, undefined, 'w.xlsx');
    expect([t.sheet?.name, t.notes]).toEqual(['Data', ["read sheet 'Data'; the workbook also has 'Lookups' (hidden), 'Notes': --sheet NAME reads another"]]);
    expect((await readTable(path, { sheet: 'notes' })).header).toEqual(['text', 'more']);
    expect((await readTable(path, { sheet: '1' })).header).toEqual(['k', 'v']);
    expect(await thrown(readTable(path, { sheet: 'Summary' }, undefined, 'w.xlsx'))).toEqual({
      type: 'UsageError',
      message: "--sheet Summary: w.xlsx has no such sheet; its sheets: 1 'Lookups' (hidden), 2 'Data', 3 'Notes'",
    });
  });

  it('every sheet hidden, no worksheet, macros only, a zip that is no workbook: clear errors (exit 1)', async () => {
    const hidden = book({ sheets: [{ name: 'A', state: 'hidden', rows: [['x', 'y']] }] });
    expect(await thrown(readTable(hidden, {}, undefined, 'h.xlsx'))).toEqual({
      type: 'InputError',
      message: "h.xlsx: every sheet of the workbook is hidden (1 'A' (hidden)): choose one with --sheet NAME",
    });
    const macros = book({
      sheets: [{ name: 'Macro1', rows: [['=RETURN()']] }],
      sheetTypes: ['http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet'],
      extraParts: [['xl/vbaProject.bin', 'not really VBA']],
    });
    expect(await thrown(readTable(macros, {}, undefined, 'm.xlsm'))).toEqual({
      type: 'InputError',
      message: 'm.xlsm: the workbook has macros and no worksheet: there is no data to read; export the data sheet as .xlsx or CSV',
    });
    const empty = book({ sheets: [{ name: 'Empty', rows: [] }] });
    expect(await thrown(readTable(empty, {}, undefined, 'e.xlsx'))).toEqual({ type: 'InputError', message: "e.xlsx: sheet 'Empty' is empty: no header row" });
  });

  it('a password-protected workbook (an OLE file with an EncryptedPackage stream) is named (exit 1)', async () => {
    const path = join(dir, 'secret.xlsx');
    const cfb = Buffer.alloc(2048);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    Buffer.from('EncryptedPackage', 'utf16le').copy(cfb, 1024);
    writeFileSync(path, cfb);
    expect(await thrown(readTable(path, {}, undefined, 'secret.xlsx'))).toEqual({
      type: 'InputError',
      message:
        'secret.xlsx is a password-protected workbook: kam cannot open it; remove the password in Excel (File > Info > Protect Workbook) and save it again',
    });
  });

  it('a merged title row is dropped; merged ranges of rows give their value to every row; hidden columns and rows are said', async () => {
    const path = book({
      sheets: [
        {
          name: 'Report',
          rows: [['Key accounts FY2026'], [], ['group', 'name', 'n'], ['North', 'a', { n: 1 }], [undefined, 'b', { n: 2 }], ['South', 'c', { n: 3 }]],
          merges: ['A1:C1', 'A4:A5'],
          cols: [{ min: 3, max: 3, hidden: true }],
          hiddenRows: [6],
        },
      ],
    });
    const t = await readTable(path, {}, undefined, 'r.xlsx');
    expect(rows(t)).toEqual([
      [4, 'North', 'a', '1'],
      [5, 'North', 'b', '2'],
      [6, 'South', 'c', '3'],
    ]);
    expect(t.notes).toEqual([
      'dropped a title row above the header (row 1)',
      "column hidden in the sheet, read like the others: C 'n'",
      '1 hidden row (a filter or a collapsed group in Excel) read like the others: row 6',
      '1 merged range of rows read as its value on every row it covers',
    ]);
  });

  it("a formatted report's subtotals, total and footer are dropped with their rows; a formula's cached value is read", async () => {
    const path = book({
      sheets: [
        {
          name: 'R',
          rows: [
            ['Accounts by Industry'],
            ['industry', 'name', 'revenue'],
            ['Energy', 'a', { n: 10 }],
            ['Subtotal', undefined, { f: 'SUM(C3:C3)', n: 10 }],
            ['Total (1 records)', undefined, { f: 'C4', n: 10 }],
            [],
            ['Confidential Information - Do Not Distribute'],
          ],
        },
      ],
    });
    const t = await readTable(path);
    expect([rows(t), t.footerLines, t.notes]).toEqual([
      [[3, 'Energy', 'a', '10']],
      [7],
      ['dropped a title row above the header (row 1)', 'dropped 2 subtotal and total rows of a formatted report (rows 4-5)', 'dropped a report footer (row 7)'],
    ]);
  });

  it('a formula without a cached value is a warning naming its cell; a name-only row right after the data stays a record', async () => {
    const path = book({ sheets: [{ name: 'S', rows: [['name', 'n'], ['a', { f: 'NOW()' }], ['Zeta Corp']] }] });
    const t = await readTable(path, {}, undefined, 's.xlsx');
    expect([rows(t), t.notes]).toEqual([
      [
        [2, 'a', ''],
        [3, 'Zeta Corp', ''],
      ],
      ['warning: 1 formula cell has no saved value (S!B2): read as blank; open the workbook in Excel and save it so its formulas are calculated'],
    ]);
  });

  it('header problems name cells: a duplicate, an unnamed column with values; an unnamed empty column is dropped', async () => {
    const dup = book({ sheets: [{ name: 'S', rows: [['name', 'Name']] }] });
    expect(await thrown(readTable(dup, {}, undefined, 'd.xlsx'))).toEqual({
      type: 'InputError',
      message: "d.xlsx: S!B1: duplicate column 'Name' (also at S!A1)",
    });
    const gap = book({
      sheets: [
        {
          name: 'S',
          rows: [
            ['name', undefined, 'n'],
            ['a', 'x', { n: 1 }],
          ],
        },
      ],
    });
    expect(await thrown(readTable(gap, {}, undefined, 'g.xlsx'))).toEqual({
      type: 'InputError',
      message: 'g.xlsx: S!B1: column B has an empty header name but holds values (S!B2)',
    });
    const empty = book({
      sheets: [
        {
          name: 'S',
          rows: [
            ['name', undefined, 'n'],
            ['a', undefined, { n: 1 }],
          ],
        },
      ],
    });
    const t = await readTable(empty);
    expect([t.header, rows(t), t.sheet?.columns, t.notes]).toEqual([
      ['name', 'n'],
      [[2, 'a', '1']],
      ['A', 'C'],
      ['ignored column B: no header name and no values'],
    ]);
  });

  it('says which reading options a workbook ignores', async () => {
    const path = book({
      sheets: [
        {
          name: 'S',
          rows: [
            ['name', 'n'],
            ['a', { n: 1.5 }],
          ],
        },
      ],
    });
    const t = await readTable(path, { encoding: 'cp1252', delimiter: ';', decimal: ',' }, undefined, 'o.xlsx');
    expect(t.notes).toEqual([
      'ignored --encoding cp1252: o.xlsx is a workbook',
      'ignored --delimiter: o.xlsx is a workbook',
      "ignored --decimal ,: a workbook's numbers are numbers, not text",
    ]);
    const csv = join(dir, 'plain.csv');
    writeFileSync(csv, 'name\na\n');
    expect((await readTable(csv, { sheet: 'Data' }, undefined, 'plain.csv')).notes).toEqual(['ignored --sheet Data: plain.csv is not a workbook']);
  });

  it('a damaged workbook (its zip directory cut off) is refused (exit 1)', async () => {
    const path = join(dir, 'archive.xlsx');
    const bytes: Buffer = (workbook as (s: unknown) => Buffer)({ sheets: [{ name: 'S', rows: [['a', 'b']] }] });
    writeFileSync(path, bytes.subarray(0, bytes.length - 30));
    expect(await thrown(readTable(path, {}, undefined, 'archive.xlsx'))).toEqual({
      type: 'InputError',
      message: 'archive.xlsx: the workbook is damaged (its zip directory cannot be read): open it in Excel and save it again',
    });
  });
});
