import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo } from '../helpers/fake-io.ts';

/**
 * Three dated weekly exports and this week's file for three fictional accounts. W-1 Watt
 * Works: pipeline 100k -> 400k and no revenue yet, margin 40% -> 34% falling every week,
 * retention 90% until this week's 60% (retention_risk), and a revenue goal behind.
 */
let dir = '';
const HEADER = 'account_id,account_name,revenue,potential_revenue,pipeline,gross_margin,retention_rate,product_fit,strategic_value';
const week = (pipeline: number, margin: number, retention: number): string =>
  [
    HEADER,
    `W-1,Watt Works,0,900000,${pipeline},${margin}%,${retention}%,4,4`,
    'S-1,Steady Steel,800000,900000,50000,30%,90%,3,3',
    'S-2,Solid Salt,400000,500000,20000,25%,88%,2,3',
  ].join('\n') + '\n';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kam-watch-'));
  writeFileSync(join(dir, 'crm-2026-11-06.csv'), week(100000, 40, 90));
  writeFileSync(join(dir, 'crm-2026-11-13.csv'), week(200000, 38, 90));
  writeFileSync(join(dir, 'crm-2026-11-20.csv'), week(300000, 36, 90));
  writeFileSync(join(dir, 'export.csv'), week(400000, 34, 60));
  writeFileSync(join(dir, 'goals.csv'), 'account_id,metric,target,due\nW-1,revenue,100000,2026-12-31\nS-1,revenue,800000,2026-12-31\n');
});

async function kam(args: string[]) {
  const f = fakeIo({ cwd: dir });
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

const SNAPSHOTS = ['crm-2026-11-06.csv', 'crm-2026-11-13.csv', 'crm-2026-11-20.csv'];

describe('kam explain --history --goals: what to watch', () => {
  it('text: the list after the checklist', async () => {
    const r = await kam(['explain', 'export.csv', 'W-1', '--history', ...SNAPSHOTS, '--goals', 'goals.csv', '--as-of', '2026-11-27']);
    expect(r.code).toBe(0);
    expect(r.stdout.slice(r.stdout.indexOf('What to watch:'))).toBe(
      [
        'What to watch:',
        '  - goal on revenue is behind',
        '  - pipeline rising (300,000 -> 400,000) with no won revenue yet',
        '  - gross margin falling three snapshots running (40.0% -> 38.0% -> 36.0% -> 34.0%)',
        '  - retention risk newly given: retention below the threshold, not so in the snapshot before',
        '',
      ].join('\n'),
    );
  });

  it('json: the same items with their codes; a steady account has nothing to watch', async () => {
    const r = await kam(['explain', 'export.csv', 'W-1', '--history', ...SNAPSHOTS, '--goals', 'goals.csv', '--as-of', '2026-11-27', '--format', 'json']);
    expect((JSON.parse(r.stdout) as { watch: { code: string }[] }).watch.map((w) => w.code)).toEqual([
      'goal_behind',
      'pipeline_without_revenue',
      'margin_falling',
      'retention_risk_new',
    ]);
    const steady = await kam(['explain', 'export.csv', 'S-1', '--history', ...SNAPSHOTS, '--goals', 'goals.csv', '--as-of', '2026-11-27']);
    expect(steady.stdout.endsWith('What to watch:\n  nothing in the history or the goals\n')).toBe(true);
  });

  it('without --history there is no watch list; --goals alone is a usage error', async () => {
    const plain = await kam(['explain', 'export.csv', 'W-1']);
    expect(plain.stdout).not.toContain('What to watch');
    expect(await kam(['explain', 'export.csv', 'W-1', '--goals', 'goals.csv'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('kam: explain --goals needs --history SNAPSHOTS... (the goals are measured across them)\n') as unknown,
    });
  });
});
