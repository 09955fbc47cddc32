/**
 * The write side every command shares (commands/output.ts, issue 10 item 3): --quiet,
 * the format an -o name implies, kam report on a terminal, diff -o / --deals / --as-of,
 * one format vocabulary, the config note, and kam-like column names (item 1).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo, type FakeIoOptions } from '../helpers/fake-io.ts';
import { parseTable } from '../../src/io/read-table.ts';

async function kam(args: string[], opts: FakeIoOptions = {}) {
  const f = fakeIo(opts);
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kam-output-'));
const DE = 'fixtures/excel-de/accounts.csv';
const BEFORE = 'fixtures/weekly/accounts-2026-11-20.csv';
const AFTER = 'fixtures/weekly/accounts-2026-11-27.csv';

describe('--quiet: errors only', () => {
  it('score: the notes a German-Excel export gives are gone with --quiet, the data is the same', async () => {
    const loud = await kam(['score', DE, '--format', 'csv']);
    expect(loud.stderr).toBe('kam: detected UTF-8 (BOM), semicolon-delimited\nkam: retention_rate and churn_risk both given on 1 row: retention_rate used\n');
    const quiet = await kam(['score', DE, '--format', 'csv', '--quiet']);
    expect(quiet).toEqual({ code: 0, stdout: loud.stdout, stderr: '' });
  });

  it('score: rejected rows are errors, so they are still listed; the wrote line is not', async () => {
    const d = tmp();
    writeFileSync(join(d, 'in.csv'), 'account_id,account_name,revenue\nA,Alpha,100\nB,Beta,abc\n');
    expect(await kam(['score', 'in.csv', '-o', 'out.csv', '--quiet'], { cwd: d })).toEqual({
      code: 0,
      stdout: '',
      stderr: "in.csv:3: revenue: 'abc' is not an amount\nkam: 1 of 2 row(s) rejected (kept as tier Invalid with the reason in kam_errors)\n",
    });
  });

  it('every command takes it and says nothing on stderr when all is well', async () => {
    const d = tmp();
    for (const args of [
      ['validate', DE],
      ['columns', DE],
      ['explain', DE, 'Cartech'],
      ['diff', BEFORE, AFTER, '--format', 'json'],
      ['report', DE, '--format', 'md'],
      ['init', '--output', join(d, 'k.json')],
      ['config', 'schema'],
    ]) {
      const r = await kam([...args, '--quiet']);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
  });

  it('score, report and robust: the gates, the overrides and constant signals are notes and warnings, gone with --quiet', async () => {
    const d = tmp();
    // Every revenue equal: the constant-signals warning; one gate that fires, one with no value to judge.
    writeFileSync(join(d, 'in.csv'), 'account_id,account_name,industry,revenue\nA,Alpha,Tobacco,100\nB,Beta,,100\nC,Gamma,Retail,100\n');
    writeFileSync(join(d, 'kam.json'), JSON.stringify({ gates: ['industry = Tobacco'] }));
    writeFileSync(join(d, 'ov.csv'), 'account_id,tier,reason,owner,expires\nC,Key,board decision,Ana,2026-12-10\nZ,Key,gone,Ana,2027-01-01\n');
    const loud = await kam(['score', 'in.csv', '--format', 'csv', '--config', 'kam.json', '--overrides', 'ov.csv', '--as-of', '2026-12-01'], { cwd: d });
    expect(loud.stderr.split('\n').filter((l) => l !== '').length).toBeGreaterThanOrEqual(4);
    const quiet = await kam(['score', 'in.csv', '--format', 'csv', '--config', 'kam.json', '--overrides', 'ov.csv', '--as-of', '2026-12-01', '-q'], { cwd: d });
    expect(quiet).toEqual({ code: 0, stdout: loud.stdout, stderr: '' });
    for (const args of [
      ['report', 'in.csv', '--format', 'md', '--config', 'kam.json'],
      ['robust', 'in.csv', '--samples', '50', '--format', 'csv', '--config', 'kam.json'],
    ]) {
      const r = await kam([...args, '--quiet'], { cwd: d });
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
  });

  it('a usage error still reaches stderr (exit 2)', async () => {
    expect(await kam(['score', 'no-such-file.csv', '--quiet'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kam: cannot open no-such-file.csv: ENOENT (no such file)\n',
    });
  });
});

describe('each note once, saying which file', () => {
  it('score --deals: a note of the deals file names it, so the same note of the accounts file is not repeated anonymously', async () => {
    const d = tmp();
    writeFileSync(join(d, 'deals.csv'), '\uFEFFAccountId;StageName;Amount;IsClosed;IsWon;CloseDate\nACC-1003;Closed Won;1000;true;true;2026-10-01\n');
    const r = await kam(['score', join(process.cwd(), DE), '--deals', 'deals.csv', '--as-of', '2026-11-27', '-o', 'out.csv'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('detected'))).toEqual([
      'kam: detected UTF-8 (BOM), semicolon-delimited',
      'kam: deals.csv: detected UTF-8 (BOM), semicolon-delimited',
    ]);
  });
});

describe('-o picks the format from the file name, or refuses a mismatch (exit 2)', () => {
  it('score -o x.json writes JSON, -o x.md Markdown', async () => {
    const d = tmp();
    expect((await kam(['score', DE, '-o', join(d, 'x.json'), '--quiet'])).code).toBe(0);
    expect(readFileSync(join(d, 'x.json'), 'utf8').startsWith('[\n{"account_id":"ACC-1003"')).toBe(true);
    expect((await kam(['score', DE, '-o', join(d, 'x.md'), '--quiet'])).code).toBe(0);
    expect(readFileSync(join(d, 'x.md'), 'utf8').startsWith('| Rank |')).toBe(true);
  });

  it('a --format the name contradicts, or a format the command cannot write, is exit 2 and writes nothing', async () => {
    const d = tmp();
    expect(await kam(['score', DE, '-o', join(d, 'x.json'), '--format', 'csv'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `kam: -o ${join(d, 'x.json')}: the file name says json but --format is csv: rename the file or change --format\n`,
    });
    expect(await kam(['report', DE, '-o', join(d, 'r.csv')])).toEqual({
      code: 2,
      stdout: '',
      stderr: `kam: -o ${join(d, 'r.csv')}: kam report writes html, md, xlsx, not csv: name the file for one of them\n`,
    });
    expect(await kam(['diff', BEFORE, AFTER, '-o', join(d, 'd.ndjson')])).toEqual({
      code: 2,
      stdout: '',
      stderr: `kam: -o ${join(d, 'd.ndjson')}: kam diff writes table, csv, json, md, not ndjson: name the file for one of them\n`,
    });
    expect(readdirSync(d)).toEqual([]);
  });

  it('-o x.txt writes the table (as a terminal would show it, without colour or width)', async () => {
    const d = tmp();
    expect((await kam(['score', DE, '-o', join(d, 'x.txt'), '--quiet'])).code).toBe(0);
    expect((await kam(['diff', BEFORE, AFTER, '-o', join(d, 'd.txt'), '--quiet'])).code).toBe(0);
    expect(readFileSync(join(d, 'x.txt'), 'utf8')).toBe((await kam(['score', DE, '--format', 'table', '--quiet'])).stdout);
    expect(readFileSync(join(d, 'd.txt'), 'utf8')).toBe((await kam(['diff', BEFORE, AFTER, '--format', 'table', '--quiet'])).stdout);
  });

  it('report -o x.md writes Markdown without --format', async () => {
    const d = tmp();
    expect((await kam(['report', DE, '-o', join(d, 'r.md'), '--quiet'])).code).toBe(0);
    expect(readFileSync(join(d, 'r.md'), 'utf8').startsWith('# Key account report\n\naccounts.csv · as of 2026-11-27')).toBe(true);
  });
});

describe('kam report on a terminal', () => {
  it('without -o asks for it instead of printing HTML (exit 2)', async () => {
    expect(await kam(['report', DE], { stdoutIsTty: true })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kam: report: stdout is a terminal: write the report to a file with -o report.html (or pipe it)\n',
    });
  });

  it('names the file, not the path it was read from, in the title and the header', async () => {
    const r = await kam(['report', join(process.cwd(), DE), '--quiet']);
    expect(r.stdout).toContain('<title>Key account report · accounts.csv · 2026-11-27</title>');
    expect(r.stdout).not.toContain(process.cwd());
  });
});

describe('kam diff -o, --deals, --as-of', () => {
  it('-o writes the same bytes as stdout, atomically (no temp file left), and refuses either input', async () => {
    const d = tmp();
    const out = join(d, 'changes.md');
    const r = await kam(['diff', BEFORE, AFTER, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr.endsWith(`kam: wrote ${out} (shortlist changed: 1 entered, 1 left · 10 account(s) with the same tier and rank)\n`)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe((await kam(['diff', BEFORE, AFTER, '--format', 'md'])).stdout);
    expect(readdirSync(d)).toEqual(['changes.md']);
    const before = join(d, 'before.md');
    writeFileSync(before, readFileSync(BEFORE));
    expect(await kam(['diff', before, AFTER, '-o', before, '--quiet'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `kam: refusing to write -o ${before}: it is <before> ${before} (output would overwrite input)\n`,
    });
  });

  it('--deals fills the later export from its deals as of --as-of, as kam report --deals does', async () => {
    const args = ['diff', 'fixtures/deals/accounts.csv', 'fixtures/deals/accounts.csv', '--format', 'json'];
    const plain = JSON.parse((await kam([...args, '--quiet'])).stdout) as { after: { tiers: Record<string, number> } };
    const r = await kam([...args, '--deals', 'fixtures/deals/opportunities.csv', '--as-of', '2026-06-30']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "kam: deals: filled from deals as of 2026-06-30: revenue on 2 (the accounts file's own value kept on 1), pipeline on 3, growth_rate on 1 account(s)\n",
    );
    const withDeals = JSON.parse(r.stdout) as { after: { tiers: Record<string, number> }; before: { tiers: Record<string, number> } };
    expect(withDeals.before.tiers).toEqual(plain.after.tiers);
    expect(withDeals.after.tiers).toEqual({ Key: 2, Develop: 0, Maintain: 0, Monitor: 1, Unrated: 1 });
  });

  it("the diff CSV is in the later export's dialect: ; and decimal comma for a German-Excel one", async () => {
    const r = await kam(['diff', DE, DE, '--format', 'csv', '--quiet']);
    expect(r.stdout).toBe('\uFEFFchange;account_id;account_name;from;to;detail\r\nrevenue_total;;;60620000;60620000;"39 matched accounts; 0,00%"\r\n');
    expect((await kam(['diff', DE, DE, '--format', 'csv', '--quiet', '--rfc4180'])).stdout).toBe(
      'change,account_id,account_name,from,to,detail\nrevenue_total,,,60620000,60620000,39 matched accounts; 0.00%\n',
    );
  });
});

describe("the decimal separator of kam's numbers (item 2)", () => {
  it('a ; export whose numbers have no separator gets a decimal comma (1.00 would be a date in German Excel); --decimal . keeps the point', async () => {
    const d = tmp();
    writeFileSync(join(d, 'int.csv'), 'account_id;account_name;revenue\nA;Alpha;100\n');
    const row = 'A;Alpha;100;1;50,00;Unrated;50,00;;;;;50,00;;0,20;low_coverage;;v2-bf8886e8\n';
    expect((await kam(['score', 'int.csv', '--format', 'csv', '--quiet'], { cwd: d })).stdout.split('\n')[1]! + '\n').toBe(row);
    expect((await kam(['score', 'int.csv', '--format', 'csv', '--quiet', '--decimal', '.'], { cwd: d })).stdout.split('\n')[1]).toBe(
      row.trimEnd().replaceAll(',', '.'),
    );
    writeFileSync(join(d, 'dot.csv'), 'account_id;account_name;revenue\nA;Alpha;100.5\n');
    expect((await kam(['score', 'dot.csv', '--format', 'csv', '--quiet'], { cwd: d })).stdout.split('\n')[1]).toBe(
      'A;Alpha;100.5;1;50.00;Unrated;50.00;;;;;50.00;;0.20;low_coverage;;v2-bf8886e8',
    );
  });
});

describe('the diff CSV reads back cell for cell (item 1)', () => {
  it('names a spreadsheet would evaluate are guarded in the file and come back as the CRM has them', async () => {
    const d = tmp();
    writeFileSync(join(d, 'a.csv'), 'account_id;account_name;revenue\nA;"=HYPERLINK(""x"")";1000,5\nB;-Minus;200\n');
    writeFileSync(join(d, 'b.csv'), 'account_id;account_name;revenue\nA;"=HYPERLINK(""x"")";500,5\nB;-Minus;200\n');
    const r = await kam(['diff', 'a.csv', 'b.csv', '--format', 'csv', '--quiet'], { cwd: d });
    expect(r.stdout).toBe(
      'change;account_id;account_name;from;to;detail\n' +
        'revenue;A;"\'=HYPERLINK(""x"")";1000,50;500,50;-49,98%\n' +
        'revenue_total;;;1200,50;700,50;"2 matched accounts; -41,65%"\n',
    );
    const back = parseTable(Buffer.from(r.stdout, 'utf8'), 'diff.csv');
    expect(back.records.map((x) => x.cells)).toEqual([
      ['revenue', 'A', '=HYPERLINK("x")', '1000,50', '500,50', '-49,98%'],
      ['revenue_total', '', '', '1200,50', '700,50', '2 matched accounts; -41,65%'],
    ]);
  });
});

describe('one format vocabulary', () => {
  it('validate, explain and columns say table, as score and diff do; text still works', async () => {
    for (const args of [
      ['validate', DE],
      ['columns', DE],
      ['explain', DE, 'Cartech'],
    ]) {
      const table = await kam([...args, '--format', 'table', '--quiet']);
      expect(table.code).toBe(0);
      expect((await kam([...args, '--format', 'text', '--quiet'])).stdout).toBe(table.stdout);
      expect((await kam([...args, '--quiet'])).stdout).toBe(table.stdout);
    }
  });
});

describe('the config file applied is said once on stderr', () => {
  it('kam diff reads it for both files and says so once', async () => {
    const d = tmp();
    writeFileSync(join(d, 'kam.config.json'), '{"shortlist":5}\n');
    const r = await kam(['diff', join(process.cwd(), BEFORE), join(process.cwd(), AFTER), '--format', 'json'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('config'))).toEqual(['kam: config kam.config.json applied']);
    expect((await kam(['score', join(process.cwd(), AFTER), '--format', 'csv', '--quiet'], { cwd: d })).stderr).toBe('');
  });
});

describe("columns named like kam's in a raw export (item 1)", () => {
  it("are kept, renamed and said; the enriched CSV reads back; re-scoring replaces only kam's own columns", async () => {
    const d = tmp();
    writeFileSync(join(d, 'raw.csv'), 'account_id,account_name,revenue,kam_tier,KAM_Signals\nA,Alpha,100,gold,x\nB,Beta,200,silver,y\n');
    const r = await kam(['score', 'raw.csv', '-o', 'out.csv'], { cwd: d });
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'kam: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone\n' +
        "kam: raw.csv: column 'kam_tier' is named like one kam writes: written back as 'kam_tier (input)'\n" +
        "kam: raw.csv: column 'KAM_Signals' is named like one kam writes: written back as 'KAM_Signals (input)'\n" +
        'kam: wrote out.csv (Key 0 · Develop 0 · Maintain 0 · Monitor 0 · Unrated 2 · rejected 0)\n',
    });
    const out = readFileSync(join(d, 'out.csv'), 'utf8').split('\n');
    expect(out[0]).toBe(
      'account_id,account_name,revenue,kam_tier (input),KAM_Signals (input),kam_rank,kam_score,kam_tier,kam_volume,kam_potential,kam_ltv,kam_fit,kam_strategic,kam_current,kam_attractiveness,kam_coverage,kam_signals,kam_errors,kam_model',
    );
    expect(out[1]).toBe('B,Beta,200,silver,y,1,75.00,Unrated,75.00,,,,,75.00,,0.20,low_coverage,,v2-bf8886e8');
    const again = await kam(['score', 'out.csv', '--format', 'csv'], { cwd: d });
    expect(again.stderr).toBe(
      "kam: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone\nkam: out.csv was written by kam: its 14 kam_ column(s) are replaced by this run's\n",
    );
    expect(again.stdout).toBe(readFileSync(join(d, 'out.csv'), 'utf8'));
    expect(existsSync(join(d, 'out.csv'))).toBe(true);
  });
});
