import { CRITERIA, type AccountColumns, type SignalCode } from '../core/types.ts';
import { fixed2, type EnrichedRow } from './enriched.ts';
import { SIGNAL_SHORT } from './signal-text.ts';

/**
 * The one escaper of every Markdown output (score, diff, report): untrusted text (names,
 * ids, file names, messages) becomes literal text in prose, headings and table cells. It
 * neutralises links and images (`[`, `]`), raw HTML and `<...>` autolinks (`<`), entity
 * references (`&amp;`), emphasis and code (`* _ ~ \``), table pipes, the extended autolinks
 * of GitHub-flavoured Markdown (`www.`, `https://`, `name@host`), and a leading character
 * that would start a block (`#`, `>`, `-`, `+`, `1. `). Line breaks become spaces.
 */
export function markdownText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]<|~@]/g, '\\$&')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/([A-Za-z])(:)(?=\/\/)/g, '$1\\:')
    .replace(/^(\s*)([#>+-])/, '$1\\$2')
    .replace(/^(\s*\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/** A Markdown table cell: `markdownText` (pipes included). */
export const markdownCell = markdownText;

/** A GitHub-flavoured Markdown table; `numeric` columns are right-aligned. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set()): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
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
      r.account >= 0 ? accounts.name[r.account]! : '',
      fixed2(k.score),
      k.tier,
      ...CRITERIA.map((_, i) => fixed2(k.criteria[i])),
      k.coverage === undefined ? '' : `${Math.round(k.coverage * 100)}%`,
      k.signals.map((s) => SIGNAL_SHORT[s as SignalCode] ?? s).join(', '),
    ];
    if (withShortlist) cells.push(k.shortlist ? 'yes' : '');
    return cells;
  });
  return markdownTable(head, body, new Set([0, 2, 4, 5, 6, 7, 8, 9]));
}
