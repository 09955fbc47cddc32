/**
 * Workbook cells -> kam's canonical text. Format codes and built-in ids: ECMA-376 Part 1,
 * 18.8.30 (numFmt) and 18.8.31; serial dates and the 1900 leap-year bug: 18.17.4.1.
 */
import { describe, expect, it } from 'vitest';
import { isoDate } from '../../../src/io/format.ts';
import { numberCellText, numberKind, numberText, padDecimals, percentText, serialDateText } from '../../../src/io/xlsx/cell-text.ts';

describe('numberKind', () => {
  it('reads built-in ids: 9/10 percent, 14 date, 22 date-time, 18-21 time, 0 plain', () => {
    expect(numberKind(9, undefined)).toEqual({ kind: 'percent' });
    expect(numberKind(10, undefined)).toEqual({ kind: 'percent', decimals: 2 });
    expect(numberKind(14, undefined)).toEqual({ kind: 'date', time: false });
    expect(numberKind(22, undefined)).toEqual({ kind: 'date', time: true });
    expect(numberKind(20, undefined)).toEqual({ kind: 'time' });
    expect(numberKind(0, undefined)).toEqual({ kind: 'number' });
    expect(numberKind(49, undefined)).toEqual({ kind: 'number' });
  });

  it('reads custom codes: dates, times, percents, decimals', () => {
    expect(numberKind(164, 'dd.mm.yyyy')).toEqual({ kind: 'date', time: false });
    expect(numberKind(164, '[$-409]mmm d, yyyy')).toEqual({ kind: 'date', time: false });
    expect(numberKind(164, 'm/d/yyyy h:mm')).toEqual({ kind: 'date', time: true });
    expect(numberKind(164, 'mm:ss')).toEqual({ kind: 'time' });
    expect(numberKind(164, '0.0%')).toEqual({ kind: 'percent', decimals: 1 });
    expect(numberKind(164, '#,##0.00')).toEqual({ kind: 'number', decimals: 2 });
    expect(numberKind(164, '0.00E+00')).toEqual({ kind: 'number', decimals: 2 });
    expect(numberKind(164, '[Red]#,##0;[Blue]-#,##0')).toEqual({ kind: 'number' });
  });

  it('reads the currency a format names: [$CODE], [$symbol-locale], quoted or bare symbols', () => {
    expect(numberKind(164, '[$EUR] #,##0.00')).toEqual({ kind: 'currency', token: 'EUR', decimals: 2 });
    expect(numberKind(164, '#,##0.00 [$€-407]')).toEqual({ kind: 'currency', token: '€', decimals: 2 });
    expect(numberKind(164, '[$$-409]#,##0.00')).toEqual({ kind: 'currency', token: '$', decimals: 2 });
    expect(numberKind(164, '"$"#,##0.00_);\\("$"#,##0.00\\)')).toEqual({ kind: 'currency', token: '$', decimals: 2 });
    expect(numberKind(164, '#,##0\\ "€"')).toEqual({ kind: 'currency', token: '€', decimals: 0 });
    expect(numberKind(164, '£#,##0')).toEqual({ kind: 'currency', token: '£', decimals: 0 });
    // A locale tag without a currency is no currency.
    expect(numberKind(164, '[$-407]#,##0.00')).toEqual({ kind: 'number', decimals: 2 });
  });
});

describe('canonical text', () => {
  it('numbers: 15 significant digits, no grouping, exponent past 1e15', () => {
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(102798.06000000001)).toBe('102798.06');
    expect(numberText(-5)).toBe('-5');
    expect(numberText(-0)).toBe('0');
    expect(numberText(123456789012)).toBe('123456789012');
    expect(numberText(1234567890123456800)).toBe('1.23456789012346E+18');
    expect(numberText(1e-7)).toBe('1e-7');
  });

  it('pads to the decimals a format shows, never rounds', () => {
    expect(padDecimals('45.5', 2)).toBe('45.50');
    expect(padDecimals('100', 2)).toBe('100.00');
    expect(padDecimals('1234.567', 2)).toBe('1234.567');
    expect(numberCellText(45.5, { kind: 'number', decimals: 2 }, false)).toBe('45.50');
  });

  it('percents move the decimal point in the text', () => {
    expect(percentText(0.07)).toBe('7%');
    expect(percentText(0.125)).toBe('12.5%');
    expect(percentText(-0.042)).toBe('-4.2%');
    expect(percentText(1.5)).toBe('150%');
    expect(percentText(0.0005)).toBe('0.05%');
    expect(percentText(0.1, 1)).toBe('10.0%');
  });

  it('dates: 1900 system with its fake 1900-02-29, 1904 system, times', () => {
    expect(isoDate(0)).toBe('1970-01-01');
    expect(serialDateText(1, false, false)).toBe('1900-01-01');
    expect(serialDateText(59, false, false)).toBe('1900-02-28');
    expect(serialDateText(60, false, false)).toBe('1900-02-29');
    expect(serialDateText(61, false, false)).toBe('1900-03-01');
    expect(serialDateText(46357, false, false)).toBe('2026-12-01');
    expect(serialDateText(0, true, false)).toBe('1904-01-01');
    expect(serialDateText(46357 - 1462, true, false)).toBe('2026-12-01');
    expect(serialDateText(46357.375, false, true)).toBe('2026-12-01T09:00:00');
    expect(serialDateText(46357.375, false, false)).toBe('2026-12-01');
    expect(serialDateText(46357.99999999, false, true)).toBe('2026-12-02');
    expect(numberCellText(0.5, { kind: 'time' }, false)).toBe('12:00:00');
  });

  it('currency cells carry their currency after the number', () => {
    expect(numberCellText(1234.5, { kind: 'currency', token: 'EUR', decimals: 2 }, false)).toBe('1234.50 EUR');
    expect(numberCellText(-12, { kind: 'currency', token: '€' }, false)).toBe('-12 €');
  });
});
