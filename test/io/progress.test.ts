import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/io/progress.ts';
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
    expect(slow.stderr()).toBe(
      '\r\x1b[2Kkam: reading big.csv (200,000 rows/s) · 1.5 s' + '\r\x1b[2Kkam: scoring (100,000 rows/s) · 3.0 s' + '\r\x1b[2K',
    );
  });

  it('a big input shows its phases at once', () => {
    const big = ttyIo(0);
    const p = new Progress(big.io, true);
    p.update('reading big.csv');
    p.done();
    expect(big.stderr()).toBe('\r\x1b[2Kkam: reading big.csv · 0.0 s\r\x1b[2K');
  });
});
