import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo } from '../helpers/fake-io.ts';
import { WEEKS, writeWeeklySnapshots } from '../helpers/weekly-snapshots.ts';

/** The eight weekly snapshots of test/helpers/weekly-snapshots.ts, new weights from week 5. */
let dir = '';
let files: string[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kam-history-'));
  files = (await writeWeeklySnapshots(dir)).map((f) => f.slice(dir.length + 1));
});

async function kam(args: string[], opts: Parameters<typeof fakeIo>[0] = {}) {
  const f = fakeIo({ cwd: dir, ...opts });
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

interface JsonHistory {
  snapshots: { source: string; date: string; dated_by: string; kam_model: string }[];
  model_changes: { date: string; from: string; to: string }[];
  accounts: {
    account_id: string;
    streak: { tier: string; snapshots: number; since: string } | null;
    momentum: { points_per_week: number; snapshots: number } | null;
    signals: string[];
    events: { date: string; change: string; from?: string; to?: string }[];
  }[];
}

describe('kam history over eight weekly snapshots with a weight change in week 5', () => {
  it('dates each snapshot by the kam_as_of kam wrote, in date order whatever the argument order', async () => {
    const r = await kam(['history', ...[...files].reverse(), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('kam: 8 snapshot(s), dated 2026-10-02 to 2026-11-20\n');
    const doc = JSON.parse(r.stdout) as JsonHistory;
    expect(doc.snapshots.map((s) => [s.date, s.dated_by])).toEqual(WEEKS.map((w) => [w, 'kam_as_of']));
  });

  it('names the model change: the default model for four weeks, volume=0.4 from 2026-10-30', async () => {
    const doc = JSON.parse((await kam(['history', ...files, '--format', 'json'])).stdout) as JsonHistory;
    expect(doc.model_changes).toEqual([{ date: '2026-10-30', from: 'v2-bf8886e8', to: 'v2-e7d812fd' }]);
    expect(doc.snapshots.map((s) => s.kam_model)).toEqual([...Array<string>(4).fill('v2-bf8886e8'), ...Array<string>(4).fill('v2-e7d812fd')]);
  });

  it('streaks, momentum over the four snapshots of the new model, rising_fast and falling', async () => {
    const doc = JSON.parse((await kam(['history', ...files, '--format', 'json'])).stdout) as JsonHistory;
    expect(doc.accounts.map((a) => [a.account_id, a.streak, a.momentum, a.signals])).toEqual([
      ['H-1', { tier: 'Key', snapshots: 8, since: '2026-10-02' }, { points_per_week: -1.65, snapshots: 4 }, []],
      ['H-2', { tier: 'Key', snapshots: 3, since: '2026-11-06' }, { points_per_week: 9.09, snapshots: 4 }, ['rising_fast']],
      ['H-4', { tier: 'Maintain', snapshots: 6, since: '2026-10-16' }, { points_per_week: -3.91, snapshots: 4 }, ['falling']],
      ['H-6', { tier: 'Develop', snapshots: 6, since: '2026-10-16' }, { points_per_week: -2.27, snapshots: 4 }, ['falling']],
      ['H-3', { tier: 'Develop', snapshots: 3, since: '2026-11-06' }, { points_per_week: -9.48, snapshots: 4 }, ['falling']],
      ['H-5', { tier: 'Monitor', snapshots: 3, since: '2026-11-06' }, { points_per_week: -2.49, snapshots: 4 }, ['falling']],
      // Gone after week 6: no streak; its two snapshots of the new model are too few for a slope.
      ['H-7', null, null, []],
    ]);
  });

  it('entries, exits, new and gone accounts and tier changes, each dated', async () => {
    const doc = JSON.parse((await kam(['history', ...files, '--format', 'json'])).stdout) as JsonHistory;
    const events = doc.accounts.flatMap((a) => a.events.map((e) => [e.date, a.account_id, e.change, e.from ?? '', e.to ?? '']));
    expect(events.sort()).toEqual([
      ['2026-10-16', 'H-4', 'tier', 'Key', 'Maintain'],
      ['2026-10-16', 'H-5', 'tier', 'Monitor', 'Maintain'],
      ['2026-10-16', 'H-6', 'appeared', '', ''],
      ['2026-11-06', 'H-2', 'entered', '', ''],
      ['2026-11-06', 'H-2', 'tier', 'Develop', 'Key'],
      ['2026-11-06', 'H-3', 'left', '', ''],
      ['2026-11-06', 'H-3', 'tier', 'Key', 'Develop'],
      ['2026-11-06', 'H-5', 'tier', 'Maintain', 'Monitor'],
      ['2026-11-13', 'H-7', 'disappeared', '', ''],
    ]);
  });

  it('--window 6 still stops at the model change: four snapshots, the same slopes', async () => {
    const doc = JSON.parse((await kam(['history', ...files, '--format', 'json', '--window', '6'])).stdout) as JsonHistory;
    expect(doc.accounts[1]!.momentum).toEqual({ points_per_week: 9.09, snapshots: 4 });
    const bad = await kam(['history', ...files, '--window', '2']);
    expect([bad.code, bad.stderr.split('\n').at(-2)]).toEqual([2, 'kam: --window takes a whole number >= 3 (a slope over fewer points says nothing)']);
  });

  for (const format of ['table', 'md', 'csv'] as const) {
    it(`--format ${format}: a reviewed golden (sparkline with | at the model change)`, async () => {
      const r = await kam(['history', ...files, '--format', format], { columns: 160, stdoutIsTty: format === 'table' });
      expect(r.code).toBe(0);
      await expect(r.stdout).toMatchFileSnapshot(`../../fixtures/expected/history-weekly.${format === 'table' ? 'txt' : format}`);
    });
  }

  it('--account keeps one account; an unknown one is a usage error', async () => {
    const r = await kam(['history', ...files, '--format', 'csv', '--account', 'Booster Bio']);
    expect(
      r.stdout
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split(',').slice(0, 3).join(',')),
    ).toEqual(WEEKS.map((w) => `H-2,Booster Bio,${w}`));
    expect(await kam(['history', ...files, '--account', 'H-99'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("kam: --account: no account 'H-99' (by id or name) in any snapshot\n") as unknown,
    });
  });
});

describe('kam history: dating the snapshots', () => {
  it('a raw export is dated by a YYYY-MM-DD in its name and scored now; an undated file or a repeated date is a usage error', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kam-history-dates-'));
    writeFileSync(join(d, 'crm-2026-11-20.csv'), 'account_id,account_name,revenue\nA,Alpha,5\nB,Beta,3\n');
    writeFileSync(join(d, 'crm-2026-11-27.csv'), 'account_id,account_name,revenue\nA,Alpha,5\nB,Beta,9\n');
    writeFileSync(join(d, 'crm.csv'), 'account_id,account_name,revenue\nA,Alpha,5\n');
    writeFileSync(join(d, 'copy-2026-11-27.csv'), 'account_id,account_name,revenue\nA,Alpha,5\n');
    const ok = await kam(['history', 'crm-2026-11-27.csv', 'crm-2026-11-20.csv', '--format', 'json'], { cwd: d });
    // Raw exports are scored now, so what they cannot feed is said for each (revenue only here).
    expect(ok.stderr).toBe(
      'kam: crm-2026-11-27.csv: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone\n' +
        'kam: crm-2026-11-20.csv: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone\n' +
        'kam: 2 snapshot(s), dated 2026-11-20 to 2026-11-27 (2 raw export(s) scored now with the current model)\n',
    );
    expect((JSON.parse(ok.stdout) as JsonHistory).snapshots.map((s) => [s.source, s.dated_by])).toEqual([
      ['crm-2026-11-20.csv', 'file name'],
      ['crm-2026-11-27.csv', 'file name'],
    ]);
    expect(await kam(['history', 'crm-2026-11-20.csv', 'crm.csv'], { cwd: d })).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'kam: crm-2026-11-20.csv: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone\n' +
        'kam: crm.csv: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone\n' +
        'kam: cannot date crm.csv: write snapshots with kam score --as-of YYYY-MM-DD, or put a YYYY-MM-DD date in the file name\n',
    });
    expect((await kam(['history', 'crm-2026-11-27.csv', 'copy-2026-11-27.csv'], { cwd: d })).stderr).toBe(
      'kam: crm-2026-11-27.csv: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone\n' +
        'kam: copy-2026-11-27.csv: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone\n' +
        'kam: crm-2026-11-27.csv and copy-2026-11-27.csv are both dated 2026-11-27: give each snapshot its own date\n',
    );
  });

  it('a snapshot whose kam_model differs from row to row was edited or concatenated: exit 1, with the line', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kam-history-mixed-'));
    const header =
      'account_id,account_name,revenue,kam_rank,kam_score,kam_tier,kam_volume,kam_potential,kam_ltv,kam_fit,kam_strategic,kam_current,kam_attractiveness,kam_coverage,kam_signals,kam_errors,kam_model';
    writeFileSync(
      join(d, 's-2026-11-20.csv'),
      `${header}\nA,Alpha,5,1,75.00,Unrated,75.00,,,,,75.00,,0.20,low_coverage,,v2-aaaaaaaa\nB,Beta,3,2,25.00,Unrated,25.00,,,,,25.00,,0.20,low_coverage,,v2-bbbbbbbb\n`,
    );
    expect(await kam(['history', 's-2026-11-20.csv'], { cwd: d })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "kam: s-2026-11-20.csv:3: kam_model: 'v2-bbbbbbbb' differs from 'v2-aaaaaaaa' above: one kam score run writes one kam_model (was the file edited or concatenated?)\n",
    });
  });
});

describe('kam diff says when the model changed between the two sides', () => {
  it('week 4 -> week 5 (new weights): a note on stderr; week 5 -> week 6: none', async () => {
    const across = await kam(['diff', files[3]!, files[4]!, '--format', 'json']);
    expect(across.stderr).toContain(
      "kam: note: the model changed between the two sides (kam_model v2-bf8886e8 -> v2-e7d812fd): part of every score change is the model's, not the account's\n",
    );
    expect((await kam(['diff', files[4]!, files[5]!, '--format', 'json'])).stderr).not.toContain('model changed');
  });
});
