import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.ts';
import type { Field, TableKind } from '../../src/schema/fields.ts';
import { detectPreset, mapColumns, normaliseHeader, parseMapOption, type ColumnMapping, type MappingOptions } from '../../src/schema/mapping.ts';

/** field -> header as written, for the columns that map. */
function mapped(m: ColumnMapping): Partial<Record<Field, string>> {
  return Object.fromEntries(m.columns.flatMap((c) => (c.field === undefined ? [] : [[c.field, c.header]])));
}

function viaOf(m: ColumnMapping, header: string): string | undefined {
  return m.columns.find((c) => c.header === header)?.via;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('normaliseHeader', () => {
  it.each([
    ['Account_Name', 'account name'],
    [' account name ', 'account name'],
    ['ACCOUNT NAME', 'account name'],
    ['Organization - Name*', 'name'],
    ['Organization - Name', 'name'],
    ['Deal - Value', 'value'],
    ['Account - Revenue', 'revenue'],
    ['Organizace - Název', 'název'],
    ['Account\u00a0Name', 'account name'],
    ['Account\u202fName', 'account name'],
    ['Name*', 'name'],
    ['Name *', 'name'],
    ['AnnualRevenue', 'annualrevenue'],
    ['ANNUALREVENUE', 'annualrevenue'],
    [' Revenue ', 'revenue'],
    ['potential__revenue', 'potential revenue'],
    ['Gross  Margin\t%', 'gross margin %'],
    ['\ufeffId', 'id'],
    ['Cafe\u0301 Name', 'caf\u00e9 name'], // NFD -> NFC
    ['Revenue - Last 12 Months', 'revenue - last 12 months'], // not an entity prefix
    ['Name* (s.name)', 'name* (s.name)'],
    ['(Do Not Modify) Account', '(do not modify) account'],
    ['Address 1: Country/Region', 'address 1: country/region'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseHeader(input)).toBe(expected);
  });
});

/** Reads a corpus file's header line the way the reader will (BOM stripped, delimiter sniffed). */
function headerOf(url: URL): string[] {
  const text = readFileSync(url, 'latin1').replace(/^\u00ef\u00bb\u00bf/, '');
  const line = text.split(/\r?\n/)[0] ?? '';
  const delimiter = line.split(';').length > line.split(',').length ? ';' : ',';
  return line.split(delimiter).map((h) => h.replace(/^"(.*)"$/, '$1'));
}

const corpus = new URL('../../../shared/corpus/crm/', import.meta.url);

describe.skipIf(!existsSync(corpus))('real CRM exports in the corpus', () => {
  const cases: Array<{ file: string; kind: TableKind; preset: string; fields: Partial<Record<Field, string>> }> = [
    {
      file: 'salesforce-dataloader-accountData.csv',
      kind: 'accounts',
      preset: 'salesforce',
      fields: {
        account_id: 'ID',
        account_name: 'NAME',
        country: 'BILLINGCOUNTRY',
        industry: 'INDUSTRY',
        company_revenue: 'ANNUALREVENUE',
        employees: 'NUMBEROFEMPLOYEES',
        strategic_value: 'RATING',
      },
    },
    {
      file: 'salesforce-sfdmu-ebikes-Account.csv',
      kind: 'accounts',
      preset: 'salesforce',
      fields: {
        account_id: 'Id',
        account_name: 'Name',
        country: 'BillingCountry',
        industry: 'Industry',
        company_revenue: 'AnnualRevenue',
        employees: 'NumberOfEmployees',
        strategic_value: 'Rating',
      },
    },
    {
      file: 'salesforce-demo-accounts-excel.csv',
      kind: 'accounts',
      preset: 'salesforce',
      fields: {
        account_id: 'Id',
        account_name: 'Name',
        industry: 'Industry',
        company_revenue: 'AnnualRevenue',
        employees: 'NumberOfEmployees',
        strategic_value: 'Rating',
      },
    },
    {
      file: 'salesforce-dataloader-opportunityData.csv',
      kind: 'deals',
      preset: 'salesforce',
      fields: {
        deal_id: 'ID',
        deal_account_id: 'ACCOUNTID',
        stage: 'STAGENAME',
        amount: 'AMOUNT',
        close_date: 'CLOSEDATE',
        is_closed: 'ISCLOSED',
        is_won: 'ISWON',
      },
    },
    {
      file: 'salesforce-demo-opportunities-excel.csv',
      kind: 'deals',
      preset: 'salesforce',
      fields: {
        deal_id: 'Id',
        deal_account_id: 'AccountId',
        stage: 'StageName',
        amount: 'Amount',
        close_date: 'CloseDate',
        is_closed: 'IsClosed',
        is_won: 'IsWon',
      },
    },
    {
      file: 'dolibarr-file_import_company_1.csv',
      kind: 'accounts',
      preset: 'generic',
      // 'Customer* (s.client)' is a customer/prospect flag: it loses to the name column.
      // 'CustomerCode (s.code_client)' is the third party's customer code; 'Effectif
      // (s.fk_effectif)' is a key into Dolibarr's dictionary of head-count ranges, not a count.
      fields: { account_name: 'Name* (s.name)', account_id: 'CustomerCode (s.code_client)' },
    },
    {
      file: 'maven-accounts.csv',
      kind: 'accounts',
      preset: 'generic',
      fields: {
        account_name: 'account',
        industry: 'sector',
        revenue: 'revenue',
        employees: 'employees',
        country: 'office_location',
      },
    },
    {
      file: 'maven-accounts-excel-resaved.csv',
      kind: 'accounts',
      preset: 'generic',
      fields: {
        account_name: 'Account',
        industry: 'Sector',
        revenue: ' Revenue ',
        employees: 'Employees',
        country: 'Office_Location',
      },
    },
    {
      file: 'maven-sales_pipeline.csv',
      kind: 'deals',
      preset: 'generic',
      fields: {
        deal_id: 'opportunity_id',
        deal_account_name: 'account',
        stage: 'deal_stage',
        close_date: 'close_date',
        amount: 'close_value',
      },
    },
    { file: 'maven-data_dictionary.csv', kind: 'accounts', preset: 'generic', fields: {} },
    {
      file: 'odoo-res.partner.csv',
      kind: 'accounts',
      preset: 'odoo',
      // Odoo's 'Customer' column is a TRUE/FALSE flag: unmapped.
      fields: { account_id: 'ID', account_name: 'Name', country: 'Country' },
    },
    {
      file: 'odoo-o2m_customers_contacts.csv',
      kind: 'accounts',
      preset: 'odoo',
      fields: { account_name: 'Name', country: 'Country' },
    },
    {
      file: 'odoo-m2m_customers_tags.csv',
      kind: 'accounts',
      preset: 'odoo',
      fields: { account_name: 'Name', country: 'Country' },
    },
  ];

  it.each(cases)('$file ($kind) -> $preset', ({ file, kind, preset, fields }) => {
    const header = headerOf(new URL(file, corpus));
    const m = mapColumns(header, kind);
    expect(m.preset).toBe(preset);
    expect(m.presetSource).toBe('detected');
    expect(mapped(m)).toEqual(fields);
    expect(m.columns.map((c) => c.header)).toEqual(header);
    expect(m.columns.filter((c) => c.field === undefined).every((c) => c.via === 'unmapped')).toBe(true);
  });

  it('covers every file in the corpus folder', async () => {
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(corpus).sort()).toEqual(cases.map((c) => c.file).sort());
  });

  it('records how each salesforce column was matched', () => {
    const header = headerOf(new URL('salesforce-dataloader-accountData.csv', corpus));
    const m = mapColumns(header, 'accounts');
    expect(m.fieldIndex).toEqual({
      account_id: 0,
      account_name: 3,
      country: 10,
      industry: 21,
      company_revenue: 22,
      employees: 23,
      strategic_value: 27,
    });
    expect(viaOf(m, 'ANNUALREVENUE')).toBe('words');
    expect(viaOf(m, 'RATING')).toBe('preset');
    expect(viaOf(m, 'ORACLE_ID__C')).toBe('unmapped');
  });
});

