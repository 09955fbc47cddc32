/**
 * Issue 16, end to end: every workbook of fixtures/xlsx/ gives the same scores as the CSV
 * export of the same data beside it; `kam score x.xlsx -o out.xlsx` then `kam validate
 * out.xlsx` rejects nothing the input accepted, with identical values; the same input gives
 * the same bytes; the workbook opens in LibreOffice (skipped, saying why, without soffice).
 * Fixture sources: fixtures/README.md, "xlsx/".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { main } from '../../src/cli.ts';
import { readTable } from '../../src/io/read-table.ts';
import { fakeIo, ROOT } from '../helpers/fake-io.ts';

async function kam(args: string[], cwd?: string) {
  const f = fakeIo(cwd === undefined ? {} : { cwd });
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

/** kam's columns per row of an enriched CSV (kam_errors left out: it names lines, which differ). */
function kamColumns(csv: string): string[][] {
  const rows = parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), { columns: true });
  return rows.map((r) =>
    Object.entries(r)
      .filter(([k]) => k.startsWith('kam_') && k !== 'kam_errors')
      .map(([, v]) => v),
  );
}

const FIXTURES = ['dynamics365-active-accounts', 'salesforce-formatted-report', 'hubspot-companies', 'excel-quirks'];
const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
const hasSoffice = soffice.status === 0;

describe('xlsx fixtures score as their CSV twins', () => {
  it('the fixture folder holds each workbook and its CSV', () => {
    const files = readdirSync(join(ROOT, 'fixtures/xlsx')).sort();
    for (const f of FIXTURES) expect(files).toEqual(expect.arrayContaining([`${f}.xlsx`, `${f}.csv`]));
  });

  for (const f of FIXTURES) {
    it(`${f}: the same kam columns, row for row`, async () => {
      const x = await kam(['score', `fixtures/xlsx/${f}.xlsx`, '--format', 'csv', '--as-of', '2026-12-01', '--shortlist', '3']);
      const c = await kam(['score', `fixtures/xlsx/${f}.csv`, '--format', 'csv', '--as-of', '2026-12-01', '--shortlist', '3']);
      expect([x.code, c.code]).toEqual([0, 0]);
      const a = kamColumns(x.stdout);
      expect(a.length).toBeGreaterThanOrEqual(5);
      expect(a).toEqual(kamColumns(c.stdout));
      // Scores, not only blanks: the rated rows carry a score.
      expect(a.filter((r) => r[1] !== '').length).toBeGreaterThanOrEqual(4);
    });
  }

  it('the Dynamics export: hidden (Do Not Modify) columns and the hidden sheet are said, the columns ignored as in CSV', async () => {
    const r = await kam(['validate', 'fixtures/xlsx/dynamics365-active-accounts.xlsx']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("note: read sheet 'My Active Accounts'; the workbook also has 'hiddenSheet' (hidden): --sheet NAME reads another");
    expect(r.stdout).toContain(
      "note: columns hidden in the sheet, read like the others: A '(Do Not Modify) Account', B '(Do Not Modify) Row Checksum', C '(Do Not Modify) Modified On'",
    );
    const cols = await kam(['columns', 'fixtures/xlsx/dynamics365-active-accounts.xlsx', '--format', 'json']);
    const mapped = JSON.parse(cols.stdout) as { columns: { header: string; field: string | null }[] };
    expect(mapped.columns.filter((c) => c.header.startsWith('(Do Not Modify)')).map((c) => c.field)).toEqual([null, null, null]);
  });

  it('the Salesforce formatted report: title rows, merged groups, subtotals and footer named by their rows', async () => {
    const r = await kam(['score', 'fixtures/xlsx/salesforce-formatted-report.xlsx', '--format', 'csv', '--as-of', '2026-12-01']);
    expect(r.stderr.split('\n').slice(0, 4)).toEqual([
      'kam: dropped 2 title rows above the header (rows 1-2)',
      'kam: 2 merged ranges of rows read as their value on every row they cover',
      'kam: dropped 3 subtotal and total rows of a formatted report (rows 7, 11-12)',
      'kam: dropped a report footer (rows 14-15)',
    ]);
  });

  it('--sheet chooses a sheet by name or number; a sheet the workbook lacks is exit 2 naming its sheets', async () => {
    const byName = await kam(['validate', 'fixtures/xlsx/dynamics365-active-accounts.xlsx', '--sheet', 'My Active Accounts', '--format', 'json']);
    expect([byName.code, (JSON.parse(byName.stdout) as { rows: number }).rows]).toEqual([0, 6]);
    const missing = await kam(['score', 'fixtures/xlsx/dynamics365-active-accounts.xlsx', '--sheet', '3']);
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "kam: --sheet 3: fixtures/xlsx/dynamics365-active-accounts.xlsx has no such sheet; its sheets: 1 'My Active Accounts', 2 'hiddenSheet' (hidden)\n",
    });
  });

  it('Excel quirks: an id Excel holds as a number is flagged at its cell, as the CSV flags it at its line', async () => {
    const x = await kam(['validate', 'fixtures/xlsx/excel-quirks.xlsx']);
    const c = await kam(['validate', 'fixtures/xlsx/excel-quirks.csv']);
    expect([x.code, c.code]).toEqual([1, 1]);
    expect(x.stdout).toContain(
      'fixtures/xlsx/excel-quirks.xlsx:Accounts!A8: Account ID: looks like an id Excel converted to scientific notation (1.23456789012346E+18): re-export it as text',
    );
    expect(c.stdout).toContain(
      'fixtures/xlsx/excel-quirks.csv:7: Account ID: looks like an id Excel converted to scientific notation (1.23457E+18): re-export it as text',
    );
    const t = await readTable(join(ROOT, 'fixtures/xlsx/excel-quirks.xlsx'));
    // Text ids keep their zeros; 1904 dates, percents and currencies read as written.
    expect(t.records[0]!.cells).toEqual(['00123', 'Atlas Instruments', '2400000.00 €', '960000.00 EUR', '18.5%', '92%', '3.4%', '2026-06-30', '4']);
  });
});

