import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
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

interface JsonRow {
  account_id: string;
  account_name: string;
  kam_rank: number | null;
  kam_score: number | null;
  kam_tier: string;
  kam_signals: string[];
  kam_errors: string;
}

describe("kam score on fixtures/accounts.csv: the article's stories", () => {
  it('Vicom is Maintain with volume_only; Cartech is Key or Develop with rising or headroom; Snow Industries has thin_margin and is not Key', async () => {
    const r = await kam(['score', 'fixtures/accounts.csv', '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    const by = (name: string) => rows.find((x) => x.account_name === name)!;
    expect(by('Vicom').kam_tier).toBe('Maintain');
    expect(by('Vicom').kam_signals).toContain('volume_only');
    expect(['Key', 'Develop']).toContain(by('Cartech').kam_tier);
    expect(by('Cartech').kam_signals.some((s) => s === 'rising' || s === 'headroom')).toBe(true);
    expect(by('Snow Industries').kam_signals).toContain('thin_margin');
    expect(by('Snow Industries').kam_tier).not.toBe('Key');
    // Exact values, cross-checked with the independent oracle fixtures/check-stories.py.
    expect([by('Vicom').kam_score, by('Cartech').kam_score, by('Snow Industries').kam_score]).toEqual([54.31, 68.08, 48.76]);
    expect(by('Cartech').kam_signals).toEqual(['headroom', 'rising']);
    expect(by('Snow Industries').kam_signals).toEqual(['volume_only', 'thin_margin', 'retention_risk']);
  });

  it('ranks 40 accounts 1..40 with no gaps, Unrated last', async () => {
    const r = await kam(['score', 'fixtures/accounts.csv', '--format', 'json']);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    expect(rows.map((x) => x.kam_rank)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(rows.at(-1)!.account_id).toBe('ACC-1040');
    expect(rows.at(-1)!.kam_tier).toBe('Unrated');
  });
});

describe('the README worked example (fixtures/worked-example.csv), computed by hand', () => {
  it('gives B 69.17 Key, A 45.92 Maintain (volume_only), C 33.67 Monitor', async () => {
    const r = await kam(['score', 'fixtures/worked-example.csv', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'account_id,account_name,revenue,potential_revenue,pipeline,growth_rate,gross_margin,retention_rate,product_fit,strategic_value,kam_rank,kam_score,kam_tier,kam_volume,kam_potential,kam_ltv,kam_fit,kam_strategic,kam_current,kam_attractiveness,kam_coverage,kam_signals,kam_errors,kam_model',
        'B,Birch Biotech,400000,1600000,300000,20%,40%,90%,5,4,1,69.17,Key,50.00,83.33,50.00,100.00,75.00,50.00,84.85,1.00,headroom;borderline,,v2-bf8886e8',
        'A,Alder Appliances,1000000,1100000,50000,0%,20%,90%,2,1,2,45.92,Maintain,83.33,23.33,83.33,25.00,0.00,83.33,15.30,1.00,volume_only,,v2-bf8886e8',
        'C,Cedar Controls,100000,300000,20000,5%,30%,80%,3,3,3,33.67,Monitor,16.67,43.33,16.67,50.00,50.00,16.67,47.58,1.00,headroom,,v2-bf8886e8',
        '',
      ].join('\n'),
    );
  });
});

describe('goldens of every format (reviewed files in fixtures/expected/)', () => {
  for (const [format, ext] of [
    ['csv', 'csv'],
    ['json', 'json'],
    ['ndjson', 'ndjson'],
    ['md', 'md'],
    ['table', 'txt'],
  ] as const) {
    it(`--format ${format}`, async () => {
      const r = await kam(['score', 'fixtures/accounts.csv', '--format', format]);
      expect(r.code).toBe(0);
      await expect(r.stdout).toMatchFileSnapshot(`../../fixtures/expected/score-accounts.${ext}`);
    });
  }
});

describe('options', () => {
  it('--top 3 --tier Key,Develop keeps the first 3 of those tiers', async () => {
    const r = await kam(['score', 'fixtures/accounts.csv', '--format', 'json', '--tier', 'key,Develop', '--top', '3']);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    expect(rows.map((x) => [x.account_id, x.kam_tier])).toEqual([
      ['ACC-1003', 'Key'],
      ['ACC-1021', 'Key'],
      ['ACC-1012', 'Key'],
    ]);
    const d = JSON.parse((await kam(['score', 'fixtures/accounts.csv', '--format', 'json', '--tier', 'Develop', '--top', '2'])).stdout) as JsonRow[];
    expect(d.map((x) => x.account_name)).toEqual(['Cartech', 'Sable Medical Devices']);
  });

  it('--top and --tier write only the rows asked for: rejected rows when --tier names Invalid, and stderr says where they are', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kam-top-'));
    writeFileSync(join(d, 'in.csv'), 'account_id,account_name,revenue\nA,Alpha,100\nB,Beta,abc\nC,Gamma,50\n');
    const run = async (...more: string[]) => kam(['score', 'in.csv', '--format', 'csv', '--rfc4180', ...more], { cwd: d });
    const header =
      'account_id,account_name,revenue,kam_rank,kam_score,kam_tier,kam_volume,kam_potential,kam_ltv,kam_fit,kam_strategic,kam_current,kam_attractiveness,kam_coverage,kam_signals,kam_errors,kam_model\n';
    const alpha = 'A,Alpha,100,1,75.00,Unrated,75.00,,,,,75.00,,0.20,low_coverage,,v2-bf8886e8\n';
    const gamma = 'C,Gamma,50,2,25.00,Unrated,25.00,,,,,25.00,,0.20,low_coverage,,v2-bf8886e8\n';
    const beta = "B,Beta,abc,,,Invalid,,,,,,,,,,line 3: revenue: 'abc' is not an amount,v2-bf8886e8\n";
    const said = (note: string): string =>
      `in.csv:3: revenue: 'abc' is not an amount\nkam: 1 of 3 row(s) rejected${note}\nkam: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone\n`;
    const kept = ' (kept as tier Invalid with the reason in kam_errors)';
    expect(await run()).toEqual({ code: 0, stdout: header + alpha + gamma + beta, stderr: said(kept) });
    expect(await run('--top', '1')).toEqual({
      code: 0,
      stdout: header + alpha,
      stderr: said(' (not in this output: --rejects FILE writes them with their reasons)'),
    });
    expect(await run('--tier', 'unrated')).toEqual({
      code: 0,
      stdout: header + alpha + gamma,
      stderr: said(' (not in this output: --rejects FILE writes them with their reasons)'),
    });
    expect(await run('--tier', 'Unrated,invalid', '--top', '1')).toEqual({ code: 0, stdout: header + alpha + beta, stderr: said(kept) });
    expect(await run('--tier', 'Invalid')).toEqual({ code: 0, stdout: header + beta, stderr: said(kept) });
    expect(await run('--top', '1', '--rejects', 'rej.csv')).toEqual({
      code: 0,
      stdout: header + alpha,
      stderr: said(' (not in this output: --rejects rej.csv has them with their reasons)'),
    });
    expect(readFileSync(join(d, 'rej.csv'), 'utf8')).toBe(
      "account_id,account_name,revenue,kam_line,kam_errors\nB,Beta,abc,3,line 3: revenue: 'abc' is not an amount\n",
    );
  });

  it('--tier with an unknown tier is a usage error (exit 2)', async () => {
    const r = await kam(['score', 'fixtures/accounts.csv', '--tier', 'Gold']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kam: --tier: unknown tier 'Gold' (tiers: Key, Develop, Maintain, Monitor, Gated, Unrated, Invalid)\n");
  });

  it('--weights changes the composite and rejects bad weights', async () => {
    const r = await kam(['score', 'fixtures/worked-example.csv', '--format', 'json', '--weights', 'volume=1,potential=0,ltv=0,fit=0,strategic=0']);
    const rows = JSON.parse(r.stdout) as JsonRow[];
    expect(rows.map((x) => [x.account_id, x.kam_score])).toEqual([
      ['A', 83.33],
      ['B', 50],
      ['C', 16.67],
    ]);
    for (const [spec, msg] of [
      ['volume=-1', "kam: --weights: weight of volume must be a finite non-negative number, got '-1'\n"],
      ['volume=0,potential=0,ltv=0,fit=0,strategic=0', 'kam: --weights: the weights must have a positive sum\n'],
      ['size=2', "kam: --weights: unknown criterion 'size' (criteria: volume, potential, ltv, fit, strategic)\n"],
      ['volume=Infinity', "kam: --weights: weight of volume must be a finite non-negative number, got 'Infinity'\n"],
    ] as const) {
      const bad = await kam(['score', 'fixtures/worked-example.csv', '--weights', spec]);
      expect({ code: bad.code, stderr: bad.stderr }).toEqual({ code: 2, stderr: msg });
    }
  });

  it('--shortlist 5 marks the 5 best Key/Develop accounts', async () => {
    const r = await kam(['score', 'fixtures/accounts.csv', '--format', 'json', '--shortlist', '5']);
    const rows = JSON.parse(r.stdout) as (JsonRow & { kam_shortlist: boolean })[];
    expect(rows.filter((x) => x.kam_shortlist).map((x) => x.account_id)).toEqual(['ACC-1003', 'ACC-1021', 'ACC-1012', 'ACC-1026', 'ACC-1018']);
  });

  it('-o writes the file atomically and refuses to overwrite the input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-score-'));
    const input = join(dir, 'in.csv');
    writeFileSync(input, readFileSync('fixtures/worked-example.csv'));
    const out = join(dir, 'out.csv');
    const r = await kam(['score', input, '-o', out]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[1]).toBe(
      'B,Birch Biotech,400000,1600000,300000,20%,40%,90%,5,4,1,69.17,Key,50.00,83.33,50.00,100.00,75.00,50.00,84.85,1.00,headroom;borderline,,v2-bf8886e8',
    );
    const same = await kam(['score', input, '-o', input]);
    expect(same.code).toBe(2);
    expect(same.stderr).toBe(`kam: refusing to write -o ${input}: it is the accounts file ${input} (output would overwrite input)\n`);
    expect(readFileSync(input, 'utf8')).toBe(readFileSync('fixtures/worked-example.csv', 'utf8'));
  });

  it('rejected rows stay in the CSV as Invalid, are listed on stderr, and go to --rejects; --strict exits 1 with no output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-score-'));
    const input = join(dir, 'bad.csv');
    writeFileSync(input, 'account_id,account_name,revenue\nA,Alpha,100\nB,Beta,abc\nC,Gamma,300\n');
    const rejects = join(dir, 'rejects.csv');
    const r = await kam(['score', input, '--format', 'csv', '--rejects', rejects]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').at(-2)).toBe("B,Beta,abc,,,Invalid,,,,,,,,,,line 3: revenue: 'abc' is not an amount,v2-bf8886e8");
    expect(r.stderr).toContain(`${input}:3: revenue: 'abc' is not an amount\n`);
    expect(r.stderr).toContain('kam: 1 of 3 row(s) rejected (kept as tier Invalid with the reason in kam_errors)\n');
    expect(readFileSync(rejects, 'utf8')).toBe("account_id,account_name,revenue,kam_line,kam_errors\nB,Beta,abc,3,line 3: revenue: 'abc' is not an amount\n");
    const strict = await kam(['score', input, '--strict', '--format', 'csv']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toBe('');
    expect(strict.stderr.endsWith('kam: --strict: no output written\n')).toBe(true);
  });

  it('scoring a CSV kam enriched earlier replaces its kam_ columns instead of repeating them', async () => {
    const first = await kam(['score', 'fixtures/worked-example.csv', '--format', 'csv', '--shortlist', '1']);
    const again = await kam(['score', '-', '--format', 'csv'], { stdin: first.stdout });
    const plain = await kam(['score', 'fixtures/worked-example.csv', '--format', 'csv']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(plain.stdout);
  });

  it('a file whose columns feed no criterion says so on stderr (and still lists every account)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-score-'));
    writeFileSync(join(dir, 'names.csv'), 'account_name,city\nAlpha,Oslo\nBeta,Rome\n');
    const r = await kam(['score', join(dir, 'names.csv'), '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(r.stderr).toBe(
      `kam: warning: no column of ${join(dir, 'names.csv')} feeds any of the five criteria, so no account has a score; \`kam columns ${join(dir, 'names.csv')}\` shows how each column maps, and --map "Header=field" maps one\n`,
    );
  });

  it('same input, same bytes; shuffled rows give the same ranking', async () => {
    const a = await kam(['score', 'fixtures/accounts.csv', '--format', 'csv']);
    const b = await kam(['score', 'fixtures/accounts.csv', '--format', 'csv']);
    expect(a.stdout).toBe(b.stdout);
    const lines = readFileSync('fixtures/accounts.csv', 'utf8').trimEnd().split('\n');
    const shuffled = [lines[0], ...lines.slice(1).reverse()].join('\n') + '\n';
    const dir = mkdtempSync(join(tmpdir(), 'kam-score-'));
    writeFileSync(join(dir, 'accounts.csv'), shuffled);
    const c = await kam(['score', join(dir, 'accounts.csv'), '--format', 'csv']);
    expect(c.stdout).toBe(a.stdout);
    expect(existsSync(join(dir, 'accounts.csv'))).toBe(true);
  });
});

