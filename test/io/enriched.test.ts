/** io/enriched.ts: the original columns written back, and kam's numbers in the dialect (issue 10 items 1, 2). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/defaults.ts';
import { scoreAccounts } from '../../src/core/score.ts';
import { enrichedHeader, enrichedRows, isKamHeader, kamCells, originalColumns, selectedAccounts, type EnrichOptions } from '../../src/io/enriched.ts';
import { writeEnrichedCsv } from '../../src/io/enriched-csv.ts';
import { fixed2 } from '../../src/io/format.ts';
import type { RawTable } from '../../src/io/read-table.ts';
import { formatCsvRecord, RFC4180, type CsvWriteOptions } from '../../src/io/write-csv.ts';
import { Table as KamTable } from '../../src/io/table.ts';
import { makeAccounts } from '../helpers/accounts.ts';
import { memorySink } from '../helpers/fake-io.ts';

/** A table as the reader returns one for a plain comma-separated UTF-8 file with these records. */
function plainTable(source: string, header: string[], records: { line: number; cells: string[] }[]): RawTable {
  return new KamTable({
    source,
    encoding: 'utf-8',
    delimiter: ',',
    delimiterSource: 'detected',
    hadBom: false,
    lineEnding: '\n',
    unguardedCells: 0,
    headerLine: 1,
    header,
    records,
    blankLines: 0,
    footerLines: [],
    notes: [],
  });
}

describe('originalColumns', () => {
  it("a raw export with columns named like kam's keeps them, renamed, once each", () => {
    expect(originalColumns(['account_id', 'kam_tier', 'KAM_Signals', 'kam_tier (input)', 'note'])).toEqual({
      kept: [0, 1, 2, 3, 4],
      names: ['account_id', 'kam_tier (input 2)', 'KAM_Signals (input)', 'kam_tier (input)', 'note'],
      replaced: [],
      renamed: [
        { from: 'kam_tier', to: 'kam_tier (input 2)' },
        { from: 'KAM_Signals', to: 'KAM_Signals (input)' },
      ],
    });
  });

  it('a file kam wrote has its kam_ columns replaced, as before; a renamed column stays as it is', () => {
    const header = ['account_id', 'kam_tier (input)', 'kam_rank', 'kam_score', 'kam_tier', 'kam_errors', 'kam_shortlist'];
    expect(isKamHeader(header)).toBe(true);
    expect(originalColumns(header)).toEqual({
      kept: [0, 1],
      names: ['account_id', 'kam_tier (input)'],
      replaced: ['kam_rank', 'kam_score', 'kam_tier', 'kam_errors', 'kam_shortlist'],
      renamed: [],
    });
  });

  it("a --rejects file (kam_line, kam_errors) is kam's too", () => {
    expect(originalColumns(['account_id', 'revenue', 'kam_line', 'kam_errors'])).toMatchObject({ kept: [0, 1], replaced: ['kam_line', 'kam_errors'] });
  });
});

describe('fixed2', () => {
  it('writes two decimals with the dialect decimal separator', () => {
    expect([fixed2(95.8149), fixed2(95.8149, ','), fixed2(-0.004, ','), fixed2(1, ','), fixed2(undefined, ',')]).toEqual([
      '95.81',
      '95,81',
      '0,00',
      '1,00',
      '',
    ]);
  });
});

