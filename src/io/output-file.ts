import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
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

/**
 * Let the event loop reach its poll phase, where a pending SIGINT/SIGTERM is handled (two
 * turns: one from wherever the caller is, one through poll). Long synchronous steps call
 * it between phases, and a file write calls it before its rename, so a signal that came
 * while kam was busy stops the run before it changes any output.
 */
export async function yieldToSignals(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
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
    ENAMETOOLONG: 'file name too long',
    ELOOP: 'too many symbolic links',
  };
  return err.code ? `${err.code} (${why[err.code] ?? err.message})` : String(e);
}

/** A file a run reads or writes, with how the user named it: `-o`, `--deals`, `the config`. */
export interface RunFile {
  /** The path as given (relative to the run's working folder), or '-' for stdin/stdout. */
  readonly path: string;
  /** How messages name it: 'the accounts file', '--deals', '--previous', 'the config', '-o', '--rejects'. */
  readonly role: string;
}

/** How a path is identified: its device and inode when it exists, else where it would be created. */
interface Identity {
  readonly dev?: number;
  readonly ino?: number;
  readonly regular: boolean;
  readonly canonical: string;
}

function identify(path: string, cwd: string): Identity {
  const abs = resolve(cwd, path);
  let canonical: string;
  try {
    canonical = realpathSync(abs);
  } catch {
    // Not there yet: the folder's real path (links and `..` resolved) plus the name the links end at.
    let end = abs;
    try {
      end = followLinks(abs, cwd);
    } catch {
      // a loop: the name as given is the best we have
    }
    try {
      canonical = join(realpathSync(dirname(end)), basename(end));
    } catch {
      canonical = end;
    }
  }
  try {
    const s = statSync(abs);
    return { dev: s.dev, ino: s.ino, regular: s.isFile(), canonical };
  } catch {
    return { regular: true, canonical };
  }
}

const isSame = (a: Identity, b: Identity): boolean => (a.ino !== undefined && a.dev === b.dev && a.ino === b.ino) || a.canonical === b.canonical;

const named = (f: RunFile): string => (f.role === '' ? f.path : `${f.role} ${f.path}`);

/**
 * Throw (exit 2, naming both) when `output` is any file the run reads, or another output of
 * the run: the same path, or the same file through `..`, a symbolic link or a hard link
 * (same device and inode). Devices and FIFOs are written in place, so they never clash.
 */
export function assertOutputSafe(output: RunFile, inputs: readonly RunFile[], otherOutputs: readonly RunFile[] = [], cwd: string = process.cwd()): void {
  if (output.path === '-') return;
  const out = identify(output.path, cwd);
  if (!out.regular) return;
  for (const input of inputs) {
    if (input.path === '-') continue;
    if (isSame(out, identify(input.path, cwd))) {
      throw new UsageError(`refusing to write ${named(output)}: it is ${input.role === '' ? 'the input file' : named(input)} (output would overwrite input)`);
    }
  }
  for (const other of otherOutputs) {
    if (other.path === '-' || (other.role === output.role && other.path === output.path)) continue;
    if (isSame(out, identify(other.path, cwd))) {
      throw new UsageError(`refusing to write ${named(output)}: it is also ${named(other)} (one output would overwrite the other); nothing was written`);
    }
  }
}

/**
 * Throw when `output` is the same file as `input` (same device and inode, links followed).
 * Relative paths are taken from `cwd`; messages name `output` as given.
 */
export function assertNotInput(output: string, input: string | undefined, cwd: string = process.cwd()): void {
  if (input === undefined) return;
  assertOutputSafe({ path: output, role: '' }, [{ path: input, role: '' }], [], cwd);
}

/**
 * The file a write to `path` must replace: `path` itself, or the end of its chain of
 * symbolic links. Renaming onto a link would replace the link with a plain file and leave
 * its target stale; a dangling link into a missing folder fails like a missing folder.
 * A link in a world-writable sticky folder (/tmp) owned by someone else than the user and
 * the folder's owner is refused: the kernel refuses a shell redirect through it
 * (fs.protected_symlinks), and kam, which renames onto the link's target, must too.
 */
