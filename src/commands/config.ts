import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ExitCode, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { noteSink, quietIo, type Io } from '../io/console.ts';
import { writeOutput } from '../io/output-file.ts';
import { columnSpec, configJsonSchema, starterConfig } from '../schema/config.ts';
import { loadAccounts } from './load.ts';
import { runInputs } from './load-config.ts';
import { addReadOptions, type ReadCliOptions } from './load-options.ts';

/** The JSON Schema copy shipped with kam: written to dist/ by the build (`kam config schema`). */
const SHIPPED_SCHEMA = fileURLToPath(new URL('../../dist/kam.config.schema.json', import.meta.url));

interface InitCliOptions extends ReadCliOptions {
  readonly force?: boolean | undefined;
  readonly output?: string | undefined;
  /** An export to read: its mapping, units, preset, delimiter and decimal separator are written into the config. */
  readonly from?: string | undefined;
  readonly quiet?: boolean | undefined;
}

/**
 * What `kam init --from` pins for cron runs: the preset, the dialect, and every column kam
 * found (with its units), plus the near misses and losers set to "ignore" so a reviewer sees
 * them and can change them. Scoring the export with the written config gives the same scores.
 */
async function fromExport(io: Io, file: string, options: InitCliOptions): Promise<{ config: Record<string, unknown>; summary: string }> {
  const loaded = await loadAccounts(io, file, options);
  const { mapping, table, parsed } = loaded;
  const columns: Record<string, unknown> = {};
  let mapped = 0;
  const ignored: string[] = [];
  for (const c of mapping.columns) {
    if (c.field !== undefined) {
      columns[c.header] = columnSpec(c.field, c.annotations);
      mapped++;
    } else if (c.near !== undefined || c.lostTo !== undefined) {
      columns[c.header] = 'ignore';
      ignored.push(`'${c.header}'`);
    }
  }
  const config: Record<string, unknown> = {
    preset: mapping.preset,
    delimiter: table.delimiter === '\t' ? 'tab' : table.delimiter,
    decimal: parsed.decimal,
    ...(options.encoding !== undefined || loaded.config.encoding !== undefined ? { encoding: options.encoding ?? loaded.config.encoding } : {}),
    columns,
  };
  const review = ignored.length ? `; set to "ignore" for review: ${ignored.join(', ')}` : '';
  return { config, summary: `from ${table.source}: ${mapped} column${mapped === 1 ? '' : 's'} mapped${review}` };
}

/** `kam init`: a starter kam.config.json with every default of the scoring model (and, with --from, an export's mapping). */
async function runInit(options: InitCliOptions, runIo: Io): Promise<ExitCodeT> {
  const io = quietIo(runIo, options.quiet);
  const name = options.output ?? 'kam.config.json';
  const target = resolve(io.cwd, name);
  if (existsSync(target) && !options.force) {
    throw new UsageError(`${name} already exists (use --force to overwrite)`);
  }
  let ref = relative(resolve(target, '..'), SHIPPED_SCHEMA).split('\\').join('/');
  if (!ref.startsWith('.')) ref = `./${ref}`;
  const found = options.from === undefined ? undefined : await fromExport(io, options.from, options);
  const doc = { ...starterConfig(ref), ...(found?.config ?? {}) };
  const text = JSON.stringify(doc, null, 2) + '\n';
  // What --from reads (the export, the config in use) is never what init overwrites.
  const inputs = options.from === undefined ? [] : runInputs(io, [{ path: options.from, role: '--from' }], options);
  await writeOutput({ path: name, role: '-o' }, (sink) => sink.write(text), { cwd: io.cwd, stdout: io.stdout, inputs });
  const what =
    found === undefined ? 'the defaults of the scoring model; edit what you need' : `the defaults of the scoring model and the mapping ${found.summary}`;
  await noteSink(io).write(`kam: wrote ${name} (${what})\n`);
  return ExitCode.Ok;
}

export function registerInit(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('init')
    .description("Write a kam.config.json with the scoring defaults, and with --from an export's column mapping to review once")
    .option('--force', 'overwrite an existing file')
    .option('-o, --output <file>', 'where to write (default: kam.config.json)')
    .option('--from <export>', 'read this export and write the mapping kam found (fields, units, preset, delimiter, decimal)')
    .option('-q, --quiet', 'errors only on stderr: no notes, warnings or progress (for cron)');
  addReadOptions(cmd)
    .addHelpText(
      'after',
      '\nExamples:\n  $ kam init\n  $ kam init --from hubspot-export.csv       review the mapping once; cron runs then use it unchanged\n  $ kam init --output team-emea.json --force\n',
    )
    .action(async (opts: InitCliOptions) => {
      setExitCode(await runInit(opts, io));
    });
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
