import { describe, expect, it } from 'vitest';
import { DealStatus } from '../../src/core/rollup.ts';
import { InputError } from '../../src/errors.ts';
import { parseTable } from '../../src/io/read-table.ts';
import { parseDeals, stageStatus, type DealSettings, type ParsedDeals } from '../../src/schema/deal.ts';
import { parseAccounts } from '../../src/schema/account.ts';
import { mapColumns } from '../../src/schema/mapping.ts';
import { DEFAULT_RATING_WORDS } from '../../src/schema/values.ts';

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

function parse(csv: string, settings: DealSettings = {}): ParsedDeals {
  const table = parseTable(new TextEncoder().encode(csv), 'deals.csv');
  return parseDeals(table, mapColumns(table.header, 'deals'), settings);
}

const STATUS = ['open', 'won', 'lost'] as const;
const statuses = (p: ParsedDeals): string[] => [...p.deals.status].map((s) => STATUS[s]!);
const nums = (x: Float64Array): (number | null)[] => [...x].map((v) => (Number.isNaN(v) ? null : v));
const issues = (p: ParsedDeals): string[] => p.rejected.flatMap((r) => r.issues.map((i) => `${i.line}: ${i.column}: ${i.code}: ${i.message}`));

function fileError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('stageStatus', () => {
  it.each([
    ['Closed Won', DealStatus.Won],
    ['closedwon', DealStatus.Won],
    ['Won', DealStatus.Won],
    ['won', DealStatus.Won],
    ['Closed Lost', DealStatus.Lost],
    ['closed_lost', DealStatus.Lost],
    ['Lost', DealStatus.Lost],
    ['Engaging', DealStatus.Open],
    ['Prospecting', DealStatus.Open],
    ['Negotiation/Review', DealStatus.Open],
    ['open', DealStatus.Open],
    ['Won back later', DealStatus.Open],
  ])('%s', (stage, status) => {
    expect(stageStatus(stage)).toBe(status);
  });
});

describe('parseDeals: the Maven layout (stage text, account names)', () => {
  const p = parse(
    [
      'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value',
      '1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054',
      'KWVA7VR1,Gladys Colclough,GTXPro,Genco Pura Olive Oil Company,Lost,2016-11-04,2017-03-18,0',
      'HAXMC4IX,James Ascencio,MG Advanced,,Engaging,2016-11-03,,',
      '6CWZFOHJ,Anna Snelling,GTX Basic,Green-Plus,Prospecting,,,',
    ].join('\n'),
  );

  it('maps, reads and settles every deal', () => {
    expect(p.rejected).toEqual([]);
    expect(statuses(p)).toEqual(['won', 'lost', 'open', 'open']);
    expect(nums(p.deals.amount)).toEqual([1054, 0, null, null]);
    expect(nums(p.deals.closeDate)).toEqual([day('2017-03-01'), day('2017-03-18'), null, null]);
    expect(p.accountName).toEqual(['Cancity', 'Genco Pura Olive Oil Company', undefined, 'Green-Plus']);
    expect([p.hasAccountId, p.hasAccountName]).toEqual([false, true]);
    expect([...p.recordIndex]).toEqual([0, 1, 2, 3]);
  });
});

