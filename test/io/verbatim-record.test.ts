import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { isPlainRecord } from '../../src/io/verbatim-record.ts';
import { CsvBytes, type CsvWriteOptions } from '../../src/io/write-csv.ts';

const options = (delimiter: string, escapeFormulas = true): CsvWriteOptions => ({
  escapeFormulas,
  dialect: { delimiter, lineEnding: '\n', bom: false, decimal: '.' },
});

/** What the writer makes of the cells, one record, line ending left out. */
function written(cells: readonly string[], o: CsvWriteOptions): string {
  const out = new CsvBytes(o);
  for (const c of cells) out.cell(c);
  return out.take().toString('utf8');
}

function plain(record: string, width: number, o: CsvWriteOptions = options(',')): boolean {
  const out = new CsvBytes(o);
  return isPlainRecord(Buffer.from(record, 'utf8'), out.plainRule(width));
}

describe('isPlainRecord', () => {
  it('accepts what the writer would write byte for byte', () => {
    expect(plain('ACC-1,Acme,12.5,', 4)).toBe(true);
    expect(plain('"Smith, Jones",1', 2)).toBe(true);
    expect(plain('"say ""hi""",1', 2)).toBe(true);
    expect(plain('"two\nlines",x', 2)).toBe(true);
    expect(plain('-5,1', 2)).toBe(true); // a negative number is not guarded
    expect(plain('', 1)).toBe(true);
  });

  it('refuses what the writer would write differently', () => {
    expect(plain('"Acme",1', 2)).toBe(false); // quotes the writer drops
    expect(plain('"",1', 2)).toBe(false);
    expect(plain('=1+1,x', 2)).toBe(false); // the formula guard
    expect(plain('"=1+1, x",y', 2)).toBe(false);
    expect(plain('@SUM(A1),x', 2)).toBe(false);
    expect(plain('Zürich,1', 2)).toBe(false); // outside ASCII: the cell path
    expect(plain('a\tb,1', 2)).toBe(false); // a control byte
    expect(plain('a,b,c', 2)).toBe(false); // field count other than the width
    expect(plain('a,b', 3)).toBe(false);
  });

  it('guards formulas only when the writer does', () => {
    expect(plain('=1+1,x', 2, options(',', false))).toBe(true);
  });

  it("reads fields at the writer's delimiter", () => {
    expect(plain('a;b,c;d', 3, options(';'))).toBe(true);
    expect(plain('a\tb', 2, options('\t'))).toBe(true);
  });

  it("is plain only where the bytes equal the writer's output of the parsed cells (2,000 cases)", () => {
    const char = fc.constantFrom('a', 'Z', '1', ' ', ',', ';', '"', '\n', '\r', '=', '-', '+', '@', "'", '\t', 'é');
    const field = fc.oneof(
      fc.array(char, { maxLength: 6 }).map((cs) => cs.join('').replace(/["\r\n,]/g, '')),
      fc.array(char, { maxLength: 6 }).map((cs) => `"${cs.join('').replaceAll('"', '""')}"`),
    );
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 5 }), fc.constantFrom(',', ';'), fc.boolean(), (fields, delimiter, escape) => {
        const record = fields.join(delimiter);
        const o = options(delimiter, escape);
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- csv-parse's typed overload (parse<T>) rejects these options
        const cells = (parse(record, { delimiter, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][])[0] ?? [''];
        if (plain(record, fields.length, o)) expect(written(cells, o)).toBe(record);
      }),
      { numRuns: 2000, seed: 13 },
    );
  });
});
