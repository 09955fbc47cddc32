import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoneyCell, parsePercent } from '../../src/schema/number-grammar.ts';
import { NumberMode, ScanFail, scanNumber } from '../../src/schema/number-scan.ts';

describe('number grammar: each call starts from a clean state', () => {
  it('the currency belongs to the cell it came from, whatever was parsed in between', () => {
    const a = parseMoneyCell('€ 1.200,50', ',');
    const b = parsePercent('35 %', '.');
    const c = parseMoneyCell('1200', '.');
    expect(a).toEqual({ kind: 'value', ok: true, value: { amount: 1200.5, currency: 'EUR' } });
    expect(b).toEqual({ kind: 'value', ok: true, value: { value: 0.35, hasSign: true } });
    expect(c).toEqual({ kind: 'value', ok: true, value: { amount: 1200, currency: undefined } });
  });

  it('a failed scan says why; the next scan (one shared state) keeps nothing of it', () => {
    const group = scanNumber('1,23', 0, 4, '.', NumberMode.Number);
    expect([Number.isNaN(group.value), group.fail]).toEqual([true, ScanFail.Group]);
    const range = scanNumber('1e999', 0, 5, '.', NumberMode.Number);
    expect([Number.isNaN(range.value), range.fail]).toEqual([true, ScanFail.Range]);
    const money = scanNumber('-€ 12%', 0, 6, '.', NumberMode.Money);
    expect([Number.isNaN(money.value), money.currency, money.negative]).toEqual([true, 'EUR', true]);
    const plain = scanNumber('12', 0, 2, '.', NumberMode.Number);
    expect([plain.value, plain.fail, plain.currency, plain.negative, plain.percent, plain.hasCurrency]).toEqual([
      12,
      ScanFail.Syntax,
      undefined,
      false,
      false,
      false,
    ]);
  });
});

describe('number scan: the plain path (digits, a decimal part, a trailing %) reads what the full grammar reads', () => {
  // A leading '+' changes no value but takes every cell through the full grammar: the two scans must agree.
  const digits = fc.stringMatching(/^[0-9]{0,24}$/);
  const cell = fc
    .record({ int: digits, frac: fc.option(digits), sep: fc.constantFrom('.', ','), tail: fc.constantFrom('', '%', '％', ' %', 'k', 'e5', ',5', '.') })
    .map(({ int, frac, sep, tail }) => `${int}${frac === null ? '' : sep + frac}${tail}`)
    .filter((c) => c.length > 0);
  const modes = fc.constantFrom(NumberMode.Number, NumberMode.Money, NumberMode.Percent, NumberMode.Plain);

  it('on 10,000 generated cells, in every mode and with either decimal separator', () => {
    fc.assert(
      fc.property(cell, modes, fc.constantFrom('.' as const, ',' as const), (c, mode, decimal) => {
        const plain = scanNumber(c, 0, c.length, decimal, mode);
        const full = scanNumber(`+${c}`, 0, c.length + 1, decimal, mode);
        expect([plain.value, plain.percent, Number.isNaN(plain.value) ? plain.fail : -1]).toEqual([
          full.value,
          full.percent,
          Number.isNaN(full.value) ? full.fail : -1,
        ]);
      }),
      { numRuns: 10_000, seed: 20261201 },
    );
  });

  it('on the shapes of a CRM export', () => {
    expect(scanNumber('102798.06', 0, 9, '.', NumberMode.Money).value).toBe(102798.06);
    expect(scanNumber('14.1%', 0, 5, '.', NumberMode.Percent)).toMatchObject({ value: 0.141, percent: true });
    expect(scanNumber('12,5', 0, 4, ',', NumberMode.Number).value).toBe(12.5);
    expect(scanNumber('12345678901234567890', 0, 20, '.', NumberMode.Number).value).toBe(Number('12345678901234567890'));
  });
});
