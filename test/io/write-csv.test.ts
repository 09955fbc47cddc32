/**
 * The formula guard and the CSV dialect of io/write-csv.ts (issue 10 items 1 and 2). The
 * number test is the one the commands pass: schema/values' grammar (isNumberCell).
 */
import { describe, expect, it } from 'vitest';
import { memorySink } from '../helpers/fake-io.ts';
import { parseTable } from '../../src/io/read-table.ts';
import { CsvBytes, escapeFormula, formatCsvRecord, RFC4180, unescapeFormula, writeCsv } from '../../src/io/write-csv.ts';
import { isNumberCell } from '../../src/schema/values.ts';

const comma = (cell: string): boolean => isNumberCell(cell, ',');
const dot = (cell: string): boolean => isNumberCell(cell, '.');

describe('escapeFormula: guards what a spreadsheet evaluates, never a number of the dialect', () => {
  it.each([
    ['-20,3 %', comma],
    ['+3 %', comma],
    ['-1.234,50', comma],
    ['-$1,200', dot],
    ['(1,200)', dot],
    ['-12k', dot],
    ['-USD 5', dot],
    ['\u22124.5', dot],
    ['-1e5', dot],
    ['+42', dot],
  ])('%s stays as it is', (cell, isNumber) => {
    expect(escapeFormula(cell, isNumber)).toBe(cell);
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(1)', "'+SUM(1)"],
    ['-AUD1', "'-AUD1"],
    ['@x', "'@x"],
    ['-x', "'-x"],
    ['\uFEFF=1+1', "'\uFEFF=1+1"],
    ['\u200B=HYPERLINK("x")', '\'\u200B=HYPERLINK("x")'],
    ['\u2066\u200D+cmd', "'\u2066\u200D+cmd"],
    ['\t1', "'\t1"],
    ["'=1", "''=1"],
    ["''-x", "'''-x"],
  ])('%j becomes %j', (cell, guarded) => {
    expect(escapeFormula(cell, dot)).toBe(guarded);
  });

  it('a number in the other dialect is text there: -20,3 % in a dot-decimal file is guarded', () => {
    expect(escapeFormula('-20,3 %', dot)).toBe("'-20,3 %");
  });

  it.each([["'abc"], ["'"], ['a=1'], [' =1'], ['']])('%j needs no guard and stays', (cell) => {
    expect(escapeFormula(cell, dot)).toBe(cell);
    expect(unescapeFormula(cell)).toBe(cell);
  });

  it("unescapeFormula removes exactly the writer's guard, and Odoo's ('-5)", () => {
    expect(["'=1+1", "'-5", "''=1", "'\uFEFF=1", "'@SUM(1)"].map(unescapeFormula)).toEqual(['=1+1', '-5', "'=1", '\uFEFF=1', '@SUM(1)']);
    for (const cell of ['=1+1', "'=1", '-x', '\uFEFF=1', "''+a", '-20,3 %']) expect(unescapeFormula(escapeFormula(cell, comma))).toBe(cell);
  });
});

describe('the dialect: delimiter, line ending, BOM', () => {
  it('quotes a cell holding the dialect delimiter, not one holding a comma', () => {
    const d = { delimiter: ';', lineEnding: '\r\n', bom: true, decimal: ',' } as const;
    expect(formatCsvRecord(['Helix Robotics, Inc.', 'a;b', '4,5', '=1'], { escapeFormulas: true, dialect: d })).toBe(
      'Helix Robotics, Inc.;"a;b";4,5;"\'=1"\r\n',
    );
    expect(formatCsvRecord(['Helix Robotics, Inc.', 'a;b'], { escapeFormulas: true, dialect: RFC4180 })).toBe('"Helix Robotics, Inc.",a;b\n');
  });

  it('writeCsv starts with the BOM when the dialect has one, and the reader gives every cell back', async () => {
    const sink = memorySink();
    const d = { delimiter: '\t', lineEnding: '\r\n', bom: true, decimal: '.' } as const;
    await writeCsv(
      sink,
      ['id', 'name'],
      [
        ['1', '=HYPERLINK("x")'],
        ['2', "'-5"],
      ],
      { escapeFormulas: true, dialect: d },
    );
    expect(sink.text()).toBe('\uFEFFid\tname\r\n1\t"\'=HYPERLINK(""x"")"\r\n2\t"\'\'-5"\r\n');
    const t = parseTable(Buffer.from(sink.text(), 'utf8'), 'x.csv');
    expect([t.delimiter, t.hadBom, t.lineEnding, t.unguardedCells]).toEqual(['\t', true, '\r\n', 2]);
    expect(t.records.map((r) => r.cells)).toEqual([
      ['1', '=HYPERLINK("x")'],
      ['2', "'-5"],
    ]);
  });
});

describe('CsvBytes.take: two buffers take turns', () => {
  it('hands out each chunk whole, and fills the buffer of the take before last again', () => {
    // Above Buffer's pool size: each buffer its own memory.
    const out = new CsvBytes({ escapeFormulas: true, dialect: RFC4180 }, 16 * 1024);
    const chunk = (cell: string): Buffer => {
      out.cell(cell);
      out.end();
      return out.take();
    };
    const a = chunk('one');
    const aText = a.toString('utf8');
    const b = chunk('two');
    const c = chunk('three');
    expect([aText, b.toString('utf8'), c.toString('utf8')]).toEqual(['one\n', 'two\n', 'three\n']);
    expect([c.buffer === a.buffer, b.buffer === a.buffer]).toEqual([true, false]);
  });
});
