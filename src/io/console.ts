import { Chalk, type ChalkInstance } from 'chalk';

/**
 * A place to write text; `write` resolves when the chunk may be followed by more (backpressure).
 * A chunk is a string or UTF-8 bytes ending on a character boundary (the CSV writer hands whole records).
 */
export interface Sink {
  /**
   * Text (UTF-8), or bytes: a workbook, or CSV records the CSV writer encoded itself. The
   * sink is done with the bytes once the promise resolves (written, or copied): the CSV
   * writer fills the same buffer again after that.
   */
  write(chunk: string | Uint8Array): Promise<void>;
  /** True once the reader went away (EPIPE): further writes are dropped, the run stops quietly. */
  readonly closed: boolean;
  /** The error that stopped the writes when it was not EPIPE (ENOSPC on `> /dev/full`, EIO): main reports it, exit 2. */
  readonly failure?: NodeJS.ErrnoException | undefined;
}

/**
 * Everything a command touches of the outside world. Commands get it injected, so tests
 * run `main(argv, fakeIo())` in-process and capture stdout and stderr as strings.
 */
export interface Io {
  readonly stdout: Sink;
  readonly stderr: Sink;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
  /**
   * The file descriptor behind stderr, when it is a real one (nodeIo: 2). Progress redraws
   * through it from a worker thread, so the line moves while the main thread is busy.
   */
  readonly stderrFd?: number | undefined;
  /** Terminal width for tables; undefined when not a terminal. */
  readonly columns: number | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Colours for stdout tables (honours NO_COLOR / FORCE_COLOR and non-TTY output). */
  readonly color: ChalkInstance;
  /** Colours for stderr diagnostics. */
  readonly colorErr: ChalkInstance;
  /** The clock, read only by the shell (`--as-of` defaults to it). */
  now(): Date;
  /** `--quiet`: notes, warnings and progress are dropped; errors still reach stderr (see noteSink). */
  readonly quiet?: boolean;
}

/** A sink that drops everything. */
const NOWHERE: Sink = { closed: false, write: () => Promise.resolve() };

/** Where notes and warnings go: stderr, or nowhere under `--quiet`. Errors always go to io.stderr. */
export function noteSink(io: Io): Sink {
  return io.quiet === true ? NOWHERE : io.stderr;
}

/** The Io of a `--quiet` run: notes dropped, and stderr treated as no terminal (so no progress line). */
export function quietIo(io: Io, quiet: boolean | undefined): Io {
  return quiet === true ? { ...io, quiet: true, stderrIsTty: false } : io;
}

/** A sink over a Node stream: waits for 'drain', turns EPIPE into a quiet `closed`. */
function streamSink(stream: NodeJS.WritableStream): Sink {
  let closed = false;
  let failure: NodeJS.ErrnoException | undefined;
  const fail = (e: NodeJS.ErrnoException | null | undefined): void => {
    if (!e) return;
    closed = true;
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') failure ??= e;
  };
  stream.on('error', fail);
  return {
    get closed() {
      return closed;
    },
    get failure() {
      return failure;
    },
    write(chunk: string | Uint8Array): Promise<void> {
      if (closed || chunk.length === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const ok = stream.write(chunk, (err) => {
          if (err) fail(err);
          if (!ok) return;
          resolve();
        });
        if (!ok) {
          // Both listeners go once either fires: one pair per blocked write would pile up
          // (MaxListenersExceededWarning on stderr after ten, on any large piped output).
          const onClose = (): void => {
            closed = true;
            done();
          };
          const done = (): void => {
            stream.off('drain', done);
            stream.off('close', onClose);
            resolve();
          };
          stream.once('drain', done);
          stream.once('close', onClose);
        }
      });
    },
  };
}

function colorLevel(env: Readonly<Record<string, string | undefined>>, isTty: boolean): 0 | 1 | 2 | 3 {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 0;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  return isTty && env['TERM'] !== 'dumb' ? 1 : 0;
}

/** The real process: the only Io that touches `process`. */
export function nodeIo(): Io {
  const env = process.env;
  const stdoutIsTty = (process.stdout.isTTY as boolean | undefined) === true;
  const stderrIsTty = (process.stderr.isTTY as boolean | undefined) === true;
  return {
    stdout: streamSink(process.stdout),
    stderr: streamSink(process.stderr),
    // A getter: process.stdin opens a stream on fd 0 (a few ms), which only `kam ... -` reads.
    get stdin() {
      return process.stdin;
    },
    stdoutIsTty,
    stderrIsTty,
    stderrFd: 2,
    columns: stdoutIsTty ? process.stdout.columns : undefined,
    env,
    cwd: process.cwd(),
    color: new Chalk({ level: colorLevel(env, stdoutIsTty) }),
    colorErr: new Chalk({ level: colorLevel(env, stderrIsTty) }),
    now: () => new Date(),
  };
}
