#!/usr/bin/env node
// Launcher: the only place that touches `process` for exit codes. No process.exit() after
// writing: piped output would be cut short. EPIPE (`kam score x.csv | head`) is a quiet stop.
process.stdout.on('error', (error) => {
  if (error && error.code === 'EPIPE') { process.exitCode = process.exitCode ?? 0; process.stdout.destroy(); return; }
  throw error;
});
const { main, nodeIo } = await import('../dist/cli.js');
process.exitCode = await main(process.argv.slice(2), nodeIo());
