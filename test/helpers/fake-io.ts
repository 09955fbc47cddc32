import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Chalk } from 'chalk';
import type { Io, Sink } from '../../src/io/console.ts';

/** The repository root (tests run commands from here so fixture paths read like the README's). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A sink that collects text (byte chunks, which end on a character boundary, decoded as UTF-8). */
export function memorySink(): Sink & { text: () => string } {
  const chunks: string[] = [];
  return {
    closed: false,
    async write(chunk: string | Uint8Array) {
      // Bytes: UTF-8 text (the CSV writer's records) decoded, anything else (a workbook) one character per byte.
      if (typeof chunk === 'string') chunks.push(chunk);
      else {
        const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        try {
          chunks.push(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
        } catch {
          chunks.push(bytes.toString('latin1'));
        }
      }
    },
    text: () => chunks.join(''),
  };
}

export interface FakeIoOptions {
  readonly cwd?: string;
  readonly stdin?: string;
  readonly stdoutIsTty?: boolean;
  readonly columns?: number;
  readonly now?: string;
  readonly env?: Record<string, string>;
}

/** An in-process Io: captured stdout/stderr, no colour, a fixed clock (2026-11-27T12:00:00Z). */
export function fakeIo(options: FakeIoOptions = {}): { io: Io; stdout: () => string; stderr: () => string } {
  const out = memorySink();
  const err = memorySink();
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const io: Io = {
    stdout: out,
    stderr: err,
    stdin,
    stdoutIsTty: options.stdoutIsTty ?? false,
    stderrIsTty: false,
    columns: options.columns,
    env: { NO_COLOR: '1', ...options.env },
    cwd: options.cwd ?? ROOT,
    color: new Chalk({ level: 0 }),
    colorErr: new Chalk({ level: 0 }),
    now: () => new Date(options.now ?? '2026-11-27T12:00:00Z'),
  };
  return { io, stdout: out.text, stderr: err.text };
}
