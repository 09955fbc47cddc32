/**
 * CRM presets: which export headers mean which canonical field, per CRM and table kind.
 * Built from /work/shared/corpus/CRM-FORMATS.md and the real exports in the corpus.
 *
 * Keys are normalised header names (see `normaliseHeader` in ./mapping.ts): lower case,
 * single spaces, no trailing '*', no Pipedrive-style 'Entity - ' prefix. A key may also keep
 * the prefix ('organization - id') to tell a Pipedrive deal's columns apart from its
 * organization's; the mapper tries that qualified form first.
 *
 * The trap SCORING.md warns about: a CRM's "Annual Revenue" is the customer's own size, so
 * every preset maps it to company_revenue, never to revenue.
 */
import { ACCOUNT_FIELDS, DEAL_FIELDS, type AccountField, type DealField } from './fields.ts';

/** The presets, in detection tie-break order (generic last: it is the fallback). */
export const PRESET_NAMES = ['salesforce', 'hubspot', 'dynamics', 'pipedrive', 'zoho', 'odoo', 'suitecrm', 'generic'] as const;
/** One preset name, as given to `--preset`. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** How one CRM's exports name kam's fields. */
export interface Preset {
  readonly name: PresetName;
  /** Human name, e.g. 'Salesforce'. */
  readonly label: string;
  /** Normalised header -> accounts field. */
  readonly accounts: Readonly<Record<string, AccountField>>;
  /** Normalised header -> deals field. */
  readonly deals: Readonly<Record<string, DealField>>;
  /** Columns to ignore entirely (tested on the normalised header), e.g. Dynamics '(Do Not Modify) ...'. */
  readonly ignore: readonly RegExp[];
  /**
   * Headers that identify this CRM. Matched against the raw header (trimmed, lower case), its
   * normalised form and its 'entity - field' form; a trailing '*' matches any ending.
   */
  readonly markers: readonly string[];
}

type Table<F extends string> = Readonly<Record<string, F>>;

/** Builds a lookup table from `field: [header, ...]` lists, so each field's spellings sit together. */
function table<F extends string>(spec: Partial<Record<F, readonly string[]>>): Table<F> {
  const out: Record<string, F> = {};
  for (const [field, keys] of Object.entries(spec) as [F, readonly string[]][]) {
    for (const key of keys) {
      if (Object.hasOwn(out, key)) throw new Error(`preset key '${key}' listed twice`); // a bug in this file
      out[key] = field;
    }
  }
  return Object.freeze(out);
}

const spaced = (field: string): string => field.replaceAll('_', ' ');

/** kam's own names, written with spaces ('potential revenue'): what a snake_case header normalises to. */
export const CANONICAL_HEADERS: { readonly accounts: Table<AccountField>; readonly deals: Table<DealField> } = {
  accounts: Object.freeze(Object.fromEntries(ACCOUNT_FIELDS.map((f) => [spaced(f), f]))),
  deals: Object.freeze(Object.fromEntries(DEAL_FIELDS.map((f) => [spaced(f), f]))),
};

