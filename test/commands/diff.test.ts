import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo } from '../helpers/fake-io.ts';

const BEFORE = 'fixtures/weekly/accounts-2026-11-20.csv';
const AFTER = 'fixtures/weekly/accounts-2026-11-27.csv';
/** What every run on the weekly pair says on stderr: ACC-1024 gives retention and churn both. */
/** A note both files share is said once, naming both (issue 10 item 3). */
const NOTES = `kam: ${BEFORE}, ${AFTER}: retention_rate and churn_risk both given on 1 row: retention_rate used\n`;

async function kam(args: string[], opts: Parameters<typeof fakeIo>[0] = {}) {
  const f = fakeIo(opts);
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

interface JsonChange {
  account_id: string;
  account_name: string;
  tier_before: string | null;
  tier_after: string | null;
  rank_before: number | null;
  rank_after: number | null;
  score_before: number | null;
  score_after: number | null;
}
interface JsonDiff {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  shortlist_changed: boolean;
  entered: JsonChange[];
  left: JsonChange[];
  tier_changes: JsonChange[];
  added: JsonChange[];
  removed: JsonChange[];
  movers: (JsonChange & { rank_change: number; criterion: string | null; points: number | null })[];
  revenue: {
    matched: number;
    total_before: number;
    total_after: number;
    growth_pct: number;
    changed: { account_id: string; before: number; after: number; growth_pct: number }[];
  };
  unchanged: number;
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kam-diff-'));
const move = (c: JsonChange): string => `${c.account_id} ${c.tier_before ?? '-'}->${c.tier_after ?? '-'} ${c.rank_before ?? '-'}->${c.rank_after ?? '-'}`;

describe('kam diff on the weekly snapshots (fixtures/README.md, weekly/)', () => {
  for (const [format, ext] of [
    ['table', 'txt'],
    ['csv', 'csv'],
    ['json', 'json'],
    ['md', 'md'],
  ] as const) {
    it(`--format ${format}: the reviewed golden fixtures/expected/diff-weekly.${ext}`, async () => {
      const r = await kam(['diff', BEFORE, AFTER, '--format', format]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(NOTES);
      await expect(r.stdout).toMatchFileSnapshot(`../../fixtures/expected/diff-weekly.${ext}`);
    });
  }

  it('json: exactly the changes fixtures/README.md expects, with the Key tier as the shortlist', async () => {
    const r = await kam(['diff', BEFORE, AFTER, '--format', 'json']);
    const d = JSON.parse(r.stdout) as JsonDiff;
    expect(d.shortlist_changed).toBe(true);
    expect(d.entered.map(move)).toEqual(['ACC-1024 Maintain->Key 12->7']);
    expect(d.left.map(move)).toEqual(['ACC-1030 Key->Develop 7->8']);
    expect(d.added.map(move)).toEqual(['ACC-1041 -->Develop -->16']);
    expect(d.removed.map(move)).toEqual(['ACC-1032 Monitor->- 18->-']);
    expect(d.tier_changes.map(move)).toEqual([
      'ACC-1024 Maintain->Key 12->7',
      'ACC-1030 Key->Develop 7->8',
      'ACC-1025 Monitor->Develop 15->11',
      'ACC-1009 Develop->Monitor 9->15',
    ]);
    // Rank movers: 6, 5, 4, 2, then the five that moved by 1 (ACC-1030, 1016, 1020, 1029, 1004), by id.
    expect(d.movers.map((m) => [m.account_id, m.rank_change, m.criterion])).toEqual([
      ['ACC-1009', -6, 'potential'],
      ['ACC-1024', 5, 'strategic'],
      ['ACC-1025', 4, 'potential'],
      ['ACC-1011', -2, 'ltv'],
      ['ACC-1004', -1, 'ltv'],
    ]);
    expect(d.revenue.changed.map((c) => [c.account_id, c.before, c.after, c.growth_pct])).toEqual([
      ['ACC-1030', 2_100_000, 1_100_000, -47.62],
      ['ACC-1011', 3_400_000, 2_950_000, -13.24],
    ]);
    expect([d.revenue.matched, d.revenue.total_before, d.revenue.total_after, d.revenue.growth_pct]).toEqual([19, 35_310_000, 33_860_000, -4.11]);
    expect(d.before['tiers']).toEqual({ Key: 6, Develop: 4, Maintain: 4, Monitor: 6, Unrated: 0 });
    expect(d.after['tiers']).toEqual({ Key: 6, Develop: 6, Maintain: 3, Monitor: 5, Unrated: 0 });
    // README: ten accounts keep tier and rank (ACC-1003, 1012, 1026, 1018, 1014, 1035, 1007, 1033, 1013, 1001).
    expect(d.unchanged).toBe(10);
  });

  it('--top-movers 10 lists every account whose rank changed: the nine of the README table', async () => {
    const d = JSON.parse((await kam(['diff', BEFORE, AFTER, '--format', 'json', '--top-movers', '10'])).stdout) as JsonDiff;
    expect(d.movers.map((m) => `${m.account_id} ${m.rank_before}->${m.rank_after}`)).toEqual([
      'ACC-1009 9->15',
      'ACC-1024 12->7',
      'ACC-1025 15->11',
      'ACC-1011 11->13',
      'ACC-1004 17->18',
      'ACC-1016 8->9',
      'ACC-1020 13->12',
      'ACC-1029 16->17',
      'ACC-1030 7->8',
    ]);
  });

  it('--shortlist 8: the 8 best Key/Develop on each side; ACC-1016 drops out when ACC-1024 comes in', async () => {
    const d = JSON.parse((await kam(['diff', BEFORE, AFTER, '--format', 'json', '--shortlist', '8'])).stdout) as JsonDiff;
    expect([d.entered.map((c) => c.account_id), d.left.map((c) => c.account_id)]).toEqual([['ACC-1024'], ['ACC-1016']]);
    expect([d.before['shortlist_rule'], d.before['shortlist_size'], d.after['shortlist_size']]).toEqual(['best_n', 8, 8]);
  });

  it('without --format, a terminal gets the tables, fitted to its width', async () => {
    const r = await kam(['diff', BEFORE, AFTER], { stdoutIsTty: true, columns: 80 });
    expect(r.stdout.split('\n').slice(0, 4)).toEqual((await kam(['diff', BEFORE, AFTER, '--format', 'table'])).stdout.split('\n').slice(0, 4));
    const tableLines = r.stdout.split('\n').filter((l) => /^[┌│└]/.test(l));
    expect(tableLines.length).toBe(69);
    expect(tableLines.filter((l) => [...l].length > 80)).toEqual([]);
    // The movers' explanations wrap in their column instead of being cut.
    expect(r.stdout).toContain(
      [
        '│ ACC-1011 │ Pinnacle Ap… │ 11 -> 13 │ 52.78 -> 47.93 │ revenue 3.4M -> 2.95M  │',
        '│          │              │          │                │ retention_rate 93% ->  │',
        '│          │              │          │                │ 88%                    │',
        '│          │              │          │                │ moved volume -0.5,     │',
        '│          │              │          │                │ potential -0.6, ltv    │',
        '│          │              │          │                │ -3.75                  │',
      ].join('\n'),
    );
  });

  it('without --format, output that is not a terminal is CSV', async () => {
    const plain = await kam(['diff', BEFORE, AFTER]);
    expect(plain.stdout).toBe((await kam(['diff', BEFORE, AFTER, '--format', 'csv'])).stdout);
  });
});

describe('kam diff --exit-code', () => {
  it('exits 1 when shortlist membership changed, 0 without the flag', async () => {
    expect((await kam(['diff', BEFORE, AFTER, '--exit-code', '--format', 'csv'])).code).toBe(1);
    expect((await kam(['diff', BEFORE, AFTER, '--format', 'csv'])).code).toBe(0);
  });

  it('exits 0 when a file is diffed against itself, and the CSV lists only the revenue total', async () => {
    const r = await kam(['diff', AFTER, AFTER, '--exit-code', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('change,account_id,account_name,from,to,detail\nrevenue_total,,,34010000,34010000,20 matched accounts; 0.00%\n');
  });

  it('exits 0 when ranks and tiers move but the shortlist stays (--shortlist 5: the same five both weeks)', async () => {
    const r = await kam(['diff', BEFORE, AFTER, '--exit-code', '--shortlist', '5', '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as JsonDiff).shortlist_changed).toBe(false);
  });
});

describe('kam diff with a CSV kam score wrote earlier', () => {
  it('gives the same result as diffing the raw exports (its kam_ columns are used as they are)', async () => {
    const dir = tmp();
    const scored = join(dir, 'scored-2026-11-20.csv');
    expect((await kam(['score', BEFORE, '--format', 'csv', '-o', scored])).code).toBe(0);
    const raw = await kam(['diff', BEFORE, AFTER, '--format', 'json']);
    const enriched = await kam(['diff', scored, AFTER, '--format', 'json']);
    expect(enriched.code).toBe(0);
    expect(enriched.stderr).toBe(
      `kam: ${scored}, ${AFTER}: retention_rate and churn_risk both given on 1 row: retention_rate used\n` +
        `kam: ${scored}: written by kam score: its kam_ columns are used as they are\n`,
    );
    const a = JSON.parse(raw.stdout) as JsonDiff;
    const b = JSON.parse(enriched.stdout) as JsonDiff;
    expect(b.before).toEqual({ ...a.before, source: scored, enriched: true });
    expect({ ...b, before: null }).toEqual({ ...a, before: null });
    // And the CSV is byte for byte the same.
    expect((await kam(['diff', scored, AFTER, '--format', 'csv'])).stdout).toBe((await kam(['diff', BEFORE, AFTER, '--format', 'csv'])).stdout);
  });

  it('uses its kam_shortlist column when no --shortlist is given, and warns that the rules differ', async () => {
    const dir = tmp();
    const scored = join(dir, 'scored.csv');
    await kam(['score', BEFORE, '--format', 'csv', '--shortlist', '8', '-o', scored]);
    const r = await kam(['diff', scored, AFTER, '--format', 'json']);
    expect(r.stderr).toContain(
      'kam: warning: the shortlist is its kam_shortlist column before and the Key tier after; use --shortlist N to compare like with like\n',
    );
    const d = JSON.parse(r.stdout) as JsonDiff;
    expect([d.before['shortlist_rule'], d.before['shortlist_size'], d.after['shortlist_rule'], d.after['shortlist_size']]).toEqual([
      'kam_shortlist',
      8,
      'key_tier',
      6,
    ]);
    // Compared like with like, the result equals raw vs raw with --shortlist 8.
    const same = await kam(['diff', scored, AFTER, '--format', 'csv', '--shortlist', '8']);
    expect(same.stderr).not.toContain('warning');
    expect(same.stdout).toBe((await kam(['diff', BEFORE, AFTER, '--format', 'csv', '--shortlist', '8'])).stdout);
  });

  it('leaves out rows of tier Invalid but counts them', async () => {
    const dir = tmp();
    const bad = join(dir, 'bad.csv');
    const lines = readFileSync(BEFORE, 'utf8').split('\n');
    const header = lines[0]!.split(',');
    const col = header.indexOf('revenue');
    // Line 3 of the file: give it a revenue that is not an amount.
    const cells = lines[2]!.split(',');
    const id = cells[0]!;
    cells[col] = 'lots';
    lines[2] = cells.join(',');
    writeFileSync(bad, lines.join('\n'));
    const scored = join(dir, 'scored.csv');
    await kam(['score', bad, '--format', 'csv', '-o', scored]);
    expect(readFileSync(scored, 'utf8')).toContain(',Invalid,');
    const r = await kam(['diff', scored, AFTER, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`kam: ${scored}: 1 of 20 row(s) invalid, left out of the diff (kam validate ${scored} lists the reasons)\n`);
    const d = JSON.parse(r.stdout) as JsonDiff;
    expect([d.before['accounts'], d.before['invalid']]).toEqual([19, 1]);
    expect(d.added.map((c) => c.account_id)).toEqual(expect.arrayContaining([id, 'ACC-1041']));
  });

  it('an edited kam_tier is an input error naming the file and line (exit 1)', async () => {
    const dir = tmp();
    const scored = join(dir, 'scored.csv');
    await kam(['score', BEFORE, '--format', 'csv', '-o', scored]);
    writeFileSync(scored, readFileSync(scored, 'utf8').replace(',Key,', ',Gold,'));
    const r = await kam(['diff', scored, AFTER, '--format', 'csv']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`kam: ${scored}:2: kam_tier: 'Gold' is not a kam tier (Key, Develop, Maintain, Monitor, Gated, Unrated, Invalid)\n`);
  });
});

describe('kam diff: output safety and usage', () => {
  it('CSV cells that a spreadsheet would run as a formula are prefixed with an apostrophe', async () => {
    const dir = tmp();
    const after = join(dir, 'after.csv');
    writeFileSync(after, readFileSync(AFTER, 'utf8').replace('Orbital Sensors, Inc.', '=HYPERLINK(""http://x"")'));
    const r = await kam(['diff', BEFORE, after, '--format', 'csv']);
    expect(r.stdout).toContain(`added,ACC-1041,"'=HYPERLINK(""http://x"")",,Develop,"rank 16, score 39.98"\n`);
  });

  it('a snapshot kam score wrote shows a guarded name as the CRM has it, without the apostrophe of the formula guard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-diff-'));
    const raw = join(dir, 'before.csv');
    writeFileSync(raw, readFileSync(BEFORE, 'utf8').replace('Stratton Power & Light', '"=HYPERLINK(""http://x"")"').replace('Snow Industries', '+Snow AG'));
    const snapshot = join(dir, 'snapshot.csv');
    expect((await kam(['score', raw, '-o', snapshot])).code).toBe(0);
    expect(readFileSync(snapshot, 'utf8')).toContain('ACC-1024,"\'=HYPERLINK(""http://x"")",');
    // The new week renames ACC-1024 back; ACC-1020 keeps its name and falls out of the export.
    const after = join(dir, 'after.csv');
    writeFileSync(
      after,
      readFileSync(AFTER, 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('ACC-1020,'))
        .join('\n'),
    );
    const d = JSON.parse((await kam(['diff', snapshot, after, '--format', 'json'])).stdout) as JsonDiff;
    expect(d.removed.map((c) => [c.account_id, c.account_name])).toEqual([
      ['ACC-1020', '+Snow AG'],
      ['ACC-1032', 'Summit Lighting Group'],
    ]);
    const md = (await kam(['diff', snapshot, raw, '--format', 'md'])).stdout;
    expect(md).toContain('## Removed accounts (0)');
    const csv = (await kam(['diff', raw, snapshot, '--format', 'csv'])).stdout;
    expect(csv).toBe('change,account_id,account_name,from,to,detail\nrevenue_total,,,35650000,35650000,20 matched accounts; 0.00%\n');
    const moved = (await kam(['diff', snapshot, after, '--format', 'csv'])).stdout;
    expect(moved).toContain('entered,ACC-1024,Stratton Power & Light,Maintain,Key,');
    expect((await kam(['diff', after, snapshot, '--format', 'md'])).stdout).toContain('| ACC-1024 | =HYPERLINK("http\\://x") | Key -> Maintain |'); // the one Markdown escaper breaks GFM's scheme autolink
  });

  it('one side can come from stdin (-)', async () => {
    const r = await kam(['diff', '-', AFTER, '--format', 'csv'], { stdin: readFileSync(BEFORE, 'utf8') });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync('fixtures/expected/diff-weekly.csv', 'utf8'));
  });

  it('both sides from stdin is a usage error (exit 2)', async () => {
    const r = await kam(['diff', '-', '-']);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'kam: only one side of kam diff can be read from stdin (-)\n']);
  });

  it('a missing second file is a usage error (exit 2)', async () => {
    const r = await kam(['diff', BEFORE]);
    expect([r.code, r.stderr]).toEqual([2, "kam: missing required argument 'after'\n(run with --help for usage)\n"]);
  });

  it('--help shows the formats, --exit-code and examples', async () => {
    const r = await kam(['diff', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: kam diff \[options\] <before> <after>\n/);
    expect(r.stdout).toContain('(choices: "table", "csv", "json", "md")');
    expect(r.stdout).toContain('  $ kam diff last-week.csv this-week.csv --exit-code     exit 1 when the shortlist changed (for scripts)\n');
  });
});

describe('kam diff explains what changed in the data (issue 10 item 4)', () => {
  /** fixtures/weekly/accounts-2026-11-20.csv with ACC-1001's revenue (column 8) set to `revenue`. */
  const withRevenue = (dir: string, name: string, revenue: string): string => {
    const lines = readFileSync(BEFORE, 'utf8')
      .split('\n')
      .map((l) => {
        if (!l.startsWith('ACC-1001,')) return l;
        const cells = l.split(',');
        cells[7] = revenue;
        return cells.join(',');
      });
    const file = join(dir, name);
    writeFileSync(file, lines.join('\n'));
    return file;
  };

  it('revenue blank -> 6.5M: the mover names the input and the criteria it moved, never one it did not; the revenue section lists it', async () => {
    const dir = tmp();
    const r = await kam(['diff', withRevenue(dir, 'before.csv', ''), withRevenue(dir, 'after.csv', '6500000'), '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split(/\r?\n/).filter((l) => l.includes('ACC-1001'));
    expect(lines).toEqual([
      'tier,ACC-1001,Brightline Signage,Unrated,Maintain,rank 20 -> 15',
      'mover,ACC-1001,Brightline Signage,20,15,"up 5; score 17.91 -> 38.92; revenue blank -> 6.5M: volume +21.22, potential -8.73, ltv +12.37"',
      'revenue,ACC-1001,Brightline Signage,,6500000,n/a',
    ]);
    // The other movers changed nothing of their own: their percentiles moved.
    expect(r.stdout).toContain(
      'mover,ACC-1013,Tri-County Elevator Co.,19,20,"down 1; score 15.30 -> 15.48; other accounts moved volume -0.39, potential +0.6, ltv -0.03"',
    );
  });

  it('value -> blank is a revenue change too', async () => {
    const dir = tmp();
    const r = await kam(['diff', withRevenue(dir, 'before.csv', '220000'), withRevenue(dir, 'after.csv', ''), '--format', 'csv']);
    expect(r.stdout.split(/\r?\n/).filter((l) => l.startsWith('revenue,'))).toEqual(['revenue,ACC-1001,Brightline Signage,220000,,n/a']);
  });

  it('a snapshot written with other weights: the change of model is named in the header and in each mover', async () => {
    const dir = tmp();
    const old = join(dir, 'scored-old.csv');
    expect((await kam(['score', BEFORE, '--weights', 'strategic=5', '-o', old])).code).toBe(0);
    const md = await kam(['diff', old, BEFORE, '--format', 'md']);
    expect(md.stdout).toContain(
      `- model: weights or config changed between the snapshots: 20 of 20 accounts of ${old} score differently under the current one (the movers show that part apart)\n`,
    );
    const csv = await kam(['diff', old, BEFORE, '--format', 'csv']);
    expect(
      csv.stdout
        .split(/\r?\n/)
        .filter((l) => l.startsWith('mover,'))
        .slice(0, 3),
    ).toEqual([
      'mover,ACC-1007,Vicom,17,10,up 7; score 9.31 -> 54.03; weights or config changed: +44.72',
      'mover,ACC-1016,"Verdant Mobility, Inc.",4,8,down 4; score 93.05 -> 59.68; weights or config changed: -33.37',
      'mover,ACC-1025,Bluewater Instruments,11,15,down 4; score 47.90 -> 37.83; weights or config changed: -10.07',
    ]);
    // The same file diffed against its own raw export under the same model names no change of model.
    const same = join(dir, 'scored-same.csv');
    await kam(['score', BEFORE, '-o', same]);
    expect((await kam(['diff', same, BEFORE, '--format', 'md'])).stdout).not.toContain('model:');
  });
});
