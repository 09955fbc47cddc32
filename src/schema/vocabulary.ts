/**
 * What header words mean: one decision list per table kind that says which concepts a
 * field's header must and must not hold (the concepts, in the CRMs' main UI languages, are
 * ./concepts-measures.ts and ./concepts-entities.ts). This replaces alias lists:
 * `Revenue (Last 12 Months)`, `Umsatz letzte 12 Monate`, `Revenue_LTM__c` and
 * `CA 12 mois (k€)` all reach `revenue` through the same rule.
 *
 * Pure data and pure functions; `./mapping.ts` applies presets, overrides and precedence.
 */
import { FIELD_TYPES, type Field, type FieldType, type TableKind } from './fields.ts';
import type { HeaderReading } from './header-words.ts';
import {
  ACCOUNTS_OTHER,
  ACCOUNT_ENTITY,
  AMOUNT,
  CLOSE,
  CLOSED,
  COUNTRY,
  CURRENCY,
  DEAL_ENTITY,
  EMPLOYEES,
  EXPECTED,
  ID,
  IDENTITY_NEUTRAL,
  INDUSTRY,
  NAME,
  NUMBER,
  PEOPLE_AND_LINKS,
  SECONDARY_PLACE,
  STAGE,
  STATUS,
  WEIGHTED,
  WON,
} from './concepts-entities.ts';
import {
  ANNUAL,
  CHURN,
  COMPANY_OWN,
  DATE_WORDS,
  FIT,
  GROWTH,
  MARGIN,
  MONTHLY,
  NOT_ACTUAL,
  NOT_THE_FIGURE,
  SHARE_OF,
  OPEN_DEALS,
  PARTIAL_PERIOD,
  PIPELINE,
  POTENTIAL,
  PROBABILITY,
  RECURRING,
  RETENTION,
  REVENUE,
  SALES,
  SALES_AMOUNT,
  SCORE_LIKE,
  STRATEGIC,
  STRATEGIC_QUALIFIER,
  TURNOVER,
  WON_DEALS,
  type Concept,
} from './concepts-measures.ts';
import { isVocabularyWord } from './vocabulary-words.ts';

/** Why a column that looks like a field does not feed it (rendered to words by the command). */
export type NearReason =
  | 'lifetime' // a lifetime total, not the last 12 months
  | 'partial_period' // year to date, a quarter
  | 'monthly' // a month, not 12 months
  | 'not_money' // a score or rating, not an amount
  | 'unit' // its annotation gives a unit the field cannot take ('Margin (€)')
  | 'ambiguous' // a word that often means this field, but not always ('Rating')
  | 'rating_or_flag' // a rating, or as often a yes/no column, which only a config flag reads ('Strategic account')
  | 'company_size'; // the account's own annual revenue, not what it brings us (SCORING.md's trap)

/** What the vocabulary makes of one header. */
export interface WordsMatch {
  /** The field, or undefined when the header means something else. */
  readonly field: Field | undefined;
  /** 3 explicit (a period, kam's own name), 2 ordinary, 1 weak (a word that often means something else). */
  readonly strength: number;
  /** For an unmapped header that looks like a model input: the field it looks like, and why it is not used. */
  readonly near?: { readonly field: Field; readonly reason: NearReason } | undefined;
}

interface Rule {
  readonly field: Field | undefined;
  /** Each concept must be present. */
  readonly all?: readonly Concept[];
  /** At least one of these concepts must be present. */
  readonly any?: readonly Concept[];
  /** The rule does not apply when any of these is present. */
  readonly none?: readonly Concept[];
  /** Every word of the header must belong to one of these concepts (identity fields). */
  readonly only?: readonly Concept[];
  /** The header's period annotation must be this. */
  readonly period?: '12m' | 'lifetime';
  readonly strength?: number;
  readonly near?: { readonly field: Field; readonly reason: NearReason };
}

