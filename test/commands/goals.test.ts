import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo, ROOT } from '../helpers/fake-io.ts';
import { writeWeeklySnapshots } from '../helpers/weekly-snapshots.ts';

/** The eight weekly snapshots of test/helpers/weekly-snapshots.ts and fixtures/goals/goals.csv. */
let dir = '';
let files: string[] = [];
const GOALS = join(ROOT, 'fixtures/goals/goals.csv');
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kam-goals-'));
  files = (await writeWeeklySnapshots(dir)).map((f) => f.slice(dir.length + 1));
});

async function kam(args: string[], opts: Parameters<typeof fakeIo>[0] = {}) {
  const f = fakeIo({ cwd: dir, ...opts });
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

describe('kam goals over the weekly snapshots', () => {
  it('at 2026-11-27, each status: done, on track, behind, overdue, no data, account gone; the goal of an account that left the shortlist is flagged', async () => {
    const r = await kam(['goals', ...files, '--goals', GOALS, '--as-of', '2026-11-27', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('kam: 8 snapshot(s), dated 2026-10-02 to 2026-11-20\n');
    expect(r.stdout).toBe(
      [
        'account_id,account_name,metric,baseline,baseline_date,current,target,due,progress,expected,status,flag,owner,note',
        // 100,000 in the first snapshot, 2,200,000 in the latest: 2.1M of 1.9M, past the target.
        // Every baseline is dated 2026-10-02, so 56 of the 90 days to 2026-12-31 have passed (0.6222).
        'H-2,Booster Bio,revenue,100000,2026-10-02,2200000,2000000,2026-12-31,1.1053,0.6222,done,,Maria Lopez,grow the new plant',
        // Baseline 1,000,000 given, set 2026-10-02: 200,000 of 300,000 (0.6667) is above the line (0.6222).
        'H-4,Delta Dairy,revenue,1000000,2026-10-02,1200000,1300000,2026-12-31,0.6667,0.6222,on_track,,Priya Nair,second line',
        'H-3,Cooling Chemicals,revenue,1800000,2026-10-02,200000,2000000,2026-12-31,-8.0000,0.6222,behind,left_shortlist,Maria Lopez,win back volume',
        'H-5,Echo Electric,kam_tier,Monitor,2026-10-02,Monitor,Key,2026-11-01,0.0000,1.0000,overdue,,Tom Berg,strategic partnership',
        'H-1,Anchor Industrial,pipeline,,,,500000,2027-03-31,,,no_data,,Priya Nair,no pipeline column yet',
        'H-7,Gone Glass,revenue,,,,400000,2026-12-31,,,account_gone,,Tom Berg,',
        // 35% of 40%: no progress against 56 of 180 days.
        'H-1,Anchor Industrial,gross_margin,0.35,2026-10-02,0.35,0.4,2027-03-31,0.0000,0.3111,behind,,Priya Nair,price review',
        'H-2,Booster Bio,kam_tier,Develop,2026-10-02,Key,Key,2026-12-31,1.0000,0.6222,done,,Maria Lopez,',
        '',
      ].join('\n'),
    );
  });

  it('the same goals at 2026-12-20: the on-track goal has fallen behind the line (79 of 90 days)', async () => {
    const doc = JSON.parse((await kam(['goals', ...files, '--goals', GOALS, '--as-of', '2026-12-20', '--format', 'json'])).stdout) as {
      goals: { account_id: string; status: string }[];
    };
    expect(doc.goals.map((g) => `${g.account_id} ${g.status}`)).toEqual([
      'H-2 done',
      'H-4 behind',
      'H-3 behind',
      'H-5 overdue',
      'H-1 no_data',
      'H-7 account_gone',
      'H-1 behind',
      'H-2 done',
    ]);
  });

  for (const format of ['table', 'md', 'json'] as const) {
    it(`--format ${format}: a reviewed golden`, async () => {
      const r = await kam(['goals', ...files, '--goals', GOALS, '--as-of', '2026-11-27', '--format', format], {
        columns: 200,
        stdoutIsTty: format === 'table',
      });
      await expect(r.stdout.replace(GOALS, 'fixtures/goals/goals.csv')).toMatchFileSnapshot(
        `../../fixtures/expected/goals-weekly.${format === 'table' ? 'txt' : format}`,
      );
    });
  }

  it('problems in goals.csv are listed with line and column, then exit 1; an unused column is said once', async () => {
    const bad = join(dir, 'bad-goals.csv');
    writeFileSync(bad, 'account_id,metric,target,due,priority\nH-1,revenu,5,2026-12-31,high\nH-2,revenue,lots,2026-13-01,low\n,kam_tier,Gold,2026-12-31,\n');
    const r = await kam(['goals', ...files, '--goals', 'bad-goals.csv', '--as-of', '2026-11-27']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').slice(1)).toEqual(
      [
        "kam: bad-goals.csv: column(s) 'priority' not used (goals read account_id, metric, target, due, owner, note, set, baseline)",
        "bad-goals.csv:2: metric: 'revenu' is not a canonical field, a kam value (kam_score, kam_rank, kam_tier, kam_volume, kam_potential, kam_ltv, kam_fit, kam_strategic) or a column of the snapshots",
        "bad-goals.csv:3: due: '2026-13-01' is not a date (use YYYY-MM-DD)",
        "bad-goals.csv:3: target: 'lots' is not a number",
        'bad-goals.csv:4: account_id: is required',
        "bad-goals.csv:4: target: 'Gold' is not a tier (Key, Develop, Maintain, Monitor, Gated, Unrated)",
        'kam: bad-goals.csv: 4 problem(s) in the goals; fix them and run again',
        '',
      ].map((l, i, all) => (i === all.length - 2 ? l.replace('4 problem', '5 problem') : l)),
    );
    expect(await kam(['goals', ...files])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kam: kam goals needs --goals FILE (account_id, metric, target, due, ...)\n',
    });
  });
});

describe('kam diff --goals: the goals whose status changed between the two dates', () => {
  it("2026-10-02 -> 2026-11-20: each goal measured at its side's date; only the changed ones listed", async () => {
    const r = await kam(['diff', files[0]!, files[7]!, '--goals', GOALS, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('goal,'))).toEqual([
      'goal,H-2,Booster Bio,on_track,done,revenue',
      'goal,H-3,Cooling Chemicals,on_track,behind,revenue',
      'goal,H-5,Echo Electric,on_track,overdue,kam_tier',
      'goal,H-7,Gone Glass,on_track,account_gone,revenue',
      'goal,H-1,Anchor Industrial,on_track,behind,gross_margin',
      'goal,H-2,Booster Bio,on_track,done,kam_tier',
    ]);
    // With two files, a goal without a baseline column starts at the before side: on track there.
    const md = await kam(['diff', files[6]!, files[7]!, '--goals', GOALS, '--format', 'md']);
    expect(md.stdout.slice(md.stdout.indexOf('## Goals'))).toBe(
      [
        '## Goals whose status changed (3)',
        '',
        '| ID | Account | Metric | Status |',
        '|---|---|---|---|',
        '| H-2 | Booster Bio | revenue | on track -> done |',
        '| H-3 | Cooling Chemicals | revenue | on track -> behind |',
        '| H-1 | Anchor Industrial | gross\\_margin | on track -> behind |',
        '',
      ].join('\n'),
    );
  });
});
