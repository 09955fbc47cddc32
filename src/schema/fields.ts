/**
 * kam's canonical fields (SCORING.md §1): every input column maps onto at most one of these.
 * Pure data, and the one table of field types: the account and deal row rules
 * (schema/row-rules.ts), the config's field names and the gates derive from it.
 */

/** Canonical fields of an accounts file, in documentation order. */
export const ACCOUNT_FIELDS = [
  'account_id',
  'account_name',
  'revenue',
  'company_revenue',
  'potential_revenue',
  'pipeline',
  'growth_rate',
  'gross_margin',
  'retention_rate',
  'churn_risk',
  'product_fit',
  'strategic_value',
  'industry',
  'country',
  'employees',
  'currency',
] as const;
/** One canonical accounts field. */
export type AccountField = (typeof ACCOUNT_FIELDS)[number];

/** Canonical fields of a deals (opportunities) file, in documentation order. */
export const DEAL_FIELDS = ['deal_id', 'deal_account_id', 'deal_account_name', 'amount', 'stage', 'is_won', 'is_closed', 'close_date', 'currency'] as const;
/** One canonical deals field. */
export type DealField = (typeof DEAL_FIELDS)[number];

/** Which kind of table a file holds. */
export type TableKind = 'accounts' | 'deals';
/** Any canonical field, of either table. */
export type Field = AccountField | DealField;
/** How a field's cells are parsed. */
export type FieldType = 'id' | 'text' | 'money' | 'percent' | 'rating' | 'integer' | 'boolean' | 'date' | 'currency';

/** The canonical fields of each table kind. */
export const FIELDS_BY_KIND: Readonly<Record<TableKind, readonly Field[]>> = {
  accounts: ACCOUNT_FIELDS,
  deals: DEAL_FIELDS,
};

/** The cell type of each canonical field: the one source of truth for how its cells are read. */
export const FIELD_TYPES = {
  account_id: 'id',
  account_name: 'text',
  revenue: 'money',
  company_revenue: 'money',
  potential_revenue: 'money',
  pipeline: 'money',
  growth_rate: 'percent',
  gross_margin: 'percent',
  retention_rate: 'percent',
  churn_risk: 'percent',
  product_fit: 'rating',
  strategic_value: 'rating',
  industry: 'text',
  country: 'text',
  employees: 'integer',
  currency: 'currency',
  deal_id: 'id',
  deal_account_id: 'id',
  deal_account_name: 'text',
  amount: 'money',
  stage: 'text',
  is_won: 'boolean',
  is_closed: 'boolean',
  close_date: 'date',
} as const satisfies Readonly<Record<Field, FieldType>>;

/** The fields of `fields` whose cells are of type T. */
export type FieldsOfType<F extends Field, T extends FieldType> = { [K in F]: (typeof FIELD_TYPES)[K] extends T ? K : never }[F];

/** The fields of one list whose type is `type`, in the list's order. */
export function fieldsOfType<F extends Field, T extends FieldType>(fields: readonly F[], type: T): readonly FieldsOfType<F, T>[] {
  return fields.filter((f): f is F & FieldsOfType<F, T> => (FIELD_TYPES as Readonly<Record<Field, FieldType>>)[f] === type);
}

/** Every canonical field once (accounts first, then deals), as the config's `columns` names them. */
export const ALL_FIELDS: readonly Field[] = [...new Set<Field>([...ACCOUNT_FIELDS, ...DEAL_FIELDS])];

/** One line per field, in users' words (for `kam columns` and the README). */
export const FIELD_DESCRIPTIONS: Readonly<Record<Field, string>> = {
  account_id: 'unique identifier of the account (required unless account names are unique)',
  account_name: 'display name of the account (required)',
  revenue: 'revenue we earned from the account in the last 12 months',
  company_revenue: 'the account\'s own annual revenue (CRM "Annual Revenue"); context only, never scored as volume',
  potential_revenue: 'annual revenue we could realistically earn from the account (wallet estimate)',
  pipeline: 'amount of open opportunities with the account',
  growth_rate: "expected yearly growth of the account's spend with us (percent, may be negative)",
  gross_margin: 'our gross margin on the account (percent)',
  retention_rate: 'chance the account stays with us next year (percent)',
  churn_risk: 'chance the account leaves next year (percent); retention_rate wins when both are given',
  product_fit: 'how well our offer fits the account (rating: 1-5, 1-10, 0-100 or words like High/Low)',
  strategic_value: 'strategic importance: reputation, shared vision, partnership (rating; Hot/Warm/Cold accepted)',
  industry: 'industry or sector, for ideal-customer-profile rules',
  country: 'country, for ideal-customer-profile rules',
  employees: 'number of employees, for ideal-customer-profile rules',
  currency: "ISO code of the row's money values (e.g. EUR); needed only when a file mixes currencies",
  deal_id: 'unique identifier of the deal',
  deal_account_id: 'identifier of the account the deal belongs to (matches account_id)',
  deal_account_name: 'name of the account the deal belongs to (used when there is no account id)',
  amount: 'deal amount',
  stage: 'deal stage or status (e.g. Prospecting, Closed Won, won, lost)',
  is_won: 'whether the deal was won (true/false, yes/no, 1/0)',
  is_closed: 'whether the deal is closed (true/false, yes/no, 1/0)',
  close_date: 'date the deal closed or is expected to close',
};

/**
 * Fields whose column changes what kam computes (scores, joins, currencies): a column that
 * looks like one of these but feeds nothing is worth a warning. The firmographics count only
 * when ideal-customer-profile rules use them; company_revenue is context, never scored.
 */
export function modelInputs(kind: TableKind, hasIcpRules: boolean): ReadonlySet<Field> {
  if (kind === 'deals') return new Set<Field>(DEAL_FIELDS.filter((f) => f !== 'deal_id'));
  return new Set<Field>(ACCOUNT_FIELDS.filter((f) => f !== 'company_revenue' && (hasIcpRules || !ICP_FIELDS.includes(f))));
}

/** The firmographics: inputs only through ideal-customer-profile rules. */
const ICP_FIELDS: readonly AccountField[] = ['industry', 'country', 'employees'];

/** Account fields read as numbers (money, percents, ratings, counts): an accounts file has at least one. */
export const NUMBER_FIELDS: readonly AccountField[] = ACCOUNT_FIELDS.filter((f) => ['money', 'percent', 'rating', 'integer'].includes(FIELD_TYPES[f]));

/** The five criteria, as `criteriaFed` reports them. */
export type FedCriteria = Record<'volume' | 'potential' | 'ltv' | 'fit' | 'strategic', boolean>;

/**
 * Which of the five criteria the file's columns can feed (SCORING.md §2): volume needs
 * revenue; potential needs potential_revenue, pipeline or growth_rate; ltv needs revenue and
 * gross_margin (clv); fit needs product_fit, or ICP rules plus industry/country/employees;
 * strategic needs strategic_value or configured flag columns.
 */
export function criteriaFed(fields: ReadonlySet<AccountField>, hasIcpRules: boolean, flagColumns: number): FedCriteria {
  const has = (f: AccountField): boolean => fields.has(f);
  return {
    volume: has('revenue'),
    potential: has('potential_revenue') || has('pipeline') || has('growth_rate'),
    ltv: has('revenue') && has('gross_margin'),
    fit: has('product_fit') || (hasIcpRules && (has('industry') || has('country') || has('employees'))),
    strategic: has('strategic_value') || flagColumns > 0,
  };
}
