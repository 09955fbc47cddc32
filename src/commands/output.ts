import { extname } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.ts';
import { noteSink, type Io } from '../io/console.ts';
import { dialectOf, originalColumns } from '../io/enriched.ts';
import type { RawTable } from '../io/read-table.ts';
import { RFC4180, type CsvWriteOptions } from '../io/write-csv.ts';
import { FIELD_TYPES } from '../schema/fields.ts';
import type { ColumnMapping } from '../schema/mapping.ts';
import { isNumberCell, type Decimal } from '../schema/values.ts';

/**
 * The write side the commands share (as load.ts is the read side): `--quiet`, the output
 * format an `-o` file name implies, and the CSV dialect of what kam writes.
 */

/** Options of every command that writes (all of them). */
export interface OutputCliOptions {
  readonly quiet?: boolean | undefined;
}

/** Add `-q, --quiet` (every command has it). */
export function addQuietOption(cmd: Command): Command {
  return cmd.option('-q, --quiet', 'errors only on stderr: no notes, warnings or progress (for cron)');
}

/**
 * `-f, --format` of the commands that print one document (validate, explain, columns): the
 * same words as score and diff (`table`, `json`); `text`, their old name for table, still works.
 */
export function documentFormatOption(): Option {
  return new Option('-f, --format <format>', 'output format: table or json (text: the old name of table)').choices(['table', 'json', 'text']).default('table');
}

/** The formats file extensions name. */
const EXTENSION_FORMATS: Readonly<Record<string, string>> = {
  '.csv': 'csv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'table',
  '.xlsx': 'xlsx',
};

/** A workbook goes to a file or a pipe, never onto a terminal (exit 2 before any work). */
export function assertBinaryOutput(io: Io, output: string | undefined): void {
  if ((output === undefined || output === '-') && io.stdoutIsTty) {
    throw new UsageError('a workbook is not for the terminal: name a file with -o NAME.xlsx (or redirect stdout)');
  }
}

const TEXT_TYPES: ReadonlySet<string> = new Set(['id', 'text', 'currency']);

/**
 * The output's original columns a workbook keeps as text whatever they hold: those mapped to
 * ids and names (`00123`, a 19-digit id), in the order io/enriched.ts writes them back.
 */
export function workbookTextColumns(loaded: { readonly table: RawTable; readonly mapping: ColumnMapping }): Set<number> {
  const text = new Set(loaded.mapping.columns.filter((c) => c.field !== undefined && TEXT_TYPES.has(FIELD_TYPES[c.field])).map((c) => c.index));
  const out = new Set<number>();
  originalColumns(loaded.table.header).kept.forEach((input, j) => {
    if (text.has(input)) out.add(j);
  });
  return out;
}

/**
 * The format of a run: `--format`, else the one the `-o` file's extension names, else
 * `fallback`. An extension naming another format than `--format`, or one the command cannot
 * write, is a usage error (exit 2), so `-o report.json` never holds CSV.
 */
export function outputFormat<F extends string>(command: string, output: string | undefined, given: F | undefined, formats: readonly F[], fallback: F): F {
  if (output === undefined) return given ?? fallback;
  const named = EXTENSION_FORMATS[extname(output).toLowerCase()];
  if (named === undefined) return given ?? fallback;
  if (!(formats as readonly string[]).includes(named)) {
    throw new UsageError(`-o ${output}: kam ${command} writes ${formats.join(', ')}, not ${named}: name the file for one of them`);
  }
  if (given !== undefined && given !== named) {
    throw new UsageError(`-o ${output}: the file name says ${named} but --format is ${given}: rename the file or change --format`);
  }
  return named as F;
}

/**
 * How a CSV for this input is written: the input's dialect (delimiter, line ending, BOM, kam's
 * numbers with its decimal separator), or plain RFC 4180 with `--rfc4180`. A cell that is a
 * number in either decimal is never formula-guarded.
 */
export function csvOptions(
  table: RawTable,
  decimal: Decimal,
  options: { rfc4180?: boolean | undefined; escapeFormulas?: boolean | undefined },
  written: Decimal = decimal,
): CsvWriteOptions {
  const dialect = options.rfc4180 === true ? RFC4180 : dialectOf(table, written);
  const out = dialect.decimal;
  return {
    escapeFormulas: options.escapeFormulas !== false,
    dialect,
    isNumber: out === decimal ? (cell) => isNumberCell(cell, decimal) : (cell) => isNumberCell(cell, decimal) || isNumberCell(cell, out),
  };
}

const NUMBER_TYPES: ReadonlySet<string> = new Set(['money', 'percent', 'rating', 'integer']);
const SEPARATED_DIGITS = /\d[.,]\d/;

/**
 * The decimal separator kam writes its own numbers with: the export's, except that a
 * `;`-delimited export whose number cells have no separator at all (`22%`, `4200`) is taken
 * to be a decimal-comma one, as the `;` of Excel's CSV means: there `1.00` would read as a
 * date. `--decimal` (or the config's) decides when given.
 */
export function writtenDecimal(
  loaded: { readonly table: RawTable; readonly mapping: ColumnMapping; readonly parsed: { readonly decimal: Decimal } },
  given: Decimal | undefined,
): Decimal {
  const { table, mapping, parsed } = loaded;
  if (given !== undefined || parsed.decimal === ',' || table.delimiter !== ';') return parsed.decimal;
  const columns = mapping.columns.filter((c) => c.field !== undefined && NUMBER_TYPES.has(FIELD_TYPES[c.field])).map((c) => c.index);
  for (let r = 0; r < table.recordCount; r++) {
    const cells = table.cellsOf(r);
    for (const i of columns) if (SEPARATED_DIGITS.test(cells[i] ?? '')) return parsed.decimal;
  }
  return ',';
}

/** Say what was written (a note: not under --quiet). */
export async function reportWritten(io: Io, path: string, summary: string): Promise<void> {
  await noteSink(io).write(`kam: wrote ${path} (${summary})\n`);
}