const salesforce: Preset = {
  name: 'salesforce',
  label: 'Salesforce',
  // API names (Data Loader upper case, sf CLI / SFDMU CamelCase) and report labels.
  accounts: table<AccountField>({
    account_id: ['id', 'account id'],
    account_name: ['name', 'account name'],
    company_revenue: ['annualrevenue', 'annual revenue'],
    employees: ['numberofemployees', 'employees'],
    industry: ['industry'],
    country: ['billingcountry', 'billing country'],
    // Salesforce's Rating picklist is Hot/Warm/Cold: the rep's judgement of how much the
    // account matters. SCORING.md gives those words rating values (Hot 100, Warm 50, Cold 0)
    // precisely so that this column can feed strategic_value.
    strategic_value: ['rating', 'account rating'],
    currency: ['currencyisocode', 'account currency', 'currency iso code'],
  }),
  deals: table<DealField>({
    deal_id: ['id', 'opportunity id'],
    deal_account_id: ['accountid', 'account id'],
    deal_account_name: ['account name', 'account.name'],
    amount: ['amount'],
    stage: ['stagename', 'stage'],
    is_won: ['iswon', 'won'],
    is_closed: ['isclosed', 'closed'],
    close_date: ['closedate', 'close date'],
    currency: ['currencyisocode', 'opportunity currency', 'currency iso code'],
  }),
  ignore: [],
  markers: [
    'isdeleted', 'masterrecordid', 'parentid', 'billingstreet', 'billingcity', 'billingstate', 'billingpostalcode',
    'billingcountry', 'shippingcountry', 'annualrevenue', 'numberofemployees', 'tickersymbol', 'accountnumber',
    'ownerid', 'createdbyid', 'createddate', 'lastmodifieddate', 'lastmodifiedbyid', 'systemmodstamp',
    'lastactivitydate', 'currencyisocode', 'accountid', 'stagename', 'closedate', 'isclosed', 'iswon',
    'forecastcategory', 'forecastcategoryname', 'pricebook2id', 'expectedrevenue', 'account.name',
    'account owner', 'billing state/province', 'billing zip/postal code', 'account site', 'last activity',
    'opportunity owner', 'opportunity name', 'fiscal period',
  ],
};

const hubspot: Preset = {
  name: 'hubspot',
  label: 'HubSpot',
  // UI labels (current and older wording) and internal property names.
  accounts: table<AccountField>({
    account_id: ['record id', 'company id', 'hs object id'],
    account_name: ['company name', 'name'],
    company_revenue: ['annual revenue', 'annualrevenue'],
    // HubSpot's "Total Revenue" sums the company's closed-won deals: revenue we earned.
    revenue: ['total revenue'],
    employees: ['number of employees', 'numberofemployees'],
    industry: ['industry'],
    country: ['country/region', 'country'],
  }),
  deals: table<DealField>({
    deal_id: ['record id', 'deal id', 'hs object id'],
    deal_account_id: ['associated company ids', 'associated company id', 'associated company ids (primary)'],
    deal_account_name: ['associated company', 'associated company (primary)'],
    amount: ['amount'],
    stage: ['deal stage', 'dealstage'],
    is_won: ['is closed won', 'hs is closed won'],
    is_closed: ['is deal closed?', 'is deal closed', 'hs is closed'],
    close_date: ['close date', 'closedate'],
    currency: ['currency', 'deal currency code', 'currency code'],
  }),
  ignore: [],
  markers: [
    'record id', 'company owner', 'create date', 'last activity date', 'country/region', 'state/region',
    'company domain name', 'lifecycle stage', 'number of associated contacts', 'hs object id', 'hubspot owner id',
    'createdate', 'hs lastactivitydate', 'notes last updated', 'lifecyclestage', 'associated company',
    'associated company ids', 'deal owner', 'deal stage', 'dealstage', 'deal name', 'phone number',
  ],
};

const dynamics: Preset = {
  name: 'dynamics',
  label: 'Microsoft Dynamics 365',
  // Display labels and Dataverse logical names. Logical name `revenue` IS "Annual Revenue".
  accounts: table<AccountField>({
    // The '(Do Not Modify) Account' GUID is ignored; the user-facing key is the account number.
    account_id: ['account number', 'accountnumber'],
    account_name: ['account name', 'name'],
    company_revenue: ['annual revenue', 'revenue'],
    employees: ['number of employees', 'numberofemployees'],
    industry: ['industry', 'industrycode'],
    country: ['address 1: country/region', 'address1 country', 'country/region'],
    currency: ['currency', 'transactioncurrencyid'],
  }),
  deals: table<DealField>({
    deal_id: ['opportunityid'],
    deal_account_name: ['potential customer', 'account', 'customerid', 'parentaccountid'],
    amount: ['est. revenue', 'estimatedvalue'],
    stage: ['status', 'statecode'],
    close_date: ['actual close date', 'actualclosedate'],
    currency: ['currency', 'transactioncurrencyid'],
  }),
  ignore: [/^\(do not modify\)/],
  markers: [
    'address 1: country/region', 'address 1: city', 'address 1: street 1', 'address 1: state/province',
    'address 1: zip/postal code', 'main phone', 'primary contact', 'email (primary contact)', 'relationship type',
    'created on', 'modified on', 'industrycode', 'customertypecode', 'telephone1', 'address1 country',
    'address1 city', 'address1 line1', 'createdon', 'modifiedon', 'accountnumber', 'numberofemployees',
    'est. revenue', 'est. close date', 'potential customer', 'estimatedvalue', 'estimatedclosedate',
    'actualclosedate', 'statecode', 'statuscode', '(do not modify) *',
  ],
};

