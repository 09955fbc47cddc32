/**
 * Fuzzing the reader (parseTable): random CSV-ish text and random bytes never make it throw
 * anything but kam's own errors, and what it returns agrees with a small independent
 * RFC 4180 reference parser (records, cells, physical lines, blank-line skipping).
 *
 * Reproduce a failure with the seed fast-check prints: FC_SEED=<seed> npx vitest run test/fuzz.
 * FC_RUNS raises the number of cases for a longer local run (never below 1,000).
 */
import { parse as csvParse } from 'csv-parse/sync';
import { textValues } from '../../src/core/text-column.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KamError } from '../../src/errors.ts';
import { parseTable, type RawTable } from '../../src/io/read-table.ts';
import { parseAccounts, type ParsedAccounts, type ValueSettings } from '../../src/schema/account.ts';
import { ACCOUNT_FIELDS } from '../../src/schema/fields.ts';
import { mapColumns } from '../../src/schema/mapping.ts';
import { DEFAULT_RATING_WORDS, type Decimal } from '../../src/schema/values.ts';

const SEED = Number(process.env['FC_SEED'] ?? 20261127);
const RUNS = Math.max(1000, Number(process.env['FC_RUNS'] ?? 0));
/** vitest's 60 s per test is for the default run; a long FC_RUNS run gets more. */
const TIMEOUT = 60_000 + RUNS * 10;
const OPTS = { numRuns: RUNS, seed: SEED };

/** The CSV-ish alphabet of the issue: quotes, the four delimiters, all line endings, BOM, é, =. */
const CSV_CHARS = ['a', '"', ',', ';', '\t', '|', '\n', '\r', ' ', '\uFEFF', 'é', '='] as const;
const csvText = fc.string({ unit: fc.constantFrom(...CSV_CHARS), maxLength: 80 });
/** The same without quotes: every such text is valid CSV, so the happy path gets exercised. */
const quoteFreeText = fc.string({ unit: fc.constantFrom(...CSV_CHARS.filter((c) => c !== '"')), maxLength: 80 });
/** Well-formed records (one delimiter per file, any line endings): mostly valid, quoted CSV. */
const field = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', ' ', 'é', '=', '\uFEFF'), maxLength: 4 }),
  fc.string({ unit: fc.constantFrom(...CSV_CHARS), maxLength: 6 }).map((s) => `"${s.replaceAll('"', '""')}"`),
);
const headerName = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '='), minLength: 1, maxLength: 3 });
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const structuredText = fc
  .tuple(
    fc.constantFrom(',', ';', '\t', '|'),
    fc.uniqueArray(headerName, { minLength: 1, maxLength: 4 }),
    fc.array(fc.tuple(fc.array(field, { minLength: 1, maxLength: 5 }), lineEnd), { maxLength: 8 }),
    lineEnd,
    fc.boolean(),
  )
  .map(([d, header, rows, end, endsWithBreak]) => {
    const body = rows.map(([cells, eol]) => eol + cells.join(d)).join('');
    return header.join(d) + body + (endsWithBreak ? end : '');
  });
const baseText = fc.oneof(csvText, quoteFreeText, structuredText);
/** Sometimes behind an Excel 'sep=' line (R10), quoted or not, with any line ending. */
const anyText = fc.oneof(
  { weight: 4, arbitrary: baseText },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('sep=', 'SEP=', '"sep='), fc.constantFrom(',', ';', '\t', '|', 'a', ' '), lineEnd, baseText)
      .map(([sep, d, eol, text]) => `${sep}${d}${sep.startsWith('"') ? '"' : ''}${eol}${text}`),
  },
);

const BOMS: readonly (readonly number[])[] = [[], [0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf]];
/** Mostly CSV bytes with NULs, controls and broken UTF-8 sprinkled in, so more cases get past decoding. */
const csvishByte = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0x61, 0x22, 0x2c, 0x3b, 0x09, 0x7c, 0x0a, 0x0d, 0x20, 0x3d) },
  { weight: 1, arbitrary: fc.constantFrom(0x00, 0x01, 0x1a, 0x7f, 0xc3, 0xa9, 0xef, 0xbb, 0xbf, 0xff, 0xfe, 0x80) },
);
const randomBytes = fc
  .tuple(fc.constantFrom(...BOMS), fc.oneof(fc.uint8Array({ maxLength: 120 }), fc.array(csvishByte, { maxLength: 120 })))
  .map(([bom, body]) => Uint8Array.from([...bom, ...body]));

const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;

/** What parseTable did: a table, or the name and message of what it threw. */
type Outcome = { readonly table: RawTable } | { readonly error: unknown };

