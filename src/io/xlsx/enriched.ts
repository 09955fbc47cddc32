/**
 * The enriched rows (io/enriched.ts, the one output row model) as workbook sheets: Accounts
 * (original cells, then kam's), Summary (the run, the tiers, the weights) and, for
 * `kam report`, Matrix (the points by tier and a scatter chart of them).
 */
import { CRITERIA, TIERS, type ModelConfig, type ScoreResult, type Tier } from '../../core/types.ts';
import { CRITERION_LABEL } from '../signal-text.ts';
import { stampCells, type EnrichedRow, type RunStamp } from '../enriched.ts';
import { TIER_COLOR } from '../render-svg.ts';
import { workbookBytes, type XCell, type XSheet } from './write.ts';

export interface EnrichedWorkbook {
  /** The enriched header (io/enriched.ts enrichedHeader). */
  readonly header: readonly string[];
  readonly rows: Iterable<EnrichedRow>;
  readonly withShortlist: boolean;
  readonly stamp?: RunStamp | undefined;
  /** Original column indices that stay text (the columns mapped to ids and names). */
  readonly textColumns: ReadonlySet<number>;
  readonly summary: WorkbookSummary;
  /** Add the Matrix sheet (kam report). */
  readonly matrix?: boolean | undefined;
}

interface WorkbookSummary {
  readonly source: string;
  readonly result: Pick<ScoreResult, 'n' | 'tier'>;
  readonly rejected: number;
  readonly model: ModelConfig;
}

const fixed = (x: number | undefined): XCell => (x === undefined ? undefined : { number: x, format: 'fixed2' });
const text = (t: string): XCell => (t === '' ? undefined : { text: t, style: 'plain' });

/** One enriched row as workbook cells, in enrichedHeader order. */
function rowCells(r: EnrichedRow, withShortlist: boolean, stamp: RunStamp | undefined): XCell[] {
  const k = r.kam;
  const cells: XCell[] = [...r.original];
  cells.push(k.rank === undefined ? undefined : { number: k.rank, format: 'integer' });
  cells.push(fixed(k.score));
  cells.push({ text: k.tier, style: 'tier' });
  for (const c of k.criteria) cells.push(fixed(c));
  cells.push(fixed(k.current), fixed(k.attractiveness), fixed(k.coverage));
  cells.push(text(k.signals.join(';')), text(k.errors));
  if (withShortlist) cells.push(k.shortlist ? { text: 'yes', style: 'shortlist' } : { text: 'no', style: 'plain' });
  for (const e of k.extra) cells.push(text(e));
  const stampTexts = stampCells(stamp);
  // kam_as_of is a date (typed: it reads back as the same text); kam_model stays text.
  stampTexts.forEach((t, i) => cells.push(i === stampTexts.length - 1 ? text(t) : t));
  return cells;
}

function summarySheet(s: WorkbookSummary, stamp: RunStamp | undefined): XSheet {
  const bold = (t: string): XCell => ({ text: t, style: 'bold' });
  const counts = new Map<string, number>();
  for (let i = 0; i < s.result.n; i++) {
    const t = TIERS[s.result.tier[i]!]!;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const sum = CRITERIA.reduce((a, c) => a + s.model.weights[c], 0);
  const rows: XCell[][] = [
    [bold('kam score'), text(s.source)],
    [text('model'), text(stamp?.model ?? '')],
    ...(stamp?.asOf === undefined ? [] : [[text('as of'), stamp.asOf]]),
    [text('accounts scored'), { number: s.result.n, format: 'integer' }],
    [text('rows rejected'), { number: s.rejected, format: 'integer' }],
    [],
    [bold('tier'), bold('accounts')],
    ...TIERS.filter((t) => counts.has(t)).map((t): XCell[] => [
      { text: t, style: 'tier' },
      { number: counts.get(t)!, format: 'integer' },
    ]),
    ...(s.rejected > 0
      ? [
          [
            { text: 'Invalid', style: 'tier' },
            { number: s.rejected, format: 'integer' },
          ] as XCell[],
        ]
      : []),
    [],
    [bold('criterion'), bold('weight'), bold('share of the score')],
    ...CRITERIA.map((c): XCell[] => [
      text(CRITERION_LABEL[c]),
      { number: s.model.weights[c], format: 'fixed2' },
      fixed(sum > 0 ? (100 * s.model.weights[c]) / sum : undefined),
    ]),
  ];
  return { name: 'Summary', rows };
}

/** The points of the matrix, grouped by tier, and the chart over them. */
function matrixSheet(rows: readonly EnrichedRow[], nameColumn: number | undefined): XSheet {
  const byTier = new Map<Tier, EnrichedRow[]>();
  for (const r of rows) {
    if (r.kam.current === undefined || r.kam.attractiveness === undefined) continue;
    const t = r.kam.tier as Tier;
    if (!(t in TIER_COLOR)) continue;
    const list = byTier.get(t) ?? [];
    list.push(r);
    byTier.set(t, list);
  }
  const cells: XCell[][] = [];
  const series: { name: string; color: string; from: number; to: number; x: number; y: number }[] = [];
  for (const t of TIERS) {
    const list = byTier.get(t);
    if (list === undefined) continue;
    const from = cells.length + 2;
    for (const r of list)
      cells.push([
        { text: t, style: 'tier' },
        text(nameColumn === undefined ? '' : (r.original[nameColumn] ?? '')),
        fixed(r.kam.current),
        fixed(r.kam.attractiveness),
      ]);
    series.push({ name: t, color: TIER_COLOR[t], from, to: cells.length + 1, x: 2, y: 3 });
  }
  return {
    name: 'Matrix',
    header: ['kam_tier', 'account', 'kam_current', 'kam_attractiveness'],
    rows: cells,
    chart: { title: 'KAM portfolio matrix', xTitle: 'Current value', yTitle: 'Attractiveness', series },
  };
}

/** The workbook of a scoring run, as bytes. */
export function enrichedWorkbookBytes(w: EnrichedWorkbook, nameColumn?: number): Buffer {
  const rows = [...w.rows];
  const accounts: XSheet = { name: 'Accounts', header: w.header, rows: rows.map((r) => rowCells(r, w.withShortlist, w.stamp)), textColumns: w.textColumns };
  const sheets = [accounts, summarySheet(w.summary, w.stamp)];
  if (w.matrix === true) sheets.push(matrixSheet(rows, nameColumn));
  return workbookBytes(sheets);
}