const pipedrive: Preset = {
  name: 'pipedrive',
  label: 'Pipedrive',
  // Headers are 'Entity - Field'; the mapper drops the prefix for the table's own entity.
  accounts: table<AccountField>({
    account_id: ['id', 'organization - id'],
    // Headers follow the UI language: Czech 'Organizace - Název', French 'Organisation - Nom',
    // Spanish 'Nombre', Portuguese and Italian 'Nome', Dutch 'Naam'.
    account_name: ['name', 'organization - name', 'název', 'nom', 'nombre', 'nome', 'naam'],
    company_revenue: ['annual revenue'],
    employees: ['number of employees', 'employees'],
    industry: ['industry'],
    country: ['country of address', 'country'],
  }),
  deals: table<DealField>({
    deal_id: ['deal - id'],
    deal_account_id: ['deal - organization id', 'organization - id'],
    deal_account_name: ['deal - organization', 'organization - name'],
    amount: ['deal - value'],
    // 'Status' is open/won/lost; 'Stage' is the pipeline step and stays unmapped.
    stage: ['deal - status'],
    close_date: ['deal - close time', 'deal - closed on'],
    currency: ['deal - currency', 'deal - currency of value'],
  }),
  ignore: [],
  markers: [
    'organization - *', 'organisation - *', 'organizace - *', 'organización - *', 'organização - *',
    'organizzazione - *', 'organisatie - *', 'deal - *', 'person - *', 'personne - *', 'affaire - *',
  ],
};

const zoho: Preset = {
  name: 'zoho',
  label: 'Zoho CRM',
  accounts: table<AccountField>({
    // Values may carry a 'zcrm_' prefix; the validator strips it.
    account_id: ['record id', 'account id'],
    account_name: ['account name'],
    company_revenue: ['annual revenue'],
    employees: ['employees'],
    industry: ['industry'],
    country: ['billing country'],
    currency: ['currency'],
    // Zoho's "Rating" is a status picklist (Acquired, Active, Shut Down...), not a rating: unmapped.
  }),
  deals: table<DealField>({
    deal_id: ['record id', 'deal id'],
    deal_account_id: ['account name.id', 'account id'],
    deal_account_name: ['account name'],
    amount: ['amount'],
    stage: ['stage'],
    close_date: ['closing date'],
    currency: ['currency'],
  }),
  ignore: [],
  markers: [
    'account owner', 'account owner id', 'billing code', 'shipping code', 'created time', 'modified time',
    'last activity time', 'layout', 'layout id', 'tag', 'record id', 'closing date', 'deal owner', 'parent account id',
  ],
};

const odoo: Preset = {
  name: 'odoo',
  label: 'Odoo',
  // Field labels and import-compatible technical names (res.partner, crm.lead).
  accounts: table<AccountField>({
    account_id: ['id', 'external id'],
    account_name: ['name', 'display name'],
    country: ['country', 'country id'],
    industry: ['industry', 'industry id'],
    currency: ['currency', 'currency id'],
    // 'Customer' is a flag (or a rank) in Odoo, not a name: it stays unmapped.
  }),
  deals: table<DealField>({
    deal_id: ['id', 'external id'],
    deal_account_name: ['customer', 'partner id'],
    amount: ['expected revenue'],
    stage: ['stage', 'stage id'],
    close_date: ['expected closing', 'date deadline'],
    currency: ['currency', 'company currency'],
  }),
  ignore: [],
  markers: [
    'company type', 'related company', 'is a company', 'address type', 'street2', 'is company', 'parent id/id',
    'parent id', 'customer rank', 'supplier rank', 'country id', 'country id/id', 'state id', 'category id',
    'tags', 'reference', 'expected revenue', 'expected closing', 'salesperson', 'sales team', 'partner id',
  ],
};

