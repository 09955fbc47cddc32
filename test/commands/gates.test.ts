import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo } from '../helpers/fake-io.ts';

async function kam(args: string[]) {
  const f = fakeIo();
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

// fixtures/gates/accounts.csv: six accounts; kam.config.json gates gross_margin < 0 (Bravo),
// country in [Iran, North Korea] (Charlie) and the yes/no column "Do not target" (Delta).
const CONFIG = ['-c', 'fixtures/gates/kam.config.json'];
const column = (csv: string, names: string[]) => {
  const [head, ...rows] = csv.trim().split('\n');
  const at = names.map((n) => head!.split(',').indexOf(n));
  // the fixture has no quoted commas before kam's columns, only in kam_gate (last)
  return rows.map((r) => {
    const cells = r.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
    return at.map((k) => cells[k]);
  });
};

describe('gates (SCORING.md §4)', () => {
  it('gated accounts keep their score, take tier Gated after the rated tiers, leave the shortlist; kam_gate names the rule', async () => {
    const r = await kam(['score', 'fixtures/gates/accounts.csv', ...CONFIG, '--shortlist', '3', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(column(r.stdout, ['account_id', 'kam_rank', 'kam_score', 'kam_tier', 'kam_shortlist', 'kam_gate'])).toEqual([
      ['A1', '1', '90.83', 'Key', 'yes', ''],
      ['A6', '2', '32.22', 'Monitor', 'no', ''],
      ['A5', '3', '22.92', 'Monitor', 'no', ''],
      ['A3', '4', '70.42', 'Gated', 'no', 'country in [Iran, North Korea]'],
      ['A2', '5', '67.50', 'Gated', 'no', 'gross_margin < 0'],
      ['A4', '6', '60.42', 'Gated', 'no', 'Do not target'],
    ]);
    expect(r.stderr).toBe(
      'kam: config fixtures/gates/kam.config.json applied\n' +
        'kam: gates: 3 account(s) gated (gross_margin < 0: 1; country in [Iran, North Korea]: 1; Do not target: 1): tier Gated, never Key or on the shortlist\n' +
        "kam: gate 'gross_margin < 0': 1 account(s) of fixtures/gates/accounts.csv have no usable value for it and were not judged by it\n" +
        "kam: gate 'country in [Iran, North Korea]': 1 account(s) of fixtures/gates/accounts.csv have no usable value for it and were not judged by it\n",
    );
  });

  it('without gates the same file is scored as before: no kam_gate column, Charlie Key and Bravo Develop', async () => {
    const r = await kam(['score', 'fixtures/gates/accounts.csv', '--format', 'csv']);
    expect(r.stdout.split('\n')[0]!.endsWith(',kam_signals,kam_errors,kam_model')).toBe(true);
    expect(column(r.stdout, ['account_id', 'kam_rank', 'kam_tier'])).toEqual([
      ['A1', '1', 'Key'],
      ['A3', '2', 'Key'],
      ['A2', '3', 'Develop'],
      ['A4', '4', 'Develop'],
      ['A6', '5', 'Monitor'],
      ['A5', '6', 'Monitor'],
    ]);
  });

  it('the table summary counts Gated only when a gate is configured', async () => {
    const gated = await kam(['score', 'fixtures/gates/accounts.csv', ...CONFIG, '--format', 'table']);
    const plain = await kam(['score', 'fixtures/gates/accounts.csv', '--format', 'table']);
    expect(gated.stdout.trim().split('\n').at(-1)).toBe('Key 1 · Develop 0 · Maintain 0 · Monitor 2 · Gated 3 · Unrated 0 · rejected 0');
    expect(plain.stdout.trim().split('\n').at(-1)).toBe('Key 2 · Develop 2 · Maintain 0 · Monitor 2 · Unrated 0 · rejected 0');
  });

  it('explain says which gate fired and the tier without it', async () => {
    const r = await kam(['explain', 'fixtures/gates/accounts.csv', 'A3', ...CONFIG]);
    expect(r.stdout.split('\n')[1]).toBe(
      "score 70.42 · rank 4 of 6 · tier Gated: a knock-out gate of the config fired: scored, but never Key or on the shortlist (gate 'country in [Iran, North Korea]' fired; without it Key: current 64.81 >= 50, attractiveness 75.00 >= 50) · coverage 100%",
    );
    const json = JSON.parse((await kam(['explain', 'fixtures/gates/accounts.csv', 'A4', ...CONFIG, '--format', 'json'])).stdout) as {
      tier: string;
      gate: unknown;
    };
    expect([json.tier, json.gate]).toEqual(['Gated', { rule: 'Do not target', model_tier: 'Develop' }]);
  });

  it('validate counts the gated accounts', async () => {
    const r = await kam(['validate', 'fixtures/gates/accounts.csv', ...CONFIG]);
    expect(r.stdout.split('\n')[3]).toBe('gates: 3 of 6 valid account(s) gated (gross_margin < 0: 1; country in [Iran, North Korea]: 1; Do not target: 1)');
    const json = JSON.parse((await kam(['validate', 'fixtures/gates/accounts.csv', ...CONFIG, '--format', 'json'])).stdout) as { gates: unknown };
    expect(json.gates).toEqual({
      gated: 3,
      rules: [
        { rule: 'gross_margin < 0', applied: true, gated: 1, not_judged: 1 },
        { rule: 'country in [Iran, North Korea]', applied: true, gated: 1, not_judged: 1 },
        { rule: 'Do not target', applied: true, gated: 1, not_judged: 0 },
      ],
    });
  });

  it('a gate on a column the file lacks is not applied, with a warning', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path'); // eslint-disable-line @typescript-eslint/unbound-method -- path.join does not use `this`
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'kam-gates-'));
    writeFileSync(join(dir, 'k.json'), JSON.stringify({ gates: ['Credit hold', 'employees > 100'] }));
    const r = await kam(['score', 'fixtures/gates/accounts.csv', '-c', join(dir, 'k.json'), '--format', 'csv']);
    expect(r.stderr).toBe(
      `kam: config ${join(dir, 'k.json')} applied\n` +
        'kam: gates: 0 account(s) gated: tier Gated, never Key or on the shortlist\n' +
        "kam: warning: gate 'Credit hold' not applied: no column 'Credit hold' or canonical field of that name in fixtures/gates/accounts.csv\n" +
        "kam: warning: gate 'employees > 100' not applied: no column of fixtures/gates/accounts.csv maps to employees\n",
    );
    expect(r.stdout.split('\n')[0]!.endsWith(',kam_errors,kam_gate,kam_model')).toBe(true);
  });

  it('robust keeps a gated account Gated in every weighting (tier_gated 1, acceptability 0)', async () => {
    const r = await kam(['robust', 'fixtures/gates/accounts.csv', ...CONFIG, '--shortlist', '2', '--samples', '500', '--format', 'json']);
    const rows = (JSON.parse(r.stdout) as { accounts: { account_id: string; kam_tier: string; shortlist_acceptability: number; tier_gated: number }[] })
      .accounts;
    expect(rows.filter((x) => x.kam_tier === 'Gated').map((x) => [x.account_id, x.shortlist_acceptability, x.tier_gated])).toEqual([
      ['A3', 0, 1],
      ['A2', 0, 1],
      ['A4', 0, 1],
    ]);
  });
});
