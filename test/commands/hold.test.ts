import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo } from '../helpers/fake-io.ts';

async function kam(args: string[]) {
  const f = fakeIo();
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

// fixtures/hysteresis: four accounts, weights volume 0.4, fit 0.3, strategic 0.3 (kam.config.json), so
// attractiveness is the fit and strategic rating itself and current the revenue percentile
// (87.5, 62.5, 37.5, 12.5: far from the cut). From 2026-11-20 to 2026-11-27 attractiveness moves
// A 60 -> 49 (Key -> Maintain, crossed by 1), B 70 -> 45 (Key -> Maintain, by 5),
// C 48 -> 51.5 (Monitor -> Develop, by 1.5), D 30 -> 30.
const WEEKS = ['fixtures/hysteresis/accounts-2026-11-20.csv', 'fixtures/hysteresis/accounts-2026-11-27.csv'];
const BASE = ['diff', ...WEEKS, '--config', 'fixtures/hysteresis/kam.config.json', '--shortlist', '2'];

describe('diff --hysteresis (SCORING.md §4 Borderline)', () => {
  it('without it, A and B leave the shortlist and C enters: three tier changes, two of them on noise', async () => {
    const r = await kam([...BASE, '--format', 'csv']);
    expect(r.stdout.split('\n').filter((l) => /^(entered|left|tier),/.test(l))).toEqual([
      'entered,C,Cypress Cloud,Monitor,Develop,rank 3 -> 3',
      'left,A,Aspen Analytics,Key,Maintain,rank 1 -> 1',
      'left,B,Beech Bearings,Key,Maintain,rank 2 -> 2',
      'tier,A,Aspen Analytics,Key,Maintain,rank 1 -> 1',
      'tier,B,Beech Bearings,Key,Maintain,rank 2 -> 2',
      'tier,C,Cypress Cloud,Monitor,Develop,rank 3 -> 3',
    ]);
  });

  it('with it, A keeps Key and C Monitor (each crossed by less than 2 points); B, 5 points past the cut, moves; the output says who was held', async () => {
    const r = await kam([...BASE, '--format', 'csv', '--hysteresis']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^(entered|left|tier|held),/.test(l))).toEqual([
      'left,B,Beech Bearings,Key,Maintain,rank 2 -> 2',
      'tier,B,Beech Bearings,Key,Maintain,rank 2 -> 2',
      "held,A,Aspen Analytics,Maintain,Key,attractiveness 49.00: less than 2 points past the cut 50; last week's tier kept",
      "held,C,Cypress Cloud,Develop,Monitor,attractiveness 51.50: less than 2 points past the cut 50; last week's tier kept",
    ]);
    expect(r.stderr.split('\n')).toContain("kam: --hysteresis: 2 account(s) kept last week's tier (crossed the cut 50 by less than the band of 2 points)");
  });

  it('shows the held accounts as a section of the table and Markdown, and as "held" in JSON', async () => {
    const table = await kam([...BASE, '--format', 'table', '--hysteresis']);
    expect(table.stdout.split('\n').slice(-8)).toEqual([
      '',
      'Tiers held by --hysteresis: crossed the cut 50 by less than 2 points (2)',
      '┌────┬─────────────────┬─────────┬──────────┬──────────────────────┐',
      '│ ID │ Account         │ Kept    │ Model    │ Crossed              │',
      '│ A  │ Aspen Analytics │ Key     │ Maintain │ attractiveness 49.00 │',
      '│ C  │ Cypress Cloud   │ Monitor │ Develop  │ attractiveness 51.50 │',
      '└────┴─────────────────┴─────────┴──────────┴──────────────────────┘',
      '',
    ]);
    const md = await kam([...BASE, '--format', 'md', '--hysteresis']);
    expect(md.stdout.split('\n').slice(-7)).toEqual([
      '## Tiers held by --hysteresis: crossed the cut 50 by less than 2 points (2)',
      '',
      '| ID | Account | Kept | Model | Crossed |',
      '|---|---|---|---|---|',
      '| A | Aspen Analytics | Key | Maintain | attractiveness 49.00 |',
      '| C | Cypress Cloud | Monitor | Develop | attractiveness 51.50 |',
      '',
    ]);
    const json = JSON.parse((await kam([...BASE, '--format', 'json', '--hysteresis'])).stdout) as Record<string, unknown>;
    expect([json['held'], (json['after'] as { tiers: object }).tiers]).toEqual([
      [
        { account_id: 'A', account_name: 'Aspen Analytics', tier: 'Key', model_tier: 'Maintain', crossed: [{ axis: 'attractiveness', value: 49 }] },
        { account_id: 'C', account_name: 'Cypress Cloud', tier: 'Monitor', model_tier: 'Develop', crossed: [{ axis: 'attractiveness', value: 51.5 }] },
      ],
      { Key: 1, Develop: 0, Maintain: 1, Monitor: 2, Unrated: 0 },
    ]);
  });
});

