/**
 * Issue 10, items 1 and 2, end to end: the README's weekly.sh run twice on the same export
 * (a US one and a German-Excel one) changes nothing; every CSV kam writes reads back with the
 * same values; the enriched CSV of a German-Excel export is German-Excel CSV.
 *
 * The German file is fixtures/excel-de/accounts.csv (fixtures/README.md says how it was made:
 * BOM, `;`, CRLF, decimal comma, as German Excel's "CSV UTF-8" writes it).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo, ROOT } from '../helpers/fake-io.ts';

const CRM = fileURLToPath(new URL('../../../shared/corpus/crm/', import.meta.url));
const hasCorpus = existsSync(CRM);

async function kam(args: string[], cwd?: string) {
  const f = fakeIo(cwd === undefined ? {} : { cwd });
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

/** The weekly.sh of README.md's cron section, exactly as a user copies it. */
function weeklyScript(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### The weekly loop from cron'));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README.md: no weekly.sh in the cron section');
  return m[1]!;
}

/**
 * A home folder with ~/kam/exports/accounts.csv, a `kam` on PATH that runs this checkout's
 * build, and a `date` that answers the day the test chooses (the script's `date +%F`).
 */
function cronHome(exportFile: string): { home: string; run: (today: string) => { code: number | null; stdout: string; stderr: string } } {
  const root = mkdtempSync(join(tmpdir(), 'kam-weekly-'));
  const home = join(root, 'home');
  const bin = join(root, 'bin');
  mkdirSync(join(home, 'kam', 'exports'), { recursive: true });
  mkdirSync(bin);
  copyFileSync(exportFile, join(home, 'kam', 'exports', 'accounts.csv'));
  // The script reads the team's goals (README: kam goals); one goal on an account of the export.
  writeFileSync(
    join(home, 'kam', 'goals.csv'),
    'account_id,metric,target,due,owner,note,set,baseline\nACC-1014,revenue,500000,2026-12-31,Aiko Tanaka,develop Cartech,,\n',
  );
  writeFileSync(join(bin, 'kam'), `#!/bin/sh\nexec "${process.execPath}" "${ROOT}bin/kam.js" "$@"\n`);
  // The script's `date +%F`, `date +%d`, `date -d '13 weeks ago' +%F` on the test's day (GNU date).
  writeFileSync(
    join(bin, 'date'),
    '#!/bin/sh\nif [ "$1" = "-d" ]; then exec /bin/date -d "$KAM_TEST_TODAY $2" "$3"; fi\nexec /bin/date -d "$KAM_TEST_TODAY" "$@"\n',
  );
  chmodSync(join(bin, 'kam'), 0o755);
  chmodSync(join(bin, 'date'), 0o755);
  const script = join(root, 'weekly.sh');
  writeFileSync(script, weeklyScript());
  const run = (today: string) => {
    const r = spawnSync('bash', [script], {
      encoding: 'utf8',
      env: { HOME: home, PATH: `${bin}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1', KAM_TEST_TODAY: today },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { home: join(home, 'kam'), run };
}

interface JsonDiff {
  shortlist_changed: boolean;
  entered: unknown[];
  left: unknown[];
  tier_changes: unknown[];
  added: unknown[];
  removed: unknown[];
  revenue: { matched: number; total_before: number; total_after: number; changed: unknown[] };
  unchanged: number;
}

describe("README's weekly.sh, run twice on the same export (issue 10 Done-when)", () => {
  for (const [name, file] of [
    ['a US export (fixtures/accounts.csv)', 'fixtures/accounts.csv'],
    ['a German-Excel export (fixtures/excel-de/accounts.csv: BOM, ;, CRLF, decimal comma)', 'fixtures/excel-de/accounts.csv'],
  ] as const) {
    it(`${name}: exit 0, nothing on stderr, no shortlist, tier or revenue change, diff --exit-code 0`, async () => {
      const { home, run } = cronHome(join(ROOT, file));
      expect(run('2026-11-20')).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(run('2026-11-27')).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(readdirSync(join(home, 'snapshots')).sort()).toEqual(['2026-11-20.csv', '2026-11-27.csv']);
      expect(
        readdirSync(join(home, 'reports'))
          .filter((f) => f.startsWith('2026-11-27'))
          .sort(),
      ).toEqual(['2026-11-27-changes.md', '2026-11-27-goals.md', '2026-11-27-history.md', '2026-11-27-rejects.csv', '2026-11-27.html']);
      const changes = readFileSync(join(home, 'reports', '2026-11-27-changes.md'), 'utf8');
      expect(changes).toContain('## Entered the shortlist (0)\n\nnone\n');
      expect(changes).toContain('## Left the shortlist (0)\n\nnone\n');
      expect(changes).toContain('## Tier changes (0)\n\nnone\n');
      expect(changes).toContain('## Revenue changes (0 of 39 matched accounts)\n\nnone\n');
      // (The goals section after it may move: a week passed, so the goal's pace did.)
      expect(changes).toContain('Shortlist unchanged · 40 account(s) with the same tier and rank\n');
      const snapshots = ['snapshots/2026-11-20.csv', 'snapshots/2026-11-27.csv'];
      const exit = await kam(['diff', ...snapshots, '--shortlist', '25', '--exit-code', '--format', 'json', '--quiet'], home);
      expect({ code: exit.code, stderr: exit.stderr }).toEqual({ code: 0, stderr: '' });
      const d = JSON.parse(exit.stdout) as JsonDiff;
      expect([d.shortlist_changed, d.entered, d.left, d.tier_changes, d.added, d.removed, d.revenue.changed, d.unchanged]).toEqual([
        false,
        [],
        [],
        [],
        [],
        [],
        [],
        40,
      ]);
      expect(d.revenue.total_before).toBe(d.revenue.total_after);
      // The report against last week's snapshot sees the same: this week's raw export vs the snapshot.
      const report = await kam(
        ['report', 'exports/accounts.csv', '--previous', snapshots[0]!, '--shortlist', '25', '--as-of', '2026-11-27', '--format', 'md', '--quiet'],
        home,
      );
      expect(report.code).toBe(0);
      expect(report.stdout).toContain('Compared with 2026-11-20.csv: 40 → 40 accounts scored, 40 with the same tier and rank.');
      expect(report.stdout).toContain('### Entered the shortlist (0)\n\nnone\n');
      expect(report.stdout).toContain('### Left the shortlist (0)\n\nnone\n');
    }, 60_000);
  }
});

/** `kam score --format json` rows of accepted accounts, keyed by account id (kam_errors left out). */
async function acceptedRows(file: string, extra: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const r = await kam(['score', file, '--format', 'json', '--quiet', ...extra]);
  expect(r.code).toBe(0);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  return new Map(rows.filter((x) => x['kam_tier'] !== 'Invalid').map((x, k) => [`${k}`, x]));
}

/**
 * The snapshot (`score -o`) of a file: `validate` rejects no row the original accepted, and
 * scoring the snapshot gives every accepted row the same cells and the same kam values.
 */
async function expectSnapshotRoundTrip(file: string, extra: readonly string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kam-snap-'));
  const snap = join(dir, 'snapshot.csv');
  const rejects = join(dir, 'rejects.csv');
  const original = await kam(['validate', file, '--format', 'json', ...extra]);
  const o = JSON.parse(original.stdout) as { valid: number; rejected: number; rows: number };
  expect((await kam(['score', file, '-o', snap, '--rejects', rejects, '--shortlist', '5', '--quiet', ...extra])).code).toBe(0);
  const again = await kam(['validate', snap, '--format', 'json', ...extra]);
  const s = JSON.parse(again.stdout) as { valid: number; rejected: number; rows: number };
  expect({ valid: s.valid, rejected: s.rejected, rows: s.rows }).toEqual({ valid: o.valid, rejected: o.rejected, rows: o.rows });
  // Same cells and same kam values, row for row (the snapshot lists accepted rows in rank order,
  // as scoring the original does); kam_ columns of the snapshot are replaced, not repeated.
  expect([...(await acceptedRows(snap, extra)).values()]).toEqual([...(await acceptedRows(file, extra)).values()]);
  // The rejects file reads back too: as many rows as were rejected, each still rejected.
  const r = await kam(['validate', rejects, '--format', 'json', ...extra]);
  const rj = JSON.parse(r.stdout) as { valid: number; rejected: number; rows: number };
  expect({ rows: rj.rows, rejected: rj.rejected }).toEqual({ rows: o.rejected, rejected: o.rejected });
}

describe('every CSV kam writes reads back with the same values (issue 10 item 1)', () => {
  for (const file of [
    'fixtures/accounts.csv',
    'fixtures/worked-example.csv',
    'fixtures/weekly/accounts-2026-11-20.csv',
    'fixtures/weekly/accounts-2026-11-27.csv',
    'fixtures/deals/accounts.csv',
    'fixtures/excel-de/accounts.csv',
    'fixtures/reading/semicolon-decimal-comma.csv',
    'fixtures/reading/sep-line-semicolon.csv',
    'fixtures/reading/pipe-delimited.csv',
    'fixtures/reading/multiline-crlf.csv',
    'fixtures/reading/mixed-endings.csv',
    'fixtures/reading/cr-only.csv',
    'fixtures/reading/blank-lines.csv',
    'fixtures/reading/salesforce-report.csv',
  ]) {
    it(`${file}: validate on its snapshot rejects no row the original accepted, with identical values`, async () => {
      await expectSnapshotRoundTrip(file, []);
    });
  }

  it("fixtures/reading/ragged.csv: its ragged rows are rejected; the snapshot writes them at the header's width, and reading it rejects them again, saying why", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-snap-'));
    const snap = join(dir, 'snapshot.csv');
    const again = join(dir, 'again.csv');
    const original = JSON.parse((await kam(['validate', 'fixtures/reading/ragged.csv', '--format', 'json'])).stdout) as { valid: number; rejected: number };
    expect([original.valid, original.rejected]).toEqual([1, 2]);
    expect((await kam(['score', 'fixtures/reading/ragged.csv', '-o', snap, '--quiet'])).code).toBe(0);
    // The snapshot's cells of rows 1 and 2 are cut or padded to 3: read as they are, they would pass.
    const read = JSON.parse((await kam(['validate', snap, '--format', 'json'])).stdout) as { valid: number; rejected: number; issues: unknown[] };
    expect([read.valid, read.rejected]).toEqual([1, 2]);
    const suffix =
      ', as the kam run that wrote this file cut or padded the row to fit the header; fix the row in the original export, or clear its kam_errors once its cells are right';
    expect(read.issues).toEqual([
      { line: 3, column: '(row)', code: 'ragged_row', message: `expected 3 fields, got 2${suffix}` },
      { line: 4, column: '(row)', code: 'ragged_row', message: `expected 3 fields, got 4 (extra fields: "extra")${suffix}` },
    ]);
    const rows = JSON.parse((await kam(['score', snap, '--format', 'json', '--quiet'])).stdout) as Record<string, unknown>[];
    expect(rows.find((r) => r['id'] === '3')).toMatchObject({ id: '3', name: 'Gamma', arr: '300', kam_rank: 1 });
    // Written again, the snapshot of the snapshot says the same: the rule holds on every later read.
    expect((await kam(['score', snap, '-o', again, '--quiet'])).code).toBe(0);
    expect((await kam(['score', again, '-o', join(dir, 'third.csv'), '--quiet'])).code).toBe(0);
    expect(readFileSync(join(dir, 'third.csv'), 'utf8')).toBe(readFileSync(again, 'utf8').replaceAll('again.csv', 'third.csv'));
  });

  it('only a row kam reshaped is rejected again: not another kam_errors reason, not a file without kam_tier', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-snap-'));
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'id,name,arr,kam_tier,kam_errors\n1,Acme,100,Invalid,"line 2: arr: \'x\' is not an amount"\n2,Beta,200,Key,\n');
    const a = JSON.parse((await kam(['validate', other, '--format', 'json'])).stdout) as { valid: number; rejected: number };
    expect([a.valid, a.rejected]).toEqual([2, 0]);
    const notKam = join(dir, 'not-kam.csv');
    writeFileSync(notKam, 'id,name,arr,kam_errors\n1,Acme,100,"line 2: (row): expected 3 fields, got 2"\n');
    const b = JSON.parse((await kam(['validate', notKam, '--format', 'json'])).stdout) as { valid: number; rejected: number };
    expect([b.valid, b.rejected]).toEqual([1, 0]);
  });

  it('a kam_errors cell cleared once the row is right lets the row in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-snap-'));
    const snap = join(dir, 'snapshot.csv');
    expect((await kam(['score', 'fixtures/reading/ragged.csv', '-o', snap, '--quiet'])).code).toBe(0);
    const lines = readFileSync(snap, 'utf8').split('\n');
    const fixed = lines.map((l) => (l.startsWith('2,Beta,200,') ? l.replace(/,"line 3: .*",(v2-[0-9a-f]+)$/, ',,$1') : l)).join('\n');
    expect(fixed).toContain('\n2,Beta,200,,,Invalid,,,,,,,,,,,v2-');
    writeFileSync(snap, fixed);
    const summary = JSON.parse((await kam(['validate', snap, '--format', 'json'])).stdout) as { valid: number; rejected: number };
    expect([summary.valid, summary.rejected]).toEqual([2, 1]);
  });
});

describe.skipIf(!hasCorpus)('every account file of ../shared/corpus/crm reads back from its snapshot', () => {
  for (const [file, extra] of [
    ['dolibarr-file_import_company_1.csv', []],
    ['maven-accounts.csv', []],
    ['maven-accounts-excel-resaved.csv', []],
    ['odoo-m2m_customers_tags.csv', []],
    ['odoo-o2m_customers_contacts.csv', []],
    ['odoo-res.partner.csv', []],
    ['salesforce-dataloader-accountData.csv', ['--encoding', 'windows-1252']],
    ['salesforce-demo-accounts-excel.csv', []],
    ['salesforce-sfdmu-ebikes-Account.csv', []],
  ] as const) {
    it(`${file}: validate on its snapshot rejects no row the original accepted, with identical values`, async () => {
      await expectSnapshotRoundTrip(`${CRM}${file}`, extra);
    });
  }
});

describe('the enriched CSV of a German-Excel export is German-Excel CSV (issue 10 item 2)', () => {
  it('by default: BOM, ;, CRLF, and kam numbers with a decimal comma; --rfc4180: comma, no BOM, LF, decimal point', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-de-'));
    const de = join(dir, 'de.csv');
    const rfc = join(dir, 'rfc.csv');
    expect((await kam(['score', 'fixtures/excel-de/accounts.csv', '-o', de, '--quiet'])).code).toBe(0);
    expect((await kam(['score', 'fixtures/excel-de/accounts.csv', '-o', rfc, '--rfc4180', '--quiet'])).code).toBe(0);
    const bytes = readFileSync(de);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'account_id;account_name;industry;country;employees;currency;company_revenue;revenue;potential_revenue;pipeline;growth_rate;gross_margin;retention_rate;churn_risk;product_fit;strategic_value;account_owner;' +
        'kam_rank;kam_score;kam_tier;kam_volume;kam_potential;kam_ltv;kam_fit;kam_strategic;kam_current;kam_attractiveness;kam_coverage;kam_signals;kam_errors;kam_model',
    );
    // Helix Robotics (README: rank 1, 95.81), its 4,5-free cells untouched, kam's numbers with a comma.
    expect(lines[1]).toBe(
      'ACC-1003;Helix Robotics, Inc.;Robotics;United States;4200;USD;1800000000;3850000;7500000;1200000;18%;32%;94%;;5;5;Priya Nair;1;95,81;Key;93,59;93,46;93,59;100,00;100,00;93,59;97,62;1,00;;;v2-bf8886e8',
    );
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.includes('\n') && text.replaceAll('\r\n', '').includes('\n')).toBe(false);
    const plain = readFileSync(rfc, 'utf8');
    expect(plain.charCodeAt(0)).not.toBe(0xfeff);
    expect(plain.includes('\r')).toBe(false);
    const plainLines = plain.split('\n');
    expect(plainLines[1]).toBe(
      'ACC-1003,"Helix Robotics, Inc.",Robotics,United States,4200,USD,1800000000,3850000,7500000,1200000,18%,32%,94%,,5,5,Priya Nair,1,95.81,Key,93.59,93.46,93.59,100.00,100.00,93.59,97.62,1.00,,,v2-bf8886e8',
    );
    // The input's own cells stay as the export has them (4,5 is the export's rating).
    expect(plain).toContain('"4,5"');
    // Both read back as the same accounts with the same values.
    expect([...(await acceptedRows(rfc, [])).values()]).toEqual([...(await acceptedRows(de, [])).values()]);
  });
});
