import type * as Zod from 'zod';
import { DealStatus, type DealColumns } from '../core/rollup.ts';
import type { RawTable } from '../io/read-table.ts';
import { InputError } from '../errors.ts';
import type { RejectedRow } from './account.ts';
import { DEAL_FIELDS, type DealField, type FIELD_TYPES } from './fields.ts';
import type { ColumnMapping } from './mapping.ts';
import { noteText, type SchemaNote } from './notes.ts';
import { checkRowCells, fieldRules, idRule, numberRules, type FieldValues, type RowIssue } from './cells.ts';
import { cellProblemText, type StatusProblem } from './cell-problems.ts';
import { CurrencyBook, type CurrencySettings } from './money.ts';
import { FirstSeen } from './first-seen.ts';
import { decideDecimal, duplicateIssue, moneyCurrency, readCells, rowInput, rowIssues, rowSchema, type CellReader } from './row-rules.ts';
import { wrongKindOfFile } from './table-kind.ts';
import type { DateFormat, Decimal } from './values.ts';

/** How a deals file's values are read: from flags and config (as for accounts). */
export interface DealSettings {
  readonly decimal?: Decimal | undefined;
  readonly dateFormat?: DateFormat | undefined;
  readonly currency?: CurrencySettings | undefined;
}

/** Validated deals in columns, the account each names, and every rejected row. */
export interface ParsedDeals {
  readonly deals: DealColumns;
  /** Account id of deal k (normalised like account ids), undefined when blank or no such column. */
  readonly accountId: readonly (string | undefined)[];
  /** Account name of deal k as written (trimmed), undefined when blank or no such column. */
  readonly accountName: readonly (string | undefined)[];
  /** Deal k came from record recordIndex[k] of the table. */
  readonly recordIndex: Uint32Array;
  readonly rejected: readonly RejectedRow[];
  readonly decimal: Decimal;
  readonly hasAccountId: boolean;
  readonly hasAccountName: boolean;
  /** The day order slash dates were read in (given, inferred, or undefined when no date needed one). */
  readonly dateFormat: DateFormat | undefined;
  /** One-line notes for stderr, e.g. how the date order was settled, rendered from `noteCodes`. */
  readonly notes: readonly string[];
  /** The notes as codes with their data (schema/notes.ts renders them). */
  readonly noteCodes: readonly SchemaNote[];
  /** The currencies the amounts were in (ISO codes, most rows first). */
  readonly currencies: readonly string[];
}

/** Stage words that close a deal: Salesforce 'Closed Won', HubSpot 'closedwon', Pipedrive status 'won', Maven 'Won'. */
const WON_STAGE = /closed[\s_-]*won|^\s*won\s*$/i;
const LOST_STAGE = /closed[\s_-]*lost|^\s*lost\s*$/i;

/** Status from the stage text: won, lost, else open ('Prospecting', 'Engaging', 'Negotiation/Review'). */
export function stageStatus(stage: string): DealStatus {
  if (WON_STAGE.test(stage)) return DealStatus.Won;
  if (LOST_STAGE.test(stage)) return DealStatus.Lost;
  return DealStatus.Open;
}

/** The fields of a deal row, as the rules read them (blank cells missing). */
type DealRow = { -readonly [K in DealField]?: FieldValues[(typeof FIELD_TYPES)[K]] };

function missingColumn(table: RawTable, what: string, hint: string): InputError {
  return new InputError(`${table.source}: missing required column: ${what}; found: ${table.header.join(', ')}; ${hint}`);
}

const SLASH_DATE = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{2}|\d{4})(?!\d)/;

/**
 * The day order of the close dates: given, else settled by the column itself ('13/02/2024'
 * can only be D/M, '02/23/26' only M/D), like the decimal separator. Undecidable -> InputError.
 */