describe('synthetic CRM headers', () => {
  it('HubSpot companies: Annual Revenue is company_revenue, lifetime Total Revenue feeds nothing', () => {
    const header = [
      'Record ID',
      'Company name',
      'Company owner',
      'Create Date',
      'Phone Number',
      'Last Activity Date',
      'City',
      'Country/Region',
      'Industry',
      'Annual Revenue',
      'Number of Employees',
      'Total Revenue',
    ];
    const m = mapColumns(header, 'accounts');
    expect(m.preset).toBe('hubspot');
    expect(mapped(m)).toEqual({
      account_id: 'Record ID',
      account_name: 'Company name',
      country: 'Country/Region',
      industry: 'Industry',
      company_revenue: 'Annual Revenue',
      employees: 'Number of Employees',
    });
    // HubSpot's Total Revenue sums closed-won deals over the company's lifetime (CRM-FORMATS.md §2).
    expect(m.columns[11]?.near).toEqual({ field: 'revenue', reason: 'lifetime' });
    const both = mapColumns([...header, 'Revenue (Last 12 Months)'], 'accounts');
    expect(mapped(both).revenue).toBe('Revenue (Last 12 Months)');
    expect(both.columns[12]?.annotations).toEqual({ period: '12m' });
  });

  it('HubSpot internal property names', () => {
    const header = ['hs_object_id', 'name', 'domain', 'annualrevenue', 'numberofemployees', 'industry', 'createdate', 'lifecyclestage'];
    const m = mapColumns(header, 'accounts');
    expect(m.preset).toBe('hubspot');
    expect(mapped(m)).toEqual({
      account_id: 'hs_object_id',
      account_name: 'name',
      company_revenue: 'annualrevenue',
      employees: 'numberofemployees',
      industry: 'industry',
    });
  });

  it('HubSpot deals', () => {
    const header = ['Record ID', 'Deal Name', 'Deal Stage', 'Amount', 'Close Date', 'Deal owner', 'Associated Company IDs', 'Associated Company'];
    const m = mapColumns(header, 'deals');
    expect(m.preset).toBe('hubspot');
    expect(mapped(m)).toEqual({
      deal_id: 'Record ID',
      stage: 'Deal Stage',
      amount: 'Amount',
      close_date: 'Close Date',
      deal_account_id: 'Associated Company IDs',
      deal_account_name: 'Associated Company',
    });
  });

  it('Dynamics labels: (Do Not Modify) columns are ignored, Account Number is the id', () => {
    const header = [
      '(Do Not Modify) Account',
      '(Do Not Modify) Row Checksum',
      '(Do Not Modify) Modified On',
      'Account Name',
      'Main Phone',
      'Address 1: City',
      'Primary Contact',
      'Account Number',
      'Annual Revenue',
      'Number of Employees',
      'Industry',
      'Address 1: Country/Region',
    ];
    const m = mapColumns(header, 'accounts');
    expect(m.preset).toBe('dynamics');
    expect(mapped(m)).toEqual({
      account_name: 'Account Name',
      account_id: 'Account Number',
      company_revenue: 'Annual Revenue',
      employees: 'Number of Employees',
      industry: 'Industry',
      country: 'Address 1: Country/Region',
    });
    expect(m.columns.slice(0, 3).map((c) => c.via)).toEqual(['ignored', 'ignored', 'ignored']);
    expect(viaOf(m, 'Main Phone')).toBe('unmapped');
  });

  it("Dynamics logical names: 'revenue' is the company's annual revenue", () => {
    const header = ['name', 'accountnumber', 'revenue', 'numberofemployees', 'industrycode', 'address1_country'];
    const m = mapColumns(header, 'accounts');
    expect(m.preset).toBe('dynamics');
    expect(mapped(m)).toEqual({
      account_name: 'name',
      account_id: 'accountnumber',
      company_revenue: 'revenue',
      employees: 'numberofemployees',
      industry: 'industrycode',
      country: 'address1_country',
    });
  });

  it("generic: 'revenue' is revenue we earned (detection matters)", () => {
    const m = mapColumns(['account_id', 'account_name', 'revenue', 'gross_margin'], 'accounts');
    expect(m.preset).toBe('generic');
    expect(mapped(m)).toEqual({
      account_id: 'account_id',
      account_name: 'account_name',
      revenue: 'revenue',
      gross_margin: 'gross_margin',
    });
  });

  it('Pipedrive organizations, with the import-template asterisk', () => {
    const header = [
      'Organization - ID',
      'Organization - Name*',
      'Organization - Owner',
      'Organization - Industry',
      'Organization - Annual revenue',
      'Organization - Won deals',
      'Organization - Country of Address',
      'Person - Name',
    ];
    const m = mapColumns(header, 'accounts');
    expect(m.preset).toBe('pipedrive');
    expect(mapped(m)).toEqual({
      account_id: 'Organization - ID',
      account_name: 'Organization - Name*',
      industry: 'Organization - Industry',
      company_revenue: 'Organization - Annual revenue',
      country: 'Organization - Country of Address',
    });
    // Another entity's name is not the account's name.
    expect(viaOf(m, 'Person - Name')).toBe('unmapped');
  });

  it('Pipedrive deals: Status is the stage, the organization columns link the account', () => {
    const header = [
      'Deal - ID',
      'Deal - Title',
      'Deal - Value',
      'Deal - Currency',
      'Deal - Stage',
      'Deal - Status',
      'Deal - Expected close date',
      'Deal - Close time',
      'Organization - ID',
      'Organization - Name',
      'Person - ID',
    ];
    const m = mapColumns(header, 'deals');
    expect(m.preset).toBe('pipedrive');
    expect(mapped(m)).toEqual({
      deal_id: 'Deal - ID',
      amount: 'Deal - Value',
      currency: 'Deal - Currency',
      stage: 'Deal - Status',
      close_date: 'Deal - Close time',
      deal_account_id: 'Organization - ID',
      deal_account_name: 'Organization - Name',
    });
    expect(viaOf(m, 'Deal - Stage')).toBe('unmapped');
    expect(viaOf(m, 'Deal - Expected close date')).toBe('unmapped');
  });

  it('Pipedrive deals without a close time fall back to the expected close date', () => {
    const m = mapColumns(['Deal - ID', 'Deal - Value', 'Deal - Expected close date'], 'deals');
    expect(m.preset).toBe('pipedrive');
    expect(mapped(m)).toEqual({ deal_id: 'Deal - ID', amount: 'Deal - Value', close_date: 'Deal - Expected close date' });
    expect(viaOf(m, 'Deal - Expected close date')).toBe('words');
  });

  it('Zoho accounts', () => {
    const header = [
      'Record Id',
      'Account Owner',
      'Account Name',
      'Phone',
      'Website',
      'Account Type',
      'Rating',
      'Industry',
      'Employees',
      'Annual Revenue',
      'Billing City',
      'Billing Code',
      'Billing Country',
      'Created Time',
    ];
    const m = mapColumns(header, 'accounts');
    expect(m.preset).toBe('zoho');
    expect(mapped(m)).toEqual({
      account_id: 'Record Id',
      account_name: 'Account Name',
      industry: 'Industry',
      employees: 'Employees',
      company_revenue: 'Annual Revenue',
      country: 'Billing Country',
    });
    expect(viaOf(m, 'Rating')).toBe('unmapped');
  });

  it('Zoho deals', () => {
    const header = ['Record Id', 'Deal Owner', 'Deal Name', 'Account Name', 'Amount', 'Stage', 'Closing Date', 'Modified Time'];
    const m = mapColumns(header, 'deals');
    expect(m.preset).toBe('zoho');
    expect(mapped(m)).toEqual({
      deal_id: 'Record Id',
      deal_account_name: 'Account Name',
      amount: 'Amount',
      stage: 'Stage',
      close_date: 'Closing Date',
    });
  });

  it('SuiteCRM accounts', () => {
    const header = [
      'Name',
      'ID',
      'Website',
      'Email Address',
      'Non Primary E-mails',
      'Office Phone',
      'Billing Country',
      'Shipping Country',
      'Industry',
      'Annual Revenue',
      'Employees',
      'Rating',
      'Assigned to',
      'Assigned User ID',
    ];
    const m = mapColumns(header, 'accounts');
    expect(m.preset).toBe('suitecrm');
    expect(mapped(m)).toEqual({
      account_name: 'Name',
      account_id: 'ID',
      country: 'Billing Country',
      industry: 'Industry',
      company_revenue: 'Annual Revenue',
      employees: 'Employees',
    });
  });

  it('Salesforce report labels', () => {
    const header = [
      'Account Owner',
      'Account Name',
      'Type',
      'Billing State/Province',
      'Billing Zip/Postal Code',
      'Billing Country',
      'Account ID',
      'Industry',
      'Annual Revenue',
      'Employees',
      'Rating',
      'Shipping Country',
    ];
    const m = mapColumns(header, 'accounts');
    expect(m.preset).toBe('salesforce');
    expect(mapped(m)).toEqual({
      account_name: 'Account Name',
      country: 'Billing Country',
      account_id: 'Account ID',
      industry: 'Industry',
      company_revenue: 'Annual Revenue',
      employees: 'Employees',
      strategic_value: 'Rating',
    });
  });

  it('a Salesforce export with custom kam fields picks them up by their words', () => {
    const header = ['Id', 'Name', 'AnnualRevenue', 'Revenue_LTM__c', 'Potential_Revenue__c', 'IsDeleted', 'OwnerId'];
    const m = mapColumns(header, 'accounts');
    expect(m.preset).toBe('salesforce');
    // The '__c' custom-field marker is stripped; the words decide.
    expect(mapped(m)).toEqual({
      account_id: 'Id',
      account_name: 'Name',
      company_revenue: 'AnnualRevenue',
      revenue: 'Revenue_LTM__c',
      potential_revenue: 'Potential_Revenue__c',
    });
    const labelled = mapColumns(['Id', 'Name', 'AnnualRevenue', 'Revenue (Last 12 Months)', 'IsDeleted'], 'accounts');
    expect(mapped(labelled)).toEqual({
      account_id: 'Id',
      account_name: 'Name',
      company_revenue: 'AnnualRevenue',
      revenue: 'Revenue (Last 12 Months)',
    });
    expect(viaOf(labelled, 'Revenue (Last 12 Months)')).toBe('words');
  });
});