describe('kam score on a constant signal (SCORING.md §3)', () => {
  it('every revenue 0: one warning on stderr naming revenue and clv; the output is unchanged (exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-score-constant-'));
    const file = join(dir, 'constant.csv');
    writeFileSync(
      file,
      'account_id,account_name,revenue,potential_revenue,gross_margin,retention_rate,product_fit,strategic_value\n' +
        'A1,Alpha,0,500000,30%,90%,4,5\nA2,Beta,0,200000,25%,80%,3,2\nA3,Gamma,0,50000,20%,85%,2,4\n',
    );
    const r = await kam(['score', file, '--format', 'csv']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 0,
      stderr: `kam: warning: constant signals: revenue is 0 on all 3 accounts that have it, clv is 0 on all 3 accounts that have it: each ties them all at percentile 50, which tells nothing; \`kam columns ${file}\` shows which column feeds each field\n`,
    });
    expect(r.stdout.split('\n')[1]).toMatch(/^A1,Alpha,0,500000,30%,90%,4,5,1,70\.42,Key,50\.00,/);
  });

  it('one constant growth rate is named alone, as a percent; a file without one gets no warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-score-constant-'));
    const file = join(dir, 'growth.csv');
    writeFileSync(file, 'account_id,account_name,revenue,growth_rate\nA1,Alpha,100,5%\nA2,Beta,200,5%\n');
    const r = await kam(['score', file, '--format', 'csv']);
    expect(r.stderr).toBe(
      'kam: warning: no column feeds ltv, fit, strategic: scores use volume and potential\n' +
        `kam: warning: constant signal: growth_rate is 5% on all 2 accounts that have it: it ties them all at percentile 50, which tells nothing; \`kam columns ${file}\` shows which column feeds each field\n`,
    );
    expect((await kam(['score', 'fixtures/worked-example.csv', '--format', 'csv'])).stderr).not.toContain('constant signal');
  });
});