const suitecrm: Preset = {
  name: 'suitecrm',
  label: 'SuiteCRM',
  // Annual Revenue and Employees are free text in SuiteCRM ('$10M', '50-100'); the validator decides.
  accounts: table<AccountField>({
    account_id: ['id'],
    account_name: ['name', 'account name'],
    company_revenue: ['annual revenue'],
    employees: ['employees'],
    industry: ['industry'],
    country: ['billing country'],
    currency: ['currency'],
  }),
  deals: table<DealField>({
    deal_id: ['id'],
    deal_account_id: ['account id'],
    deal_account_name: ['account name'],
    amount: ['opportunity amount', 'amount'],
    stage: ['sales stage'],
    close_date: ['expected close date'],
    currency: ['currency'],
  }),
  ignore: [],
  markers: [
    'assigned to', 'assigned user id', 'assigned user name', 'non primary e-mails', 'office phone', 'alternate phone',
    'billing postal code', 'shipping postal code', 'date created', 'date modified', 'campaign id', 'deleted',
    'parent account id', 'email address', 'sales stage', 'opportunity amount',
  ],
};

const MAVEN_ACCOUNTS = ['year_established', 'office_location', 'subsidiary_of'];
const MAVEN_DEALS = ['opportunity_id', 'sales_agent', 'deal_stage', 'engage_date', 'close_value'];

const generic: Preset = {
  name: 'generic',
  label: 'generic (snake_case)',
  // kam's own names, plus the Maven Analytics "CRM Sales Opportunities" layout. Maven's
  // `revenue` is in millions and is the company's size: `--map revenue=company_revenue` is the
  // user's call, so plain 'revenue' keeps its kam meaning here.
  accounts: Object.freeze({
    ...CANONICAL_HEADERS.accounts,
    ...table<AccountField>({ account_name: ['account'], industry: ['sector'], country: ['office location'] }),
  }),
  deals: Object.freeze({
    ...CANONICAL_HEADERS.deals,
    ...table<DealField>({
      deal_id: ['opportunity id'],
      deal_account_name: ['account'],
      stage: ['deal stage'],
      amount: ['close value'],
    }),
  }),
  ignore: [],
  // Raw snake_case headers: 'Account Name' is everyone's label, 'account_name' is kam's.
  markers: [...ACCOUNT_FIELDS, ...DEAL_FIELDS, ...MAVEN_ACCOUNTS, ...MAVEN_DEALS].filter(
    (m) => m.includes('_'),
  ),
};

/** Every preset by name. */
export const PRESETS: Readonly<Record<PresetName, Preset>> = Object.freeze({
  salesforce,
  hubspot,
  dynamics,
  pipedrive,
  zoho,
  odoo,
  suitecrm,
  generic,
});

/**
 * Labels people give custom fields, in any CRM; applied after the preset. 'Annual revenue'
 * and its kin go to company_revenue, never to revenue.
 */
