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
});

// The cache holds the functions V8 has compiled when it is made: those of the module's top level,
// and those that `kam --help` and a `kam score` of the sample export run (output discarded), so
// that a real run compiles little of kam's own code.
const script = compileBundle(undefined);
const { main, nodeIo } = runBundle(script);
const discard = { closed: false, write: () => Promise.resolve() };
const io = { ...nodeIo(), stdout: discard, stderr: discard, stdoutIsTty: false, stderrIsTty: false };
for (const argv of [['--help'], ['score', 'fixtures/accounts.csv', '--format', 'csv']]) await main(argv, io);
await writeFile(BUNDLE_CACHE, script.createCachedData());
