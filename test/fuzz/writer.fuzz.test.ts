/**
 * Fuzzing the writer: whatever the cells, write-then-read (parseTable, which removes the
 * formula guard) gives every cell back exactly; the written text has exactly one leading
 * apostrophe more on a text cell starting with a formula character (and never on a plain
 * number). Without the guard, the reader still removes what looks like one (`'=1`).
 *
 * Reproduce a failure with the seed fast-check prints: FC_SEED=<seed> npx vitest run test/fuzz.
 * FC_RUNS raises the number of cases for a longer local run (never below 1,000).
 */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { memorySink } from '../helpers/fake-io.ts';
import { parseTable } from '../../src/io/read-table.ts';
import { fixed2 } from '../../src/io/format.ts';
import { CsvBytes, formatCsvCell, formatCsvRecord, formatCsvRecords, unescapeFormula, writeCsv, type CsvWriteOptions } from '../../src/io/write-csv.ts';
import { isNumberCell } from '../../src/schema/values.ts';

const SEED = Number(process.env['FC_SEED'] ?? 20261127);
const RUNS = Math.max(1000, Number(process.env['FC_RUNS'] ?? 0));
/** vitest's 60 s per test is for the default run; a long FC_RUNS run gets more. */
const TIMEOUT = 60_000 + RUNS * 10;
const OPTS = { numRuns: RUNS, seed: SEED };

/** Characters that start a formula in a spreadsheet (write-csv.ts documents this set). */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'] as const;
/** Characters a plain number may be made of (digits, sign, separators, exponent, percent). */
const NUMBERISH = /^[0-9+\-.,' eE%]+$/;

/** Any Unicode scalar value (no lone surrogates: those cannot be written as UTF-8 at all). */
const scalar = fc.integer({ min: 0, max: 0x10ffff - 0x800 }).map((n) => String.fromCodePoint(n >= 0xd800 ? n + 0x800 : n));
/** What decodeBytes lets through as text: no C0 controls but TAB, LF, CR (a NUL-heavy file is "not a text file"). */
const textScalar = scalar.filter((c) => c >= ' ' || c === '\t' || c === '\n' || c === '\r');
const special = fc.constantFrom('"', ',', ';', '\t', '|', '\r', '\n', '\r\n', ' ', "'", '\uFEFF', ...TRIGGERS);
const numberCell = fc.oneof(
  fc.integer({ min: -1e9, max: 1e9 }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x.toFixed(2)),
  fc.constantFrom('-3.5', '+42', '-1,234.50', '-1.234,50', '12%', '-5%', '1e5', '-2E-3', "1'000"),
);

/** Cells mixing formula triggers, quotes, delimiters and line breaks with arbitrary text. */
function cellOf(unit: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const text = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.string({ unit, maxLength: 8 }),
    fc.string({ unit: fc.oneof(special, unit), maxLength: 8 }),
  );
  return fc.oneof(
    { weight: 4, arbitrary: text },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...TRIGGERS), text).map(([t, s]) => t + s) },
    { weight: 1, arbitrary: numberCell },
  );
}

/**
 * Rows of equal width whose first cell has a non-blank character: a row whose only cell is
 * blank is indistinguishable from a blank line, which the reader skips by design (R16).
 */
function matrixOf(unit: fc.Arbitrary<string>): fc.Arbitrary<string[][]> {
  const cell = cellOf(unit);
  const first = cell.filter((c) => c.trim() !== '');
  return fc
    .integer({ min: 1, max: 5 })
    .chain((width) => fc.array(fc.tuple(first, fc.array(cell, { minLength: width - 1, maxLength: width - 1 })), { minLength: 1, maxLength: 6 }))
    .map((rows) => rows.map(([f, rest]) => [f, ...rest]));
}

