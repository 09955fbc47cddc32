import { Option, type Command } from 'commander';
import { DEFAULT_HISTORY_OPTIONS, type AccountHistory } from '../core/history.ts';
import { CRITERIA } from '../core/types.ts';
import { ExitCode, UsageError, type ExitCode as ExitCodeT } from '../errors.ts';
import { quietIo, type Io } from '../io/console.ts';
import { fixed2, jsonNumber } from '../io/format.ts';
import { markdownTable } from '../io/render-markdown.ts';
import { renderTable, terminalWidth } from '../io/render-table.ts';
import { writeCsv } from '../io/write-csv.ts';
import { day, eventText, modelChangeLines, momentumText, scoreSparkline, streakText } from '../io/followup-text.ts';
import { readHistory, type HistoryReadOptions, type HistoryReport } from './follow-up.ts';
import { addReadOptions, positiveInt } from './load-options.ts';

const HELP_EXAMPLES = `
Each snapshot is a CSV kam score wrote (its kam_ columns are used as they are) or a raw
export (scored now). Snapshots are dated by the kam_as_of column kam score --as-of wrote,
else by a YYYY-MM-DD date in the file name, and put in date order. Momentum is the slope of
the score in points per week over the last --window snapshots made by the latest model
(kam_model): rising_fast at +${DEFAULT_HISTORY_OPTIONS.risingFast} or more, falling at -${DEFAULT_HISTORY_OPTIONS.falling} or less.

Examples:
  $ kam history snapshots/*.csv                         every account's trend (table on a terminal)
  $ kam history snapshots/*.csv --format md > trend.md  for an email or a chat
  $ kam history snapshots/*.csv --format csv            one row per account and snapshot, for a chart
  $ kam history snapshots/*.csv --window 6 --account ACC-1003
`;

const HISTORY_FORMATS = ['table', 'csv', 'json', 'md'] as const;
type HistoryFormat = (typeof HISTORY_FORMATS)[number];

interface HistoryCliOptions extends HistoryReadOptions {
  readonly format?: HistoryFormat | undefined;
  readonly window?: number | undefined;
  readonly shortlist?: number | undefined;
  readonly weights?: string | undefined;
  readonly account?: string | undefined;
  readonly escapeFormulas?: boolean | undefined;
}

interface Section {
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly numeric: ReadonlySet<number>;
}

function sections(r: HistoryReport, accounts: readonly AccountHistory[]): Section[] {
  const h = r.history;
  const last = h.dates.length - 1;
  const events = accounts.flatMap((a) => a.events.map((e) => ({ a, e }))).sort((x, y) => x.e.at - y.e.at);
  return [
    {
      title: `Accounts (${accounts.length})`,
      head: ['ID', 'Account', 'Rank', 'Score', 'Tier', 'Streak', 'Score trend', 'Momentum', 'Signals'],
      rows: accounts.map((a) => {
        const p = a.series[last];
        return [
          a.id,
          a.name,
          p ? String(p.rank) : 'gone',
          p ? fixed2(Number.isNaN(p.score) ? undefined : p.score) : '',
          p ? p.tier : '',
          streakText(h, a),
          scoreSparkline(h, a),
          momentumText(a),
          a.signals.join(', '),
        ];
      }),
      numeric: new Set([2, 3, 7]),
    },
    {
      title: `Shortlist entries and exits, new and gone accounts, tier changes (${events.length})`,
      head: ['Date', 'ID', 'Account', 'Change'],
      rows: events.map(({ a, e }) => [day(h, e.at), a.id, a.name, eventText(e)]),
      numeric: new Set(),
    },
  ];
}

function headerLines(r: HistoryReport): string[] {
  const h = r.history;
  return [
    `kam history: ${h.dates.length} snapshots, ${day(h, 0)} -> ${day(h, h.dates.length - 1)} · momentum over the last ${r.window} snapshots of the latest model`,
    ...(h.modelChanges.length ? modelChangeLines(h) : ['model: the same in every snapshot']),
  ];
}

const selected = (r: HistoryReport, account: string | undefined): readonly AccountHistory[] =>
  account === undefined ? r.history.accounts : r.history.accounts.filter((a) => a.id === account || a.name === account);

function renderHistoryTable(r: HistoryReport, accounts: readonly AccountHistory[], io: Io, width: number | undefined): string {
  const out: string[] = [headerLines(r).join('\n') + '\n'];
  for (const s of sections(r, accounts)) {
    const body = s.rows.length
      ? renderTable({
          head: s.head,
          rows: s.rows,
          numeric: s.numeric,
          flexible: [
            { index: 1, min: 12 },
            { index: 5, min: 12 },
          ],
          width,
          color: io.color,
        })
      : 'none\n';
    out.push(`${io.color.bold(s.title)}\n${body}`);
  }
  return out.join('\n');
}

function renderHistoryMarkdown(r: HistoryReport, accounts: readonly AccountHistory[]): string {
  const [title, ...rest] = headerLines(r);
  const out = [`# ${title}\n`, rest.map((l) => `- ${l}`).join('\n') + '\n'];
  for (const s of sections(r, accounts)) out.push(`## ${s.title}\n\n${s.rows.length ? markdownTable(s.head, s.rows, s.numeric) : 'none\n'}`);
  return out.join('\n');
}

