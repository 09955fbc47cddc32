import { describe, expect, it } from 'vitest';
import { ACCOUNT_FIELDS, DEAL_FIELDS, FIELD_DESCRIPTIONS, FIELD_TYPES, criteriaFed, type AccountField } from '../../src/schema/fields.ts';
import { detectPreset, mapColumns, normaliseHeader } from '../../src/schema/mapping.ts';
import { PRESETS, PRESET_NAMES, type PresetName } from '../../src/schema/presets.ts';

/** Every exception table with a name, for invariants that hold across all of them. */
const tables = PRESET_NAMES.flatMap((n) => [
  { name: `${n}.accounts`, kind: 'accounts' as const, table: PRESETS[n].accounts as Record<string, { field: string | null }> },
  { name: `${n}.deals`, kind: 'deals' as const, table: PRESETS[n].deals as Record<string, { field: string | null }> },
]);

/** The field one header maps to alone, under a forced preset. */
const fieldUnder = (preset: PresetName, header: string): string | undefined => mapColumns([header], 'accounts', { preset }).columns[0]?.field;

describe('preset tables', () => {
  it('PRESETS holds every name, in order, with its label', () => {
    expect(Object.keys(PRESETS)).toEqual([...PRESET_NAMES]);
    expect(PRESET_NAMES.map((n) => [PRESETS[n].name, PRESETS[n].label])).toEqual([
      ['salesforce', 'Salesforce'],
      ['hubspot', 'HubSpot'],
      ['dynamics', 'Microsoft Dynamics 365'],
      ['pipedrive', 'Pipedrive'],
      ['zoho', 'Zoho CRM'],
      ['odoo', 'Odoo'],
      ['suitecrm', 'SuiteCRM'],
      ['generic', 'generic'],
    ]);
  });

  it.each(tables)('$name keys are normalised headers (or entity-qualified ones)', ({ table }) => {
    const bad = Object.keys(table).filter((key) => {
      const qualified = /^[a-z]+ - /.test(key);
      return qualified ? key !== key.trim().toLowerCase() : normaliseHeader(key) !== key;
    });
    expect(bad).toEqual([]);
  });

  it.each(tables)('$name maps only to fields of its table kind', ({ kind, table }) => {
    const valid: readonly string[] = kind === 'accounts' ? ACCOUNT_FIELDS : DEAL_FIELDS;
    expect(Object.values(table).filter((e) => e.field !== null && !valid.includes(e.field))).toEqual([]);
  });

  // Salesforce, HubSpot, Dynamics, Zoho and SuiteCRM all label the firmographic 'Annual Revenue'
  // (CRM-FORMATS.md §1c, §2, §3, §5, §7); German 'Jahresumsatz' is the same word.
  it.each(PRESET_NAMES)('"Annual Revenue" is company_revenue under %s, never revenue', (preset) => {
    const headers = ['Annual Revenue', 'AnnualRevenue', 'ANNUALREVENUE', 'annual_revenue', 'Jahresumsatz', 'Turnover', 'Company Revenue'];
    expect(headers.map((h) => fieldUnder(preset, h))).toEqual(headers.map(() => 'company_revenue'));
  });

  it("only Dynamics reads a bare 'revenue' as the company's revenue", () => {
    // Dataverse's logical name of "Annual Revenue" is `revenue` (CRM-FORMATS.md §3).
    expect(PRESET_NAMES.map((n) => `${n} -> ${fieldUnder(n, 'revenue')}`)).toEqual(
      PRESET_NAMES.map((n) => `${n} -> ${n === 'dynamics' ? 'company_revenue' : 'revenue'}`),
    );
  });

  it('Salesforce Rating feeds strategic_value (weakly); Zoho and SuiteCRM ratings are not ratings', () => {
    expect(PRESETS.salesforce.accounts['rating']).toEqual({ field: 'strategic_value', strength: 1 });
    expect(PRESETS.zoho.accounts['rating']).toEqual({ field: null, strength: 3 });
    expect(fieldUnder('zoho', 'Rating')).toBeUndefined();
    const suite = mapColumns(['Rating'], 'accounts', { preset: 'suitecrm' }).columns[0];
    expect([suite?.field, suite?.near]).toEqual([undefined, { field: 'strategic_value', reason: 'ambiguous' }]);
    // A custom strategic-value field beats Salesforce's Hot/Warm/Cold Rating.
    const sf = mapColumns(['Id', 'Name', 'IsDeleted', 'OwnerId', 'Rating', 'Strategic_Value__c'], 'accounts');
    expect([sf.preset, sf.fieldIndex.strategic_value, sf.columns[4]?.lostTo]).toEqual(['salesforce', 5, { field: 'strategic_value', index: 5, weak: true }]);
  });

  it('only Dynamics ignores columns, and only its (Do Not Modify) ones', () => {
    const dyn = PRESETS.dynamics.ignore;
    expect(dyn.map((re) => re.test('(do not modify) row checksum'))).toEqual([true]);
    expect(dyn.some((re) => re.test('account name'))).toBe(false);
    expect(PRESET_NAMES.filter((n) => PRESETS[n].ignore.length > 0)).toEqual(['dynamics']);
  });

  it('markers are lower case and trimmed', () => {
    const bad = PRESET_NAMES.flatMap((n) => PRESETS[n].markers.filter((m) => m !== m.trim().toLowerCase()));
    expect(bad).toEqual([]);
  });

  it('generic markers are snake_case, so "Account Name" labels never count for generic', () => {
    expect(PRESETS.generic.markers.every((m) => /^[a-z]+(_[a-z]+)+$/.test(m))).toBe(true);
    expect(detectPreset(['Account Name', 'Account ID', 'Annual Revenue'], 'accounts')).toBe('generic');
    expect(detectPreset(['account_name', 'account_id'], 'accounts')).toBe('generic');
  });

  // Each CRM is recognised from a handful of its own distinctive headers.
  const typical: Array<[PresetName, string[]]> = [
    ['salesforce', ['Id', 'IsDeleted', 'Name', 'AnnualRevenue', 'SystemModstamp']],
    ['hubspot', ['Record ID', 'Company name', 'Company owner', 'Create Date', 'Lifecycle Stage']],
    ['dynamics', ['Account Name', 'Main Phone', 'Address 1: City', 'Primary Contact', 'Email (Primary Contact)']],
    ['pipedrive', ['Organization - Name', 'Organization - Owner', 'Organization - Open deals']],
    ['zoho', ['Record Id', 'Account Owner', 'Account Name', 'Billing Code', 'Modified Time']],
    ['odoo', ['id', 'name', 'is_company', 'parent_id/id', 'country_id']],
    ['suitecrm', ['Name', 'ID', 'Office Phone', 'Assigned to', 'Assigned User ID']],
    ['generic', ['account_id', 'account_name', 'revenue']],
  ];
  it.each(typical)('%s is detected from its typical headers', (name, header) => {
    expect(detectPreset(header, 'accounts')).toBe(name);
  });

  it('Odoo technical names map through the preset', () => {
    const m = mapColumns(['id', 'name', 'is_company', 'parent_id/id', 'country_id', 'industry_id'], 'accounts');
    expect(m.preset).toBe('odoo');
    expect(m.fieldIndex).toEqual({ account_id: 0, account_name: 1, country: 4, industry: 5 });
  });
});

