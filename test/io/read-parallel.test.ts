/**
 * The parallel reader (issue 13 item 3): worker threads parse record-aligned blocks and the
 * table is the one the single-thread run reads, byte for byte; a block csv-parse refuses
 * sends the run back to one thread, so its message is the single-thread one. Workers run
 * from dist (`npm test` builds first); KAM_PARALLEL_MIN_BYTES and a small block size make a
 * small generated file split into many blocks.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccounts } from '../bench/gen-accounts.mjs';
import { readTable, type RawTable } from '../../src/io/read-table.ts';
import { runKam } from '../helpers/run-kam.ts';

const dir = mkdtempSync(join(tmpdir(), 'kam-parallel-'));
const previous = process.env['KAM_PARALLEL_MIN_BYTES'];
beforeAll(() => {
  process.env['KAM_PARALLEL_MIN_BYTES'] = '1';
});
afterAll(() => {
  if (previous === undefined) delete process.env['KAM_PARALLEL_MIN_BYTES'];
  else process.env['KAM_PARALLEL_MIN_BYTES'] = previous;
});

/** 3,000 generated accounts, every 97th owner holding a quoted line break (CRLF or LF) and quotes, blank rows here and there. */
function accountsText(lineEnd: '\n' | '\r\n'): string {
  const lines = [...generateAccounts(3000, 7)].join('').split('\n');
  return lines
    .map((l, i) => (i > 0 && i % 97 === 0 ? l.replace(/,([^,]*)$/, `,"$1${lineEnd}(Team ""${i}"")"`) : l))
    .map((l, i) => (i > 0 && i % 500 === 0 ? `${lineEnd}${l}` : l))
    .join(lineEnd);
}

/** Everything a caller sees of a table: its fields, and each record's bytes. */
function seen(t: RawTable): unknown {
  return { ...t, bytes: t.records.map((_, r) => Buffer.from(t.recordBytes(r) ?? []).toString('latin1')) };
}

async function outcome(path: string, threads: number): Promise<unknown> {
  try {
    return seen(await readTable(path, { threads, blockBytes: 16_384 }));
  } catch (err) {
    return { error: (err as Error).name, message: (err as Error).message };
  }
}

describe('the parallel reader', () => {
  it('reads a file split into many blocks exactly as one thread does (LF and CRLF, quoted line breaks, blank rows)', async () => {
    for (const lineEnd of ['\n', '\r\n'] as const) {
      const path = join(dir, `accounts-${lineEnd.length}.csv`);
      writeFileSync(path, accountsText(lineEnd));
      const one = await outcome(path, 1);
      expect((one as RawTable).records.length).toBeGreaterThan(2900);
      expect(await outcome(path, 2)).toEqual(one);
      expect(await outcome(path, 3)).toEqual(one);
    }
  });

  it('a quote error in a late block: the single-thread message, line and column', async () => {
    const text = accountsText('\n').split('\n');
    text[2500] = text[2500]!.replace(/,/, ',x"y');
    const path = join(dir, 'broken.csv');
    writeFileSync(path, text.join('\n'));
    const one = await outcome(path, 1);
    expect(one).toEqual({ error: 'InputError', message: `${path}:2501: quote in an unquoted field (column 2)` });
    expect(await outcome(path, 2)).toEqual(one);
  });

  it('kam score --format csv writes the same bytes and says the same with --threads 2 as with --threads 1', () => {
    const path = join(dir, 'score.csv');
    writeFileSync(path, accountsText('\r\n'));
    const env = { KAM_PARALLEL_MIN_BYTES: '1', KAM_BLOCK_BYTES: '65536' };
    const one = runKam(['score', path, '--format', 'csv', '--threads', '1'], { env });
    const two = runKam(['score', path, '--format', 'csv', '--threads', '2'], { env });
    expect(one.code).toBe(0);
    expect(one.stdout.split('\r\n').length).toBeGreaterThan(2900);
    expect(two).toEqual(one);
  });
});
