/**
 * A1 references (src/io/xlsx/cell-ref.ts): column letters both ways and a reference's row.
 * A1 style: ECMA-376 Part 1, 18.3.1.4 (c, attribute r).
 */
import { describe, expect, it } from 'vitest';
import { columnLetters, columnOf, rowOf } from '../../../src/io/xlsx/cell-ref.ts';

describe('cell references', () => {
  it('columnOf reads back what columnLetters writes, up to XFD (the last Excel column)', () => {
    for (let i = 0; i < 16384; i++) expect(columnOf(`${columnLetters(i)}7`)).toBe(i);
    expect(columnLetters(16383)).toBe('XFD');
  });

  it('columnOf ignores case and needs letters; rowOf takes the trailing digits', () => {
    expect([columnOf('bc12'), columnOf('12'), columnOf('')]).toEqual([54, -1, -1]);
    expect([rowOf('BC12'), rowOf('A1'), rowOf('B')]).toEqual([12, 1, -1]);
  });
});
