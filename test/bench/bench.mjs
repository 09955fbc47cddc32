#!/usr/bin/env node
// `npm run bench`: kam against DuckDB and against the floor of its design, on deterministic
// synthetic exports.
//
//   node test/bench/bench.mjs [--sizes 10000,100000,1000000] [--runs N] [--startup-runs 10]
//                          [--report-sizes 2000,20000,300000] [--only startup|score|report|robust|xlsx]
//                          [--seed 42] [--robust-runs 1] [--no-robust] [--keep] [--json results.json]
//
// For each size it writes an export (test/bench/gen-accounts.mjs) to a temporary folder, then
// runs, interleaved so that load drifts hit every command alike:
//   floor      a child `node -e` streaming the file through csv-parse (`parse({ bom: true })`),
//              counting records and discarding them: no kam can read a CSV faster than this;
//   kam csv    `kam score FILE --format csv` > /dev/null (end to end);
//   kam top20  `kam score FILE --format csv --top 20` > /dev/null;
//   duckdb     the same job as one SQL statement (test/bench/duckdb-job.mjs, @duckdb/node-api,
//              a devDependency) > /dev/null; the ratio columns are kam's wall / DuckDB's wall.
// On the first size it also checks that DuckDB and kam agree on kam_rank, kam_score and kam_tier
// of every valid row (the comparison is only fair if both do the same job).
// It also times `kam --help`, `kam score` on a 10-row file and bare `node -e 0`, and
// `kam report FILE -o report.html` on 2k, 20k and 300k rows (--report-sizes; wall time and
// the HTML's size, against 10 s at 300k and 1 MB at every size). `--only report` (or
// `--only score`, `--only startup`, `--only robust`) runs one part. It also runs
// `kam robust` on 10k accounts with 10,000 sampled weightings (--shortlist 25). Every
// command is a child process: wall time from process.hrtime around spawn..exit; CPU time
// (user + sys) and peak RSS from `/usr/bin/time -f` when present, else from polling
// /proc/<pid>/stat and /proc/<pid>/status (VmHWM). BENCH_NO_TIME=1 forces the fallback.
// It is a report: exit 0 whatever the targets say, 1 if a command fails. Needs `npm run build`.
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, openSync, closeSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAccounts } from './gen-accounts.mjs';
import { benchXlsx } from './bench-xlsx.mjs';
import { parse as parseCsv } from 'csv-parse/sync';

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const KAM = join(ROOT, 'bin', 'kam.js');
const DUCKDB_JOB = join(ROOT, 'test', 'bench', 'duckdb-job.mjs');
const TIME = '/usr/bin/time';
const MB = 1024 * 1024;
const CLOCK_TICKS = 100; // USER_HZ, 100 on Linux

// The floor: csv-parse's streaming API, default options plus `bom: true`; prints the count
// so the bench can check that both sides saw the same file.
const FLOOR_SCRIPT = [
  "import { createReadStream } from 'node:fs';",
  "import { parse } from 'csv-parse';",
  'let n = 0;',
  'const parser = parse({ bom: true });',
  "parser.on('readable', () => { while (parser.read() !== null) n++; });",
  "parser.on('error', (e) => { console.error(e.message); process.exitCode = 1; });",
  "parser.on('end', () => { process.stdout.write(`${n}\\n`); });",
  'createReadStream(process.argv[1]).pipe(parser);',
].join('\n');

// Issue 13's "done when": DuckDB's wall on the same file in the same run is the yardstick.
const TARGETS = {
  duckdbCsv1M: 1.0, // kam csv wall / DuckDB wall, 1M rows
  duckdbTop1M: 0.8, // kam --top 20 wall / DuckDB wall, 1M rows
  rssCsv1M: 2.5, // peak RSS / file size, kam csv, 1M rows
  rssTop1M: 2, // peak RSS / file size, kam --top 20, 1M rows
  wall100k: 1, // seconds, kam csv, 100k rows
  help: 0.1, // seconds, kam --help
  small: 0.15, // seconds, kam score on 10 rows
  report300k: 10, // seconds, kam report -o, 300k rows
  reportBytes: 1000000, // bytes, the HTML report, every size
  robust10k: 30, // seconds, kam robust on 10k accounts with 10,000 sampled weightings
};

