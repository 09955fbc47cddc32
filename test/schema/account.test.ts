import { describe, expect, it } from 'vitest';
import { RetentionSource } from '../../src/core/types.ts';
import { parseTable } from '../../src/io/read-table.ts';
import { parseAccounts, type ValueSettings } from '../../src/schema/account.ts';
import { mapColumns } from '../../src/schema/mapping.ts';
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
    expect(p.accounts.id).toEqual(['A', 'B']);
    expect([...p.accounts.revenue]).toEqual([1200.5, 0]);
    expect([...p.accounts.pipeline]).toEqual([NaN, 10]);
    expect([...p.accounts.growthRate]).toEqual([0.05, -0.02]);
    expect([...p.recordIndex]).toEqual([0, 1]);
    expect(p.rejected).toEqual([]);
  });

  it('duplicate ids: the first is kept, the later rejected naming both lines', () => {
    const p = parse('account_id,account_name\nA,Alpha\nB,Beta\nA,Alpha again\n');
    expect(p.accounts.id).toEqual(['A', 'B']);
    expect(issuesOf(p)).toEqual(["4|account_id|duplicate_id|duplicate account id 'A': first seen at line 2"]);
  });

  it('a later row is a duplicate even when the first row with its id is rejected for another reason', () => {
    const p = parse('account_id,account_name,revenue,gross_margin\nA,Alpha,#N/A,10%\nB,Beta,5,150%\nA,Alpha again,1,10%\nB,Beta again,2,10%\nZCRM_C,Gamma,x,\nC,Gamma again,3,\n');
    expect(p.accounts.id).toEqual([]);
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
    expect(p.accounts.id).toEqual(['Alpha']);
    expect(issuesOf(p)).toEqual(["3|account_name|duplicate_id|duplicate account name (the file has no id column) 'Alpha': first seen at line 2"]);
  });

  it('ragged rows, control characters and spreadsheet errors are row issues', () => {
    const p = parse('account_id,account_name,revenue\nA,Alpha\nB,Be\u0000ta,1\nC,Gamma,#N/A\nD,Delta,2,9\nE,Epsilon,3\n');
    expect(p.accounts.id).toEqual(['E']);
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
    expect(p.accounts.id).toEqual(['12345678901234567890', '00123']);
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
    expect(p.accounts.name).toEqual(['\u202Eevil', 'Acme\u200B', 'Plain']);
    expect(p.invisibleCells).toBe(2);
  });

  it('flag columns from the config are read as booleans (1 yes, 0 no, 255 missing)', () => {
    const p = parse('account_name,Reference Customer\nA,yes\nB,no\nC,\n', { flagColumns: ['reference_customer'] });
    expect([...p.accounts.flags['reference_customer']!]).toEqual([1, 0, 255]);
  });
});
