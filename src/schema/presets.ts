/**
 * CRM presets: markers that tell which CRM wrote a file, and the few headers a CRM means
 * more by than their words say (Dynamics' logical name `revenue` is the company's annual
 * revenue; Salesforce's Hot/Warm/Cold `Rating`; Pipedrive's deal `Status`). Every other
 * header is read by the vocabulary (./vocabulary.ts). Built from
 * ../shared/corpus/CRM-FORMATS.md and the real exports in the corpus.
 *
 * Keys are normalised header names (see `normaliseHeader` in ./mapping.ts): lower case,
 * single spaces, no trailing '*', no Pipedrive-style 'Entity - ' prefix. A key may also keep
 * the prefix ('deal - status'); the mapper tries that qualified form first.
 */
import { ACCOUNT_FIELDS, DEAL_FIELDS, type AccountField, type DealField } from './fields.ts';

/** The presets, in detection tie-break order (generic last: it is the fallback). */
export const PRESET_NAMES = ['salesforce', 'hubspot', 'dynamics', 'pipedrive', 'zoho', 'odoo', 'suitecrm', 'generic'] as const;
/** One preset name, as given to `--preset`. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** What a CRM means by one of its headers, where the vocabulary would read it otherwise. */
interface PresetException<F extends string> {
  /** The field, or null: this CRM's column of that name feeds nothing (Zoho's 'Rating' is a status). */
  readonly field: F | null;
  /** Claim strength against other columns (see ./vocabulary.ts): 3 by default, 1 for a weak reading. */
  readonly strength: number;
}

/** How one CRM's exports differ from what the words of their headers say. */
export interface Preset {
  readonly name: PresetName;
  /** Human name, e.g. 'Salesforce'. */
  readonly label: string;
  /** Normalised header -> what this CRM means by it in an accounts file. */
  readonly accounts: Readonly<Record<string, PresetException<AccountField>>>;
  /** Normalised header -> what this CRM means by it in a deals file. */
  readonly deals: Readonly<Record<string, PresetException<DealField>>>;
  /** Columns to ignore entirely (tested on the normalised header), e.g. Dynamics '(Do Not Modify) ...'. */
  readonly ignore: readonly RegExp[];
  /**
   * Headers that identify this CRM. Matched against the raw header (trimmed, lower case), its
   * normalised form and its 'entity - field' form; a trailing '*' matches any ending.
   */
  readonly markers: readonly string[];
}

type Table<F extends string> = Readonly<Record<string, PresetException<F>>>;

/** Builds an exception table from `field: [header, ...]` lists; `null` lists headers that feed nothing. */
function table<F extends string>(spec: Partial<Record<F | 'none', readonly string[]>>, weak: Partial<Record<F, readonly string[]>> = {}): Table<F> {
  const out: Record<string, PresetException<F>> = {};
  const add = (field: F | null, keys: readonly string[], strength: number): void => {
    for (const key of keys) {
      if (Object.hasOwn(out, key)) throw new Error(`preset key '${key}' listed twice`); // a bug in this file
      out[key] = { field, strength };
    }
  };
  for (const [field, keys] of Object.entries(spec) as [F | 'none', readonly string[]][]) add(field === 'none' ? null : field, keys, 3);
  for (const [field, keys] of Object.entries(weak) as [F, readonly string[]][]) add(field, keys, 1);
  return Object.freeze(out);
}

