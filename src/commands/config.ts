import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ExitCode, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { noteSink, quietIo, type Io } from '../io/console.ts';
import { writeOutput } from '../io/output-file.ts';
import { configJsonSchema, starterConfig } from '../schema/config.ts';

/** The JSON Schema copy shipped with kam: written to dist/ by the build (`kam config schema`). */
export const SHIPPED_SCHEMA = fileURLToPath(new URL('../../dist/kam.config.schema.json', import.meta.url));

/** `kam init`: a starter kam.config.json with every default of the scoring model. */
export async function runInit(options: { force?: boolean | undefined; output?: string | undefined; quiet?: boolean | undefined }, runIo: Io): Promise<ExitCodeT> {
  const io = quietIo(runIo, options.quiet);
  const target = resolve(io.cwd, options.output ?? 'kam.config.json');
  if (existsSync(target) && !options.force) {
    throw new UsageError(`${options.output ?? 'kam.config.json'} already exists (use --force to overwrite)`);
  }
  let ref = relative(resolve(target, '..'), SHIPPED_SCHEMA).split('\\').join('/');
  if (!ref.startsWith('.')) ref = `./${ref}`;
  const text = JSON.stringify(starterConfig(ref), null, 2) + '\n';
  await writeOutput({ path: target, role: '-o' }, (sink) => sink.write(text), { cwd: io.cwd, stdout: io.stdout, inputs: [] });
  await noteSink(io).write(`kam: wrote ${options.output ?? 'kam.config.json'} (the defaults of the scoring model; edit what you need)\n`);
  return ExitCode.Ok;
}

export function registerInit(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  program
    .command('init')
    .description('Write a starter kam.config.json with the scoring defaults')
    .option('--force', 'overwrite an existing file')
    .option('-o, --output <file>', 'where to write (default: kam.config.json)')
    .option('-q, --quiet', 'errors only on stderr: no notes, warnings or progress (for cron)')
    .addHelpText('after', '\nExamples:\n  $ kam init\n  $ kam init --output team-emea.json --force\n')
    .action(async (opts: { force?: boolean; output?: string }) => setExitCode(await runInit(opts, io)));
}

export function registerConfig(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const config = program.command('config').description('Config helpers');
  config
    .command('schema')
    .description('Print the JSON Schema of kam.config.json')
    .option('-q, --quiet', 'errors only on stderr: no notes, warnings or progress (for cron)')
    .addHelpText('after', '\nExamples:\n  $ kam config schema > kam.config.schema.json\n')
    .action(async () => {
      await io.stdout.write(JSON.stringify(configJsonSchema(), null, 2) + '\n');
      setExitCode(ExitCode.Ok);
    });
}
