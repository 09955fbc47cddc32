import { spawnSync } from 'node:child_process';
import { ROOT } from './fake-io.ts';

/** Spawn the built binary (npm test builds first), as a user would run it. */
export function runKam(args: readonly string[], options: { input?: string | Buffer; cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [`${ROOT}bin/kam.js`, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...options.env },
    maxBuffer: 512 * 1024 * 1024,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
