import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseTable, readTable, type RawTable } from '../../src/io/read-table.ts';

const fixtureDir = new URL('../../fixtures/reading/', import.meta.url);
const fixturePath = (name: string): string => fileURLToPath(new URL(name, fixtureDir));
const fixture = (name: string): Buffer => readFileSync(fixturePath(name));
const parseFixture = (name: string, options = {}): RawTable => parseTable(fixture(name), name, options);
const parseText = (text: string, options = {}): RawTable => parseTable(Buffer.from(text, 'utf8'), 'in.csv', options);

/** Records as [line, ...cells], the shape most assertions want. */
const rows = (t: RawTable): (string | number)[][] => t.records.map((r) => [r.line, ...r.cells]);

function thrown(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (err) {
    return { type: (err as Error).constructor.name, message: (err as Error).message };
  }
  throw new Error('expected an error');
}

async function rejected(p: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return { type: (err as Error).constructor.name, message: (err as Error).message };
  }
  throw new Error('expected a rejection');
}

describe('parseTable: a plain file', () => {
  it('returns header, records with physical lines and no notes', () => {
    expect(parseText('id,name\n1,Acme\n2,Beta\n')).toEqual({
      source: 'in.csv',
      encoding: 'utf-8',
      delimiter: ',',
      delimiterSource: 'detected',
      hadBom: false,
      lineEnding: '\n',
      unguardedCells: 0,
      headerLine: 1,
      header: ['id', 'name'],
      records: [
        { line: 2, cells: ['1', 'Acme'] },
        { line: 3, cells: ['2', 'Beta'] },
      ],
      blankLines: 0,
      footerLines: [],
      notes: [],
    });
  });

  it('R7: a header-only file gives 0 records', () => {
    const t = parseFixture('header-only.csv');
    expect([t.header, t.records]).toEqual([['id', 'name', 'arr'], []]);
  });

  it.each([
    { case: '0 bytes', input: Buffer.alloc(0) },
    { case: 'a BOM only', input: Buffer.from([0xef, 0xbb, 0xbf]) },
    { case: 'blank and whitespace lines only', input: Buffer.from('\n  \r\n\t\n') },
    { case: 'a sep= line only', input: Buffer.from('sep=;\n') },
  ])('R6: $case is "input is empty"', ({ input }) => {
    expect(thrown(() => parseTable(input, 'empty.csv'))).toEqual({
      type: 'InputError',
      message: 'empty.csv: input is empty: no header row',
    });
  });

  it('R1: the BOM is not part of the first header name', () => {
    const t = parseTable(Buffer.from('\ufeffid,name\n1,Acme\n'), 'bom.csv');
    expect([t.encoding, t.header, rows(t)]).toEqual(['utf-8 (BOM)', ['id', 'name'], [[2, '1', 'Acme']]]);
  });

  it('R2: UTF-16LE with BOM and tabs reads as TAB-delimited, with a note', () => {
    const input = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id\tname\r\n1\tAcme, Inc\r\n', 'utf16le')]);
    const t = parseTable(input, 'unicode.txt');
    expect([t.encoding, t.delimiter, t.header, rows(t), t.notes]).toEqual([
      'utf-16le (BOM)',
      '\t',
      ['id', 'name'],
      [[2, '1', 'Acme, Inc']],
      ['detected UTF-16LE (BOM), TAB-delimited'],
    ]);
  });

  it('R4: invalid UTF-8 fails with the line and a hint', () => {
    expect(thrown(() => parseTable(Buffer.from('id,name\n1,M\xfcller\n', 'latin1'), 'a.csv'))).toEqual({
      type: 'InputError',
      message: "a.csv:2: invalid UTF-8 at byte 11; the file may be Windows-1252 (Excel's 'CSV' on Windows): try --encoding windows-1252",
    });
  });

  it('R5: --encoding windows-1252 reads the same bytes correctly', () => {
    const t = parseTable(Buffer.from('id,name\n1,M\xfcller \x96 \x80\n', 'latin1'), 'a.csv', { encoding: 'windows-1252' });
    expect([t.encoding, rows(t), t.notes]).toEqual(['windows-1252', [[2, '1', 'Müller – €']], []]);
  });

  it('notes an --encoding that a BOM overrode', () => {
    const t = parseTable(Buffer.from('\ufeffid\nx\n'), 'a.csv', { encoding: 'cp1252' });
    expect([t.encoding, t.notes]).toEqual(['utf-8 (BOM)', ['ignored --encoding cp1252: the file starts with a UTF-8 byte-order mark']]);
  });

  it('R25: a workbook is refused', () => {
    expect(thrown(() => parseTable(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0]), 'report.csv'))).toEqual({
      type: 'InputError',
      message: 'report.csv is an .xlsx workbook (zip): kam reads a workbook from its file (kam score accounts.xlsx), not from a pipe or stdin',
    });
  });
});