function usage() {
  return 'usage: node test/bench/bench.mjs [--sizes 10000,100000,1000000] [--runs N] [--startup-runs 10] [--report-sizes 2000,20000,300000] [--only startup|score|report|robust|xlsx] [--robust-runs 1] [--no-robust] [--seed 42] [--keep] [--json file]\n';
}

function parseArgs(argv) {
  const opts = {
    sizes: [10000, 100000, 1000000],
    reportSizes: [2000, 20000, 300000],
    only: undefined,
    runs: undefined,
    startupRuns: 10,
    seed: 42,
    keep: false,
    json: undefined,
    robustRuns: 1,
    robust: true,
  };
  const positive = (flag, value) => {
    const n = Number(value);
    if (value === undefined || !Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    switch (arg) {
      case '--sizes':
        if (value === undefined) throw new Error('--sizes needs a list, e.g. 10000,100000');
        opts.sizes = value.split(',').map((s) => positive('--sizes', s.trim()));
        i++;
        break;
      case '--report-sizes':
        if (value === undefined) throw new Error('--report-sizes needs a list, e.g. 2000,20000');
        opts.reportSizes = value.split(',').map((s) => positive('--report-sizes', s.trim()));
        i++;
        break;
      case '--only':
        if (!['startup', 'score', 'report', 'robust', 'xlsx'].includes(value)) throw new Error('--only takes startup, score, report, robust or xlsx');
        opts.only = value;
        i++;
        break;
      case '--runs':
        opts.runs = positive(arg, value);
        i++;
        break;
      case '--startup-runs':
        opts.startupRuns = positive(arg, value);
        i++;
        break;
      case '--seed':
        opts.seed = positive(arg, value);
        i++;
        break;
      case '--json':
        if (value === undefined) throw new Error('--json needs a file name');
        opts.json = value;
        i++;
        break;
      case '--robust-runs':
        opts.robustRuns = positive(arg, value);
        i++;
        break;
      case '--no-robust':
        opts.robust = false;
        break;
      case '--keep':
        opts.keep = true;
        break;
      case '-h':
      case '--help':
        process.stdout.write(usage());
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${arg}\n${usage()}`);
    }
  }
  return opts;
}

/** Default run count: medians of 3 (issue 13). */
function runsFor(rows, opts) {
  return opts.runs ?? 3;
}

/** Whether @duckdb/node-api resolves (a devDependency: absent after `npm ci --omit=dev`). */
async function duckdbAvailable() {
  try {
    await import('@duckdb/node-api');
    return true;
  } catch {
    return false;
  }
}

/**
 * kam_rank, kam_score and kam_tier of every valid row of kam's CSV and DuckDB's, compared by
 * account_id: the number of rows of each and of rows that differ (the bench fails on any).
 */
async function compareWithDuckdb(file, tmp) {
  const kamOut = join(tmp, 'check-kam.csv');
  const duckOut = join(tmp, 'check-duckdb.csv');
  execFileSync(process.execPath, [KAM, 'score', file, '--format', 'csv', '-o', kamOut, '--quiet'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync(process.execPath, [DUCKDB_JOB, file, duckOut], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const load = (path) => {
    const rows = parseCsv(readFileSync(path), { bom: true, columns: true });
    return new Map(rows.filter((r) => r.kam_tier !== 'Invalid').map((r) => [r.account_id, `${r.kam_rank} ${r.kam_score} ${r.kam_tier}`]));
  };
  const kam = load(kamOut);
  const duck = load(duckOut);
  let differ = 0;
  for (const [id, v] of kam) if (duck.get(id) !== v) differ++;
  return { kam: kam.size, duckdb: duck.size, differ: differ + Math.max(0, duck.size - kam.size) };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const hasTime = process.env.BENCH_NO_TIME !== '1' && existsSync(TIME);
const devNull = openSync('/dev/null', 'w');

/**
 * Runs one command as a child process: { wall (s), cpu (s, or null), rssKB, stdout, stderr }.
 * Throws when it exits non-zero.
 */
async function measure(label, args, { captureStdout = false } = {}, tmp) {
  const timeFile = join(tmp, 'time.out');
  const argv = hasTime ? [TIME, '-f', '%M %U %S', '-o', timeFile, process.execPath, ...args] : [process.execPath, ...args];
  const start = process.hrtime.bigint();
  const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, stdio: ['ignore', captureStdout ? 'pipe' : devNull, 'pipe'] });
  let stdout = '';
  let stderr = '';
  if (captureStdout)
    child.stdout.on('data', (d) => {
      stdout += d;
    });
  child.stderr.on('data', (d) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });

  let polledKB = 0;
  let polledTicks = 0;
  let poller;
  if (!hasTime) {
    // VmHWM is the kernel's high-water mark of RSS, utime + stime (fields 14, 15 of stat, in
    // clock ticks) the CPU time: polling can only miss what happens in the last interval.
    const statusPath = `/proc/${child.pid}/status`;
    const statPath = `/proc/${child.pid}/stat`;
    poller = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(statusPath, 'utf8'));
        if (m) polledKB = Math.max(polledKB, Number(m[1]));
        const fields = readFileSync(statPath, 'utf8').split(') ')[1]?.split(' ') ?? [];
        polledTicks = Math.max(polledTicks, Number(fields[11]) + Number(fields[12]) || 0);
      } catch {
        /* exited between ticks */
      }
    }, 5);
  }
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, signal) => resolve(signal ? `signal ${signal}` : c));
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (poller) clearInterval(poller);
  if (code !== 0) {
    throw new Error(`${label} failed (exit ${code}): node ${args.join(' ')}\n${stderr.trimEnd()}`);
  }
  let rssKB = polledKB;
  let cpu = hasTime ? null : polledTicks / CLOCK_TICKS;
  if (hasTime) {
    const lines = (await readFile(timeFile, 'utf8')).trim().split('\n');
    const [maxKB, user, sys] = (lines.at(-1) ?? '').trim().split(/\s+/).map(Number);
    rssKB = maxKB;
    cpu = user + sys;
  }
  return { wall, cpu, rssKB, stdout, stderr };
}

function fmt(n, digits = 2) {
  if (n === null || n === undefined || Number.isNaN(n)) return 'n/a';
  return n.toFixed(digits);
}

function fmtInt(n) {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+$)/g, ',');
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function summarise(samples) {
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: samples[0].cpu === null ? null : median(samples.map((s) => s.cpu)),
    rssMB: Math.max(...samples.map((s) => s.rssKB)) / 1024,
    walls: samples.map((s) => Number(s.wall.toFixed(4))),
  };
}

function gitDescribe() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${commit} + uncommitted changes` : commit;
  } catch {
    return 'unknown';
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function generate(file, rows, seed) {
  const out = createWriteStream(file);
  await writeAccounts(out, rows, seed);
  await new Promise((resolve, reject) => {
    out.on('error', reject);
    out.end(resolve);
  });
  return (await stat(file)).size;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const distCli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(distCli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  if (existsSync(join(ROOT, 'src')) && newestMtime(join(ROOT, 'src')) > statSync(distCli).mtimeMs) {
    process.stderr.write('bench: warning: src/ is newer than dist/cli.js; run `npm run build` to measure the current code\n');
  }

  const tmp = await mkdtemp(join(tmpdir(), 'kam-bench-'));
  const withDuckdb = await duckdbAvailable();
  const results = {
    date: new Date().toISOString(),
    commit: gitDescribe(),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}`,
    loadBefore: loadavg().map((l) => Number(l.toFixed(2))),
    rssSource: hasTime ? '/usr/bin/time %M' : '/proc/<pid>/status VmHWM polling (CPU from /proc/<pid>/stat)',
    startup: {},
    sizes: [],
    targets: [],
  };
  // `npm run bench | head` must not leave the temporary folder behind: a closed stdout only
  // silences the report.
  let stdoutOpen = true;
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutOpen = false;
  });
  const log = (s = '') => {
    if (stdoutOpen) process.stdout.write(`${s}\n`);
  };
  log(`kam bench  ${results.date}  commit ${results.commit}  node ${results.node}  ${results.cpu}`);
  log(`load average before: ${results.loadBefore.join(' ')}  peak RSS from ${results.rssSource}  temp ${tmp}`);
  if (!withDuckdb) log('DuckDB: @duckdb/node-api is not installed (`npm ci` installs it, a devDependency): no DuckDB column');

  const target = (name, value, limit, unit) => {
    const pass = value <= limit;
    results.targets.push({ name, value: Number(value.toFixed(3)), limit, unit, pass });
  };

  // A failing command stops the measurements, but what was measured is still reported.
  let failure;
  try {
    const part = (name) => opts.only === undefined || opts.only === name;
    // Start-up: kam --help and kam score on 10 rows. One untimed warm-up each fills the OS
    // file cache for node_modules and dist.
    if (part('startup')) {
      const small = join(tmp, 'accounts-10.csv');
      await generate(small, 10, opts.seed);
      // `node -e 0` is the baseline: the part of kam's start-up that kam cannot remove.
      const startupCmds = [
        ['node -e 0 (baseline)', ['-e', '0']],
        ['kam --help', [KAM, '--help']],
        ['kam score (10 rows)', [KAM, 'score', small, '--format', 'csv']],
      ];
      const startupSamples = startupCmds.map(() => []);
      for (const [label, args] of startupCmds) await measure(label, args, {}, tmp);
      for (let r = 0; r < opts.startupRuns; r++) {
        for (const [i, [label, args]] of startupCmds.entries()) startupSamples[i].push(await measure(label, args, {}, tmp));
      }
      const startupRows = startupCmds.map(([label], i) => {
        const s = summarise(startupSamples[i]);
        results.startup[label] = s;
        return [
          label,
          fmt(s.wall * 1000, 0),
          fmt(s.cpu === null ? null : s.cpu * 1000, 0),
          fmt(Math.min(...startupSamples[i].map((x) => x.wall)) * 1000, 0),
          fmt(s.rssMB, 1),
        ];
      });
      log(`\nStart-up (${opts.startupRuns} runs each)`);
      log(table(['command', 'median wall ms', 'median cpu ms', 'min wall ms', 'peak RSS MB'], startupRows));
      target('kam --help median wall', results.startup['kam --help'].wall, TARGETS.help, 's');
      target('kam score 10 rows median wall', results.startup['kam score (10 rows)'].wall, TARGETS.small, 's');
    }

    // kam robust: the whole model per weighting, 10k accounts x 10,000 weightings.
    if (opts.robust && part('robust')) {
      const file = join(tmp, 'accounts-robust-10000.csv');
      await generate(file, 10000, opts.seed);
      const args = [KAM, 'robust', file, '--samples', '10000', '--shortlist', '25', '--format', 'csv'];
      const robustSamples = [];
      for (let r = 0; r < opts.robustRuns; r++) robustSamples.push(await measure('kam robust', args, {}, tmp));
      const s = summarise(robustSamples);
      results.robust = { accounts: 10000, samples: 10000, shortlist: 25, runs: opts.robustRuns, ...s };
      log(`\nkam robust: 10,000 accounts x 10,000 sampled weightings (--shortlist 25, --format csv), ${opts.robustRuns} run(s)`);
      log(table(['command', 'median wall s', 'median cpu s', 'peak RSS MB'], [['kam robust', fmt(s.wall, 2), fmt(s.cpu, 2), fmt(s.rssMB, 0)]]));
      target('kam robust 10k x 10,000 median wall', s.wall, TARGETS.robust10k, 's');
    }

    let checked = false;
    for (const rows of part('score') ? opts.sizes : []) {
      const file = join(tmp, `accounts-${rows}.csv`);
      const genStart = process.hrtime.bigint();
      const bytes = await generate(file, rows, opts.seed);
      const genSeconds = Number(process.hrtime.bigint() - genStart) / 1e9;
      const runs = runsFor(rows, opts);
      log(`\n${fmtInt(rows)} rows: ${fmt(bytes / MB, 1)} MB (generated in ${fmt(genSeconds, 1)} s), ${runs} runs each, interleaved`);
      const cmds = [
        ['floor (csv-parse)', ['--input-type=module', '-e', FLOOR_SCRIPT, file], { captureStdout: true }],
        ['kam score --format csv', [KAM, 'score', file, '--format', 'csv'], {}],
        ['kam score --top 20', [KAM, 'score', file, '--format', 'csv', '--top', '20'], {}],
        ...(withDuckdb ? [['duckdb (same job)', [DUCKDB_JOB, file, '/dev/stdout'], {}]] : []),
      ];
      if (withDuckdb && !checked) {
        const agree = await compareWithDuckdb(file, tmp);
        if (agree.differ > 0 || agree.kam !== agree.duckdb) {
          throw new Error(`DuckDB and kam disagree on ${agree.differ} of ${agree.kam} valid rows (rank, score, tier): the comparison would not be fair`);
        }
        log(`DuckDB and kam agree on kam_rank, kam_score and kam_tier of all ${fmtInt(agree.kam)} valid rows`);
        checked = true;
      }
      const samples = cmds.map(() => []);
      for (let r = 0; r < runs; r++) {
        for (const [i, [label, args, o]] of cmds.entries()) {
          const sample = await measure(label, args, o, tmp);
          if (o.captureStdout && Number(sample.stdout.trim()) !== rows + 1) {
            throw new Error(`floor counted ${sample.stdout.trim()} records, expected ${rows + 1} (header + rows)`);
          }
          samples[i].push(sample);
          if (process.stderr.isTTY) process.stderr.write('.');
        }
      }
      if (process.stderr.isTTY) process.stderr.write('\n');
      const sums = samples.map(summarise);
      const floorWall = sums[0].wall;
      const duckWall = withDuckdb ? sums[3].wall : Number.NaN;
      const entry = { rows, bytes, runs, commands: {} };
      const tableRows = cmds.map(([label], i) => {
        const s = sums[i];
        entry.commands[label] = {
          ...s,
          rowsPerSecond: Math.round(rows / s.wall),
          mbPerSecond: Number((bytes / MB / s.wall).toFixed(2)),
          rssPerFile: Number(((s.rssMB * MB) / bytes).toFixed(3)),
          ratio: Number((s.wall / floorWall).toFixed(3)),
          duckdbRatio: withDuckdb ? Number((s.wall / duckWall).toFixed(3)) : null,
        };
        const e = entry.commands[label];
        return [
          label,
          fmt(s.wall, 3),
          fmt(s.cpu, 2),
          fmtInt(e.rowsPerSecond),
          fmt(e.mbPerSecond, 1),
          fmt(s.rssMB, 0),
          fmt(e.rssPerFile, 2),
          fmt(e.ratio, 2),
          fmt(e.duckdbRatio ?? Number.NaN, 2),
        ];
      });
      results.sizes.push(entry);
      log(table(['command', 'median wall s', 'median cpu s', 'rows/s', 'MB/s', 'peak RSS MB', 'RSS/file', 'x floor', 'x DuckDB'], tableRows));

      const kamCsv = entry.commands['kam score --format csv'];
      const kamTop = entry.commands['kam score --top 20'];
      if (rows === 1000000) {
        if (withDuckdb) {
          target('1M rows: kam csv wall / DuckDB wall', kamCsv.duckdbRatio, TARGETS.duckdbCsv1M, 'x');
          target('1M rows: kam --top 20 wall / DuckDB wall', kamTop.duckdbRatio, TARGETS.duckdbTop1M, 'x');
        }
        target('1M rows: kam csv peak RSS / file size', kamCsv.rssPerFile, TARGETS.rssCsv1M, 'x');
        target('1M rows: kam --top 20 peak RSS / file size', kamTop.rssPerFile, TARGETS.rssTop1M, 'x');
      }
      if (rows === 100000) target('100k rows: kam csv median wall', kamCsv.wall, TARGETS.wall100k, 's');
    }

    // kam report -o: wall time and the size of the HTML it writes.
    results.report = [];
    for (const rows of part('report') ? opts.reportSizes : []) {
      const file = join(tmp, `accounts-${rows}.csv`);
      const bytes = existsSync(file) ? statSync(file).size : await generate(file, rows, opts.seed);
      const out = join(tmp, `report-${rows}.html`);
      const runs = opts.runs ?? 3;
      const samples = [];
      for (let r = 0; r < runs; r++) {
        samples.push(await measure('kam report', [KAM, 'report', file, '-o', out, '--as-of', '2026-11-27'], {}, tmp));
        if (process.stderr.isTTY) process.stderr.write('.');
      }
      if (process.stderr.isTTY) process.stderr.write('\n');
      const s = summarise(samples);
      const html = statSync(out).size;
      const text = readFileSync(out, 'utf8');
      const names = (text.match(/<text class="name"/g) ?? []).length;
      const hexes = (text.match(/<path class="hex"/g) ?? []).length;
      const circles = (text.match(/<circle /g) ?? []).length;
      results.report.push({ rows, bytes, runs, ...s, htmlBytes: html, names, hexes, circles });
      target(`kam report ${fmtInt(rows)} rows: HTML size`, html, TARGETS.reportBytes, 'bytes');
      if (rows === 300000) target('kam report 300k rows: median wall', s.wall, TARGETS.report300k, 's');
    }
    if (results.report.length > 0) {
      log(`\nkam report FILE -o report.html (${results.report[0].runs} runs each)`);
      log(
        table(
          ['rows', 'file MB', 'median wall s', 'median cpu s', 'peak RSS MB', 'HTML KB', 'names', 'hexagons', 'circles'],
          results.report.map((e) => [
            fmtInt(e.rows),
            fmt(e.bytes / MB, 1),
            fmt(e.wall, 2),
            fmt(e.cpu, 2),
            fmt(e.rssMB, 0),
            fmt(e.htmlBytes / 1024, 0),
            String(e.names),
            String(e.hexes),
            String(e.circles),
          ]),
        ),
      );
    }
    // The 100k-row workbook against the same CSV (test/bench/bench-xlsx.mjs).
    if (part('xlsx')) await benchXlsx({ measure, generate, tmp, log, target, table, fmt, fmtInt, summarise, runsFor, opts, results, root: ROOT, kam: KAM, MB });
  } catch (error) {
    failure = error;
    results.error = error.message;
  }

  try {
    results.loadAfter = loadavg().map((l) => Number(l.toFixed(2)));
    log(`\nTargets (load average after: ${results.loadAfter.join(' ')})`);
    log(
      table(
        ['target', 'measured', 'limit', 'result'],
        results.targets.map((t) => [
          t.name,
          `${t.unit === 'bytes' ? fmtInt(t.value) : fmt(t.value, t.unit === 's' ? 3 : 2)} ${t.unit}`,
          `${t.unit === 'bytes' ? fmtInt(t.limit) : t.limit} ${t.unit}`,
          t.pass ? 'PASS' : 'FAIL',
        ]),
      ),
    );
    const skipped = [];
    if (!results.sizes.some((e) => e.rows === 100000)) skipped.push('100k');
    if (!results.sizes.some((e) => e.rows === 1000000)) skipped.push('1M');
    if (!(results.report ?? []).some((e) => e.rows === 300000)) skipped.push('report 300k');
    if (skipped.length > 0) log(`(targets for ${skipped.join(', ')} rows not measured: size not in --sizes, or a command failed)`);
    if (opts.json) {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(opts.json, `${JSON.stringify(results, null, 2)}\n`);
      log(`results written to ${opts.json}`);
    }
  } finally {
    closeSync(devNull);
    if (opts.keep) process.stderr.write(`bench: kept ${tmp}\n`);
    else await rm(tmp, { recursive: true, force: true });
  }
  if (failure !== undefined) throw failure;
}

try {
  await main();
} catch (error) {
  process.stderr.write(`\nbench: ${error.message}\n`);
  process.exitCode = 1;
}
