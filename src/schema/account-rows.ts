/**
 * Pass 2 of an accounts table, row by row: ranges of the percent values, ratings onto
 * 0..100, the currency and conversion of every money value, duplicate ids (first kept);
 * the valid rows are compacted into `AccountColumns`.
 */
import { normaliseRating } from '../core/normalise.ts';
import { RetentionSource, type AccountColumns } from '../core/types.ts';
import type { RawTable } from '../io/read-table.ts';
import type { RowIssue } from './cells.ts';
import { CONFLICT, CurrencyBook, Settlement, settleCodes } from './money.ts';
import { duplicateIssue, moneyCurrency } from './row-rules.ts';
import type { FirstSeen } from './first-seen.ts';
import type { CodedText, PackedText } from './packed-text.ts';
import { cellCurrency, MONEY_FIELDS, type AccountContext, type AccountStore, type PercentField, type RatingField } from './account-read.ts';
import type { PercentScales, RatingScales } from './account-columns.ts';
import { cellProblemText } from './cell-problems.ts';

/** The money columns of one table, by index in MONEY_FIELDS: the hot loop reads arrays, not records. */
export interface MoneyColumns {
  readonly book: CurrencyBook;
  /** The header scale ('(k)') of each money field (1 when none). */
  readonly scales: readonly number[];
  /** The currency each money column's header names, upper-case. */
  readonly headerCurrency: readonly (string | undefined)[];
  readonly present: readonly number[];
  readonly ownCurrencyColumn: readonly (number | undefined)[];
  readonly currencyHeader: string | undefined;
  /** Money values read, and values whose currency came from the header, per field. */
  readonly valuesIn: Int32Array;
  readonly headerUsed: Int32Array;
  /** The factor of each money value of the current row (scale × rate). */
  readonly factors: Float64Array;
  readonly settlement: Settlement;
}

export function moneyColumns(ctx: AccountContext, book: CurrencyBook): MoneyColumns {
  const { fi, annotationsOf } = ctx;
  return {
    book,
    scales: MONEY_FIELDS.map((f) => {
      const scale = fi[f] === undefined ? undefined : annotationsOf(f).scale;
      return scale !== undefined && Number.isFinite(scale) && scale > 0 ? scale : 1;
    }),
    headerCurrency: MONEY_FIELDS.map((f) => (fi[f] === undefined ? undefined : annotationsOf(f).currency?.toUpperCase())),
    present: MONEY_FIELDS.flatMap((f, m) => (fi[f] === undefined ? [] : [m])),
    ownCurrencyColumn: MONEY_FIELDS.map((f) => ctx.currencyColumns[f]),
    currencyHeader: fi.currency !== undefined ? ctx.header[fi.currency]! : undefined,
    valuesIn: new Int32Array(MONEY_FIELDS.length),
    headerUsed: new Int32Array(MONEY_FIELDS.length),
    factors: new Float64Array(MONEY_FIELDS.length),
    settlement: new Settlement(),
  };
}

/** Everything pass 2 reads. */
export interface RowPass {
  readonly ctx: AccountContext;
  /** The table, for the lines of records and the cells of the rare record whose message quotes one. */
  readonly table: RawTable;
  readonly st: AccountStore;
  readonly percentScales: PercentScales;
  readonly ratings: RatingScales;
  readonly money: MoneyColumns;
  readonly firstSeen: FirstSeen;
}

/** The percent value of field f at record r as a fraction (a bare number in a percent column is a hundredth). */
function pct(p: RowPass, f: PercentField, r: number): number {
  const v = p.st.pctValue[f][r]!;
  return Number.isNaN(v) || p.st.pctSign[f][r] === 1 || p.percentScales[f] === 'fraction' ? v : v / 100;
}

const RANGES = [
  { field: 'gross_margin', min: -1 },
  { field: 'retention_rate', min: 0 },
  { field: 'churn_risk', min: 0 },
] as const;

/** The percent values of the row, with the out-of-range issues of margin, retention and churn. */
function rowPercents(p: RowPass, r: number, line: number, issues: RowIssue[]): Record<PercentField, number> {
  const values = {
    growth_rate: pct(p, 'growth_rate', r),
    gross_margin: pct(p, 'gross_margin', r),
    retention_rate: pct(p, 'retention_rate', r),
    churn_risk: pct(p, 'churn_risk', r),
  };
  for (const { field, min } of RANGES) {
    const v = values[field];
    if (!Number.isNaN(v) && (v < min || v > 1))
      issues.push({ line, column: p.ctx.colOf(field), code: 'out_of_range', message: cellProblemText({ reason: 'percent_range', field }) });
  }
  return values;
}

/** The rating of field f at record r on 0..100 (NaN with an issue when it is off the column's scale). */
function rowRating(p: RowPass, f: RatingField, r: number, line: number, issues: RowIssue[]): number {
  const kind = p.st.ratKind[f][r];
  const v = p.st.ratValue[f][r]!;
  if (kind !== 1) return v;
  const scale = p.ratings.scales[f]!;
  const x = normaliseRating(v, scale);
  if (x !== undefined) return x;
  const apparent = p.ratings.apparent[f];
  const message = cellProblemText({ reason: 'rating_scale', value: v, field: f, scale, ...(apparent === undefined ? {} : { apparent }) });
  issues.push({ line, column: p.ctx.colOf(f), code: 'out_of_range', message });
  return Number.NaN;
}

