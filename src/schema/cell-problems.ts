/**
 * Why a cell is not a value of its kind, as a typed reason with its data (the cell text, what
 * was expected, the decimal separator in force, ...), and the one place the reasons become
 * words (`cellProblemText`): the message of a row issue, byte for byte what users read. The
 * grammars (number, date, rating, yes/no, ids) and the cell rules decide on the reason only.
 */
import type { DealStatus } from '../core/rollup.ts';
import { quote } from './text-scan.ts';

/** What a number cell was read as, for its message. */
export type NumberKind = 'amount' | 'number' | 'percentage';

/** Why a deal's status cannot be settled from its stage, is_won and is_closed. */
export type StatusProblem =
  | { readonly reason: 'won_not_closed' }
  | { readonly reason: 'stage_says_closed'; readonly stage: string; readonly status: DealStatus }
  | { readonly reason: 'stage_won_but_not_won'; readonly stage: string }
  | { readonly reason: 'stage_blank' };

/** One problem of one cell (or of a row's shape, for the checks every row gets). */
/** What a reshaped_by_kam problem adds to the kam_errors it read (the reader knows the row by it on every later read). */
export const RESHAPED_SUFFIX =
  ', as the kam run that wrote this file cut or padded the row to fit the header; fix the row in the original export, or clear its kam_errors once its cells are right';

export type CellProblem =
  // any cell
  | { readonly reason: 'spreadsheet_error'; readonly error: string }
  | { readonly reason: 'control_char' }
  | { readonly reason: 'ragged_row'; readonly expected: number; readonly got: number }
  /** A row of a file kam wrote that kam had cut or padded to the header's width (its kam_errors say so). */
  | { readonly reason: 'reshaped_by_kam'; readonly said: string }
  // numbers, money, percents
  | { readonly reason: 'not_a_number'; readonly cell: string; readonly expected: NumberKind }
  | { readonly reason: 'ungrouped'; readonly cell: string; readonly expected: NumberKind; readonly decimal: '.' | ',' }
  | { readonly reason: 'number_out_of_range'; readonly cell: string }
  | { readonly reason: 'negative'; readonly cell: string }
  | { readonly reason: 'count_range'; readonly cell: string }
  | { readonly reason: 'not_whole'; readonly cell: string }
  // ratings and yes/no
  | { readonly reason: 'not_a_rating'; readonly cell: string; readonly words: readonly string[]; readonly translations: boolean }
  | { readonly reason: 'not_yes_no'; readonly cell: string }
  // dates
  | { readonly reason: 'not_a_date'; readonly cell: string; readonly order: 'MDY' | 'DMY' | 'YMD' | undefined }
  | { readonly reason: 'date_serial'; readonly cell: string }
  | { readonly reason: 'date_ambiguous'; readonly cell: string }
  | { readonly reason: 'invalid_date'; readonly cell: string }
  // ids and currencies
  | { readonly reason: 'id_scientific'; readonly cell: string }
  | { readonly reason: 'not_a_currency'; readonly cell: string }
  // a row's values together
  | { readonly reason: 'carriage_return' }
  | { readonly reason: 'required'; readonly what: 'account_name' | 'account_id' }
  | { readonly reason: 'duplicate_id'; readonly what: string; readonly id: string; readonly firstLine: number; readonly written?: string }
  | { readonly reason: 'percent_range'; readonly field: 'gross_margin' | 'retention_rate' | 'churn_risk' }
  | {
      readonly reason: 'rating_scale';
      readonly value: number;
      readonly field: string;
      readonly scale: { readonly min: number; readonly max: number };
      /** When the scale was read off the column's values: how many lie within it. */
      readonly apparent?: { readonly within: number; readonly total: number };
    }
  | StatusProblem
  // the rows of a weights file (kam robust --weights) and an overrides file
  | { readonly reason: 'missing_columns'; readonly file: 'weights' | 'overrides'; readonly needs: readonly string[] }
  | { readonly reason: 'weight_blank' }
  | { readonly reason: 'weight_negative'; readonly cell: string }
  | { readonly reason: 'weights_all_zero' }
  | { readonly reason: 'override_blank'; readonly what: 'account_id' | 'tier_or_shortlist' | 'reason' | 'owner' | 'expires' }
  | { readonly reason: 'override_tier'; readonly cell: string; readonly tiers: readonly string[] }
  | { readonly reason: 'override_shortlist'; readonly cell: string }
  | { readonly reason: 'won_deal_needs'; readonly what: 'amount' | 'close_date' }
  | {
      readonly reason: 'converted_out_of_range';
      readonly cell: string;
      readonly rate: number;
      /** The currency converted into, when the message names it (accounts do; undefined base: 'the base currency'). */
      readonly into?: { readonly base: string | undefined };
      /** The header's scale, when not 1. */
      readonly scale?: number;
    };

