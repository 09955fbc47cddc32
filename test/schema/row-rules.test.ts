import { describe, expect, it } from 'vitest';
import { numberRules, textRule } from '../../src/schema/cells.ts';
import { duplicateIssue, moneyCurrency, readCells, rowInput, rowIssues, rowSchema, type CellReader } from '../../src/schema/row-rules.ts';

describe('the shared rules engine (accounts and deals)', () => {
  const rules = numberRules('.', new Map());
  const readers: CellReader[] = [
    { key: 'name', col: 0, rule: textRule },
    { key: 'amount', col: 1, rule: rules.money },
  ];

  it('readCells hands each value read to its reader; blank cells are missing, not handed on', () => {
    const got: [string, unknown][] = [];
    expect(readCells([' Acme ', '€5'], readers, (r, v) => got.push([r.key, v]))).toBe(true);
    expect(got).toEqual([
      ['name', 'Acme'],
      ['amount', { amount: 5, currency: 'EUR' }],
    ]);
    got.length = 0;
    expect(readCells(['', ''], readers, (r, v) => got.push([r.key, v]))).toBe(true);
    expect(got).toEqual([]);
  });

  it('a row a rule refuses: false, and the row schema names every issue with its column', () => {
    const cells = ['Acme', '-5'];
    expect(readCells(cells, readers, () => undefined)).toBe(false);
    const issues = rowIssues(rowSchema(readers), rowInput(cells, readers), 7, (path) => `col ${String(path[0])}`);
    expect(issues).toEqual([{ line: 7, column: 'col amount', code: 'out_of_range', message: 'must not be negative (got -5)' }]);
  });

  it('duplicateIssue: only a row whose id was first seen on another line', () => {
    expect(duplicateIssue(2, 'A1', 2, 'Id', 'account id')).toBeUndefined();
    expect(duplicateIssue(undefined, 'B2', 5, 'Id', 'account id')).toBeUndefined();
    expect(duplicateIssue(2, 'A1', 5, 'Id', 'account id')).toEqual({
      line: 5,
      column: 'Id',
      code: 'duplicate_id',
      message: "duplicate account id 'A1': first seen at line 2",
    });
  });

  it('moneyCurrency: the cell, its own currency column, the header and the row currency must agree', () => {
    const src = { cell: 'EUR 5', cellCode: 'EUR', column: 'Revenue', own: undefined, headerCode: undefined, row: undefined };
    expect(moneyCurrency(src, undefined, 3)).toEqual({ ok: true, currency: { ok: true, code: 'EUR', column: 'Revenue', fallback: undefined } });
    expect(moneyCurrency({ ...src, row: { code: 'USD', header: 'Currency', text: 'USD' } }, undefined, 3)).toEqual({
      ok: false,
      issue: { line: 3, column: 'Revenue', code: 'currency_conflict', message: "'EUR 5' says EUR but Currency 'USD' says USD" },
    });
    expect(moneyCurrency({ ...src, own: { header: 'Revenue Currency', text: 'Euros?' } }, undefined, 3)).toEqual({
      ok: false,
      issue: {
        line: 3,
        column: 'Revenue Currency',
        code: 'invalid_value',
        message: "'Euros?' is not a currency (an ISO code such as EUR, a symbol such as €, or a currency name)",
      },
    });
  });
});
