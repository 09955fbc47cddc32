import type { ShortlistRule } from '../core/diff.ts';
import type { Criterion } from '../core/types.ts';
import { ruleText } from './followup-text.ts';

/**
 * The notes and warnings the commands say on stderr about a run, as typed codes with their
 * data, worded in one place (`noteText`), as schema's issue codes are: a command decides on
 * the code, never on the words. `NOTE_LEVEL` says which are warnings.
 */
export type RunNote =
  // kam diff
  | { readonly code: 'shortlist_rule_differs'; readonly before: ShortlistRule; readonly after: ShortlistRule }
  | { readonly code: 'model_changed'; readonly before: string | undefined; readonly after: string | undefined }
  // the config and the mapping
  | { readonly code: 'config_applied'; readonly path: string }
  | { readonly code: 'criteria_unfed'; readonly missing: readonly Criterion[]; readonly used: readonly Criterion[] }
  | { readonly code: 'currency_rates_unused'; readonly source: string; readonly currencies: readonly string[] }
  | { readonly code: 'config_column_missing'; readonly header: string; readonly source: string }
  // reading
  | { readonly code: 'zero_rows'; readonly source: string | undefined }
  | { readonly code: 'invisible_cells'; readonly cells: number }
  // --deals
  | { readonly code: 'deals_counts'; readonly read: number; readonly matched: number; readonly accountLess: number; readonly unmatched: number; readonly rejected: number }
  | { readonly code: 'deals_unmatched'; readonly deals: number; readonly by: string; readonly accounts: string; readonly keys: readonly { readonly key: string; readonly deals: number }[] }
  | { readonly code: 'deals_shared_names'; readonly names: readonly string[] }
  | { readonly code: 'deals_no_closed' }
  | { readonly code: 'deals_short_history'; readonly start: string; readonly asOf: string }
  | { readonly code: 'deals_no_growth'; readonly from: string }
  | { readonly code: 'deals_open_blank'; readonly deals: number }
  | { readonly code: 'deals_filled'; readonly asOf: string; readonly fields: readonly { readonly field: string; readonly filled: number; readonly kept: number }[] }
  // gates
  | { readonly code: 'gates_applied'; readonly gated: number; readonly rules: readonly { readonly rule: string; readonly gated: number }[] }
  | { readonly code: 'gate_not_applied'; readonly rule: string; readonly why: string }
  | { readonly code: 'gate_missing_values'; readonly rule: string; readonly accounts: number; readonly source: string };

export type RunNoteCode = RunNote['code'];

/** How each note is introduced: `warning: `, `note: `, or plainly. */
export const NOTE_LEVEL: Readonly<Record<RunNoteCode, 'warning' | 'note' | 'plain'>> = {
  shortlist_rule_differs: 'warning',
  model_changed: 'note',
  config_applied: 'plain',
  criteria_unfed: 'warning',
  currency_rates_unused: 'warning',
  config_column_missing: 'warning',
  zero_rows: 'warning',
  invisible_cells: 'plain',
  deals_counts: 'plain',
  deals_unmatched: 'plain',
  deals_shared_names: 'plain',
  deals_no_closed: 'plain',
  deals_short_history: 'plain',
  deals_no_growth: 'plain',
  deals_open_blank: 'plain',
  deals_filled: 'plain',
  gates_applied: 'plain',
  gate_not_applied: 'warning',
  gate_missing_values: 'plain',
};

/** 'a alone', 'a and b', 'a, b and c'. */
const andList = (xs: readonly string[]): string => (xs.length === 1 ? `${xs[0]} alone` : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

/** The note's words, without `kam: ` and without its level. */
function words(n: RunNote): string {
  switch (n.code) {
    case 'shortlist_rule_differs':
      return `the shortlist is ${ruleText(n.before)} before and ${ruleText(n.after)} after; use --shortlist N to compare like with like`;
    case 'model_changed':
      return `the model changed between the two sides (kam_model ${n.before ?? 'unknown'} -> ${n.after ?? 'unknown'}): part of every score change is the model's, not the account's`;
    case 'config_applied':
      return `config ${n.path} applied`;
    case 'criteria_unfed':
      return `no column feeds ${n.missing.join(', ')}: scores use ${andList(n.used)}`;
    case 'currency_rates_unused':
      return `config currency.rates: no value of ${n.source} is in ${n.currencies.join(', ')} (the rate${n.currencies.length === 1 ? ' is' : 's are'} kept for other exports)`;
    case 'config_column_missing':
      return `config columns: no column '${n.header}' in ${n.source} (the entry is kept for other exports)`;
    case 'zero_rows':
      return n.source === undefined ? '0 data rows' : `${n.source} has 0 data rows`;
    case 'invisible_cells':
      return `${n.cells} ${n.cells === 1 ? 'cell holds' : 'cells hold'} bidi or zero-width characters (kept as they are)`;
    case 'deals_counts':
      return `deals: ${n.read} read, ${n.matched} matched, ${n.accountLess} without an account, ${n.unmatched} unmatched, ${n.rejected} rejected`;
    case 'deals_unmatched': {
      const shown = n.keys.slice(0, 5).map((u) => `'${u.key}' (${u.deals})`);
      const more = n.keys.length > 5 ? `, ... and ${n.keys.length - 5} more` : '';
      return `deals: ${n.deals} deal(s) name an account (by ${n.by}) not among the valid rows of ${n.accounts}: ${shown.join(', ')}${more}`;
    }
    case 'deals_shared_names':
      return `deals: ${n.names.length} account name(s) are shared by several accounts; their deals go to the first: ${n.names.slice(0, 5).join(', ')}`;
    case 'deals_no_closed':
      return 'deals: no closed deal in the file: revenue is 0 for every account with deals';
    case 'deals_short_history':
      return `deals: closed deals start ${n.start}: revenue covers less than the 12 months to ${n.asOf}`;
    case 'deals_no_growth':
      return `deals: growth_rate not derived: it needs closed deals back to ${n.from}`;
    case 'deals_open_blank':
      return `deals: ${n.deals} matched open deal(s) have a blank amount: they add nothing to pipeline`;
    case 'deals_filled': {
      const counts = n.fields.map((f) => `${f.field} on ${f.filled}${f.kept ? ` (the accounts file's own value kept on ${f.kept})` : ''}`);
      return `deals: filled from deals as of ${n.asOf}: ${counts.join(', ')} account(s)`;
    }
    case 'gates_applied':
      return `gates: ${n.gated} account(s) gated${n.gated > 0 ? ` (${n.rules.filter((c) => c.gated > 0).map((c) => `${c.rule}: ${c.gated}`).join('; ')})` : ''}: tier Gated, never Key or on the shortlist`;
    case 'gate_not_applied':
      return `gate '${n.rule}' not applied: ${n.why}`;
    case 'gate_missing_values':
      return `gate '${n.rule}': ${n.accounts} account(s) of ${n.source} have no usable value for it and were not judged by it`;
  }
}

/** The note in words with its level (`warning: ...`), without `kam: `. */
export function noteText(n: RunNote): string {
  const level = NOTE_LEVEL[n.code];
  return `${level === 'plain' ? '' : `${level}: `}${words(n)}`;
}

/** The note as a stderr line: `kam: ` (or `kam: <file>: `, the prefix given) and its words. */
export const noteLine = (n: RunNote, prefix = 'kam: '): string => `${prefix}${noteText(n)}`;
