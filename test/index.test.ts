import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.ts';
import { KamError } from '../src/errors.ts';
import { ExitCode, KamError as LibKamError, readAccounts, scoreAccounts, type AccountsInput } from '../src/index.ts';
import { fakeIo } from './helpers/fake-io.ts';

/** The library API documented in the README ("Using kam from Node"). */
describe('readAccounts + scoreAccounts', () => {
  it('scores the worked example best first, with the README numbers', async () => {
    const input = await readAccounts('fixtures/worked-example.csv');
    const ranked = scoreAccounts(input);
    expect(ranked.map((r) => [r.rank, r.accountId, Math.round(r.score! * 100) / 100, r.tier, r.signals])).toEqual([
      // B's current is 50, on the cut: borderline (SCORING.md §4).
      [1, 'B', 69.17, 'Key', ['headroom', 'borderline']],
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

describe('the library speaks its own terms (issue 10 item 7)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kam-lib-terms-'));
  const file = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  async function message(p: Promise<unknown>): Promise<{ message: string; exitCode: number; isKamError: boolean }> {
    try {
      await p;
    } catch (e) {
      return { message: (e as Error).message, exitCode: (e as KamError).exitCode, isKamError: e instanceof LibKamError };
    }
    throw new Error('no error');
  }

  it('KamError (and its exit codes) are exported by the library; they are the classes it throws', async () => {
    expect(LibKamError).toBe(KamError);
    expect([ExitCode.Ok, ExitCode.InvalidData, ExitCode.Failure]).toEqual([0, 1, 2]);
    expect(await message(readAccounts('fixtures/worked-example.csv', { config: { wieghts: {} } }))).toEqual({
      message: 'invalid config:\n✖ Unrecognized key: "wieghts"',
      exitCode: 2,
      isKamError: true,
    });
  });

  it.each([
    [
      'an undecidable decimal separator',
      'account_name,revenue\nA,"1,234"\n',
      {},
      "d1.csv: cannot tell the decimal separator: '1,234' could be read two ways and no value settles it: pass the option decimal: '.' or decimal: ','",
      1,
    ],
    [
      'a missing name column',
      // 'Kunde' would name the account (German: customer); 'Bereich' (area) names nothing.
      'Bereich,revenue\nA,1\n',
      {},
      "d2.csv: missing required column: account_name (the account's name); found: Bereich, revenue; use the option map: ['Header=account_name']",
      1,
    ],
    [
      'a wrong delimiter',
      'account_name;revenue\nA;1\n',
      { delimiter: ',' },
      "d3.csv: missing required column: account_name (the account's name); found: account_name;revenue; the header contains ';': use the option delimiter: ';'",
      1,
    ],
    [
      'a bad map entry',
      'account_name\nA\n',
      { map: ['account_name'] },
      "the option map: ['account_name']: expected \"Header=field\", e.g. the option map: ['Annual Revenue=company_revenue']",
      2,
    ],
    ['a map entry naming no column', 'account_name\nA\n', { map: ['Nope=revenue'] }, "map: no column 'Nope' in the file (columns: account_name)", 2],
    [
      'a deals file',
      'Id,Name,StageName,Amount,CloseDate\n1,Acme deal,Closed Won,5.0,2025-01-01\n',
      {},
      "d6.csv looks like an opportunities (deals) export, not an accounts file: it has the deal columns 'StageName', 'CloseDate', 'Amount' and no column feeds the scoring model; readAccounts takes an accounts export (the CLI reads this file as its deals file)",
      1,
    ],
  ] as const)('%s', async (_what, text, options, expected, exitCode) => {
    const name = `d${['an undecidable decimal separator', 'a missing name column', 'a wrong delimiter', 'a bad map entry', 'a map entry naming no column', 'a deals file'].indexOf(_what) + 1}.csv`;
    const m = await message(readAccounts(file(name, text), options));
    expect(m).toEqual({ message: expected.replace(/^d\d\.csv/, (s) => join(dir, s)), exitCode, isKamError: true });
    expect(m.message).not.toMatch(/--[a-z]/);
  });
});

describe('scoreAccounts takes partial weights as --weights does (issue 10 item 7)', () => {
  it('{ weights: { potential: 3 } } scores as kam score --weights potential=3', async () => {
    const input = await readAccounts('fixtures/accounts.csv');
    const lib = scoreAccounts(input, { weights: { potential: 3 } }).map((r) => [r.accountId, r.score === null ? null : Math.round(r.score * 100) / 100]);
    const f = fakeIo();
    expect(await main(['score', 'fixtures/accounts.csv', '--weights', 'potential=3', '--format', 'json'], f.io)).toBe(0);
    const cli = (JSON.parse(f.stdout()) as { account_id: string; kam_score: number | null }[])
      .filter((r) => r.account_id !== '')
      .map((r) => [r.account_id, r.kam_score]);
    expect(lib).toEqual(cli.slice(0, lib.length));
    expect(lib[0]).not.toEqual(scoreAccounts(input).map((r) => [r.accountId, Math.round(r.score! * 100) / 100])[0]);
  });

  it('bad weights are refused in library terms', () => {
    const input = { config: {}, parsed: { accounts: { n: 0 } } } as unknown as AccountsInput;
    expect(() => scoreAccounts(input, { weights: { vollume: 2 } as never })).toThrow(
      "weights: unknown criterion 'vollume' (criteria: volume, potential, ltv, fit, strategic)",
    );
    expect(() => scoreAccounts(input, { weights: { volume: -1 } })).toThrow('weights: volume must be a finite non-negative number, got -1');
    // The same rule and words as --weights and the config's weights (schema/config.ts weightsProblem).
    expect(() => scoreAccounts(input, { weights: { volume: 0, potential: 0, ltv: 0, fit: 0, strategic: 0 } })).toThrow(
      'weights: the weights must have a positive sum',
    );
    expect(() => scoreAccounts(input, { weights: { volume: 1e308 } })).toThrow(
      'weights: the weights are too large to add up (their sum must stay below 1e306); weights are relative: use small numbers such as volume=2,potential=3',
    );
  });
});

describe("the README's library snippet runs (issue 10 item 7)", () => {
  it('on fixtures/accounts.csv, printing the first ranked account', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Using kam from Node'));
    const snippet = /```js\n([\s\S]*?)```/.exec(section)![1]!;
    const root = new URL('../', import.meta.url).pathname;
    const code = snippet.replace(/from 'kam'/, `from '${root}src/index.ts'`).replace(/'accounts\.csv'/, `'${root}fixtures/accounts.csv'`);
    const dir = mkdtempSync(join(tmpdir(), 'kam-readme-'));
    const path = join(dir, 'snippet.ts');
    writeFileSync(path, code);
    const logged: unknown[] = [];
    const errors: unknown[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logged.push(a));
    const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a));
    try {
      await import(/* @vite-ignore */ path);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    const input = await readAccounts('fixtures/accounts.csv');
    expect(errors).toEqual([]);
    expect(logged).toEqual([[scoreAccounts(input, { weights: { potential: 3 } })[0]]]);
    expect((logged[0] as [{ accountName: string; tier: string }])[0]).toMatchObject({ rank: 1 });
  });
});