describe('parseTable: delimiter', () => {
  it('R9: detects semicolons even when values contain commas', () => {
    const t = parseFixture('semicolon-decimal-comma.csv');
    expect([t.delimiter, t.delimiterSource, t.header, rows(t), t.notes]).toEqual([
      ';',
      'detected',
      ['id', 'name', 'arr'],
      [
        [2, '1', 'Acme, Inc', '1,5'],
        [3, '2', 'Beta', '2'],
        [4, '3', 'Gamma', '3,25'],
      ],
      ['detected UTF-8, semicolon-delimited'],
    ]);
  });

  it.each([
    { file: 'tab-delimited.tsv', delimiter: '\t', note: 'detected UTF-8, TAB-delimited', second: ['2', 'Beta; Ltd', '200'] },
    { file: 'pipe-delimited.csv', delimiter: '|', note: 'detected UTF-8, pipe-delimited', second: ['2', 'Beta', '200'] },
  ])('detects $file', ({ file, delimiter, note, second }) => {
    const t = parseFixture(file);
    expect([t.delimiter, t.header, t.records[1]?.cells, t.notes]).toEqual([delimiter, ['id', 'name', 'arr'], second, [note]]);
  });

  it('a single-column file stays comma-delimited', () => {
    const t = parseFixture('single-column.csv');
    expect([t.delimiter, t.header, rows(t)]).toEqual([
      ',',
      ['name'],
      [
        [2, 'Acme'],
        [3, 'Beta'],
      ],
    ]);
  });

  it('ignores delimiters inside quotes', () => {
    const t = parseText('"a;b",c\n"1;2",3\n"x;y",4\n');
    expect([t.delimiter, t.header]).toEqual([',', ['a;b', 'c']]);
  });

  it('prefers the count the records agree with, and breaks ties in the order , ; TAB |', () => {
    // ',' gives 2 fields on the header but 3 on the records; ';' agrees everywhere.
    expect(parseText('id;name,x\n1;a,b,c\n2;d,e,f\n').delimiter).toBe(';');
    expect(parseText('a;b,c\n1;2,3\n').delimiter).toBe(',');
  });

  it.each([
    { given: 'tab', delimiter: '\t' },
    { given: '\\t', delimiter: '\t' },
    { given: 'semicolon', delimiter: ';' },
    { given: 'PIPE', delimiter: '|' },
    { given: ';', delimiter: ';' },
  ])('--delimiter $given wins over detection', ({ given, delimiter }) => {
    const t = parseText('a,b\n1,2\n', { delimiter: given });
    expect([t.delimiter, t.delimiterSource, t.header, t.notes]).toEqual([delimiter, 'option', ['a,b'], []]);
  });

  it.each(['ab', '', '"'])('--delimiter %j is a usage error', (given) => {
    expect(thrown(() => parseText('a,b\n', { delimiter: given }))).toEqual({
      type: 'UsageError',
      message: `invalid delimiter '${given}': use one character, or tab, comma, semicolon or pipe`,
    });
  });

  it('R10: honours and skips an Excel sep= line; the header is on line 2', () => {
    const t = parseFixture('sep-line-semicolon.csv');
    expect([t.delimiter, t.delimiterSource, t.headerLine, t.header, rows(t), t.notes]).toEqual([
      ';',
      'sep-line',
      2,
      ['id', 'name'],
      [
        [3, '1', 'Acme, Inc'],
        [4, '2', 'Beta'],
      ],
      ["honoured the Excel 'sep=;' line (line 1)"],
    ]);
  });

  it('R10: a quoted "sep=|" line works, and --delimiter overrides it (the line is still skipped)', () => {
    expect(parseText('"sep=|"\na|b\n1|2\n').header).toEqual(['a', 'b']);
    const t = parseText('sep=|\na,b\n1,2\n', { delimiter: 'comma' });
    expect([t.delimiterSource, t.headerLine, t.header, t.notes]).toEqual(['option', 2, ['a', 'b'], []]);
  });
});

