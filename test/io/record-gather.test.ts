import { describe, expect, it } from 'vitest';
import { GatheredRecords } from '../../src/io/record-gather.ts';
import type { RecordBytesSource } from '../../src/io/table.ts';

/** A source over `text` whose records are its lines; counts the reads it serves. */
function linesSource(text: string): RecordBytesSource & { reads: [number, number][] } {
  const bytes = Buffer.from(text);
  const offsets: number[] = [];
  const lengths: number[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    offsets.push(start);
    lengths.push(i - start);
    start = i + 1;
  }
  const reads: [number, number][] = [];
  return {
    reads,
    offsets: Float64Array.from(offsets),
    lengths: Uint32Array.from(lengths),
    read(offset, length) {
      reads.push([offset, length]);
      return bytes.subarray(offset, offset + length);
    },
    altered: () => false,
    plain: () => false,
  };
}

const text = (k: Uint8Array): string => Buffer.from(k).toString('utf8');

describe('GatheredRecords', () => {
  const source = linesSource('a,1\nbb,22\nccc,333\n"d,d",4\né,5\n');

  it('gives each record its own bytes, in the order asked for, from one read', () => {
    const order = Uint32Array.from([3, 0, 4, 2, 1]);
    source.reads.length = 0;
    const g = new GatheredRecords(source, order);
    expect([0, 1, 2, 3, 4].map((k) => text(g.bytes(k)))).toEqual(['"d,d",4', 'a,1', 'é,5', 'ccc,333', 'bb,22']);
    // Nearby records are read together: one read from the first record to the last one's end.
    expect(source.reads).toEqual([[0, 30]]);
  });

  it('reads in batches of at most a quarter of the bytes, given a low floor', () => {
    const order = Uint32Array.from([4, 3, 2, 1, 0]);
    source.reads.length = 0;
    const g = new GatheredRecords(source, order, 1);
    // 26 bytes in all: batches of at most 7 bytes, so each record is a batch of its own.
    expect([0, 1, 2, 3, 4].map((k) => text(g.bytes(k)))).toEqual(['é,5', '"d,d",4', 'ccc,333', 'bb,22', 'a,1']);
    expect(source.reads).toEqual([
      [26, 4],
      [18, 7],
      [10, 7],
      [4, 5],
      [0, 3],
    ]);
  });

  it('reads records far apart each alone', () => {
    const far = linesSource(`first\n${'x'.repeat(70_000)}\nlast\n`);
    const g = new GatheredRecords(far, Uint32Array.from([2, 0]));
    expect([text(g.bytes(0)), text(g.bytes(1))]).toEqual(['last', 'first']);
    expect(far.reads).toEqual([
      [0, 5],
      [70_007, 4],
    ]);
  });
});
