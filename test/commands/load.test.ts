import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { accountsData } from '../helpers/accounts.ts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { loadAccounts, mergeNotes } from '../../src/commands/load.ts';
import { readAccounts } from '../../src/index.ts';
import { fakeIo } from '../helpers/fake-io.ts';
import { REV_ONLY } from '../helpers/expected-csv.ts';

/** The read side every command shares (commands/load.ts -> schema/load.ts), end to end. */

async function kam(args: string[], cwd?: string) {
  const f = fakeIo(cwd === undefined ? {} : { cwd });
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kam-load-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('no valid row', () => {
  it('score and report stop with exit 1, and the rejected count promises no output', async () => {
    const dir = folder({ 'bad.csv': 'account_id,account_name,revenue,product_fit\nA1,,100,3\nA2,Beta,-5,4\n' });
    const stderr =
      'bad.csv:2: account_name: account name is required\n' +
      'bad.csv:3: revenue: must not be negative (got -5)\n' +
      'kam: 2 of 2 row(s) rejected\n' +
      'kam: warning: no column feeds potential, ltv, strategic: scores use volume and fit\n' +
      'kam: bad.csv: no valid rows (2 rejected): fix the rows above (kam validate bad.csv lists every issue)\n';
    for (const args of [
      ['score', 'bad.csv'],
      ['score', 'bad.csv', '--format', 'csv'],
      ['report', 'bad.csv', '-o', 'r.html'],
    ]) {
      expect(await kam(args, dir)).toEqual({ code: 1, stdout: '', stderr });
    }
  });
});

describe('the wrong kind of file (issue 9 item 7)', () => {
  it('an opportunities export as the accounts file: one message suggesting --deals, exit 1', async () => {
    const r = await kam(['score', 'fixtures/deals/opportunities.csv']);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "kam: fixtures/deals/opportunities.csv looks like an opportunities (deals) export, not an accounts file: it has the deal columns 'StageName', 'IsWon', 'CloseDate', 'Amount' and no column feeds the scoring model; give the accounts export first and this file with --deals: kam score ACCOUNTS.csv --deals fixtures/deals/opportunities.csv\n",
    });
    const v = await kam(['validate', 'fixtures/deals/pipeline-by-name.csv']);
    expect([v.code, v.stderr.split(':').slice(0, 2).join(':')]).toEqual([
      1,
      'kam: fixtures/deals/pipeline-by-name.csv looks like an opportunities (deals) export, not an accounts file',
    ]);
  });

  it('an accounts file given to --deals: one message, exit 1', async () => {
    const r = await kam(['score', 'fixtures/deals/accounts.csv', '--deals', 'fixtures/accounts.csv']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^kam: fixtures\/accounts\.csv looks like an accounts export, not a deals file: it has no close date or stage column, and has the account columns 'account_name', .*; give it as the accounts file and the opportunities export with --deals: kam score fixtures\/accounts\.csv --deals OPPORTUNITIES\.csv\n$/,
    );
  });
});

describe('currencies through the CLI (issue 9 item 5)', () => {
  const MIXED = 'account_id,account_name,revenue\nA,Alpha,"JPY 5,000,000"\nB,Beta,"USD 40,000"\nC,Gamma,"€9,000,000"\n';

  it('mixed currencies and no rates: one error asking for them, exit 1, nothing on stdout', async () => {
    const dir = folder({ 'mixed.csv': MIXED });
    const r = await kam(['score', 'mixed.csv'], dir);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'kam: mixed.csv: the amounts are in 3 currencies: JPY (1 row, first at line 2), USD (1 row, first at line 3), EUR (1 row, first at line 4); kam does not compare them without exchange rates: add to kam.config.json "currency": { "base": "JPY", "rates": { "USD": <JPY per 1 USD>, "EUR": <JPY per 1 EUR> } }\n',
    });
  });

  it('with the rates in the config: every amount converted, exit 0', async () => {
    const dir = folder({ 'mixed.csv': MIXED, 'kam.config.json': JSON.stringify({ currency: { base: 'USD', rates: { JPY: 0.0065, EUR: 1.1 } } }) });
    const r = await kam(['score', 'mixed.csv', '--format', 'json'], dir);
    expect([r.code, r.stderr]).toEqual([0, `kam: config kam.config.json applied\n${REV_ONLY}\n`]);
    // In USD: Alpha 32,500 < Beta 40,000 < Gamma 9,900,000 (unconverted, Beta's 40,000 would be the smallest).
    const rows = JSON.parse(r.stdout) as { account_name: string; kam_rank: number }[];
    expect(rows.map((x) => [x.kam_rank, x.account_name])).toEqual([
      [1, 'Gamma'],
      [2, 'Beta'],
      [3, 'Alpha'],
    ]);
  });
});