const ARTICLE: Readonly<Record<NumberKind, string>> = { amount: 'an amount', number: 'a number', percentage: 'a percentage' };
/** A deal status (core/rollup.ts DealStatus: open 0, won 1, lost 2) in words. */
const STATUS_WORD = ['open', 'won', 'lost'] as const;
const SLASH_ORDER = { MDY: 'M/D/YYYY', DMY: 'D/M/YYYY', YMD: 'YYYY/M/D' } as const;
const WORD_START = /(^|[\s-])(\p{Ll})/gu;

/** 'expected a number or one of: High, Medium, Low, Hot, ...' for a rating. */
function ratingExpected(words: readonly string[], translations: boolean): string {
  const titles = words.map((k) => k.replace(WORD_START, (_m, pre: string, ch: string) => pre + ch.toUpperCase()));
  const also = translations ? ' (or High/Medium/Low in German, French, Spanish, Portuguese, Italian or Dutch)' : '';
  return `expected a number or one of: ${titles.join(', ')}${also}; the config's "ratings": { "words": ... } adds others`;
}

const OVERRIDE_BLANK_TEXT = {
  account_id: 'blank: name the account by its id',
  tier_or_shortlist: 'blank: give a tier or shortlist in/out',
  reason: 'blank: every override needs a reason',
  owner: 'blank: every override needs an owner',
  expires: 'blank: every override needs an expiry date (YYYY-MM-DD)',
} as const;

const PERCENT_RANGE_TEXT = {
  gross_margin: 'gross margin must lie within -100%..100%',
  retention_rate: 'retention rate must lie within 0%..100%',
  churn_risk: 'churn risk must lie within 0%..100%',
} as const;

/** A rating off its column's scale, with the config that would widen an apparent scale. */
function ratingScaleText(p: Extract<CellProblem, { reason: 'rating_scale' }>): string {
  const { value: v, scale, apparent } = p;
  if (apparent === undefined) return `rating ${v} is outside the column's scale ${scale.min}..${scale.max}`;
  return (
    `rating ${v} is outside the column's apparent scale ${scale.min}..${scale.max} (${apparent.within} of ${apparent.total} values lie within it); ` +
    `if the scale is larger, set it in the config: "ratings": { "scales": { "${p.field}": { "min": ${scale.min}, "max": ${scale.max === 5 ? 10 : 100} } } }`
  );
}

/** A duplicate id, with the cell as the row writes it when kam compared it as another text (trimmed, say). */
function duplicateText(p: Extract<CellProblem, { reason: 'duplicate_id' }>): string {
  const written = p.written === undefined ? '' : ` (this row writes it '${p.written}', which kam compares as '${p.id}')`;
  return `duplicate ${p.what} '${p.id}'${written}: first seen at line ${p.firstLine}`;
}

