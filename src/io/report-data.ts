/**
 * The weekly report's data and the words both of its renderers share (render-html.ts,
 * render-report-md.ts): what `kam report` builds, which accounts the matrix names, the
 * caps on long lists, and each number, change and move as text, so the HTML and the
 * Markdown report say the same.
 */
import type { AccountChange, DiffResult, RankMover } from '../core/diff.ts';
import { ROBUST_PICK } from '../core/robust.ts';
import { CRITERIA, type Criterion, type SignalCode, type Tier } from '../core/types.ts';
import { describeMover } from './diff-text.ts';
import { fixed2, toFixedPercent, wholeGrouped } from './format.ts';
import type { MatrixPoint } from './matrix-plot.ts';
import type { ReportFollowUp } from './render-followup.ts';
import { SIGNAL_TEXT } from './signal-text.ts';

/** One scored account as the report shows it; numbers unrounded (renderers round). */
export interface ReportAccount {
  readonly id: string;
  readonly name: string;
  readonly rank: number;
  /** Undefined when no criterion has input. */
  readonly score: number | undefined;
  readonly tier: Tier;
  /** In CRITERIA order; undefined when the criterion has no input. */
  readonly criteria: readonly (number | undefined)[];
  readonly current: number | undefined;
  readonly attractiveness: number | undefined;
  readonly signals: readonly SignalCode[];
  readonly shortlisted: boolean;
  /** Shortlist acceptability over many weightings (report --robust), 0..1; undefined without it. */
  readonly robust?: number | undefined;
}

/** The week's changes: the core diff of the previous snapshot against this one. */
export interface ReportChanges {
  /** The previous file as the user named it. */
  readonly previousSource: string;
  readonly diff: DiffResult;
}

/** A rejected row, for the summary. */
interface ReportRejected {
  readonly line: number;
  readonly message: string;
}

/** Everything a report shows; built by `kam report`, rendered as HTML or Markdown. */
export interface ReportData {
  readonly title: string;
  /** The input file as the user named it. */
  readonly source: string;
  /** YYYY-MM-DD. */
  readonly asOf: string;
  readonly preset: string;
  /** Data rows read from the file (valid and rejected). */
  readonly rows: number;
  /** Total rejected rows; `rejectedSample` lists the first few. */
  readonly rejectedCount: number;
  readonly rejectedSample: readonly ReportRejected[];
  readonly tierCounts: Readonly<Record<Tier, number>>;
  readonly weights: Readonly<Record<Criterion, number>>;
  readonly tierCut: number;
  /** How the shortlist was chosen, in words ("the Key tier", "the 10 best Key or Develop accounts"). */
  readonly shortlistRule: string;
  /** Every scored account, in rank order. */
  readonly accounts: readonly ReportAccount[];
  readonly changes?: ReportChanges | undefined;
  /** How many accounts the matrix names at most (default LABELS). */
  readonly labels?: number | undefined;
  /** Goals, history and backtest sections (kam report --goals, --history, --backtest). */
  readonly followUp?: ReportFollowUp | undefined;
  /** report --robust: how many weightings the acceptabilities come from, and the robust-pick threshold. */
  readonly robust?: { readonly scenarios: number; readonly threshold: number } | undefined;
}

/** How many accounts the matrix names by default: enough to read, few enough to place. */
export const LABELS = 25;
/** How many rows the shortlist table shows (the rest are counted): the file stays small. */
export const SHORTLIST_ROWS = 100;
/** How many rows each group of changes shows (the rest are counted; kam diff lists all). */
export const CHANGE_ROWS = 25;

/** Two decimals ('' when missing). */
export function formatScore(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '' : fixed2(x);
}

/** A criterion as a whole number ('' when missing). */
export function formatCriterion(x: number | undefined): string {
  return x === undefined || Number.isNaN(x) ? '' : String(Math.round(x) + 0);
}

/** `volume 0.2, potential 0.2, ...`. */
export function formatWeights(weights: Readonly<Record<Criterion, number>>): string {
  return CRITERIA.map((c) => `${c} ${weights[c]}`).join(', ');
}

/** The signals of an account in words. */
export function signalWords(signals: readonly SignalCode[]): string[] {
  return signals.map((s) => (SIGNAL_TEXT as Partial<Record<string, string>>)[s] ?? s);
}

const isRated = (a: ReportAccount): boolean => a.tier !== 'Unrated' && a.current !== undefined && a.attractiveness !== undefined && a.score !== undefined;

/**
 * The ids of the accounts the matrix names, at most `max`: the shortlist when it fits, else
 * the best Key accounts (three fifths) plus the best Develop ones (the rest), so the
 * small-today, attractive-tomorrow account (the article's Cartech) is named too; a tier with
 * too few accounts leaves its places to the other. Rated accounts only, best rank first
 * (`accounts` is in rank order).
 */
