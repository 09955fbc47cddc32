import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { markdownText } from '../../src/io/format.ts';
import { labelBox } from '../../src/io/matrix-labels.ts';
import { generateAccounts } from '../bench/gen-accounts.mjs';
import { fakeIo, ROOT } from '../helpers/fake-io.ts';

async function kam(args: string[], opts: Parameters<typeof fakeIo>[0] = {}) {
  const f = fakeIo(opts);
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kam-report-'));
const count = (text: string, re: RegExp): number => [...text.matchAll(re)].length;
const NOTE = 'kam: retention_rate and churn_risk both given on 1 row: retention_rate used\n';

describe('kam report -o report.html', () => {
  it('writes one HTML file: 39 points (ACC-1040 is Unrated), the Key tier as shortlist, a one-line note on stderr', async () => {
    const dir = tmp();
    const out = join(dir, 'report.html');
    const r = await kam(['report', 'fixtures/accounts.csv', '-o', out]);
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: `${NOTE}kam: wrote ${out} (Key 10 · Develop 9 · Maintain 9 · Monitor 11 · Unrated 1 · rejected 0)\n`,
    });
    const html = readFileSync(out, 'utf8');
    expect(count(html, /<circle class="account/g)).toBe(39);
    expect(count(html, /<circle class="account named shortlisted"/g)).toBe(10);
    expect(html).not.toContain('data-id="ACC-1040"');
    expect(html).toContain('<h2>Shortlist (10)</h2>');
    expect(html).toContain('<dt>As of</dt><dd>2026-11-27</dd>'); // the fake clock: io.now()
    expect(readdirSync(dir)).toEqual(['report.html']); // no temp file left behind
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    const a = await kam(['report', 'fixtures/accounts.csv', '--as-of', '2026-11-27']);
    const b = await kam(['report', 'fixtures/accounts.csv', '--as-of', '2026-11-27'], { now: '2030-01-01T00:00:00Z' });
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.startsWith('<!DOCTYPE html>\n')).toBe(true);
  });

  it('--as-of, --title, --shortlist and --weights show in the report', async () => {
    const r = await kam([
      'report',
      'fixtures/accounts.csv',
      '--as-of',
      '2026-12-04',
      '--title',
      'EMEA <key> accounts',
      '--shortlist',
      '12',
      '--weights',
      'volume=1,potential=3',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<h1>EMEA &lt;key&gt; accounts</h1>');
    expect(r.stdout).toContain('<dt>As of</dt><dd>2026-12-04</dd>');
    expect(r.stdout).toContain('<dt>Weights</dt><dd>volume 1, potential 3, ltv 0.25, fit 0.15, strategic 0.2</dd>');
    expect(r.stdout).toContain('<dt>Shortlist</dt><dd>the 12 best-ranked Key or Develop accounts</dd>');
    expect(count(r.stdout, /<circle class="account named shortlisted"/g)).toBe(12);
  });

  it('an account name with <script> is escaped in the HTML', async () => {
    const dir = tmp();
    const input = join(dir, 'hostile.csv');
    writeFileSync(input, readFileSync(join(ROOT, 'fixtures/accounts.csv'), 'utf8').replace('Helix Robotics, Inc.', '<script>alert(1)</script>'));
    const r = await kam(['report', input, '--as-of', '2026-11-27']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('<script>');
    expect(count(r.stdout, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/g)).toBe(3); // the point's tooltip, its label, the table row
  });

  it('rejected rows are counted in the summary, listed on stderr, and the report is still written (exit 0)', async () => {
    const dir = tmp();
    const input = join(dir, 'bad.csv');
    writeFileSync(
      input,
      readFileSync(join(ROOT, 'fixtures/accounts.csv'), 'utf8').replace(
        'ACC-1008,Ridgeway Agritech,Agriculture,Canada,150,',
        'ACC-1008,Ridgeway Agritech,Agriculture,Canada,lots,',
      ),
    );
    const r = await kam(['report', input, '--as-of', '2026-11-27', '--format', 'md']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`${NOTE}${input}:6: employees: 'lots' is not a number\nkam: 1 of 40 row(s) rejected (counted in the report)\n`);
    expect(r.stdout).toContain('| **Rejected** | 1 | rows with values kam could not read |');
    expect(r.stdout).toContain("- Rejected rows:\n  - line 6: employees: 'lots' is not a number\n");
  });

  it('refuses to write over the input (exit 2)', async () => {
    const dir = tmp();
    const input = join(dir, 'a.csv');
    writeFileSync(input, readFileSync(join(ROOT, 'fixtures/accounts.csv')));
    const r = await kam(['report', input, '-o', input]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr.endsWith(`kam: refusing to write -o ${input}: it is the accounts file ${input} (output would overwrite input)\n`)).toBe(true);
  });

  it('usage errors exit 2: an unknown format, a bad date, both inputs on stdin', async () => {
    expect(await kam(['report', 'fixtures/accounts.csv', '--format', 'pdf'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "kam: option '-f, --format <format>' argument 'pdf' is invalid. Allowed choices are html, md, xlsx.\n(run with --help for usage)\n",
    });
    expect(await kam(['report', 'fixtures/accounts.csv', '--as-of', 'next friday'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "kam: --as-of: 'next friday' is not a date (use YYYY-MM-DD)\n",
    });
    expect(await kam(['report', '-', '--previous', '-'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kam: report: only one of <file> and --previous can be - (stdin)\n',
    });
  });

  it('a missing file exits 2 and writes nothing', async () => {
    const dir = tmp();
    const out = join(dir, 'r.html');
    const r = await kam(['report', 'fixtures/nope.csv', '-o', out]);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kam: cannot open fixtures/nope.csv: ENOENT (no such file)\n',
    });
    expect(existsSync(out)).toBe(false);
  });

  it('--help lists the options and examples', async () => {
    const r = await kam(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: kam report \[options\] <file>\n/);
    for (const opt of [
      '--previous <file>',
      '-o, --output <file>',
      '-f, --format <format>',
      '--shortlist <n>',
      '--weights <spec>',
      '--as-of <date>',
      '--title <text>',
      '--preset <crm>',
    ]) {
      expect(r.stdout).toContain(opt);
    }
    expect(r.stdout).toContain('$ kam report accounts.csv --previous last-week.csv -o report.html');
  });
});

/** The label boxes of the matrix, parsed from the SVG's `text.name` elements. */
function labelBoxes(html: string) {
  const unescape = (t: string): string =>
    t
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  return [...html.matchAll(/<text class="name" data-id="[^"]*" x="([\d.-]+)" y="([\d.-]+)" text-anchor="(start|end)"[^>]*>([^<]*)<\/text>/g)].map((m) =>
    labelBox(unescape(m[4]!), Number(m[1]), Number(m[2]), m[3] as 'start' | 'end'),
  );
}

describe('kam report: names on the matrix, and size', () => {
  it('--labels 3 with a shortlist of 12: the two best Key accounts and the best Develop one, Cartech; --labels 0 names none; --labels x exits 2', async () => {
    const three = await kam(['report', 'fixtures/accounts.csv', '--as-of', '2026-11-27', '--shortlist', '12', '--labels', '3']);
    expect(three.code).toBe(0);
    expect([...three.stdout.matchAll(/<text class="name"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])).toEqual([
      'Helix Robotics, Inc.',
      'Kestrel Aerospace &amp; Defense',
      'Cartech',
    ]);
    expect(three.stdout).toContain('<strong>Named</strong> (3)<small>ringed and labelled: the best Key and Develop accounts</small>');
    const none = await kam(['report', 'fixtures/accounts.csv', '--as-of', '2026-11-27', '--labels', '0']);
    expect(count(none.stdout, /<text class="name"/g)).toBe(0);
    const bad = await kam(['report', 'fixtures/accounts.csv', '--labels', 'x']);
    expect({ code: bad.code, stderr: bad.stderr.split('\n')[0] }).toEqual({
      code: 2,
      stderr: "kam: option '--labels <n>' argument 'x' is invalid. --labels takes a whole number >= 0.",
    });
  });

  it('20,000 generated accounts: under 1 MB, shaded hexagons, 25 names that do not overlap, Key and Develop both named', async () => {
    const dir = tmp();
    const input = join(dir, 'accounts-20k.csv');
    writeFileSync(input, [...generateAccounts(20_000, 42)].join(''));
    const out = join(dir, 'report.html');
    const r = await kam(['report', input, '--as-of', '2026-11-27', '-o', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(Buffer.byteLength(html)).toBeLessThan(1_000_000);
    expect(count(html, /<path class="hex"/g)).toBeGreaterThan(500);
    expect(count(html, /<circle /g)).toBe(25);
    const tiers = [...html.matchAll(/<circle class="account named[^"]*" data-id="[^"]*" data-tier="(\w+)"/g)].map((m) => m[1]);
    expect([tiers.filter((t) => t === 'Key').length, tiers.filter((t) => t === 'Develop').length]).toEqual([15, 10]);
    const boxes = labelBoxes(html);
    expect(boxes.length).toBe(25);
    const clash = (a: (typeof boxes)[number], b: (typeof boxes)[number]): boolean =>
      Math.min(a.x1, b.x1) > Math.max(a.x0, b.x0) && Math.min(a.y1, b.y1) > Math.max(a.y0, b.y0);
    expect(boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => clash(a, b)))).toEqual([]);
    expect(html).toContain('<p class="more">… and ');
  }, 60_000);
});

describe('kam report --format md', () => {
  it('fixtures/accounts.csv: the same sections as Markdown (golden)', async () => {
    const r = await kam(['report', 'fixtures/accounts.csv', '--format', 'md', '--as-of', '2026-11-27', '--shortlist', '12']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: NOTE });
    await expect(r.stdout).toMatchFileSnapshot('../../fixtures/expected/report-accounts.md');
  });

  it("fixtures/weekly with --previous: the week's changes (golden)", async () => {
    const r = await kam([
      'report',
      'fixtures/weekly/accounts-2026-11-27.csv',
      '--previous',
      'fixtures/weekly/accounts-2026-11-20.csv',
      '--format',
      'md',
      '--as-of',
      '2026-11-27',
    ]);
    // One note per file, each naming its file (a report with --previous reads two).
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 0,
      stderr:
        // A note both files share is said once, naming both (issue 10 item 3).
        'kam: fixtures/weekly/accounts-2026-11-27.csv, fixtures/weekly/accounts-2026-11-20.csv: retention_rate and churn_risk both given on 1 row: retention_rate used\n',
    });
    expect(r.stdout).toContain(
      '### Entered the shortlist (1)\n\n| Account | Tier | Rank | Score |\n|---|---|---:|---:|\n| Stratton Power & Light (ACC-1024) | Maintain → Key | 12 → 7 | 50.48 → 63.93 |\n',
    );
    expect(r.stdout).toContain(
      '### Left the shortlist (1)\n\n| Account | Tier | Rank | Score |\n|---|---|---:|---:|\n| Bergmann & Söhne GmbH (ACC-1030) | Key → Develop | 7 → 8 | 65.47 → 59.53 |\n',
    );
    await expect(r.stdout).toMatchFileSnapshot('../../fixtures/expected/report-weekly.md');
  });

  it("--previous with a snapshot kam score wrote with --shortlist: compared under the report's own rule, so the same data shows no shortlist change", async () => {
    const dir = tmp();
    const snapshot = join(dir, 'snapshot.csv');
    const file = 'fixtures/weekly/accounts-2026-11-27.csv';
    expect((await kam(['score', file, '--shortlist', '2', '-o', snapshot])).code).toBe(0);
    // The report's shortlist is the Key tier (6 accounts); the snapshot's kam_shortlist marks 2.
    const keyTier = await kam(['report', file, '--previous', snapshot, '--format', 'md', '--as-of', '2026-11-27']);
    expect(keyTier.code).toBe(0);
    // The report names the file, not the path it was read from (issue 10 item 3).
    expect(keyTier.stdout).toContain('Compared with snapshot.csv: 20 → 20 accounts scored, 20 with the same tier and rank.');
    expect(keyTier.stdout).toContain('### Entered the shortlist (0)\n\nnone\n');
    expect(keyTier.stdout).toContain('### Left the shortlist (0)\n\nnone\n');
    // With --shortlist, both sides take the n best Key/Develop accounts.
    const best = await kam(['report', file, '--previous', snapshot, '--format', 'md', '--shortlist', '3', '--as-of', '2026-11-27']);
    expect(best.stdout).toContain('### Entered the shortlist (0)\n\nnone\n');
    expect(best.stdout).toContain('### Left the shortlist (0)\n\nnone\n');
  });

  it("--deals: this week's accounts take revenue and pipeline from the opportunities, and stderr accounts for every deal", async () => {
    const r = await kam(['report', 'fixtures/deals/accounts.csv', '--deals', 'fixtures/deals/opportunities.csv', '--as-of', '2025-12-31', '--format', 'md']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('kam: deals: 14 read, 9 matched, 1 without an account, 2 unmatched, 2 rejected\n');
    expect(r.stdout).toContain('| **attractiveness ≥ 50** | **Develop** 0 | **Key** 2: Acme Corp, Globex |');
    // The same numbers as kam score --deals: one mechanism.
    const s = await kam(['score', 'fixtures/deals/accounts.csv', '--deals', 'fixtures/deals/opportunities.csv', '--as-of', '2025-12-31', '--format', 'json']);
    const rows = JSON.parse(s.stdout) as { account_name: string; kam_tier: string }[];
    expect(rows.filter((x) => x.kam_tier === 'Key').map((x) => x.account_name)).toEqual(['Acme Corp', 'Globex']);
  });

  it('escapes Markdown in CRM text', () => {
    // One escaper for every Markdown output (render-markdown.ts, issue 11): '[' ']' and '<' suffice for links and HTML.
    expect(markdownText('*Big* [deal](http://x) <b>|</b>\n# not a heading')).toBe('\\*Big\\* \\[deal\\](http\\://x) \\<b>\\|\\</b> # not a heading');
    expect(markdownText('- dash first')).toBe('\\- dash first');
  });
});

describe('kam report progress on a terminal', () => {
  it('says each phase with its counts on stderr, rewritten in place, and clears the line before other output', async () => {
    const f = fakeIo();
    let t = Date.UTC(2026, 10, 27, 12);
    // Every reading of the clock is 1.5 s later: each phase is drawn.
    const io = { ...f.io, stderrIsTty: true, now: () => new Date((t += 1500)) };
    const dir = tmp();
    const out = join(dir, 'report.html');
    const code = await main(['report', 'fixtures/accounts.csv', '--as-of', '2026-11-27', '-o', out], io);
    expect(code).toBe(0);
    const clear = '\r\x1b[2K';
    expect(f.stderr()).toBe(
      [
        `${clear}kam: reading fixtures/accounts.csv · 1.5 s${clear}`,
        NOTE,
        `${clear}kam: read 40 rows; scoring 40 accounts · 3.0 s`,
        `${clear}kam: scored 40 accounts; writing the HTML report · 4.5 s${clear}`,
        `kam: wrote ${out} (Key 10 · Develop 9 · Maintain 9 · Monitor 11 · Unrated 1 · rejected 0)\n`,
      ].join(''),
    );
  });
});

describe('kam report --previous written with other weights', () => {
  it('names the change of model in the changes section, and each mover says its share', async () => {
    const dir = tmp();
    const old = join(dir, 'old.csv');
    expect((await kam(['score', 'fixtures/weekly/accounts-2026-11-20.csv', '--weights', 'strategic=5', '-o', old])).code).toBe(0);
    const r = await kam(['report', 'fixtures/weekly/accounts-2026-11-27.csv', '--previous', old, '--format', 'md', '--as-of', '2026-11-27']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      // The report names the file, not its path (issue 10 item 3).
      `${markdownText('model: weights or config changed between the snapshots: 20 of 20 accounts of old.csv score differently under the current one (the movers show that part apart)')}\n`,
    );
    expect(r.stdout).toMatch(/\| (up|down) \d+ \(weights or config changed: [+-][\d.]+/);
  });
});