describe('writing a workbook', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kam-xlsx-e2e-'));

  it('round trip: score x.xlsx -o out.xlsx, then validate out.xlsx rejects nothing new, values identical', async () => {
    for (const f of FIXTURES) {
      const out = join(dir, `${f}.out.xlsx`);
      const s = await kam(['score', `fixtures/xlsx/${f}.xlsx`, '-o', out, '--as-of', '2026-12-01', '--shortlist', '3']);
      expect(s.code).toBe(0);
      const input = await kam(['validate', `fixtures/xlsx/${f}.xlsx`, '--format', 'json']);
      const back = await kam(['validate', out, '--format', 'json']);
      const rejected = (r: { stdout: string }) => (JSON.parse(r.stdout) as { rejected: number }).rejected;
      expect(rejected(back)).toBe(rejected(input));
      // Every cell reads back as the text kam read from the input (rows in rank order, then rejected ones).
      const a = await readTable(join(ROOT, `fixtures/xlsx/${f}.xlsx`));
      const b = await readTable(out);
      const byText = (rows: readonly { cells: readonly string[] }[], width: number) => rows.map((r) => r.cells.slice(0, width).join('\u0001')).sort();
      expect(b.header.slice(0, a.header.length)).toEqual(a.header);
      expect(byText(b.records, a.header.length)).toEqual(byText(a.records, a.header.length));
      // And kam's own columns read back as kam score's CSV writes them.
      const csv = await kam(['score', `fixtures/xlsx/${f}.xlsx`, '--format', 'csv', '--as-of', '2026-12-01', '--shortlist', '3']);
      const kamBack = b.records.map((r) => r.cells.slice(a.header.length).filter((_, i) => b.header[a.header.length + i] !== 'kam_errors'));
      expect(kamBack).toEqual(kamColumns(csv.stdout));
    }
  });

  it('a CSV input written as a workbook reads back with its texts unchanged, numbers typed', async () => {
    const out = join(dir, 'accounts.xlsx');
    expect((await kam(['score', 'fixtures/accounts.csv', '-o', out, '--as-of', '2026-12-01'])).code).toBe(0);
    const a = await readTable(join(ROOT, 'fixtures/accounts.csv'));
    const b = await readTable(out);
    const texts = (t: { records: readonly { cells: readonly string[] }[] }, w: number) => t.records.map((r) => r.cells.slice(0, w).join('\u0001')).sort();
    expect(texts(b, a.header.length)).toEqual(texts(a, a.header.length));
    const sheet = spawnSync('unzip', ['-p', out, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    if (sheet.status === 0) {
      // Formula-safe: no <f> anywhere; frozen and filtered header.
      expect(sheet.stdout).not.toContain('<f>');
      expect(sheet.stdout).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
      expect(sheet.stdout).toMatch(/<autoFilter ref="A1:[A-Z]+41"\/>/);
    }
  });

  it('text that looks like a formula is a string cell, and reads back as written', async () => {
    const csv = join(dir, 'evil.csv');
    writeFileSync(csv, 'account_id,account_name,revenue\nA1,"=HYPERLINK(""http://x"")",100\nA2,+1+1,200\nA3,@SUM(A1),300\n');
    const out = join(dir, 'evil.xlsx');
    expect((await kam(['score', csv, '-o', out, '-q'])).code).toBe(0);
    const names = (await readTable(out)).records.map((r) => r.cells[1]).sort();
    expect(names).toEqual(['+1+1', '=HYPERLINK("http://x")', '@SUM(A1)']);
  });

  it('byte-stable: the same input gives the same bytes; fixed times in docProps and in every zip entry', async () => {
    const one = join(dir, 'one.xlsx');
    const two = join(dir, 'two.xlsx');
    await kam(['score', 'fixtures/accounts.csv', '-o', one, '--shortlist', '5', '-q']);
    await new Promise((r) => setTimeout(r, 1100));
    await kam(['score', 'fixtures/accounts.csv', '-o', two, '--shortlist', '5', '-q']);
    const a = readFileSync(one);
    expect(readFileSync(two).equals(a)).toBe(true);
    // Every local file header (PK\3\4) carries DOS time 0 and date 1980-01-01 (0x0021).
    for (let i = a.indexOf('PK\u0003\u0004'); i >= 0; i = a.indexOf('PK\u0003\u0004', i + 4))
      expect([a.readUInt16LE(i + 10), a.readUInt16LE(i + 12)]).toEqual([0, 0x21]);
    const core = spawnSync('unzip', ['-p', one, 'docProps/core.xml'], { encoding: 'utf8' });
    if (core.status === 0) expect(core.stdout).toContain('<dcterms:modified xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:modified>');
  });

  it('report --format xlsx adds the Matrix sheet with a scatter chart', async () => {
    const out = join(dir, 'report.xlsx');
    expect((await kam(['report', 'fixtures/accounts.csv', '-o', out, '--as-of', '2026-12-01', '-q'])).code).toBe(0);
    const t = await readTable(out, { sheet: 'Matrix' });
    expect(t.header).toEqual(['kam_tier', 'account', 'kam_current', 'kam_attractiveness']);
    const chart = spawnSync('unzip', ['-p', out, 'xl/charts/chart1.xml'], { encoding: 'utf8' });
    if (chart.status === 0) expect(chart.stdout).toContain('<c:scatterChart>');
  });

  it('a workbook is not written onto a terminal (exit 2)', async () => {
    const f = fakeIo({ stdoutIsTty: true });
    expect(await main(['score', 'fixtures/accounts.csv', '--format', 'xlsx'], f.io)).toBe(2);
    expect(f.stderr()).toBe('kam: a workbook is not for the terminal: name a file with -o NAME.xlsx (or redirect stdout)\n');
  });

  it.skipIf(!hasSoffice)(
    `opens in LibreOffice headless: its CSV of the Accounts sheet holds kam's values${hasSoffice ? '' : ' (soffice is not installed: apt-get install libreoffice-calc-nogui)'}`,
    () => {
      const out = join(dir, 'lo.xlsx');
      const run = spawnSync(
        process.execPath,
        [join(ROOT, 'bin/kam.js'), 'score', 'fixtures/xlsx/hubspot-companies.xlsx', '-o', out, '--as-of', '2026-12-01', '-q'],
        { cwd: ROOT, encoding: 'utf8' },
      );
      expect(run.status).toBe(0);
      const outdir = join(dir, 'lo');
      const lo = spawnSync(
        'soffice',
        ['--headless', '--norestore', `-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--convert-to', 'csv', '--outdir', outdir, out],
        { encoding: 'utf8', timeout: 120_000 },
      );
      expect(lo.status).toBe(0);
      const rows = parse<Record<string, string>>(readFileSync(join(outdir, 'lo.csv'), 'utf8'), { columns: true });
      const kamCsv = spawnSync(
        process.execPath,
        [join(ROOT, 'bin/kam.js'), 'score', 'fixtures/xlsx/hubspot-companies.xlsx', '--format', 'csv', '--as-of', '2026-12-01'],
        { cwd: ROOT, encoding: 'utf8' },
      );
      const want = parse<Record<string, string>>(kamCsv.stdout.replace(/^\uFEFF/, ''), { columns: true });
      expect(rows.map((r) => [r['Company name'], r['kam_tier'], Number(r['kam_score'])])).toEqual(
        want.map((r) => [r['Company name'], r['kam_tier'], Number(r['kam_score'])]),
      );
    },
    180_000,
  );
});