const ACCOUNT_RULES: readonly Rule[] = [
  // Identity: every word must be an id / name word, an account word or a neutral one.
  { field: 'account_id', all: [ID], only: [ID, ACCOUNT_ENTITY, IDENTITY_NEUTRAL] },
  { field: 'account_id', all: [NUMBER, ACCOUNT_ENTITY], only: [NUMBER, ACCOUNT_ENTITY, IDENTITY_NEUTRAL], strength: 1 },
  { field: 'account_name', all: [NAME], only: [NAME, ACCOUNT_ENTITY, IDENTITY_NEUTRAL] },
  { field: 'account_name', all: [ACCOUNT_ENTITY], only: [ACCOUNT_ENTITY, IDENTITY_NEUTRAL], strength: 1 },
  { field: undefined, any: [ACCOUNTS_OTHER] },
  // Open pipeline before revenue and potential ('Pipeline Revenue', 'Open Pipeline (€)').
  { field: 'pipeline', all: [PIPELINE], none: [PROBABILITY, SCORE_LIKE, DATE_WORDS, ['count', 'number', 'anzahl', 'nombre de']] },
  { field: 'pipeline', all: [OPEN_DEALS, SALES_AMOUNT], none: [PROBABILITY, ['count', 'number', 'anzahl', 'nombre de']] },
  { field: undefined, all: [OPEN_DEALS] },
  { field: undefined, all: [WON_DEALS, SALES_AMOUNT], near: { field: 'revenue', reason: 'lifetime' } },
  { field: undefined, all: [WON_DEALS] },
  { field: undefined, all: [POTENTIAL], any: [SCORE_LIKE, PROBABILITY], near: { field: 'potential_revenue', reason: 'not_money' } },
  // A potential is an estimate by nature ('Wallet estimate', 'Expected potential'); a goal, a loss or a band of it is not one.
  { field: 'potential_revenue', all: [POTENTIAL], none: [NOT_THE_FIGURE, DATE_WORDS, GROWTH] },
  {
    field: undefined,
    all: [POTENTIAL],
    any: [NOT_THE_FIGURE],
    none: [DATE_WORDS, GROWTH, SHARE_OF],
    near: { field: 'potential_revenue', reason: 'ambiguous' },
  },
  { field: 'growth_rate', all: [GROWTH], none: [DATE_WORDS, ['amount', 'absolute', 'betrag', 'montant', 'importe']] },
  { field: 'gross_margin', all: [MARGIN], none: [DATE_WORDS, ['amount', 'absolute', 'betrag', 'montant', 'importe', 'total']] },
  { field: 'churn_risk', all: [CHURN], none: [DATE_WORDS, ['reason', 'grund', 'raison', 'motivo', 'reden']] },
  { field: 'retention_rate', all: [RETENTION], none: [DATE_WORDS, ['reason', 'grund', 'raison', 'motivo', 'reden', 'owner']] },
  { field: 'strategic_value', all: [STRATEGIC, STRATEGIC_QUALIFIER], none: [DATE_WORDS, ['plan', 'notes']] },
  { field: 'strategic_value', all: [STRATEGIC], only: [STRATEGIC] },
  { field: undefined, all: [STRATEGIC], none: [DATE_WORDS, ['plan', 'notes']], near: { field: 'strategic_value', reason: 'rating_or_flag' } },
  { field: 'product_fit', all: [FIT], none: [DATE_WORDS] },
  // Revenue: the account's own size first (the trap SCORING.md warns about), then periods.
  { field: 'revenue', all: [REVENUE, RECURRING], none: [MONTHLY, NOT_ACTUAL] },
  { field: 'revenue', all: [['arr']], none: [NOT_ACTUAL] },
  { field: 'company_revenue', all: [REVENUE, ANNUAL], any: [['estimated', 'est', 'estimate']], none: [POTENTIAL, ['forecast', 'target', 'budget']] },
  { field: 'company_revenue', all: [REVENUE, ANNUAL], none: [NOT_ACTUAL, POTENTIAL] },
  { field: 'company_revenue', all: [REVENUE, COMPANY_OWN], none: [NOT_ACTUAL, POTENTIAL] },
  { field: 'company_revenue', all: [TURNOVER], none: [NOT_ACTUAL] },
  { field: undefined, all: [REVENUE], any: [MONTHLY], none: [NOT_ACTUAL], near: { field: 'revenue', reason: 'monthly' } },
  { field: undefined, all: [REVENUE], any: [PARTIAL_PERIOD], none: [NOT_ACTUAL], near: { field: 'revenue', reason: 'partial_period' } },
  { field: undefined, all: [REVENUE], any: [SCORE_LIKE], near: { field: 'revenue', reason: 'not_money' } },
  { field: undefined, all: [REVENUE], any: [NOT_ACTUAL] },
  { field: 'revenue', all: [REVENUE], period: '12m', strength: 3 },
  { field: undefined, all: [REVENUE], period: 'lifetime', near: { field: 'revenue', reason: 'lifetime' } },
  { field: 'revenue', all: [REVENUE] },
  { field: undefined, all: [SALES], any: [MONTHLY, PARTIAL_PERIOD, NOT_ACTUAL, SCORE_LIKE] },
  { field: 'revenue', all: [SALES], period: '12m', strength: 3 },
  { field: undefined, all: [SALES], period: 'lifetime', near: { field: 'revenue', reason: 'lifetime' } },
  { field: 'revenue', all: [SALES, SALES_AMOUNT] },
  { field: 'employees', all: [EMPLOYEES], none: [NOT_ACTUAL, ['growth']] },
  { field: 'industry', all: [INDUSTRY], none: [['code', 'id']] },
  { field: 'industry', all: [INDUSTRY], strength: 1 },
  { field: 'country', all: [COUNTRY], any: [SECONDARY_PLACE], strength: 1 },
  { field: 'country', all: [COUNTRY] },
  { field: 'currency', all: [CURRENCY] },
  {
    field: undefined,
    only: [['rating', 'priority', 'prioritat', 'priorite', 'prioridad', 'priorita', 'prioriteit', 'prioridade']],
    near: { field: 'strategic_value', reason: 'ambiguous' },
  },
];