describe('diff --overrides: overrides that expire within 14 days', () => {
  // fixtures/hysteresis/overrides.csv: D until 2026-12-04, B 2026-12-11, C 2026-12-12, A 2026-11-26 (expired), X (not in the file) 2026-12-01.
  it("relative to the later snapshot's date (2026-11-27, from its file name): X, D and B; C is 15 days away, A has expired", async () => {
    const r = await kam([...BASE, '--format', 'csv', '--overrides', 'fixtures/hysteresis/overrides.csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('override_expiring,'))).toEqual([
      'override_expiring,X,,tier Key,2026-12-01,"Anna Berg, in 4 days: old account"',
      'override_expiring,D,Dogwood Dairy,tier Key,2026-12-04,"Anna Berg, in 7 days: pilot of the new platform"',
      'override_expiring,B,Beech Bearings,shortlist in,2026-12-11,"Tom Ruiz, in 14 days: renewal under negotiation"',
    ]);
    expect(r.stderr.split('\n').slice(-3)).toEqual([
      "kam: fixtures/hysteresis/overrides.csv:6: warning: account_id 'X' is not among the accounts of fixtures/hysteresis/accounts-2026-11-27.csv",
      'kam: overrides: 3 of 5 in fixtures/hysteresis/overrides.csv expire within 14 days of 2026-11-27',
      '',
    ]);
  });

  it('relative to --as-of when given (2026-12-04: D today, B, C; X has expired), in the table and JSON', async () => {
    const table = await kam([...BASE, '--format', 'table', '--overrides', 'fixtures/hysteresis/overrides.csv', '--as-of', '2026-12-04']);
    expect(table.stdout.split('\n').slice(-8)).toEqual([
      'Overrides expiring within 14 days of 2026-12-04 (3)',
      '┌────┬────────────────┬──────────────┬───────────┬────────────────────────┬───────────────────────────┐',
      '│ ID │ Account        │ Override     │ Owner     │ Expires                │ Reason                    │',
      '│ D  │ Dogwood Dairy  │ tier Key     │ Anna Berg │ 2026-12-04 (today)     │ pilot of the new platform │',
      '│ B  │ Beech Bearings │ shortlist in │ Tom Ruiz  │ 2026-12-11 (in 7 days) │ renewal under negotiation │',
      '│ C  │ Cypress Cloud  │ tier Develop │ Anna Berg │ 2026-12-12 (in 8 days) │ board asked for it        │',
      '└────┴────────────────┴──────────────┴───────────┴────────────────────────┴───────────────────────────┘',
      '',
    ]);
    const json = JSON.parse(
      (await kam([...BASE, '--format', 'json', '--overrides', 'fixtures/hysteresis/overrides.csv', '--as-of', '2026-12-04'])).stdout,
    ) as Record<string, unknown>;
    expect(json['expiring_overrides']).toEqual([
      {
        account_id: 'D',
        account_name: 'Dogwood Dairy',
        tier: 'Key',
        shortlist: null,
        owner: 'Anna Berg',
        reason: 'pilot of the new platform',
        expires: '2026-12-04',
        days_left: 0,
      },
      {
        account_id: 'B',
        account_name: 'Beech Bearings',
        tier: null,
        shortlist: 'in',
        owner: 'Tom Ruiz',
        reason: 'renewal under negotiation',
        expires: '2026-12-11',
        days_left: 7,
      },
      {
        account_id: 'C',
        account_name: 'Cypress Cloud',
        tier: 'Develop',
        shortlist: null,
        owner: 'Anna Berg',
        reason: 'board asked for it',
        expires: '2026-12-12',
        days_left: 8,
      },
    ]);
  });

  it('a bad overrides file stops the diff with its line and column (exit 1)', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'kam-hold-')), 'bad.csv');
    writeFileSync(bad, 'account_id,tier,reason,owner,expires\nA,Key,,Anna,2026-12-01\n');
    const r = await kam([...BASE, '--overrides', bad]);
    expect([r.code, r.stdout, r.stderr.split('\n').slice(-3)]).toEqual([
      1,
      '',
      [`${bad}:2: reason: blank: every override needs a reason`, `kam: ${bad}: 1 problem(s) in the overrides file; nothing written`, ''],
    ]);
  });
});
