import { describe, expect, it } from 'vitest';
import { csvParseBlock, parseBlock, type CsvDialect } from '../../src/io/csv-records.ts';
import { fastRecords, TEXT_MAX_BYTES } from '../../src/io/fast-records.ts';

const dialect = (delimiter = ',', maxRecordSize = 1_048_576): CsvDialect => ({ source: 'in.csv', delimiter, maxRecordSize });
const fast = (text: string, d = dialect(), firstLine = 1) => fastRecords(Buffer.from(text), d, firstLine);
/** The records alone, as csv-parse gives them (without the tokeniser's plainSpans). */
function recordsOf(text: string, d = dialect()): unknown {
  const b = fast(text, d);
  if (b === undefined) return undefined;
  const { plainSpans, ...records } = b;
  expect(plainSpans?.length).toBe(2 * b.cells.length);
  return records;
}
/** parseBlock's records or error message (fast path or csv-parse, whichever serves the block). */
function parsed(text: string, d = dialect()): unknown {
  try {
    return parseBlock(Buffer.from(text), () => text, d, 1);
  } catch (err) {
    return err instanceof Error ? err.message : err;
  }
}

describe('fastRecords', () => {
  it('numbers records by physical line across CRLF, LF and lone CR, inside quotes too', () => {
    const text = 'id,name\r\n1,"a\r\nb"\n2,"c\rd"\r3,x';
    expect(fast(text, dialect(), 5)).toStrictEqual({
      cells: [
        ['id', 'name'],
        ['1', 'a\r\nb'],
        ['2', 'c\rd'],
        ['3', 'x'],
      ],
      lines: [5, 6, 8, 10],
      rowIndex: [0, 1, 2, 3],
      blankLines: 0,
      blankLineNumbers: [],
      rowCount: 4,
      endLine: 11,
      // Each record's bytes, its line break included: all four are what the writer would write.
      plainSpans: [0, 9, 9, 18, 18, 26, 26, 29],
    });
  });

  it('counts blank lines and rows of empty cells as blank, but not a lone quoted cell', () => {
    expect(fast('a\n\n,,\n""\n \n"\n"\n')).toStrictEqual({
      cells: [['a'], [''], ['\n']],
      lines: [1, 4, 6],
      rowIndex: [0, 3, 5],
      blankLines: 3,
      blankLineNumbers: [2, 3, 5],
      rowCount: 6,
      endLine: 8,
      // '""' has quotes the writer drops; '"\n"' starts with a byte the formula guard looks at.
      plainSpans: [0, 2, -1, -1, -1, -1],
    });
  });

  it('says which records the CSV writer would write byte for byte (plainSpans), and why not', () => {
    const records = [
      ['h1,h2\n', true],
      ['Acme,12.5\n', true],
      ['"Smith, Jones",1\r\n', true], // quoted for its delimiter
      ['"say ""hi""",1\n', true], // for its quotes
      ['"two\nlines",x\n', true], // for its line break
      ['"Acme",1\n', false], // quotes the writer drops
      ['"",1\n', false],
      ['=1+1,x\n', false], // the formula guard
      ['x,"@SUM(A1), 2"\n', false],
      ['-5,1\n', false], // left to the writer's own check: its number test decides
      ['Zürich,1\n', false], // outside ASCII: the cell path
      ['a\tb,1\n', false], // a control byte
      ['a\x7fb,1\n', false], // DEL
      ['"x\ty",1\n', false],
      ['end,1', true], // no line break at the end of the block
    ] as const;
    const text = records.map(([r]) => r).join('');
    const b = fast(text)!;
    expect(b.cells.length).toBe(records.length);
    expect(b.cells.map((_, k) => b.plainSpans![2 * k]! >= 0)).toStrictEqual(records.map(([, plain]) => plain));
    // A span is the record's bytes, its line break included.
    const at = Buffer.byteLength(
      records
        .slice(0, 2)
        .map(([r]) => r)
        .join(''),
    );
    expect(b.plainSpans!.slice(4, 6)).toStrictEqual([at, at + Buffer.byteLength(records[2][0])]);
    const last = Buffer.byteLength(text);
    expect(b.plainSpans!.slice(-2)).toStrictEqual([last - 5, last]);
  });

  it('unescapes doubled quotes and cuts non-ASCII and long cells whole', () => {
    const text = '"say ""hi""",é€😀,"ünïcode ""x""",a-cell-of-20-letters,"""",\u00a0\n';
    expect(fast(text)?.cells).toStrictEqual([['say "hi"', 'é€😀', 'ünïcode "x"', 'a-cell-of-20-letters', '"', '\u00a0']]);
  });

  it('keeps ragged rows and the empty cells of a last record without a line ending', () => {
    expect(fast('a;b;c\n1\n2;;', dialect(';'))?.cells).toStrictEqual([['a', 'b', 'c'], ['1'], ['2', '', '']]);
    expect(fast('a|b\n"x"', dialect('|'))?.cells).toStrictEqual([['a', 'b'], ['x']]);
  });

  it('gives an empty block no records', () => {
    expect(fast('', dialect(), 3)).toStrictEqual({
      cells: [],
      lines: [],
      rowIndex: [],
      blankLines: 0,
      blankLineNumbers: [],
      rowCount: 0,
      endLine: 3,
      plainSpans: [],
    });
  });

  it('gives the same records as csv-parse on a quoted, multi-line, ragged block', () => {
    const text = 'h1\th2\th3\r\n"x\t""y"""\t\t"line\nbreak"\r\n\r\n\t\t\r\nlast\t"é"';
    expect(recordsOf(text, dialect('\t'))).toStrictEqual(csvParseBlock(Buffer.from(text), () => text, dialect('\t'), 1));
  });

  it('slices a block larger than its Latin-1 text allows (a file decoded whole) the same way', () => {
    const record = `ab,${'x'.repeat(1019)}\r\n`;
    const text = record.repeat(Math.ceil(TEXT_MAX_BYTES / record.length) + 1) + 'last,é';
    expect(recordsOf(text)).toStrictEqual(csvParseBlock(Buffer.from(text), () => text, dialect(), 1));
    expect(fast(text)?.cells.at(-1)).toStrictEqual(['last', 'é']);
  });

  it('gives up on what csv-parse must judge: stray or unclosed quotes, text after a quote, a long record, a non-ASCII delimiter', () => {
    expect(fast('a,b"c\n')).toBeUndefined();
    expect(fast('a,"b"c\n')).toBeUndefined();
    expect(fast('a,"b"\0\n')).toBeUndefined();
    expect(fast('a,"b\n')).toBeUndefined();
    expect(fast('abcdef\n', dialect(',', 5))).toBeUndefined();
    expect(fast('a§b\n', dialect('§'))).toBeUndefined();
  });
});

