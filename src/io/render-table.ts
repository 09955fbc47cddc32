import { createRequire } from 'node:module';
import type TableType from 'cli-table3';
import type { ChalkInstance } from 'chalk';
import { CRITERIA, type TextColumn } from '../core/types.ts';
import type { EnrichedRow } from './enriched.ts';
import { fixed2, percent } from './format.ts';
import { SIGNAL_SHORT } from './signal-text.ts';
import { escapeTerminal } from './terminal-text.ts';

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

/** Break a line at spaces into lines of at most `width` characters (a longer word is truncated). */
function wrapWords(text: string, width: number): string[] {
  if ([...text].length <= width || width < 8) return [truncate(text, width)];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if ([...next].length <= width) line = next;
    else {
      if (line !== '') out.push(line);
      line = truncate(word, width);
    }
  }
  if (line !== '') out.push(line);
  return out;
}

/**
 * The width tables fit on stdout: the terminal's columns; when the terminal reports none (0,
 * as a pseudo-terminal without a size does under `script`, CI runners or `docker exec -t`),
 * the COLUMNS variable; else no limit. Undefined when stdout is not a terminal.
 */
export function terminalWidth(io: {
  readonly stdoutIsTty: boolean;
  readonly columns: number | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}): number | undefined {
  if (!io.stdoutIsTty) return undefined;
  if (io.columns !== undefined && io.columns > 0) return io.columns;
  const env = io.env['COLUMNS']?.trim() ?? '';
  return /^[1-9]\d{0,4}$/.test(env) ? Number(env) : undefined;
}

/** cli-table3's width of a table with these inner column widths: 1 padding each side plus a border per column. */
function tableWidth(widths: readonly number[]): number {
  return widths.reduce((a, b) => a + b + 3, 1);
}

export interface TableSpec {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Right-align these columns (numbers). */
  readonly numeric?: ReadonlySet<number>;
  /**
   * Columns that absorb the width limit, in order (truncated first), and the minimum each
   * keeps; when the table is still too wide at the minimums, a second pass cuts them down to
   * `floor` (default: the minimum).
   */
  readonly flexible?: readonly { readonly index: number; readonly min: number; readonly floor?: number; readonly wrap?: boolean }[];
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
export function renderTable(input: TableSpec): string {
  // Cells are untrusted (names, headers): controls are shown escaped, line breaks kept.
  const safe = (cell: string): string => escapeTerminal(cell, { keepLineFeeds: true });
  const spec: TableSpec = { ...input, head: input.head.map(safe), rows: input.rows.map((r) => r.map(safe)) };
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
  if (spec.width !== undefined && spec.width > 0) {
    for (const pass of ['min', 'floor'] as const) {
      for (const f of spec.flexible ?? []) {
        const over = tableWidth(widths) - spec.width;
        if (over <= 0) break;
        const keep = pass === 'min' ? f.min : Math.min(f.floor ?? f.min, f.min);
        widths[f.index] = Math.max(Math.min(keep, natural[f.index]!), widths[f.index]! - over);
      }
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
    const wraps = new Set((spec.flexible ?? []).filter((f) => f.wrap).map((f) => f.index));
    for (const r of rows) {
      table.push(
        r.map((cell, c) =>
          cell
            .split('\n')
            .flatMap((l) => (wraps.has(c) ? wrapWords(l, widths[c]!) : [truncate(l, widths[c]!)]))
            .join('\n'),
        ),
      );
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
  Gated: (c, s) => c.magenta(s),
  Unrated: (c, s) => c.gray(s),
  Invalid: (c, s) => c.red(s),
};

/** The ranked score table: rank, account, score, tier, the five criteria, coverage, signals. */
export function renderScoreTable(
  rows: readonly EnrichedRow[],
  names: TextColumn,
  options: { color: ChalkInstance; width: number | undefined; withShortlist: boolean },
): string {
  const head = ['#', 'Account', 'Score', 'Tier', 'Vol', 'Pot', 'LTV', 'Fit', 'Str', 'Cov', 'Signals'];
  if (options.withShortlist) head.splice(1, 0, 'SL');
  const body = rows.map((r) => {
    const k = r.kam;
    const cells = [
      String(k.rank ?? ''),
      names.at(r.account) ?? '',
      fixed2(k.score),
      k.tier,
      ...CRITERIA.map((_, i) => (k.criteria[i] === undefined ? '-' : String(Math.round(k.criteria[i])))),
      k.coverage === undefined ? '' : percent(k.coverage, 0),
      k.signals.map((s) => SIGNAL_SHORT[s]).join(', '),
    ];
    if (options.withShortlist) cells.splice(1, 0, k.shortlist ? '*' : '');
    return cells;
  });
  const shift = options.withShortlist ? 1 : 0;
  const numeric = new Set([0, 2 + shift, 4 + shift, 5 + shift, 6 + shift, 7 + shift, 8 + shift, 9 + shift]);
  const flexible = [
    { index: 10 + shift, min: 12, floor: 6 },
    { index: 1 + shift, min: 12, floor: 8 },
  ];
  // On a terminal too narrow for every column even at the floors (80 columns with --shortlist),
  // the coverage column goes: an account short of data still shows as Unrated, with "low coverage".
  const cov = 9 + shift;
  const longest = (c: number): number => {
    let max = head[c]!.length;
    for (const r of body) for (const l of r[c]!.split('\n')) max = Math.max(max, [...l].length);
    return max;
  };
  const atFloors = (): number[] =>
    head.map((_, c) => {
      const f = flexible.find((x) => x.index === c);
      return f ? Math.min(f.floor, longest(c)) : longest(c);
    });
  const dropCov = options.width !== undefined && options.width > 0 && tableWidth(atFloors()) > options.width;
  const keep = (c: number): boolean => !dropCov || c !== cov;
  const at = (c: number): number => (dropCov && c > cov ? c - 1 : c);
  let out = renderTable({
    head: head.filter((_, c) => keep(c)),
    rows: dropCov ? body.map((r) => r.filter((_, c) => keep(c))) : body,
    numeric: new Set([...numeric].filter(keep).map(at)),
    flexible: flexible.map((f) => ({ ...f, index: at(f.index) })),
    width: options.width,
    color: options.color,
  });
  // Colour the tier words after layout, so widths are computed on plain text.
  if (options.color.level > 0) {
    out = out.replace(
      / (Key|Develop|Maintain|Monitor|Gated|Unrated|Invalid)( +)│/g,
      (_m, t: string, sp: string) => ` ${TIER_COLOR[t]!(options.color, t)}${sp}│`,
    );
  }
  return out;
}
