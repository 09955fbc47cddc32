import { closeSync, fsyncSync, lstatSync, openSync, readdirSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import type { Sink } from './console.ts';

/**
 * Output files are written atomically: a temp file in the same folder, fsync, rename. A
 * reader (or a second cron run) sees the old file or the new one, never half of one; a
 * failure or a signal leaves the previous output untouched and no temp file behind.
 */

const TEMP_MARK = '.kam-tmp-';
/** Temp files of this process, removed by `removeTempFiles` on SIGINT/SIGTERM. */
const liveTemps = new Set<string>();

/** Remove this process's temp files (signal handlers call it before exiting). */
export function removeTempFiles(): void {
  for (const t of liveTemps) {
    try {
      unlinkSync(t);
    } catch {
      // already gone
    }
  }
  liveTemps.clear();
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOSPC: 'no space left on device',
    EROFS: 'read-only file system',
    EISDIR: 'is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    EDQUOT: 'disk quota exceeded',
    EIO: 'input/output error',
  };
  return err.code ? `${err.code} (${why[err.code] ?? err.message})` : String(e);
}

/**
 * Throw when `output` is the same file as `input` (same device and inode, links followed).
 * Relative paths are taken from `cwd`; messages name `output` as given.
 */
export function assertNotInput(output: string, input: string | undefined, cwd: string = process.cwd()): void {
  if (input === undefined || input === '-') return;
  const inPath = resolve(cwd, input);
  const outPath = resolve(cwd, output);
  let inStat;
  try {
    inStat = statSync(inPath);
  } catch {
    return;
  }
  try {
    const outStat = statSync(outPath);
    if (outStat.dev === inStat.dev && outStat.ino === inStat.ino) {
      throw new UsageError(`refusing to write ${output}: it is the input file (output would overwrite input)`);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
  }
  try {
    if (realpathSync(outPath) === realpathSync(inPath)) {
      throw new UsageError(`refusing to write ${output}: it is the input file (output would overwrite input)`);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
  }
}

/**
 * The file a write to `path` must replace: `path` itself, or the end of its chain of
 * symbolic links. Renaming onto a link would replace the link with a plain file and leave
 * its target stale; a dangling link into a missing folder fails like a missing folder.
 */
function followLinks(path: string, cwd: string): string {
  let p = resolve(cwd, path);
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(p).isSymbolicLink();
    } catch {
      return p;
    }
    if (!isLink) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw new UsageError(`cannot create ${path}: ELOOP (too many symbolic links)`);
}

/** Remove temp files that a killed run left in `folder` (older than a minute, any pid). */
function sweepStaleTemps(folder: string, base: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  const prefix = `.${base}${TEMP_MARK}`;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const p = join(folder, name);
    try {
      const s = statSync(p);
      if (Date.now() - s.mtimeMs > 60_000) unlinkSync(p);
    } catch {
      // raced with another run: fine
    }
  }
}

/**
 * Write `path` atomically by letting `produce` write into a sink over a temp file. The
 * temp name is unique per process and call, so overlapping runs never tear a file: the
 * last rename wins, whole. Relative `path` and `input` are taken from `cwd` (the Io's
 * working folder; default the process's); messages name `path` as given.
 */
export async function writeFileAtomic(
  path: string,
  produce: (sink: Sink) => Promise<void>,
  input?: string,
  cwd: string = process.cwd(),
): Promise<void> {
  assertNotInput(path, input, cwd);
  const dest = followLinks(path, cwd);
  const folder = dirname(dest);
  const base = basename(dest);
  sweepStaleTemps(folder, base);
  const temp = join(folder, `.${base}${TEMP_MARK}${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o644);
  } catch (e) {
    throw new UsageError(`cannot create ${path}: ${describe(e)}`);
  }
  liveTemps.add(temp);
  let sinceYield = 0;
  const sink: Sink = {
    closed: false,
    async write(chunk: string) {
      const buf = Buffer.from(chunk, 'utf8');
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      // Let the event loop run now and then, so SIGINT/SIGTERM are handled mid-write.
      sinceYield += buf.length;
      if (sinceYield >= 1 << 20) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
  };
  try {
    try {
      await produce(sink);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, dest);
    liveTemps.delete(temp);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to remove
    }
    liveTemps.delete(temp);
    if (e instanceof UsageError) throw e;
    if ((e as NodeJS.ErrnoException).code) throw new UsageError(`cannot write ${path}: ${describe(e)}`);
    throw e;
  }
}