describe('parseDeals: Salesforce API names (IsWon / IsClosed)', () => {
  const header = '"ID","ACCOUNTID","NAME","STAGENAME","AMOUNT","CLOSEDATE","ISCLOSED","ISWON"';
  it('takes won/lost/open from the booleans, ids with the zcrm_/apostrophe rules', () => {
    const p = parse(
      [
        header,
        '"006A","001X","Big deal","Closed Won","500000.0","2005-11-09","true","true"',
        '"006B","001X","Small","Value Proposition","140000.0","2005-12-12","false","false"',
        '"006C"," 001Y ","Lost one","Custom Stage","10.0","2005-12-01","true","false"',
        '"006D","001Y","Closed, stage says won","Closed Won","10.0","2005-12-01","true",""',
      ].join('\n'),
    );
    expect(p.rejected).toEqual([]);
    expect(statuses(p)).toEqual(['won', 'open', 'lost', 'won']);
    expect(p.accountId).toEqual(['001X', '001X', '001Y', '001Y']);
    expect([p.hasAccountId, p.hasAccountName]).toEqual([true, false]);
  });

  it('rejects contradictions and won deals without amount or date, with line and column', () => {
    const p = parse(
      [
        header,
        '"006Z","001X","n","Prospecting","5.0","2005-11-09","false","false"',
        '"006A","001X","n","Closed Won","5.0","2005-11-09","false","true"',
        '"006B","001X","n","Closed Lost","5.0","2005-11-09","false",""',
        '"006C","001X","n","Closed Won","","2005-11-09","true","true"',
        '"006D","001X","n","Closed Won","5.0","","true","true"',
        '"006E","001X","n","Prospecting","abc","2005-11-09","false","false"',
        '"006F","001X","n","Prospecting","-5","2005-11-09","maybe","false"',
        '"006Z","001X","n","Prospecting","5.0","2005-11-09","false","false"',
        '"006G","001X","n","Prospecting","#N/A","2005-11-09","false","false"',
        '"006H","001X","n","Prospecting","5.0"',
      ].join('\n'),
    );
    expect(p.deals.n).toBe(1);
    expect(issues(p)).toEqual([
      '3: STAGENAME: invalid_value: is won but not closed',
      "4: STAGENAME: invalid_value: stage 'Closed Lost' says lost but the deal is not closed",
      '5: AMOUNT: required: a won deal needs an amount',
      '6: CLOSEDATE: required: a won deal needs a close date',
      "7: AMOUNT: invalid_value: 'abc' is not an amount",
      '8: AMOUNT: out_of_range: must not be negative (got -5)',
      "8: ISCLOSED: invalid_value: 'maybe' is not a yes/no value (expected true/false, yes/no, y/n, 1/0 or x)",
      "9: ID: duplicate_id: duplicate deal id '006Z': first seen at line 2",
      '10: AMOUNT: spreadsheet_error: contains the spreadsheet error #N/A',
      '11: (row): ragged_row: expected 8 fields, got 5',
    ]);
    expect(p.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

describe('parseDeals: duplicate deal ids', () => {
  it('a later deal is a duplicate even when the first deal with its id is rejected for another reason', () => {
    const p = parse(
      ['deal_id,deal_account_name,stage,amount,close_date', 'D1,Acme,won,,2025-01-01', 'D1,Acme,won,5,2025-01-01', 'D2,Beta,won,7,2025-01-01'].join('\n'),
    );
    expect(issues(p)).toEqual(['2: amount: required: a won deal needs an amount', "3: deal_id: duplicate_id: duplicate deal id 'D1': first seen at line 2"]);
    expect(statuses(p)).toEqual(['won']);
  });
});

describe('parseDeals: stage-only files', () => {
  it('rejects a blank stage when there is no is_won column', () => {
    const p = parse(['deal_id,deal_account_name,stage,amount,close_date', 'D1,Acme,,5,2025-01-01', 'D2,Acme,won,5,2025-01-01'].join('\n'));
    expect(issues(p)).toEqual(['2: stage: required: stage is blank']);
    expect(statuses(p)).toEqual(['won']);
  });

  it('is_won false without is_closed: lost when the stage says so, else open', () => {
    const p = parse(
      [
        'deal_id,deal_account_name,stage,is_won,amount,close_date',
        'D1,Acme,Lost,no,5,2025-01-01',
        'D2,Acme,Demo,no,5,',
        'D3,Acme,Closed Won,no,5,2025-01-01',
      ].join('\n'),
    );
    expect(statuses(p)).toEqual(['lost', 'open']);
    expect(issues(p)).toEqual(["4: stage: invalid_value: stage 'Closed Won' says won but is_won is false"]);
  });
});

describe('parseDeals: numbers, dates, currencies', () => {
  it('infers a comma decimal from the amount column', () => {
    const p = parse(['deal_id;deal_account_name;stage;amount;close_date', 'D1;Acme;won;1.234,50;2025-01-01', 'D2;Acme;won;99,5;2025-01-02'].join('\n'));
    expect(p.decimal).toBe(',');
    expect(nums(p.deals.amount)).toEqual([1234.5, 99.5]);
  });

  it('asks for --decimal when the amounts mix separators', () => {
    expect(
      fileError(() => parse(['deal_account_name,stage,amount,close_date', 'Acme,won,"1,234.50",2025-01-01', 'Acme,won,"99,5",2025-01-01'].join('\n'))),
    ).toBe("deals.csv: the amounts mix decimal separators ('1,234.50' reads as a dot decimal, '99,5' as a comma decimal): pass --decimal . or --decimal ,");
  });

  it('settles the day order of slash dates from the column, with a note', () => {
    const p = parse(['deal_account_name,stage,amount,close_date', 'Acme,won,5,02/03/24', 'Acme,won,5,02/23/26'].join('\n'));
    expect(nums(p.deals.closeDate)).toEqual([day('2024-02-03'), day('2026-02-23')]);
    expect(p.notes).toEqual(["deals.csv: close dates read as M/D/YYYY ('02/23/26' settles it)"]);
    const dmy = parse(['deal_account_name,stage,amount,close_date', 'Acme,won,5,02/03/2024', 'Acme,won,5,13.02.2024'].join('\n'));
    expect(nums(dmy.deals.closeDate)).toEqual([day('2024-03-02'), day('2024-02-13')]);
  });

  it('asks for --date-format when no date settles the order, and uses it when given', () => {
    const csv = ['deal_account_name,stage,amount,close_date', 'Acme,won,5,02/03/24', 'Acme,won,5,04/05/24'].join('\n');
    expect(fileError(() => parse(csv))).toBe(
      "deals.csv: cannot tell the day order of the close dates: '02/03/24' could be read two ways and no date settles it: pass --date-format M/D/YYYY or D/M/YYYY",
    );
    expect(nums(parse(csv, { dateFormat: { order: 'DMY' } }).deals.closeDate)).toEqual([day('2024-03-02'), day('2024-05-04')]);
    expect(fileError(() => parse(['deal_account_name,stage,amount,close_date', 'Acme,won,5,13/02/24', 'Acme,won,5,02/13/24'].join('\n')))).toBe(
      "deals.csv: the close dates mix day orders ('13/02/24' is D/M, '02/13/24' is M/D): pass --date-format",
    );
  });

  it('an amount that overflows once converted is a row issue, never Infinity', () => {
    const csv = ['deal_account_name,stage,amount,close_date,currency', 'Acme,won,1.7976931348623157e308,2025-01-01,GBP'].join('\n');
    const p = parse(csv, { currency: { base: 'EUR', rates: { GBP: 1.5 } } });
    expect(issues(p)).toEqual(["2: amount: out_of_range: '1.7976931348623157e308' is out of range once converted (rate 1.5)"]);
  });

  it('converts currencies with the configured rates; without rates a second currency is one file-level error', () => {
    const csv = [
      'deal_account_name,stage,amount,close_date,currency',
      'Acme,won,100,2025-01-01,EUR',
      'Acme,won,100,2025-01-01,USD',
      'Acme,won,100,2025-01-01,GBP',
    ].join('\n');
    const converted = parse(csv, { currency: { base: 'EUR', rates: { usd: 0.5 } } });
    expect(nums(converted.deals.amount)).toEqual([100, 50]);
    expect(issues(converted)).toEqual(['4: currency: no_rate: no exchange rate for GBP (config currency.rates)']);
    // Issue 9 item 5: was one row issue per deal in another currency.
    expect(fileError(() => parse(csv))).toBe(
      'deals.csv: the amounts are in 3 currencies: EUR (1 row, first at line 2), USD (1 row, first at line 3), GBP (1 row, first at line 4); kam does not compare them without exchange rates: add to kam.config.json "currency": { "base": "EUR", "rates": { "USD": <EUR per 1 USD>, "GBP": <EUR per 1 GBP> } }',
    );
  });
});

describe('parseDeals: file-level problems', () => {
  it.each([
    ['deal_id,stage,amount,close_date', "the deal's account (deal_account_id or deal_account_name)", 'use --map "Header=deal_account_name"'],
    ['deal_account_name,stage,close_date', 'amount', 'use --map "Header=amount"'],
    ['deal_account_name,amount,close_date', 'stage or is_won (which deals are won)', 'use --map "Header=stage"'],
    ['deal_account_name,stage,amount', 'close_date', 'use --map "Header=close_date"'],
  ])('%s', (header, what, hint) => {
    expect(fileError(() => parse(`${header}\n`))).toBe(`deals.csv: missing required column: ${what}; found: ${header.split(',').join(', ')}; ${hint}`);
  });
});

describe('parseDeals shares the row checks of accounts (issue 9 item 9)', () => {
  it('a control character in any cell, mapped or not, is a row issue in a deals file as in an accounts file', () => {
    const csv = 'deal_account_name,stage,amount,close_date,Notes\nAcme,won,100,2025-01-01,ok\nAcme,won,100,2025-01-01,bad\u0007bell\n';
    const p = parse(csv);
    expect(issues(p)).toEqual(['3: Notes: control_char: contains a control character (NUL or similar)']);
    const accounts = parseTable(new TextEncoder().encode('account_name,Notes\nAcme,ok\nBeta,bad\u0007bell\n'), 'a.csv');
    const a = parseAccounts(accounts, mapColumns(accounts.header, 'accounts'), { ratingWords: DEFAULT_RATING_WORDS });
    expect(a.rejected.flatMap((r) => r.issues.map((i) => `${i.line}: ${i.column}: ${i.code}: ${i.message}`))).toEqual(issues(p));
  });

  it('ragged rows and spreadsheet errors read the same in both', () => {
    const p = parse('deal_account_name,stage,amount,close_date\nAcme,won,#N/A,2025-01-01\nAcme,won\n');
    expect(issues(p)).toEqual(['2: amount: spreadsheet_error: contains the spreadsheet error #N/A', '3: (row): ragged_row: expected 4 fields, got 2']);
  });
});

describe('parseDeals: money and the wrong kind of file', () => {
  it("the amount's currency comes from its cell, then the row's currency column; a conflict names the cell", () => {
    const csv = [
      'deal_account_name,stage,amount,close_date,currency',
      'Acme,won,EUR 100,2025-01-01,',
      'Acme,won,USD 100,2025-01-01,EUR',
      'Acme,won,100,2025-01-01,Euro',
    ].join('\n');
    const p = parse(csv, { currency: { base: 'USD', rates: { EUR: 1.2 } } });
    expect(nums(p.deals.amount)).toEqual([120, 120]);
    expect(issues(p)).toEqual(["3: amount: currency_conflict: 'USD 100' says USD but currency 'EUR' says EUR"]);
    expect(p.currencies).toEqual(['EUR']);
  });

  it('an accounts export given as the deals file is one message pointing at the right order', () => {
    const csv = 'Account Name,Annual Revenue,Industry\nAcme,100,Retail\n';
    expect(fileError(() => parse(csv))).toBe(
      "deals.csv looks like an accounts export, not a deals file: it has no close date or stage column, and has the account columns 'Account Name', 'Annual Revenue'; give it as the accounts file and the opportunities export with --deals: kam score deals.csv --deals OPPORTUNITIES.csv",
    );
  });
});
