import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../src/core/rank.ts';
import { textValues } from '../../src/core/text-column.ts';
import { CodedText, hashText, PackedText } from '../../src/schema/packed-text.ts';

const sign = (x: number): number => Math.sign(x) || 0;

/** A cell: undefined (never set), Latin-1 text, or any UTF-16 (lone surrogates too). */
const cellArb = fc.oneof(
  fc.constant(undefined),
  fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 6 }),
);

function packed(cells: readonly (string | undefined)[]): PackedText {
  const t = new PackedText(2, 1); // tiny: every growth path runs
  cells.forEach((s, i) => {
    if (s !== undefined) t.set(i, s);
  });
  return t;
}

describe('PackedText', () => {
  it('gives back every cell as the same string, code unit for code unit; a cell never set is missing', () => {
    const cells = ['ACC-001', undefined, 'Müller GmbH', '株式会社トヨタ', '\uD800 lone', '', 'x'.repeat(20000), 'ÿ', '株'.repeat(9000), 'a'];
    const t = packed(cells);
    expect(textValues(t)).toEqual(cells);
    expect(cells.map((_, i) => t.has(i))).toEqual([true, false, true, true, true, true, true, true, true, true]);
    expect([t.length, t.at(99), t.has(99)]).toEqual([10, undefined, false]);
  });

  it('round-trips, hashes as hashText and orders by code point, on any cells', () => {
    fc.assert(
      fc.property(fc.array(cellArb, { maxLength: 40 }), (cells) => {
        const t = packed(cells);
        expect(cells.map((_, i) => t.at(i))).toEqual(cells);
        expect(t.length).toBe(cells.findLastIndex((s) => s !== undefined) + 1);
        for (let i = 0; i < cells.length; i++) {
          expect(t.hash(i)).toBe(cells[i] === undefined ? -1 : hashText(cells[i]!));
          for (let j = 0; j < cells.length; j++) expect(sign(t.compare(i, j))).toBe(sign(compareCodePoints(cells[i] ?? '', cells[j] ?? '')));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('compacts in place: the cells kept, in order, whatever was dropped', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cellArb, fc.boolean()), { maxLength: 40 }), (rows) => {
        const cells = rows.map(([s]) => s);
        const t = packed(cells);
        const kept: (string | undefined)[] = [];
        rows.forEach(([s, keep], r) => {
          if (!keep) return;
          t.moveTo(kept.length, r);
          kept.push(s);
        });
        t.truncate(kept.length);
        expect(kept.map((_, i) => t.at(i))).toEqual(kept);
        // Cells set after a compaction go on from where the kept ones end.
        t.set(kept.length, 'next');
        expect([...kept.map((_, i) => t.at(i)), t.at(kept.length)]).toEqual([...kept, 'next']);
      }),
      { numRuns: 400 },
    );
  });

  it('codes repeated text: the same values back, in any order of setting, compacted like PackedText', () => {
    const t = new CodedText(2);
    const cells = ['Energy', undefined, 'Retail', 'Energy', 'énergie', 'Retail'];
    for (const i of [5, 0, 2, 3, 4]) t.set(i, cells[i]!);
    expect(textValues(t)).toEqual(cells);
    t.moveTo(0, 2);
    t.moveTo(1, 1);
    t.moveTo(2, 4);
    t.truncate(3);
    expect([textValues(t), t.length, sign(t.compare(0, 2)), sign(t.compare(1, 0))]).toEqual([['Retail', undefined, 'énergie'], 3, -1, -1]);
  });

  it('widens its codes past 255 and 65,535 values, every cell kept', () => {
    const t = new CodedText(4);
    const n = 70_000;
    for (let i = 0; i < n; i++) t.set(i, `v${i % 69_999}`);
    const wrong = [];
    for (let i = 0; i < n; i++) if (t.at(i) !== `v${i % 69_999}`) wrong.push(i);
    expect([t.length, wrong]).toEqual([n, []]);
  });

  it('refuses a cell set out of order (the reader sets them record by record)', () => {
    const t = packed(['a', 'b']);
    expect(() => {
      t.set(1, 'c');
    }).toThrow('PackedText: cell 1 set after cell 1');
  });
});
