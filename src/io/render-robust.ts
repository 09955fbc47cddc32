import type { ChalkInstance } from 'chalk';
import type { StabilityInterval } from '../core/robust-stability.ts';
import { CRITERIA, type Criterion } from '../core/types.ts';
import { fixed, jsonNumber, markdownText } from './format.ts';
import { markdownTable } from './render-markdown.ts';
import { escapeTerminal } from './terminal-text.ts';
import { renderTable } from './render-table.ts';

/**
 * The output of `kam robust`, one model for every format: per account (in rank order at the
 * configured weights) its acceptabilities, rank distribution and central weights; per
 * criterion its stability interval. Renderers only format.
 */

/** One account's row. Acceptabilities are shares 0..1. */
export interface RobustRow {
  readonly id: string;
  readonly name: string;
  /** At the configured weights: rank, tier and whether it is on the shortlist. */
  readonly rank: number;
  readonly tier: string;
  readonly shortlisted: boolean;
  readonly shortlist: number;
  readonly shortlistError: number;
  readonly top: number;
  readonly exact: '' | 'always' | 'never';
  readonly rankMedian: number;
  readonly rankLow: number;
  readonly rankHigh: number;
  /** In `RobustReport.tiers` order. */
  readonly tiers: readonly number[];
  /** CRITERIA order; undefined when no scenario shortlists the account. */
  readonly central: readonly (number | undefined)[];
}

/** Where the scenarios came from. */
export type ScenarioOrigin =
  | { readonly kind: 'dirichlet'; readonly concentration: number; readonly seed: number }
  | { readonly kind: 'file'; readonly file: string; readonly labelColumn: string | undefined };

export interface RobustReport {
  readonly source: string;
  readonly scenarios: number;
  readonly origin: ScenarioOrigin;
  /** The configured weights as shares (sum 1). */
  readonly weights: Readonly<Record<Criterion, number>>;
  /** Shortlist capacity; undefined: the Key tier. */
  readonly capacity: number | undefined;
  readonly top: number;
  /** The tiers whose acceptability is reported, in order. */
  readonly tiers: readonly string[];
  readonly rows: readonly RobustRow[];
  readonly stability: readonly StabilityInterval[];
}

/** Three decimals: acceptabilities from 10,000 scenarios have a standard error of at most 0.005. */
function fixed3(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '';
  return fixed(x, 3);
}

const round3 = (x: number | undefined): number | null => jsonNumber(x, 3);

/** The CSV (and JSON key) columns of one account. */
export function robustHeader(report: Pick<RobustReport, 'tiers'>): string[] {
  return [
    'account_id',
    'account_name',
    'kam_rank',
    'kam_tier',
    'kam_shortlist',
    'shortlist_acceptability',
    'shortlist_se',
    'top_k_acceptability',
    'top_k_exact',
    'rank_median',
    'rank_p5',
    'rank_p95',
    ...report.tiers.map((t) => `tier_${t.toLowerCase()}`),
    ...CRITERIA.map((c) => `central_${c}`),
  ];
}

/** One account as CSV cells, in robustHeader order. */
export function robustCells(r: RobustRow): string[] {
  return [
    r.id,
    r.name,
    String(r.rank),
    r.tier,
    r.shortlisted ? 'yes' : 'no',
    fixed3(r.shortlist),
    fixed3(r.shortlistError),
    fixed3(r.top),
    r.exact,
    String(r.rankMedian),
    String(r.rankLow),
    String(r.rankHigh),
    ...r.tiers.map(fixed3),
    ...r.central.map(fixed3),
  ];
}

/** One account as a JSON object text (numbers rounded as in the CSV). */
export function robustJsonObject(report: Pick<RobustReport, 'tiers'>, r: RobustRow): string {
  const values: unknown[] = [
    r.id,
    r.name,
    r.rank,
    r.tier,
    r.shortlisted,
    round3(r.shortlist),
    round3(r.shortlistError),
    round3(r.top),
    r.exact === '' ? null : r.exact,
    r.rankMedian,
    r.rankLow,
    r.rankHigh,
    ...r.tiers.map(round3),
    ...r.central.map(round3),
  ];
  const keys = robustHeader(report);
  return `{${keys.map((k, i) => `${JSON.stringify(k)}:${JSON.stringify(values[i])}`).join(',')}}`;
}

function originText(report: RobustReport): string {
  const o = report.origin;
  const n = report.scenarios.toLocaleString('en-US');
  return o.kind === 'dirichlet'
    ? `${n} weightings sampled around the configured weights (Dirichlet, concentration ${o.concentration}, seed ${o.seed})`
    : `${n} weightings from ${o.file}`;
}

function shortlistText(report: RobustReport): string {
  return report.capacity === undefined ? 'the Key tier' : `the best ${report.capacity} Key/Develop accounts`;
}

const weightsText = (w: Readonly<Record<Criterion, number>>): string =>
  CRITERIA.map((c) => `${c} ${fixed3(w[c]).replace(/0+$/, '').replace(/\.$/, '')}`).join(', ');

/** The lines above the tables (table and Markdown). */
function headerLines(report: RobustReport): string[] {
  return [
    `${report.source}: ${originText(report)}`,
    `configured weights: ${weightsText(report.weights)}`,
    `shortlist: ${shortlistText(report)} · top k: ${report.top}`,
  ];
}