describe('common aliases', () => {
  it.each<[string, Field]>([
    ['Revenue (Last 12 Months)', 'revenue'],
    ['Revenue LTM', 'revenue'],
    ['ARR', 'revenue'],
    ['Annual Recurring Revenue', 'revenue'],
    ['Potential Revenue', 'potential_revenue'],
    ['Wallet Size', 'potential_revenue'],
    ['Open Pipeline', 'pipeline'],
    ['Pipeline Amount', 'pipeline'],
    ['Growth Rate', 'growth_rate'],
    ['YoY Growth', 'growth_rate'],
    ['Gross Margin %', 'gross_margin'],
    ['Margin', 'gross_margin'],
    ['Retention Rate', 'retention_rate'],
    ['Renewal Probability', 'retention_rate'],
    ['Churn Risk', 'churn_risk'],
    ['Churn Probability', 'churn_risk'],
    ['Product Fit', 'product_fit'],
    ['Fit Score', 'product_fit'],
    ['Strategic Value', 'strategic_value'],
    ['Strategic Importance', 'strategic_value'],
    ['Annual Revenue', 'company_revenue'],
    ['Company Revenue', 'company_revenue'],
    ['Headcount', 'employees'],
    ['Number of Employees', 'employees'],
    ['Sector', 'industry'],
    ['Vertical', 'industry'],
    ['Country/Region', 'country'],
    ['Billing Country', 'country'],
    ['Currency Code', 'currency'],
    ['CurrencyIsoCode', 'currency'],
  ])('%s -> %s', (label, field) => {
    const m = mapColumns(['Customer ID', 'Customer Name', label], 'accounts');
    expect(m.preset).toBe('generic');
    expect(mapped(m)).toEqual({ account_id: 'Customer ID', account_name: 'Customer Name', [field]: label });
    expect(m.columns.map((c) => c.via)).toEqual(['words', 'words', 'words']);
  });

  it.each([
    ['Account ID', 'Account Name'],
    ['Id', 'Name'],
    ['Record ID', 'Company'],
    ['Company ID', 'Company Name'],
    ['customer id', 'Organization'],
  ])('%s / %s are the id and the name', (id, name) => {
    expect(mapped(mapColumns([id, name, 'Revenue'], 'accounts'))).toEqual({
      account_id: id,
      account_name: name,
      revenue: 'Revenue',
    });
  });

  it("kam's own names in any spelling, with 'via alias' outside the generic preset", () => {
    const header = ['Potential Revenue', 'GROWTH_RATE', 'strategic value'];
    expect(mapped(mapColumns(header, 'accounts'))).toEqual({
      potential_revenue: 'Potential Revenue',
      growth_rate: 'GROWTH_RATE',
      strategic_value: 'strategic value',
    });
    const sf = mapColumns(['Id', 'Name', 'IsDeleted', 'OwnerId', 'pipeline_amount', 'churn_risk'], 'accounts');
    expect(sf.preset).toBe('salesforce');
    expect(mapped(sf)).toEqual({ account_id: 'Id', account_name: 'Name', pipeline: 'pipeline_amount', churn_risk: 'churn_risk' });
    expect(viaOf(sf, 'churn_risk')).toBe('words');
  });

  it('deals aliases', () => {
    const header = ['Opportunity ID', 'Account', 'Deal Value', 'Sales Stage', 'Won', 'Closed', 'Closing Date', 'Currency'];
    expect(mapped(mapColumns(header, 'deals'))).toEqual({
      deal_id: 'Opportunity ID',
      deal_account_name: 'Account',
      amount: 'Deal Value',
      stage: 'Sales Stage',
      is_won: 'Won',
      is_closed: 'Closed',
      close_date: 'Closing Date',
      currency: 'Currency',
    });
  });

  it("a bare 'Customer' column is the name only when nothing better claims it", () => {
    expect(mapped(mapColumns(['Customer', 'Revenue'], 'accounts'))).toEqual({ account_name: 'Customer', revenue: 'Revenue' });
    const m = mapColumns(['Name', 'Customer'], 'accounts');
    expect(mapped(m)).toEqual({ account_name: 'Name' });
    expect(viaOf(m, 'Customer')).toBe('unmapped');
  });

  it('normalisation feeds the lookups: NBSP, trailing *, entity prefix, underscores', () => {
    const header = ['Account\u00a0ID', 'Account Name*', 'Account - Gross_Margin', 'Strategic\u202fValue'];
    expect(mapped(mapColumns(header, 'accounts'))).toEqual({
      account_id: 'Account\u00a0ID',
      account_name: 'Account Name*',
      gross_margin: 'Account - Gross_Margin',
      strategic_value: 'Strategic\u202fValue',
    });
  });

  it('hostile header names map to nothing', () => {
    const m = mapColumns(['__proto__', 'constructor', 'toString', 'Name'], 'accounts');
    expect(mapped(m)).toEqual({ account_name: 'Name' });
    expect(m.columns.map((c) => c.via)).toEqual(['unmapped', 'unmapped', 'unmapped', 'words']);
  });
});

