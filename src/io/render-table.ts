import { createRequire } from 'node:module';
import type TableType from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import { CRITERIA, type SignalCode } from '../core/types.ts';
import { fixed2, type EnrichedRow } from './enriched.ts';
import { SIGNAL_SHORT } from './signal-text.ts';

/** One table renderer for every command: rows of cells, a header, widths that fit. */

let TableClass: typeof TableType | undefined;
/** cli-table3, loaded on the first table (a piped run writes CSV and never needs it). */
function tableClass(): typeof TableType {
  TableClass ??= createRequire(import.meta.url)('cli-table3') as typeof TableType;
  return TableClass;
}

/** Cut text to `width` columns with an ellipsis (names can be long). */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join('') : chars.slice(0, width - 1).join('') + '…';
}

export interface TableSpec {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Right-align these columns (numbers). */
  readonly numeric?: ReadonlySet<number>;
  /** Column that absorbs the width limit (truncated first), and the minimum it keeps. */
  readonly flexible?: readonly { readonly index: number; readonly min: number }[];
  readonly width?: number | undefined;
  readonly color: ChalkInstance;
}

/**
 * cli-table3 lays out each cell against every earlier one, so its time grows with the square
 * of the row count (8,000 rows: 20 s). Longer tables are rendered in slices of this many rows
 * with the same column widths and joined: the same text, in linear time (about 0.25 ms a row).
 */
const SLICE_ROWS = 100;

/** Render a borderless-but-ruled table that fits `width` columns. */
export function renderTable(spec: TableSpec): string {
  const n = spec.head.length;
  const longest = (cell: string): number => {
    let max = 0;
    for (const l of cell.split('\n')) max = Math.max(max, [...l].length);
    return max;
  };
  // A loop, not Math.max(...rows): a spread of 200,000 arguments overflows the stack.
  const natural = spec.head.map((h, c) => {
    let max = longest(h);
    for (const r of spec.rows) max = Math.max(max, longest(r[c] ?? ''));
    return max;
  });
  const widths = [...natural];
  if (spec.width !== undefined) {
    // cli-table3 adds 1 padding each side plus a border per column.
    const total = (): number => widths.reduce((a, b) => a + b + 3, 1);
    for (const f of spec.flexible ?? []) {
      const over = total() - spec.width;
      if (over <= 0) break;
      widths[f.index] = Math.max(Math.min(f.min, natural[f.index]!), widths[f.index]! - over);
    }
  }
  const render = (head: readonly string[], rows: readonly (readonly string[])[]): string => {
    const Table = tableClass();
    const table = new Table({
      head: head.map((h) => spec.color.bold(h)),
      style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: true },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
      colWidths: widths.map((w) => w + 2),
      colAligns: Array.from({ length: n }, (_, c) => (spec.numeric?.has(c) ? 'right' : 'left')),
      wordWrap: false,
    });
    for (const r of rows) {
      table.push(r.map((cell, c) => cell.split('\n').map((l) => truncate(l, widths[c]!)).join('\n')));
    }
    return table.toString();
  };
  if (spec.rows.length <= SLICE_ROWS) return render(spec.head, spec.rows) + '\n';
  // Each slice is a whole table (top rule, rows, bottom rule): keep the first slice's top
  // rule and header, the last slice's bottom rule, and only the rows in between.
  const parts: string[] = [];
  for (let from = 0; from < spec.rows.length; from += SLICE_ROWS) {
    const lines = render(from === 0 ? spec.head : [], spec.rows.slice(from, from + SLICE_ROWS)).split('\n');
    const isLast = from + SLICE_ROWS >= spec.rows.length;
    parts.push(lines.slice(from === 0 ? 0 : 1, isLast ? lines.length : lines.length - 1).join('\n'));
  }
  return parts.join('\n') + '\n';
}

const TIER_COLOR: Readonly<Record<string, (c: ChalkInstance, s: string) => string>> = {
  Key: (c, s) => c.green.bold(s),
  Develop: (c, s) => c.cyan(s),
  Maintain: (c, s) => c.yellow(s),
  Monitor: (c, s) => c.dim(s),
  Unrated: (c, s) => c.gray(s),
  Invalid: (c, s) => c.red(s),
};

/** The ranked score table: rank, account, score, tier, the five criteria, coverage, signals. */
export function renderScoreTable(
  rows: readonly EnrichedRow[],
  names: readonly string[],
  options: { color: ChalkInstance; width: number | undefined; withShortlist: boolean },
): string {
  const head = ['#', 'Account', 'Score', 'Tier', 'Vol', 'Pot', 'LTV', 'Fit', 'Str', 'Cov', 'Signals'];
  if (options.withShortlist) head.splice(1, 0, 'SL');
  const body = rows.map((r) => {
    const k = r.kam;
    const cells = [
      String(k.rank ?? ''),
      names[r.account] ?? '',
      fixed2(k.score),
      k.tier,
      ...CRITERIA.map((_, i) => (k.criteria[i] === undefined ? '-' : String(Math.round(k.criteria[i])))),
      k.coverage === undefined ? '' : `${Math.round(k.coverage * 100)}%`,
      k.signals.map((s) => SIGNAL_SHORT[s as SignalCode] ?? s).join(', '),
    ];
    if (options.withShortlist) cells.splice(1, 0, k.shortlist ? '*' : '');
    return cells;
  });
  const shift = options.withShortlist ? 1 : 0;
  const numeric = new Set([0, 2 + shift, 4 + shift, 5 + shift, 6 + shift, 7 + shift, 8 + shift, 9 + shift]);
  let out = renderTable({
    head,
    rows: body,
    numeric,
    flexible: [
      { index: 10 + shift, min: 12 },
      { index: 1 + shift, min: 12 },
    ],
    width: options.width,
    color: options.color,
  });
  // Colour the tier words after layout, so widths are computed on plain text.
  if (options.color.level > 0) {
    out = out.replace(/ (Key|Develop|Maintain|Monitor|Unrated|Invalid)( +)│/g, (_m, t: string, sp: string) => ` ${TIER_COLOR[t]!(options.color, t)}${sp}│`);
  }
  return out;
}
