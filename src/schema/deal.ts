import type * as Zod from 'zod';
import { DealStatus, type DealColumns } from '../core/rollup.ts';
import type { RawTable } from '../io/read-table.ts';
import { InputError } from '../errors.ts';
import type { IssueCode, RejectedRow } from './account.ts';
import type { DealField } from './fields.ts';
import type { ColumnMapping } from './mapping.ts';
import { booleanRule, cellSchema, checkRowCells, currencyRule, idRule, issueCode, numberRules, textRule, type RowIssue } from './cells.ts';
import { CurrencyBook, resolveCurrency, type CurrencySettings, type CurrencySource } from './money.ts';
import { wrongKindOfFile } from './table-kind.ts';
import { currencyOfText, inferDecimal, type DateFormat, type Decimal } from './values.ts';
import { zod } from './zod.ts';

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
  /** One-line notes for stderr, e.g. how the date order was settled. */
  readonly notes: readonly string[];
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

const STATUS_WORD = ['open', 'won', 'lost'] as const;

/** The row schema: one cell rule per deal field (schema/cells.ts; blank is missing, never 0). */
function buildRowSchema(decimal: Decimal, dateFormat: DateFormat | undefined) {
  const { z } = zod();
  const rules = numberRules(decimal, new Map(), dateFormat);
  return z.object({
    deal_id: cellSchema(idRule).optional(),
    deal_account_id: cellSchema(idRule).optional(),
    deal_account_name: cellSchema(textRule).optional(),
    amount: cellSchema(rules.money).optional(),
    stage: cellSchema(textRule).optional(),
    is_won: cellSchema(booleanRule).optional(),
    is_closed: cellSchema(booleanRule).optional(),
    close_date: cellSchema(rules.date).optional(),
    currency: cellSchema(currencyRule).optional(),
  });
}

type TypedRow = Zod.output<ReturnType<typeof buildRowSchema>>;

const SCHEMA_FIELDS = [
  'deal_id', 'deal_account_id', 'deal_account_name', 'amount', 'stage', 'is_won', 'is_closed', 'close_date', 'currency',
] as const satisfies readonly DealField[];

function missingColumn(table: RawTable, what: string, hint: string): InputError {
  return new InputError(`${table.source}: missing required column: ${what}; found: ${table.header.join(', ')}; ${hint}`);
}

/** The decimal separator of the amount column (never a guess: an error asks for --decimal). */
function decideDecimal(table: RawTable, column: number, given: Decimal | undefined): Decimal {
  if (given) return given;
  function* cells(): Generator<string> {
    for (const r of table.records) {
      const c = r.cells[column];
      if (c !== undefined && c !== '') yield c;
    }
  }
  const ev = inferDecimal(cells());
  if (ev.decimal) return ev.decimal;
  if (ev.conflict) {
    throw new InputError(
      `${table.source}: the amounts mix decimal separators ('${ev.conflict.dot}' reads as a dot decimal, '${ev.conflict.comma}' as a comma decimal): pass --decimal . or --decimal ,`,
    );
  }
  throw new InputError(
    `${table.source}: cannot tell the decimal separator: '${ev.ambiguous ?? '?'}' could be read two ways and no value settles it: pass --decimal . or --decimal ,`,
  );
}

const SLASH_DATE = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{2}|\d{4})(?!\d)/;

/**
 * The day order of the close dates: given, else settled by the column itself ('13/02/2024'
 * can only be D/M, '02/23/26' only M/D), like the decimal separator. Undecidable -> InputError.
 */
function decideDateFormat(table: RawTable, column: number, given: DateFormat | undefined): { format: DateFormat | undefined; note?: string } {
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
  if (dmy !== undefined) return { format: { order: 'DMY' }, note: `${table.source}: close dates read as D/M/YYYY ('${dmy}' settles it)` };
  if (mdy !== undefined) return { format: { order: 'MDY' }, note: `${table.source}: close dates read as M/D/YYYY ('${mdy}' settles it)` };
  if (ambiguous !== undefined) {
    throw new InputError(`${table.source}: cannot tell the day order of the close dates: '${ambiguous}' could be read two ways and no date settles it: pass --date-format M/D/YYYY or D/M/YYYY`);
  }
  return { format: undefined };
}