describe('parseBlock falls back to csv-parse', () => {
  it('for its records where the fast path gave up', () => {
    expect(parsed('a§b\n1§2', dialect('§'))).toStrictEqual({
      cells: [
        ['a', 'b'],
        ['1', '2'],
      ],
      lines: [1, 2],
      rowIndex: [0, 1],
      blankLines: 0,
      blankLineNumbers: [],
      rowCount: 2,
      endLine: 3,
    });
    // csv-parse takes a NUL after a closing quote as the end of the quotes and keeps it in the cell.
    expect((parsed('a,"b"\0c\n') as { cells: unknown }).cells).toStrictEqual([['a', 'b\0c']]);
  });

  it('for its exact messages', () => {
    expect(parsed('x,y\n1,a"b\n')).toBe('in.csv:2: quote in an unquoted field (column 2)');
    expect(parsed('x,y\n1,"a"b\n')).toBe('in.csv:2: unexpected text after a closing quote (column 2)');
    expect(parsed('x,y\n1,"a\n2,b\n')).toBe('in.csv:2: unclosed quote in the record starting at this line (reached the end of the file at line 3)');
    expect(parsed('x,y\n1,abcdefgh\n', dialect(',', 6))).toBe('in.csv:2: record larger than 6 bytes (--max-record-size)');
  });
});