describe('parseTable: lines and line endings', () => {
  it('R16: skips and counts blank and whitespace-only lines, keeping physical line numbers', () => {
    const t = parseFixture('blank-lines.csv');
    expect([t.headerLine, rows(t), t.blankLines]).toEqual([
      2,
      [
        [3, '1', 'Acme'],
        [6, '2', 'Beta'],
        [8, '3', 'Gamma'],
      ],
      6,
    ]);
  });

  it('R16: a line holding only "" is a record (one empty quoted value), not a blank line', () => {
    const t = parseText('id,name\n""\n1,Acme\n');
    expect([rows(t), t.blankLines]).toEqual([
      [
        [2, ''],
        [3, '1', 'Acme'],
      ],
      0,
    ]);
  });

  it('R16: a whitespace-only first line neither becomes the header nor sways delimiter detection', () => {
    const t = parseText(' \t \nid;name\n1;Acme\n');
    expect([t.delimiter, t.headerLine, t.header, t.blankLines]).toEqual([';', 2, ['id', 'name'], 1]);
  });

  it('R20: quoted values with CRLF and LF inside are one cell; later records keep physical lines', () => {
    const t = parseFixture('multiline-crlf.csv');
    expect(rows(t)).toEqual([
      [2, '1', 'Acme', '1 Main St\r\nSuite 2\r\nSpringfield'],
      [5, '2', 'Beta', 'Line A\nLine B'],
      [7, '3', 'Gamma', 'plain'],
    ]);
  });

  it('R21: mixed LF, CRLF and CR endings leave no stray \\r in values', () => {
    const t = parseFixture('mixed-endings.csv');
    expect([t.header, rows(t)]).toEqual([
      ['id', 'name'],
      [
        [2, '1', 'Acme'],
        [3, '2', 'Beta'],
        [4, '3', 'Gamma'],
      ],
    ]);
  });

  it('R22: CR-only line endings, including a CR inside quotes', () => {
    const t = parseFixture('cr-only.csv');
    expect(rows(t)).toEqual([
      [2, '1', 'Acme'],
      [3, '2', 'Beta\rCorp'],
      [5, '3', 'Gamma'],
    ]);
  });

  it('R15: ragged records are passed on unpadded', () => {
    expect(rows(parseFixture('ragged.csv'))).toEqual([
      [2, '1', 'Acme'],
      [3, '2', 'Beta', '200', 'extra'],
      [4, '3', 'Gamma', '300'],
    ]);
  });
});

describe('parseTable: fatal CSV errors', () => {
  it('R17: an unclosed quote names the line where its record starts and where the file ends', () => {
    expect(thrown(() => parseFixture('unclosed-quote.csv'))).toEqual({
      type: 'InputError',
      message: 'unclosed-quote.csv:3: unclosed quote in the record starting at this line (reached the end of the file at line 5)',
    });
  });

  it('R18: a quote in an unquoted field names its physical line and column (after a CRLF inside quotes)', () => {
    expect(thrown(() => parseFixture('stray-quote.csv'))).toEqual({
      type: 'InputError',
      message: 'stray-quote.csv:4: quote in an unquoted field (column 3)',
    });
  });

  it('R18: the line is the physical line inside a multi-line record', () => {
    expect(thrown(() => parseText('a,b\n"x\r\ny",b"c\n'))).toEqual({
      type: 'InputError',
      message: 'in.csv:3: quote in an unquoted field (column 2)',
    });
  });

  it('R19: text after a closing quote', () => {
    expect(thrown(() => parseFixture('text-after-quote.csv'))).toEqual({
      type: 'InputError',
      message: 'text-after-quote.csv:3: unexpected text after a closing quote (column 2)',
    });
  });

  it('R23: a record over --max-record-size', () => {
    const big = `id,notes\n1,short\n\n2,"${'x'.repeat(200)}\n${'y'.repeat(200)}"\n`;
    expect(thrown(() => parseText(big, { maxRecordSize: 100 }))).toEqual({
      type: 'InputError',
      message: 'in.csv:4: record larger than 100 bytes (--max-record-size)',
    });
    expect(parseText(big).records.map((r) => r.line)).toEqual([2, 4]);
  });

  it('an invalid --max-record-size is a usage error', () => {
    expect(thrown(() => parseText('a\n', { maxRecordSize: 0 }))).toEqual({
      type: 'UsageError',
      message: "invalid --max-record-size '0': expected a positive whole number of bytes",
    });
  });
});

