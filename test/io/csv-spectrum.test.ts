import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTable, type RawTable } from '../../src/io/read-table.ts';

const edgeDir = fileURLToPath(new URL('../../fixtures/csv-edge/', import.meta.url));
const read = (name: string): Buffer => readFileSync(edgeDir + name);
const parseEdge = (name: string): RawTable => parseTable(read(name), name);
const cells = (t: RawTable): (readonly string[])[] => t.records.map((r) => r.cells);

/** csv-spectrum's oracle shape: one object per record, keyed by header. */
const toObjects = (t: RawTable): Record<string, string | undefined>[] => t.records.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r.cells[i]])));

// location_coordinates is excluded: its JSON is an object and disagrees with its CSV.
const spectrum = readdirSync(edgeDir)
  .filter((f) => f.startsWith('spectrum-') && f.endsWith('.csv') && f !== 'spectrum-location_coordinates.csv')
  .map((file) => ({ file, expected: `spectrum-expected/${file.slice('spectrum-'.length, -'.csv'.length)}.json` }));

describe('csv-spectrum', () => {
  it('has the 11 usable files', () => {
    expect(spectrum.map((s) => s.file)).toEqual([
      'spectrum-comma_in_quotes.csv',
      'spectrum-empty.csv',
      'spectrum-empty_crlf.csv',
      'spectrum-escaped_quotes.csv',
      'spectrum-json.csv',
      'spectrum-newlines.csv',
      'spectrum-newlines_crlf.csv',
      'spectrum-quotes_and_newlines.csv',
      'spectrum-simple.csv',
      'spectrum-simple_crlf.csv',
      'spectrum-utf8.csv',
    ]);
  });

  it.each(spectrum)('$file parses to $expected', ({ file, expected }) => {
    const table = parseEdge(file);
    expect(toObjects(table)).toEqual(JSON.parse(read(expected).toString('utf8')));
    expect([table.delimiter, table.footerLines, table.notes]).toEqual([',', [], []]);
  });

  it('keeps physical line numbers across quoted newlines (newlines_crlf, quotes_and_newlines)', () => {
    expect(parseEdge('spectrum-newlines_crlf.csv').records.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(parseEdge('spectrum-quotes_and_newlines.csv').records.map((r) => r.line)).toEqual([2, 5]);
  });

  it('R18: location_coordinates (a bare " in an unquoted field) is rejected at its line and column', () => {
    expect(() => parseEdge('spectrum-location_coordinates.csv')).toThrow('spectrum-location_coordinates.csv:2: quote in an unquoted field (column 2)');
  });
});

describe('Salesforce Data Loader test files', () => {
  it.each([
    { file: 'sf-dataloader-csvtext_BOM_UTF8.csv', encoding: 'utf-8 (BOM)', notes: [] },
    {
      file: 'sf-dataloader-csvtext_BOM_UTF16LE.csv',
      encoding: 'utf-16le (BOM)',
      notes: ['detected UTF-16LE (BOM), comma-delimited'],
    },
    {
      file: 'sf-dataloader-csvtext_BOM_UTF16BE.csv',
      encoding: 'utf-16be (BOM)',
      notes: ['detected UTF-16BE (BOM), comma-delimited'],
    },
  ])('R1/R2: $file gives the same records', ({ file, encoding, notes }) => {
    const t = parseEdge(file);
    expect([t.encoding, t.delimiter, t.header, cells(t), t.notes]).toEqual([
      encoding,
      ',',
      ['column1', 'column2', 'column3'],
      [
        ['row1-1', 'row1-2', 'row1-3'],
        ['row2-1', 'row2-2', 'row2-3'],
      ],
      notes,
    ]);
  });

  it('csvEscapedQuotes: doubled quotes, no final newline', () => {
    expect(cells(parseEdge('sf-dataloader-csvEscapedQuotes.csv'))).toEqual([
      ['"The Best" Account', 'bla'],
      ['The "Best" Account', 'bla'],
    ]);
  });
});

describe('node-csv issue files', () => {
  it('365: Excel UTF-16LE with BOM, CRLF, no final newline', () => {
    const t = parseEdge('nodecsv-365-utf16le-bom-windows.csv');
    expect([t.encoding, t.delimiter, t.header, t.records]).toEqual(['utf-16le (BOM)', ',', ['a', 'b', 'c'], [{ line: 2, cells: ['1', '2', '3'] }]]);
  });

  it('365: Excel UTF-8 with BOM and CRLF', () => {
    const t = parseEdge('nodecsv-365-utf8-bom-windows.csv');
    expect([t.encoding, t.header, t.records]).toEqual(['utf-8 (BOM)', ['a', 'b', 'c'], [{ line: 2, cells: ['1', '2', '3'] }]]);
  });

  it('411: BOM plus one row with an extra field: the ragged record is kept as it is', () => {
    const t = parseEdge('nodecsv-411.csv');
    expect([t.header, t.records.map((r) => [r.line, r.cells.length]), t.records[1]?.cells]).toEqual([
      ['id', 'first_name', 'last_name', 'email', 'modified_at'],
      [
        [2, 5],
        [3, 6],
        [4, 5],
      ],
      ['2', 'Kylie', 'Lauderdale', 'klauderdale1@wsj.com', '2022-02-14', ''],
    ]);
  });

  it('R12: 399 ("" as the header) has an empty header name', () => {
    expect(() => parseEdge('nodecsv-399.csv')).toThrow('nodecsv-399.csv:1: column 1 has an empty header name');
  });
});

describe('W3C CSVW test files', () => {
  it('R22: manifest.csv (CR-only line endings) has 301 records on lines 2-302', () => {
    const t = parseEdge('csvw/manifest.csv');
    const lines = t.records.map((r) => r.line);
    expect([t.header.length, t.records.length, lines[0], lines.at(-1), t.blankLines]).toEqual([11, 301, 2, 302, 0]);
    expect(t.records.some((r) => r.cells.some((c) => c.includes('\r')))).toBe(false);
  });

  it('tree-ops.tsv is detected as TAB-delimited', () => {
    const t = parseEdge('csvw/tree-ops.tsv');
    expect([t.delimiter, t.header, t.records.length]).toEqual(['\t', ['GID', 'On Street', 'Species', 'Trim Cycle', 'Inventory Date'], 2]);
  });

  it("test003: space-padded values are returned untouched (trimming is the schema layer's job)", () => {
    expect(parseEdge('csvw/test003.csv').records[0]?.cells).toEqual([' Homer ', ' Simpson ']);
  });
});
