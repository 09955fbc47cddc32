import type { RawTable } from '../io/read-table.ts';
import { normaliseHeader } from './mapping.ts';
import { parseBoolean, parseDate } from './values.ts';
import { cellProblemText } from './cell-problems.ts';

/**
 * Manual overrides (SCORING.md §4), one row per account: `account_id, tier` and/or
 * `shortlist` (in/out), `reason, owner, expires`. Applied after scoring and gates; an
 * override cannot be forgotten: every row needs a reason, an owner and an expiry date.
 */
export interface OverrideRow {
  readonly line: number;
  readonly accountId: string;
  /** Key, Develop, Maintain or Monitor; undefined when the row only moves the shortlist. */
  readonly tier: 'Key' | 'Develop' | 'Maintain' | 'Monitor' | undefined;
  /** true: on the shortlist, false: off it; undefined when the row only sets a tier. */
  readonly shortlist: boolean | undefined;
  readonly reason: string;
  readonly owner: string;
  /** Last day the override holds (days since 1970-01-01). */
  readonly expires: number;
}

export interface ParsedOverrides {
  readonly rows: readonly OverrideRow[];
  readonly issues: readonly { readonly line: number; readonly column: string; readonly message: string }[];
}

const OVERRIDE_TIERS = ['Key', 'Develop', 'Maintain', 'Monitor'] as const;
const COLUMNS = ['account_id', 'tier', 'shortlist', 'reason', 'owner', 'expires'] as const;

/** Parses an overrides table; every bad cell is an issue with its line and column. */
export function parseOverrides(table: RawTable): ParsedOverrides {
  const at = new Map<string, number>();
  table.header.forEach((h, i) => {
    const key = normaliseHeader(h).replace(/ /g, '_');
    if (!at.has(key)) at.set(key, i);
  });
  const issues: { line: number; column: string; message: string }[] = [];
  const missing = ['account_id', 'reason', 'owner', 'expires'].filter((c) => !at.has(c));
  if (!at.has('tier') && !at.has('shortlist')) missing.push('tier or shortlist');
  if (missing.length > 0) {
    issues.push({
      line: table.headerLine,
      column: missing.join(', '),
      message: cellProblemText({ reason: 'missing_columns', file: 'overrides', needs: COLUMNS }),
    });
    return { rows: [], issues };
  }
  const rows: OverrideRow[] = [];
  for (const rec of table.records) {
    const cell = (c: string): string => (at.has(c) ? (rec.cells[at.get(c)!] ?? '').trim() : '');
    const before = issues.length;
    const id = cell('account_id');
    if (id === '') issues.push({ line: rec.line, column: 'account_id', message: cellProblemText({ reason: 'override_blank', what: 'account_id' }) });
    const tierText = cell('tier');
    const tier = OVERRIDE_TIERS.find((t) => t.toLowerCase() === tierText.toLowerCase());
    if (tierText !== '' && tier === undefined)
      issues.push({ line: rec.line, column: 'tier', message: cellProblemText({ reason: 'override_tier', cell: tierText, tiers: OVERRIDE_TIERS }) });
    const slText = cell('shortlist');
    let shortlist: boolean | undefined;
    if (slText !== '') {
      const word = slText.toLowerCase();
      const b =
        word === 'in' ? true : word === 'out' ? false : parseBoolean(slText).kind === 'value' ? (parseBoolean(slText) as { value: boolean }).value : undefined;
      if (b === undefined) issues.push({ line: rec.line, column: 'shortlist', message: cellProblemText({ reason: 'override_shortlist', cell: slText }) });
      shortlist = b;
    }
    if (tierText === '' && slText === '')
      issues.push({ line: rec.line, column: 'tier, shortlist', message: cellProblemText({ reason: 'override_blank', what: 'tier_or_shortlist' }) });
    for (const c of ['reason', 'owner'] as const) {
      if (cell(c) === '') issues.push({ line: rec.line, column: c, message: cellProblemText({ reason: 'override_blank', what: c }) });
    }
    const d = parseDate(cell('expires'));
    if (d.kind === 'missing') issues.push({ line: rec.line, column: 'expires', message: cellProblemText({ reason: 'override_blank', what: 'expires' }) });
    else if (d.kind === 'error') issues.push({ line: rec.line, column: 'expires', message: d.message });
    if (issues.length === before && d.kind === 'value') {
      rows.push({ line: rec.line, accountId: id, tier, shortlist, reason: cell('reason'), owner: cell('owner'), expires: d.value });
    }
  }
  return { rows, issues };
}
