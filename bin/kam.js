#!/usr/bin/env node
// Launcher: the only place that touches `process` for exit codes. No process.exit() after
// writing output: piped output would be cut short. EPIPE (`kam score x.csv | head`) is a
// quiet stop; any other stdout error (ENOSPC on `> /dev/full`) is reported by main, exit 2,
// without a stack. SIGINT/SIGTERM/SIGHUP remove any temp file, leave the previous output
// untouched, and exit 130/143/129. It runs dist/cli.js as the one-file bundle the build writes
// (bundle.config.mjs, bin/load-bundle.js): no module resolution, no parsing at start-up.
process.stdout.on('error', () => {});
const { loadBundle, BUNDLE } = await import('./load-bundle.js');
/** The bundle's exports, or undefined when it is not there: not built yet, or being rebuilt (npm test builds first). */
function bundleOrNothing() {
  try {
    return loadBundle();
  } catch (err) {
    if (err?.code !== 'ENOENT') throw err;
    return undefined;
  }
}
const bundle = bundleOrNothing();
if (bundle === undefined) {
  process.stderr.write(`kam: ${BUNDLE} is missing: kam is not built (or is being rebuilt); run npm install, or npm run build\n`);
  process.exitCode = 2;
} else {
  const { main, nodeIo, removeTempFiles } = bundle;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.once(signal, () => {
      removeTempFiles();
      process.stderr.write(`kam: interrupted (${signal}); no output was changed\n`);
      process.exit(code);
    });
  }
  process.exitCode = await main(process.argv.slice(2), nodeIo());
}
