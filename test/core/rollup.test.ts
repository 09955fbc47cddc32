import { describe, expect, it } from 'vitest';
import { textColumn } from '../../src/core/text-column.ts';
import {
  DealStatus,
  DerivedSource,
  fillFromDeals,
  joinDeals,
  normaliseAccountName,
  rollupDeals,
  yearsBefore,
  type DealColumns,
  type DealRollup,
} from '../../src/core/rollup.ts';
import { makeAccounts } from '../helpers/accounts.ts';

/** Days since epoch of an ISO date (test-side only: the engine never reads dates itself). */
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const iso = (d: number): string => new Date(d * 86_400_000).toISOString().slice(0, 10);

interface DealRow {
  account: number;
  status: 'open' | 'won' | 'lost';
  amount?: number;
  close?: string;
}

function deals(rows: readonly DealRow[]): { deals: DealColumns; index: Int32Array } {
  return {
    deals: {
      n: rows.length,
      amount: Float64Array.from(rows, (r) => r.amount ?? Number.NaN),
      status: Uint8Array.from(rows, (r) => (r.status === 'won' ? DealStatus.Won : r.status === 'lost' ? DealStatus.Lost : DealStatus.Open)),
      closeDate: Float64Array.from(rows, (r) => (r.close === undefined ? Number.NaN : day(r.close))),
    },
    index: Int32Array.from(rows, (r) => r.account),
  };
}

const AS_OF = day('2025-12-31');
const roll = (rows: readonly DealRow[], n: number, asOf = AS_OF): DealRollup => {
  const d = deals(rows);
  return rollupDeals(d.deals, d.index, n, asOf);
};
const arr = (x: Float64Array): (number | null)[] => [...x].map((v) => (Number.isNaN(v) ? null : v));

describe('yearsBefore', () => {
  it.each([
    ['2025-12-31', 1, '2024-12-31'],
    ['2025-12-31', 2, '2023-12-31'],
    ['2024-02-29', 1, '2023-02-28'],
    ['2024-02-29', 4, '2020-02-29'],
    ['2025-03-01', 1, '2024-03-01'],
    ['1970-01-01', 1, '1969-01-01'],
  ])('%s minus %i year(s) is %s', (from, years, to) => {
    expect(iso(yearsBefore(day(from), years))).toBe(to);
  });
});

describe('normaliseAccountName', () => {
  it('trims, case-folds, collapses spaces and composes (NFC), keeping legal suffixes', () => {
    expect(normaliseAccountName('  ACME   Corp\u00a0')).toBe('acme corp');
    expect(normaliseAccountName('Cafe\u0301 Noir')).toBe(normaliseAccountName('Café noir'));
    expect(normaliseAccountName('Acme Inc')).not.toBe(normaliseAccountName('Acme'));
  });
});

describe('joinDeals', () => {
  const accounts = { id: textColumn(['A-1', 'A-2', 'A-3']), name: textColumn(['Acme Corp', 'Globex', 'acme corp']) };

  it('joins by id, counting blank keys as account-less and unknown ones as unmatched', () => {
    const j = joinDeals(['A-2', undefined, 'A-9', ' ', 'A-1', 'A-9', 'A-7'], accounts, true);
    expect([...j.accountIndex]).toEqual([1, -1, -1, -1, 0, -1, -1]);
    expect({ matched: j.matched, accountLess: j.accountLess, unmatched: j.unmatched, by: j.by }).toEqual({
      matched: 2,
      accountLess: 2,
      unmatched: 3,
      by: 'id',
    });
    expect(j.unmatchedKeys).toEqual([
      { key: 'A-9', deals: 2 },
      { key: 'A-7', deals: 1 },
    ]);
  });

  it('joins by normalised name; a name two accounts share goes to the first and is reported', () => {
    const j = joinDeals(['ACME  corp ', 'globex', 'Globex Ltd'], accounts, false);
    expect([...j.accountIndex]).toEqual([0, 1, -1]);
    expect(j.sharedNames).toEqual(['acme corp']);
    expect(j.unmatchedKeys).toEqual([{ key: 'Globex Ltd', deals: 1 }]);
  });

  it('does not match ids by name or case', () => {
    const j = joinDeals(['a-1', 'Acme Corp'], accounts, true);
    expect([...j.accountIndex]).toEqual([-1, -1]);
    expect(j.unmatched).toBe(2);
  });
});