function followLinks(path: string, cwd: string, display: string = path): string {
  let p = resolve(cwd, path);
  for (let hops = 0; hops < 40; hops++) {
    let link;
    try {
      link = lstatSync(p);
    } catch {
      return p;
    }
    if (!link.isSymbolicLink()) return p;
    assertLinkTrusted(p, link.uid, display);
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw new UsageError(`cannot create ${display}: ELOOP (too many symbolic links)`);
}

/** The check of `followLinks`: throws for a link another user planted in a sticky, world-writable folder. */
function assertLinkTrusted(link: string, owner: number, display: string): void {
  const euid = typeof process.geteuid === 'function' ? process.geteuid() : undefined;
  if (euid === undefined || owner === euid) return;
  let folder;
  try {
    folder = statSync(dirname(link));
  } catch {
    return;
  }
  const stickyWorldWritable = (folder.mode & 0o1002) === 0o1002;
  if (stickyWorldWritable && owner !== folder.uid) {
    throw new UsageError(
      `refusing to write ${display}: ${link === resolve(display) ? 'it' : link} is a symbolic link owned by another user (uid ${owner}) in the world-writable sticky folder ${dirname(link)}; a shell redirect would refuse it too`,
    );
  }
}

/** Whether writes to `path` go to the file itself rather than through a temp file and rename. */
function writesInPlace(abs: string): boolean {
  // Never create a temp file beside a device: /dev/stdout, /dev/fd/1, /proc/self/fd/1.
  if (abs.startsWith('/dev/') || abs.startsWith('/proc/')) return true;
  try {
    const s = statSync(abs);
    return !s.isFile() && !s.isDirectory();
  } catch {
    return false;
  }
}

/**
 * The prefix of the temp files of `base`: `.base.kam-tmp-`, with `base` cut so that the
 * whole temp name (plus pid and a random part) fits the 255-byte limit of a file name.
 */
function tempPrefix(base: string): string {
  let b = base;
  while (Buffer.byteLength(`.${b}${TEMP_MARK}`) + 24 > 255 && b.length > 0) b = [...b].slice(0, -1).join('');
  return `.${b}${TEMP_MARK}`;
}

/** Remove temp files that a killed run left in `folder` (older than a minute, any pid). */
function sweepStaleTemps(folder: string, base: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  const prefix = tempPrefix(base);
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

/** A sink over a file descriptor; yields to the event loop now and then so signals are handled mid-write. */
function fdSink(fd: number): Sink {
  let sinceYield = 0;
  return {
    closed: false,
    async write(chunk: string | Uint8Array) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      sinceYield += buf.length;
      if (sinceYield >= 1 << 20) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
  };
}

/** Write a device, FIFO or /dev/stdout where it is: what a shell redirect does. */
async function writeInPlace(path: string, abs: string, produce: (sink: Sink) => Promise<void>): Promise<void> {
  let fd: number;
  try {
    // No O_CREAT: a missing /dev/x must not become a regular file in /dev.
    fd = openSync(abs, constants.O_WRONLY | constants.O_TRUNC);
  } catch (e) {
    throw new UsageError(`cannot open ${path}: ${describe(e)}`);
  }
  try {
    await produce(fdSink(fd));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if ((e as NodeJS.ErrnoException).code) throw new UsageError(`cannot write ${path}: ${describe(e)}`);
    throw e;
  } finally {
    try {
      closeSync(fd);
    } catch {
      // a device may fail close too; the write error (if any) is the one to report
    }
  }
}

/**
 * Names of the process's own stdout: written to the stdout sink, as `-` is (opening
 * /proc/self/fd/1 fails with ENXIO when stdout is a socket, as under spawn or systemd).
 */
const STDOUT_NAMES: ReadonlySet<string> = new Set(['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);

/** Where a run's outputs go and what they must not replace. */
export interface OutputContext {
  /** The run's working folder (relative paths are taken from it). */
  readonly cwd: string;
  /** Where `-o -` writes. */
  readonly stdout: Sink;
  /** Every file the run reads: the accounts file, --deals, --previous, the config. */
  readonly inputs: readonly RunFile[];
  /** Every file the run writes (-o, --rejects), so two outputs never name one file. */
  readonly outputs?: readonly RunFile[];
}

/**
 * Write one output of a run: `-` is stdout; a device, FIFO or /dev/stdout is written in
 * place (never replaced by a regular file); anything else atomically (`writeFileAtomic`).
 * Refuses (exit 2, naming both) an output that is one of the run's inputs or another output.
 */
export async function writeOutput(output: RunFile, produce: (sink: Sink) => Promise<void>, ctx: OutputContext): Promise<void> {
  if (output.path === '-' || STDOUT_NAMES.has(output.path)) {
    await produce(ctx.stdout);
    return;
  }
  assertOutputSafe(output, ctx.inputs, ctx.outputs ?? [], ctx.cwd);
  await writeFileAtomic(output.path, produce, undefined, ctx.cwd);
}

/**
 * Write `path` atomically by letting `produce` write into a sink over a temp file. The
 * temp name is unique per process and call, so overlapping runs never tear a file: the
 * last rename wins, whole. An existing file keeps its permission bits (and, for root, its
 * owner). A device, FIFO or /dev/stdout is written in place instead. Relative `path` and
 * `input` are taken from `cwd` (the Io's working folder; default the process's); messages
 * name `path` as given.
 */
export async function writeFileAtomic(path: string, produce: (sink: Sink) => Promise<void>, input?: string, cwd: string = process.cwd()): Promise<void> {
  assertNotInput(path, input, cwd);
  const dest = followLinks(path, cwd);
  if (writesInPlace(resolve(cwd, path)) || writesInPlace(dest)) {
    await writeInPlace(path, resolve(cwd, path), produce);
    return;
  }
  let existing;
  try {
    existing = statSync(dest);
  } catch {
    existing = undefined;
  }
  if (existing?.isDirectory()) throw new UsageError(`cannot write ${path}: EISDIR (is a directory)`);
  const folder = dirname(dest);
  const base = basename(dest);
  sweepStaleTemps(folder, base);
  const temp = join(folder, `${tempPrefix(base)}${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o666);
  } catch (e) {
    throw new UsageError(`cannot create ${path}: ${describe(e)}`);
  }
  liveTemps.add(temp);
  try {
    try {
      if (existing !== undefined) {
        fchmodSync(fd, existing.mode & 0o7777);
        if (process.geteuid?.() === 0) fchownSync(fd, existing.uid, existing.gid);
      }
      await produce(fdSink(fd));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    await yieldToSignals();
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