/** `--format csv`: one record per account and snapshot it is in (the series), for a spreadsheet chart. */
const HISTORY_CSV_HEADER = ['account_id', 'account_name', 'date', 'kam_model', 'rank', 'score', 'tier', ...CRITERIA, 'revenue', 'shortlisted'] as const;

function historyCsvRecords(r: HistoryReport, accounts: readonly AccountHistory[]): string[][] {
  const h = r.history;
  const rows: string[][] = [];
  const num = (x: number): string => (Number.isNaN(x) ? '' : fixed2(x));
  for (const a of accounts) {
    a.series.forEach((p, k) => {
      if (!p) return;
      rows.push([
        a.id,
        p.name,
        day(h, k),
        h.models[k] ?? '',
        String(p.rank),
        num(p.score),
        p.tier,
        ...p.criteria.map(num),
        Number.isNaN(p.revenue) ? '' : String(p.revenue),
        p.shortlisted ? 'yes' : 'no',
      ]);
    });
  }
  return rows;
}

function renderHistoryJson(r: HistoryReport, accounts: readonly AccountHistory[]): string {
  const h = r.history;
  const round2 = (x: number): number | null => jsonNumber(x, 2);
  const doc = {
    snapshots: r.sides.map((s, k) => ({ source: s.source, date: day(h, k), dated_by: s.dateFrom ?? null, kam_model: h.models[k] ?? null })),
    model_changes: h.modelChanges.map((c) => ({ date: day(h, c.at), from: c.from ?? null, to: c.to ?? null })),
    window: r.window,
    accounts: accounts.map((a) => ({
      account_id: a.id,
      account_name: a.name,
      streak: a.streak ? { tier: a.streak.tier, snapshots: a.streak.snapshots, since: day(h, a.streak.since) } : null,
      momentum: a.momentum ? { points_per_week: round2(a.momentum.slope), snapshots: a.momentum.points } : null,
      signals: a.signals,
      events: a.events.map((e) => ({ date: day(h, e.at), change: e.kind, ...(e.kind === 'tier' ? { from: e.from, to: e.to } : {}) })),
      series: a.series.map((p, k) =>
        p
          ? {
              date: day(h, k),
              rank: p.rank,
              score: round2(p.score),
              tier: p.tier,
              ...Object.fromEntries(CRITERIA.map((c, i) => [c, round2(p.criteria[i] ?? Number.NaN)])),
              revenue: round2(p.revenue),
              shortlisted: p.shortlisted,
            }
          : { date: day(h, k), absent: true },
      ),
    })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** `kam history`: every account across the snapshots. */
async function runHistory(files: readonly string[], options: HistoryCliOptions, runIo: Io): Promise<ExitCodeT> {
  // --quiet (issue 10 item 3): notes and warnings dropped, errors kept.
  const io = quietIo(runIo, (options as { readonly quiet?: boolean }).quiet);
  const format: HistoryFormat = options.format ?? (io.stdoutIsTty ? 'table' : 'csv');
  const r = await readHistory(io, files, options);
  const accounts = selected(r, options.account);
  if (options.account !== undefined && accounts.length === 0)
    throw new UsageError(`--account: no account '${options.account}' (by id or name) in any snapshot`);
  switch (format) {
    case 'table':
      await io.stdout.write(renderHistoryTable(r, accounts, io, terminalWidth(io)));
      break;
    case 'md':
      await io.stdout.write(renderHistoryMarkdown(r, accounts));
      break;
    case 'json':
      await io.stdout.write(renderHistoryJson(r, accounts));
      break;
    case 'csv':
      await writeCsv(io.stdout, HISTORY_CSV_HEADER, historyCsvRecords(r, accounts), { escapeFormulas: options.escapeFormulas !== false });
      break;
  }
  return ExitCode.Ok;
}

/** Wire `kam history` into the program. */
export function registerHistory(program: Command, io: Io, setExitCode: (c: ExitCodeT) => void): void {
  const cmd = program
    .command('history')
    .description('Every account across many weekly snapshots: series, tier streaks, entries and exits, momentum, model changes')
    .argument('<snapshots...>', 'snapshots kam score wrote (or raw exports), in any order');
  addReadOptions(cmd)
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, else csv)').choices([...HISTORY_FORMATS]))
    .option('--window <n>', `momentum over the last n snapshots of the latest model (default ${DEFAULT_HISTORY_OPTIONS.window})`, positiveInt('--window'))
    .option(
      '--shortlist <n>',
      'the shortlist is the n best Key/Develop accounts of each snapshot (default: its kam_shortlist column, else the Key tier)',
      positiveInt('--shortlist'),
    )
    .option('--account <id>', 'only this account (id or name)')
    .option('--weights <spec>', 'criterion weights for raw exports, e.g. volume=2,potential=3,ltv=2,fit=1,strategic=2')
    .option('--no-escape-formulas', 'do not prefix cells that start with = + - @ (spreadsheet formula guard)')
    .option('-q, --quiet', 'errors only on stderr: no notes, warnings or progress (for cron)')
    .addHelpText('after', HELP_EXAMPLES)
    .action(async (files: string[], opts: HistoryCliOptions) => {
      setExitCode(await runHistory(files, opts, io));
    });
}
