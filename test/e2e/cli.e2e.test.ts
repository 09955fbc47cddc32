import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fake-io.ts';
import { runKam } from '../helpers/run-kam.ts';

/** A few checks through the built binary, as a user runs it (npm test builds first). */
describe('the kam binary', () => {
  it('is the one-file bundle (bundle.config.mjs): bin/kam.js runs it, it requires only node: built-ins, and the V8 code cache of the build is accepted', () => {
    expect(readFileSync(join(ROOT, 'bin', 'kam.js'), 'utf8')).toContain('loadBundle()');
    const bundle = readFileSync(join(ROOT, 'dist', 'kam.bundle.cjs'), 'utf8');
    const required = [...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((spec) => !spec.startsWith('node:'))).toEqual([]);
    const probe = [
      "import { readFileSync } from 'node:fs';",
      "import { BUNDLE_CACHE, compileBundle } from './bin/load-bundle.js';",
      'process.stdout.write(String(compileBundle(readFileSync(BUNDLE_CACHE)).cachedDataRejected));',
    ].join('\n');
    const cache = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
    expect({ code: cache.status, stdout: cache.stdout, stderr: cache.stderr }).toEqual({ code: 0, stdout: 'false', stderr: '' });
    const r = runKam(['--version']);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('without its bundle (not built, or rebuilt by npm test) it says so in one line, exit 2, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-unbuilt-'));
    mkdirSync(join(dir, 'bin'));
    for (const f of ['kam.js', 'load-bundle.js']) copyFileSync(join(ROOT, 'bin', f), join(dir, 'bin', f));
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'kam.js'), '--help'], { encoding: 'utf8' });
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `kam: ${join(dir, 'dist', 'kam.bundle.cjs')} is missing: kam is not built (or is being rebuilt); run npm install, or npm run build\n`,
    });
  });

  it('`kam score fixtures/accounts.csv | head -3` exits quietly (exit 0, no stack trace)', () => {
    const r = spawnSync('bash', ['--noprofile', '--norc', '-c', 'node bin/kam.js score fixtures/accounts.csv | head -3; echo "rc=${PIPESTATUS[0]}" >&2'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
    });
    expect(r.stdout.split('\n')).toHaveLength(4);
    expect(r.stdout.split('\n')[1]).toMatch(/^ACC-1003,"Helix Robotics, Inc.",/);
    expect(r.stderr).toBe('kam: retention_rate and churn_risk both given on 1 row: retention_rate used\nrc=0\n');
  });

  it('piped output is CSV, one row per account plus the header', () => {
    const r = runKam(['score', 'fixtures/accounts.csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(41);
    expect(
      lines[0]!.endsWith(
        ',kam_rank,kam_score,kam_tier,kam_volume,kam_potential,kam_ltv,kam_fit,kam_strategic,kam_current,kam_attractiveness,kam_coverage,kam_signals,kam_errors,kam_model',
      ),
    ).toBe(true);
  });

  it('reads stdin with -', () => {
    const r = runKam(['score', '-', '--format', 'ndjson', '--top', '1'], { input: 'account_id,account_name,revenue\nX,Xeno,5\n' });
    expect(r).toMatchObject({ code: 0, stderr: 'kam: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone\n' });
    expect(JSON.parse(r.stdout)).toMatchObject({ account_id: 'X', kam_rank: 1, kam_tier: 'Unrated', kam_volume: 50 });
  });

  it('a missing file is an I/O error: exit 2, one line, no stack', () => {
    const r = runKam(['score', 'nope.csv']);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kam: cannot open nope.csv: ENOENT (no such file)\n',
    });
  });

  it('kam --version prints the package version', () => {
    const r = runKam(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });
});
