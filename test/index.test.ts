import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KamError } from '../src/errors.ts';
import { readAccounts, scoreAccounts } from '../src/index.ts';

/** The library API documented in the README ("Using kam from Node"). */
describe('readAccounts + scoreAccounts', () => {
  it('scores the worked example best first, with the README numbers', async () => {
    const input = await readAccounts('fixtures/worked-example.csv');
    const ranked = scoreAccounts(input);
    expect(ranked.map((r) => [r.rank, r.accountId, Math.round(r.score! * 100) / 100, r.tier, r.signals])).toEqual([
      [1, 'B', 69.17, 'Key', ['headroom']],
      [2, 'A', 45.92, 'Maintain', ['volume_only']],
      [3, 'C', 33.67, 'Monitor', ['headroom']],
    ]);
    // Unrounded: potential = 0.6 * 50/3 + 0.2 * 50 + 0.2 * 50/3 = 70/3 (to the last bit of a double).
    const c = ranked[1]!.criteria;
    expect(c).toMatchObject({ volume: 250 / 3, ltv: 250 / 3, fit: 25, strategic: 0 });
    expect(c.potential).toBeCloseTo(70 / 3, 12);
    expect(input.cells(0)).toEqual(['A', 'Alder Appliances', '1000000', '1100000', '50000', '0%', '20%', '90%', '2', '1']);
  });

  it('reports rejected rows, takes --map-style mappings and a config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-lib-'));
    const file = join(dir, 'a.csv');
    writeFileSync(file, 'Kunde,Umsatz\nA,100\nB,oops\nC,300\n');
    const input = await readAccounts(file, { map: ['Kunde=account_name', 'Umsatz=revenue'], config: { min_coverage: 0 } });
    expect(input.rejected.map((r) => [r.line, r.issues.map((i) => `${i.column}: ${i.message}`)])).toEqual([[3, ["Umsatz: 'oops' is not an amount"]]]);
    expect(scoreAccounts(input).map((r) => [r.accountName, r.criteria.volume])).toEqual([
      ['C', 75],
      ['A', 25],
    ]);
  });

  it('file-level problems are KamErrors with the exit code the CLI would use', async () => {
    await expect(readAccounts('does-not-exist.csv')).rejects.toMatchObject({ exitCode: 2 });
    await expect(readAccounts('does-not-exist.csv')).rejects.toBeInstanceOf(KamError);
    await expect(readAccounts('fixtures/worked-example.csv', { config: { wieghts: {} } })).rejects.toThrow('invalid config');
  });
});
