import { describe, expect, it } from 'vitest';
import { FirstSeen } from '../../src/schema/first-seen.ts';

/** Record r is on line 10 + r. */
const lines = (r: number): number => 10 + r;

describe('FirstSeen', () => {
  it("gives each record the line of its id's first record, in input order", () => {
    const ids = ['A', 'B', 'A', undefined, 'C', 'B', 'A'];
    const seen = new FirstSeen(
      ids.length,
      (r) => ids[r],
      () => true,
      lines,
    );
    expect(ids.map((_, r) => seen.lineOf(r))).toEqual([10, 11, 10, undefined, 14, 11, 10]);
  });

  it('a record that does not count is never the first, yet finds the first that does', () => {
    const ids = ['A', 'A', 'A', 'B'];
    // Records 0 and 3 do not count (a ragged row, a totals row).
    const seen = new FirstSeen(
      ids.length,
      (r) => ids[r],
      (r) => r !== 0 && r !== 3,
      lines,
    );
    expect(ids.map((_, r) => seen.lineOf(r))).toEqual([11, 11, 11, undefined]);
  });

  it('tells ids apart whose hashes collide, and ids that differ only in case or by a space', () => {
    // FNV-1a 32-bit: 'costarring' and 'liquid' collide (a known pair); so do 'declinate' and 'macallums'.
    const ids = ['costarring', 'liquid', 'declinate', 'macallums', 'liquid', 'Liquid', 'liquid ', 'costarring'];
    const seen = new FirstSeen(
      ids.length,
      (r) => ids[r],
      () => true,
      lines,
    );
    expect(ids.map((_, r) => seen.lineOf(r))).toEqual([10, 11, 12, 13, 11, 15, 16, 10]);
  });

  it('a file of one id on every row is linear, not quadratic: 200k records', () => {
    const seen = new FirstSeen(
      200_000,
      () => 'same',
      () => true,
      lines,
    );
    expect([seen.lineOf(0), seen.lineOf(199_999)]).toEqual([10, 10]);
  });

  it('many distinct ids: each is its own first', () => {
    const n = 50_000;
    const seen = new FirstSeen(
      n,
      (r) => `ACC-${String(r).padStart(7, '0')}`,
      () => true,
      lines,
    );
    let own = 0;
    for (let r = 0; r < n; r++) if (seen.lineOf(r) === 10 + r) own++;
    expect(own).toBe(n);
  });
});
