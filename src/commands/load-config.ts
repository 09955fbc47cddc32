import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { noteSink, type Io } from '../io/console.ts';
import type { RunFile } from '../io/output-file.ts';
import { type Config } from '../schema/config.ts';
import { configFromText } from '../schema/run-model.ts';
import { noteLine } from '../io/run-notes.ts';

/** The config a run uses: kam.config.json or --config FILE, read within 1 MiB and validated; every file a run reads. */

export interface LoadedConfig {
  readonly config: Config;
  readonly path: string | undefined;
}

/** The config a run uses: --config FILE, else kam.config.json when the working folder has one. */
function configPathOf(io: Io, file: string | undefined): string | undefined {
  return file ?? (existsSync(resolve(io.cwd, 'kam.config.json')) ? 'kam.config.json' : undefined);
}

/**
 * Every file a run reads, named as the user gave it, for the outputs to check against
 * (io/output-file.ts refuses an output that is one of them).
 */
export function runInputs(
  io: Io,
  files: readonly { readonly path: string | undefined; readonly role: string }[],
  options: { readonly config?: string | undefined; readonly deals?: string | undefined },
): RunFile[] {
  const all = [...files, { path: options.deals, role: '--deals' }, { path: configPathOf(io, options.config), role: 'the config' }];
  // `kam score - < a.csv -o a.csv`: stdin redirected from a file is that file.
  return all.filter((f): f is RunFile => f.path !== undefined).map((f) => (f.path === '-' ? { path: '/dev/stdin', role: `${f.role}, read from` } : f));
}

/** Read kam.config.json (or --config FILE), checked as the library's `config` is (schema/run-model.ts); a typo is an error with its JSON path (exit 2). */
export function loadConfig(io: Io, file: string | undefined): LoadedConfig {
  const path = configPathOf(io, file);
  if (path === undefined) return { config: {}, path: undefined };
  return { config: configFromText(readConfigText(resolve(io.cwd, path), path), path), path };
}

/** A config is a few KiB; more than this is the wrong file (or /dev/zero), refused before it fills memory. */
const MAX_CONFIG_BYTES = 1_048_576;

/** The config's text, read within MAX_CONFIG_BYTES whatever the file is (a FIFO, a device). */
function readConfigText(abs: string, path: string): string {
  const fail = (e: unknown): never => {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read config ${path}: ${code === 'EISDIR' ? 'EISDIR (it is a directory)' : (code ?? String(e))}`);
  };
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (e) {
    return fail(e);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(65_536);
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        return fail(e);
      }
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > MAX_CONFIG_BYTES) {
        throw new UsageError(`config ${path} is larger than ${MAX_CONFIG_BYTES} bytes (1 MiB): is it the right file?`);
      }
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Say once per run (on stderr, not under --quiet) which config file was applied, if any. */
export async function reportConfig(io: Io, configPath: string | undefined): Promise<void> {
  if (configPath !== undefined) await noteSink(io).write(noteLine({ code: 'config_applied', path: configPath }) + '\n');
}
