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

describe('kam explain', () => {
  it('Cartech: the identification checklist (golden)', async () => {
    const r = await kam(['explain', 'fixtures/accounts.csv', 'Cartech']);
    expect(r.code).toBe(0);
    await expect(r.stdout).toMatchFileSnapshot('../../fixtures/expected/explain-cartech.txt');
  });

  it('the worked example, as JSON: contributions add up to the score', async () => {
    const r = await kam(['explain', 'fixtures/worked-example.csv', 'A', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      score: number;
      tier: string;
      current: number;
      attractiveness: number;
      clv: number;
      signals: string[];
      tier_reason: unknown;
      checklist: { criterion: string; value: number; weight: number; contribution: number; pass: boolean }[];
    };
    expect(doc.tier).toBe('Maintain');
    expect(doc.signals).toEqual(['volume_only']);
    expect(doc.clv).toBe(900000);
    expect(doc.tier_reason).toEqual({ kind: 'matrix', currentHigh: true, attractivenessHigh: false, cut: 50 });
    expect(doc.checklist.map((c) => [c.criterion, c.value, c.weight, c.contribution, c.pass])).toEqual([
      ['volume', 83.33, 0.2, 16.67, true],
      ['potential', 23.33, 0.2, 4.67, false],
      ['ltv', 83.33, 0.25, 20.83, true],
      ['fit', 25, 0.15, 3.75, false],
      ['strategic', 0, 0.2, 0, false],
    ]);
    expect(doc.score).toBe(45.92);
  });

  it('an Unrated account says what is missing and assumed; a missing axis reads "missing"', async () => {
    const r = await kam(['explain', 'fixtures/accounts.csv', 'ACC-1040']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tier Unrated: too little data to place on the matrix (coverage 40% is below the minimum 60%)');
    expect(r.stdout).toContain('current (volume, ltv): missing · attractiveness (potential, fit, strategic): 68.13\n');
    expect(r.stdout).toContain('  missing: clv (Lifetime value)\n');
    expect(r.stdout).toContain('  assumed: revenue missing, counted as 0 in headroom\n');
  });

  it('a name matching several accounts lists them in file order (exit 2); no match is exit 2', async () => {
    const many = await kam(['explain', 'fixtures/accounts.csv', 'systems']);
    expect(many.code).toBe(2);
    expect(many.stderr).toBe(
      "kam: 'systems' matches 4 accounts; name one by id:\n  ACC-1027  Cobalt Battery Systems\n  ACC-1018  Meridian Medical Systems\n  ACC-1022  Metro Parking Systems\n  ACC-1019  Vantage Kiosk Systems\n",
    );
    const none = await kam(['explain', 'fixtures/accounts.csv', 'Nobody Inc']);
    expect({ code: none.code, stderr: none.stderr }).toEqual({ code: 2, stderr: "kam: no account matches 'Nobody Inc' (by id or name)\n" });
  });

  it('an account on a rejected row says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-explain-'));
    writeFileSync(join(dir, 'a.csv'), 'account_id,account_name,revenue\nA,Alpha,1\nB,Beta,oops\n');
    const r = await kam(['explain', join(dir, 'a.csv'), 'B']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: "kam: 'B' is on a rejected row (line 3): revenue: 'oops' is not an amount\n" });
  });
});
