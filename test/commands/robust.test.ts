import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo } from '../helpers/fake-io.ts';

async function kam(args: string[], opts: Parameters<typeof fakeIo>[0] = {}) {
  const f = fakeIo(opts);
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

interface RobustJsonRow {
  account_id: string;
  kam_shortlist: boolean;
  shortlist_acceptability: number;
  top_k_acceptability: number;
  top_k_exact: string | null;
  rank_median: number;
  rank_p5: number;
  rank_p95: number;
  central_volume: number | null;
  central_potential: number | null;
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kam-robust-'));

describe('goldens of every format (reviewed files in fixtures/expected/)', () => {
  for (const [format, ext] of [
    ['csv', 'csv'],
    ['json', 'json'],
    ['ndjson', 'ndjson'],
    ['md', 'md'],
    ['table', 'txt'],
  ] as const) {
    it(`kam robust fixtures/accounts.csv --shortlist 10 --format ${format}`, async () => {
      const r = await kam(['robust', 'fixtures/accounts.csv', '--shortlist', '10', '--format', format]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(
        'kam: retention_rate and churn_risk both given on 1 row: retention_rate used\n' +
          'kam: robust: 10,000 weightings sampled (concentration 20, seed 1); shortlist: the best 10 Key/Develop accounts; top k: 10\n',
      );
      await expect(r.stdout).toMatchFileSnapshot(`../../fixtures/expected/robust-accounts.${ext}`);
    });
  }
});

describe('the analytic SMAA example end to end (fixtures/robust/smaa-abc.csv: kam_ criteria A (100,0), B (0,100), C (60,60))', () => {
  // tier_cut 0 puts all three in Key, so the shortlist of 1 is rank 1; weights volume = potential.
  const base = ['robust', 'fixtures/robust/smaa-abc.csv', '--config', 'fixtures/robust/tier-cut-0.json', '--shortlist', '1', '--top', '2', '--format', 'json'];
  const pick = (rows: RobustJsonRow[]) =>
    Object.fromEntries(rows.map((r) => [r.account_id, [r.shortlist_acceptability, r.top_k_acceptability, r.central_volume, r.central_potential]]));

  it('an evenly spaced grid of 1,000 weightings (w1 = (i - 1/2)/N) as a weights file gives the exact values', async () => {
    const dir = tmp();
    const lines = ['volume,potential,ltv,fit,strategic'];
    for (let i = 1; i <= 1000; i++) lines.push(`${(i - 0.5) / 1000},${1 - (i - 0.5) / 1000},0,0,0`);
    writeFileSync(join(dir, 'grid.csv'), lines.join('\n') + '\n');
    const r = await kam([...base, '--weights-file', join(dir, 'grid.csv')]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { accounts: RobustJsonRow[]; stability: unknown[] };
    expect(pick(doc.accounts)).toEqual({ A: [0.4, 0.5, 0.8, 0.2], B: [0.4, 0.5, 0.2, 0.8], C: [0.2, 1, 0.5, 0.5] });
    expect(doc.accounts.map((a) => [a.account_id, a.rank_median, a.rank_p5, a.rank_p95])).toEqual([
      ['C', 2, 1, 2],
      ['A', 2, 1, 3],
      ['B', 2, 1, 3],
    ]);
    // C keeps its place while 0.4 < w1 < 0.6 (100 w1 < 60 and 100 (1 - w1) < 60).
    expect(doc.stability.slice(0, 2)).toEqual([
      { criterion: 'volume', weight: 0.5, low: 0.4, high: 0.6 },
      { criterion: 'potential', weight: 0.5, low: 0.4, high: 0.6 },
    ]);
    expect(r.stderr).toBe(
      'kam: fixtures/robust/smaa-abc.csv: written by kam score: its kam_ criteria are used as they are\n' +
        `kam: robust: 1,000 weightings from ${join(dir, 'grid.csv')}; shortlist: the best 1 Key/Develop accounts; top k: 2\n`,
    );
  });

  it('10,000 Dirichlet(1,1) samples (--concentration 2 around (1/2, 1/2)) are within 0.015 of them', async () => {
    const r = await kam([...base, '--concentration', '2', '--seed', '2001']);
    expect(r.code).toBe(0);
    const got = pick((JSON.parse(r.stdout) as { accounts: RobustJsonRow[] }).accounts);
    const exact = { A: [0.4, 0.5, 0.8, 0.2], B: [0.4, 0.5, 0.2, 0.8], C: [0.2, 1, 0.5, 0.5] };
    for (const [id, values] of Object.entries(exact)) {
      values.forEach((v, k) => {
        expect(Math.abs(got[id]![k]! - v)).toBeLessThan(0.015);
      });
    }
  });
});

describe('one weighting equal to the configured weights is kam score', () => {
  for (const shortlist of [['--shortlist', '10'], []]) {
    it(`acceptability 1 for exactly kam score's shortlist, 0 for every other account (${shortlist.join(' ') || 'the Key tier'})`, async () => {
      const dir = tmp();
      writeFileSync(join(dir, 'one.csv'), 'volume,potential,ltv,fit,strategic\n0.2,0.2,0.25,0.15,0.2\n');
      const robust = await kam(['robust', 'fixtures/accounts.csv', ...shortlist, '--weights-file', join(dir, 'one.csv'), '--format', 'json']);
      const score = await kam(['score', 'fixtures/accounts.csv', '--shortlist', shortlist[1] ?? '40', '--format', 'json']);
      const scored = JSON.parse(score.stdout) as { account_id: string; kam_tier: string; kam_shortlist: boolean }[];
      const listed = new Set(scored.filter((r) => (shortlist.length ? r.kam_shortlist : r.kam_tier === 'Key')).map((r) => r.account_id));
      const rows = (JSON.parse(robust.stdout) as { accounts: RobustJsonRow[] }).accounts;
      expect(rows).toHaveLength(40);
      expect(listed.size).toBeGreaterThan(0);
      for (const row of rows) {
        expect([row.account_id, row.shortlist_acceptability, row.kam_shortlist]).toEqual([
          row.account_id,
          listed.has(row.account_id) ? 1 : 0,
          listed.has(row.account_id),
        ]);
      }
    });
  }
});

describe('--weights-file', () => {
  it('a panel: one weighting per manager, the label column named on nothing else', async () => {
    const r = await kam(['robust', 'fixtures/accounts.csv', '--shortlist', '5', '--weights-file', 'fixtures/robust/panel.csv', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').at(-2)).toBe('kam: robust: 4 weightings from fixtures/robust/panel.csv; shortlist: the best 5 Key/Develop accounts; top k: 5');
    const first = r.stdout.split('\n')[1]!.split(',');
    // Helix Robotics is first under every manager's weights.
    expect(first.slice(0, 8)).toEqual(['ACC-1003', '"Helix Robotics', ' Inc."', '1', 'Key', 'yes', '1.000', '0.000']);
  });

  it('bad cells are listed with line and column; exit 1 and nothing written', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.csv'), 'volume,potential,ltv,fit,strategic,notes\n1,2,x,1,1,a\n0,0,0,0,0,b\n1,,1,-1,1,c\n');
    const r = await kam(['robust', 'fixtures/accounts.csv', '--weights-file', join(dir, 'bad.csv')]);
    const f = join(dir, 'bad.csv');
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe(
      'kam: retention_rate and churn_risk both given on 1 row: retention_rate used\n' +
        `${f}:2: ltv: 'x' is not a number\n` +
        `${f}:3: volume, potential, ltv, fit, strategic: every weight is 0: a scenario needs a positive sum\n` +
        `${f}:4: potential: blank: give 0 for a criterion this scenario leaves out\n` +
        `${f}:4: fit: '-1' is negative: weights are >= 0\n` +
        `kam: ${f}: 4 problem(s) in the weights file; no analysis run\n`,
    );
  });

  it('a missing criterion column is an error; an extra column besides the label is said on stderr', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'short.csv'), 'volume,potential,ltv,fit\n1,1,1,1\n');
    writeFileSync(join(dir, 'extra.csv'), 'who,volume,potential,ltv,fit,strategic,comment\nAnna,1,1,1,1,1,hi\n');
    const short = await kam(['robust', 'fixtures/accounts.csv', '--weights-file', join(dir, 'short.csv')]);
    expect([short.code, short.stderr.split('\n').slice(1, 3)]).toEqual([
      1,
      [
        `${join(dir, 'short.csv')}:1: strategic: missing column(s): a weights file needs volume, potential, ltv, fit, strategic`,
        `kam: ${join(dir, 'short.csv')}: 1 problem(s) in the weights file; no analysis run`,
      ],
    ]);
    const extra = await kam(['robust', 'fixtures/accounts.csv', '--weights-file', join(dir, 'extra.csv'), '--format', 'csv']);
    expect(extra.code).toBe(0);
    expect(extra.stderr).toContain(
      `kam: ${join(dir, 'extra.csv')}: column(s) 'comment' ignored: a weights file has volume, potential, ltv, fit, strategic and one label column\n`,
    );
  });

  it('with --samples, --concentration or --seed is a usage error (exit 2)', async () => {
    const r = await kam(['robust', 'fixtures/accounts.csv', '--weights-file', 'fixtures/robust/panel.csv', '--seed', '3']);
    expect([r.code, r.stderr.split('\n').at(-2)]).toEqual([2, 'kam: --seed is for sampled weightings; --weights-file gives them instead']);
  });
});

describe('sampling options', () => {
  it('the same seed gives the same bytes; another seed other samples', async () => {
    const args = ['robust', 'fixtures/accounts.csv', '--samples', '500', '--format', 'csv'];
    const a = await kam([...args, '--seed', '9']);
    const b = await kam([...args, '--seed', '9']);
    const c = await kam([...args, '--seed', '10']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
    expect(a.stderr).toContain('kam: robust: 500 weightings sampled (concentration 20, seed 9); shortlist: the Key tier; top k: 10\n');
  });

  it('bad values are usage errors (exit 2)', async () => {
    for (const [flag, value, message] of [
      ['--concentration', '0', "kam: option '--concentration <k>' argument '0' is invalid. --concentration takes a number > 0.\n"],
      ['--seed', '-1', "kam: option '--seed <n>' argument '-1' is invalid. --seed takes a whole number from 0 to 4294967295.\n"],
      ['--samples', '0', "kam: option '--samples <n>' argument '0' is invalid. --samples takes a whole number >= 1.\n"],
    ] as const) {
      const r = await kam(['robust', 'fixtures/accounts.csv', flag, value]);
      expect([r.code, r.stderr]).toEqual([2, `${message}(run with --help for usage)\n`]);
    }
  });
});

describe('an enriched CSV (what kam score wrote) is re-examined with its kam_ criteria', () => {
  it('gives the same shortlist at the configured weights as the scored file says', async () => {
    const dir = tmp();
    const scored = await kam(['score', 'fixtures/accounts.csv', '--shortlist', '10', '--format', 'csv']);
    writeFileSync(join(dir, 'scored.csv'), scored.stdout);
    const r = await kam(['robust', join(dir, 'scored.csv'), '--shortlist', '10', '--samples', '1000', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`kam: ${join(dir, 'scored.csv')}: written by kam score: its kam_ criteria are used as they are\n`);
    const rows = (JSON.parse(r.stdout) as { accounts: RobustJsonRow[] }).accounts;
    const lines = scored.stdout.trim().split('\n');
    // the fixture's quoted names hold commas: count kam_shortlist from the end (kam_model is last)
    const fromEnd = lines[0]!.split(',').reverse().indexOf('kam_shortlist');
    const yes = lines
      .slice(1)
      .filter((l) => l.split(',').reverse()[fromEnd] === 'yes')
      .map((l) => l.split(',')[0]);
    expect(
      rows
        .filter((x) => x.kam_shortlist)
        .map((x) => x.account_id)
        .sort(),
    ).toEqual(yes.sort());
  });
});

describe('explain --robust', () => {
  it("shows the account's acceptability, the same numbers kam robust gives with its defaults", async () => {
    const r = await kam(['explain', 'fixtures/accounts.csv', 'Cartech', '--robust']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[2]).toBe(
      'robust: on the shortlist (the Key tier) in 0.0% of 10,000 weightings (± 0.0), in the top 10 in 51.7%; median rank 10 (90% of weightings: 6-17); kam robust fixtures/accounts.csv has the detail',
    );
    const rows = (
      JSON.parse((await kam(['robust', 'fixtures/accounts.csv', '--format', 'json'])).stdout) as { accounts: (RobustJsonRow & { account_name: string })[] }
    ).accounts;
    const cartech = rows.find((x) => x.account_name === 'Cartech')!;
    expect([cartech.shortlist_acceptability, cartech.top_k_acceptability, cartech.rank_median, cartech.rank_p5, cartech.rank_p95]).toEqual([
      0, 0.517, 10, 6, 17,
    ]);
  });
});
