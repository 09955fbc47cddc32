import type { Command } from 'commander';
import { ExitCode, type ExitCode as ExitCodeT } from '../errors.ts';
import { quietIo, type Io } from '../io/console.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { criteriaOf, formatIssue, loadAccounts, reportMapping } from './load.ts';
import { reportConfig } from './load-config.ts';
import { gatesOf } from './load-gates.ts';
import { addReadOptions, type ReadCliOptions } from './load-options.ts';
import { addQuietOption, documentFormatOption, type OutputCliOptions } from './output.ts';
import { CRITERIA } from '../core/types.ts';

const HELP_EXAMPLES = `
Examples:
  $ kam validate accounts.csv                 summary, then one line per issue (file:line: column: message)
  $ kam validate accounts.csv --format json   the same for scripts
  $ kam validate export.csv --decimal , --encoding windows-1252

Exit codes: 0 every row is valid, 1 some row is not (or the file cannot be read as CSV), 2 usage or I/O error.
`;

interface ValidateCliOptions extends ReadCliOptions, OutputCliOptions {
  readonly format?: 'table' | 'text' | 'json' | undefined;
}

/** `kam validate`: every row checked, every issue listed. */
async function runValidate(file: string, options: ValidateCliOptions, runIo: Io): Promise<ExitCodeT> {
  const io = quietIo(runIo, options.quiet);
  const loaded = await loadAccounts(io, file, options);
  await reportConfig(io, loaded.configPath);
  const { table, parsed, mapping } = loaded;
  await reportMapping(io, loaded);
  const criteria = criteriaOf(loaded, Object.keys(parsed.flagColumns).length);
  const issues = parsed.rejected.flatMap((r) => r.issues);
  const rows = table.recordCount;
  const gates = gatesOf(loaded);
  const gated = gates === undefined ? 0 : gates.gated.reduce((x, y) => x + y, 0);
  if (options.format === 'json') {
    const doc = {
      file: table.source,
      rows,
      valid: parsed.accounts.n,
      rejected: parsed.rejected.length,
      preset: mapping.preset,
      preset_source: mapping.presetSource,
      encoding: table.encoding,
      delimiter: table.delimiter,
      decimal: parsed.decimal,
      criteria,
      blank_lines: table.blankLines,
      footer_lines: table.footerLines,
      invisible_cells: parsed.invisibleCells,
      ...(gates
        ? {
            gates: {
              gated,
              rules: gates.counts.map((c) => ({ rule: c.rule, applied: c.applied, gated: c.gated, not_judged: c.missing, ...(c.why ? { why: c.why } : {}) })),
            },
          }
        : {}),
      notes: [...table.notes, ...parsed.notes],
      issues: issues.map((i) => ({ line: i.line, column: i.column, code: i.code, message: i.message })),
    };
    await io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    const lines = [
      `${table.source}: ${rows} row${rows === 1 ? '' : 's'} read, ${parsed.accounts.n} valid, ${parsed.rejected.length} rejected`,
      `preset: ${mapping.preset} (${mapping.presetSource}) · encoding: ${table.encoding} · delimiter: ${JSON.stringify(table.delimiter)} · decimal: ${JSON.stringify(parsed.decimal)}`,
      `criteria this file can feed: ${CRITERIA.map((c) => `${c} ${criteria[c] ? 'yes' : 'no'}`).join(', ')}`,
    ];
    if (gates) {
      const applied = gates.counts.filter((c) => c.applied && c.gated > 0).map((c) => `${c.rule}: ${c.gated}`);
      lines.push(`gates: ${gated} of ${parsed.accounts.n} valid account(s) gated${applied.length ? ` (${applied.join('; ')})` : ''}`);
      for (const c of gates.counts) if (!c.applied) lines.push(`gate not applied: '${c.rule}': ${c.why ?? ''}`);
    }
    if (table.blankLines) lines.push(`blank lines skipped: ${table.blankLines}`);
    const footer = table.footerLines;
    if (footer.length) lines.push(`report footer dropped: line${footer.length === 1 ? '' : 's'} ${footer.join(', ')}`);
    if (parsed.invisibleCells) lines.push(`cells with bidi or zero-width characters: ${parsed.invisibleCells}`);
    for (const note of [...table.notes, ...parsed.notes]) lines.push(`note: ${note}`);
    for (const i of issues) lines.push(formatIssue(table, i));
    await io.stdout.write(lines.map((l) => escapeTerminal(l)).join('\n') + '\n');
  }
  return parsed.rejected.length > 0 ? ExitCode.InvalidData : ExitCode.Ok;
}

export function registerValidate(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('validate')
    .description('Check every row of an accounts export and list each problem with its line and column')
    .argument('<file>', 'accounts CSV, or - for stdin');
  addReadOptions(cmd).addOption(documentFormatOption());
  addQuietOption(cmd)
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (file: string, opts: ValidateCliOptions) => {
      setExitCode(await runValidate(file, opts, io));
    });
}
