#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time aggregated by function
// (name + url:line) and by file, largest first.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/kam-prof bin/kam.js score big.csv --format csv > /dev/null
//   node test/bench/profile-top.mjs /tmp/kam-prof [--top 15] [--markdown]
//
// The argument is a .cpuprofile file or a folder (its newest .cpuprofile is used).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** Picks the file: the path itself, or the newest .cpuprofile in the folder. */
export function resolveProfile(path) {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(path, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (files.length === 0) throw new Error(`no .cpuprofile in ${path}`);
  return files[0];
}

/** Shortens a script URL for display: project files relative to the repo, node internals as is. */
function shortUrl(url) {
  if (url === '') return '';
  const prefix = `file://${ROOT}/`;
  if (url.startsWith(prefix)) return url.slice(prefix.length);
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + 1);
  return url;
}

/**
 * Self time per function (key: name + url:line) and per file, in microseconds, from a parsed
 * .cpuprofile: each sample is charged the time until the next sample.
 */
export function aggregate(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  const fns = new Map();
  const files = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = shortUrl(url);
    const name = functionName === '' ? '(anonymous)' : functionName;
    const where = file === '' ? '' : `${file}:${lineNumber + 1}`;
    const key = `${name}\t${where}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const fileKey = file === '' ? name : file;
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
    total += us;
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalUs: total,
    functions: sorted(fns).map(([key, us]) => {
      const [name, where] = key.split('\t');
      return { name, where, us };
    }),
    files: sorted(files).map(([file, us]) => ({ file, us })),
  };
}

function render(rows, header, cells, markdown, textColumns) {
  if (markdown) {
    return [
      `| ${header.join(' | ')} |`,
      `|${header.map((_, i) => (i < textColumns ? '---' : '---:')).join('|')}|`,
      ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
    ].join('\n');
  }
  const body = rows.map(cells);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (c) => c.map((x, i) => (i < textColumns ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  let top = 15;
  let markdown = false;
  let path;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top') top = Number(args[++i]);
    else if (args[i] === '--markdown') markdown = true;
    else path = args[i];
  }
  if (path === undefined || !Number.isSafeInteger(top) || top < 1) {
    process.stderr.write('usage: node test/bench/profile-top.mjs <file.cpuprofile | folder> [--top 15] [--markdown]\n');
    process.exit(2);
  }
  const file = resolveProfile(path);
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const { totalUs, functions, files } = aggregate(profile);
  const ms = (us) => (us / 1000).toFixed(0);
  const pct = (us) => `${((100 * us) / totalUs).toFixed(1)}%`;
  const out = [];
  out.push(`${file}: ${(totalUs / 1e6).toFixed(2)} s sampled`);
  out.push('');
  out.push(`Top ${top} functions by self time`);
  out.push(
    render(
      functions.slice(0, top),
      ['function', 'location', 'self ms', 'self %'],
      (f) => [markdown ? `\`${f.name}\`` : f.name, f.where, ms(f.us), pct(f.us)],
      markdown,
      2,
    ),
  );
  out.push('');
  out.push('Self time by file');
  out.push(render(files.slice(0, 10), ['file', 'self ms', 'self %'], (f) => [f.file, ms(f.us), pct(f.us)], markdown, 1));
  process.stdout.write(`${out.join('\n')}\n`);
}