describe('conflicts', () => {
  it('two columns of the same rank claiming one field are an InputError', () => {
    // Salesforce lists both 'Account ID' (report label) and 'Id' (API name).
    const e = thrown(() => mapColumns(['Account ID', 'Account Name', 'Id', 'IsDeleted', 'OwnerId'], 'accounts'));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe(
      `columns 'Account ID' (1) and 'Id' (3) both map to account_id: keep one with --map "Id=ignore" or --map "Account ID=ignore"`,
    );
    expect((e as InputError).exitCode).toBe(1);
  });

  it('two aliases of company_revenue', () => {
    expect(() => mapColumns(['Name', 'Annual Revenue', 'Turnover'], 'accounts')).toThrow(
      `columns 'Annual Revenue' (2) and 'Turnover' (3) both map to company_revenue: keep one with --map "Turnover=ignore" or --map "Annual Revenue=ignore"`,
    );
  });

  it("kam's own snake_case name beats any other reading of the same field", () => {
    const m = mapColumns(['account_id', 'Id', 'account_name'], 'accounts');
    expect(mapped(m)).toEqual({ account_id: 'account_id', account_name: 'account_name' });
    expect(m.columns.map((c) => c.via)).toEqual(['words', 'unmapped', 'words']);
    expect(m.columns[1]?.lostTo).toEqual({ field: 'account_id', index: 0, weak: false });
    expect(m.columns[0]?.beat).toEqual([1]);
  });

  it('--map ignore resolves a conflict', () => {
    const m = mapColumns(['Customer ID', 'Name', 'Id'], 'accounts', { overrides: [{ header: 'Id', field: 'ignore', via: 'map' }] });
    expect(mapped(m)).toEqual({ account_id: 'Customer ID', account_name: 'Name' });
    expect(m.columns.map((c) => c.via)).toEqual(['words', 'words', 'ignored']);
    expect(m.fieldIndex).toEqual({ account_id: 0, account_name: 1 });
  });

  it('--map choosing one claimant resolves a conflict', () => {
    const m = mapColumns(['Customer ID', 'Name', 'Id'], 'accounts', { overrides: [{ header: 'Id', field: 'account_id', via: 'map' }] });
    expect(mapped(m)).toEqual({ account_id: 'Id', account_name: 'Name' });
    expect(m.columns.map((c) => c.via)).toEqual(['unmapped', 'words', 'map']);
  });
});

