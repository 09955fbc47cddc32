// Loads dist/kam.bundle.cjs (bundle.config.mjs): dist/cli.js and its static imports in one
// CommonJS file, compiled with the V8 code cache the build wrote beside it, so start-up
// neither resolves about 110 modules nor parses 0.7 MB of JavaScript. A cache from another
// Node or V8 version is rejected by V8 and the file is compiled as usual: same behaviour,
// slower start. The build uses compileBundle too, so the cache matches what is loaded here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const BUNDLE = fileURLToPath(new URL('../dist/kam.bundle.cjs', import.meta.url));
export const BUNDLE_CACHE = `${BUNDLE}.cache`;

/** The bundle as a vm.Script over the CommonJS module wrapper, with the code cache when given. */
export function compileBundle(cachedData) {
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(BUNDLE, 'utf8')}\n})`;
  return new vm.Script(source, { filename: BUNDLE, ...(cachedData === undefined ? {} : { cachedData }) });
}

/** Runs the compiled bundle as a CommonJS module: its exports. */
export function runBundle(script) {
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE));
  return module.exports;
}

/** The bundle's exports (main, nodeIo, removeTempFiles), through the code cache when there is one. */
export function loadBundle() {
  let cachedData;
  try {
    cachedData = readFileSync(BUNDLE_CACHE);
  } catch {
    // No cache (a build without one): compile as usual.
  }
  return runBundle(compileBundle(cachedData));
}