describe('rollupDeals', () => {
  // Account 0: the full story. Account 1: only lost deals. Account 2: no deals at all.
  // Account 3: open deals, none with an amount. History reaches 2023-11-15 (<= 2023-12-31).
  const rows: DealRow[] = [
    { account: 0, status: 'won', amount: 100, close: '2025-03-01' },
    { account: 0, status: 'won', amount: 40, close: '2025-12-31' }, // as-of day: inside
    { account: 0, status: 'won', amount: 1000, close: '2024-12-31' }, // a year before: previous window
    { account: 0, status: 'won', amount: 7, close: '2023-12-31' }, // two years before: in neither window
    { account: 0, status: 'won', amount: 500, close: '2026-01-05' }, // after as-of: ignored
    { account: 0, status: 'open', amount: 30 },
    { account: 0, status: 'open' }, // blank amount adds nothing
    { account: 0, status: 'lost', amount: 99, close: '2025-06-01' },
    { account: 1, status: 'lost', amount: 5, close: '2023-11-15' },
    { account: 3, status: 'open', close: '2026-03-01' },
    { account: -1, status: 'won', amount: 1_000_000, close: '2025-05-05' }, // unjoined: counts nowhere
  ];
  const r = roll(rows, 4);

  it('revenue: won amounts in (asOf - 1 year, asOf]; 0 for an account with deals but no win; missing without deals', () => {
    expect(arr(r.revenue)).toEqual([140, 0, null, 0]);
    expect(arr(r.wonInWindow)).toEqual([2, 0, null, 0]);
    expect(arr(r.revenuePrev)).toEqual([1000, 0, null, 0]);
  });

  it('pipeline: sum of open amounts; 0 with no open deal; missing when no open deal has an amount', () => {
    expect(arr(r.pipeline)).toEqual([30, 0, null, null]);
  });

  it('growth_rate: last 12 months against the 12 before, when history covers both and the previous is > 0', () => {
    expect(r.historyStart).toBe(day('2023-11-15'));
    expect(r.coversGrowth).toBe(true);
    expect(arr(r.growthRate)).toEqual([140 / 1000 - 1, null, null, null]);
  });

  it('win rate over all closed deals (won / (won + lost)); last won on or before as-of', () => {
    expect(arr(r.winRate)).toEqual([5 / 6, 0, null, null]);
    expect(arr(r.lastWon)).toEqual([day('2025-12-31'), null, null, null]);
  });

  it('counts', () => {
    expect(arr(r.dealCount)).toEqual([8, 1, null, 1]);
    expect(arr(r.wonCount)).toEqual([5, 0, null, 0]);
    expect(arr(r.closedCount)).toEqual([6, 1, null, 0]);
    expect(arr(r.openCount)).toEqual([2, 0, null, 1]);
  });

  it('growth is not derived when the earliest closed deal is after asOf - 2 years', () => {
    const short = roll(
      [
        { account: 0, status: 'won', amount: 50, close: '2024-01-01' },
        { account: 0, status: 'won', amount: 100, close: '2025-06-01' },
        { account: 0, status: 'open', amount: 1, close: '2020-01-01' }, // open deals do not extend history
      ],
      1,
    );
    expect(iso(short.historyStart)).toBe('2024-01-01');
    expect([short.coversGrowth, short.coversRevenue]).toEqual([false, true]);
    expect(arr(short.revenuePrev)).toEqual([50]);
    expect(arr(short.growthRate)).toEqual([null]);
  });

  it('growth is missing when the previous 12 months are 0 (no division by zero)', () => {
    const zero = roll(
      [
        { account: 0, status: 'lost', amount: 0, close: '2023-01-01' },
        { account: 0, status: 'won', amount: 100, close: '2025-06-01' },
      ],
      1,
    );
    expect(zero.coversGrowth).toBe(true);
    expect(arr(zero.growthRate)).toEqual([null]);
  });

  it('leap day as-of: the window starts after 28 February of the year before', () => {
    const leap = roll(
      [
        { account: 0, status: 'won', amount: 1, close: '2023-02-28' },
        { account: 0, status: 'won', amount: 2, close: '2023-03-01' },
      ],
      1,
      day('2024-02-29'),
    );
    expect(iso(leap.yearAgo)).toBe('2023-02-28');
    expect(arr(leap.revenue)).toEqual([2]);
  });

  it('no deals: everything missing, history unknown', () => {
    const none = roll([], 2);
    expect(arr(none.revenue)).toEqual([null, null]);
    expect(none.historyStart).toBeNaN();
    expect([none.coversGrowth, none.coversRevenue]).toEqual([false, false]);
  });
});

describe('fillFromDeals', () => {
  const accounts = makeAccounts([
    { id: 'A1', revenue: 90 }, // accounts value wins over deals
    { id: 'A2' }, // blank: deals fill it
    { id: 'A3', pipeline: 5 }, // deals say nothing
    { id: 'A4' }, // nothing anywhere
  ]);
  const nan = Number.NaN;
  const rollup = {
    revenue: Float64Array.of(120, 80, nan, nan),
    pipeline: Float64Array.of(10, nan, nan, nan),
    growthRate: Float64Array.of(nan, 0.5, nan, nan),
  } as DealRollup;
  const filled = fillFromDeals(accounts, rollup);

  it('fills blank cells per account and keeps the accounts file value when both give one', () => {
    expect(arr(filled.accounts.revenue)).toEqual([90, 80, null, null]);
    expect(arr(filled.accounts.pipeline)).toEqual([10, null, 5, null]);
    expect(arr(filled.accounts.growthRate)).toEqual([null, 0.5, null, null]);
  });

  it('records the source of every value', () => {
    const S = DerivedSource;
    expect([...filled.source.revenue]).toEqual([S.AccountsOverDeals, S.Deals, S.None, S.None]);
    expect([...filled.source.pipeline]).toEqual([S.Deals, S.None, S.Accounts, S.None]);
    expect([...filled.source.growth_rate]).toEqual([S.None, S.Deals, S.None, S.None]);
  });

  it('leaves the input columns untouched', () => {
    expect(arr(accounts.revenue)).toEqual([90, null, null, null]);
    expect(filled.accounts.id).toBe(accounts.id);
  });
});

describe('rollupDeals: sums past what a double holds', () => {
  it('are missing, never Infinity', () => {
    const deals: DealColumns = {
      n: 2,
      amount: Float64Array.from([1e308, 1e308]),
      status: Uint8Array.from([DealStatus.Won, DealStatus.Won]),
      closeDate: Float64Array.from([20000, 20001]),
    };
    const r = rollupDeals(deals, Int32Array.from([0, 0]), 1, 20010);
    expect(r.revenue[0]).toBeNaN();
    expect(r.wonCount[0]).toBe(2);
  });
});
