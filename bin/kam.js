#!/usr/bin/env node
// Launcher: the only place that touches `process` for exit codes. No process.exit() after
// writing output: piped output would be cut short. EPIPE (`kam score x.csv | head`) is a
// quiet stop; any other stdout error (ENOSPC on `> /dev/full`) is reported by main, exit 2,
// without a stack. SIGINT/SIGTERM/SIGHUP remove any temp file, leave the previous output
// untouched, and exit 130/143/129. It loads dist/kam.bundle.js, dist/cli.js and its imports in
// one file (bundle.config.mjs, written by `npm run build`): one module to load, not about 110.
process.stdout.on('error', () => {});
const { main, nodeIo, removeTempFiles } = await import('../dist/kam.bundle.js');
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
