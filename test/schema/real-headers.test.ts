import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { ALL_FIELDS, type Field, type TableKind } from '../../src/schema/fields.ts';
import { mapColumns, type ColumnAssignment } from '../../src/schema/mapping.ts';
import type { PresetName } from '../../src/schema/presets.ts';

/**
 * The table of real header spellings (fixtures/headers/real-headers.csv; each row names its
 * source, see fixtures/headers/README.md): for every spelling, the field kam must map it to
 * (or nothing), what its annotations say (unit, scale, currency, rating scale or words,
 * period) and, for a header that looks like a model input but must not feed it, the field a
 * warning must suggest (`near`).
 */
interface Row {
  readonly header: string;
  readonly kind: TableKind;
  readonly preset: string;
  readonly field: string;
  readonly near: string;
  readonly percent: string;
  readonly scale: string;
  readonly currency: string;
  readonly rating_scale: string;
  readonly rating_words: string;
  readonly period: string;
  readonly source: string;
}

const TABLE = new URL('../../fixtures/headers/real-headers.csv', import.meta.url);
const rows = parse<Row>(readFileSync(TABLE), { columns: true, bom: true });

/**
 * The field a warning suggests for a column: a near miss ('Total Revenue' is lifetime, so not
 * revenue), the field a column lost to a stronger claimant, or the trap a mapped column sits
 * beside ('Annual Revenue' is the company's own size, never revenue).
 */
function nearOf(c: ColumnAssignment): string | undefined {
  return c.near?.field ?? c.lostTo?.field;
}

/** The annotations a row's columns describe, in the shape of ColumnAnnotations. */
function expectedAnnotations(r: Row): Record<string, unknown> {
  const a: Record<string, unknown> = {};
  if (r.percent === '1') a['percent'] = true;
  if (r.scale !== '') a['scale'] = Number(r.scale);
  if (r.currency !== '') a['currency'] = r.currency;
  if (r.rating_scale !== '') {
    const [min, max] = r.rating_scale.split('-').map(Number);
    a['ratingScale'] = { min, max };
  }
  if (r.rating_words !== '') {
    // High 100, Medium 50, Low 0: the first word is the best; extra keys (abbreviations
    // such as 'h' for '(H/M/L)') are allowed.
    const words = r.rating_words.split('/');
    const step = 100 / (words.length - 1);
    a['ratingWords'] = expect.objectContaining(Object.fromEntries(words.map((w, i) => [w.toLowerCase(), 100 - i * step])));
  }
  if (r.period !== '') a['period'] = r.period;
  return a;
}

function label(r: Row, line: number): string {
  const where = r.preset === '' ? r.kind : `${r.kind}, ${r.preset}`;
  const to = r.field === '' ? 'nothing' : r.field;
  const near = r.near === '' ? '' : ` (near ${r.near})`;
  return `line ${line}: '${r.header}' (${where}) -> ${to}${near}`;
}

describe('fixtures/headers/real-headers.csv: the table itself', () => {
  it('has at least 170 rows, every row with a kind, a source and known field names', () => {
    expect(rows.length).toBeGreaterThanOrEqual(170);
    const fields = new Set<string>(ALL_FIELDS);
    for (const r of rows) {
      expect(['accounts', 'deals']).toContain(r.kind);
      expect(r.source).not.toBe('');
      if (r.field !== '') expect(fields).toContain(r.field);
      if (r.near !== '') expect(fields).toContain(r.near);
    }
    // At least 25 negative and near-miss rows (the Done-when list).
    expect(rows.filter((r) => r.field === '' || r.near !== '').length).toBeGreaterThanOrEqual(25);
  });
});

describe('every real header spelling maps to its field, annotations and near miss', () => {
  rows.forEach((r, i) => {
    it(label(r, i + 2), () => {
      const options = r.preset === '' ? {} : { preset: r.preset as PresetName };
      const column = mapColumns([r.header], r.kind, options).columns[0]!;
      expect(column.field).toBe(r.field === '' ? undefined : (r.field as Field));
      if (r.field !== '' || r.near !== '') expect(column.annotations).toEqual(expectedAnnotations(r));
      if (r.near !== '') expect(nearOf(column)).toBe(r.near);
    });
  });
});

/**
 * Precedence (issue 9 Build 3): when several columns could feed one field, the most specific
 * wins and the loser is named (near = the field it lost). Per-field currency columns
 * (Build 5) attach to their amount.
 */
interface Pair {
  readonly headers: readonly string[];
  readonly kind: TableKind;
  readonly preset?: PresetName;
  /** header -> field it must feed. */
  readonly wins: Readonly<Record<string, Field>>;
  /** header -> field it lost (feeds nothing, near = that field). */
  readonly loses?: Readonly<Record<string, Field>>;
  /** money field -> header of its currency column. */
  readonly currencyOf?: Readonly<Partial<Record<Field, string>>>;
  readonly source: string;
}

