import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError } from '../errors.ts';
import { type Io } from '../io/console.ts';
import { PRESET_NAMES, type PresetName } from '../schema/presets.ts';
import { parseDate, type Decimal } from '../schema/values.ts';

/** The reading options every command that reads a CRM export takes (commander), and --as-of. */

/** Options of every command that reads a CRM export. */
export interface ReadCliOptions {
  readonly config?: string | undefined;
  readonly preset?: PresetName | undefined;
  readonly map?: readonly string[] | undefined;
  readonly decimal?: Decimal | undefined;
  readonly encoding?: string | undefined;
  readonly delimiter?: string | undefined;
  readonly dateFormat?: string | undefined;
  readonly maxRecordSize?: number | undefined;
  readonly maxInputSize?: number | undefined;
  /** --sheet NAME|N: the sheet of a workbook to read (default: the first visible one). */
  readonly sheet?: string | undefined;
  readonly threads?: number | undefined;
  /** --deals FILE: with it, one --map list (and config `columns`) serves both files. */
  readonly deals?: string | undefined;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parse a positive integer option (commander calls it; errors become exit 2). */
export function positiveInt(name: string): (v: string) => number {
  return (v: string) => {
    if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new InvalidArgumentError(`${name} takes a whole number >= 1.`);
    return Number(v);
  };
}

/** Add the reading options (shared by score, validate, columns, explain, diff, report). */
export function addReadOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (default: kam.config.json in the working folder)')
    .addOption(new Option('--preset <crm>', 'CRM preset instead of detecting it').choices([...PRESET_NAMES]))
    .option('-m, --map <Header=field>', 'map a column to a canonical field, or "Header=ignore" (repeatable)', collect)
    .addOption(new Option('--decimal <sep>', 'decimal separator of the export (inferred when absent)').choices(['.', ',']))
    .option('--encoding <name>', 'text encoding when the file has no BOM, e.g. windows-1252')
    .option('--delimiter <char>', 'field delimiter: , ; tab | (detected when absent)')
    .addOption(new Option('--date-format <format>', 'how slash dates are written').choices(['M/D/YYYY', 'D/M/YYYY', 'YYYY/M/D']))
    .option('--max-record-size <bytes>', 'largest record accepted (default 1048576)', positiveInt('--max-record-size'))
    .option('--max-input-size <bytes>', 'most bytes read from one input, file, stdin or FIFO (default 2147483648)', positiveInt('--max-input-size'))
    .option('--sheet <name|n>', 'the sheet of an .xlsx workbook to read (default: the first visible one)')
    .option(
      '--threads <n>',
      'threads that parse a file above 32 MiB (default 1: no worker threads; workers only parse, so more rarely help)',
      positiveInt('--threads'),
    );
}

/** Parse `--as-of` (ISO date); defaults to the clock, read here in the shell, never in the engine. */
export function resolveAsOf(io: Io, spec: string | undefined): number {
  if (spec === undefined) return Math.floor(io.now().getTime() / 86_400_000);
  const d = parseDate(spec);
  if (d.kind !== 'value') throw new UsageError(`--as-of: '${spec}' is not a date (use YYYY-MM-DD)`);
  return d.value;
}