/** The message of a problem: what a row issue says after `file:line: column: `. */
export function cellProblemText(p: CellProblem): string {
  switch (p.reason) {
    case 'not_a_number':
      return `${quote(p.cell)} is not ${ARTICLE[p.expected]}`;
    case 'ungrouped':
      return `${quote(p.cell)} is not ${ARTICLE[p.expected]}: digits must be grouped in threes (decimal separator '${p.decimal}')`;
    case 'number_out_of_range':
      return `${quote(p.cell)} is out of range`;
    case 'negative':
      return `must not be negative (got ${p.cell.trim()})`;
    case 'count_range':
      return `'${p.cell.trim()}' is a range, not a number: write one count, or leave the column out with --map "Header=ignore"`;
    case 'not_whole':
      return `must be a whole number >= 0 (got ${p.cell.trim()})`;
    case 'not_a_rating':
      return `${quote(p.cell)} is not a rating (${ratingExpected(p.words, p.translations)})`;
    case 'not_yes_no':
      return `${quote(p.cell)} is not a yes/no value (expected true/false, yes/no, y/n, 1/0 or x)`;
    case 'spreadsheet_error':
      return `contains the spreadsheet error ${p.error}`;
    case 'control_char':
      return 'contains a control character (NUL or similar)';
    case 'ragged_row':
      return `expected ${p.expected} fields, got ${p.got}`;
    case 'reshaped_by_kam':
      return `${p.said}${RESHAPED_SUFFIX}`;
    case 'not_a_date':
      return `${quote(p.cell)} is not a date (expected ${p.order === undefined ? 'YYYY-MM-DD' : `YYYY-MM-DD or ${SLASH_ORDER[p.order]}`})`;
    case 'date_serial':
      return `${quote(p.cell)} looks like an Excel date serial; format the column as a date before exporting`;
    case 'date_ambiguous':
      return `ambiguous date ${quote(p.cell)}: pass --date-format M/D/YYYY or D/M/YYYY`;
    case 'invalid_date':
      return `${quote(p.cell)} is not a valid date`;
    case 'id_scientific':
      return `looks like an id Excel converted to scientific notation (${p.cell.trim()}): re-export it as text`;
    case 'not_a_currency':
      return `'${p.cell.trim()}' is not a currency (an ISO code such as EUR, a symbol such as €, or a currency name)`;
    case 'carriage_return':
      return 'contains a carriage return (CR), a control character';
    case 'required':
      return p.what === 'account_name' ? 'account name is required' : 'account id is blank';
    case 'duplicate_id':
      return duplicateText(p);
    case 'percent_range':
      return PERCENT_RANGE_TEXT[p.field];
    case 'rating_scale':
      return ratingScaleText(p);
    case 'missing_columns':
      return `missing column(s): ${p.file === 'weights' ? 'a weights file needs' : 'an overrides file has'} ${p.needs.join(', ')}`;
    case 'weight_blank':
      return 'blank: give 0 for a criterion this scenario leaves out';
    case 'weight_negative':
      return `'${p.cell.trim()}' is negative: weights are >= 0`;
    case 'weights_all_zero':
      return 'every weight is 0: a scenario needs a positive sum';
    case 'override_blank':
      return OVERRIDE_BLANK_TEXT[p.what];
    case 'override_tier':
      return `'${p.cell}' is not a tier an override can set (${p.tiers.join(', ')})`;
    case 'override_shortlist':
      return `'${p.cell}' is not in/out`;
    case 'won_not_closed':
      return 'is won but not closed';
    case 'stage_says_closed':
      return `stage '${p.stage}' says ${STATUS_WORD[p.status]} but the deal is not closed`;
    case 'stage_won_but_not_won':
      return `stage '${p.stage}' says won but is_won is false`;
    case 'stage_blank':
      return 'stage is blank';
    case 'won_deal_needs':
      return `a won deal needs ${p.what === 'amount' ? 'an amount' : 'a close date'}`;
    case 'converted_out_of_range': {
      const into = p.into === undefined ? '' : ` to ${p.into.base ?? 'the base currency'}`;
      const scaled = p.scale === undefined ? '' : `, × ${p.scale} as the header says`;
      return `'${p.cell.trim()}' is out of range once converted${into} (rate ${p.rate}${scaled})`;
    }
  }
}
