import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { CurrencyBook, resolveCurrency, type CurrencySource } from '../../src/schema/money.ts';

const cell = (code: string | undefined, text = 'x'): CurrencySource => ({ code, column: 'Revenue', label: `'${text}'` });
const col = (code: string | undefined, text = code ?? ''): CurrencySource => ({ code, column: 'Revenue Currency', label: `Revenue Currency '${text}'` });
const row = (code: string | undefined): CurrencySource => ({ code, column: 'Currency', label: `Currency '${code}'` });

describe('resolveCurrency: cell, own currency column, header, row currency', () => {
  it('the first source that names a code decides; the others must agree', () => {
    expect(resolveCurrency([cell('EUR', 'EUR 5'), col('EUR'), row('EUR')], undefined)).toEqual({
      ok: true,
      code: 'EUR',
      column: 'Revenue',
      fallback: undefined,
    });
    expect(resolveCurrency([cell(undefined), col('GBP'), row(undefined)], undefined)).toEqual({
      ok: true,
      code: 'GBP',
      column: 'Revenue Currency',
      fallback: undefined,
    });
    expect(resolveCurrency([cell(undefined), row('JPY')], undefined)).toEqual({ ok: true, code: 'JPY', column: 'Currency', fallback: undefined });
    expect(resolveCurrency([cell(undefined)], 'EUR')).toEqual({ ok: true, code: undefined, column: undefined, fallback: undefined });
  });

  it('a cell that contradicts its currency column (or the row currency) is a conflict naming both', () => {
    expect(resolveCurrency([cell('EUR', 'EUR 5'), col('USD')], undefined)).toEqual({
      ok: false,
      message: "'EUR 5' says EUR but Revenue Currency 'USD' says USD",
    });
    expect(resolveCurrency([cell(undefined), col('USD'), row('EUR')], undefined)).toEqual({
      ok: false,
      message: "Revenue Currency 'USD' says USD but Currency 'EUR' says EUR",
    });
  });

  it("the bare '$' rule: it agrees with any dollar the row names, else it is the config base when that is a dollar, else USD (marked)", () => {
    expect(resolveCurrency([cell('$', '$5'), col('CAD')], undefined)).toEqual({ ok: true, code: 'CAD', column: 'Revenue Currency', fallback: undefined });
    expect(resolveCurrency([cell('$', '$5'), row('AUD')], 'EUR')).toEqual({ ok: true, code: 'AUD', column: 'Currency', fallback: undefined });
    expect(resolveCurrency([cell('$', '$5')], 'CAD')).toEqual({ ok: true, code: 'CAD', column: 'Revenue', fallback: undefined });
    expect(resolveCurrency([cell('$', '$5')], 'EUR')).toEqual({ ok: true, code: 'USD', column: 'Revenue', fallback: '$' });
    expect(resolveCurrency([cell('$', '$5')], undefined)).toEqual({ ok: true, code: 'USD', column: 'Revenue', fallback: '$' });
    expect(resolveCurrency([cell('$', '$5'), col('EUR')], undefined)).toEqual({ ok: false, message: "'$5' cannot be EUR (Revenue Currency 'EUR' says EUR)" });
    expect(resolveCurrency([cell('¥', '¥5'), col('CNY')], undefined)).toEqual({ ok: true, code: 'CNY', column: 'Revenue Currency', fallback: undefined });
    expect(resolveCurrency([cell('$', '$5'), col('¥')], undefined)).toEqual({ ok: false, message: "'$5' and Revenue Currency '¥' name different currencies" });
  });

  it("'kr' without a krona in the row stays unknown (no fallback): the row's currency, or the file's", () => {
    expect(resolveCurrency([cell('kr', '5 kr')], 'EUR')).toEqual({ ok: true, code: undefined, column: undefined, fallback: undefined });
    expect(resolveCurrency([cell('kr', '5 kr'), row('SEK')], 'EUR')).toEqual({ ok: true, code: 'SEK', column: 'Currency', fallback: undefined });
    expect(resolveCurrency([cell('kr', '5 kr'), row('EUR')], 'EUR')).toEqual({ ok: false, message: "'5 kr' cannot be EUR (Currency 'EUR' says EUR)" });
  });
});

describe('CurrencyBook', () => {
  const known = (code: string | undefined, fallback?: string) => ({ ok: true as const, code, column: 'Revenue', fallback });

  it('with rates: the base is 1, a code without a rate is a message, codes are matched in any case', () => {
    const book = new CurrencyBook({ base: 'eur', rates: { usd: 0.9 } });
    expect([book.factor(known('EUR'), 2), book.factor(known('USD'), 3), book.factor(known('GBP'), 4), book.factor(known(undefined), 5)]).toEqual([
      1,
      0.9,
      'no exchange rate for GBP (config currency.rates)',
      1,
    ]);
    expect(book.currencies()).toEqual(['EUR', 'USD', 'GBP']);
    expect(() => {
      book.assertComparable('a.csv');
    }).not.toThrow();
  });

  it('without rates: one currency is fine; several are one file-level error (exit 1) listing them and the config to add', () => {
    const one = new CurrencyBook(undefined);
    one.factor(known('JPY'), 2);
    one.factor(known('JPY'), 2);
    expect(() => {
      one.assertComparable('a.csv');
    }).not.toThrow();
    const mixed = new CurrencyBook(undefined);
    for (const [code, line] of [
      ['JPY', 2],
      ['USD', 3],
      ['EUR', 4],
      ['USD', 5],
    ] as const)
      mixed.factor(known(code), line);
    let error: unknown;
    try {
      mixed.assertComparable('a.csv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(1);
    expect((error as Error).message).toBe(
      'a.csv: the amounts are in 3 currencies: USD (2 rows, first at line 3), JPY (1 row, first at line 2), EUR (1 row, first at line 4); kam does not compare them without exchange rates: add to kam.config.json "currency": { "base": "USD", "rates": { "JPY": <USD per 1 JPY>, "EUR": <USD per 1 EUR> } }',
    );
  });

  it("says once when a bare '$' was read as USD for a conversion, with the first line and the count", () => {
    const book = new CurrencyBook({ base: 'EUR', rates: { USD: 0.9 } });
    book.factor(known('USD', '$'), 3);
    book.factor(known('USD', '$'), 7);
    expect(book.notes()).toEqual([
      "Revenue: a bare '$' was read as USD (2 values, first at line 3): nothing in the row says which one is meant and the config base EUR is not one; write the code (CAD 1,200) or add a currency column if another was meant",
    ]);
    const noRates = new CurrencyBook(undefined);
    noRates.factor(known('USD', '$'), 3);
    expect(noRates.notes()).toEqual([]);
  });
});