describe('parseTable: header checks', () => {
  it('R11: duplicate names, compared after trim and case-fold', () => {
    expect(thrown(() => parseFixture('duplicate-header.csv'))).toEqual({
      type: 'InputError',
      message: "duplicate-header.csv:1: duplicate column 'Name' at positions 2 and 3",
    });
  });

  it('R12: an empty header name', () => {
    expect(thrown(() => parseFixture('empty-header.csv'))).toEqual({
      type: 'InputError',
      message: 'empty-header.csv:1: column 2 has an empty header name',
    });
    expect(thrown(() => parseText('\nid, ,arr\n'))).toEqual({
      type: 'InputError',
      message: 'in.csv:2: column 2 has an empty header name',
    });
  });

  it('R12: a trailing delimiter on every line drops the empty last column, with a note', () => {
    const t = parseFixture('trailing-comma.csv');
    expect([t.header, rows(t), t.notes]).toEqual([
      ['id', 'name'],
      [
        [2, '1', 'Acme'],
        [3, '2', 'Beta'],
      ],
      ['ignored column 3: no header name and no values (a trailing delimiter)'],
    ]);
  });

  it('R12: a trailing column without a name but with a value is an error', () => {
    expect(thrown(() => parseText('id,name,\n1,Acme,\n2,Beta,oops\n'))).toEqual({
      type: 'InputError',
      message: 'in.csv:1: column 3 has an empty header name',
    });
  });

  it('R13: __proto__ and constructor are ordinary column names', () => {
    const t = parseFixture('proto-header.csv');
    expect([t.header, rows(t)]).toEqual([['id', '__proto__', 'constructor'], [[2, '1', 'x', 'y']]]);
  });
});

describe('parseTable: rows of empty cells', () => {
  it("skips ',,' rows (and quoted or whitespace-only ones) as blank lines, before and after the header", () => {
    const t = parseText(',,\naccount_id,account_name,revenue\r\n1,A,10\r\n,,\r\n"", ,""\r\n2,B,20\r\n,\r\n');
    expect([t.headerLine, t.header, rows(t), t.blankLines]).toEqual([
      2,
      ['account_id', 'account_name', 'revenue'],
      [
        [3, '1', 'A', '10'],
        [6, '2', 'B', '20'],
      ],
      4,
    ]);
  });

  it('keeps a row with any non-blank cell', () => {
    const t = parseText('account_id,account_name,revenue\n,,0\n');
    expect([rows(t), t.blankLines]).toEqual([[[2, '', '', '0']], 0]);
  });
});

