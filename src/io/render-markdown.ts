import { CRITERIA, type AccountColumns } from '../core/types.ts';
import type { EnrichedRow } from './enriched.ts';
import { fixed2, markdownText, percent } from './format.ts';
import { SIGNAL_SHORT } from './signal-text.ts';

/**
 * A GitHub-flavoured Markdown table; `numeric` columns are right-aligned. Cells are plain text
 * and escaped (`cells: 'text'`), or Markdown already (`'markdown'`: the report's bold and its
 * pre-escaped names), written as they are.
 */
export function markdownTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: ReadonlySet<number> = new Set(),
  cells: 'text' | 'markdown' = 'text',
): string {
  const cell = cells === 'text' ? markdownText : (c: string): string => c;
  const line = (row: readonly string[]): string => `| ${row.map(cell).join(' | ')} |`;
  const rule = `|${head.map((_, i) => (numeric.has(i) ? '---:' : '---')).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n') + '\n';
}

/** The ranked accounts as a Markdown table, for email or chat. */
export function renderMarkdownTable(rows: readonly EnrichedRow[], accounts: AccountColumns, withShortlist: boolean): string {
  const head = ['Rank', 'Account', 'Score', 'Tier', 'Volume', 'Potential', 'LTV', 'Fit', 'Strategic', 'Coverage', 'Signals'];
  if (withShortlist) head.push('Shortlist');
  const body = rows.map((r) => {
    const k = r.kam;
    const cells = [
      String(k.rank ?? ''),
      r.account >= 0 ? accounts.name.at(r.account)! : '',
      fixed2(k.score),
      k.tier,
      ...CRITERIA.map((_, i) => fixed2(k.criteria[i])),
      k.coverage === undefined ? '' : percent(k.coverage, 0),
      k.signals.map((s) => SIGNAL_SHORT[s]).join(', '),
    ];
    if (withShortlist) cells.push(k.shortlist ? 'yes' : '');
    return cells;
  });
  return markdownTable(head, body, new Set([0, 2, 4, 5, 6, 7, 8, 9]));
}
