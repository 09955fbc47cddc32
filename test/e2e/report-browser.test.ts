import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium as playwright, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { generateAccounts } from '../bench/gen-accounts.mjs';
import { fakeIo, ROOT } from '../helpers/fake-io.ts';
import { writeWeeklySnapshots } from '../helpers/weekly-snapshots.ts';

/**
 * The HTML report in a real browser: the system's headless Chromium driven by playwright-core
 * (no browser download: executablePath points at the installed one). Set
 * KAM_UPDATE_SCREENSHOT=1 to refresh docs/report.png.
 */

function findChromium(): string | undefined {
  const fromEnv = process.env['KAM_CHROMIUM'];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('which', [name], { encoding: 'utf8' });
    const path = r.status === 0 ? r.stdout.trim() : '';
    if (path) return path;
  }
  return undefined;
}

interface PageVisit {
  readonly errors: string[];
  readonly facts: {
    circles: number;
    ids: string[];
    quadrants: string[];
    names: string[];
    nameBoxes: { x: number; y: number; width: number; height: number }[];
    hexes: number;
    shortlistRows: number;
    bodyText: string;
    scripts: number;
    changes: string[][];
    followUp: { goals: string[]; trends: { id: string | null; width: number; points: number }[]; gains: number };
  };
  readonly png: Buffer;
}

