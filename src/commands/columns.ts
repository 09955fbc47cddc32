import type { Command } from 'commander';
import { ExitCode, type ExitCode as ExitCodeT } from '../errors.ts';
import { CRITERIA } from '../core/types.ts';
import { quietIo, type Io } from '../io/console.ts';
import { renderTable } from '../io/render-table.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { modelInputs } from '../schema/fields.ts';
import { normaliseHeader, unusedColumns, type ColumnAssignment } from '../schema/mapping.ts';
import { annotationsAsConfig } from '../schema/config.ts';
import { formatAnnotations, formatColumnNotes, formatDecidedBy, mapOption } from '../io/render-mapping.ts';
import { PRESETS } from '../schema/presets.ts';
import { criteriaOf, loadTable } from './load.ts';
import { loadConfig, reportConfig } from './load-config.ts';
import { addReadOptions, type ReadCliOptions } from './load-options.ts';
import { addQuietOption, documentFormatOption, type OutputCliOptions } from './output.ts';

const HELP_EXAMPLES = `
Examples:
  $ kam columns accounts.csv                          each header: its field, how it was decided, its units
  $ kam columns export.csv --map "Revenue LTM=revenue" check a mapping before scoring
  $ kam columns export.csv --format json
`;

interface ColumnsCliOptions extends ReadCliOptions, OutputCliOptions {
  readonly format?: 'table' | 'text' | 'json' | undefined;
}

/**
 * `kam columns`: for every header, the field it feeds, how that was decided, what its
 * annotations set, and the columns it beat, lost to or nearly meant; then which criteria
 * have inputs.
 */
async function runColumns(file: string, options: ColumnsCliOptions, runIo: Io): Promise<ExitCodeT> {
  const io = quietIo(runIo, options.quiet);
  const { config, path } = loadConfig(io, options.config);
  await reportConfig(io, path);
  const { table, mapping } = await loadTable(io, file, 'accounts', options, config);
  const flagKeys = new Set(Object.keys(config.flags ?? {}).map(normaliseHeader));
  const isFlag = (header: string): boolean => flagKeys.has(normaliseHeader(header));
  const flagCount = table.header.filter(isFlag).length;
  const criteria = criteriaOf({ mapping, config }, flagCount);
  const icp = config.icp !== undefined && (config.icp.industries !== undefined || config.icp.countries !== undefined || config.icp.employees !== undefined);
  const unused = unusedColumns(mapping, modelInputs('accounts', icp));
  const presetLabel = PRESETS[mapping.preset].label;
  const mappingText = (c: ColumnAssignment): string => {
    if (c.via === 'ignored') return 'ignored';
    if (c.field === undefined) return isFlag(c.header) ? 'flag (strategic bonus)' : 'kept, unmapped';
    return c.field;
  };
  const header = mapping.columns.map((c) => c.header);
  if (options.format === 'json') {
    const doc = {
      file: table.source,
      preset: mapping.preset,
      preset_source: mapping.presetSource,
      columns: mapping.columns.map((c) => {
        const u = unused.find((x) => x.index === c.index);
        return {
          index: c.index + 1,
          header: c.header,
          field: c.field ?? null,
          via: c.via,
          mapping: mappingText(c),
          decided_by: formatDecidedBy(c.via, presetLabel) || null,
          annotations: annotationsAsConfig(c.annotations),
          ...(c.beat !== undefined ? { beat: c.beat.map((i) => header[i]) } : {}),
          ...(c.lostTo !== undefined ? { lost_to: { field: c.lostTo.field, header: header[c.lostTo.index] } } : {}),
          ...(c.currencyOf !== undefined ? { currency_of: header[c.currencyOf] } : {}),
          ...(c.near !== undefined ? { near: { field: c.near.field, reason: c.near.reason } } : {}),
          ...(u !== undefined ? { unused: { field: u.field, reason: u.reason, map: mapOption(c.header, u.field) } } : {}),
        };
      }),
      criteria,
      missing_config_columns: mapping.missingConfigColumns,
      missing_required: mapping.fieldIndex.account_name === undefined ? ['account_name'] : [],
    };
    await io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return ExitCode.Ok;
  }
  const rows = mapping.columns.map((c) => [
    String(c.index + 1),
    c.header,
    mappingText(c),
    formatDecidedBy(c.via, presetLabel),
    formatAnnotations(c.annotations),
    formatColumnNotes(mapping, c.index, unused, isFlag(c.header)),
  ]);
  const text =
    `${escapeTerminal(table.source)} · preset: ${presetLabel} (${mapping.presetSource})\n` +
    renderTable({
      head: ['#', 'Header', 'Maps to', 'Decided by', 'Annotations', 'Notes'],
      rows,
      numeric: new Set([0]),
      flexible: [
        { index: 5, min: 12 },
        { index: 1, min: 12 },
        { index: 4, min: 8 },
      ],
      width: io.stdoutIsTty ? io.columns : undefined,
      color: io.color,
    }) +
    `criteria with inputs: ${CRITERIA.map((c) => `${c} ${criteria[c] ? 'yes' : 'no'}`).join(', ')}\n` +
    mapping.missingConfigColumns.map((h) => `config columns: no column '${h}' in this file\n`).join('') +
    (mapping.fieldIndex.account_name === undefined
      ? 'account_name: no column maps to it, so score and validate stop: --map "Header=account_name" names the column that holds the names\n'
      : '');
  await io.stdout.write(text);
  return ExitCode.Ok;
}

export function registerColumns(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('columns')
    .description("Show how each column maps onto kam's fields (and why), what its header's units say, and which criteria have inputs")
    .argument('<file>', 'accounts CSV, or - for stdin');
  addReadOptions(cmd).addOption(documentFormatOption());
  addQuietOption(cmd)
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (file: string, opts: ColumnsCliOptions) => {
      setExitCode(await runColumns(file, opts, io));
    });
}
