import { mkdtempSync, writeFileSync } from 'node:fs';
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

/**
 * fixtures/backtest: the hand-computed case as files. The old snapshot (written as kam
 * score writes, kam_as_of 2026-08-28) holds twelve accounts scored 92..20 in tiers of four;
 * the later export gives the six positives (1,1,0,1, 1,0,0,1, 0,0,1,0) revenue 110,000 for
 * 100,000 (+10%, the default outcome growth:10%) and the others the same 100,000.
 */
const OLD = 'fixtures/backtest/snapshot-2026-08-28.csv';
const LATER = 'fixtures/backtest/export-2026-11-27.csv';
const READ_NOTE = `kam: ${OLD}: written by kam score: its kam_ columns are used as they are\n`;
const WARNING = 'kam: warning: fewer than 10 accounts or 5 positives in Key, Develop, Monitor: read those rates with care\n';

describe('kam backtest on the hand-computed twelve accounts', () => {
  it('CSV: rates 0.75/0.5/0.25, lifts 1.5/1.0/0.5, Wilson intervals, AUC 0.7222, precision 0.75, recall 0.5', async () => {
    const r = await kam(['backtest', OLD, LATER, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(READ_NOTE + WARNING);
    const rows = r.stdout.trimEnd().split('\n');
    // Wilson bounds of 3/4, 2/4, 1/4 and 6/12 as worked by hand in test/core/backtest.test.ts.
    expect(rows.slice(0, 5)).toEqual([
      'section,group,accounts,positives,rate,rate_low,rate_high,lift,lift_low,lift_high,value,note',
      'tier,Key,4,3,0.7500,0.3006,0.9544,1.5000,0.6013,1.9088,,few accounts',
      'tier,Develop,4,2,0.5000,0.1500,0.8500,1.0000,0.3001,1.6999,,few accounts',
      'tier,Monitor,4,1,0.2500,0.0456,0.6994,0.5000,0.0912,1.3987,,few accounts',
      'all,growth:10%,12,6,0.5000,0.2538,0.7462,,,,,',
    ]);
    expect(rows.slice(-3)).toEqual(['auc,,12,,,,,,,,0.7222,', 'precision,shortlist,4,3,,,,,,,0.7500,the Key tier', 'recall,shortlist,6,3,,,,,,,0.5000,']);
    await expect(r.stdout).toMatchFileSnapshot('../../fixtures/expected/backtest-twelve.csv');
  });

  for (const format of ['table', 'json', 'md'] as const) {
    it(`--format ${format} (a reviewed golden); the warning is in the output, not repeated on stderr`, async () => {
      const r = await kam(['backtest', OLD, LATER, '--format', format]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(format === 'json' ? READ_NOTE + WARNING : READ_NOTE);
      await expect(r.stdout).toMatchFileSnapshot(`../../fixtures/expected/backtest-twelve.${format === 'table' ? 'txt' : format}`);
    });
  }

  it("--shortlist 2 takes the old snapshot's two best Key/Develop accounts: precision 1, recall 2/6", async () => {
    const r = JSON.parse((await kam(['backtest', OLD, LATER, '--format', 'json', '--shortlist', '2'])).stdout) as { shortlist: unknown };
    expect(r.shortlist).toEqual({ size: 2, positives: 2, precision: 1, recall: 0.3333 });
  });

  it('--outcome churn: nobody churned here, so every rate is 0 and lift and AUC are n/a', async () => {
    const r = JSON.parse((await kam(['backtest', OLD, LATER, '--format', 'json', '--outcome', 'churn'])).stdout) as Record<string, unknown>;
    expect([r['outcome'], r['positives'], r['auc'], (r['tiers'] as { lift: unknown }[])[0]!.lift]).toEqual(['churn', 0, null, null]);
  });

  it('--outcome won --deals: deals won after 2026-08-28 up to the later date (2026-11-27) count; lost, open, earlier and later deals do not', async () => {
    const r = await kam(['backtest', OLD, LATER, '--format', 'json', '--outcome', 'won', '--deals', 'fixtures/backtest/deals.csv']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { positives: number; tiers: { tier: string; positives: number }[] };
    // BT-01 (won 2026-09-15) and BT-05 (won 2026-11-27); BT-01's 2026-08-01 order was before, BT-09's after.
    expect([doc.positives, doc.tiers.map((t) => [t.tier, t.positives])]).toEqual([
      2,
      [
        ['Key', 1],
        ['Develop', 1],
        ['Monitor', 0],
      ],
    ]);
    expect(r.stderr).toContain('kam: deals: 6 read, 6 matched, 0 without an account, 0 unmatched, 0 rejected\n');
  });

  it('a blank revenue in the later file leaves that account out, said once on stderr; a missing account has not grown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-backtest-'));
    const later = join(dir, 'later.csv');
    writeFileSync(later, 'account_id,account_name,revenue\nBT-01,Aurora Optics,\nBT-02,Basalt Mining,200000\n');
    const r = await kam(['backtest', OLD, later, '--format', 'json']);
    const doc = JSON.parse(r.stdout) as { accounts: number; positives: number; left_out: number };
    expect([doc.accounts, doc.positives, doc.left_out]).toEqual([11, 1, 1]);
    expect(r.stderr).toContain(`kam: 1 account(s) of ${OLD} left out of the backtest: a blank revenue in either file tells no outcome\n`);
  });
});

describe('kam backtest: usage errors (exit 2)', () => {
  it('an old file kam did not write, won without --deals, --deals without won, a bad --outcome', async () => {
    const raw = await kam(['backtest', 'fixtures/worked-example.csv', LATER]);
    expect(raw.code).toBe(2);
    expect(raw.stderr.split('\n').at(-2)).toBe(
      'kam: fixtures/worked-example.csv is not a file kam score wrote (no kam_rank, kam_score, kam_tier): a backtest ranks by what kam said then; score the old export with the model of that time, or use a snapshot kept by cron',
    );
    expect(await kam(['backtest', OLD, LATER, '--outcome', 'won'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kam: --outcome won needs --deals FILE (the deals won in between)\n',
    });
    expect(await kam(['backtest', OLD, LATER, '--deals', 'fixtures/backtest/deals.csv'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kam: --deals is read for --outcome won only\n',
    });
    const bad = await kam(['backtest', OLD, LATER, '--outcome', 'growth:10']);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([
      2,
      "kam: option '--outcome <outcome>' argument 'growth:10' is invalid. --outcome takes growth:N% (e.g. growth:10%), won or churn.",
    ]);
  });
});