/** The rate of money field m at record r, with the column it came from; a string: the no-rate message. Undefined: an issue was pushed. */
function moneyRate(p: RowPass, m: number, r: number, line: number, issues: RowIssue[]): { factor: number | string; column: string | undefined } | undefined {
  const { ctx, st, money: mc } = p;
  const f = MONEY_FIELDS[m]!;
  const cellCode = cellCurrency(st, f, r);
  const ccol = mc.ownCurrencyColumn[m];
  const fromHeader = mc.headerCurrency[m];
  const rowCurrency = st.text.currency.at(r);
  const settled = ccol === undefined ? settleCodes(cellCode, fromHeader, rowCurrency, mc.book.base, mc.settlement) : CONFLICT;
  if (settled !== CONFLICT) {
    // No currency column of its own and no disagreement (the plain path): nothing allocated.
    const column = mc.settlement.from === 2 ? mc.currencyHeader : ctx.colOf(f);
    if (mc.settlement.from === 1) mc.headerUsed[m]!++;
    return { factor: mc.book.factorOf(settled, column, mc.settlement.fallback, line), column };
  }
  const cells = p.table.cellsOf(r);
  const cur = moneyCurrency(
    {
      cell: cells[ctx.fi[f]!]!,
      cellCode,
      column: ctx.colOf(f),
      own: ccol === undefined ? undefined : { header: ctx.header[ccol]!, text: cells[ccol]! },
      headerCode: fromHeader,
      row: rowCurrency === undefined ? undefined : { code: rowCurrency, header: mc.currencyHeader!, text: cells[ctx.fi.currency!]! },
    },
    mc.book.base,
    line,
  );
  if (!cur.ok) {
    issues.push(cur.issue);
    return undefined;
  }
  if (fromHeader !== undefined && cur.currency.code === fromHeader && cellCode === undefined && ccol === undefined) mc.headerUsed[m]!++;
  return { factor: mc.book.factor(cur.currency, line), column: cur.currency.column };
}

/** The factor of every money value of the row into `money.factors` (scale × rate), with the issues that stop one. */
function rowMoney(p: RowPass, r: number, line: number, issues: RowIssue[]): void {
  const { ctx, money: mc } = p;
  for (let m = 0; m < MONEY_FIELDS.length; m++) mc.factors[m] = mc.scales[m]!;
  for (const m of mc.present) {
    const f = MONEY_FIELDS[m]!;
    const v = p.st.money[f][r]!;
    if (Number.isNaN(v)) continue;
    mc.valuesIn[m]!++;
    const rate = moneyRate(p, m, r, line, issues);
    if (rate === undefined) continue;
    if (typeof rate.factor === 'string') {
      issues.push({ line, column: rate.column ?? ctx.colOf(f), code: 'no_rate', message: rate.factor });
      continue;
    }
    mc.factors[m] = mc.factors[m]! * rate.factor;
    // A huge amount times a rate can overflow: the engine needs finite money (NaN is missing).
    if (!Number.isFinite(v * mc.factors[m])) {
      const scaled = mc.scales[m] === 1 ? '' : `, × ${mc.scales[m]} as the header says`;
      const cell = p.table.cellsOf(r)[ctx.fi[f]!]!.trim();
      const message = `'${cell}' is out of range once converted to ${mc.book.base ?? 'the base currency'} (rate ${rate.factor}${scaled})`;
      issues.push({ line, column: ctx.colOf(f), code: 'out_of_range', message });
    }
  }
}

/** The duplicate issue when another line has the row's id (its account id, else its name) first. */
function rowDuplicate(p: RowPass, r: number, line: number, issues: RowIssue[]): void {
  const seen = p.firstSeen.lineOf(r);
  if (seen === undefined || seen === line) return;
  const { st, ctx } = p;
  const hasId = ctx.fi.account_id !== undefined;
  const id = (hasId ? st.text.account_id : st.text.account_name).at(r)!;
  const col = hasId ? ctx.fi.account_id : ctx.fi.account_name!;
  const dup = duplicateIssue(seen, id, line, ctx.header[col]!, hasId ? 'account id' : 'account name (the file has no id column)', p.table.cellsOf(r)[col]);
  if (dup !== undefined) issues.push(dup);
}

/** The checks of pass 2 on one row: its values for the columns, or its issues. */
export interface RowValues {
  readonly percents: Record<PercentField, number>;
  readonly fit: number;
  readonly strategic: number;
}

export function checkRow(p: RowPass, r: number, issues: RowIssue[]): RowValues {
  const line = p.table.lineOf(r);
  const percents = rowPercents(p, r, line, issues);
  const fit = rowRating(p, 'product_fit', r, line, issues);
  const strategic = rowRating(p, 'strategic_value', r, line, issues);
  // Currency of each money value: its cell, its own currency column, the header, the row's currency.
  rowMoney(p, r, line, issues);
  rowDuplicate(p, r, line, issues);
  return { percents, fit, strategic };
}