const DEAL_RULES: readonly Rule[] = [
  { field: 'deal_account_id', all: [ACCOUNT_ENTITY, ID], only: [ACCOUNT_ENTITY, ID, IDENTITY_NEUTRAL] },
  { field: 'deal_account_id', all: [ACCOUNT_ENTITY, NUMBER], only: [ACCOUNT_ENTITY, NUMBER, IDENTITY_NEUTRAL], strength: 1 },
  { field: 'deal_id', all: [ID], only: [ID, DEAL_ENTITY, IDENTITY_NEUTRAL] },
  { field: 'deal_account_name', all: [ACCOUNT_ENTITY, NAME], only: [ACCOUNT_ENTITY, NAME, IDENTITY_NEUTRAL] },
  { field: 'deal_account_name', all: [ACCOUNT_ENTITY], only: [ACCOUNT_ENTITY, IDENTITY_NEUTRAL], strength: 1 },
  { field: 'is_won', all: [WON], none: [DATE_WORDS, ['reason', 'amount', 'value', 'lost']] },
  { field: 'is_closed', all: [CLOSED], none: [DATE_WORDS, WON, ['reason', 'amount', 'value', 'lost']] },
  { field: 'close_date', all: [CLOSE, DATE_WORDS], none: [EXPECTED, WON] },
  { field: 'close_date', all: [CLOSE, DATE_WORDS], strength: 1 },
  { field: 'close_date', all: [['abschlussdatum', 'sluitingsdatum', 'closedate']] },
  { field: undefined, any: [PEOPLE_AND_LINKS] },
  { field: 'stage', all: [STAGE], none: [['probability', 'date', 'duration', 'days', 'age']] },
  { field: 'stage', all: [STATUS], only: [STATUS, DEAL_ENTITY, IDENTITY_NEUTRAL], strength: 1 },
  { field: undefined, any: [PROBABILITY, WEIGHTED] },
  { field: 'amount', all: [AMOUNT], none: [NOT_ACTUAL, MONTHLY, ANNUAL, RECURRING] },
  { field: 'amount', all: [REVENUE], none: [NOT_ACTUAL, MONTHLY, ANNUAL], strength: 1 },
  { field: 'currency', all: [CURRENCY] },
];