describe('overrides (--map and config columns)', () => {
  const header = ['Id', 'Name', 'Annual Revenue', 'Spend', 'Notes'];
  const map = (o: MappingOptions['overrides']): ColumnMapping => mapColumns(header, 'accounts', { overrides: o });

  it('--map beats config beats preset and aliases', () => {
    const m = map([
      { header: 'Annual Revenue', field: 'revenue', via: 'map' },
      { header: 'Annual Revenue', field: 'potential_revenue', via: 'config' },
      { header: 'Spend', field: 'pipeline', via: 'config' },
    ]);
    expect(mapped(m)).toEqual({ account_id: 'Id', account_name: 'Name', revenue: 'Annual Revenue', pipeline: 'Spend' });
    expect(m.columns.map((c) => c.via)).toEqual(['words', 'words', 'map', 'config', 'unmapped']);
  });

  it('--map wins over config whatever the order they arrive in', () => {
    const m = map([
      { header: 'Spend', field: 'revenue', via: 'map' },
      { header: 'Spend', field: 'pipeline', via: 'config' },
    ]);
    expect(mapped(m).revenue).toBe('Spend');
  });

  it('the later of two --map flags on one column wins', () => {
    const m = map([
      { header: 'Spend', field: 'revenue', via: 'map' },
      { header: 'Spend', field: 'pipeline', via: 'map' },
    ]);
    expect(mapped(m).pipeline).toBe('Spend');
    expect(mapped(m).revenue).toBeUndefined();
  });

  it('a config mapping takes a field away from a lower-ranked column', () => {
    const m = map([{ header: 'Spend', field: 'company_revenue', via: 'config' }]);
    expect(mapped(m).company_revenue).toBe('Spend');
    expect(viaOf(m, 'Annual Revenue')).toBe('unmapped');
  });

  it('matches the header as written or normalised', () => {
    expect(mapped(map([{ header: 'annual_revenue', field: 'revenue', via: 'map' }])).revenue).toBe('Annual Revenue');
    expect(mapped(map([{ header: ' SPEND ', field: 'revenue', via: 'map' }])).revenue).toBe('Spend');
  });

  it('an unknown header is a UsageError with the columns and a near miss', () => {
    const e = thrown(() => map([{ header: 'Spned', field: 'revenue', via: 'map' }]));
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    expect((e as UsageError).message).toBe("--map: no column 'Spned' in the file (columns: Id, Name, Annual Revenue, Spend, Notes); did you mean 'Spend'?");
    // One team config serves exports of several CRMs: an entry for another file's header is not an error.
    expect(map([{ header: 'Wallet', field: 'potential_revenue', via: 'config' }]).missingConfigColumns).toEqual(['Wallet']);
  });

  it('long column lists are cut short', () => {
    const wide = Array.from({ length: 30 }, (_, i) => `c${i + 1}`);
    expect(() => mapColumns(wide, 'accounts', { overrides: [{ header: 'zzzzzz', field: 'revenue', via: 'map' }] })).toThrow(
      `--map: no column 'zzzzzz' in the file (columns: ${wide.slice(0, 25).join(', ')}, ... (30 in all))`,
    );
  });

  it('a field of the other table kind is a UsageError', () => {
    expect(() => map([{ header: 'Spend', field: 'amount', via: 'map' }])).toThrow(
      "--map: 'amount' is not a field of accounts files (fields: account_id, account_name, revenue, company_revenue, potential_revenue, pipeline, growth_rate, gross_margin, retention_rate, churn_risk, product_fit, strategic_value, industry, country, employees, currency, ignore)",
    );
  });

  it('two --map flags giving one field to two columns are a UsageError', () => {
    const e = thrown(() =>
      map([
        { header: 'Spend', field: 'revenue', via: 'map' },
        { header: 'Notes', field: 'revenue', via: 'map' },
      ]),
    );
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).message).toBe("--map: columns 'Spend' (4) and 'Notes' (5) both map to revenue");
  });

  it('an override matching two columns once normalised must be written exactly', () => {
    const twins = ['Account_Name', 'Account Name', 'Id'];
    expect(mapped(mapColumns(twins, 'accounts', { overrides: [{ header: 'Account Name', field: 'account_name', via: 'map' }] }))).toEqual({
      account_name: 'Account Name',
      account_id: 'Id',
    });
    expect(() => mapColumns(twins, 'accounts', { overrides: [{ header: 'account name', field: 'ignore', via: 'map' }] })).toThrow(
      "--map: 'account name' matches several columns: 'Account_Name' (1), 'Account Name' (2); give the header exactly as written",
    );
  });

  it('an override can rescue an ignored (Do Not Modify) column', () => {
    const header = ['(Do Not Modify) Account', 'Account Name', 'Main Phone', 'Address 1: City', 'Annual Revenue'];
    const m = mapColumns(header, 'accounts', {
      overrides: [{ header: '(Do Not Modify) Account', field: 'account_id', via: 'map' }],
    });
    expect(m.preset).toBe('dynamics');
    expect(mapped(m)).toEqual({
      account_id: '(Do Not Modify) Account',
      account_name: 'Account Name',
      company_revenue: 'Annual Revenue',
    });
  });

  it('--preset overrides detection', () => {
    const header = ['name', 'revenue'];
    const generic = mapColumns(header, 'accounts');
    expect([generic.preset, generic.presetSource, mapped(generic)]).toEqual(['generic', 'detected', { account_name: 'name', revenue: 'revenue' }]);
    const dyn = mapColumns(header, 'accounts', { preset: 'dynamics' });
    expect([dyn.preset, dyn.presetSource, mapped(dyn)]).toEqual(['dynamics', 'option', { account_name: 'name', company_revenue: 'revenue' }]);
  });
});