const salesforce: Preset = {
  name: 'salesforce',
  label: 'Salesforce',
  // API names (Data Loader upper case, sf CLI / SFDMU CamelCase) and report labels read by
  // their words; what follows is where Salesforce means more than its words say.
  accounts: table<AccountField>(
    {},
    // Salesforce's Rating picklist is Hot/Warm/Cold: the rep's judgement of how much the
    // account matters. SCORING.md gives those words rating values (Hot 100, Warm 50, Cold 0)
    // so that this column can feed strategic_value; a custom strategic-value field beats it.
    { strategic_value: ['rating', 'account rating'] },
  ),
  deals: table<DealField>({
    // ExpectedRevenue is Amount x Probability: not the deal's amount.
    none: ['expectedrevenue', 'expected revenue'],
  }),
  ignore: [],
  markers: [
    'isdeleted',
    'masterrecordid',
    'parentid',
    'billingstreet',
    'billingcity',
    'billingstate',
    'billingpostalcode',
    'billingcountry',
    'shippingcountry',
    'annualrevenue',
    'numberofemployees',
    'tickersymbol',
    'accountnumber',
    'ownerid',
    'createdbyid',
    'createddate',
    'lastmodifieddate',
    'lastmodifiedbyid',
    'systemmodstamp',
    'lastactivitydate',
    'currencyisocode',
    'accountid',
    'stagename',
    'closedate',
    'isclosed',
    'iswon',
    'forecastcategory',
    'forecastcategoryname',
    'pricebook2id',
    'expectedrevenue',
    'account.name',
    'account owner',
    'billing state/province',
    'billing zip/postal code',
    'account site',
    'last activity',
    'opportunity owner',
    'opportunity name',
    'fiscal period',
  ],
};

const hubspot: Preset = {
  name: 'hubspot',
  label: 'HubSpot',
  // UI labels and internal property names read by their words. "Total Revenue" is the sum of
  // the company's closed-won deals over its lifetime: the vocabulary reads it as a lifetime
  // total, not the 12-month revenue kam scores, and says so.
  accounts: table<AccountField>({}),
  deals: table<DealField>({
    deal_account_id: ['associated company ids', 'associated company id', 'associated company ids (primary)'],
    deal_account_name: ['associated company', 'associated company (primary)'],
    is_won: ['is closed won', 'hs is closed won'],
    is_closed: ['is deal closed?', 'is deal closed', 'hs is closed'],
  }),
  ignore: [],
  markers: [
    'record id',
    'company owner',
    'create date',
    'last activity date',
    'country/region',
    'state/region',
    'company domain name',
    'lifecycle stage',
    'number of associated contacts',
    'hs object id',
    'hubspot owner id',
    'createdate',
    'hs lastactivitydate',
    'notes last updated',
    'lifecyclestage',
    'associated company',
    'associated company ids',
    'deal owner',
    'deal stage',
    'dealstage',
    'deal name',
    'phone number',
  ],
};

const dynamics: Preset = {
  name: 'dynamics',
  label: 'Microsoft Dynamics 365',
  // Display labels and Dataverse logical names. Logical name `revenue` IS "Annual Revenue".
  accounts: table<AccountField>({
    // The '(Do Not Modify) Account' GUID is ignored; the user-facing key is the account number.
    account_id: ['account number', 'accountnumber'],
    company_revenue: ['revenue'],
    currency: ['transactioncurrencyid'],
  }),
  deals: table<DealField>({
    deal_id: ['opportunityid'],
    deal_account_name: ['potential customer', 'account', 'customerid', 'parentaccountid'],
    amount: ['est. revenue', 'estimatedvalue'],
    stage: ['status', 'statecode'],
    close_date: ['actual close date', 'actualclosedate'],
    currency: ['transactioncurrencyid'],
  }),
  ignore: [/^\(do not modify\)/],
  markers: [
    'address 1: country/region',
    'address 1: city',
    'address 1: street 1',
    'address 1: state/province',
    'address 1: zip/postal code',
    'main phone',
    'primary contact',
    'email (primary contact)',
    'relationship type',
    'created on',
    'modified on',
    'industrycode',
    'customertypecode',
    'telephone1',
    'address1 country',
    'address1 city',
    'address1 line1',
    'createdon',
    'modifiedon',
    'accountnumber',
    'numberofemployees',
    'est. revenue',
    'est. close date',
    'potential customer',
    'estimatedvalue',
    'estimatedclosedate',
    'actualclosedate',
    'statecode',
    'statuscode',
    '(do not modify) *',
  ],
};