const RULES: Readonly<Record<TableKind, readonly Rule[]>> = { accounts: ACCOUNT_RULES, deals: DEAL_RULES };

function has(text: string, concept: Concept): boolean {
  for (const phrase of concept) if (text.includes(` ${phrase} `)) return true;
  return false;
}

/** Does every word of the header belong to one of the concepts? */
function onlyOf(reading: HeaderReading, concepts: readonly Concept[]): boolean {
  let rest = reading.text;
  for (const concept of concepts) {
    // Longest phrases first, so 'third party' goes before 'party'.
    for (const phrase of [...concept].sort((a, b) => b.length - a.length)) {
      while (rest.includes(` ${phrase} `)) rest = rest.replace(` ${phrase} `, ' ');
    }
  }
  return rest.trim() === '';
}

function applies(rule: Rule, reading: HeaderReading): boolean {
  const t = reading.text;
  if (rule.all && !rule.all.every((c) => has(t, c))) return false;
  if (rule.any && !rule.any.some((c) => has(t, c))) return false;
  if (rule.none && rule.none.some((c) => has(t, c))) return false;
  if (rule.period !== undefined && reading.annotations.period !== rule.period) return false;
  if (rule.only && !onlyOf(reading, rule.only)) return false;
  return true;
}

/** kam's own snake_case names, written as kam writes them ('potential_revenue'): the most explicit claim. */
function canonicalName(header: string, fields: readonly Field[]): Field | undefined {
  const h = header.trim();
  return fields.find((f) => f === h);
}

/** The unit kind a field's cells take (its FIELD_TYPES entry), to check a header's annotation against it. */
type UnitKind = 'money' | 'percent' | 'rating' | 'other';
function unitKind(field: Field): UnitKind {
  const type: FieldType = FIELD_TYPES[field];
  return type === 'money' || type === 'percent' || type === 'rating' ? type : 'other';
}

/** An annotation the field cannot take ('Margin (€)' is an amount, 'Revenue (%)' a share, 'Potential (1-5)' a score). */
function unitClash(field: Field, reading: HeaderReading): boolean {
  const a = reading.annotations;
  const kind = unitKind(field);
  const money = a.currency !== undefined || a.scale !== undefined;
  const rating = a.ratingScale !== undefined || a.ratingWords !== undefined;
  if (kind === 'money') return a.percent === true || rating;
  if (kind === 'percent') return money || rating;
  if (kind === 'rating') return money || a.percent === true;
  return false;
}

/**
 * What a header's words mean in a table of `kind`: the first rule of the decision list that
 * applies decides. kam's own snake_case names come first.
 */
export function matchWords(header: string, reading: HeaderReading, kind: TableKind, fields: readonly Field[]): WordsMatch {
  const own = canonicalName(header, fields);
  if (own !== undefined) {
    if (unitClash(own, reading)) return { field: undefined, strength: 0, near: { field: own, reason: 'unit' } };
    return own === 'company_revenue' ? { field: own, strength: 4, near: { field: 'revenue', reason: 'company_size' } } : { field: own, strength: 4 };
  }
  for (const rule of RULES[kind]) {
    if (!applies(rule, reading)) continue;
    if (rule.field === undefined) return { field: undefined, strength: 0, near: rule.near };
    if (unitClash(rule.field, reading)) return { field: undefined, strength: 0, near: { field: rule.field, reason: 'unit' } };
    const strength = rule.strength ?? 2;
    const near = rule.field === 'company_revenue' ? { near: { field: 'revenue' as const, reason: 'company_size' as const } } : {};
    // A word the vocabulary does not know makes the claim less specific ('Opp Close Date_Simulated' < 'CloseDate').
    return { field: rule.field, strength: rule.only === undefined && hasUnknownWord(reading) ? Math.max(1, strength - 1) : strength, ...near };
  }
  return { field: undefined, strength: 0 };
}

function hasUnknownWord(reading: HeaderReading): boolean {
  return reading.words.some((w) => !isVocabularyWord(w) && !/^\d+[a-z]?$/.test(w) && !/^(?:fy|cy|gj|ej|q|h|l)\d+[a-z]?$/.test(w));
}
