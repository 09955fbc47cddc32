/**
 * RELIABILITY.md rows 43-46 and 49 against the built binary (`npm test` builds first) on a
 * 200,000-row generated export (test/bench/gen-accounts.mjs, seed 42, in a temp folder): pipes
 * closed early and read to the end, SIGTERM/SIGINT mid-write, overlapping runs, and the
 * accounting of every row. One file, so vitest runs the quick files in parallel with it.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeAccounts } from '../bench/gen-accounts.mjs';
import { ROOT } from '../helpers/fake-io.ts';

const ROWS = 200_000;
const KAM = `${ROOT}bin/kam.js`;
const ENV = { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' };

let work = '';
/** The reference run: `kam score accounts.csv -o ref.csv`. */
let ref: { code: number | null; stderr: string; bytes: Buffer };
/** Its stderr without the final "kam: wrote ref.csv (...)" line: what every other run of the file says. */
let diagnostics = '';
let wroteLine = '';
/** `kam score accounts-50k.csv` to a pipe: its stdout and stderr. */
let small: Run;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** Spawn a command in the work folder and collect its output; `onStart` may signal it. */
function run(command: string, args: readonly string[], onStart?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
  const child = spawn(command, args, { cwd: work, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  onStart?.(child);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

const kam = (args: readonly string[], onStart?: (child: ReturnType<typeof spawn>) => void): Promise<Run> => run(process.execPath, [KAM, ...args], onStart);

const temps = (): string[] => readdirSync(work).filter((n) => n.includes('.kam-tmp-'));

/** Calls `then` once a temp file of `base` appears in the work folder (inotify, with a polling fallback). */
function whenTempAppears(base: string, then: () => void): void {
  const prefix = `.${base}.kam-tmp-`;
  let done = false;
  const check = (): void => {
    if (done || !readdirSync(work).some((n) => n.startsWith(prefix))) return;
    done = true;
    watcher.close();
    clearInterval(poll);
    then();
  };
  const watcher = watch(work, check);
  const poll = setInterval(check, 5);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kam-rel-large-'));
  const stream = createWriteStream(join(work, 'accounts.csv'));
  await writeAccounts(stream, ROWS, 42);
  stream.end();
  await once(stream, 'close');
  const stream50k = createWriteStream(join(work, 'accounts-50k.csv'));
  await writeAccounts(stream50k, 50_000, 46);
  stream50k.end();
  await once(stream50k, 'close');
  small = await kam(['score', 'accounts-50k.csv']);
  const r = await kam(['score', 'accounts.csv', '-o', 'ref.csv']);
  ref = { code: r.code, stderr: r.stderr, bytes: readFileSync(join(work, 'ref.csv')) };
  const stderrLines = r.stderr.split('\n');
  wroteLine = stderrLines.at(-2) ?? '';
  diagnostics = stderrLines
    .slice(0, -2)
    .map((l) => `${l}\n`)
    .join('');
}, 120_000);

describe('reliability on a 200,000-row export, through the binary', () => {
  it('R49: 200,000 rows score with exit 0; every input row is in the output once, scored or Invalid, and the counts agree', () => {
    expect(ref.code).toBe(0);
    const text = ref.bytes.toString('utf8');
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(ROWS + 2);
    const rows = lines.slice(1, -1);
    const ids = rows.map((l) => l.slice(0, l.indexOf(',')));
    expect(new Set(ids).size).toBe(ROWS);
    expect(ids.slice().sort()).toEqual(Array.from({ length: ROWS }, (_, i) => `ACC-${String(i + 1).padStart(7, '0')}`));
    const invalid = rows.filter((l) => l.includes(',Invalid,')).length;
    const summary = /^kam: (\d+) of 200000 row\(s\) rejected \(kept as tier Invalid with the reason in kam_errors\)$/m.exec(ref.stderr);
    expect(summary?.[1]).toBe(String(invalid));
    expect(invalid).toBeGreaterThan(0);
    // Scored rows first, ranked 1..n without gaps; the Invalid rows last.
    const ranks = rows.slice(0, ROWS - invalid).map((l) => {
      const cells = l.split(',');
      // kam_rank is the 14th cell from the end: 13 kam_ columns from kam_rank to kam_errors, then kam_model.
      return Number(cells[cells.length - 14]);
    });
    expect(ranks[0]).toBe(1);
    expect(ranks.at(-1)).toBe(ROWS - invalid);
    expect(wroteLine).toMatch(/^kam: wrote ref\.csv \(Key \d+ · Develop \d+ · Maintain \d+ · Monitor \d+ · Unrated \d+ · rejected \d+\)$/);
    expect(wroteLine.endsWith(`rejected ${invalid})`)).toBe(true);
    expect(diagnostics.endsWith(`kam: ${invalid} of 200000 row(s) rejected (kept as tier Invalid with the reason in kam_errors)\n`)).toBe(true);
    expect(temps()).toEqual([]);
  });

  it('R44: `kam score accounts.csv | head -n 1` (200,000 rows): exit 0, the header line, no stack trace', async () => {
    const r = await run('bash', [
      '--noprofile',
      '--norc',
      '-c',
      `"${process.execPath}" "${KAM}" score accounts.csv | head -n 1; echo "rc=\${PIPESTATUS[0]}" >&2`,
    ]);
    const header = ref.bytes.subarray(0, ref.bytes.indexOf(10) + 1).toString('utf8');
    expect({ code: r.code, stdout: r.stdout.toString('utf8'), stderr: r.stderr }).toEqual({ code: 0, stdout: header, stderr: `${diagnostics}rc=0\n` });
  }, 60_000);

  it('R45: a reader that reads everything gets every byte: the piped CSV equals the -o file byte for byte (exit 0)', async () => {
    const r = await kam(['score', 'accounts.csv']);
    expect({ code: r.code, stderr: r.stderr, bytes: r.stdout.length }).toEqual({ code: 0, stderr: diagnostics, bytes: ref.bytes.length });
    expect(r.stdout.equals(ref.bytes)).toBe(true);
  }, 60_000);

  for (const [signal, code, input] of [
    ['SIGTERM', 143, 'accounts.csv'],
    ['SIGINT', 130, 'accounts-50k.csv'],
    // Issue 11: a closed terminal (SIGHUP) is handled like SIGTERM.
    ['SIGHUP', 129, 'accounts-50k.csv'],
  ] as const) {
    it(`R43: ${signal} while \`kam score ${input} -o out.csv\` writes: exit ${code}, "interrupted", out.csv still the previous version, no temp file`, async () => {
      const previous = 'account_id,account_name,kam_rank\nACC-0000001,Previous Run,1\n';
      writeFileSync(join(work, 'out.csv'), previous);
      let tempSeen = false;
      const r = await kam(['score', input, '-o', 'out.csv'], (child) => {
        whenTempAppears('out.csv', () => {
          tempSeen = true;
          child.kill(signal);
        });
      });
      expect({ tempSeen, code: r.code, signal: r.signal, stdout: r.stdout.length }).toEqual({ tempSeen: true, code, signal: null, stdout: 0 });
      const said = input === 'accounts.csv' ? diagnostics : small.stderr;
      expect(r.stderr).toBe(`${said}kam: interrupted (${signal}); no output was changed\n`);
      expect(readFileSync(join(work, 'out.csv'), 'utf8')).toBe(previous);
      expect(temps()).toEqual([]);
    }, 60_000);
  }

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`R43: ${signal} while \`kam report accounts.csv -o out.html\` reads and scores: exit ${code}, "interrupted", out.html still the previous version, no temp file`, async () => {
      const previous = '<!DOCTYPE html>\n<p>last week</p>\n';
      writeFileSync(join(work, 'out.html'), previous);
      const r = await kam(['report', 'accounts.csv', '-o', 'out.html'], (child) => {
        setTimeout(() => child.kill(signal), 700);
      });
      expect({ code: r.code, signal: r.signal, stdout: r.stdout.length }).toEqual({ code, signal: null, stdout: 0 });
      expect(r.stderr.endsWith(`kam: interrupted (${signal}); no output was changed\n`)).toBe(true);
      expect(r.stderr).not.toContain('kam: wrote');
      expect(readFileSync(join(work, 'out.html'), 'utf8')).toBe(previous);
      expect(temps()).toEqual([]);
    }, 60_000);
  }

  it('R46: two overlapping runs writing the same -o file (50,000 rows): both exit 0; the file is one complete output; no temp file remains', async () => {
    // The smaller export keeps the two concurrent runs quick on two cores; they still overlap.
    expect(small.code).toBe(0);
    writeFileSync(join(work, 'shared.csv'), 'previous\n');
    let bothAlive = false;
    const second: Promise<Run>[] = [];
    const a = kam(['score', 'accounts-50k.csv', '-o', 'shared.csv'], (first) => {
      second.push(kam(['score', 'accounts-50k.csv', '-o', 'shared.csv'], () => (bothAlive = first.exitCode === null)));
    });
    const [ra, rb] = [await a, await second[0]!];
    expect(bothAlive).toBe(true);
    const wrote = /^kam: wrote shared\.csv \(.*\)$/m;
    expect([ra.code, wrote.test(ra.stderr), rb.code, wrote.test(rb.stderr)]).toEqual([0, true, 0, true]);
    expect(ra.stderr).toBe(rb.stderr);
    expect(ra.stderr.startsWith(small.stderr)).toBe(true);
    expect(readFileSync(join(work, 'shared.csv')).equals(small.stdout)).toBe(true);
    expect(temps()).toEqual([]);
  }, 60_000);
});
