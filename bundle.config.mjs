// `npm run build`, after tsc: dist/cli.js and everything it imports statically (kam's modules,
// commander, chalk) bundled into one CommonJS file, dist/kam.bundle.cjs, and the V8 code cache
// of it, dist/kam.bundle.cjs.cache, which bin/kam.js loads (bin/load-bundle.js). Node then
// neither resolves about 110 modules nor parses 0.7 MB of JavaScript at start-up (issue 13
// item 5; the numbers are in docs/BENCHMARKS.md). What kam loads lazily through createRequire
// (csv-parse, zod, iconv-lite, cli-table3) stays in node_modules, loaded on first use.
//
// Each module's `import.meta.url` is rewritten to the URL of its own file in dist/, so the paths
// a module computes from it (../package.json, dist/kam.config.schema.json, a worker's file, the
// base of createRequire) are the same bundled or not.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { BUNDLE, BUNDLE_CACHE, compileBundle, runBundle } from './bin/load-bundle.js';

const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const own = `./${relative(dirname(BUNDLE), args.path).split('\\').join('/')}`;
      const url = `new URL(${JSON.stringify(own)}, require('node:url').pathToFileURL(__filename)).href`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

/**
 * Built-in modules kam needs only on some paths (a worker, a workbook, a spill file, the model
 * fingerprint; commander's executable subcommands): their top-level `require` becomes a proxy
 * that requires the module on its first property access, so `kam --help` does not load
 * crypto, zlib, worker_threads, net and child_process (about 60 internal modules). esbuild
 * reaches a built-in's exports only through property accesses (`(0, import_node_zlib.inflateRawSync)(...)`,
 * `new import_node_worker_threads.Worker(...)`), which the proxy forwards.
 */
const LAZY_BUILTINS = ['child_process', 'crypto', 'net', 'worker_threads', 'zlib'];
const LAZY_REQUIRE = new RegExp(`(\\b[\\w$]+\\s*=\\s*)require\\("(node:(?:${LAZY_BUILTINS.join('|')}))"\\)`, 'g');
const LAZY_HELPER = `
function __lazyBuiltin(id) {
  let loaded;
  const load = () => (loaded ??= require(id));
  return new Proxy({}, { get: (_, key) => load()[key], has: (_, key) => key in load() });
}
`;

/**
 * The bundle as it is written: LAZY_BUILTINS required on first use, and ASCII only (a \\uXXXX
 * escape means the same character in every string, template, regex, identifier and comment),
 * so V8 holds the source as a one-byte string, half the size of a two-byte one (a box-drawing
 * character in a regex made all of it two-byte). Fails the build when a rewrite would not hold.
 */
function finishBundle(text) {
  if (/\\[^\0-\x7f]/.test(text)) throw new Error('bundle.config.mjs: a non-ASCII character after a backslash; escape it in the source');
  let out = text.replace(LAZY_REQUIRE, '$1__lazyBuiltin("$2")') + LAZY_HELPER;
  out = out.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  for (const id of LAZY_BUILTINS) {
    if (out.includes(`require("node:${id}")`)) throw new Error(`bundle.config.mjs: node:${id} is still required eagerly in the bundle`);
  }
  return out;
}

await esbuild.build({
  entryPoints: [new URL('./dist/cli.js', import.meta.url).pathname],
  outfile: BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  plugins: [ownImportMetaUrl],
  legalComments: 'eof',
  logLevel: 'warning',
  // Whitespace and syntax only: names stay, so stack traces still say which function.
  minifyWhitespace: true,
  minifySyntax: true,
});
await writeFile(BUNDLE, finishBundle(await readFile(BUNDLE, 'utf8')));

// The cache holds the functions V8 has compiled when it is made: those of the module's top level,
// and those that `kam --help` and a `kam score` of the sample export run (output discarded), so
// that a real run compiles little of kam's own code.
const script = compileBundle(undefined);
const { main, nodeIo } = runBundle(script);
const discard = { closed: false, write: () => Promise.resolve() };
const io = { ...nodeIo(), stdout: discard, stderr: discard, stdoutIsTty: false, stderrIsTty: false };
for (const argv of [['--help'], ['score', 'fixtures/accounts.csv', '--format', 'csv']]) await main(argv, io);
await writeFile(BUNDLE_CACHE, script.createCachedData());
