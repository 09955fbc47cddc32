import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo, ROOT } from '../helpers/fake-io.ts';
import { WEEKS, writeWeeklySnapshots } from '../helpers/weekly-snapshots.ts';

/** The weekly snapshots of test/helpers/weekly-snapshots.ts; the report is of week 8's raw export. */
let dir = '';
let files: string[] = [];
const GOALS = join(ROOT, 'fixtures/goals/goals.csv');
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kam-report-followup-'));
  files = (await writeWeeklySnapshots(dir)).map((f) => f.slice(dir.length + 1));
});

async function kam(args: string[]) {
  const f = fakeIo({ cwd: dir });
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

const REPORT = (format: string) => [
  'report',
  'exports/crm-week-8.csv',
  '--weights',
  'volume=0.4',
  '--shortlist',
  '2',
  '--as-of',
  '2026-11-27',
  '--history',
  ...files,
  '--goals',
  GOALS,
  '--backtest',
  files[0]!,
  '--format',
  format,
];

describe('kam report --history --goals --backtest', () => {
  it("Markdown: goals with their status, the shortlist's trend, the backtest with its gains (a reviewed golden)", async () => {
    const r = await kam(REPORT('md'));
    expect(r.code).toBe(0);
    await expect(r.stdout.replace(GOALS, 'fixtures/goals/goals.csv')).toMatchFileSnapshot('../../fixtures/expected/report-followup.md');
  });

  it('HTML: a goals table, one score chart per shortlisted account with the model change dashed, the gains chart', async () => {
    const r = await kam(REPORT('html'));
    expect(r.code).toBe(0);
    const html = r.stdout;
    const section = (id: string): string => html.slice(html.indexOf(`<section id="${id}">`), html.indexOf('</section>', html.indexOf(`<section id="${id}">`)));
    expect([...section('goals').matchAll(/data-status="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'done',
      'on track',
      'behind',
      'overdue',
      'no data',
      'account gone',
      'behind',
      'done',
    ]);
    // The shortlist of week 8 (the two best Key/Develop accounts): Anchor Industrial and Booster Bio.
    expect([...section('history').matchAll(/<figure data-id="([^"]+)">/g)].map((m) => m[1])).toEqual(['H-1', 'H-2']);
    expect([...section('history').matchAll(/class="model-change"/g)].length).toBe(2);
    expect([...section('history').matchAll(/<circle /g)].length).toBe(2 * WEEKS.length);
    expect(section('backtest')).toContain('<svg class="gains"');
    expect([...section('backtest').matchAll(/<circle /g)].length).toBe(10);
  });

  it('--goals without --history is a usage error', async () => {
    expect(await kam(['report', 'exports/crm-week-8.csv', '--goals', GOALS])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('kam: report --goals needs --history SNAPSHOTS... (the goals are measured across them)\n') as unknown,
    });
  });
});
