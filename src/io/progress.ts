import type { Io } from './console.ts';

/**
 * Progress on stderr for long runs: only on a terminal, only for runs expected to take more
 * than about a second (or once one has), one line rewritten in place, cleared at the end.
 * Never on stdout. Writes are fire-and-forget: progress must never hold up the data.
 */
export class Progress {
  private readonly start: number;
  private shown = false;
  private lastDraw = 0;

  /** `big`: the input is large enough (~10 MB) that the run will take seconds: show phases at once. */
  constructor(
    private readonly io: Io,
    private readonly big: boolean,
  ) {
    this.start = io.now().getTime();
  }

  /** Say where the run is, e.g. "scoring 1,000,000 accounts"; `rows` done so far adds a rate. At most ~10 draws a second. */
  update(text: string, rows?: number): void {
    if (!this.io.stderrIsTty) return;
    const now = this.io.now().getTime();
    const elapsed = now - this.start;
    if ((!this.big && elapsed < 1000) || (this.shown && now - this.lastDraw < 100)) return;
    this.lastDraw = now;
    this.shown = true;
    const rate = rows !== undefined && elapsed > 500 ? ` (${Math.round((rows * 1000) / elapsed).toLocaleString('en-US')} rows/s)` : '';
    void this.io.stderr.write(`\r\x1b[2Kkam: ${text}${rate} · ${(elapsed / 1000).toFixed(1)} s`);
  }

  /** Clear the progress line (if one was drawn). */
  done(): void {
    if (this.shown) void this.io.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