function run(bytes: Uint8Array, delimiter?: string, encoding?: string): Outcome {
  try {
    return { table: parseTable(bytes, 'in.csv', { delimiter, encoding }) };
  } catch (error) {
    return { error };
  }
}

/** Throws (failing the property) unless `error` is one of kam's own reported errors. */
function expectKamError(error: unknown): KamError {
  if (!(error instanceof KamError)) {
    throw new Error(
      `not a KamError: ${error instanceof Error ? error.constructor.name : typeof error}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
  expect(['InputError', 'UsageError']).toContain(error.name);
  return error;
}

/** Invariants of any returned table: lines after the header, strictly increasing, cells sane. */
function expectTableInvariants(t: RawTable, text: string | undefined): void {
  let previous = t.headerLine;
  for (const r of t.records) {
    expect(r.line).toBeGreaterThan(previous);
    previous = r.line;
  }
  for (const f of t.footerLines) expect(f).toBeGreaterThan(t.headerLine);
  // Without quotes no value can hold a line break (and so no stray '\r' from a CRLF).
  if (text !== undefined && !text.includes('"')) {
    for (const cell of [...t.header, ...t.records.flatMap((r) => r.cells)]) expect(cell).not.toMatch(/[\r\n]/);
  }
}

// ---------------------------------------------------------------------------------------
// The reference: RFC 4180 as csv-parse applies it (no relaxations), written from the RFC.

interface RefRecord {
  readonly line: number;
  readonly cells: string[];
  /** A single unquoted field of whitespace only, or several fields all empty or spaces (',,,' as Excel writes a blank row): a blank line for the reader. */
  readonly blank: boolean;
  /** Physical lines the record spans. */
  readonly lines: number;
}
type RefResult =
  { readonly ok: true; readonly records: RefRecord[] } | { readonly ok: false; readonly kind: 'unclosed' | 'opening' | 'closing'; readonly line: number };

/** Splits `text` (BOM and sep= line already removed) whose first line is `firstLine`. */
function referenceParse(text: string, delimiter: string, firstLine: number): RefResult {
  const records: RefRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = firstLine;
  /** Length of the line break at j (2 for CRLF), or 0. */
  const breakAt = (j: number): number => (text[j] === '\r' ? (text[j + 1] === '\n' ? 2 : 1) : text[j] === '\n' ? 1 : 0);
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let quotedAny = false;
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        quotedAny = true;
        i++;
        for (;;) {
          if (i >= n) return { ok: false, kind: 'unclosed', line: start };
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          const b = breakAt(i);
          if (b > 0) {
            value += text.slice(i, i + b);
            line++;
            i += b;
          } else value += text[i++]!;
        }
        if (i < n && text[i] !== delimiter && breakAt(i) === 0) return { ok: false, kind: 'closing', line };
      } else {
        while (i < n && text[i] !== delimiter && breakAt(i) === 0) {
          if (text[i] === '"') return { ok: false, kind: 'opening', line };
          value += text[i++]!;
        }
      }
      cells.push(value);
      if (i < n && text[i] === delimiter) {
        i++;
        if (i >= n) {
          cells.push('');
          break;
        }
        continue;
      }
      break;
    }
    const b = breakAt(i);
    i += b;
    line++;
    records.push({
      line: start,
      cells,
      blank: cells.length === 1 ? !quotedAny && (cells[0] ?? '').trim() === '' : cells.every((c) => c.trim() === ''),
      lines: line - start,
    });
  }
  return { ok: true, records };
}

/** Excel's sep= line, as documented in read-table.ts (R10). */
const SEP_LINE = /^(?:sep=([^\r\n"])|"sep=([^\r\n"])")(?:\r\n|\n|\r|$)/i;

/** The decoded text of UTF-8 bytes built from `text`: one leading BOM is the encoding's. */
const decoded = (text: string): string => (text.startsWith('\uFEFF') ? text.slice(1) : text);

/**
 * Checks a returned table against the reference: same header, same records (apart from a
 * dropped trailing empty column and a dropped report footer), same lines, same blank count.
 */
function expectMatchesReference(t: RawTable, text: string): void {
  let body = decoded(text);
  let firstLine = 1;
  const sep = SEP_LINE.exec(body);
  if (sep !== null) {
    body = body.slice(sep[0].length);
    firstLine = 2;
  }
  const ref = referenceParse(body, t.delimiter, firstLine);
  if (!ref.ok) throw new Error(`kam accepted text the reference rejects (${ref.kind} quote at line ${ref.line})`);
  const kept = ref.records.filter((r) => !r.blank);
  const blankLines = ref.records.filter((r) => r.blank).reduce((s, r) => s + r.lines, 0);
  const [header, ...data] = kept;
  expect(header?.line).toBe(t.headerLine);
  const droppedLast = header !== undefined && t.header.length === header.cells.length - 1;
  const expectedHeader = droppedLast ? header.cells.slice(0, -1) : header?.cells;
  expect(t.header).toEqual(expectedHeader);
  const width = header?.cells.length ?? 0;
  const expectedRecords = data.map((r) => ({
    line: r.line,
    cells: droppedLast && r.cells.length === width ? r.cells.slice(0, -1) : r.cells,
  }));
  expect(t.records).toEqual(expectedRecords.slice(0, t.records.length));
  expect(expectedRecords.slice(t.records.length).map((r) => r.line)).toEqual(t.footerLines);
  expect(t.blankLines).toBe(blankLines);
}

/** `in.csv:<line>: ...` -> line, for errors that name one. */
function errorLine(error: KamError): number | undefined {
  const m = /^in\.csv:(\d+): /.exec(error.message);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

describe('reader fuzz: parseTable', () => {
  it(
    'CSV-ish text: a table that matches the RFC 4180 reference, or a KamError',
    () => {
      fc.assert(
        fc.property(anyText, (text) => {
          const out = run(Buffer.from(text, 'utf8'));
          if ('error' in out) {
            expectKamError(out.error);
            return;
          }
          expectTableInvariants(out.table, text);
          expectMatchesReference(out.table, text);
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );

  it(
    'CSV-ish text with --delimiter: fails exactly when the reference does, at the same line',
    () => {
      fc.assert(
        fc.property(anyText, fc.constantFrom(...CANDIDATE_DELIMITERS), (text, delimiter) => {
          const out = run(Buffer.from(text, 'utf8'), delimiter);
          let body = decoded(text);
          let firstLine = 1;
          const sep = SEP_LINE.exec(body);
          if (sep !== null) {
            body = body.slice(sep[0].length);
            firstLine = 2;
          }
          const ref = referenceParse(body, delimiter, firstLine);
          if ('table' in out) {
            expect(out.table.delimiter).toBe(delimiter);
            expectTableInvariants(out.table, text);
            expectMatchesReference(out.table, text);
            return;
          }
          const error = expectKamError(out.error);
          if (!/\S/.test(body)) {
            expect(error.message).toBe('in.csv: input is empty: no header row');
          } else if (ref.ok) {
            // Valid CSV can only fail on its header (or have no header row at all).
            expect(error.message).toMatch(/^in\.csv(:\d+)?: (column \d+ has an empty header name|duplicate column |input is empty)/);
          } else {
            const expected = { unclosed: 'unclosed quote', opening: 'quote in an unquoted field', closing: 'unexpected text after a closing quote' };
            expect(error.message).toContain(expected[ref.kind]);
            expect(errorLine(error)).toBe(ref.line);
          }
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );

  it(
    'random bytes (with and without BOMs, with and without --encoding): a table or a KamError, never a crash',
    () => {
      fc.assert(
        fc.property(randomBytes, fc.constantFrom(undefined, 'windows-1252', 'utf-16le', 'UTF-16BE', 'shift_jis', 'no-such-encoding'), (bytes, encoding) => {
          const out = run(bytes, undefined, encoding);
          if ('error' in out) expectKamError(out.error);
          else expectTableInvariants(out.table, undefined);
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );

  it(
    'CSV-ish text as UTF-16LE/BE with a BOM: the same records as the UTF-8 file',
    () => {
      fc.assert(
        fc.property(anyText, fc.constantFrom('utf-16le', 'utf-16be'), (text, encoding) => {
          // Both files start with their encoding's BOM, so each loses exactly that one character.
          const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
          if (encoding === 'utf-16be') le.swap16();
          const wide = run(le);
          const utf8 = run(Buffer.from(`\uFEFF${text}`, 'utf8'));
          if ('error' in wide) {
            expectKamError(wide.error);
            return;
          }
          expectTableInvariants(wide.table, text);
          if ('table' in utf8 && utf8.table.delimiter === wide.table.delimiter) {
            expect(wide.table.records).toEqual(utf8.table.records);
            expect(wide.table.header).toEqual(utf8.table.header);
          }
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------
// The streaming reader (issue 13 item 1): blocks of any size read exactly as the whole input.

/** A table or an error as plain data: everything a caller can see of it. */
function observed(bytes: Uint8Array, options: Parameters<typeof parseTable>[2]): unknown {
  try {
    const t = parseTable(bytes, 'in.csv', options);
    const spans = t.records.map((_, r) => t.recordBytes(r));
    return { ...t, spans: spans.map((b) => (b === undefined ? undefined : Buffer.from(b).toString('latin1'))) };
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
}

describe('reader fuzz: record-aligned blocks', () => {
  it(
    'any block size (1 to 17 bytes, and records longer than a block) gives the table or the error of the one-block read',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            anyText.map((t) => Buffer.from(t, 'utf8')),
            anyText.map((t) => Buffer.from(`\uFEFF${t}`, 'utf8')),
            randomBytes,
          ),
          fc.integer({ min: 1, max: 17 }),
          fc.constantFrom(undefined, 4, 16),
          (bytes, blockBytes, maxRecordSize) => {
            expect(observed(bytes, { blockBytes, maxRecordSize })).toEqual(observed(bytes, { maxRecordSize }));
          },
        ),
        OPTS,
      );
    },
    TIMEOUT,
  );

  it(
    "recordBytes(r) is record r's bytes without its line ending: csv-parse reads them back as cellsOf(r)",
    () => {
      fc.assert(
        fc.property(anyText, fc.integer({ min: 1, max: 17 }), (text, blockBytes) => {
          const bytes = Buffer.from(text, 'utf8');
          let t: RawTable;
          try {
            t = parseTable(bytes, 'in.csv', { blockBytes });
          } catch {
            return;
          }
          for (let r = 0; r < t.records.length; r++) {
            const own = t.recordBytes(r);
            if (own === undefined) continue;
            const cells: string[][] = csvParse(Buffer.from(own), {
              delimiter: t.delimiter,
              relax_column_count: true,
              record_delimiter: ['\r\n', '\n', '\r'],
              bom: false,
            });
            expect(cells.length === 0 ? [''] : cells[0]).toEqual(t.cellsOf(r));
            expect(cells.length).toBeLessThanOrEqual(1);
          }
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------
// The whole read side: parseTable -> mapColumns -> parseAccounts.

const HEADER_POOL = [
  ...ACCOUNT_FIELDS,
  'Account Name',
  'Annual Revenue',
  'Account ID',
  'Organization - Name',
  'Reference Customer',
  'Owner',
  'notes',
  'x',
  '=cmd',
  'Revenue (LTM)',
  '__proto__',
  'constructor',
] as const;
const CELL_POOL = [
  '',
  ' ',
  '\u00A0',
  '0',
  '42',
  '-3',
  '7.5',
  '1.5',
  '1,5',
  '1.234',
  '1,234',
  '1,234.50',
  '1.234,50',
  '$1,200',
  '€ 3.400,00',
  'USD 900',
  '(1,000)',
  '1k',
  '2.5m',
  '12%',
  '-5 %',
  '0.35',
  '150%',
  '95',
  '3',
  '5',
  '10',
  'high',
  'Low',
  'hot',
  'yes',
  'no',
  'x',
  'EUR',
  'USD',
  'usd',
  'GBP',
  'Acme',
  'ACC-1',
  'ACC-1 ',
  'zcrm_123',
  "'00123",
  '=1+1',
  '+cmd|/c calc',
  '-2+3',
  '@SUM(A1)',
  '#N/A',
  '#div/0!',
  '1.23457E+11',
  '6.0E7',
  '1e308',
  '9e307',
  '1e400',
  '1e-400',
  'NaN',
  'Infinity',
  '\u0000',
  'a\nb',
  '\u200B7',
  '  7  ',
  '\uFF11\uFF12',
  '−4',
  '1 000',
  "1'000",
] as const;
/** Mostly small numbers and blanks (valid in nearly every column), so that many rows pass. */
const cellArb = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('', '1', '3', '4', '5', '20') },
  { weight: 1, arbitrary: fc.constantFrom(...CELL_POOL) },
  // Extremes next to currencies: a converted amount must still be a finite number.
  { weight: 2, arbitrary: fc.constantFrom('1e308', '1.7976931348623157e308', 'GBP', 'GBP') },
);
const FLAG_KEYS = ['reference_customer', 'Reference Customer', 'notes'] as const;

/** One cell as CSV text: quoted when it must be, and sometimes when it need not. */
function csvCell(cell: string, _delimiter: string, forceQuote: boolean): string {
  return forceQuote || /["\r\n,;\t|]/.test(cell) || cell !== cell.trim() ? `"${cell.replaceAll('"', '""')}"` : cell;
}

const readSideCase = fc
  .record({
    header: fc.oneof(
      { weight: 9, arbitrary: fc.shuffledSubarray([...HEADER_POOL], { minLength: 1, maxLength: 9 }) },
      { weight: 1, arbitrary: fc.array(fc.constantFrom(...HEADER_POOL, ''), { minLength: 1, maxLength: 6 }) },
    ),
    withName: fc.nat({ max: 9 }),
    rows: fc.array(fc.tuple(fc.array(cellArb, { minLength: 10, maxLength: 10 }), fc.constantFrom(0, 0, 0, 0, 1, -1)), {
      maxLength: 12,
    }),
    delimiter: fc.constantFrom(',', ';', '\t'),
    quoteAll: fc.boolean(),
    decimal: fc.constantFrom<Decimal | undefined>(undefined, undefined, '.', ','),
    currency: fc.constantFrom<ValueSettings['currency']>(undefined, { base: 'EUR', rates: { USD: 0.9, GBP: 1.5 } }),
    flagColumns: fc.subarray([...FLAG_KEYS]),
  })
  .map((c) => {
    // Most cases have a name column, so that rows get as far as validation.
    const header = c.withName > 0 && !c.header.includes('account_name') ? [...c.header, 'account_name'] : c.header;
    if (c.withName > 0) header.splice(c.withName % header.length, 0, ...header.splice(header.length - 1, 1));
    const lines = [header, ...c.rows.map(([cells, ragged]) => cells.slice(0, Math.max(0, header.length + ragged)))].map((cells) =>
      cells.map((cell) => csvCell(cell, c.delimiter, c.quoteAll)).join(c.delimiter),
    );
    return { ...c, header, text: lines.join('\n') + '\n' };
  });

type ReadSideCase = typeof readSideCase extends fc.Arbitrary<infer T> ? T : never;

/** The library path of every reading command, with only the library calls inside the try. */
function readSide(c: ReadSideCase): { table: RawTable; parsed: ParsedAccounts } | { error: unknown } {
  try {
    const table = parseTable(Buffer.from(c.text, 'utf8'), 'in.csv');
    const mapping = mapColumns(table.header, 'accounts');
    const settings = { decimal: c.decimal, ratingWords: DEFAULT_RATING_WORDS, currency: c.currency, flagColumns: c.flagColumns };
    return { table, parsed: parseAccounts(table, mapping, settings) };
  } catch (error) {
    return { error };
  }
}

describe('reader fuzz: parseTable + mapColumns + parseAccounts', () => {
  it(
    'never throws but KamError, and accounts for every record exactly once',
    () => {
      fc.assert(
        fc.property(readSideCase, (c) => {
          const read = readSide(c);
          if ('error' in read) {
            expectKamError(read.error);
            return;
          }
          const { table, parsed } = read;
          const n = table.records.length;
          const { accounts, recordIndex, rejected, dropped } = parsed;
          // Totals rows (issue 9 item 6) are the third way a record is accounted for.
          expect(accounts.n + rejected.length + dropped.length).toBe(n);
          const seen = [...recordIndex, ...rejected.map((r) => r.recordIndex), ...dropped.map((d) => d.recordIndex)].sort((a, b) => a - b);
          expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
          for (const r of rejected) {
            const line = table.records[r.recordIndex]!.line;
            expect(r.line).toBe(line);
            expect(r.issues.length).toBeGreaterThan(0);
            for (const issue of r.issues) {
              expect(issue.line).toBe(line);
              expect([...table.header, '(row)']).toContain(issue.column);
            }
          }
          // What gets through is what the engine may trust (core/types.ts): ids unique and
          // non-empty, numbers finite or NaN (missing), fractions and ratings in range.
          const ids = textValues(accounts.id);
          expect(new Set(ids).size).toBe(accounts.n);
          for (const id of ids) expect(id?.trim() ?? '').not.toBe('');
          const inRange = (name: string, xs: Float64Array, min: number, max: number): void => {
            for (const x of xs) if (!Number.isNaN(x) && !(x >= min && x <= max)) throw new Error(`${name}: ${x} outside ${min}..${max}`);
          };
          const big = Number.MAX_VALUE;
          inRange('revenue', accounts.revenue, 0, big);
          inRange('companyRevenue', accounts.companyRevenue, 0, big);
          inRange('potentialRevenue', accounts.potentialRevenue, 0, big);
          inRange('pipeline', accounts.pipeline, 0, big);
          inRange('growthRate', accounts.growthRate, -big, big);
          inRange('grossMargin', accounts.grossMargin, -1, 1);
          inRange('retentionRate', accounts.retentionRate, 0, 1);
          inRange('productFit', accounts.productFit, 0, 100);
          inRange('strategicValue', accounts.strategicValue, 0, 100);
          inRange('employees', accounts.employees, 0, big);
        }),
        OPTS,
      );
    },
    TIMEOUT,
  );
});
