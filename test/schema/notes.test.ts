import { describe, expect, it } from 'vitest';
import { noteText, type SchemaNote } from '../../src/schema/notes.ts';

describe('noteText: each note code in words, in one place', () => {
  it.each<[SchemaNote, string]>([
    [{ code: 'annotation_applied', header: 'Revenue (k)', effect: 'values × 1000' }, 'Revenue (k): values × 1000, as the header says'],
    [{ code: 'retention_and_churn', rows: 1 }, 'retention_rate and churn_risk both given on 1 row: retention_rate used'],
    [{ code: 'retention_and_churn', rows: 2 }, 'retention_rate and churn_risk both given on 2 rows: retention_rate used'],
    [
      { code: 'date_order_settled', source: 'deals.csv', order: 'DMY', example: '13/02/2024' },
      "deals.csv: close dates read as D/M/YYYY ('13/02/2024' settles it)",
    ],
    [{ code: 'date_order_settled', source: 'deals.csv', order: 'MDY', example: '02/23/26' }, "deals.csv: close dates read as M/D/YYYY ('02/23/26' settles it)"],
    [
      {
        code: 'totals_dropped',
        rows: [
          { line: 9, name: 'Total', sums: false },
          { line: 12, name: '', sums: true },
        ],
        shown: 1,
      },
      "dropped 2 totals rows (not accounts): line 9 'Total', ... and 1 more",
    ],
    [
      {
        code: 'fraction_in_percent_column',
        header: 'Margin',
        percent: { text: '85', line: 2, value: 85 },
        fraction: { text: '0.9', line: 3, value: 0.9 },
        more: 1,
      },
      "Margin: bare numbers are percents in this column ('85' at line 2 is 85%), so '0.9' at line 3 is 0.9% (and 1 more value between -1 and 1); write 90% if a fraction was meant",
    ],
    [
      { code: 'bare_symbol_read_as', column: 'Revenue', token: '$', currency: 'USD', base: 'EUR', values: 3, firstLine: 4 },
      "Revenue: a bare '$' was read as USD (3 values, first at line 4): nothing in the row says which one is meant and the config base EUR is not one; " +
        'write the code (CAD 1,200) or add a currency column if another was meant',
    ],
  ])('%j', (note, text) => {
    expect(noteText(note)).toBe(text);
  });
});