const pipedrive: Preset = {
  name: 'pipedrive',
  label: 'Pipedrive',
  // Headers are 'Entity - Field' in the UI language ('Organisation - Nom', 'Organizace -
  // Název'); the mapper drops the table's own entity and reads the rest by its words.
  accounts: table<AccountField>({}),
  deals: table<DealField>({
    // 'Status' is open/won/lost; 'Stage' is the pipeline step and stays unmapped.
    stage: ['status', 'deal - status'],
    none: ['stage', 'deal - stage'],
    close_date: ['deal - close time', 'deal - closed on', 'close time', 'closed on'],
    currency: ['deal - currency of value', 'currency of value'],
  }),
  ignore: [],
  markers: [
    'organization - *',
    'organisation - *',
    'organizace - *',
    'organización - *',
    'organização - *',
    'organizzazione - *',
    'organisatie - *',
    'deal - *',
    'person - *',
    'personne - *',
    'affaire - *',
  ],
};

const zoho: Preset = {
  name: 'zoho',
  label: 'Zoho CRM',
  accounts: table<AccountField>({
    // Zoho's "Rating" is a status picklist (Acquired, Active, Shut Down...), not a rating.
    none: ['rating'],
  }),
  deals: table<DealField>({
    deal_account_id: ['account name.id'],
  }),
  ignore: [],
  markers: [
    'account owner',
    'account owner id',
    'billing code',
    'shipping code',
    'created time',
    'modified time',
    'last activity time',
    'layout',
    'layout id',
    'tag',
    'record id',
    'closing date',
    'deal owner',
    'parent account id',
  ],
};

const odoo: Preset = {
  name: 'odoo',
  label: 'Odoo',
  // Field labels and import-compatible technical names (res.partner, crm.lead).
  accounts: table<AccountField>({
    // 'Customer' is a flag (or a rank) in Odoo, not a name.
    none: ['customer', 'customer rank', 'is a company', 'is company'],
  }),
  deals: table<DealField>({
    // crm.lead's "Expected Revenue" is the opportunity's amount.
    amount: ['expected revenue'],
    deal_account_name: ['customer', 'partner id'],
    close_date: ['expected closing', 'date deadline'],
    stage: ['stage id'],
    currency: ['company currency'],
  }),
  ignore: [],
  markers: [
    'company type',
    'related company',
    'is a company',
    'address type',
    'street2',
    'is company',
    'parent id/id',
    'parent id',
    'customer rank',
    'supplier rank',
    'country id',
    'country id/id',
    'state id',
    'category id',
    'tags',
    'reference',
    'expected revenue',
    'expected closing',
    'salesperson',
    'sales team',
    'partner id',
  ],
};

const suitecrm: Preset = {
  name: 'suitecrm',
  label: 'SuiteCRM',
  // Annual Revenue and Employees are free text in SuiteCRM ('$10M', '50-100'); the validator decides.
  accounts: table<AccountField>({}),
  deals: table<DealField>({}),
  ignore: [],
  markers: [
    'assigned to',
    'assigned user id',
    'assigned user name',
    'non primary e-mails',
    'office phone',
    'alternate phone',
    'billing postal code',
    'shipping postal code',
    'date created',
    'date modified',
    'campaign id',
    'deleted',
    'parent account id',
    'email address',
    'sales stage',
    'opportunity amount',
  ],
};

const MAVEN_ACCOUNTS = ['year_established', 'office_location', 'subsidiary_of'];
const MAVEN_DEALS = ['opportunity_id', 'sales_agent', 'deal_stage', 'engage_date', 'close_value'];

const generic: Preset = {
  name: 'generic',
  label: 'generic',
  // kam's own names, plus the Maven Analytics "CRM Sales Opportunities" layout. Maven's
  // `revenue` is in millions and is the company's size: `--map revenue=company_revenue` is the
  // user's call, so plain 'revenue' keeps its kam meaning here.
  // Dolibarr's import/export templates ('Name* (s.nom)'): its Customer and Supplier columns are flags.
  accounts: table<AccountField>({ country: ['office location'], none: ['subsidiary of', 'customer* (s.client)', 'supplier* (s.fournisseur)'] }),
  deals: table<DealField>({}),
  ignore: [],
  // Raw snake_case headers: 'Account Name' is everyone's label, 'account_name' is kam's.
  markers: [...ACCOUNT_FIELDS, ...DEAL_FIELDS, ...MAVEN_ACCOUNTS, ...MAVEN_DEALS].filter((m) => m.includes('_')),
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
