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

/** The cells of the named columns (kam_override is the only quoted cell of these files). */
const column = (csv: string, names: string[]) => {
  const [head, ...rows] = csv.trim().split('\n');
  const at = names.map((n) => head!.split(',').indexOf(n));
  return rows.map((r) => {
    const cells = r.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
    return at.map((k) => cells[k]);
  });
};

// fixtures/overrides/overrides.csv on fixtures/gates/accounts.csv, as of 2026-11-27:
// A5 Monitor -> Key (active), A2 shortlist out (active, expires in 8 days), A6 (expired), ZZ9 (unknown id).
const ARGS = [
  'score',
  'fixtures/gates/accounts.csv',
  '--shortlist',
  '3',
  '--overrides',
  'fixtures/overrides/overrides.csv',
  '--as-of',
  '2026-11-27',
  '--format',
  'csv',
];

describe('overrides (SCORING.md §4)', () => {
  it('active overrides set the effective tier and shortlist; kam_override says model -> override, owner, until, reason', async () => {
    const r = await kam(ARGS);
    expect(r.code).toBe(0);
    expect(column(r.stdout, ['account_id', 'kam_rank', 'kam_tier', 'kam_shortlist', 'kam_override'])).toEqual([
      ['A1', '1', 'Key', 'yes', ''],
      ['A3', '2', 'Key', 'yes', ''],
      ['A2', '3', 'Develop', 'no', 'shortlist in -> out, Ben Ode, until 2026-12-05: credit hold until the invoices are paid'],
      // A2's place goes to the next best Develop account
      ['A4', '4', 'Develop', 'yes', ''],
      ['A6', '5', 'Monitor', 'no', ''],
      ['A5', '6', 'Key', 'no', 'Monitor -> Key, Anna Berg, until 2026-12-31: signed a framework agreement'],
    ]);
  });

  it('an expired override is ignored with a note, an unknown id is a warning, one expiring within 14 days is announced', async () => {
    const r = await kam(ARGS);
    expect(r.stderr).toBe(
      "kam: fixtures/overrides/overrides.csv:3: override for 'A2' (Ben Ode) expires on 2026-12-05\n" +
        "kam: fixtures/overrides/overrides.csv:4: override for 'A6' expired on 2026-10-31: ignored (renew it or delete the row)\n" +
        "kam: fixtures/overrides/overrides.csv:5: warning: account_id 'ZZ9' is not among the valid rows of fixtures/gates/accounts.csv: override ignored\n" +
        'kam: overrides: 2 of 4 applied from fixtures/overrides/overrides.csv\n',
    );
  });

  it('after its expiry date the override no longer applies: A5 is Monitor again', async () => {
    const r = await kam(ARGS.map((a) => (a === '2026-11-27' ? '2027-01-01' : a)));
    expect(column(r.stdout, ['account_id', 'kam_tier', 'kam_override']).find((x) => x[0] === 'A5')).toEqual(['A5', 'Monitor', '']);
    expect(r.stderr).toContain("kam: fixtures/overrides/overrides.csv:2: override for 'A5' expired on 2026-12-31: ignored (renew it or delete the row)\n");
  });

  it('explain says who and why', async () => {
    const r = await kam(['explain', 'fixtures/gates/accounts.csv', 'A5', '--overrides', 'fixtures/overrides/overrides.csv', '--as-of', '2026-11-27']);
    expect(r.stdout.split('\n')[2]).toBe('override: Monitor -> Key, Anna Berg, until 2026-12-31: signed a framework agreement');
  });

  it('without --overrides there is no kam_override column', async () => {
    const r = await kam(['score', 'fixtures/gates/accounts.csv', '--shortlist', '3', '--format', 'csv']);
    expect(r.stdout.split('\n')[0]!.endsWith(',kam_errors,kam_shortlist,kam_model')).toBe(true);
  });

  it('a row without reason, owner or a valid expiry is an input error with line and column (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-overrides-'));
    const f = join(dir, 'o.csv');
    writeFileSync(f, 'account_id,tier,reason,owner,expires\nA1,Gold,x,y,2026-12-01\nA2,Key,,y,soon\n');
    const r = await kam(['score', 'fixtures/gates/accounts.csv', '--overrides', f, '--format', 'csv']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe(
      `${f}:2: tier: 'Gold' is not a tier an override can set (Key, Develop, Maintain, Monitor)\n` +
        `${f}:3: reason: blank: every override needs a reason\n` +
        `${f}:3: expires: 'soon' is not a date (expected YYYY-MM-DD)\n` +
        `kam: ${f}: 3 problem(s) in the overrides file; nothing written\n`,
    );
  });
});
