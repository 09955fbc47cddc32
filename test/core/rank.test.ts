import { describe, expect, it } from 'vitest';
import { compareCodePoints, rankAccounts } from '../../src/core/rank.ts';
import { textColumn } from '../../src/core/text-column.ts';
import { TIER_INDEX } from '../../src/core/types.ts';

const sign = (x: number): number => Math.sign(x);

describe('compareCodePoints', () => {
  it.each([
    ['B', 'a', -1], // U+0042 < U+0061: no case folding
    ['Z', 'é', -1], // U+005A < U+00E9: no locale
    ['a', 'ab', -1], // a prefix sorts first
    ['abc', 'abc', 0],
    ['\uFFFD', '😀', -1], // U+FFFD < U+1F600 although the UTF-16 unit 0xD83D < 0xFFFD
    ['😀', '😁', -1], // U+1F600 < U+1F601
    ['\uE000', '\uD7FF', 1], // U+E000 > U+D7FF
  ])('%s vs %s -> %i', (a, b, expected) => {
    expect([sign(compareCodePoints(a, b)), sign(compareCodePoints(b, a))]).toEqual([expected, -expected || 0]);
  });
});

describe('rankAccounts', () => {
  it('puts rated before Unrated, then score descending with NaN last, then id by code point', () => {
    const { Key, Monitor, Unrated } = TIER_INDEX;
    const score = Float64Array.from([40, 90, Number.NaN, 40, 70, 95]);
    const tier = Uint8Array.from([Monitor, Unrated, Unrated, Monitor, Key, Unrated]);
    const ids = ['b', 'u1', 'none', 'B', 'k', 'u2'];
    const { order, rank } = rankAccounts(score, tier, textColumn(ids));
    // rated: k (70), then B and b (40, 'B' < 'b'); Unrated: u2 (95), u1 (90), none (no score)
    expect([...order].map((i) => ids[i])).toEqual(['k', 'B', 'b', 'u2', 'u1', 'none']);
    expect([...rank]).toEqual([3, 5, 6, 2, 1, 4]);
  });
  it('orders a large input (radix path) like the plain comparator', () => {
    // 4000 accounts, scores from a pool of 7 so most scores tie; ids in scrambled order
    const n = 4000;
    const pool = [0, 12.5, 50, 50.000000001, 99, 100, Number.NaN];
    const score = Float64Array.from({ length: n }, (_, i) => pool[(i * 31) % pool.length]!);
    const tier = Uint8Array.from({ length: n }, (_, i) => (Number.isNaN(score[i]!) || i % 5 === 0 ? TIER_INDEX.Unrated : TIER_INDEX.Key));
    const ids = Array.from({ length: n }, (_, i) => `A${(i * 7919) % n}`);
    const expected = [...ids.keys()].sort(
      (a, b) =>
        (tier[a] === TIER_INDEX.Unrated ? 1 : 0) - (tier[b] === TIER_INDEX.Unrated ? 1 : 0) ||
        (Number.isNaN(score[a]!) ? 1 : 0) - (Number.isNaN(score[b]!) ? 1 : 0) ||
        (Number.isNaN(score[a]!) ? 0 : score[b]! - score[a]!) ||
        compareCodePoints(ids[a]!, ids[b]!),
    );
    const { order, rank } = rankAccounts(score, tier, textColumn(ids));
    expect([...order]).toEqual(expected);
    expect(expected.every((i, k) => rank[i] === k + 1)).toBe(true);
  });
  it('handles no accounts', () => {
    const { order, rank } = rankAccounts(new Float64Array(0), new Uint8Array(0), textColumn([]));
    expect([order.length, rank.length]).toEqual([0, 0]);
  });
});
