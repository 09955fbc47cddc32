/**
 * The differential test of the fast tokeniser (issue 13 item 2): on every generated block
 * that csv-parse accepts, the fast path either gives up or gives exactly the records
 * csv-parse gives (cells, lines, blank lines, record count); on every block csv-parse
 * refuses, it gives up, so the error comes from csv-parse. On clean RFC 4180 blocks it must
 * not give up at all. Where it serves a block, its verdict that a record's bytes are what the
 * CSV writer would write (plainSpans) is exactly isPlainRecord's, for cells no formula guard
 * could touch (a cell starting with = + - @ TAB CR LF or ' is never called plain). 11,000 cases by default.
 *
 * Reproduce a failure with the seed fast-check prints: FC_SEED=<seed> npx vitest run test/fuzz/fast-records.
 * FC_RUNS sets the cases per property for a longer local run (never below 1,000).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvParseBlock, type BlockRecords, type CsvDialect } from '../../src/io/csv-records.ts';
import { fastRecords } from '../../src/io/fast-records.ts';
import { isPlainRecord } from '../../src/io/verbatim-record.ts';
import { CsvBytes } from '../../src/io/write-csv.ts';

const SEED = Number(process.env['FC_SEED'] ?? 20261201);
const RUNS = Math.max(1000, Number(process.env['FC_RUNS'] ?? 0));
const CLEAN_RUNS = Math.max(RUNS, 4000);
const MUTATED_RUNS = Math.max(RUNS, 4000);
const CHAOS_RUNS = Math.max(RUNS, 3000);
const TIMEOUT = 60_000 + RUNS * 10;
const DEFAULT_MAX_RECORD_SIZE = 1_048_576;

const DELIMITERS = [',', ';', '\t', '|'] as const;
const LINE_ENDS = ['\n', '\r\n', '\r'] as const;
/**
 * Text that is never special outside quotes: ASCII, white space trim() removes (NBSP,
 * ideographic space, BOM), 2-, 3- and 4-byte UTF-8, NUL, and runs long enough (13+) for
 * both of the tokeniser's ways of cutting a cell.
 */
const PLAIN = ['a', 'Z', '0', ' ', '=', '\0', '\v', '\u00a0', '\u3000', '\uFEFF', 'é', '€', '😀', 'abcdefghijklmn'] as const;
const plainCell = fc.string({ unit: fc.constantFrom(...PLAIN), maxLength: 5 });
/** A quoted cell: anything inside, quotes doubled, line breaks of every kind. */
const quotedCell = fc
  .string({ unit: fc.constantFrom(...PLAIN, '"', ',', ';', '\t', '|', '\n', '\r', '\r\n'), maxLength: 6 })
  .map((s) => `"${s.replaceAll('"', '""')}"`);
const cell = fc.oneof({ weight: 3, arbitrary: plainCell }, { weight: 2, arbitrary: quotedCell });

/** A block of records: ragged, blank lines and rows of empty cells among them, any line endings, a last line ending or not. */
const cleanBlock = fc
  .tuple(
    fc.constantFrom(...DELIMITERS),
    fc.array(fc.tuple(fc.array(cell, { minLength: 1, maxLength: 6 }), fc.constantFrom(...LINE_ENDS)), { maxLength: 8 }),
    fc.boolean(),
  )
  .map(([delimiter, rows, lastEnds]) => {
    const text = rows.map(([cells, end], k) => cells.join(delimiter) + (k < rows.length - 1 || lastEnds ? end : '')).join('');
    return { delimiter, text };
  });

/** A clean block with one to three characters inserted anywhere: stray quotes, text after a closing quote, unclosed quotes. */
const mutatedBlock = fc
  .tuple(cleanBlock, fc.array(fc.tuple(fc.nat(), fc.constantFrom('"', '"', 'x', ',', ';', '\t', '|', '\r', '\n', ' ', 'é')), { minLength: 1, maxLength: 3 }))
  .map(([{ delimiter, text }, inserts]) => {
    let out = text;
    for (const [at, c] of inserts) {
      const i = out.length === 0 ? 0 : at % (out.length + 1);
      out = out.slice(0, i) + c + out.slice(i);
    }
    return { delimiter, text: out };
  });

