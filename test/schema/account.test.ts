import { describe, expect, it } from 'vitest';
import { RetentionSource } from '../../src/core/types.ts';
import { textValues } from '../../src/core/text-column.ts';
import { parseTable } from '../../src/io/read-table.ts';
import { parseAccounts, type ValueSettings } from '../../src/schema/account.ts';
import type { Field } from '../../src/schema/fields.ts';
import { mapColumns, type ColumnAnnotations, type ColumnMapping } from '../../src/schema/mapping.ts';
import { DEFAULT_RATING_WORDS } from '../../src/schema/values.ts';

const SETTINGS: ValueSettings = { ratingWords: DEFAULT_RATING_WORDS };

function parse(text: string, settings: Partial<ValueSettings> = {}) {
  const table = parseTable(Buffer.from(text, 'utf8'), 'a.csv');
  const mapping = mapColumns(table.header, 'accounts');
  return parseAccounts(table, mapping, { ...SETTINGS, ...settings });
}

const issuesOf = (p: ReturnType<typeof parse>) => p.rejected.flatMap((r) => r.issues.map((i) => `${i.line}|${i.column}|${i.code}|${i.message}`));

describe('parseAccounts: every row becomes an account or a rejected row with line, column and message', () => {
  it('reads typed columns; blank is missing (NaN), never 0', () => {
    const p = parse('account_id,account_name,revenue,pipeline,growth_rate\nA,Alpha,"$1,200.50",,5%\nB,Beta,0,10,-2%\n');
    expect(p.accounts.n).toBe(2);
    expect(textValues(p.accounts.id)).toEqual(['A', 'B']);
    expect([...p.accounts.revenue]).toEqual([1200.5, 0]);
    expect([...p.accounts.pipeline]).toEqual([NaN, 10]);
    expect([...p.accounts.growthRate]).toEqual([0.05, -0.02]);
    expect([...p.recordIndex]).toEqual([0, 1]);
    expect(p.rejected).toEqual([]);
  });

  it('duplicate ids: the first is kept, the later rejected naming both lines', () => {
    const p = parse('account_id,account_name\nA,Alpha\nB,Beta\nA,Alpha again\n');
    expect(textValues(p.accounts.id)).toEqual(['A', 'B']);
    expect(issuesOf(p)).toEqual(["4|account_id|duplicate_id|duplicate account id 'A': first seen at line 2"]);
  });

  it('a duplicate that is one only as kam compares ids (trimmed, without a leading apostrophe) shows the cell as written', () => {
    const p = parse('account_id,account_name\nACC-1,Alpha\n"ACC-1 ",Alpha spaced\n\'ACC-1,Alpha marked\nacc-1,Alpha lower\n');
    expect(textValues(p.accounts.id)).toEqual(['ACC-1', 'acc-1']);
    expect(issuesOf(p)).toEqual([
      "3|account_id|duplicate_id|duplicate account id 'ACC-1' (this row writes it 'ACC-1 ', which kam compares as 'ACC-1'): first seen at line 2",
      "4|account_id|duplicate_id|duplicate account id 'ACC-1' (this row writes it ''ACC-1', which kam compares as 'ACC-1'): first seen at line 2",
    ]);
  });

  it('a later row is a duplicate even when the first row with its id is rejected for another reason', () => {
    const p = parse(
      'account_id,account_name,revenue,gross_margin\nA,Alpha,#N/A,10%\nB,Beta,5,150%\nA,Alpha again,1,10%\nB,Beta again,2,10%\nZCRM_C,Gamma,x,\nC,Gamma again,3,\n',
    );
    expect(textValues(p.accounts.id)).toEqual([]);
    expect(issuesOf(p)).toEqual([
      '2|revenue|spreadsheet_error|contains the spreadsheet error #N/A',
      '3|gross_margin|out_of_range|gross margin must lie within -100%..100%',
      "4|account_id|duplicate_id|duplicate account id 'A': first seen at line 2",
      "5|account_id|duplicate_id|duplicate account id 'B': first seen at line 3",
      "6|revenue|invalid_value|'x' is not an amount",
      "7|account_id|duplicate_id|duplicate account id 'C': first seen at line 6",
    ]);
  });

  it('a fraction-looking value in a percent column is read as a percent, and a note says so', () => {
    const p = parse('account_id,account_name,retention_rate,growth_rate\nA,Alpha,85,0\nB,Beta,0.9,5%\nC,Gamma,0.5,1\nD,Delta,90%,0.02\n');
    expect([...p.accounts.retentionRate]).toEqual([0.85, 0.9 / 100, 0.005, 0.9]);
    // growth_rate: every bare value lies within -1..1, so the column is fractions and needs no note.
    expect([...p.accounts.growthRate]).toEqual([0, 0.05, 1, 0.02]);
    expect(p.notes).toEqual([
      "retention_rate: bare numbers are percents in this column ('85' at line 2 is 85%), so '0.9' at line 3 is 0.9% (and 1 more value between -1 and 1); write 90% if a fraction was meant",
    ]);
  });

  it('without an id column, names must be unique and serve as ids', () => {
    const p = parse('account_name,revenue\nAlpha,1\nAlpha,2\n');
    expect(textValues(p.accounts.id)).toEqual(['Alpha']);
    expect(issuesOf(p)).toEqual(["3|account_name|duplicate_id|duplicate account name (the file has no id column) 'Alpha': first seen at line 2"]);
  });

  it('ragged rows, control characters and spreadsheet errors are row issues', () => {
    const p = parse('account_id,account_name,revenue\nA,Alpha\nB,Be\u0000ta,1\nC,Gamma,#N/A\nD,Delta,2,9\nE,Epsilon,3\n');
    expect(textValues(p.accounts.id)).toEqual(['E']);
    expect(issuesOf(p)).toEqual([
      '2|(row)|ragged_row|expected 3 fields, got 2',
      '3|account_name|control_char|contains a control character (NUL or similar)',
      '4|revenue|spreadsheet_error|contains the spreadsheet error #N/A',
      '5|(row)|ragged_row|expected 3 fields, got 4',
    ]);
  });

  it('R31: an id Excel turned into 1.23457E+11 is flagged', () => {
    const p = parse('account_id,account_name\n1.23457E+11,Alpha\n');
    expect(p.accounts.n).toBe(0);
    expect(issuesOf(p)).toEqual(['2|account_id|id_mangled|looks like an id Excel converted to scientific notation (1.23457E+11): re-export it as text']);
  });

  it('R32: ids stay strings, even above 2^53 and with leading zeros', () => {
    const p = parse('account_id,account_name\n12345678901234567890,Big\n00123,Zeros\n');
    expect(textValues(p.accounts.id)).toEqual(['12345678901234567890', '00123']);
  });

  it('a blank id (when the file has an id column) or a blank name is a row issue', () => {
    const p = parse('account_id,account_name\n,Alpha\nB,\n');
    expect(issuesOf(p)).toEqual(['2|account_id|required|account id is blank', '3|account_name|required|account name is required']);
  });

  it('percent columns: bare values within -1..1 are fractions, otherwise percents; % always a percent', () => {
    const frac = parse('account_name,gross_margin,growth_rate\nA,0.35,35%\nB,0.1,5\n');
    expect([...frac.accounts.grossMargin]).toEqual([0.35, 0.1]);
    expect([...frac.accounts.growthRate]).toEqual([0.35, 0.05]);
    expect(frac.percentScales).toEqual({ gross_margin: 'fraction', growth_rate: 'percent' });
  });

  it('retention wins over churn; churn alone gives 1 - churn; neither is missing', () => {
    const p = parse('account_name,retention_rate,churn_risk\nA,90%,20%\nB,,25%\nC,,\n');
    expect([...p.accounts.retentionRate]).toEqual([0.9, 0.75, NaN]);
    expect([...p.accounts.retentionSource]).toEqual([RetentionSource.Both, RetentionSource.Churn, RetentionSource.None]);
    expect(p.notes).toEqual(['retention_rate and churn_risk both given on 1 row: retention_rate used']);
  });

  it('ratings: inferred scale per column, words through the config, out of scale is a row issue', () => {
    const p = parse('account_name,product_fit,strategic_value\nA,1,High\nB,5,low\nC,3,Medium\n');
    expect([...p.accounts.productFit]).toEqual([0, 100, 50]);
    expect([...p.accounts.strategicValue]).toEqual([100, 0, 50]);
    const fixed = parse('account_name,product_fit\nA,7\nB,5\n', { ratingScales: { product_fit: { min: 1, max: 5 } } });
    expect(issuesOf(fixed)).toEqual(["2|product_fit|out_of_range|rating 7 is outside the column's scale 1..5"]);
    expect([...fixed.accounts.productFit]).toEqual([100]);
  });

  it('money must not be negative; margin within -100..100%; employees whole', () => {
    const p = parse('account_name,revenue,gross_margin,employees\nA,-5,10%,3\nB,5,150%,3\nC,5,10%,2.5\n');
    expect(issuesOf(p)).toEqual([
      '2|revenue|out_of_range|must not be negative (got -5)',
      '3|gross_margin|out_of_range|gross margin must lie within -100%..100%',
      '4|employees|out_of_range|must be a whole number >= 0 (got 2.5)',
    ]);
  });

  it('currencies: converted with configured rates; a currency without a rate is a row issue', () => {
    const p = parse('account_name,revenue,currency\nA,100,USD\nB,100,EUR\nC,100,GBP\n', { currency: { base: 'USD', rates: { EUR: 1.1 } } });
    expect([...p.accounts.revenue]).toEqual([100, 110.00000000000001]);
    expect(issuesOf(p)).toEqual(['4|currency|no_rate|no exchange rate for GBP (config currency.rates)']);
    // Issue 9 item 5: a file mixing currencies with no rates is one file-level error (was one row issue per row).
    expect(() => parse('account_name,revenue,currency\nA,100,USD\nB,100,EUR\n')).toThrow(
      'a.csv: the amounts are in 2 currencies: USD (1 row, first at line 2), EUR (1 row, first at line 3); kam does not compare them without exchange rates: add to kam.config.json "currency": { "base": "USD", "rates": { "EUR": <USD per 1 EUR> } }',
    );
  });

  it('fuzz regression: an amount that overflows once converted is a row issue, never Infinity', () => {
    const p = parse('account_name,company_revenue,currency\nA,1.7976931348623157e308,GBP\nB,10,GBP\n', {
      currency: { base: 'EUR', rates: { GBP: 1.5 } },
    });
    expect([...p.accounts.companyRevenue]).toEqual([15]);
    expect(issuesOf(p)).toEqual(["2|company_revenue|out_of_range|'1.7976931348623157e308' is out of range once converted to EUR (rate 1.5)"]);
  });

  it('a missing account name column is a file-level error naming near misses', () => {
    expect(() => parse('id,company_label\n1,Alpha\n')).toThrow(
      'a.csv: missing required column: account_name (the account\'s name); found: id, company_label; use --map "Header=account_name"',
    );
  });

  it('an undecidable decimal separator is an error asking for --decimal, never a guess', () => {
    expect(() => parse('account_name,revenue\nA,1.234\nB,2.500\n')).toThrow(
      "a.csv: cannot tell the decimal separator: '1.234' could be read two ways and no value settles it: pass --decimal . or --decimal ,",
    );
    const comma = parse('account_name,revenue\nA,1.234\nB,"2,5"\n');
    expect(comma.decimal).toBe(',');
    expect([...comma.accounts.revenue]).toEqual([1234, 2.5]);
    const given = parse('account_name,revenue\nA,1.234\n', { decimal: '.' });
    expect([...given.accounts.revenue]).toEqual([1.234]);
  });

  it('R50: bidi and zero-width characters are kept but counted', () => {
    const p = parse('account_name\n\u202Eevil\nAcme\u200B\nPlain\n');
    expect(textValues(p.accounts.name)).toEqual(['\u202Eevil', 'Acme\u200B', 'Plain']);
    expect(p.invisibleCells).toBe(2);
  });

  it('flag columns from the config are read as booleans (1 yes, 0 no, 255 missing)', () => {
    const p = parse('account_name,Reference Customer\nA,yes\nB,no\nC,\n', { flagColumns: ['reference_customer'] });
    expect([...p.accounts.flags['reference_customer']!]).toEqual([1, 0, 255]);
  });
});

