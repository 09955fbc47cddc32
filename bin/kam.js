#!/usr/bin/env node
// Launcher: the only place that touches `process` for exit codes. No process.exit() after
// writing output: piped output would be cut short. EPIPE (`kam score x.csv | head`) is a
// quiet stop; any other stdout error (ENOSPC on `> /dev/full`) is reported by main, exit 2,
// without a stack. SIGINT/SIGTERM/SIGHUP remove any temp file, leave the previous output
// untouched, and exit 130/143/129. It runs dist/cli.js as the one-file bundle the build writes
// (bundle.config.mjs, bin/load-bundle.js): no module resolution, no parsing at start-up.
process.stdout.on('error', () => {});
const { loadBundle } = await import('./load-bundle.js');
const { main, nodeIo, removeTempFiles } = loadBundle();
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
