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
  it('an ambiguous query lists 20 accounts and counts the rest (exit 2)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kam-explain-'));
    const rows = Array.from({ length: 25 }, (_, k) => `A${k + 1},Acme ${k + 1},${k + 1}`);
    writeFileSync(join(d, 'a.csv'), `account_id,account_name,revenue\n${rows.join('\n')}\n`);
    const r = await kam(['explain', join(d, 'a.csv'), 'acme']);
    const listed = Array.from({ length: 20 }, (_, k) => `  A${k + 1}  Acme ${k + 1}`).join('\n');
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain(`kam: 'acme' matches 25 accounts; name one by id:\n${listed}\n  ... and 5 more: a longer part of the name narrows it\n`);
  });

  it('finds an account by its id as written, by the id as kam compares it, and by a name in either accent form', async () => {
    // Zoho writes ids as zcrm_<n> (CRM-FORMATS.md §5); kam compares them without the prefix.
    const zoho = 'fixtures/exports/zoho-accounts-it.csv';
    const asWritten = await kam(['explain', zoho, 'zcrm_4876876000000111', '--format', 'json']);
    const bare = await kam(['explain', zoho, '4876876000000111', '--format', 'json']);
    expect([asWritten.code, (JSON.parse(asWritten.stdout) as { account_name: string }).account_name]).toEqual([0, 'Oleificio Toscano S.r.l.']);
    expect(bare.stdout).toBe(asWritten.stdout);
    const d = mkdtempSync(join(tmpdir(), 'kam-explain-'));
    // zcrm_zcrm_100 is compared as zcrm_100: the query zcrm_100 means the account 100, not it.
    writeFileSync(join(d, 'a.csv'), "account_id,account_name,revenue\nzcrm_100,Alfa,1\nzcrm_zcrm_100,Delta,2\n'7,Caf\u0065\u0301 Combining,3\n");
    const names = async (q: string): Promise<[number, string | undefined]> => {
      const r = await kam(['explain', join(d, 'a.csv'), q, '--format', 'json']);
      return [r.code, r.code === 0 ? (JSON.parse(r.stdout) as { account_name: string }).account_name : undefined];
    };
    expect(await names('zcrm_100')).toEqual([0, 'Alfa']);
    expect(await names('zcrm_zcrm_100')).toEqual([0, 'Delta']);
    expect(await names("'7")).toEqual([0, 'Caf\u0065\u0301 Combining']);
    expect(await names('caf\u00e9 combining')).toEqual([0, 'Caf\u0065\u0301 Combining']);
  });

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
    expect(doc.tier_reason).toEqual({ kind: 'matrix', current_high: true, attractiveness_high: false, cut: 50 });
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

  it('the id of a rejected row is reported as such, not taken as a part of a valid name (exit 1: the row must be fixed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-explain-'));
    const f = join(dir, 'a.csv');
    writeFileSync(f, 'account_id,account_name,revenue\nE,Echo,1\nC,Cedar,oops\nA,Alpha,2\nA,Alpha dup,3\n');
    // 'C' is a part of "Echo"; before, the rejected row's id silently explained Echo.
    const byId = await kam(['explain', f, 'C']);
    expect({ code: byId.code, stdout: byId.stdout, stderr: byId.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: "kam: 'C' is on a rejected row (line 3): revenue: 'oops' is not an amount\n",
    });
    // A rejected row's name, in any case, and a part of it.
    const byName = await kam(['explain', f, 'alpha DUP']);
    expect({ code: byName.code, stderr: byName.stderr }).toEqual({
      code: 1,
      stderr: "kam: 'alpha DUP' is on a rejected row (line 5): account_id: duplicate account id 'A': first seen at line 4\n",
    });
    expect((await kam(['explain', f, 'pha d'])).stderr).toBe(
      "kam: 'pha d' is on a rejected row (line 5): account_id: duplicate account id 'A': first seen at line 4\n",
    );
    // A cell of a rejected row that is neither its id nor its name is no match.
    expect((await kam(['explain', f, 'oops'])).stderr).toBe("kam: no account matches 'oops' (by id or name)\n");
    // A valid account still wins by its exact name, and a part of a name still works.
    expect((await kam(['explain', f, 'alpha'])).stdout.split('\n')[0]).toBe(`Alpha (A), ${f} line 4`);
    expect((await kam(['explain', f, 'ech'])).stdout.split('\n')[0]).toBe(`Echo (E), ${f} line 2`);
  });

  it('the points of the checklist add up to the score as shown, in text and JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-explain-'));
    const f = join(dir, 'a.csv');
    writeFileSync(
      f,
      'account_id,account_name,revenue,potential_revenue,product_fit,strategic_value,gross_margin\nB,Bravo,100,500,3,3,10%\nA,Alpha,100,500,3,3,10%\nE,Echo,200,100,9,3,10%\n',
    );
    // Unrounded: 6.667 + 13.333 + 8.333 + 3.333 + 10 = 41.667; rounded one by one they would show 41.66.
    const text = await kam(['explain', f, 'Alpha']);
    expect(text.stdout).toContain('score 41.67 · rank 2 of 3');
    const points = text.stdout
      .split('\n')
      .filter((l) => /^│ [A-Z]/.test(l) && !l.startsWith('│ Criterion'))
      .map((l) => l.split('│')[5]!.trim());
    expect(points).toEqual(['6.67', '13.34', '8.33', '3.33', '10.00']);
    const doc = JSON.parse((await kam(['explain', f, 'Alpha', '--format', 'json'])).stdout) as { score: number; checklist: { contribution: number }[] };
    expect([doc.score, doc.checklist.map((c) => c.contribution)]).toEqual([41.67, [6.67, 13.34, 8.33, 3.33, 10]]);
  });

  it('an account on a rejected row says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-explain-'));
    writeFileSync(join(dir, 'a.csv'), 'account_id,account_name,revenue\nA,Alpha,1\nB,Beta,oops\n');
    const r = await kam(['explain', join(dir, 'a.csv'), 'B']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: "kam: 'B' is on a rejected row (line 3): revenue: 'oops' is not an amount\n" });
  });
});