/**
 * A mapping as the header mapper will build it, with annotations and per-field currency
 * columns filled in by hand (the mapper leaves them empty until its vocabulary lands).
 */
function parseAnnotated(
  text: string,
  patch: { annotations?: Record<string, ColumnAnnotations>; currencyColumns?: Partial<Record<Field, string>> },
  settings: Partial<ValueSettings> = {},
) {
  const table = parseTable(Buffer.from(text, 'utf8'), 'a.csv');
  const base = mapColumns(table.header, 'accounts');
  const mapping: ColumnMapping = {
    ...base,
    columns: base.columns.map((c) => ({ ...c, annotations: patch.annotations?.[c.header] ?? c.annotations })),
    currencyColumns: Object.fromEntries(Object.entries(patch.currencyColumns ?? {}).map(([f, h]) => [f, table.header.indexOf(h)])),
  };
  return parseAccounts(table, mapping, { ...SETTINGS, ...settings });
}

describe('parseAccounts: header annotations (issue 9 item 2)', () => {
  it("percent: bare numbers are percents even when all lie within -1..1 ('Churn Risk (%)': 0.5 is 0.5%)", () => {
    const text = 'account_name,churn_risk\nA,0.5\nB,1\n';
    expect([...parse(text).accounts.retentionRate]).toEqual([0.5, 0]);
    const p = parseAnnotated(text, { annotations: { churn_risk: { percent: true } } });
    expect([...p.accounts.retentionRate]).toEqual([0.995, 0.99]);
    expect(p.percentScales.churn_risk).toBe('percent');
    expect(p.annotationEffects).toEqual([
      { field: 'churn_risk', column: 1, header: 'churn_risk', annotation: 'percent', effect: 'bare numbers are percents', changed: true },
    ]);
    expect(p.notes).toEqual(['churn_risk: bare numbers are percents, as the header says']);
    // Values above 1 would have read as percents anyway: recorded, not said.
    const same = parseAnnotated('account_name,churn_risk\nA,5\n', { annotations: { churn_risk: { percent: true } } });
    expect([same.annotationEffects[0]!.changed, same.notes]).toEqual([false, []]);
  });

  it("scale: money is multiplied ('Revenue (k)': 1,200 is 1,200,000), and said once", () => {
    const p = parseAnnotated('account_name,revenue,pipeline\nA,"1,200",5\nB,3.5,\n', { annotations: { revenue: { scale: 1000 } } });
    expect([...p.accounts.revenue]).toEqual([1_200_000, 3500]);
    expect([...p.accounts.pipeline]).toEqual([5, NaN]);
    expect(p.notes).toEqual(['revenue: values × 1000, as the header says']);
  });

  it('ratingScale: the header sets the scale as a config scale would (a 1-10 column whose values reach only 4)', () => {
    const text = 'account_name,product_fit\nA,1\nB,4\n';
    expect([...parse(text).accounts.productFit]).toEqual([0, 75]); // inferred 1..5
    const p = parseAnnotated(text, { annotations: { product_fit: { ratingScale: { min: 1, max: 10 } } } });
    expect([...p.accounts.productFit]).toEqual([0, (100 * 3) / 9]);
    expect(p.ratingScales.product_fit).toEqual({ min: 1, max: 10 });
    expect(p.notes).toEqual(['product_fit: scale 1..10, as the header says']);
    // A config scale still wins over the header.
    const cfg = parseAnnotated(
      text,
      { annotations: { product_fit: { ratingScale: { min: 1, max: 10 } } } },
      { ratingScales: { product_fit: { min: 0, max: 4 } } },
    );
    expect([...cfg.accounts.productFit]).toEqual([25, 100]);
    // A value outside the header's scale is a row issue naming the scale, not a rescale.
    const out = parseAnnotated('account_name,product_fit\nA,1\nB,7\n', { annotations: { product_fit: { ratingScale: { min: 1, max: 5 } } } });
    expect(issuesOf(out)).toEqual(["3|product_fit|out_of_range|rating 7 is outside the column's scale 1..5"]);
  });

  it("ratingWords: extend the words of that column only; H/M/L and High/Medium/Low are each other's abbreviations", () => {
    const text = 'account_name,strategic_value,product_fit\nA,H,High\nB,m,Low\nC,Low,L\n';
    const p = parseAnnotated(text, { annotations: { strategic_value: { ratingWords: { h: 100, m: 50, l: 0 } } } });
    expect([...p.accounts.strategicValue]).toEqual([100, 50]);
    expect(issuesOf(p)).toEqual([
      '4|product_fit|invalid_value|\'L\' is not a rating (expected a number or one of: High, Medium, Low, Hot, Warm, Cold (or High/Medium/Low in German, French, Spanish, Portuguese, Italian or Dutch); the config\'s "ratings": { "words": ... } adds others)',
    ]);
    expect(p.annotationEffects.map((e) => [e.header, e.annotation, e.effect])).toEqual([
      ['strategic_value', 'ratingWords', 'words H=100, M=50, L=0, high=100, medium=50, low=0'],
    ]);
    const words = parseAnnotated('account_name,strategic_value\nA,Top\nB,Medium\n', {
      annotations: { strategic_value: { ratingWords: { top: 90, medium: 40 } } },
    });
    expect([...words.accounts.strategicValue]).toEqual([90, 40]);
  });

  it("currency: the header's currency is the column's ('Revenue (€)'), converted with the config's rates", () => {
    const text = 'account_name,revenue,pipeline\nA,100,100\n';
    const p = parseAnnotated(text, { annotations: { revenue: { currency: 'EUR' } } }, { currency: { base: 'USD', rates: { EUR: 1.25 } } });
    expect([[...p.accounts.revenue], [...p.accounts.pipeline]]).toEqual([[125], [100]]);
    expect(p.currencies).toEqual(['EUR']);
    expect(p.notes).toEqual(['revenue: amounts in EUR, as the header says']);
    // Scale and currency together: '(€k)'.
    const k = parseAnnotated(text, { annotations: { revenue: { currency: 'EUR', scale: 1000 } } }, { currency: { base: 'USD', rates: { EUR: 1.25 } } });
    expect([...k.accounts.revenue]).toEqual([125_000]);
    // A cell naming another currency contradicts the header.
    const bad = parseAnnotated(
      'account_name,revenue\nA,USD 100\n',
      { annotations: { revenue: { currency: 'EUR' } } },
      { currency: { base: 'USD', rates: { EUR: 1.25 } } },
    );
    expect(issuesOf(bad)).toEqual(["2|revenue|currency_conflict|'USD 100' says USD but the header 'revenue' says EUR"]);
  });
});