/** Any text of the CSV alphabet, with any delimiter --delimiter takes (a letter, a space, NUL, a non-ASCII one): mostly malformed. */
const chaosBlock = fc.tuple(
  fc.constantFrom(...DELIMITERS, 'a', ' ', '\0', '§'),
  fc.string({ unit: fc.constantFrom('a', '"', '"', ',', ';', '\t', '|', '\n', '\r', ' ', '\0', 'é', '😀', '\uFEFF'), maxLength: 40 }),
);

/** csv-parse's records for the block, or the error it throws. */
function reference(bytes: Buffer, text: string, dialect: CsvDialect, firstLine: number): BlockRecords | Error {
  try {
    return csvParseBlock(bytes, () => text, dialect, firstLine);
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  }
}

/** Compares both on one block; says whether the fast path served it. */
function compare(text: string, delimiter: string, firstLine: number, maxRecordSize = DEFAULT_MAX_RECORD_SIZE): boolean {
  const bytes = Buffer.from(text, 'utf8');
  const dialect: CsvDialect = { source: 'in.csv', delimiter, maxRecordSize };
  const expected = reference(bytes, text, dialect, firstLine);
  const fast = fastRecords(bytes, dialect, firstLine);
  if (expected instanceof Error) {
    expect(expected.name).toBe('InputError');
    expect(fast).toBeUndefined();
    return false;
  }
  if (fast === undefined) return false;
  const { plainSpans, ...records } = fast;
  expect(records).toStrictEqual(expected);
  expect(plainSpans?.length).toBe(2 * fast.cells.length);
  const out = new CsvBytes({ escapeFormulas: true, dialect: { delimiter, lineEnding: '\n', bom: false, decimal: '.' } });
  fast.cells.forEach((cells, k) => {
    const start = plainSpans![2 * k]!;
    if (start < 0) {
      expect(plainSpans![2 * k + 1]).toBe(-1);
      return;
    }
    // A record called plain: its span is that record (its bytes parse to its cells), the writer
    // would write those bytes (isPlainRecord), and no cell is one the formula guard may change.
    let end = plainSpans![2 * k + 1]!;
    if (end > start && bytes[end - 1] === 0x0a) end--;
    if (end > start && bytes[end - 1] === 0x0d) end--;
    const record = bytes.subarray(start, end);
    expect(reference(record, record.toString('utf8'), dialect, 1)).toMatchObject({ cells: [cells] });
    expect(isPlainRecord(record, out.plainRule(cells.length))).toBe(true);
    expect(cells.some((c) => FORMULA_FIRST.has(c.charAt(0)))).toBe(false);
  });
  return true;
}

/** First characters of a cell the formula guard may change: the tokeniser never calls such a record plain. */
const FORMULA_FIRST = new Set(['=', '+', '-', '@', '\t', '\r', '\n', "'"]);

describe('fast tokeniser against csv-parse', () => {
  it(
    'clean RFC 4180 blocks: the fast path serves every one, with exactly csv-parse records',
    () => {
      fc.assert(
        fc.property(cleanBlock, fc.integer({ min: 1, max: 1000 }), ({ delimiter, text }, firstLine) => {
          expect(compare(text, delimiter, firstLine)).toBe(true);
        }),
        { numRuns: CLEAN_RUNS, seed: SEED },
      );
    },
    TIMEOUT,
  );

  it(
    'mutated blocks and small --max-record-size: identical records, or it gives up (always when csv-parse throws)',
    () => {
      let served = 0;
      let refused = 0;
      fc.assert(
        fc.property(mutatedBlock, fc.constantFrom(4, 9, 16, 40, DEFAULT_MAX_RECORD_SIZE), ({ delimiter, text }, maxRecordSize) => {
          if (compare(text, delimiter, 1, maxRecordSize)) served++;
          else refused++;
        }),
        { numRuns: MUTATED_RUNS, seed: SEED },
      );
      // Both sides of the property are exercised, not one of them only.
      expect(served).toBeGreaterThan(MUTATED_RUNS / 10);
      expect(refused).toBeGreaterThan(MUTATED_RUNS / 10);
    },
    TIMEOUT,
  );

  it(
    'random CSV-ish text: identical records, or it gives up (always when csv-parse throws)',
    () => {
      fc.assert(
        fc.property(chaosBlock, ([delimiter, text]) => {
          compare(text, delimiter, 1);
        }),
        { numRuns: CHAOS_RUNS, seed: SEED },
      );
    },
    TIMEOUT,
  );
});