describe('the run stamp: kam_as_of and kam_model (SCORING.md §4, §6)', () => {
  const header = (csv: string): string[] => csv.split('\n')[0]!.split(',');
  const last = (csv: string): string[] => csv.split('\n')[1]!.split(',').slice(-2);

  it('kam_model is last on every row; kam_as_of just before it only when --as-of was given', async () => {
    const plain = await kam(['score', 'fixtures/worked-example.csv', '--format', 'csv']);
    expect(header(plain.stdout).slice(-2)).toEqual(['kam_errors', 'kam_model']);
    const dated = await kam(['score', 'fixtures/worked-example.csv', '--format', 'csv', '--as-of', '2026-11-20', '--shortlist', '2']);
    expect(header(dated.stdout).slice(-4)).toEqual(['kam_errors', 'kam_shortlist', 'kam_as_of', 'kam_model']);
    expect(last(dated.stdout)).toEqual(['2026-11-20', 'v2-bf8886e8']);
    const json = JSON.parse((await kam(['score', 'fixtures/worked-example.csv', '--format', 'json', '--as-of', '2026-11-20'])).stdout) as Record<
      string,
      unknown
    >[];
    expect(Object.entries(json[0]!).slice(-2)).toEqual([
      ['kam_as_of', '2026-11-20'],
      ['kam_model', 'v2-bf8886e8'],
    ]);
  });

  it('the fingerprint follows the effective weights and config, not their order or spelling', async () => {
    const model = async (...extra: string[]) => last((await kam(['score', 'fixtures/worked-example.csv', '--format', 'csv', ...extra])).stdout)[1];
    const dir = mkdtempSync(join(tmpdir(), 'kam-model-'));
    writeFileSync(join(dir, 'same.json'), JSON.stringify({ weights: { strategic: 0.2, volume: 0.2 } }));
    writeFileSync(join(dir, 'cut.json'), JSON.stringify({ tier_cut: 55 }));
    expect(await model('--weights', 'volume=0.2')).toBe('v2-bf8886e8');
    expect(await model('--config', join(dir, 'same.json'))).toBe('v2-bf8886e8');
    expect(await model('--weights', 'volume=2')).not.toBe('v2-bf8886e8');
    expect(await model('--config', join(dir, 'cut.json'))).not.toBe('v2-bf8886e8');
    expect(await model('--weights', 'volume=2')).toMatch(/^v2-[0-9a-f]{8}$/);
  });

  it('what kam writes, kam reads back unchanged: rescoring replaces the stamp instead of repeating it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-stamp-'));
    const first = join(dir, 'first.csv');
    expect((await kam(['score', 'fixtures/worked-example.csv', '-o', first, '--as-of', '2026-11-20'])).code).toBe(0);
    const again = await kam(['score', first, '--format', 'csv', '--as-of', '2026-11-20']);
    expect(again.stdout).toBe(readFileSync(first, 'utf8'));
  });
});