describe('parseAccounts: money as multi-currency CRMs write it (issue 9 item 5, issue 11 item 5)', () => {
  const RATES = { currency: { base: 'USD', rates: { EUR: 1.1, JPY: 0.0065 } } };

  it("issue 11's cells in one column: one file-level error without rates; converted with them; a missing rate is a row issue", () => {
    const text = 'account_name,revenue\nA,"JPY 5,000,000"\nB,"USD 40,000"\nC,"€9,000,000"\n';
    expect(() => parse(text)).toThrow(
      'a.csv: the amounts are in 3 currencies: JPY (1 row, first at line 2), USD (1 row, first at line 3), EUR (1 row, first at line 4); kam does not compare them without exchange rates: add to kam.config.json "currency": { "base": "JPY", "rates": { "USD": <JPY per 1 USD>, "EUR": <JPY per 1 EUR> } }',
    );
    const p = parse(text, RATES);
    expect([...p.accounts.revenue]).toEqual([5_000_000 * 0.0065, 40_000, 9_000_000 * 1.1]);
    expect(p.currencies).toEqual(['JPY', 'USD', 'EUR']);
    const partial = parse(text, { currency: { base: 'USD', rates: { JPY: 0.0065 } } });
    expect(issuesOf(partial)).toEqual(['4|revenue|no_rate|no exchange rate for EUR (config currency.rates)']);
  });

  it('a file in one currency needs no rates, whatever that currency is', () => {
    const p = parse('account_name,revenue\nA,"JPY 5,000,000"\nB,"¥300"\nC,7\n');
    expect([...p.accounts.revenue]).toEqual([5e6, 300, 7]);
    expect([p.currencies, p.rejected]).toEqual([['JPY'], []]);
  });

  it("Salesforce report: each amount has its own '<Field> Currency' column; cells and columns must agree", () => {
    // Salesforce Lightning report of a multi-currency org (issue 9: 'Annual Revenue Currency' beside 'Annual Revenue').
    const text = [
      'account_name,revenue,Revenue Currency,pipeline,Pipeline Currency',
      'A,"1,000.00",EUR,500,USD',
      'B,"EUR 1,000.00",EUR,,',
      'C,"USD 1,000.00",EUR,1,USD',
      'D,100,Zorkmid,1,USD',
    ].join('\n');
    const p = parseAnnotated(text, { currencyColumns: { revenue: 'Revenue Currency', pipeline: 'Pipeline Currency' } }, RATES);
    expect([[...p.accounts.revenue], [...p.accounts.pipeline]]).toEqual([
      [1100, 1100],
      [500, NaN],
    ]);
    expect(issuesOf(p)).toEqual([
      "4|revenue|currency_conflict|'USD 1,000.00' says USD but Revenue Currency 'EUR' says EUR",
      "5|Revenue Currency|invalid_value|'Zorkmid' is not a currency (an ISO code such as EUR, a symbol such as €, or a currency name)",
    ]);
  });

  it('Dynamics 365: the row currency is a currency NAME, in the UI language', () => {
    const text = 'account_name,revenue,currency\nA,100,Euro\nB,100,US Dollar\nC,100,Livre sterling\nD,100,Dollar US\n';
    const p = parse(text, { currency: { base: 'EUR', rates: { USD: 0.9, GBP: 1.2 } } });
    expect([...p.accounts.revenue]).toEqual([100, 90, 120, 90]);
  });

  it("the cell's currency wins over nothing; it must agree with the row's currency column", () => {
    const p = parse('account_name,revenue,currency\nA,EUR 100,EUR\nB,EUR 100,USD\nC,200,EUR\n', RATES);
    expect([...p.accounts.revenue]).toEqual([110.00000000000001, 220.00000000000003]);
    expect(issuesOf(p)).toEqual(["3|revenue|currency_conflict|'EUR 100' says EUR but currency 'USD' says USD"]);
  });

  it("a bare '$': any dollar of the row's currency column, else the base when a dollar, else USD with a note", () => {
    const text = 'account_name,revenue,currency\nA,$100,CAD\nB,$100,\nC,$100,EUR\n';
    const cad = parse(text, { currency: { base: 'CAD', rates: { EUR: 1.5 } } });
    expect([...cad.accounts.revenue]).toEqual([100, 100]);
    expect(issuesOf(cad)).toEqual(["4|revenue|currency_conflict|'$100' cannot be EUR (currency 'EUR' says EUR)"]);
    expect(cad.notes).toEqual([]);
    const eur = parse('account_name,revenue,currency\nA,$100,CAD\nB,$100,\nC,$200,\n', { currency: { base: 'EUR', rates: { CAD: 0.7, USD: 0.9 } } });
    expect([...eur.accounts.revenue]).toEqual([70, 90, 180]);
    expect(eur.notes).toEqual([
      "revenue: a bare '$' was read as USD (2 values, first at line 3): nothing in the row says which one is meant and the config base EUR is not one; write the code (CAD 1,200) or add a currency column if another was meant",
    ]);
    // No rates, only dollars: nothing to convert, nothing to say (a US export reads as before).
    const us = parse('account_name,revenue\nA,"$1,200.00"\nB,$5\n');
    expect([[...us.accounts.revenue], us.notes, us.currencies]).toEqual([[1200, 5], [], ['USD']]);
  });

  it("a value with no currency anywhere is in the base (with rates) or the file's one currency (without)", () => {
    const p = parse('account_name,revenue\nA,EUR 100\nB,100\n');
    expect([[...p.accounts.revenue], p.currencies]).toEqual([[100, 100], ['EUR']]);
  });
});

