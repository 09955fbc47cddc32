import { RetentionSource } from '../../src/core/types.ts';
import type { AccountColumns, SignalCode } from '../../src/core/types.ts';
import { signalsOfMask } from '../../src/core/signals.ts';
import { textColumn, textValues } from '../../src/core/text-column.ts';

/** One account row for tests; every field optional, numbers missing (NaN) unless given. */
export interface AccountRow {
  id: string;
  name: string;
  revenue: number;
  companyRevenue: number;
  potentialRevenue: number;
  pipeline: number;
  growthRate: number;
  grossMargin: number;
  retentionRate: number;
  /** Defaults to Retention when retentionRate is given, else None. */
  retentionSource: RetentionSource;
  productFit: number;
  strategicValue: number;
  industry: string;
  country: string;
  employees: number;
  /** Flag columns: 1 yes, 0 no, missing when absent from the row. */
  flags: Record<string, 0 | 1>;
}

/** Builds columnar accounts from rows; ids default to A1, A2, ... and names to the id. */
export function makeAccounts(rows: readonly Partial<AccountRow>[]): AccountColumns {
  const n = rows.length;
  const num = (pick: (r: Partial<AccountRow>) => number | undefined): Float64Array => Float64Array.from(rows, (r) => pick(r) ?? Number.NaN);
  const flagNames = [...new Set(rows.flatMap((r) => Object.keys(r.flags ?? {})))];
  const flags: Record<string, Uint8Array> = {};
  for (const f of flagNames) flags[f] = Uint8Array.from(rows, (r) => r.flags?.[f] ?? 255);
  const ids = rows.map((r, i) => r.id ?? `A${i + 1}`);
  return {
    n,
    id: textColumn(ids),
    name: textColumn(rows.map((r, i) => r.name ?? ids[i]!)),
    revenue: num((r) => r.revenue),
    companyRevenue: num((r) => r.companyRevenue),
    potentialRevenue: num((r) => r.potentialRevenue),
    pipeline: num((r) => r.pipeline),
    growthRate: num((r) => r.growthRate),
    grossMargin: num((r) => r.grossMargin),
    retentionRate: num((r) => r.retentionRate),
    retentionSource: Uint8Array.from(rows, (r) => r.retentionSource ?? (r.retentionRate === undefined ? RetentionSource.None : RetentionSource.Retention)),
    productFit: num((r) => r.productFit),
    strategicValue: num((r) => r.strategicValue),
    industry: textColumn(rows.map((r) => r.industry)),
    country: textColumn(rows.map((r) => r.country)),
    employees: num((r) => r.employees),
    flags,
  };
}

/**
 * One account with every measure's input: alone it scores volume, potential and ltv 50
 * (a lone account's percentile), fit 80, strategic 60, score 56.5 (worked in score.test.ts).
 */
export const FULL_ACCOUNT: Partial<AccountRow> = {
  revenue: 1000,
  potentialRevenue: 5000,
  pipeline: 100,
  growthRate: 0.1,
  grossMargin: 0.3,
  retentionRate: 0.9,
  productFit: 80,
  strategicValue: 60,
};

/** The accounts as plain data: each text column as its array of cells (text columns compare by value, not by how they are stored). */
export function accountsData(a: AccountColumns): Record<string, unknown> {
  return { ...a, id: textValues(a.id), name: textValues(a.name), industry: textValues(a.industry), country: textValues(a.country) };
}

/** Each account's signal codes, from a result's masks. */
export function signalLists(masks: Uint8Array): SignalCode[][] {
  return Array.from(masks, (m) => [...signalsOfMask(m)]);
}