/**
 * The valid rows, compacted into columns as pass 2 accepts them: into the store's own
 * arrays (row i comes from record r >= i, whose values pass 2 has read before row i is
 * written), so the accounts cost no second copy of the store: neither of its typed arrays nor
 * of its packed ids and names, nor of its arrays of industries and countries (at 1M rows, two
 * arrays of 8 MB and their growth).
 */
export class AccountColumnsBuilder {
  /** The store's ids, or its names when the file has no id column (the names are the ids). */
  private readonly ids: PackedText;
  private readonly names: PackedText;
  private readonly records: Uint32Array;
  private readonly industry: CodedText;
  private readonly country: CodedText;
  private readonly cols;
  private readonly flags: Record<string, Uint8Array> = {};
  private n = 0;
  /** Rows giving both retention_rate and churn_risk (retention_rate used). */
  both = 0;

  constructor(
    private readonly st: AccountStore,
    private readonly flagKeys: readonly string[],
    hasIdColumn: boolean,
  ) {
    this.ids = hasIdColumn ? st.text.account_id : st.text.account_name;
    this.names = st.text.account_name;
    this.industry = st.text.industry;
    this.country = st.text.country;
    this.records = new Uint32Array(st.n);
    this.cols = {
      revenue: st.money.revenue,
      companyRevenue: st.money.company_revenue,
      potentialRevenue: st.money.potential_revenue,
      pipeline: st.money.pipeline,
      growthRate: st.pctValue.growth_rate,
      grossMargin: st.pctValue.gross_margin,
      retentionRate: st.pctValue.retention_rate,
      // Read (as the retention value's sign) before row i is written, as every other column.
      retentionSource: st.pctSign.retention_rate,
      productFit: st.ratValue.product_fit,
      strategicValue: st.ratValue.strategic_value,
      employees: st.employees,
    };
    for (const k of flagKeys) this.flags[k] = st.flagValues[k]!;
  }

  /** Account i came from record recordIndex[i]. */
  get recordIndex(): Uint32Array {
    return this.records.subarray(0, this.n);
  }

  /** Record r, with the values pass 2 settled and the money factors of its row. */
  push(r: number, v: RowValues, factors: Float64Array): void {
    const { st, cols } = this;
    const i = this.n++;
    this.names.moveTo(i, r);
    // Without an id column `ids` is the names' column: moved once.
    if (this.ids !== this.names) this.ids.moveTo(i, r);
    this.records[i] = r;
    cols.revenue[i] = st.money.revenue[r]! * factors[0]!;
    cols.companyRevenue[i] = st.money.company_revenue[r]! * factors[1]!;
    cols.potentialRevenue[i] = st.money.potential_revenue[r]! * factors[2]!;
    cols.pipeline[i] = st.money.pipeline[r]! * factors[3]!;
    cols.growthRate[i] = v.percents.growth_rate;
    cols.grossMargin[i] = v.percents.gross_margin;
    const retention = v.percents.retention_rate;
    const churn = v.percents.churn_risk;
    if (!Number.isNaN(retention)) {
      cols.retentionRate[i] = retention;
      cols.retentionSource[i] = Number.isNaN(churn) ? RetentionSource.Retention : RetentionSource.Both;
      if (!Number.isNaN(churn)) this.both++;
    } else if (!Number.isNaN(churn)) {
      cols.retentionRate[i] = 1 - churn;
      cols.retentionSource[i] = RetentionSource.Churn;
    } else {
      cols.retentionRate[i] = Number.NaN;
      cols.retentionSource[i] = RetentionSource.None;
    }
    cols.productFit[i] = v.fit;
    cols.strategicValue[i] = v.strategic;
    cols.employees[i] = st.employees[r]!;
    this.industry.moveTo(i, r);
    this.country.moveTo(i, r);
    for (const k of this.flagKeys) this.flags[k]![i] = st.flagValues[k]![r]!;
  }

  /** The accounts, every column cut to the rows accepted (views of the store's arrays: no copy). */
  finish(): AccountColumns {
    const n = this.n;
    const c = this.cols;
    for (const t of [this.names, this.ids, this.industry, this.country]) t.truncate(n);
    return {
      n,
      id: this.ids,
      name: this.names,
      revenue: c.revenue.subarray(0, n),
      companyRevenue: c.companyRevenue.subarray(0, n),
      potentialRevenue: c.potentialRevenue.subarray(0, n),
      pipeline: c.pipeline.subarray(0, n),
      growthRate: c.growthRate.subarray(0, n),
      grossMargin: c.grossMargin.subarray(0, n),
      retentionRate: c.retentionRate.subarray(0, n),
      retentionSource: c.retentionSource.subarray(0, n),
      productFit: c.productFit.subarray(0, n),
      strategicValue: c.strategicValue.subarray(0, n),
      industry: this.industry,
      country: this.country,
      employees: c.employees.subarray(0, n),
      flags: Object.fromEntries(this.flagKeys.map((k) => [k, this.flags[k]!.subarray(0, n)])),
    };
  }
}