const percent = (x: number): string => `${Math.round(x * 100)}`;

/** The per-account table cells (table and Markdown). */
function accountTable(report: RobustReport): { head: string[]; rows: string[][]; numeric: Set<number> } {
  const head = [
    'Rank',
    'Account',
    'Tier',
    'Shortlist',
    'Acceptability',
    '± se',
    `Top ${report.top}`,
    'Exact',
    'Median rank',
    '90% of ranks',
    `Tiers % (${report.tiers.map((t) => t.slice(0, 3)).join('/')})`,
    'Central weights (v/p/l/f/s)',
  ];
  const rows = report.rows.map((r) => [
    String(r.rank),
    r.name,
    r.tier,
    r.shortlisted ? 'yes' : '',
    fixed3(r.shortlist),
    fixed3(r.shortlistError),
    fixed3(r.top),
    r.exact,
    String(r.rankMedian),
    `${r.rankLow}-${r.rankHigh}`,
    r.tiers.map(percent).join('/'),
    r.central.every((x) => x === undefined) ? '' : r.central.map((x) => (x === undefined ? '' : fixed(x, 2))).join(' '),
  ]);
  return { head, rows, numeric: new Set([0, 4, 5, 6, 8]) };
}

function stabilityTable(report: RobustReport): { head: string[]; rows: string[][]; numeric: Set<number> } {
  return {
    head: ['Criterion', 'Weight', 'Shortlist unchanged from', 'to'],
    rows: report.stability.map((s) => [s.criterion, fixed3(s.share), fixed3(s.low), fixed3(s.high)]),
    numeric: new Set([1, 2, 3]),
  };
}

const STABILITY_NOTE = "each criterion's share of the weights, the others scaled proportionally";

/** Counts for the closing line: robust picks and fragile ones. */
function summaryLine(report: RobustReport): string {
  const on = report.rows.filter((r) => r.shortlisted);
  const robust = on.filter((r) => r.shortlist >= 0.9).length;
  const fragile = on.filter((r) => r.shortlist < 0.5).length;
  const outside = report.rows.filter((r) => !r.shortlisted && r.shortlist >= 0.5).length;
  return `${on.length} on the shortlist: ${robust} robust (acceptability >= 0.9), ${fragile} fragile (< 0.5); ${outside} not on it with acceptability >= 0.5`;
}

/** The terminal view: header lines, the accounts, the stability intervals, a summary. */
export function renderRobustTable(report: RobustReport, color: ChalkInstance, width: number | undefined): string {
  const a = accountTable(report);
  const s = stabilityTable(report);
  return [
    escapeTerminal(headerLines(report).join('\n'), { keepLineFeeds: true }) + '\n',
    renderTable({ head: a.head, rows: a.rows, numeric: a.numeric, flexible: [{ index: 1, min: 12 }], width, color }),
    `${color.bold('Stability')} (${STABILITY_NOTE})\n` + renderTable({ head: s.head, rows: s.rows, numeric: s.numeric, width, color }),
    summaryLine(report) + '\n',
  ].join('\n');
}

/** The Markdown view, for email or chat. */
export function renderRobustMarkdown(report: RobustReport): string {
  const a = accountTable(report);
  const s = stabilityTable(report);
  const [first, ...rest] = headerLines(report).map(markdownText);
  return [
    `# kam robust: ${first}\n`,
    rest.map((l) => `- ${l}`).join('\n') + '\n',
    `## Accounts\n\n${markdownTable(a.head, a.rows, a.numeric)}`,
    `## Stability\n\n${STABILITY_NOTE[0]!.toUpperCase()}${STABILITY_NOTE.slice(1)}.\n\n${markdownTable(s.head, s.rows, s.numeric)}`,
    `${summaryLine(report)[0]!.toUpperCase()}${summaryLine(report).slice(1)}.\n`,
  ].join('\n');
}

/** The JSON document: the run's parameters, the accounts, the stability intervals. */
export function renderRobustJson(report: RobustReport): string {
  const o = report.origin;
  const meta = {
    source: report.source,
    scenarios: report.scenarios,
    origin:
      o.kind === 'dirichlet'
        ? { kind: 'dirichlet', concentration: o.concentration, seed: o.seed }
        : { kind: 'file', file: o.file, label_column: o.labelColumn ?? null },
    weights: Object.fromEntries(CRITERIA.map((c) => [c, round3(report.weights[c])])),
    shortlist: report.capacity === undefined ? { rule: 'key_tier', capacity: null } : { rule: 'best_n', capacity: report.capacity },
    top_k: report.top,
  };
  const metaText = JSON.stringify(meta, null, 2).slice(0, -2); // without the closing "\n}"
  const accounts = report.rows.map((r) => `    ${robustJsonObject(report, r)}`).join(',\n');
  const stability = report.stability
    .map((s) => `    ${JSON.stringify({ criterion: s.criterion, weight: round3(s.share), low: round3(s.low), high: round3(s.high) })}`)
    .join(',\n');
  return `${metaText},\n  "accounts": [${accounts ? `\n${accounts}\n  ` : ''}],\n  "stability": [\n${stability}\n  ]\n}\n`;
}
