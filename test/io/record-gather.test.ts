import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../src/io/blocks.ts';
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

  it('reads a file into one scratch buffer and one batch buffer, reused by every batch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-gather-'));
    try {
      const lines = Array.from({ length: 40 }, (_, i) => `id-${i},${'x'.repeat(i % 7)}`);
      const path = join(dir, 'a.csv');
      writeFileSync(path, lines.join('\n') + '\n');
      const fd = openSync(path, 'r');
      try {
        const file = fileSource(fd, 10_000);
        const inMemory = linesSource(lines.join('\n') + '\n');
        const targets = new Set<Buffer | undefined>();
        const source = { ...inMemory, read: (offset: number, length: number, into?: Buffer) => (targets.add(into), file.read(offset, length, into)) };
        // Reversed order, batches of a few records: every batch is a sweep of its own.
        const order = Uint32Array.from(lines.map((_, i) => lines.length - 1 - i));
        const g = new GatheredRecords(source, order, 40);
        const got = Array.from(order, (_, k) => text(g.bytes(k)));
        expect(got).toEqual([...lines].reverse());
        expect(targets.size).toBe(1);
        expect([...targets][0]).toBeInstanceOf(Buffer);
      } finally {
        closeSync(fd);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