/** Open a file in a fresh tab, collect console errors and page exceptions, read facts, take a full-page screenshot. */
async function visit(context: BrowserContext, file: string): Promise<PageVisit> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`exception: ${error.stack ?? error.message}`));
  // Playwright reports both console.error/console.assert calls and the browser's own log
  // entries (a CSP violation, a failed load) as console messages; a log entry is the one
  // without arguments, since no script passed any.
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'assert') errors.push(`${m.args().length === 0 ? 'log' : 'console'}: ${m.text()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const expression = `JSON.stringify({
    circles: document.querySelectorAll('svg.matrix circle.account').length,
    ids: [...document.querySelectorAll('svg.matrix circle.account')].map((c) => c.getAttribute('data-id')),
    quadrants: [...document.querySelectorAll('svg.matrix text.quadrant')].map((t) => t.textContent),
    names: [...document.querySelectorAll('svg.matrix text.name')].map((t) => t.textContent),
    nameBoxes: [...document.querySelectorAll('svg.matrix text.name')].map((t) => { const b = t.getBBox(); return { x: b.x, y: b.y, width: b.width, height: b.height }; }),
    hexes: document.querySelectorAll('svg.matrix path.hex').length,
    shortlistRows: document.querySelectorAll('#shortlist tbody tr').length,
    bodyText: document.body.innerText,
    scripts: document.scripts.length,
    followUp: {
      goals: [...document.querySelectorAll('#goals tbody tr')].map((tr) => tr.getAttribute('data-status')),
      trends: [...document.querySelectorAll('#history figure')].map((f) => ({ id: f.getAttribute('data-id'), width: Math.round(f.querySelector('svg').getBoundingClientRect().width), points: f.querySelectorAll('svg circle').length })),
      gains: document.querySelectorAll('#backtest svg.gains circle').length,
    },
    changes: [...document.querySelectorAll('#changes h3')].map((h) => [
      h.textContent,
      ...[...(h.nextElementSibling?.querySelectorAll('tbody tr') ?? [])].map((tr) => [...tr.cells].map((td) => td.innerText.replace(/\\n/g, ' ')).join(' | ')),
    ]),
  })`;
  const facts = JSON.parse(await page.evaluate<string>(expression)) as PageVisit['facts'];
  const png = await page.screenshot({ fullPage: true, type: 'png' });
  await page.close();
  return { errors, facts, png };
}

async function report(args: string[], cwd?: string): Promise<void> {
  const f = fakeIo(cwd === undefined ? {} : { cwd });
  const code = await main(['report', ...args], f.io);
  expect({ code, stdout: f.stdout() }).toEqual({ code: 0, stdout: '' });
}

const chromium = findChromium();
const RATED_IN_FIXTURE = 39; // fixtures/accounts.csv: 40 accounts, ACC-1040 Unrated (fixtures/README.md)

describe.skipIf(chromium === undefined)("kam report in headless Chromium (skipped where no Chromium is found; .ci/run installs Debian's chromium)", () => {
  let dir = '';
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kam-report-browser-'));
    context = await playwright.launchPersistentContext(join(dir, 'profile'), {
      executablePath: chromium!,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-extensions',
        '--hide-scrollbars',
      ],
      viewport: { width: 1200, height: 900 },
      deviceScaleFactor: 1,
    });
  });

  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the error capture works: a blocked inline script is reported (control page)', async () => {
    const control = join(dir, 'control.html');
    writeFileSync(
      control,
      `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><script>document.title = 'ran'</script></body></html>`,
    );
    const v = await visit(context!, control);
    expect(v.errors.length).toBe(1);
    expect(v.errors[0]).toMatch(/^log: .*Content Security Policy/);
  });

  it('fixtures/accounts.csv: no console errors, one point per rated account, the four quadrant labels, the shortlist named', async () => {
    const out = join(dir, 'report.html');
    await report(['fixtures/accounts.csv', '--as-of', '2026-11-27', '--shortlist', '12', '-o', out]);
    const v = await visit(context!, out);
    expect(v.errors).toEqual([]);
    expect(v.facts.circles).toBe(RATED_IN_FIXTURE);
    expect(new Set(v.facts.ids).size).toBe(RATED_IN_FIXTURE);
    expect(v.facts.ids).not.toContain('ACC-1040');
    expect(v.facts.quadrants).toEqual(['Key', 'Develop', 'Maintain', 'Monitor']);
    expect(v.facts.names).toEqual([
      'Helix Robotics, Inc.',
      'Kestrel Aerospace & Defense',
      'Nordhavn Wind A/S',
      'Tokai Precision Co., Ltd.',
      'Meridian Medical Systems',
      'Aurora Telecom Oy',
      'Cobalt Battery Systems',
      'Bergmann & Söhne GmbH',
      'Lumen Grid Technologies',
      'Solaris Inverters AG',
      'Cartech',
      'Sable Medical Devices',
    ]);
    expect(v.facts.shortlistRows).toBe(12);
    expect(v.facts.scripts).toBe(0);
    expect(v.facts.bodyText).toContain("large headroom: potential is 3x or more of today's revenue");
    expect(v.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(v.png.readUInt32BE(16)).toBe(1200);
    if (process.env['KAM_UPDATE_SCREENSHOT'] === '1') writeFileSync(join(ROOT, 'docs', 'report.png'), v.png);
  });

  it('with --previous (fixtures/weekly): no console errors, the changes section lists who entered and left the shortlist', async () => {
    const out = join(dir, 'weekly.html');
    await report(['fixtures/weekly/accounts-2026-11-27.csv', '--previous', 'fixtures/weekly/accounts-2026-11-20.csv', '--as-of', '2026-11-27', '-o', out]);
    const v = await visit(context!, out);
    expect(v.errors).toEqual([]);
    expect(v.facts.circles).toBe(20);
    expect(v.facts.changes.map((group) => group.slice(0, 3))).toEqual([
      ['Entered the shortlist (1)', 'Stratton Power & Light ACC-1024 | Maintain → Key | 12 → 7 | 50.48 → 63.93'],
      ['Left the shortlist (1)', 'Bergmann & Söhne GmbH ACC-1030 | Key → Develop | 7 → 8 | 65.47 → 59.53'],
      [
        'Tier changes (4)',
        'Stratton Power & Light ACC-1024 | Maintain → Key | 12 → 7 | 50.48 → 63.93',
        'Bergmann & Söhne GmbH ACC-1030 | Key → Develop | 7 → 8 | 65.47 → 59.53',
      ],
      ['New accounts (1)', 'Orbital Sensors, Inc. ACC-1041 | – → Develop | – → 16 | – → 39.98'],
      ['Removed accounts (1)', 'Summit Lighting Group ACC-1032 | Monitor → – | 18 → – | 22.48 → –'],
      [
        'Biggest rank moves (5)',
        'Quantis Photonics ACC-1009 | Develop → Monitor | 9 → 15 | 59.38 → 42.43 | down 6 (potential_revenue 2.2M → 700k, pipeline 500k → 30k, retention_rate 88% → 78%, product_fit 75 → 50, strategic_value 75 → 50: potential -5.7, ltv -2.5, fit -3.75, strategic -5)',
        'Stratton Power & Light ACC-1024 | Maintain → Key | 12 → 7 | 50.48 → 63.93 | up 5 (potential_revenue 2.5M → 3.4M, pipeline 200k → 1.15M, strategic_value 25 → 75: potential +2.2, strategic +10; other accounts moved ltv +1.25)',
      ],
    ]);
  });

  it('5,000 generated accounts: the density view renders, 25 names whose rendered boxes do not overlap (getBBox), under 1 MB', async () => {
    const input = join(dir, 'accounts-5k.csv');
    writeFileSync(input, [...generateAccounts(5000, 42)].join(''));
    const out = join(dir, 'big.html');
    await report([input, '--as-of', '2026-11-27', '-o', out]);
    expect(readFileSync(out).length).toBeLessThan(1_000_000);
    const v = await visit(context!, out);
    expect(v.errors).toEqual([]);
    expect(v.facts.hexes).toBeGreaterThan(300);
    expect(v.facts.circles).toBe(25);
    expect(v.facts.names.length).toBe(25);
    // The halo (stroke 3) aside, no two rendered labels share a pixel.
    const boxes = v.facts.nameBoxes;
    const clash = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter(
          (b) => Math.min(a.x + a.width, b.x + b.width) > Math.max(a.x, b.x) + 0.5 && Math.min(a.y + a.height, b.y + b.height) > Math.max(a.y, b.y) + 0.5,
        ),
    );
    expect(clash).toEqual([]);
  });

  it('with --history, --goals and --backtest (the weekly snapshots of test/helpers/weekly-snapshots.ts): no console errors, the goals, a chart per shortlisted account, the gains chart', async () => {
    const weekly = join(dir, 'weekly-snapshots');
    const snapshots = await writeWeeklySnapshots(weekly);
    const out = join(dir, 'followup.html');
    const args = ['exports/crm-week-8.csv', '--weights', 'volume=0.4', '--shortlist', '2', '--as-of', '2026-11-27', '--history', ...snapshots];
    await report([...args, '--goals', join(ROOT, 'fixtures/goals/goals.csv'), '--backtest', snapshots[0]!, '-o', out], weekly);
    const v = await visit(context!, out);
    expect(v.errors).toEqual([]);
    expect(v.facts.followUp.goals).toEqual(['done', 'on track', 'behind', 'overdue', 'no data', 'account gone', 'behind', 'done']);
    expect(v.facts.followUp.trends.map((t) => [t.id, t.points, t.width > 200])).toEqual([
      ['H-1', 8, true],
      ['H-2', 8, true],
    ]);
    expect(v.facts.followUp.gains).toBe(10);
    expect(v.facts.bodyText).toContain('Backtest: did the accounts kam picked do better?');
  });

  it('a <script> in an account name renders as text and runs nothing', async () => {
    const csv = readFileSync(join(ROOT, 'fixtures/accounts.csv'), 'utf8').replace(
      'Cartech',
      '"<script>console.error(\'xss\')</script><img src=x onerror=""console.error(1)"">"',
    );
    const input = join(dir, 'hostile.csv');
    writeFileSync(input, csv);
    const out = join(dir, 'hostile.html');
    await report([input, '--as-of', '2026-11-27', '--shortlist', '12', '-o', out]);
    const v = await visit(context!, out);
    expect(v.errors).toEqual([]);
    expect(v.facts.scripts).toBe(0);
    expect(v.facts.circles).toBe(RATED_IN_FIXTURE);
    expect(v.facts.bodyText).toContain(`<script>console.error('xss')</script><img src=x onerror="console.error(1)">`);
  });
});