describe('parseAccounts: rows that are not accounts (issue 9 item 6)', () => {
  it.each([
    ['Total'],
    ['Totals'],
    ['Grand Total'],
    ['Grand Totals:'],
    ['Summe'],
    ['Gesamt'],
    ['Gesamtergebnis'],
    ['Total général'],
    ['Totaal'],
    ['Totale'],
    ['Total geral'],
    ['TOTAL (3 records)'],
    ['Subtotal'],
    ['Zwischensumme'],
    ['Sous-total'],
  ])('%j with no id is dropped with a note naming its line', (name) => {
    const p = parse(`account_id,account_name,revenue\nA,Alpha,100\nB,Beta,200\n,${name},999\n`);
    expect([p.accounts.n, p.rejected, p.dropped.map((d) => [d.line, d.reason])]).toEqual([2, [], [[4, 'name']]]);
    expect(p.notes).toEqual([`dropped 1 totals row (not accounts): line 4 '${name}'`]);
  });

  it('a totals name with an id is an account (TotalEnergies may be a customer)', () => {
    const p = parse('account_id,account_name,revenue\nA,Alpha,100\nT,Total,5\n');
    expect([textValues(p.accounts.name), p.dropped]).toEqual([['Alpha', 'Total'], []]);
  });

  it('a row whose values are the sums of the rows above: blank name, or a name with a totals word (subtotals and a grand total)', () => {
    const text = [
      'account_name,revenue,pipeline',
      'A,100,10',
      'B,200,',
      'EMEA Total,300,10',
      'C,"1,000.50",5',
      'D,50,5',
      ',"1,050.50",10',
      ',"1,350.50",20',
    ].join('\n');
    const p = parse(text);
    expect(textValues(p.accounts.name)).toEqual(['A', 'B', 'C', 'D']);
    expect(p.rejected).toEqual([]);
    expect(p.notes).toEqual([
      "dropped 3 totals rows (not accounts): line 4 'EMEA Total' (its values are the sums of the rows above), line 7 (blank name) (its values are the sums of the rows above), line 8 (blank name) (its values are the sums of the rows above)",
    ]);
  });

  it('a name-less row that is not a sum stays a rejected row; an account named like a region keeps its place', () => {
    const p = parse('account_name,revenue\nA,100\nB,200\n,250\nTotal Logistics Ltd,310\n');
    expect(textValues(p.accounts.name)).toEqual(['A', 'B', 'Total Logistics Ltd']);
    expect(issuesOf(p)).toEqual(['4|account_name|required|account name is required']);
    expect(p.dropped).toEqual([]);
  });

  it('fuzz regression: sums that overflow to Infinity match nothing', () => {
    const p = parse('account_name,company_revenue\nA,1e308\nB,1e308\n,"1,234.50"\n');
    expect([p.accounts.n, p.dropped, issuesOf(p)]).toEqual([2, [], ['4|account_name|required|account name is required']]);
  });

  it('a totals row is no duplicate of anything, and never decides the currency mix', () => {
    const p = parse('account_name,revenue\nA,EUR 100\nB,EUR 200\nTotal,USD 330\nTotal,USD 330\n');
    expect([p.accounts.n, p.rejected, p.currencies, p.dropped.map((d) => d.line)]).toEqual([2, [], ['EUR'], [4, 5]]);
  });
});

describe('parseAccounts: the wrong kind of file (issue 9 item 7)', () => {
  it('an opportunities export as the accounts file is one error suggesting --deals, not one duplicate per deal', () => {
    // Salesforce Opportunity fields (CRM-FORMATS.md §1a: API names; Opportunity AMOUNT is written 500000.0).
    const rows = ['Id,Account Name,StageName,Amount,CloseDate,Annual Revenue'];
    for (let i = 0; i < 40; i++) rows.push(`006-${i},Acme ${i % 3},Closed Won,500000.0,2025-01-0${(i % 9) + 1},1000`);
    expect(() => parse(rows.join('\n'))).toThrow(
      "a.csv looks like an opportunities (deals) export, not an accounts file: it has the deal columns 'StageName', 'CloseDate', 'Amount' and 37 rows repeat an account name ('Acme 0' is on 14 rows); give the accounts export first and this file with --deals: kam score ACCOUNTS.csv --deals a.csv",
    );
  });

  it('an accounts file with a close date or stage column, names unique, is read as accounts', () => {
    const p = parse('account_name,revenue,Stage,Close Date,Amount\nA,100,Customer,2025-01-01,5\nB,100,Prospect,2025-01-01,5\n');
    expect(p.accounts.n).toBe(2);
  });
});