describe('kam explain on a constant signal (SCORING.md §3)', () => {
  it('every revenue 0: the revenue and clv measures say "tie of all 3 accounts", the tier line says so instead of "high value today"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-explain-'));
    const file = join(dir, 'constant.csv');
    writeFileSync(
      file,
      'account_id,account_name,revenue,potential_revenue,gross_margin,retention_rate,product_fit,strategic_value\n' +
        'A1,Alpha,0,500000,30%,90%,4,5\nA2,Beta,0,200000,25%,80%,3,2\nA3,Gamma,0,50000,20%,85%,2,4\n',
    );
    const r = await kam(['explain', file, 'Alpha']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toBe(
      'score 70.42 · rank 1 of 3 · tier Key: tie of all 3 accounts on value today and high attractiveness: invest, a dedicated key account plan (current 50.00 >= 50, attractiveness 87.12 >= 50) · coverage 100%',
    );
    expect(r.stdout).not.toContain('high value today');
    expect(lines.filter((l) => l.includes('tie of all')).map((l) => /(\w+ [\d.]+ \(tie of all \d accounts\))/.exec(l)?.[1])).toEqual([
      undefined,
      'revenue 50.00 (tie of all 3 accounts)',
      'clv 50.00 (tie of all 3 accounts)',
    ]);
    const json = await kam(['explain', file, 'Alpha', '--format', 'json']);
    const doc = JSON.parse(json.stdout) as { checklist: { measures: { measure: string; tie_of?: number }[] }[] };
    expect(doc.checklist.flatMap((c) => c.measures.filter((m) => m.tie_of !== undefined).map((m) => [m.measure, m.tie_of]))).toEqual([
      ['revenue', 3],
      ['clv', 3],
    ]);
  });

  it('borderline says which axis lies how close to the cut (SCORING.md §4)', async () => {
    const r = await kam(['explain', 'fixtures/worked-example.csv', 'B']);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  borderline'))).toEqual([
      '  borderline: current 50.00 is less than 2 points from the cut 50: a small change of data could move the tier',
    ]);
  });

  it('an account whose measures differ reads as before', async () => {
    const r = await kam(['explain', 'fixtures/accounts.csv', 'Cartech']);
    expect(r.stdout).not.toContain('tie of all');
  });
});
