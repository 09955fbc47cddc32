import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo } from '../helpers/fake-io.ts';

async function kam(args: string[], opts: Parameters<typeof fakeIo>[0] = {}) {
  const f = fakeIo(opts);
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

describe('kam validate on a Salesforce report export', () => {
  it('keeps a name-only account just before the footer, and lists the footer lines', async () => {
    const r = await kam(['validate', 'fixtures/reading/salesforce-report-name-only-last.csv']);
    expect(r).toEqual({
      code: 0,
      stdout: [
        'fixtures/reading/salesforce-report-name-only-last.csv: 2 rows read, 2 valid, 0 rejected',
        'preset: generic (detected) · encoding: utf-8 · delimiter: "," · decimal: "."',
        'criteria this file can feed: volume no, potential no, ltv no, fit no, strategic no',
        'blank lines skipped: 2',
        'report footer dropped: lines 5, 7, 8',
        'note: dropped a report footer (lines 5-8)',
        '',
      ].join('\n'),
      // Detected as generic: its Rating is a near miss, and with no revenue column its Annual
      // Revenue is the trap SCORING.md warns about; both named with the --map that would use them.
      stderr:
        `kam: warning: 2 columns look like model inputs but feed nothing: 'Annual Revenue' (the account's own annual revenue, not what it brings us, so not revenue: --map "Annual Revenue=revenue" to use it anyway); ` +
        `'Rating' (it may or may not mean strategic_value: --map "Rating=strategic_value" to use it)\n`,
    });
  });

  it('says "line" for a one-line footer', async () => {
    const r = await kam(['validate', '-'], { stdin: '"Account Name","Annual Revenue"\r\n"Acme","100"\r\n"Grand Totals (1 records)"\r\n' });
    expect(r.stdout.split('\n').slice(3)).toEqual(['report footer dropped: line 3', 'note: dropped a report footer (line 3)', '']);
    expect(r.code).toBe(0);
  });
});