describe('rows that are not accounts (issue 9 item 6)', () => {
  it("a spreadsheet's Total row and blank rows are dropped with one note each, naming their lines", async () => {
    const dir = folder({ 'sheet.csv': 'account_id,account_name,revenue\nA,Alpha,100\n,,\nB,Beta,200\n\n,Total,300\n' });
    const r = await kam(['score', 'sheet.csv', '--format', 'csv'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      ['kam: skipped 2 blank rows inside the data (lines 3, 5)', "kam: dropped 1 totals row (not accounts): line 6 'Total'", REV_ONLY, ''].join('\n'),
    );
    expect(
      r.stdout
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split(',')[1]),
    ).toEqual(['Beta', 'Alpha']);
  });
});

describe('one read path (issue 9 item 9)', () => {
  it('the CLI and the library read a file into the same accounts, rejects and notes', async () => {
    const text = 'Kunde,Umsatz,currency\nA,"1.000,50",EUR\nB,oops,EUR\nSumme,,\nC,"2,5",Euro\n';
    const dir = folder({ 'a.csv': text });
    const cli = await loadAccounts(fakeIo({ cwd: dir }).io, 'a.csv', { map: ['Kunde=account_name', 'Umsatz=revenue'] });
    const lib = await readAccounts(join(dir, 'a.csv'), { map: ['Kunde=account_name', 'Umsatz=revenue'] });
    expect(accountsData(lib.parsed.accounts)).toEqual(accountsData(cli.parsed.accounts));
    expect(lib.parsed.rejected).toEqual(cli.parsed.rejected);
    expect(lib.parsed.notes).toEqual(cli.parsed.notes);
    expect([...lib.parsed.accounts.revenue]).toEqual([1000.5, 2.5]);
    expect(lib.parsed.notes).toEqual(["dropped 1 totals row (not accounts): line 4 'Summe'"]);
  });
});

describe('mergeNotes: the notes of several files by code, each once', () => {
  it('says a shared note once naming both files, warnings first by their level', () => {
    const lines = mergeNotes([
      {
        source: 'a.csv',
        notes: [
          { code: 'detected_dialect', encoding: 'utf-8', delimiter: ',' },
          { code: 'retention_and_churn', rows: 2 },
          { code: 'zero_rows', source: undefined },
        ],
      },
      {
        source: 'b.csv',
        notes: [
          { code: 'detected_dialect', encoding: 'utf-8', delimiter: ',' },
          { code: 'retention_and_churn', rows: 3 },
          { code: 'utf8_despite_encoding', source: 'b.csv', encoding: 'windows-1252' },
        ],
      },
    ]);
    expect(lines).toEqual([
      'kam: a.csv: warning: 0 data rows',
      "kam: b.csv: warning: b.csv is valid UTF-8: read as UTF-8, not as windows-1252 (which would turn every 'ü' into 'Ã¼'); drop --encoding",
      'kam: a.csv, b.csv: detected UTF-8, comma-delimited',
      'kam: a.csv: retention_rate and churn_risk both given on 2 rows: retention_rate used',
      'kam: b.csv: retention_rate and churn_risk both given on 3 rows: retention_rate used',
    ]);
  });

  it('takes no level from words inside a note: only the code says warning', () => {
    const lines = mergeNotes([
      {
        source: 'a.csv',
        notes: [
          { code: 'annotation_applied', header: 'x: warning: y', effect: 'in thousands' },
          { code: 'config_applied', path: 'k.json' },
        ],
      },
    ]);
    expect(lines).toEqual(['kam: a.csv: x: warning: y: in thousands, as the header says', 'kam: a.csv: config k.json applied']);
  });
});
