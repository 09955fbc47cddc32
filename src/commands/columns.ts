import { Option, type Command } from 'commander';
import { ExitCode, type ExitCode as ExitCodeT } from '../errors.ts';
import { CRITERIA } from '../core/types.ts';
import type { Io } from '../io/console.ts';
import { renderTable } from '../io/render-table.ts';
import { FIELD_DESCRIPTIONS, type Field } from '../schema/fields.ts';
import { normaliseHeader } from '../schema/mapping.ts';
import { PRESETS } from '../schema/presets.ts';
import { addReadOptions, criteriaOf, loadConfig, loadTable, type ReadCliOptions } from './load.ts';

const HELP_EXAMPLES = `
Examples:
  $ kam columns accounts.csv                          each header and the field it maps to
  $ kam columns export.csv --map "Revenue LTM=revenue" check a mapping before scoring
  $ kam columns export.csv --format json
`;

export interface ColumnsCliOptions extends ReadCliOptions {
  readonly format?: 'text' | 'json' | undefined;
}

/** `kam columns`: how each header maps, and which criteria have inputs. */
export async function runColumns(file: string, options: ColumnsCliOptions, io: Io): Promise<ExitCodeT> {
  const { config } = loadConfig(io, options.config);
  const { table, mapping } = await loadTable(io, file, 'accounts', options, config);
  const flagKeys = new Set(Object.keys(config.flags ?? {}).map(normaliseHeader));
  const flagCount = table.header.filter((h) => flagKeys.has(normaliseHeader(h))).length;
  const criteria = criteriaOf({ mapping, config }, flagCount);
  const mappingText = (field: Field | undefined, via: string, header: string): string => {
    if (via === 'ignored') return 'ignored';
    if (field === undefined) return flagKeys.has(normaliseHeader(header)) ? 'flag (strategic bonus)' : 'kept, unmapped';
    return field;
  };
  if (options.format === 'json') {
    const doc = {
      file: table.source,
      preset: mapping.preset,
      preset_source: mapping.presetSource,
      columns: mapping.columns.map((c) => ({
        index: c.index + 1,
        header: c.header,
        field: c.field ?? null,
        via: c.via,
        mapping: mappingText(c.field, c.via, c.header),
      })),
      criteria,
    };
    await io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return ExitCode.Ok;
  }
  const rows = mapping.columns.map((c) => [
    String(c.index + 1),
    c.header,
    mappingText(c.field, c.via, c.header),
    c.via === 'unmapped' || c.via === 'ignored' ? '' : c.via,
    c.field ? FIELD_DESCRIPTIONS[c.field] : '',
  ]);
  const text =
    `${table.source} · preset: ${PRESETS[mapping.preset].label} (${mapping.presetSource})\n` +
    renderTable({
      head: ['#', 'Header', 'Maps to', 'Via', 'Meaning'],
      rows,
      numeric: new Set([0]),
      flexible: [{ index: 4, min: 10 }, { index: 1, min: 12 }],
      width: io.stdoutIsTty ? io.columns : undefined,
      color: io.color,
    }) +
    `criteria with inputs: ${CRITERIA.map((c) => `${c} ${criteria[c] ? 'yes' : 'no'}`).join(', ')}\n`;
  await io.stdout.write(text);
  return ExitCode.Ok;
}

export function registerColumns(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('columns')
    .description("Show how each column maps onto kam's fields, and which criteria have inputs")
    .argument('<file>', 'accounts CSV, or - for stdin');
  addReadOptions(cmd)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (file: string, opts: ColumnsCliOptions) => setExitCode(await runColumns(file, opts, io)));
}
