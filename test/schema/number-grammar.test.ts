import { describe, expect, it } from 'vitest';
import { parseMoneyCell, parsePercent } from '../../src/schema/number-grammar.ts';
import { NumberMode, ScanFail, scanNumber } from '../../src/schema/number-scan.ts';

describe('number grammar: each call keeps its own state', () => {
  it('the currency belongs to the cell it came from, whatever was parsed in between', () => {
    const a = parseMoneyCell('€ 1.200,50', ',');
    const b = parsePercent('35 %', '.');
    const c = parseMoneyCell('1200', '.');
    expect(a).toEqual({ kind: 'value', value: { amount: 1200.5, currency: 'EUR' } });
    expect(b).toEqual({ kind: 'value', value: { value: 0.35, hasSign: true } });
    expect(c).toEqual({ kind: 'value', value: { amount: 1200, currency: undefined } });
  });

  it('a failed scan says why in its own result', () => {
    const group = scanNumber('1,23', 0, 4, '.', NumberMode.Number);
    const range = scanNumber('1e999', 0, 5, '.', NumberMode.Number);
    expect([Number.isNaN(group.value), group.fail]).toEqual([true, ScanFail.Group]);
    expect([Number.isNaN(range.value), range.fail]).toEqual([true, ScanFail.Range]);
    expect(scanNumber('12', 0, 2, '.', NumberMode.Number).value).toBe(12);
  });
});
