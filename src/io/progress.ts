import { statSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Io } from './console.ts';

/** Inputs above this size take seconds: their progress shows at once. */
const BIG_INPUT = 10_000_000;
/** The line is redrawn at least this often while shown (four times a second). */
export const REDRAW_MS = 250;
/** And at most this often, however often `update` is called. */
const MIN_GAP_MS = 100;
/** Room for the progress text (UTF-8 bytes) in the memory shared with the redraw thread. */
const TEXT_BYTES = 1024;

/** A count as every progress line writes it: `1,234,567` (en-US grouping, whole numbers). */
export function count(n: number): string {
  // By hand: toLocaleString's first call loads ICU data, a tenth of a second.
  const r = Math.round(n);
  return `${r < 0 ? '-' : ''}${String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/** Whether `file` (relative to the Io's folder; not stdin) is big enough to show progress from the start. */
export function isBigInput(io: Io, file: string): boolean {
  if (file === '-') return false;
  try {
    return statSync(resolve(io.cwd, file)).size > BIG_INPUT;
  } catch {
    return false; // the reader says why it cannot read it
  }
}

/** The progress line: `\r`, erase the line, the text, the rate when rows are known, the elapsed time. */
export function progressLine(text: string, rows: number, elapsed: number): string {
  const rate = rows >= 0 && elapsed > 500 ? ` (${count((rows * 1000) / elapsed)} rows/s)` : '';
  return `\r\x1b[2Kkam: ${text}${rate} · ${(elapsed / 1000).toFixed(1)} s`;
}

// Shared state, Int32 slots: the lock, whether a line may be drawn, whether one is on the
// screen, the text's length; then the last draw time and the rows (Float64), then the text.
const LOCK = 0;
const ACTIVE = 1;
const SHOWN = 2;
const LENGTH = 3;
const HEADER = 32;

/** progressLine in plain JS for the redraw thread (a test holds the two to the same output). */
export const PROGRESS_LINE_JS = `(text, rows, elapsed) => {
  const count = (n) => { const r = Math.round(n); return (r < 0 ? '-' : '') + String(Math.abs(r)).replace(/\\B(?=(\\d{3})+(?!\\d))/g, ','); };
  const rate = rows >= 0 && elapsed > 500 ? ' (' + count((rows * 1000) / elapsed) + ' rows/s)' : '';
  return '\\r\\x1b[2Kkam: ' + text + rate + ' \u00b7 ' + (elapsed / 1000).toFixed(1) + ' s';
}`;

/**
 * The redraw thread: every REDRAW_MS it draws the current text on the terminal through the
 * file descriptor, under the shared lock, even while the main thread is in a long synchronous
 * step (reading, validating, scoring). Plain JS: it runs from source and from dist alike.
 */
const REDRAW_THREAD = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { sab, fd, start, big, every, minGap, header } = workerData;
const ints = new Int32Array(sab, 0, 4);
const floats = new Float64Array(sab, 16, 2);
const bytes = new Uint8Array(sab, header);
const draw = ${PROGRESS_LINE_JS};
setInterval(() => {
  while (Atomics.compareExchange(ints, 0, 0, 1) !== 0) Atomics.wait(ints, 0, 1, 5);
  try {
    const now = Date.now();
    if (ints[1] === 1 && (big || now - start >= 1000) && now - floats[0] >= minGap) {
      const text = new TextDecoder().decode(bytes.slice(0, ints[3]));
      writeSync(fd, draw(text, floats[1], now - start));
      floats[0] = now;
      ints[2] = 1;
    }
  } catch {
    // the terminal went away: nothing to draw on
  } finally {
    Atomics.store(ints, 0, 0);
    Atomics.notify(ints, 0);
  }
}, every);
`;

/**
 * Progress on stderr for long runs: only on a terminal, only for runs expected to take more
 * than about a second (or once one has), one line rewritten in place, cleared before any
 * other output (`done`) and at the end. Never on stdout. While active, the line is redrawn
 * every REDRAW_MS, so the elapsed time moves even while a phase has nothing new to say: for a
 * big input, by a worker thread writing to the terminal's file descriptor when the Io has one
 * (the real process: the main thread is then busy for seconds in one step), else by a timer.
 */
export class Progress {
  private readonly start: number;
  private readonly sab = new SharedArrayBuffer(HEADER + TEXT_BYTES);
  private readonly ints = new Int32Array(this.sab, 0, 4);
  private readonly floats = new Float64Array(this.sab, 16, 2);
  private readonly bytes = new Uint8Array(this.sab, HEADER);
  private worker: Worker | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `big`: the input is large enough (~10 MB) that the run will take seconds: show phases at once. */
  constructor(
    private readonly io: Io,
    private readonly big: boolean,
  ) {
    this.start = io.now().getTime();
    this.floats[0] = Number.NEGATIVE_INFINITY;
  }

  /** Say where the run is, e.g. "scoring 1,000,000 accounts"; `rows` done so far adds a rate. */
  update(text: string, rows?: number): void {
    if (!this.io.stderrIsTty) return;
    this.locked(() => {
      const encoded = new TextEncoder().encode(text).subarray(0, TEXT_BYTES);
      this.bytes.set(encoded);
      this.ints[LENGTH] = encoded.length;
      this.floats[1] = rows ?? -1;
      this.ints[ACTIVE] = 1;
    });
    this.startRedraws();
    this.tick();
  }

  /** Clear the progress line (if one was drawn), e.g. before other output; a later `update` draws it again. */
  done(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.locked(() => {
      this.ints[ACTIVE] = 0;
      if (this.ints[SHOWN] === 1) this.write('\r\x1b[2K');
      this.ints[SHOWN] = 0;
    });
  }

  private tick(): void {
    this.locked(() => {
      const now = this.io.now().getTime();
      if (this.ints[ACTIVE] !== 1 || (!this.big && now - this.start < 1000) || now - this.floats[0]! < MIN_GAP_MS) return;
      const text = new TextDecoder().decode(this.bytes.slice(0, this.ints[LENGTH]));
      this.write(progressLine(text, this.floats[1]!, now - this.start));
      this.floats[0] = now;
      this.ints[SHOWN] = 1;
    });
  }

  private startRedraws(): void {
    // Only a big input blocks the main thread long enough to need the thread (and its start-up).
    const fd = this.big ? this.io.stderrFd : undefined;
    if (fd !== undefined) {
      if (this.worker !== undefined) return;
      const workerData = { sab: this.sab, fd, start: this.start, big: this.big, every: REDRAW_MS, minGap: MIN_GAP_MS, header: HEADER };
      this.worker = new Worker(REDRAW_THREAD, { eval: true, workerData });
      this.worker.unref();
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.tick();
    }, REDRAW_MS);
    this.timer.unref();
  }

  private write(text: string): void {
    const fd = this.io.stderrFd;
    if (fd !== undefined) {
      try {
        writeSync(fd, text);
      } catch {
        // the terminal went away
      }
    } else void this.io.stderr.write(text);
  }

  private locked(f: () => void): void {
    while (Atomics.compareExchange(this.ints, LOCK, 0, 1) !== 0) Atomics.wait(this.ints, LOCK, 1, 5);
    try {
      f();
    } finally {
      Atomics.store(this.ints, LOCK, 0);
      Atomics.notify(this.ints, LOCK);
    }
  }
}
