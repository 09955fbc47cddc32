import { describe, expect, it } from 'vitest';
import { isShortlistTier, shortlistOf } from '../../src/core/shortlist.ts';
import { TIER_INDEX } from '../../src/core/types.ts';

describe('shortlistOf', () => {
  // Rank order: 2 (Key), 0 (Maintain), 3 (Develop), 1 (Key), 4 (Unrated)
  const result = {
    n: 5,
    order: Uint32Array.from([2, 0, 3, 1, 4]),
    tier: Uint8Array.from([TIER_INDEX.Maintain, TIER_INDEX.Key, TIER_INDEX.Key, TIER_INDEX.Develop, TIER_INDEX.Unrated]),
  };
  it('with a capacity: the n best-ranked Key and Develop accounts, in rank order', () => {
    expect([...shortlistOf(result, 2)]).toEqual([2, 3]);
    expect([...shortlistOf(result, 10)]).toEqual([2, 3, 1]);
  });
  it('without one: the Key tier', () => {
    expect([...shortlistOf(result, undefined)]).toEqual([1, 2]);
  });
  it('draws from Key and Develop only', () => {
    expect(['Key', 'Develop', 'Maintain', 'Monitor', 'Unrated', 'Invalid'].map(isShortlistTier)).toEqual([true, true, false, false, false, false]);
  });
});