describe('detectPreset', () => {
  it('generic when nothing hits', () => {
    expect(detectPreset(['a', 'b', 'c'], 'accounts')).toBe('generic');
    expect(detectPreset([], 'deals')).toBe('generic');
  });

  it('one marker hit is not enough', () => {
    expect(detectPreset(['Account Name', 'Revenue', 'Created On'], 'accounts')).toBe('generic');
  });

  it("generic wins a tie with a CRM: kam's own names are evidence too", () => {
    expect(detectPreset(['account_name', 'gross_margin', 'revenue', 'Created On', 'Modified On'], 'accounts')).toBe('generic');
    expect(detectPreset(['account_name', 'revenue', 'Created On', 'Modified On'], 'accounts')).toBe('dynamics');
  });

  it('ties between CRMs go to the earlier preset in PRESET_NAMES', () => {
    // 'Account Owner' is a Salesforce and a Zoho label; 'Parent Account ID' is Zoho and SuiteCRM.
    expect(detectPreset(['Account Owner', 'Parent Account ID', 'Billing Code', 'Office Phone'], 'accounts')).toBe('zoho');
    expect(detectPreset(['AccountNumber', 'NumberOfEmployees'], 'accounts')).toBe('salesforce');
  });

  it('Pipedrive is recognised by its entity prefixes, in other UI languages too', () => {
    expect(detectPreset(['Organizace - Název', 'Organizace - Vlastník'], 'accounts')).toBe('pipedrive');
    expect(detectPreset(['Organisation - Nom', 'Organisation - Propriétaire'], 'accounts')).toBe('pipedrive');
  });

  it.each([
    [['Organizace - ID', 'Organizace - Název', 'Organizace - Vlastník']],
    [['Organisation - ID', 'Organisation - Nom', 'Organisation - Propriétaire']],
    [['Organización - ID', 'Organización - Nombre', 'Organización - Propietario']],
    [['Organização - ID', 'Organização - Nome', 'Organização - Proprietário']],
    [['Organisatie - ID', 'Organisatie - Naam', 'Organisatie - Eigenaar']],
  ])('a localized Pipedrive export maps its name column: %j', (header) => {
    const m = mapColumns(header, 'accounts');
    expect([m.preset, mapped(m)]).toEqual(['pipedrive', { account_id: header[0], account_name: header[1] }]);
  });
});

