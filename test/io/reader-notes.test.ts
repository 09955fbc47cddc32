import { describe, expect, it } from 'vitest';
import { parseTable } from '../../src/io/read-table.ts';
import { READER_NOTE_LEVEL, readerNoteText, type ReaderNote } from '../../src/io/reader-notes.ts';

const read = (text: string, options = {}) => parseTable(Buffer.from(text, 'utf8'), 'in.csv', options);

describe('reader notes: codes with their data, worded in one place', () => {
  it('the reader returns codes; table.notes are their words, in the same order', () => {
    const t = read("sep=;\nid;name;\n1;'=1+1;\n\n2;B;\n", { sheet: 'Data' });
    expect(t.noteCodes).toEqual([
      { code: 'ignored_option', option: 'sheet', value: 'Data', why: 'not_a_workbook', source: 'in.csv' },
      { code: 'sep_line', char: ';' },
      { code: 'unguarded_cells', cells: 1 },
      { code: 'trailing_delimiter', column: 3 },
      { code: 'blank_lines_inside', lines: [4] },
    ]);
    expect(t.notes).toEqual(t.noteCodes.map(readerNoteText));
    expect(t.notes).toEqual([
      'ignored --sheet Data: in.csv is not a workbook',
      "honoured the Excel 'sep=;' line (line 1)",
      "1 cell starts with the spreadsheet formula guard ' (as in '=1+1 or '-5): read without it",
      'ignored column 3: no header name and no values (a trailing delimiter)',
      'skipped 1 blank row inside the data (line 4)',
    ]);
  });

  it('a detected dialect and a report footer are codes too', () => {
    const t = read('id;name\n1;A\n\nConfidential Information - Do Not Distribute\n');
    expect(t.noteCodes).toEqual([
      { code: 'detected_dialect', encoding: 'utf-8', delimiter: ';' },
      { code: 'footer_dropped', lines: [4] },
    ]);
  });

  it('the level is data: a warning says so first, from its code alone', () => {
    const warning: ReaderNote = { code: 'utf8_with_stray_bytes', source: 'x.csv', encoding: 'windows-1252', lines: [3] };
    expect(READER_NOTE_LEVEL[warning.code]).toBe('warning');
    expect(readerNoteText(warning)).toBe(
      "warning: x.csv looks like UTF-8 with a few bytes that are not (line 3): read as UTF-8, and only those bytes as windows-1252, instead of turning every 'ü' into 'Ã¼'; check that line",
    );
    expect(readerNoteText({ code: 'formulas_uncached', sheet: 'S', cells: ['A1', 'B2'] })).toBe(
      'warning: 2 formula cells have no saved value (S!A1, S!B2): read as blank; open the workbook in Excel and save it so its formulas are calculated',
    );
    expect(READER_NOTE_LEVEL.detected_dialect).toBe('plain');
  });

  it('a mostly-UTF-8 file given a legacy --encoding: the warning is a code with its lines', () => {
    const bytes = Buffer.concat([Buffer.from('id,name\n1,Müller\n2,Jürgen\n3,'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const t = parseTable(bytes, 'in.csv', { encoding: 'windows-1252' });
    expect(t.noteCodes).toEqual([{ code: 'utf8_with_stray_bytes', source: 'in.csv', encoding: 'windows-1252', lines: [4] }]);
    expect(t.records.map((r) => r.cells[1])).toEqual(['Müller', 'Jürgen', 'é']);
  });
});
