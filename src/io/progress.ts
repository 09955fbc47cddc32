import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from './console.ts';

/** Inputs above this size take seconds: their progress shows at once. */
const BIG_INPUT = 10_000_000;
/** The line is redrawn at least this often while shown (four times a second). */
export const REDRAW_MS = 250;
/** And at most this often, however often `update` is called. */
const MIN_GAP_MS = 100;

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

/**
 * Progress on stderr for long runs: only on a terminal, only for runs expected to take more
 * than about a second (or once one has), one line rewritten in place, cleared before any
 * other output (`done`) and at the end. Never on stdout. While shown, a timer redraws the
 * line every REDRAW_MS so the elapsed time moves even while a phase has nothing new to say.
 * Writes are fire-and-forget: progress must never hold up the data.
 */
export class Progress {
  private readonly start: number;
  private shown = false;
  private lastDraw = 0;
  private text = '';
  private rows: number | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `big`: the input is large enough (~10 MB) that the run will take seconds: show phases at once. */
  constructor(
    private readonly io: Io,
    private readonly big: boolean,
  ) {
    this.start = io.now().getTime();
  }

  /** Say where the run is, e.g. "scoring 1,000,000 accounts"; `rows` done so far adds a rate. */
  update(text: string, rows?: number): void {
    if (!this.io.stderrIsTty) return;
    this.text = text;
    this.rows = rows;
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.tick(), REDRAW_MS);
      this.timer.unref?.();
    }
    this.tick();
  }

  private tick(): void {
    const now = this.io.now().getTime();
    const elapsed = now - this.start;
    if ((!this.big && elapsed < 1000) || (this.shown && now - this.lastDraw < MIN_GAP_MS)) return;
    this.lastDraw = now;
    this.shown = true;
    const rows = this.rows;
    const rate = rows !== undefined && elapsed > 500 ? ` (${count((rows * 1000) / elapsed)} rows/s)` : '';
    void this.io.stderr.write(`\r\x1b[2Kkam: ${this.text}${rate} · ${(elapsed / 1000).toFixed(1)} s`);
  }

  /** Clear the progress line (if one was drawn), e.g. before other output; a later `update` draws it again. */
  done(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.shown) void this.io.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