export function pickNamed(accounts: readonly ReportAccount[], max: number = LABELS): Set<string> {
  const rated = accounts.filter(isRated);
  const shortlist = rated.filter((a) => a.shortlisted);
  if (shortlist.length <= max) return new Set(shortlist.map((a) => a.id));
  const key = rated.filter((a) => a.tier === 'Key');
  const develop = rated.filter((a) => a.tier === 'Develop');
  const keyPlaces = Math.max(Math.ceil((max * 3) / 5), max - develop.length);
  const picked = [...key.slice(0, keyPlaces), ...develop.slice(0, max - Math.min(keyPlaces, key.length))];
  return new Set(picked.map((a) => a.id));
}

/** The points of the matrix: rated accounts only (Unrated has no place on it); the named ones per pickNamed. */
export function matrixPoints(accounts: readonly ReportAccount[], max: number = LABELS): MatrixPoint[] {
  const named = pickNamed(accounts, max);
  const out: MatrixPoint[] = [];
  for (const a of accounts) {
    if (a.tier === 'Unrated' || a.tier === 'Gated' || a.current === undefined || a.attractiveness === undefined || a.score === undefined) continue;
    out.push({
      id: a.id,
      name: a.name,
      rank: a.rank,
      score: a.score,
      tier: a.tier,
      current: a.current,
      attractiveness: a.attractiveness,
      shortlisted: a.shortlisted,
      named: named.has(a.id),
      ...(a.robust !== undefined ? { robust: a.robust } : {}),
      ...(isRobustPick(a) ? { robustPick: true } : {}),
    });
  }
  return out;
}

/** On the shortlist and on it in at least ROBUST_PICK of the weightings (report --robust). */
function isRobustPick(a: Pick<ReportAccount, 'shortlisted' | 'robust'>): boolean {
  return a.shortlisted && a.robust !== undefined && a.robust >= ROBUST_PICK - 1e-12;
}

/** The legend's words for the robust picks: what the double ring (HTML) or ★ (Markdown) means. */
export function robustPickWords(r: NonNullable<ReportData['robust']>): string {
  return `on the shortlist in at least ${Math.round(r.threshold * 100)}% of ${r.scenarios.toLocaleString('en-US')} weightings around the configured weights (kam robust has the detail)`;
}

/** "… and 12 more (kam score lists them all)" after a capped list; '' when nothing was left out. */
export function moreLine(total: number, shown: number, command: string): string {
  return total > shown ? `… and ${total - shown} more (${command} lists them all)` : '';
}

/** Before -> after texts of one change (tier, rank, score), shared by HTML and Markdown. */
export function describeChange(row: AccountChange): { tier: string; rank: string; score: string } {
  const b = row.before;
  const a = row.after;
  const arrow = (x: string, y: string): string => (x === y ? x : `${x || '–'} → ${y || '–'}`);
  return {
    tier: arrow(b?.tier ?? '', a?.tier ?? ''),
    rank: arrow(b ? String(b.rank) : '', a ? String(a.rank) : ''),
    score: arrow(formatScore(b?.score), formatScore(a?.score)),
  };
}

/** Why a mover moved: `up 5 (revenue blank → 6.5M: volume +19, ltv +25)` (see describeMover). */
export function describeMove(m: RankMover): string {
  const dir = m.rankChange > 0 ? `up ${m.rankChange}` : `down ${-m.rankChange}`;
  return `${dir} (${describeMover(m, '→')})`;
}

/** The change groups in display order, with their headings. */
export function changeGroups(d: DiffResult): readonly [string, readonly AccountChange[]][] {
  return [
    ['Entered the shortlist', d.entered],
    ['Left the shortlist', d.left],
    ['Tier changes', d.tierChanges],
    ['New accounts', d.added],
    ['Removed accounts', d.removed],
    ['Biggest rank moves', d.movers],
  ];
}

/** One line on revenue of the accounts in both snapshots ('' when none has revenue on both sides). */
export function describeRevenue(d: DiffResult): string {
  const r = d.revenue;
  if (r.matched === 0) return '';
  const money = wholeGrouped;
  const g = Number.isNaN(r.growth) ? '' : ` (${r.growth >= 0 ? '+' : '−'}${toFixedPercent(Math.abs(r.growth), 1)})`;
  return `Revenue of the ${r.matched} account${r.matched === 1 ? '' : 's'} in both exports: ${money(r.totalBefore)} → ${money(r.totalAfter)}${g}; ${r.changed.length} changed.`;
}

/** A criterion's column heading: `Volume`, `Potential`, `LTV`, `Fit`, `Strategic`. */
export function shortCriterion(c: Criterion): string {
  return c === 'ltv' ? 'LTV' : capitalise(c);
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
