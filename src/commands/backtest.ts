import { Option, type Command } from 'commander';
import type { BacktestReport, BacktestResult, Interval, OutcomeSpec } from '../core/backtest.ts';
import { ExitCode, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { noteSink, quietIo, type Io } from '../io/console.ts';
import { markdownTable } from '../io/render-markdown.ts';
import { renderTable, terminalWidth } from '../io/render-table.ts';
import { writeCsv } from '../io/write-csv.ts';
import { formatDate, parseDate } from '../schema/values.ts';
import {
  aucLine,
  dateText,
  describeOutcome,
  fixed4,
  formatPercent,
  intervalText,
  lift2,
  outcomeCode,
  ruleText,
  shortlistLine,
  warningLine,
} from '../io/followup-text.ts';
import { buildBacktest, parseOutcome, type BacktestReadOptions } from './follow-up.ts';
import { addReadOptions, positiveInt } from './load-options.ts';
import { jsonNumber } from '../io/format.ts';

const HELP_EXAMPLES = `
The old snapshot must be a CSV kam score wrote then: its kam_rank, kam_score, kam_tier
(and kam_shortlist) are used as they are, so nothing from the later file leaks into the
ranking. The later file (a raw export or a snapshot) only gives each account's outcome.

Outcomes:
  growth:10%   revenue grew by at least 10% (the default); a blank revenue leaves the account out
  won          a deal of the account was won after the old snapshot's date (needs --deals)
  churn        revenue fell to 0 or the account disappeared (here a low rate in Key is good)

Examples:
  $ kam backtest snapshots/2026-08-28.csv export.csv                    did the Key tier grow more?
  $ kam backtest snapshots/2026-08-28.csv export.csv --outcome churn --format md
  $ kam backtest snapshots/2026-08-28.csv export.csv --outcome won --deals deals.csv --as-of 2026-11-27
`;

/** Output formats of `kam backtest` (one document, so no NDJSON). */
const BACKTEST_FORMATS = ['table', 'csv', 'json', 'md'] as const;
type BacktestFormat = (typeof BACKTEST_FORMATS)[number];

interface BacktestCliOptions extends BacktestReadOptions {
  readonly outcome?: OutcomeSpec | undefined;
  readonly format?: BacktestFormat | undefined;
  readonly shortlist?: number | undefined;
  readonly asOf?: string | undefined;
  readonly escapeFormulas?: boolean | undefined;
}

// ---- formatting ---------------------------------------------------------------------

const json4 = (x: number): number | null => jsonNumber(x, 4);
function headerLines(b: BacktestReport): string[] {
  const r = b.result;
  return [
    `kam backtest: ${b.old.source} (${dateText(b.old.date)}${b.old.model ? `, model ${b.old.model}` : ''}) -> ${b.later.source} (${dateText(b.later.date)})`,
    `outcome: ${describeOutcome(b.outcome)} · ${r.accounts} accounts, ${r.positives} positive (${formatPercent(r.rate)}, 95% interval ${intervalText(r.rateInterval, formatPercent)})` +
      (b.unknown > 0 ? ` · ${b.unknown} left out (no outcome)` : ''),
  ];
}

interface Section {
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly numeric: ReadonlySet<number>;
}

function sections(r: BacktestResult): Section[] {
  return [
    {
      title: 'By tier of the old snapshot',
      head: ['Tier', 'Accounts', 'Positive', 'Rate', '95% interval', 'Lift', 'Lift 95% interval', 'Note'],
      rows: r.tiers.map((t) => [
        t.tier,
        String(t.accounts),
        String(t.positives),
        formatPercent(t.rate),
        intervalText(t.rateInterval, formatPercent),
        lift2(t.lift),
        intervalText(t.liftInterval, lift2),
        t.small ? 'few accounts' : '',
      ]),
      numeric: new Set([1, 2, 3, 5]),
    },
    {
      title: 'Cumulative gains by decile of rank',
      head: ['Top', 'Accounts', 'Positive', 'Share of positives', 'Lift'],
      rows: r.gains.map((g) => [`${g.decile * 10}%`, String(g.accounts), String(g.positives), formatPercent(g.gain), lift2(g.lift)]),
      numeric: new Set([0, 1, 2, 3, 4]),
    },
  ];
}

/** The backtest as terminal tables. */
function renderBacktestTable(b: BacktestReport, io: Io, width: number | undefined): string {
  const out: string[] = [headerLines(b).join('\n') + '\n'];
  for (const s of sections(b.result)) {
    out.push(
      `${io.color.bold(s.title)}\n${s.rows.length ? renderTable({ head: s.head, rows: s.rows, numeric: s.numeric, width, color: io.color }) : 'none\n'}`,
    );
  }
  const warning = warningLine(b.result);
  out.push([aucLine(b.result), shortlistLine(b), ...(warning ? [warning] : [])].join('\n') + '\n');
  return out.join('\n');
}

/** The backtest as Markdown. */
function renderBacktestMarkdown(b: BacktestReport): string {
  const [title, ...rest] = headerLines(b);
  const out: string[] = [`# ${title}\n`, rest.map((l) => `- ${l}`).join('\n') + '\n'];
  for (const s of sections(b.result)) out.push(`## ${s.title}\n\n${s.rows.length ? markdownTable(s.head, s.rows, s.numeric) : 'none\n'}`);
  const warning = warningLine(b.result);
  out.push([`- ${aucLine(b.result)}`, `- ${shortlistLine(b)}`, ...(warning ? [`- ${warning}`] : [])].join('\n') + '\n');
  return out.join('\n');
}

/** The CSV header of `kam backtest --format csv`: one long table, one record per figure. */
const BACKTEST_CSV_HEADER = [
  'section',
  'group',
  'accounts',
  'positives',
  'rate',
  'rate_low',
  'rate_high',
  'lift',
  'lift_low',
  'lift_high',
  'value',
  'note',
] as const;

/** Records: tiers, all, gains (value = share of positives), auc, precision, recall. */
function backtestCsvRecords(b: BacktestReport): string[][] {
  const r = b.result;
  const rows: string[][] = [];
  for (const t of r.tiers) {
    rows.push([
      'tier',
      t.tier,
      String(t.accounts),
      String(t.positives),
      fixed4(t.rate),
      fixed4(t.rateInterval.low),
      fixed4(t.rateInterval.high),
      fixed4(t.lift),
      fixed4(t.liftInterval.low),
      fixed4(t.liftInterval.high),
      '',
      t.small ? 'few accounts' : '',
    ]);
  }
  rows.push([
    'all',
    outcomeCode(b.outcome),
    String(r.accounts),
    String(r.positives),
    fixed4(r.rate),
    fixed4(r.rateInterval.low),
    fixed4(r.rateInterval.high),
    '',
    '',
    '',
    '',
    b.unknown > 0 ? `${b.unknown} left out (no outcome)` : '',
  ]);
  for (const g of r.gains)
    rows.push([
      'gains',
      String(g.decile),
      String(g.accounts),
      String(g.positives),
      fixed4(g.positives / g.accounts),
      '',
      '',
      fixed4(g.lift),
      '',
      '',
      fixed4(g.gain),
      '',
    ]);
  rows.push(['auc', '', String(r.aucAccounts), '', '', '', '', '', '', '', fixed4(r.auc), '']);
  const s = r.shortlist;
  rows.push(['precision', 'shortlist', String(s.size), String(s.positives), '', '', '', '', '', '', fixed4(s.precision), ruleText(b.old.rule)]);
  rows.push(['recall', 'shortlist', String(r.positives), String(s.positives), '', '', '', '', '', '', fixed4(s.recall), '']);
  return rows;
}

/** The backtest as one JSON document; fractions with 4 decimals, missing as null. */
function renderBacktestJson(b: BacktestReport): string {
  const r = b.result;
  const interval = (i: Interval) => ({ low: json4(i.low), high: json4(i.high) });
  const doc = {
    old: {
      source: b.old.source,
      date: b.old.date === undefined ? null : formatDate(b.old.date),
      kam_model: b.old.model ?? null,
      shortlist_rule: ruleText(b.old.rule),
    },
    later: { source: b.later.source, date: b.later.date === undefined ? null : formatDate(b.later.date) },
    outcome: outcomeCode(b.outcome),
    accounts: r.accounts,
    positives: r.positives,
    left_out: b.unknown,
    rate: json4(r.rate),
    rate_interval: interval(r.rateInterval),
    tiers: r.tiers.map((t) => ({
      tier: t.tier,
      accounts: t.accounts,
      positives: t.positives,
      rate: json4(t.rate),
      rate_interval: interval(t.rateInterval),
      lift: json4(t.lift),
      lift_interval: interval(t.liftInterval),
      few_accounts: t.small,
    })),
    gains: r.gains.map((g) => ({ decile: g.decile, accounts: g.accounts, positives: g.positives, gain: json4(g.gain), lift: json4(g.lift) })),
    auc: json4(r.auc),
    auc_accounts: r.aucAccounts,
    shortlist: { size: r.shortlist.size, positives: r.shortlist.positives, precision: json4(r.shortlist.precision), recall: json4(r.shortlist.recall) },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

// ---- the command --------------------------------------------------------------------

/** `kam backtest`: how the accounts of an old snapshot fared, per tier and by rank. */
async function runBacktestCommand(oldFile: string, laterFile: string, options: BacktestCliOptions, runIo: Io): Promise<ExitCodeT> {
  // --quiet (issue 10 item 3): notes and warnings dropped, errors kept.
  const io = quietIo(runIo, (options as { readonly quiet?: boolean }).quiet);
  const format: BacktestFormat = options.format ?? (io.stdoutIsTty ? 'table' : 'csv');
  let asOf: number | undefined;
  if (options.asOf !== undefined) {
    const d = parseDate(options.asOf);
    if (d.kind !== 'value') throw new UsageError(`--as-of: '${options.asOf}' is not a date (use YYYY-MM-DD)`);
    asOf = d.value;
  }
  const b = await buildBacktest(io, oldFile, laterFile, options, asOf);
  // The table and Markdown carry the warning themselves; data formats get it on stderr.
  const warning = warningLine(b.result);
  if (warning && (format === 'csv' || format === 'json')) await noteSink(io).write(`kam: ${warning}\n`);
  switch (format) {
    case 'table':
      await io.stdout.write(renderBacktestTable(b, io, terminalWidth(io)));
      break;
    case 'md':
      await io.stdout.write(renderBacktestMarkdown(b));
      break;
    case 'json':
      await io.stdout.write(renderBacktestJson(b));
      break;
    case 'csv':
      await writeCsv(io.stdout, BACKTEST_CSV_HEADER, backtestCsvRecords(b), { escapeFormulas: options.escapeFormulas !== false });
      break;
  }
  return ExitCode.Ok;
}

/** Wire `kam backtest` into the program. */
export function registerBacktest(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('backtest')
    .description('Check the model against what happened: how the accounts of an old snapshot fared, by tier, rank and shortlist')
    .argument('<old>', 'a snapshot kam score wrote earlier (its kam_ columns are the prediction)')
    .argument('<later>', 'a later export or snapshot (its revenue gives the outcome)');
  addReadOptions(cmd)
    .option('--outcome <outcome>', 'growth:N% (default growth:10%), won, or churn', parseOutcome)
    .option('--deals <file>', 'opportunities export, for --outcome won: deals won after the old snapshot, up to the later date')
    .option('--as-of <date>', "the later file's date, YYYY-MM-DD (default: its kam_as_of or a date in its name)")
    .option(
      '--shortlist <n>',
      "the shortlist is the old snapshot's n best Key/Develop accounts (default: its kam_shortlist column, else the Key tier)",
      positiveInt('--shortlist'),
    )
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, else csv)').choices([...BACKTEST_FORMATS]))
    .option('--no-escape-formulas', 'do not prefix cells that start with = + - @ (spreadsheet formula guard)')
    .option('-q, --quiet', 'errors only on stderr: no notes, warnings or progress (for cron)')
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (oldFile: string, later: string, opts: BacktestCliOptions) => {
      setExitCode(await runBacktestCommand(oldFile, later, opts, io));
    });
}
