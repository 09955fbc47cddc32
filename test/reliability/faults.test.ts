/**
 * RELIABILITY.md rows that need a fault the test machine cannot produce for real (tests
 * run as root, so permissions do not stop them, and the disk is not full): `node:fs` is
 * wrapped so chosen calls fail with the errno the kernel would give, and kam runs
 * in-process through `main(argv, fakeIo)`. Test names start with the row number.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, type Mode, type OpenMode, type PathLike } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo } from '../helpers/fake-io.ts';
import { REV_ONLY } from '../helpers/expected-csv.ts';

/** Which fault is armed: the next matching call fails with `code`. */
const fault = vi.hoisted(() => ({
  /** writeSync: bytes still allowed before ENOSPC (undefined: no fault). */
  writeBudget: undefined as number | undefined,
  /** openSync of a kam temp file fails with this code. */
  openCode: undefined as string | undefined,
  /** open (node:fs/promises) of a path ending so fails with EACCES. */
  unreadable: undefined as string | undefined,
}));

function errno(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated, ${syscall}`), { code, syscall });
}

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((fd: number, buffer: NodeJS.ArrayBufferView, offset?: number, length?: number, position?: number | null) => {
    if (fault.writeBudget !== undefined) {
      if (fault.writeBudget <= 0) throw errno('ENOSPC', 'write');
      const n = Math.min(length ?? buffer.byteLength, fault.writeBudget);
      fault.writeBudget -= n;
      return fs.writeSync(fd, buffer, offset, n, position);
    }
    return (fs.writeSync as (...a: unknown[]) => number)(fd, buffer, offset, length, position);
  }) as typeof fs.writeSync;
  const openSync = ((path: PathLike, flags?: OpenMode, mode?: Mode | null) => {
    if (fault.openCode !== undefined && String(path).includes('.kam-tmp-')) throw errno(fault.openCode, 'open');
    return fs.openSync(path, flags ?? 'r', mode);
  }) as typeof fs.openSync;
  return { ...fs, default: { ...fs, writeSync, openSync }, writeSync, openSync };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const fsp = await importOriginal<typeof import('node:fs/promises')>();
  // The reader opens the input (then checks its size and first KiB): the open is what fails.
  const open = ((path: Parameters<typeof fsp.open>[0], ...rest: unknown[]) => {
    if (fault.unreadable !== undefined && String(path).endsWith(fault.unreadable)) return Promise.reject(errno('EACCES', 'open'));
    return (fsp.open as (...a: unknown[]) => ReturnType<typeof fsp.open>)(path, ...rest);
  }) as typeof fsp.open;
  return { ...fsp, default: { ...fsp, open }, open };
});

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kam-rel-faults-'));
  const rows = Array.from({ length: 3000 }, (_, i) => `K${i},Name ${i},${i + 1}`).join('\n');
  writeFileSync(join(dir, 'in.csv'), `account_id,account_name,revenue\n${rows}\n`);
});
afterEach(() => {
  fault.writeBudget = undefined;
  fault.openCode = undefined;
  fault.unreadable = undefined;
});

async function kam(args: string[]) {
  const f = fakeIo({ cwd: dir });
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

const temps = (): string[] => readdirSync(dir).filter((n) => n.includes('.kam-tmp-'));

describe('reliability: faults the machine cannot produce for real', () => {
  it('R42: the disk fills up after 64 KiB of `kam score -o out.csv`: exit 2 naming path and errno, the previous out.csv unchanged, no temp file', async () => {
    const out = join(dir, 'out.csv');
    writeFileSync(out, 'previous complete version\n');
    fault.writeBudget = 64 * 1024;
    expect(await kam(['score', join(dir, 'in.csv'), '-o', out])).toEqual({
      code: 2,
      stdout: '',
      stderr: `${REV_ONLY}\nkam: cannot write ${out}: ENOSPC (no space left on device)\n`,
    });
    expect(fault.writeBudget).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('previous complete version\n');
    expect(temps()).toEqual([]);
  });

  it('R42: the disk fills up while --rejects is written: exit 2, nothing written, no temp file', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'account_id,account_name,revenue\nA,Alpha,abc\nB,Beta,2\n');
    const rejects = join(dir, 'rejects.csv');
    const out = join(dir, 'out2.csv');
    fault.writeBudget = 10;
    const r = await kam(['score', join(dir, 'bad.csv'), '--rejects', rejects, '-o', out]);
    expect({ code: r.code, stdout: r.stdout, last: r.stderr.split('\n').at(-2) }).toEqual({
      code: 2,
      stdout: '',
      last: `kam: cannot write ${rejects}: ENOSPC (no space left on device)`,
    });
    expect(readdirSync(dir).filter((n) => n === 'rejects.csv' || n === 'out2.csv')).toEqual([]);
    expect(temps()).toEqual([]);
  });

  it('R41: a read-only output folder (EACCES on the temp file): "cannot create", exit 2, no temp file', async () => {
    const out = join(dir, 'locked', 'weekly.csv');
    fault.openCode = 'EACCES';
    expect(await kam(['score', join(dir, 'in.csv'), '-o', out])).toEqual({
      code: 2,
      stdout: '',
      stderr: `${REV_ONLY}\nkam: cannot create ${out}: EACCES (permission denied)\n`,
    });
    fault.openCode = 'EROFS';
    expect((await kam(['score', join(dir, 'in.csv'), '-o', out])).stderr).toBe(`${REV_ONLY}\nkam: cannot create ${out}: EROFS (read-only file system)\n`);
    expect(temps()).toEqual([]);
  });

  it('R26: an unreadable input (EACCES) is "cannot open <file>: EACCES (permission denied)" (exit 2)', async () => {
    fault.unreadable = 'in.csv';
    expect(await kam(['score', 'in.csv'])).toEqual({ code: 2, stdout: '', stderr: 'kam: cannot open in.csv: EACCES (permission denied)\n' });
    expect(await kam(['validate', 'in.csv'])).toEqual({ code: 2, stdout: '', stderr: 'kam: cannot open in.csv: EACCES (permission denied)\n' });
  });
});
