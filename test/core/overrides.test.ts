import { describe, expect, it } from 'vitest';
import { expiringWithin } from '../../src/core/overrides.ts';

describe('expiringWithin (diff --overrides: overrides that expire within 14 days)', () => {
  // Days since 1970-01-01: 20784 is 2026-11-27.
  const rows = [
    { accountId: 'b', expires: 20798 }, // in 14 days: listed
    { accountId: 'a', expires: 20798 },
    { accountId: 'c', expires: 20784 }, // today: its last day, listed
    { accountId: 'd', expires: 20783 }, // expired yesterday: not
    { accountId: 'e', expires: 20799 }, // in 15 days: not
  ];
  it('lists those whose last day is from the date to 14 days on, soonest first, then by id', () => {
    expect(expiringWithin(rows, 20784, 14).map((r) => r.accountId)).toEqual(['c', 'a', 'b']);
    expect(expiringWithin(rows, 20784, 0).map((r) => r.accountId)).toEqual(['c']);
  });
});
