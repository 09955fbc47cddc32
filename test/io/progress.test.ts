import { describe, expect, it, vi } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, Progress, PROGRESS_LINE_JS, progressLine, REDRAW_MS } from '../../src/io/progress.ts';
import { fakeIo } from '../helpers/fake-io.ts';

/** An Io whose stderr is a terminal and whose clock moves by `step` ms at each reading. */
function ttyIo(step: number, stderrIsTty = true) {
  const f = fakeIo();
  let t = Date.UTC(2026, 10, 27, 12);
  const io = { ...f.io, stderrIsTty, now: () => new Date((t += step)) };
  return { io, stderr: f.stderr };
}

describe('Progress (stderr, terminals only)', () => {
  it('shows nothing for a short run, and nothing when stderr is not a terminal', () => {
    const quick = ttyIo(100);
    const p = new Progress(quick.io, false);
    p.update('reading a.csv');
    p.done();
    expect(quick.stderr()).toBe('');
    const piped = ttyIo(2000, false);
    const q = new Progress(piped.io, true);
    q.update('reading a.csv', 10);
    q.done();
    expect(piped.stderr()).toBe('');
  });

  it('after a second: one line rewritten in place with the rate, cleared at the end', () => {
    const slow = ttyIo(1500);
    const p = new Progress(slow.io, false);
    p.update('reading big.csv', 300_000);
    p.update('scoring', 300_000);
    p.done();
    expect(slow.stderr()).toBe('\r\x1b[2Kkam: reading big.csv (200,000 rows/s) · 1.5 s' + '\r\x1b[2Kkam: scoring (100,000 rows/s) · 3.0 s' + '\r\x1b[2K');
  });

  it('a big input shows its phases at once', () => {
    const big = ttyIo(0);
    const p = new Progress(big.io, true);
    p.update('reading big.csv');
    p.done();
    expect(big.stderr()).toBe('\r\x1b[2Kkam: reading big.csv · 0.0 s\r\x1b[2K');
  });
});

describe('Progress that moves (issue 10 item 6)', () => {
  it(`redraws the line every ${REDRAW_MS} ms while shown (four times a second), with the elapsed time; done() stops it`, async () => {
    vi.useFakeTimers();
    try {
      const f = fakeIo();
      let t = Date.UTC(2026, 10, 27, 12);
      const io = { ...f.io, stderrIsTty: true, now: () => new Date(t) };
      const p = new Progress(io, true);
      p.update(`read ${count(1234567)} rows; scoring ${count(1234000)} accounts`);
      for (let k = 0; k < 4; k++) {
        t += REDRAW_MS;
        vi.advanceTimersByTime(REDRAW_MS);
      }
      p.done();
      t += REDRAW_MS;
      vi.advanceTimersByTime(REDRAW_MS * 4);
      const line = (s: string): string => `\r\x1b[2Kkam: read 1,234,567 rows; scoring 1,234,000 accounts · ${s} s`;
      expect(f.stderr()).toBe([line('0.0'), line('0.3'), line('0.5'), line('0.8'), line('1.0'), '\r\x1b[2K'].join(''));
    } finally {
      vi.useRealTimers();
    }
  });

  it('a short run starts drawing once a second has passed, even inside one long phase', () => {
    vi.useFakeTimers();
    try {
      const f = fakeIo();
      let t = 0;
      const io = { ...f.io, stderrIsTty: true, now: () => new Date(t) };
      const p = new Progress(io, false);
      p.update('scoring 5,000 accounts');
      t = 750;
      vi.advanceTimersByTime(REDRAW_MS * 3);
      expect(f.stderr()).toBe('');
      t = 1000;
      vi.advanceTimersByTime(REDRAW_MS);
      p.done();
      expect(f.stderr()).toBe('\r\x1b[2Kkam: scoring 5,000 accounts · 1.0 s\r\x1b[2K');
    } finally {
      vi.useRealTimers();
    }
  });

  it('count: one number format throughout, thousands grouped with commas', () => {
    expect([count(0), count(999), count(1000), count(1234567.4), count(-12345)]).toEqual(['0', '999', '1,000', '1,234,567', '-12,345']);
  });
});

describe('Progress on a real terminal: a worker thread redraws while the main thread is busy', () => {
  it('draws at least four times a second during one long synchronous step, and nothing after done()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-progress-'));
    const path = join(dir, 'stderr');
    const fd = openSync(path, 'w');
    try {
      const f = fakeIo();
      const io = { ...f.io, stderrIsTty: true, stderrFd: fd, now: () => new Date() };
      const p = new Progress(io, true);
      p.update(`scoring ${count(300000)} accounts`);
      await new Promise((r) => setTimeout(r, 300)); // the thread starts
      const start = Date.now();
      // Busy for 2 s: like a long validation pass, the event loop never runs here. Four draws a
      // second make 8 or more; 5 leaves room for a thread that starts late on a loaded machine.
      while (Date.now() - start < 2000) {
        // spin
      }
      p.done();
      const drawn = readFileSync(path, 'utf8');
      await new Promise((r) => setTimeout(r, 400));
      expect(readFileSync(path, 'utf8')).toBe(drawn); // nothing after done()
      const lines = drawn.split('\r\x1b[2K').filter((l) => l !== '');
      expect(drawn.endsWith('\r\x1b[2K')).toBe(true);
      expect(lines.length).toBeGreaterThanOrEqual(5);
      expect(lines.every((l) => /^kam: scoring 300,000 accounts · \d+\.\d s$/.test(l))).toBe(true);
      expect(f.stderr()).toBe('');
    } finally {
      closeSync(fd);
    }
  });

  it('the thread composes the same line as progressLine', () => {
    // The worker thread runs PROGRESS_LINE_JS as source text; evaluating it here is the point.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call
    const line = new Function(`return ${PROGRESS_LINE_JS}`)() as (text: string, rows: number, elapsed: number) => string;
    for (const [text, rows, elapsed] of [
      ['reading big.csv', -1, 0],
      ['scoring', 300000, 1500],
      ['read 1,234 rows', 1234567, 250],
    ] as const) {
      expect(line(text, rows, elapsed)).toBe(progressLine(text, rows, elapsed));
    }
  });
});