describe('parseTable: report footers', () => {
  it('drops a Salesforce report footer and lists its lines', () => {
    const t = parseFixture('salesforce-report.csv');
    expect([rows(t), t.footerLines, t.blankLines, t.notes]).toEqual([
      [
        [2, 'Acme', '1000000', 'Springfield'],
        [3, 'Beta Corp', '250000', '345 Shoreline Park\nMountain View'],
        [5, 'Gamma', '', 'Boston'],
      ],
      [7, 9, 10],
      2,
      ['dropped a report footer (lines 7-10)'],
    ]);
  });

  it('keeps a name-only account just before the footer: the footer starts at the blank line', () => {
    const t = parseFixture('salesforce-report-name-only-last.csv');
    expect([rows(t), t.footerLines, t.blankLines, t.notes]).toEqual([
      [
        [2, 'A', '100', 'Hot'],
        [3, 'Zeta Corp', '', ''],
      ],
      [5, 7, 8],
      2,
      ['dropped a report footer (lines 5-8)'],
    ]);
  });

  it('starts a footer at a known text even without a blank line before it', () => {
    const t = parseText('name,arr\nAcme,100\nZeta,\nGrand Totals (2 records)\n');
    expect([rows(t), t.footerLines]).toEqual([
      [
        [2, 'Acme', '100'],
        [3, 'Zeta', ''],
      ],
      [4],
    ]);
  });

  it('a footer whose blank lines Excel re-saved as ",": the empty rows are blank lines', () => {
    const t = parseText('name,arr\nAcme,100\n,\nGrand Totals (1 records)\n,\nConfidential Information - Do Not Distribute\n');
    expect([rows(t), t.footerLines, t.blankLines]).toEqual([[[2, 'Acme', '100']], [4, 6], 2]);
  });

  it('keeps footer-like text that is not at the end', () => {
    const t = parseFixture('footer-text-not-at-end.csv');
    expect([rows(t), t.footerLines]).toEqual([
      [
        [2, 'Grand Totals (1 records)'],
        [3, 'Acme', '100'],
      ],
      [],
    ]);
  });

  it('keeps trailing single-cell rows when none is a known footer', () => {
    const t = parseFixture('trailing-notes-no-footer.csv');
    expect([rows(t), t.footerLines, t.notes]).toEqual([
      [
        [2, 'Acme', '100'],
        [4, 'Exported by Jane'],
      ],
      [],
      ['skipped 1 blank row inside the data (line 3)'],
    ]);
  });
});

describe('readTable', () => {
  it('reads a file, naming it as given', async () => {
    const t = await readTable(fixturePath('pipe-delimited.csv'));
    expect([t.source, t.header, t.records.length]).toEqual([fixturePath('pipe-delimited.csv'), ['id', 'name', 'arr'], 2]);
  });

  it('R26: a missing file is a usage error', async () => {
    expect(await rejected(readTable('no/such/accounts.csv'))).toEqual({
      type: 'UsageError',
      message: 'cannot open no/such/accounts.csv: ENOENT (no such file)',
    });
  });

  it('R25: a directory is a usage error', async () => {
    const dir = fileURLToPath(fixtureDir).replace(/\/$/, '');
    expect(await rejected(readTable(dir))).toEqual({ type: 'UsageError', message: `${dir} is a directory` });
  });

  it("'-' reads stdin and names it <stdin>", async () => {
    const stdin = Readable.from([Buffer.from('id;na'), Buffer.from('me\n1;Acme\n')]);
    const t = await readTable('-', {}, stdin);
    expect([t.source, t.delimiter, t.header, rows(t)]).toEqual(['<stdin>', ';', ['id', 'name'], [[2, '1', 'Acme']]]);
  });

  it('R26: a terminal on stdin is refused instead of waited on', async () => {
    const tty = Object.assign(Readable.from([]), { isTTY: true });
    expect(await rejected(readTable('-', {}, tty))).toEqual({
      type: 'UsageError',
      message: 'stdin is a terminal: pass a file, or pipe one in (kam ... - < accounts.csv)',
    });
  });
});

describe('parseTable: the formula guard and the dialect (issue 10 items 1, 2)', () => {
  it("removes the guard ' from cells and header, as Odoo writes it (CRM-FORMATS.md §6: a text -5 is '-5), and says so", () => {
    const t = parseText('id,name,\'=note\n1,\'-5,"\'=HYPERLINK(""x"")"\n2,\'plain,\'\'=x\n');
    expect([t.header, rows(t), t.unguardedCells]).toEqual([
      ['id', 'name', '=note'],
      [
        [2, '1', '-5', '=HYPERLINK("x")'],
        [3, '2', "'plain", "'=x"],
      ],
      4,
    ]);
    expect(t.notes).toEqual(["4 cells start with the spreadsheet formula guard ' (as in '=1+1 or '-5): read without it"]);
  });

  it('a file kam wrote (kam_rank, kam_score, kam_tier) loses its guards without a note', () => {
    const t = parseText("account_id,account_name,kam_rank,kam_score,kam_tier\nA,'=x,1,50.00,Key\n");
    expect([rows(t), t.notes]).toEqual([[[2, 'A', '=x', '1', '50.00', 'Key']], []]);
  });

  it('records the BOM and the first line ending', () => {
    expect([parseText('\uFEFFa;b\r\n1;2\r\n').hadBom, parseText('\uFEFFa;b\r\n1;2\r\n').lineEnding]).toEqual([true, '\r\n']);
    expect([parseText('a,b\r1,2\r').lineEnding, parseText('a,b').lineEnding, parseText('a,b\n1,2\r\n').lineEnding]).toEqual(['\r', '\n', '\n']);
  });
});