describe('parseMapOption', () => {
  it.each([
    ['Annual Revenue=company_revenue', { header: 'Annual Revenue', field: 'company_revenue' }],
    ['revenue=company_revenue', { header: 'revenue', field: 'company_revenue' }],
    ['Notes=ignore', { header: 'Notes', field: 'ignore' }],
    ['A=B=revenue', { header: 'A=B', field: 'revenue' }],
    [' Spend = Revenue ', { header: 'Spend', field: 'revenue' }],
    ['Wallet=Potential Revenue', { header: 'Wallet', field: 'potential_revenue' }],
    ['Won?=is_won', { header: 'Won?', field: 'is_won' }],
  ])('%j', (spec, expected) => {
    expect(parseMapOption(spec)).toEqual(expected);
  });

  it.each(['revenue', '=revenue', 'Revenue=', '  =  '])('%j is not Header=field', (spec) => {
    const e = thrown(() => parseMapOption(spec));
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).message).toBe(`--map "${spec}": expected "Header=field", e.g. --map "Annual Revenue=company_revenue"`);
  });

  it('an unknown field lists the valid ones and suggests a near miss', () => {
    const all =
      'account_id, account_name, revenue, company_revenue, potential_revenue, pipeline, growth_rate, gross_margin, retention_rate, churn_risk, product_fit, strategic_value, industry, country, employees, currency, deal_id, deal_account_id, deal_account_name, amount, stage, is_won, is_closed, close_date, ignore';
    const message = (spec: string): string => (thrown(() => parseMapOption(spec)) as UsageError).message;
    expect(message('Spend=revenu')).toBe(`--map "Spend=revenu": unknown field 'revenu' (fields: ${all}); did you mean 'revenue'?`);
    expect(message('Spend=arr')).toBe(`--map "Spend=arr": unknown field 'arr' (fields: ${all})`);
  });
});

