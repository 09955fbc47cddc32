import type { ShortlistRule } from '../core/diff.ts';
import { CRITERIA, type Criterion } from '../core/types.ts';
import type { UnusedColumn } from '../schema/mapping.ts';
import { ruleText } from './followup-text.ts';
import { unusedColumnsText } from './render-mapping.ts';

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
  | {
      readonly code: 'deals_counts';
      readonly read: number;
      readonly matched: number;
      readonly accountLess: number;
      readonly unmatched: number;
      readonly rejected: number;
    }
  | {
      readonly code: 'deals_unmatched';
      readonly deals: number;
      readonly by: string;
      readonly accounts: string;
      readonly keys: readonly { readonly key: string; readonly deals: number }[];
    }
  | { readonly code: 'deals_shared_names'; readonly names: readonly string[] }
  | { readonly code: 'deals_no_closed' }
  | { readonly code: 'deals_short_history'; readonly start: string; readonly asOf: string }
  | { readonly code: 'deals_no_growth'; readonly from: string }
  | { readonly code: 'deals_open_blank'; readonly deals: number }
  | {
      readonly code: 'deals_filled';
      readonly asOf: string;
      readonly fields: readonly { readonly field: string; readonly filled: number; readonly kept: number }[];
    }
  // gates
  | { readonly code: 'gates_applied'; readonly gated: number; readonly rules: readonly { readonly rule: string; readonly gated: number }[] }
  | { readonly code: 'gate_not_applied'; readonly rule: string; readonly why: string }
  | { readonly code: 'gate_missing_values'; readonly rule: string; readonly accounts: number; readonly source: string }
  // the mapping, scoring and snapshots
  | { readonly code: 'columns_unused'; readonly header: readonly string[]; readonly unused: readonly UnusedColumn[] }
  | { readonly code: 'columns_blank'; readonly columns: readonly { readonly header: string; readonly field: string }[] }
  | { readonly code: 'no_score'; readonly source: string; readonly file: string }
  | { readonly code: 'enriched_used_as_is'; readonly what: 'columns' | 'criteria' }
  | { readonly code: 'invalid_left_out_of_diff'; readonly rows: number; readonly total: number; readonly file: string }
  // --overrides (the prefix names the overrides file and line)
  | { readonly code: 'override_unknown_account'; readonly accountId: string; readonly accounts: string }
  | { readonly code: 'override_repeated'; readonly accountId: string; readonly holds: number }
  | { readonly code: 'override_expired'; readonly accountId: string; readonly expired: string }
  | { readonly code: 'override_expiring'; readonly accountId: string; readonly owner: string; readonly expires: string }
  | { readonly code: 'overrides_applied'; readonly active: number; readonly rows: number; readonly source: string }
  | { readonly code: 'overrides_shortlist_unused' }
  // kam robust
  | { readonly code: 'invalid_left_out_of_analysis'; readonly rows: number }
  | { readonly code: 'weights_columns_ignored'; readonly columns: readonly string[] }
  | {
      readonly code: 'robust_run';
      readonly weightings: number;
      readonly origin: { readonly kind: 'dirichlet'; readonly concentration: number; readonly seed: number } | { readonly kind: 'file'; readonly file: string };
      readonly shortlist: number | undefined;
      readonly top: number;
    };

type RunNoteCode = RunNote['code'];

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
  columns_unused: 'warning',
  columns_blank: 'warning',
  no_score: 'warning',
  enriched_used_as_is: 'plain',
  invalid_left_out_of_diff: 'plain',
  override_unknown_account: 'warning',
  override_repeated: 'warning',
  override_expired: 'plain',
  override_expiring: 'plain',
  overrides_applied: 'plain',
  overrides_shortlist_unused: 'plain',
  invalid_left_out_of_analysis: 'plain',
  weights_columns_ignored: 'plain',
  robust_run: 'plain',
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
      return `gates: ${n.gated} account(s) gated${
        n.gated > 0
          ? ` (${n.rules
              .filter((c) => c.gated > 0)
              .map((c) => `${c.rule}: ${c.gated}`)
              .join('; ')})`
          : ''
      }: tier Gated, never Key or on the shortlist`;
    case 'gate_not_applied':
      return `gate '${n.rule}' not applied: ${n.why}`;
    case 'gate_missing_values':
      return `gate '${n.rule}': ${n.accounts} account(s) of ${n.source} have no usable value for it and were not judged by it`;
    default:
      return moreWords(n);
  }
}

/** The words of the mapping, scoring, snapshot, overrides and robust notes. */
function moreWords(n: RunNote): string {
  switch (n.code) {
    case 'columns_unused':
      return unusedColumnsText(n.header, n.unused);
    case 'columns_blank': {
      const list = n.columns.map((c) => `'${c.header}' (${c.field})`).join(', ');
      const one = n.columns.length === 1;
      return `${one ? 'a mapped column is' : `${n.columns.length} mapped columns are`} blank on every valid row, so ${one ? 'it feeds' : 'they feed'} nothing: ${list}; fill ${one ? 'it' : 'them'} in before exporting`;
    }
    case 'no_score':
      return (
        `no column of ${n.source} feeds any of the five criteria, so no account has a score; ` +
        `\`kam columns ${n.file}\` shows how each column maps, and --map "Header=field" maps one`
      );
    case 'enriched_used_as_is':
      return `written by kam score: its kam_ ${n.what} are used as they are`;
    case 'invalid_left_out_of_diff':
      return `${n.rows} of ${n.total} row(s) invalid, left out of the diff (kam validate ${n.file} lists the reasons)`;
    case 'override_unknown_account':
      return `account_id '${n.accountId}' is not among the valid rows of ${n.accounts}: override ignored`;
    case 'override_repeated':
      return `a second override for '${n.accountId}': ignored (line ${n.holds} holds)`;
    case 'override_expired':
      return `override for '${n.accountId}' expired on ${n.expired}: ignored (renew it or delete the row)`;
    case 'override_expiring':
      return `override for '${n.accountId}' (${n.owner}) expires on ${n.expires}`;
    case 'overrides_applied':
      return `overrides: ${n.active} of ${n.rows} applied from ${n.source}`;
    case 'overrides_shortlist_unused':
      return "overrides: shortlist in/out has no effect without --shortlist N (or the config's shortlist)";
    case 'invalid_left_out_of_analysis':
      return `${n.rows} row(s) of tier Invalid left out of the analysis`;
    case 'weights_columns_ignored':
      return `column(s) ${n.columns.map((h) => `'${h}'`).join(', ')} ignored: a weights file has ${CRITERIA.join(', ')} and one label column`;
    case 'robust_run': {
      const o = n.origin;
      const from = o.kind === 'dirichlet' ? `sampled (concentration ${o.concentration}, seed ${o.seed})` : `from ${o.file}`;
      const shortlist = n.shortlist === undefined ? 'the Key tier' : `the best ${n.shortlist} Key/Develop accounts`;
      return `robust: ${n.weightings.toLocaleString('en-US')} weightings ${from}; shortlist: ${shortlist}; top k: ${n.top}`;
    }
    default:
      throw new Error(`run-notes: no words for ${n.code}`);
  }
}

/** The note in words with its level (`warning: ...`), without `kam: `. */
export function noteText(n: RunNote): string {
  const level = NOTE_LEVEL[n.code];
  return `${level === 'plain' ? '' : `${level}: `}${words(n)}`;
}

/** The note as a stderr line: `kam: ` (or `kam: <file>: `, the prefix given) and its words. */
export const noteLine = (n: RunNote, prefix = 'kam: '): string => `${prefix}${noteText(n)}`;