/** Leading characters a spreadsheet may skip before it sees a formula trigger (write-csv.ts). */
const INVISIBLE = /^[\uFEFF\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\u061C]*/;
const startsFormula = (cell: string): boolean => TRIGGERS.some((t) => cell.replace(INVISIBLE, '').startsWith(t));

/**
 * The cell a spreadsheet-safe writer must produce: one apostrophe before a text cell that
 * starts a formula (after invisible characters) or already looks guarded, never on a number.
 */
function expectGuarded(original: string, read: string): void {
  if (read === original) {
    // Unchanged: then it starts no formula, or it is a plain number.
    if (startsFormula(original)) expect(original).toMatch(NUMBERISH);
    return;
  }
  expect(read).toBe(`'${original}`);
  expect(startsFormula(original) || unescapeFormula(original) !== original).toBe(true);
}

const header = (width: number): string[] => Array.from({ length: width }, (_, i) => `h${i + 1}`);

describe('writer fuzz: formatCsvRecords / writeCsv then read back', () => {
  it(
    'without the formula guard, csv-parse gives every cell back exactly (any Unicode)',
    () => {
      fc.assert(
        fc.property(matrixOf(scalar), (rows) => {
          const text = formatCsvRecords(rows, { escapeFormulas: false });
          expect(text.endsWith('\n')).toBe(true);
          expect(parse(text, { relax_column_count: false })).toEqual(rows);
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );

  it(
    'without the formula guard, parseTable gives every cell back exactly, on the right lines',
    async () => {
      await fc.assert(
        fc.asyncProperty(matrixOf(textScalar), async (rows) => {
          const sink = memorySink();
          const h = header(rows[0]!.length);
          await writeCsv(sink, h, rows, { escapeFormulas: false });
          const text = sink.text();
          expect(text).toBe(formatCsvRecords([h, ...rows], { escapeFormulas: false }));
          const table = parseTable(Buffer.from(text, 'utf8'), 'out.csv');
          expect(table.delimiter).toBe(',');
          expect(table.header).toEqual(h);
          // The reader removes what looks like kam's formula guard ('=1), as it was not written here.
          expect(table.records.map((r) => r.cells)).toEqual(rows.map((row) => row.map(unescapeFormula)));
          // Each record starts on the line after the previous one ends.
          let line = 2;
          for (const [k, r] of table.records.entries()) {
            expect(r.line).toBe(line);
            line += 1 + rows[k]!.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
          }
          expect(table.blankLines).toBe(0);
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );

  it(
    'with the formula guard: parseTable gives every cell back exactly (it removes the guard the writer added)',
    async () => {
      await fc.assert(
        fc.asyncProperty(matrixOf(textScalar), async (rows) => {
          const sink = memorySink();
          const h = header(rows[0]!.length);
          await writeCsv(sink, h, rows, { escapeFormulas: true });
          const table = parseTable(Buffer.from(sink.text(), 'utf8'), 'out.csv');
          expect(table.header).toEqual(h);
          expect(table.records.length).toBe(rows.length);
          expect(table.records.map((r) => r.cells)).toEqual(rows);
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );

  it(
    'in every dialect (delimiter, line ending, BOM), parseTable gives every cell back exactly',
    async () => {
      const dialect = fc.record({
        delimiter: fc.constantFrom(',', ';', '\t', '|'),
        lineEnding: fc.constantFrom('\n' as const, '\r\n' as const),
        bom: fc.boolean(),
        decimal: fc.constantFrom('.' as const, ',' as const),
      });
      await fc.assert(
        fc.asyncProperty(matrixOf(textScalar), dialect, async (rows, d) => {
          const sink = memorySink();
          const h = header(rows[0]!.length);
          await writeCsv(sink, h, rows, { escapeFormulas: true, dialect: d });
          const text = sink.text();
          expect(text.startsWith('\uFEFF')).toBe(d.bom);
          expect(text.endsWith(d.lineEnding)).toBe(true);
          const table = parseTable(Buffer.from(text, 'utf8'), 'out.csv', { delimiter: d.delimiter });
          expect(table.header).toEqual(h);
          expect(table.records.map((r) => r.cells)).toEqual(rows);
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );

  it(
    'with the formula guard, no written cell starts a formula unless it is a plain number',
    () => {
      fc.assert(
        fc.property(matrixOf(scalar), (rows) => {
          const back = parse(formatCsvRecords(rows, { escapeFormulas: true }));
          for (const [k, row] of back.entries()) {
            row.forEach((cell, j) => {
              expectGuarded(rows[k]![j]!, cell);
              if (TRIGGERS.some((t) => cell.startsWith(t))) expect(cell).toMatch(NUMBERISH);
            });
          }
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );
});

/** The dialects CsvBytes must write exactly as formatCsvRecord does, `§` a delimiter outside ASCII. */
const writeOptions: fc.Arbitrary<CsvWriteOptions> = fc.record({
  escapeFormulas: fc.boolean(),
  dialect: fc.record({
    delimiter: fc.constantFrom(',', ';', '\t', '|', '§'),
    lineEnding: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const),
    bom: fc.constant(false),
    decimal: fc.constantFrom('.' as const, ',' as const),
  }),
  isNumber: fc.constantFrom(
    undefined,
    (c: string) => isNumberCell(c, '.'),
    (c: string) => isNumberCell(c, ','),
  ),
});
/** kam's numbers: NaN (missing), 0..100 and 0..1 as the engine gives them, and any double (negative, huge). */
const kamNumber = fc.oneof(
  fc.constant(Number.NaN),
  fc.double({ min: 0, max: 100, noNaN: true }),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.integer({ min: 0, max: 10_000 }).map((k) => k / 100 + 0.005),
  fc.double({ noNaN: false }),
);

describe('writer fuzz: CsvBytes writes the bytes formatCsvRecord writes', () => {
  it(
    'text cells, whole numbers and two-decimal numbers, in every dialect, with and without the guard',
    () => {
      const rows = fc.array(
        fc.array(
          fc.oneof(
            { weight: 4, arbitrary: cellOf(textScalar).map((text) => ({ text })) },
            { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 32 }).map((uint) => ({ uint })) },
            { weight: 2, arbitrary: kamNumber.map((x) => ({ x })) },
          ),
          { minLength: 1, maxLength: 6 },
        ),
        { minLength: 1, maxLength: 5 },
      );
      fc.assert(
        fc.property(writeOptions, rows, (options, records) => {
          const decimal = options.dialect!.decimal;
          // A tiny buffer: growing it mid-record must not lose or reorder a byte.
          const bytes = new CsvBytes(options, 8);
          const chunks: Buffer[] = [];
          let expected = '';
          for (const record of records) {
            for (const c of record) {
              if ('text' in c) bytes.cell(c.text);
              else if ('uint' in c) bytes.uint(c.uint);
              else bytes.fixed2(c.x, decimal, fixed2);
            }
            bytes.end();
            // A sink is done with a chunk before the next take() (Sink.write): copied here, as memorySink decodes it.
            if (bytes.size > 16) chunks.push(Buffer.from(bytes.take()));
            const cells = record.map((c) => ('text' in c ? c.text : 'uint' in c ? String(c.uint) : fixed2(Number.isNaN(c.x) ? undefined : c.x, decimal)));
            expected += formatCsvRecord(cells, options);
          }
          chunks.push(Buffer.from(bytes.take()));
          expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );

  it(
    'a cell alone is formatCsvCell encoded as UTF-8',
    () => {
      fc.assert(
        fc.property(writeOptions, cellOf(scalar), (options, cell) => {
          const bytes = new CsvBytes(options);
          bytes.cell(cell);
          expect(bytes.take().toString('utf8')).toBe(formatCsvCell(cell, options.escapeFormulas, options.dialect!.delimiter, options.isNumber));
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );
});