describe('fields', () => {
  it('every field has a type and a one-line description', () => {
    const all = [...new Set([...ACCOUNT_FIELDS, ...DEAL_FIELDS])];
    expect(Object.keys(FIELD_TYPES).sort()).toEqual([...all].sort());
    expect(Object.keys(FIELD_DESCRIPTIONS).sort()).toEqual([...all].sort());
    expect(Object.values(FIELD_DESCRIPTIONS).filter((d) => d.length === 0 || d.includes('\n'))).toEqual([]);
  });

  it('types follow SCORING.md', () => {
    expect(FIELD_TYPES).toEqual({
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
    });
  });

  const fed = (fields: AccountField[], icp = false, flags = 0): string[] =>
    Object.entries(criteriaFed(new Set(fields), icp, flags))
      .filter(([, on]) => on)
      .map(([c]) => c);

  it.each<[string, AccountField[], boolean, number, string[]]>([
    ['nothing', ['account_id', 'account_name'], false, 0, []],
    ['revenue alone feeds volume only', ['revenue'], false, 0, ['volume']],
    ['company revenue feeds nothing', ['company_revenue'], true, 0, []],
    ['ltv needs revenue and gross margin', ['gross_margin', 'retention_rate'], false, 0, []],
    ['revenue and gross margin feed ltv', ['revenue', 'gross_margin'], false, 0, ['volume', 'ltv']],
    ['potential from potential revenue', ['potential_revenue'], false, 0, ['potential']],
    ['potential from pipeline', ['pipeline'], false, 0, ['potential']],
    ['potential from growth', ['growth_rate'], false, 0, ['potential']],
    ['fit from product fit', ['product_fit'], false, 0, ['fit']],
    ['firmographics without ICP rules feed nothing', ['industry', 'country', 'employees'], false, 0, []],
    ['firmographics with ICP rules feed fit', ['employees'], true, 0, ['fit']],
    ['strategic from the rating', ['strategic_value'], false, 0, ['strategic']],
    ['strategic from flag columns', [], false, 2, ['strategic']],
    [
      'everything',
      ['revenue', 'gross_margin', 'potential_revenue', 'product_fit', 'strategic_value'],
      false,
      0,
      ['volume', 'potential', 'ltv', 'fit', 'strategic'],
    ],
  ])('%s', (_, fields, icp, flags, expected) => {
    expect(fed(fields, icp, flags)).toEqual(expected);
  });

  it('criteriaFed reports all five criteria', () => {
    expect(criteriaFed(new Set(), false, 0)).toEqual({
      volume: false,
      potential: false,
      ltv: false,
      fit: false,
      strategic: false,
    });
  });
});