describe('writeEnrichedCsv: the bytes of the enriched-row model, without a row object', () => {
  // 40 accounts with every kind of cell: commas, quotes, formulas, accents, ragged records; a
  // kam_tier column of the input (a file kam wrote: replaced) and three rejected records.
  const n = 40;
  const accounts = makeAccounts(
    Array.from({ length: n }, (_, i) => ({
      id: `K${String(i % 7 === 0 ? 1 : i).padStart(2, '0')}${i}`,
      ...(i % 5 === 0 ? {} : { revenue: 1000 * ((i * 37) % 17) }),
      ...(i % 3 === 0 ? {} : { potentialRevenue: 5000 * ((i * 11) % 13) }),
      ...(i % 4 === 0 ? {} : { grossMargin: 0.1 + (i % 9) / 20 }),
      ...(i % 6 === 0 ? {} : { retentionRate: 0.5 + (i % 5) / 10 }),
      ...(i % 8 === 0 ? {} : { productFit: (i * 13) % 101 }),
      strategicValue: (i * 29) % 101,
    })),
  );
  const result = scoreAccounts(accounts, DEFAULT_MODEL);
  const cellsOf = (i: number): string[] => [
    `K${i}`,
    ['Acme, Inc.', '=HYPERLINK("x")', 'Müller "GmbH"', 'line\nbreak', '-12', 'plain'][i % 6]!,
    String(i),
    'Key',
  ];
  const records = [
    ...Array.from({ length: n }, (_, i) => ({ line: i + 2, cells: i % 10 === 9 ? cellsOf(i).slice(0, 2) : cellsOf(i) })),
    { line: n + 2, cells: ['BAD', '+SUM(A1)', 'x', 'Key', 'extra'] },
    { line: n + 3, cells: ['BAD2', ''] },
  ];
  const table = plainTable('t.csv', ['account_id', 'account_name', 'revenue', 'kam_tier', 'kam_rank', 'kam_score'], records);
  const recordIndex = Uint32Array.from({ length: n }, (_, i) => i);
  const rejected = [
    { recordIndex: n, line: n + 2, issues: [{ column: 'revenue', message: "'x' is not an amount" }] },
    { recordIndex: n + 1, line: n + 3, issues: [{ column: 'account_name', message: 'missing' }] },
  ] as never;
  const shortlist = new Set([result.order[0]!, result.order[3]!]);

  const viaRows = (csv: CsvWriteOptions, options: EnrichOptions, withShortlist: boolean, stamp: { asOf: string | undefined; model: string }): string => {
    const decimal = csv.dialect?.decimal ?? '.';
    let text = formatCsvRecord(enrichedHeader(table, withShortlist, stamp, options.extra?.names ?? []), csv);
    for (const r of enrichedRows(table, recordIndex, result, rejected, options))
      text += formatCsvRecord(r.original, csv, kamCells(r.kam, withShortlist, stamp, decimal));
    return text;
  };
  const viaBytes = async (
    csv: CsvWriteOptions,
    options: EnrichOptions,
    withShortlist: boolean,
    stamp: { asOf: string | undefined; model: string },
  ): Promise<string> => {
    const sink = memorySink();
    const header = enrichedHeader(table, withShortlist, stamp, options.extra?.names ?? []);
    await writeEnrichedCsv(sink, { table, recordIndex, result, rejected, options, csv, header, withShortlist, stamp });
    return sink.text();
  };

  it.each([
    ['RFC 4180, guarded', { escapeFormulas: true, dialect: RFC4180 }, {}, false],
    ['unguarded', { escapeFormulas: false, dialect: RFC4180 }, {}, false],
    [
      '; CRLF decimal comma, shortlist, top 7',
      { escapeFormulas: true, dialect: { delimiter: ';', lineEnding: '\r\n', bom: false, decimal: ',' } },
      { top: 7 },
      true,
    ],
    [
      'comma with decimal comma (numbers quoted), tiers',
      { escapeFormulas: true, dialect: { delimiter: ',', lineEnding: '\n', bom: false, decimal: ',' } },
      { tiers: new Set(['Key', 'Unrated']) },
      true,
    ],
    [
      'TAB, extra columns, no rejected rows',
      { escapeFormulas: true, dialect: { delimiter: '\t', lineEnding: '\n', bom: false, decimal: '.' } },
      { withRejected: false, extra: { names: ['kam_gate'], cells: (i: number) => [i % 2 ? '=gate' : ''] } },
      false,
    ],
  ] as const)('%s', async (_name, csv, options, withShortlist) => {
    const stamp = { asOf: '2026-12-01', model: 'm1' };
    const all = { ...options, ...(withShortlist ? { shortlist } : {}) } as EnrichOptions;
    const expected = viaRows(csv, all, withShortlist, stamp);
    expect(expected.split('\n').length).toBeGreaterThan(2);
    expect(await viaBytes(csv as CsvWriteOptions, all, withShortlist, stamp)).toBe(expected);
  });

  it('selectedAccounts: rank order, the tiers asked for, at most top', () => {
    const keyOrUnrated = new Set(['Key', 'Unrated']);
    const expected = [...result.order]
      .filter((i) => keyOrUnrated.has(['Key', 'Develop', 'Maintain', 'Monitor', 'Gated', 'Unrated'][result.tier[i]!]!))
      .slice(0, 5);
    expect([...selectedAccounts(result, { tiers: keyOrUnrated, top: 5 })]).toEqual(expected);
    expect([...selectedAccounts(result, { top: 3 })]).toEqual([...result.order.subarray(0, 3)]);
    expect(selectedAccounts(result, {}).length).toBe(n);
  });
});

describe('writeEnrichedCsv past one chunk of rank-ordered values (8,192 rows)', () => {
  // 20,000 accounts: the result's columns are copied into rank order in three chunks.
  const n = 20_000;
  const accounts = makeAccounts(
    Array.from({ length: n }, (_, i) => ({
      id: `A${i}`,
      ...(i % 5 === 0 ? {} : { revenue: (i * 7919) % 100_003 }),
      ...(i % 3 === 0 ? {} : { potentialRevenue: (i * 104_729) % 1_000_003 }),
      grossMargin: 0.05 + (i % 19) / 40,
      strategicValue: (i * 29) % 101,
    })),
  );
  const result = scoreAccounts(accounts, DEFAULT_MODEL);
  const table = plainTable(
    'big.csv',
    ['account_id', 'account_name'],
    Array.from({ length: n }, (_, i) => ({ line: i + 2, cells: [`A${i}`, `Name ${i}`] })),
  );
  const recordIndex = Uint32Array.from({ length: n }, (_, i) => i);
  const stamp = { asOf: undefined, model: 'm1' };

  it.each([
    ['every row', {}],
    ['the tiers Develop and Monitor', { tiers: new Set(['Develop', 'Monitor']) }],
    ['the top 9,000', { top: 9000 }],
  ] as const)('%s: the same bytes as the row model', async (_name, options) => {
    const csv = { escapeFormulas: true, dialect: RFC4180 } as CsvWriteOptions;
    const header = enrichedHeader(table, false, stamp);
    let expected = formatCsvRecord(header, csv);
    for (const r of enrichedRows(table, recordIndex, result, [], options)) expected += formatCsvRecord(r.original, csv, kamCells(r.kam, false, stamp));
    const sink = memorySink();
    await writeEnrichedCsv(sink, { table, recordIndex, result, rejected: [], options, csv, header, withShortlist: false, stamp });
    // Header, the selected rows, a final empty line.
    expect(sink.text().split('\n').length).toBe(selectedAccounts(result, options).length + 2);
    expect(sink.text()).toBe(expected);
  });
});