const PAIRS: readonly Pair[] = [
  {
    headers: ['Record ID', 'Company name', 'Total Revenue', 'Revenue (Last 12 Months)'],
    kind: 'accounts',
    preset: 'hubspot',
    wins: { 'Revenue (Last 12 Months)': 'revenue' },
    loses: { 'Total Revenue': 'revenue' },
    source: 'HubSpot Total Revenue is lifetime closed-won (knowledge.hubspot.com, see real-headers.csv); issue 9 Build 3',
  },
  {
    headers: ['Id', 'Name', 'Rating', 'Strategic_Value__c'],
    kind: 'accounts',
    preset: 'salesforce',
    wins: { Strategic_Value__c: 'strategic_value' },
    loses: { Rating: 'strategic_value' },
    source: 'issue 9 Build 3: a custom strategic-value field beats Salesforce Rating (Hot/Warm/Cold)',
  },
  {
    headers: ['Account Name', 'Annual Revenue', 'Revenue LTM'],
    kind: 'accounts',
    wins: { 'Annual Revenue': 'company_revenue', 'Revenue LTM': 'revenue' },
    source: 'SCORING.md 1: Annual Revenue is the company size, never revenue',
  },
  {
    headers: ['Kunde', 'Gesamtumsatz', 'Umsatz 2025'],
    kind: 'accounts',
    wins: { 'Umsatz 2025': 'revenue' },
    loses: { Gesamtumsatz: 'revenue' },
    source: 'issue 9 Build 2: a year is 12-month revenue, Gesamt (total) is lifetime',
  },
  {
    headers: ['Deal - ID', 'Deal - Stage', 'Deal - Status'],
    kind: 'deals',
    preset: 'pipedrive',
    wins: { 'Deal - Status': 'stage' },
    source: 'src/schema/presets.ts pipedrive: Status is the outcome, Stage the pipeline step',
  },
  {
    headers: ['Account Name', 'Revenue (Last 12 Months) Currency', 'Revenue (Last 12 Months)', 'Annual Revenue Currency', 'Annual Revenue'],
    kind: 'accounts',
    preset: 'salesforce',
    wins: { 'Revenue (Last 12 Months)': 'revenue', 'Annual Revenue': 'company_revenue' },
    currencyOf: { revenue: 'Revenue (Last 12 Months) Currency', company_revenue: 'Annual Revenue Currency' },
    source: 'help.salesforce.com 000382314: an exported multi-currency report writes a "<Field> Currency" column before each amount',
  },
  {
    headers: ['Opportunity Name', 'Amount Currency', 'Amount'],
    kind: 'deals',
    preset: 'salesforce',
    wins: { Amount: 'amount' },
    currencyOf: { amount: 'Amount Currency' },
    source: 'help.salesforce.com 000382314 (AMOUNT CURRENCY, AMOUNT)',
  },
  {
    headers: ['account_id', 'retention_rate', 'churn_risk'],
    kind: 'accounts',
    wins: { retention_rate: 'retention_rate', churn_risk: 'churn_risk' },
    source: 'SCORING.md 1: retention_rate and churn_risk are alternatives per row, not rivals for one column',
  },
];

describe('precedence between columns that could feed one field', () => {
  for (const p of PAIRS) {
    it(`${p.headers.join(' | ')} (${p.preset ?? 'detected'}): ${p.source}`, () => {
      const m = mapColumns(p.headers, p.kind, p.preset === undefined ? {} : { preset: p.preset });
      const byHeader = (h: string) => m.columns[p.headers.indexOf(h)]!;
      for (const [h, f] of Object.entries(p.wins)) expect([h, byHeader(h).field]).toEqual([h, f]);
      for (const [h, f] of Object.entries(p.loses ?? {})) {
        expect([h, byHeader(h).field, nearOf(byHeader(h))]).toEqual([h, undefined, f]);
      }
      for (const [f, h] of Object.entries(p.currencyOf ?? {})) {
        expect([f, m.currencyColumns[f as Field]]).toEqual([f, p.headers.indexOf(h)]);
      }
    });
  }

  it('equal claims stay an error naming both columns: Churn Risk (%) and Churn_Risk__c', () => {
    expect(() => mapColumns(['Account Name', 'Churn Risk (%)', 'Churn_Risk__c'], 'accounts')).toThrow(InputError);
    expect(() => mapColumns(['Account Name', 'Churn Risk (%)', 'Churn_Risk__c'], 'accounts')).toThrow(
      /'Churn Risk \(%\)' \(2\) and 'Churn_Risk__c' \(3\) both map to churn_risk/,
    );
  });
});