describe('the table accessors (issue 12 item 3)', () => {
  const t = parseText('id,name,arr\n1,Acme,10\n2,"Beta\nGmbH",20\n3,Short\n');

  it('cellsOf and lineOf read a record by its index', () => {
    expect([t.cellsOf(1), t.lineOf(1), t.cellsOf(2), t.lineOf(2)]).toEqual([['2', 'Beta\nGmbH', '20'], 3, ['3', 'Short'], 5]);
  });

  it('rowsOf reads the validated rows through their record index; cellOf is empty past a short row', () => {
    const rows = t.rowsOf(Uint32Array.from([2, 0]));
    expect([rows.n, rows.recordOf(0), rows.cellsOf(0), rows.lineOf(0), rows.cellOf(0, 1), rows.cellOf(0, 2), rows.cellOf(1, 2)]).toEqual([
      2,
      2,
      ['3', 'Short'],
      5,
      'Short',
      '',
      '10',
    ]);
  });
});

describe('the streaming reader (issue 13 item 1)', () => {
  const text = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));

  it("recordBytes gives each record's original bytes without its line ending, across blocks of any size", () => {
    const input = 'id,name\r\n1,"Acme ""A""\r\nGmbH"\r\n\r\n2,Beta\r\n3,Über\n';
    for (const blockBytes of [1, 5, 4096]) {
      const t = parseText(input, { blockBytes });
      expect([rows(t), t.records.map((_, r) => text(t.recordBytes(r)))]).toEqual([
        [
          [2, '1', 'Acme "A"\r\nGmbH'],
          [5, '2', 'Beta'],
          [6, '3', 'Über'],
        ],
        ['1,"Acme ""A""\r\nGmbH"', '2,Beta', '3,Über'],
      ]);
    }
  });

  it('has no bytes for a record the reader changed (a formula guard removed), for a dropped trailing column, or a decoded encoding', () => {
    const guarded = parseText("id,name\n1,'=x\n2,b\n");
    expect([text(guarded.recordBytes(0)), text(guarded.recordBytes(1)), guarded.recordBytes(2)]).toEqual([undefined, '2,b', undefined]);
    expect(parseText('id,name,\n1,a,\n').recordBytes(0)).toBeUndefined();
    expect(parseTable(Buffer.from('\uFEFFid,name\n1,a\n', 'utf16le'), 'in.csv').recordBytes(0)).toBeUndefined();
  });

  it('names the physical line and the byte of invalid UTF-8 in a later block, before a quote error in an earlier one', () => {
    const bytes = Buffer.concat([Buffer.from('id,name\n1,a"b\n2,c\n3,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    expect(thrown(() => parseTable(bytes, 'in.csv', { blockBytes: 4 }))).toEqual(thrown(() => parseTable(bytes, 'in.csv')));
    expect(thrown(() => parseTable(bytes, 'in.csv', { blockBytes: 4 }))).toEqual({
      type: 'InputError',
      message: "in.csv:4: invalid UTF-8 at byte 20; the file may be Windows-1252 (Excel's 'CSV' on Windows): try --encoding windows-1252",
    });
  });

  it('reads stdin through a spill file, record bytes included', async () => {
    const stdin = Readable.from([Buffer.from('id;na'), Buffer.from('me\n1;Acme\n2;"B\nC"\n')]);
    const t = await readTable('-', { blockBytes: 3 }, stdin);
    expect([t.source, rows(t), text(t.recordBytes(1))]).toEqual([
      '<stdin>',
      [
        [2, '1', 'Acme'],
        [3, '2', 'B\nC'],
      ],
      '2;"B\nC"',
    ]);
  });
});