function decideDateFormat(table: RawTable, column: number, given: DateFormat | undefined): { format: DateFormat | undefined; note?: SchemaNote } {
  if (given) return { format: given };
  let dmy: string | undefined;
  let mdy: string | undefined;
  let ambiguous: string | undefined;
  for (const r of table.records) {
    const cell = r.cells[column];
    if (cell === undefined) continue;
    const m = SLASH_DATE.exec(cell);
    if (m === null) continue;
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12 && b <= 12) dmy ??= cell.trim();
    else if (b > 12 && a <= 12) mdy ??= cell.trim();
    else if (a !== b) ambiguous ??= cell.trim();
    if (dmy !== undefined && mdy !== undefined) {
      throw new InputError(`${table.source}: the close dates mix day orders ('${dmy}' is D/M, '${mdy}' is M/D): pass --date-format`);
    }
  }
  if (dmy !== undefined) return { format: { order: 'DMY' }, note: { code: 'date_order_settled', source: table.source, order: 'DMY', example: dmy } };
  if (mdy !== undefined) return { format: { order: 'MDY' }, note: { code: 'date_order_settled', source: table.source, order: 'MDY', example: mdy } };
  if (ambiguous !== undefined) {
    throw new InputError(
      `${table.source}: cannot tell the day order of the close dates: '${ambiguous}' could be read two ways and no date settles it: pass --date-format M/D/YYYY or D/M/YYYY`,
    );
  }
  return { format: undefined };
}

/**
 * Settle a deal's status: is_won / is_closed when given, else the stage text. A closed deal
 * with no is_won is won only when its stage says so; contradictions are row issues.
 */
function settleStatus(row: DealRow): DealStatus | StatusProblem {
  const fromStage = row.stage === undefined ? undefined : stageStatus(row.stage);
  if (row.is_closed === false) {
    if (row.is_won === true) return { reason: 'won_not_closed' };
    if (fromStage !== undefined && fromStage !== DealStatus.Open) return { reason: 'stage_says_closed', stage: row.stage!, status: fromStage };
    return DealStatus.Open;
  }
  if (row.is_won === true) return DealStatus.Won;
  if (row.is_closed === true) return fromStage === DealStatus.Won && row.is_won === undefined ? DealStatus.Won : DealStatus.Lost;
  if (row.is_won === false) {
    if (fromStage === DealStatus.Won) return { reason: 'stage_won_but_not_won', stage: row.stage! };
    return fromStage === DealStatus.Lost ? DealStatus.Lost : DealStatus.Open;
  }
  if (fromStage === undefined) return { reason: 'stage_blank' };
  return fromStage;
}

/** File-level checks: the right kind of file and the columns a deals file needs (InputError otherwise). */
function checkDealColumns(table: RawTable, fi: ColumnMapping['fieldIndex']): void {
  const wrongKind = wrongKindOfFile(table, 'deals', undefined);
  if (wrongKind !== undefined) throw new InputError(wrongKind);
  if (fi.deal_account_id === undefined && fi.deal_account_name === undefined) {
    throw missingColumn(table, "the deal's account (deal_account_id or deal_account_name)", 'use --map "Header=deal_account_name"');
  }
  if (fi.amount === undefined) throw missingColumn(table, 'amount', 'use --map "Header=amount"');
  if (fi.stage === undefined && fi.is_won === undefined) {
    throw missingColumn(table, 'stage or is_won (which deals are won)', 'use --map "Header=stage"');
  }
  if (fi.close_date === undefined) throw missingColumn(table, 'close_date', 'use --map "Header=close_date"');
}

/** What every row of one deals file is read with. */
interface DealContext {
  readonly table: RawTable;
  readonly fi: ColumnMapping['fieldIndex'];
  readonly readers: readonly CellReader<DealField>[];
  /** Cells every row checks (mapped fields and the amount's currency column). */
  readonly mapped: readonly number[];
  readonly colOf: (f: DealField) => string;
  readonly amountCurrencyColumn: number | undefined;
  readonly amountCurrency: string | undefined;
  readonly amountScale: number;
  readonly book: CurrencyBook;
  readonly firstSeen: FirstSeen;
  schema: Zod.ZodType | undefined;
}