/**
 * Settle a deal's status: is_won / is_closed when given, else the stage text. A closed deal
 * with no is_won is won only when its stage says so; contradictions are row issues.
 */
function settleStatus(row: TypedRow): DealStatus | string {
  const fromStage = row.stage === undefined ? undefined : stageStatus(row.stage);
  if (row.is_closed === false) {
    if (row.is_won === true) return 'is won but not closed';
    if (fromStage !== undefined && fromStage !== DealStatus.Open) return `stage '${row.stage}' says ${STATUS_WORD[fromStage]} but the deal is not closed`;
    return DealStatus.Open;
  }
  if (row.is_won === true) return DealStatus.Won;
  if (row.is_closed === true) return fromStage === DealStatus.Won && row.is_won === undefined ? DealStatus.Won : DealStatus.Lost;
  if (row.is_won === false) return fromStage === DealStatus.Lost ? DealStatus.Lost : fromStage === DealStatus.Won ? `stage '${row.stage}' says won but is_won is false` : DealStatus.Open;
  if (fromStage === undefined) return 'stage is blank';
  return fromStage;
}

/**
 * Validate every record of a deals (opportunities) table: each becomes a typed deal or a
 * rejected row with its issues (line, column). File-level problems (no account column, no
 * amount, no way to tell won deals, an undecidable decimal separator) throw InputError.
 */