describe("headers a first-time user tried (issue 9 stranger test, headers from the tester's knowledge of the UIs)", () => {
  it.each<[string, string, Field | undefined, string | undefined]>([
    // HubSpot in German UI: 'Record ID' is 'Datensatz-ID', 'Company name' 'Unternehmensname'.
    ['Datensatz-ID', 'accounts', 'account_id', undefined],
    ['Unternehmensname', 'accounts', 'account_name', undefined],
    ['Name des Unternehmens', 'accounts', 'account_name', undefined],
    // Pipedrive in French UI: open deals' value is pipeline; won deals' value is a lifetime sum.
    ['Organisation - Valeur des affaires ouvertes', 'accounts', 'pipeline', undefined],
    ['Organization - Open deals value', 'accounts', 'pipeline', undefined],
    ['Organisation - Valeur des affaires gagnées', 'accounts', undefined, 'revenue'],
    ['Organization - Won deals value', 'accounts', undefined, 'revenue'],
    ['Organization - Won deals', 'accounts', undefined, undefined],
  ])('%s (%s) -> %s (near %s)', (header, kind, field, near) => {
    const c = mapColumns([header], kind as TableKind).columns[0]!;
    expect([c.field, c.near?.field]).toEqual([field, near]);
  });
});

describe('a potential is an estimate by nature (stranger test of 5510550: "Wallet estimate" fed nothing, and nothing said so)', () => {
  it.each<[string, Field | undefined, string | undefined]>([
    ['Wallet estimate', 'potential_revenue', undefined],
    ['Estimated wallet', 'potential_revenue', undefined],
    ['Expected potential revenue', 'potential_revenue', undefined],
    ['Potential (forecast)', 'potential_revenue', undefined],
    ['Umsatzpotenzial (geschätzt)', 'potential_revenue', undefined],
    // A goal we set, or a loss, is not the account's potential: said, with the --map to use it.
    ['Potential quota', undefined, 'potential_revenue'],
    ['Lost potential', undefined, 'potential_revenue'],
    // A share of wallet is a percentage of it: neither potential nor a near miss.
    ['Share of wallet', undefined, undefined],
    // An estimate is still not revenue earned.
    ['Forecast revenue', undefined, undefined],
  ])('%s -> %s (near %s)', (header, field, near) => {
    const c = mapColumns(['Account ID', 'Account Name', header], 'accounts').columns[2]!;
    expect([c.field, c.near?.field]).toEqual([field, near]);
  });
});