function dealContext(table: RawTable, mapping: ColumnMapping, settings: DealSettings, decimal: Decimal, dateFormat: DateFormat | undefined): DealContext {
  const fi = mapping.fieldIndex;
  const rules = fieldRules(DEAL_FIELDS, numberRules(decimal, new Map(), dateFormat));
  const readers = DEAL_FIELDS.flatMap((f) => (fi[f] === undefined ? [] : [{ key: f, col: fi[f], rule: rules[f] }]));
  const amountCurrencyColumn = (mapping.currencyColumns as Partial<Record<DealField, number>>).amount;
  const annotations = mapping.columns[fi.amount!]?.annotations ?? {};
  const width = table.header.length;
  const dealId = fi.deal_id;
  return {
    table,
    fi,
    readers,
    mapped: [...new Set([...Object.values(fi), amountCurrencyColumn].filter((v): v is number => v !== undefined))].sort((a, b) => a - b),
    colOf: (f) => table.header[fi[f]!] ?? f,
    amountCurrencyColumn,
    amountCurrency: annotations.currency?.toUpperCase(),
    amountScale: annotations.scale !== undefined && Number.isFinite(annotations.scale) && annotations.scale > 0 ? annotations.scale : 1,
    book: new CurrencyBook(settings.currency),
    // Every row whose deal id reads counts as seen, valid or not (as for accounts).
    firstSeen: new FirstSeen(
      table.records.length,
      (r) => {
        const cells = table.records[r]!.cells;
        if (dealId === undefined || cells.length !== width) return undefined;
        const checked = idRule(cells[dealId]!);
        return checked.ok ? checked.value : undefined;
      },
      () => true,
      (r) => table.records[r]!.line,
    ),
    schema: undefined,
  };
}

/** The typed row of one record, or its issues (the same cell checks and rules as an accounts file). */
function readDealRow(ctx: DealContext, cells: readonly string[], line: number): DealRow | RowIssue[] {
  const issues: RowIssue[] = [];
  checkRowCells(cells, ctx.table.header, ctx.mapped, line, issues);
  if (issues.length > 0) return issues;
  const row: DealRow = {};
  if (readCells(cells, ctx.readers, (rd, v) => ((row as Record<string, unknown>)[rd.key] = v))) return row;
  ctx.schema ??= rowSchema(ctx.readers);
  return rowIssues(ctx.schema, rowInput(cells, ctx.readers), line, (path) => ctx.colOf(path[0] as DealField));
}

/** The factor that takes the row's amount to the base currency (scale × rate); pushes the issue that stops it. */
function amountFactor(ctx: DealContext, row: DealRow, cells: readonly string[], line: number, issues: RowIssue[]): number {
  const { fi, colOf, amountCurrencyColumn: ccol, table } = ctx;
  if (row.amount === undefined) return ctx.amountScale;
  const cell = cells[fi.amount!]!;
  const cur = moneyCurrency(
    {
      cell,
      cellCode: row.amount.currency,
      column: colOf('amount'),
      own: ccol === undefined ? undefined : { header: table.header[ccol]!, text: cells[ccol]! },
      headerCode: ctx.amountCurrency,
      row: row.currency === undefined ? undefined : { code: row.currency, header: colOf('currency'), text: cells[fi.currency!]! },
    },
    ctx.book.base,
    line,
  );
  if (!cur.ok) {
    issues.push(cur.issue);
    return ctx.amountScale;
  }
  const rate = ctx.book.factor(cur.currency, line);
  if (typeof rate === 'string') {
    issues.push({ line, column: cur.currency.column ?? colOf('amount'), code: 'no_rate', message: rate });
    return ctx.amountScale;
  }
  const factor = ctx.amountScale * rate;
  if (!Number.isFinite(row.amount.amount * factor)) {
    issues.push({ line, column: colOf('amount'), code: 'out_of_range', message: cellProblemText({ reason: 'converted_out_of_range', cell, rate }) });
  }
  return factor;
}