export function parseDeals(table: RawTable, mapping: ColumnMapping, settings: DealSettings): ParsedDeals {
  const fi = mapping.fieldIndex;
  const { header } = table;
  const wrongKind = wrongKindOfFile(table, 'deals', undefined);
  if (wrongKind !== undefined) throw new InputError(wrongKind);
  if (fi.deal_account_id === undefined && fi.deal_account_name === undefined) {
    throw missingColumn(table, 'the deal\'s account (deal_account_id or deal_account_name)', 'use --map "Header=deal_account_name"');
  }
  if (fi.amount === undefined) throw missingColumn(table, 'amount', 'use --map "Header=amount"');
  if (fi.stage === undefined && fi.is_won === undefined) {
    throw missingColumn(table, 'stage or is_won (which deals are won)', 'use --map "Header=stage"');
  }
  if (fi.close_date === undefined) throw missingColumn(table, 'close_date', 'use --map "Header=close_date"');
  const decimal = decideDecimal(table, fi.amount, settings.decimal);
  const dates = decideDateFormat(table, fi.close_date, settings.dateFormat);
  const schema = buildRowSchema(decimal, dates.format);
  const width = header.length;
  const amountCurrencyColumn = (mapping.currencyColumns as Partial<Record<DealField, number>>).amount;
  const amountAnnotations = mapping.columns[fi.amount]?.annotations ?? {};
  const amountScale = amountAnnotations.scale !== undefined && Number.isFinite(amountAnnotations.scale) && amountAnnotations.scale > 0 ? amountAnnotations.scale : 1;
  const mapped = [
    ...new Set([...Object.values(fi), amountCurrencyColumn].filter((v): v is number => v !== undefined)),
  ].sort((a, b) => a - b);
  const colOf = (f: DealField): string => header[fi[f]!] ?? f;
  const book = new CurrencyBook(settings.currency);

  const n0 = table.records.length;
  const amount = new Float64Array(n0);
  const status = new Uint8Array(n0);
  const closeDate = new Float64Array(n0);
  const accountId: (string | undefined)[] = [];
  const accountName: (string | undefined)[] = [];
  const recIdx: number[] = [];
  const rejected: RejectedRow[] = [];
  // Every row whose deal id reads counts as seen, valid or not (as for accounts): a later row
  // with the same id is a duplicate whatever else is wrong with the first.
  const firstLine = new Map<string, number>();
  if (fi.deal_id !== undefined) {
    for (const rec of table.records) {
      if (rec.cells.length !== width) continue;
      const checked = idRule(rec.cells[fi.deal_id]!);
      if (checked.ok && checked.value !== undefined && !firstLine.has(checked.value)) firstLine.set(checked.value, rec.line);
    }
  }

  for (let r = 0; r < n0; r++) {
    const rec = table.records[r]!;
    const cells = rec.cells;
    const issues: RowIssue[] = [];
    const issue = (column: string, code: IssueCode, message: string): void => {
      issues.push({ line: rec.line, column, code, message });
    };
    const reject = (): void => {
      rejected.push({ recordIndex: r, line: rec.line, issues });
    };
    // The same row checks as an accounts file (schema/cells.ts): one mechanism, no drift.
    checkRowCells(cells, header, mapped, rec.line, issues);
    if (issues.length > 0) {
      reject();
      continue;
    }
    const obj: Record<string, string> = {};
    for (const f of SCHEMA_FIELDS) {
      const i = fi[f];
      if (i !== undefined) obj[f] = cells[i]!;
    }
    const parsed = schema.safeParse(obj);
    if (!parsed.success) {
      for (const zi of parsed.error.issues) {
        issue(colOf(zi.path[0] as DealField), issueCode(zi), zi.message);
      }
      reject();
      continue;
    }
    const row = parsed.data;
    const settled = settleStatus(row);
    if (typeof settled === 'string') {
      issue(fi.stage !== undefined ? colOf('stage') : colOf('is_won'), settled === 'stage is blank' ? 'required' : 'invalid_value', settled);
    } else if (settled === DealStatus.Won) {
      if (row.amount === undefined) issue(colOf('amount'), 'required', 'a won deal needs an amount');
      if (row.close_date === undefined) issue(colOf('close_date'), 'required', 'a won deal needs a close date');
    }
    // The amount's currency: its cell, its own currency column, the header, the row's currency (as for accounts).
    let factor = amountScale;
    if (row.amount !== undefined) {
      const cell = cells[fi.amount]!;
      const sources: CurrencySource[] = [{ code: row.amount.currency, column: colOf('amount'), label: `'${cell.trim()}'` }];
      let bad = false;
      if (amountCurrencyColumn !== undefined) {
        const ctext = cells[amountCurrencyColumn]!;
        const code = currencyOfText(ctext);
        if (code === undefined && ctext.trim() !== '') {
          const checked = currencyRule(ctext);
          issue(header[amountCurrencyColumn]!, 'invalid_value', checked.ok ? `'${ctext.trim()}' is not a currency` : checked.message);
          bad = true;
        }
        sources.push({ code, column: header[amountCurrencyColumn]!, label: `${header[amountCurrencyColumn]!} '${ctext.trim()}'` });
      }
      if (amountAnnotations.currency !== undefined) {
        sources.push({ code: amountAnnotations.currency.toUpperCase(), column: colOf('amount'), label: `the header '${colOf('amount')}'` });
      }
      if (row.currency !== undefined) sources.push({ code: row.currency, column: colOf('currency'), label: `${colOf('currency')} '${cells[fi.currency!]!.trim()}'` });
      const cur = bad ? undefined : resolveCurrency(sources, book.base);
      if (cur !== undefined && !cur.ok) issue(colOf('amount'), 'currency_conflict', cur.message);
      else if (cur !== undefined) {
        const rate = book.factor(cur, rec.line);
        if (typeof rate === 'string') issue(cur.column ?? colOf('amount'), 'no_rate', rate);
        else {
          factor *= rate;
          if (!Number.isFinite(row.amount.amount * factor)) {
            issue(colOf('amount'), 'out_of_range', `'${cell.trim()}' is out of range once converted (rate ${rate})`);
          }
        }
      }
    }
    if (row.deal_id !== undefined) {
      const seen = firstLine.get(row.deal_id);
      if (seen !== undefined && seen !== rec.line) issue(colOf('deal_id'), 'duplicate_id', `duplicate deal id '${row.deal_id}': first seen at line ${seen}`);
    }
    if (typeof settled === 'string' || issues.length) {
      reject();
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

  book.assertComparable(table.source);
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
    notes: [...(dates.note === undefined ? [] : [dates.note]), ...book.notes()],
    currencies: book.currencies(),
  };
}