export const COMMON_ALIASES: { readonly accounts: Table<AccountField>; readonly deals: Table<DealField> } = {
  accounts: table<AccountField>({
    account_id: [
      'account id', 'accountid', 'id', 'record id', 'customer id', 'company id', 'client id', 'organization id',
      'organisation id', 'account key', 'customer key',
    ],
    account_name: [
      'account name', 'name', 'account', 'company', 'company name', 'customer name', 'organization',
      'organisation', 'organization name', 'organisation name', 'client', 'client name', 'account.name',
      'firma', 'firmenname', 'entreprise', 'raison sociale',
    ],
    revenue: [
      'revenue (last 12 months)', 'revenue last 12 months', 'revenue (ltm)', 'revenue ltm', 'revenue (12m)',
      'revenue 12m', 'revenue (ttm)', 'revenue ttm', 'ttm revenue', 'ltm revenue', 'total revenue', 'arr',
      'annual recurring revenue', 'account revenue', 'customer revenue', 'revenue from account', 'our revenue',
      'sales (last 12 months)', 'sales last 12 months', 'sales ltm', 'revenue last year', 'revenue (last year)',
    ],
    company_revenue: [
      'annual revenue', 'annualrevenue', 'company revenue', 'company annual revenue', 'company size revenue',
      'turnover', 'annual turnover', 'company turnover', 'jahresumsatz',
    ],
    potential_revenue: [
      'potential revenue', 'revenue potential', 'potential', 'wallet', 'wallet size', 'share of wallet potential',
      'wallet potential', 'sales potential', 'customer potential', 'account potential', 'annual potential',
    ],
    pipeline: [
      'open pipeline', 'pipeline', 'pipeline amount', 'pipeline value', 'open opportunities amount',
      'open opportunities', 'open opportunity amount', 'open deals value', 'open deal value',
    ],
    growth_rate: [
      'growth rate', 'growth', 'expected growth', 'yoy growth', 'growth %', 'growth rate %', 'growth (%)',
      'annual growth', 'expected growth rate', 'growth yoy',
    ],
    gross_margin: [
      'gross margin', 'gross margin %', 'gross margin (%)', 'margin', 'margin %', 'margin (%)', 'gm', 'gm %',
      'gross margin rate',
    ],
    retention_rate: [
      'retention', 'retention rate', 'retention %', 'retention probability', 'renewal probability',
      'renewal likelihood', 'renewal rate',
    ],
    churn_risk: ['churn risk', 'churn', 'churn probability', 'churn risk %', 'churn likelihood', 'churn rate'],
    product_fit: ['product fit', 'fit', 'fit score', 'product fit score', 'icp fit', 'solution fit'],
    strategic_value: [
      'strategic value', 'strategic score', 'strategic importance', 'strategic rating', 'strategic', 'strategic fit',
    ],
    employees: [
      'employees', 'number of employees', 'numberofemployees', 'headcount', 'employee count', 'no. of employees',
      '# employees', '# of employees', 'staff', 'mitarbeiter', 'anzahl mitarbeiter',
    ],
    industry: ['industry', 'sector', 'vertical', 'industry sector', 'branche', 'secteur'],
    country: [
      'country', 'billing country', 'country/region', 'country code', 'hq country', 'headquarters country', 'land',
      'pays',
    ],
    currency: ['currency', 'currency code', 'currencyisocode', 'currency iso code', 'iso currency', 'währung', 'devise'],
  }),
  deals: table<DealField>({
    deal_id: ['deal id', 'dealid', 'opportunity id', 'opportunityid', 'id', 'record id'],
    deal_account_id: ['account id', 'accountid', 'company id', 'customer id', 'organization id', 'organisation id'],
    deal_account_name: [
      'account name', 'account', 'company', 'company name', 'customer name', 'organization', 'organisation',
      'organization name', 'client', 'client name', 'associated company', 'account.name',
    ],
    amount: ['amount', 'deal value', 'value', 'deal amount', 'opportunity amount', 'close value', 'deal size'],
    stage: ['stage', 'deal stage', 'sales stage', 'opportunity stage', 'stage name', 'stagename'],
    is_won: ['won', 'is won', 'iswon', 'closed won', 'is closed won'],
    is_closed: ['closed', 'is closed', 'isclosed'],
    close_date: ['close date', 'closedate', 'closing date', 'closed date', 'date closed', 'close time'],
    currency: ['currency', 'currency code', 'currencyisocode', 'currency iso code', 'deal currency'],
  }),
};

/**
 * Last-resort aliases: words that often name something else ('Customer' is a yes/no flag in
 * Odoo and Dolibarr). They apply only when no other column claims the field, ranking even
 * below kam's own snake_case names.
 */
export const FALLBACK_ALIASES: { readonly accounts: Table<AccountField>; readonly deals: Table<DealField> } = {
  accounts: table<AccountField>({ account_name: ['customer'] }),
  deals: table<DealField>({
    deal_account_name: ['customer'],
    stage: ['status', 'deal status'],
    close_date: ['expected close date', 'won date', 'won time'],
  }),
};
