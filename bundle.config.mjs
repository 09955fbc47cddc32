// `npm run build`, after tsc: dist/cli.js and everything it imports statically (kam's modules,
// commander, chalk) bundled into one file, dist/kam.bundle.js, which bin/kam.js loads. Node
// then resolves and compiles one module instead of about 110, which is most of kam's start-up
// (issue 13 item 5; the numbers are in docs/BENCHMARKS.md). What kam loads lazily through
// createRequire (csv-parse, zod, iconv-lite, cli-table3) stays in node_modules, loaded on first use.
//
// Each module's `import.meta.url` is rewritten to the URL of its own file in dist/, so the paths
// a module computes from it (../package.json, dist/kam.config.schema.json, a worker's file, the
// base of createRequire) are the same bundled or not.
import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const outfile = `${root}/dist/kam.bundle.js`;

const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const own = `./${relative(dirname(outfile), args.path).split('\\').join('/')}`;
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

await esbuild.build({
  entryPoints: [`${root}/dist/cli.js`],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [ownImportMetaUrl],
  // The CommonJS dependencies (commander) call require(): give the ES module bundle one.
  banner: { js: "import { createRequire as kamBundleRequire } from 'node:module';\nconst require = kamBundleRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
});