/** The row's status, or undefined with its issues pushed (and the needs of a won deal checked). */
function dealStatus(ctx: DealContext, row: DealRow, line: number, issues: RowIssue[]): DealStatus | undefined {
  const { colOf } = ctx;
  const settled = settleStatus(row);
  if (typeof settled !== 'number') {
    const column = ctx.fi.stage !== undefined ? colOf('stage') : colOf('is_won');
    issues.push({ line, column, code: settled.reason === 'stage_blank' ? 'required' : 'invalid_value', message: cellProblemText(settled) });
    return undefined;
  }
  if (settled === DealStatus.Won) {
    if (row.amount === undefined)
      issues.push({ line, column: colOf('amount'), code: 'required', message: cellProblemText({ reason: 'won_deal_needs', what: 'amount' }) });
    if (row.close_date === undefined)
      issues.push({ line, column: colOf('close_date'), code: 'required', message: cellProblemText({ reason: 'won_deal_needs', what: 'close_date' }) });
  }
  return settled;
}

/**
 * Validate every record of a deals (opportunities) table: each becomes a typed deal or a
 * rejected row with its issues (line, column). File-level problems (no account column, no
 * amount, no way to tell won deals, an undecidable decimal separator) throw InputError.
 */
export function parseDeals(table: RawTable, mapping: ColumnMapping, settings: DealSettings): ParsedDeals {
  const fi = mapping.fieldIndex;
  checkDealColumns(table, fi);
  const decimal = decideDecimal(table, [fi.amount!], settings.decimal, 'the amounts', false);
  const dates = decideDateFormat(table, fi.close_date!, settings.dateFormat);
  const ctx = dealContext(table, mapping, settings, decimal, dates.format);
  const n0 = table.records.length;
  const amount = new Float64Array(n0);
  const status = new Uint8Array(n0);
  const closeDate = new Float64Array(n0);
  const accountId: (string | undefined)[] = [];
  const accountName: (string | undefined)[] = [];
  const recIdx: number[] = [];
  const rejected: RejectedRow[] = [];
  for (let r = 0; r < n0; r++) {
    const { cells, line } = table.records[r]!;
    const row = readDealRow(ctx, cells, line);
    if (Array.isArray(row)) {
      rejected.push({ recordIndex: r, line, issues: row });
      continue;
    }
    const issues: RowIssue[] = [];
    const settled = dealStatus(ctx, row, line, issues);
    // The amount's currency: its cell, its own currency column, the header, the row's currency (as for accounts).
    const factor = amountFactor(ctx, row, cells, line, issues);
    const dup = row.deal_id === undefined ? undefined : duplicateIssue(ctx.firstSeen.lineOf(r), row.deal_id, line, ctx.colOf('deal_id'), 'deal id');
    if (dup !== undefined) issues.push(dup);
    if (settled === undefined || issues.length) {
      rejected.push({ recordIndex: r, line, issues });
      continue;
    }
    const k = recIdx.length;
    recIdx.push(r);
    amount[k] = row.amount === undefined ? Number.NaN : row.amount.amount * factor;
    status[k] = settled;
    closeDate[k] = row.close_date ?? Number.NaN;
    accountId.push(row.deal_account_id);
    accountName.push(row.deal_account_name);
  }
  ctx.book.assertComparable(table.source);
  const noteCodes = [...(dates.note === undefined ? [] : [dates.note]), ...ctx.book.noteCodes()];
  const n = recIdx.length;
  return {
    deals: { n, amount: amount.slice(0, n), status: status.slice(0, n), closeDate: closeDate.slice(0, n) },
    accountId,
    accountName,
    recordIndex: Uint32Array.from(recIdx),
    rejected,
    decimal,
    hasAccountId: fi.deal_account_id !== undefined,
    hasAccountName: fi.deal_account_name !== undefined,
    dateFormat: dates.format,
    notes: noteCodes.map(noteText),
    noteCodes,
    currencies: ctx.book.currencies(),
  };
}
