/**
 * The rules engine accounts and deals share: the decimal separator of their number columns,
 * each mapped cell's rule run straight into the caller's storage with the zod row schema
 * naming the issues of a row that fails, the currency of one money value from its sources,
 * and the first line of every id for duplicate checks. One mechanism, no drifting copies.
 */
import type * as Zod from 'zod';
import type { RawTable } from '../io/read-table.ts';
import { InputError } from '../errors.ts';
import { cellSchema, currencyRule, issueCode, type CellRule, type IssueCode, type RowIssue } from './cells.ts';
import { resolveCurrency, type CurrencySource, type ValueCurrency } from './money.ts';
import { currencyOfText, inferDecimal, parseMoney, type Decimal } from './values.ts';
import { zod } from './zod.ts';
import { cellProblemText } from './cell-problems.ts';

/**
 * The decimal separator of the number cells in `columns`: given, else inferred (never a
 * guess: a conflict or an ambiguity is an InputError asking for --decimal). `what` names the
 * columns in the conflict message; with `readableOnly`, a second look counts only the cells
 * that read as a number one way or the other.
 */
export function decideDecimal(table: RawTable, columns: readonly number[], given: Decimal | undefined, what: string, readableOnly: boolean): Decimal {
  // A workbook's cells are written with '.' decimals and no grouping (io/xlsx/cell-text.ts): no guessing.
  if (table.sheet !== undefined) return '.';
  if (given) return given;
  function* cells(): Generator<string> {
    for (const r of table.records) {
      const row = r.cells;
      for (const i of columns) {
        const c = row[i];
        if (c !== undefined && c !== '') yield c;
      }
    }
  }
  let ev = inferDecimal(cells());
  if (ev.decimal) return ev.decimal;
  if (readableOnly) {
    // One garbage cell ('1,234k,567') is that row's issue, not a question about the whole export (rare path).
    const readable = (c: string): boolean => parseMoney(c, '.').kind === 'value' || parseMoney(c, ',').kind === 'value';
    ev = inferDecimal([...cells()].filter(readable));
    if (ev.decimal) return ev.decimal;
  }
  if (ev.conflict) {
    throw new InputError(
      `${table.source}: ${what} mix decimal separators ('${ev.conflict.dot}' reads as a dot decimal, '${ev.conflict.comma}' as a comma decimal): pass --decimal . or --decimal ,`,
    );
  }
  throw new InputError(
    `${table.source}: cannot tell the decimal separator: '${ev.ambiguous ?? '?'}' could be read two ways and no value settles it: pass --decimal . or --decimal ,`,
  );
}

/** One mapped cell a row reads: the key its value is stored under, its column, its rule. */
export interface CellReader<K extends string = string> {
  readonly key: K;
  readonly col: number;
  readonly rule: CellRule<unknown>;
}

/**
 * The fast pass of one row: each reader's rule on its cell, every value read handed to
 * `put` with its reader (blank cells are missing: not handed on). False at the first cell a
 * rule refuses: then `rowIssues` names the row's issues.
 */
export function readCells<R extends CellReader>(cells: readonly string[], readers: readonly R[], put: (reader: R, value: unknown) => void): boolean {
  for (const r of readers) {
    const checked = r.rule(cells[r.col]!);
    if (!checked.ok) return false;
    if (checked.value !== undefined) put(r, checked.value);
  }
  return true;
}

/** The zod row schema of readers (one cell schema per key, all optional), plus any extra keys. */
export function rowSchema(readers: readonly CellReader[], extra: Readonly<Record<string, Zod.ZodType>> = {}): Zod.ZodType {
  const { z } = zod();
  const shape = Object.fromEntries(readers.map((r) => [r.key, cellSchema(r.rule).optional()]));
  return z.object({ ...shape, ...extra });
}

/** The issues the row schema finds in `row` (key -> cell text), each at the column `columnOf` names for its path. */
export function rowIssues(schema: Zod.ZodType, row: Record<string, unknown>, line: number, columnOf: (path: readonly PropertyKey[]) => string): RowIssue[] {
  const parsed = schema.safeParse(row);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({ line, column: columnOf(issue.path), code: issueCode(issue), message: issue.message }));
}

/** The cell text of each reader's column, keyed like the readers: the row schema's input. */
export function rowInput(cells: readonly string[], readers: readonly CellReader[]): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const r of readers) obj[r.key] = cells[r.col];
  return obj;
}

/** The duplicate-id issue of a row whose id was first seen (`seen`, a line) on another line, else undefined. */
/** The issue of a row whose id another line has first; `written`: its cell, when kam compared it as another text (trimmed, say). */
export function duplicateIssue(seen: number | undefined, id: string, line: number, column: string, what: string, written?: string): RowIssue | undefined {
  if (seen === undefined || seen === line) return undefined;
  const shown = written === undefined || written === id ? {} : { written };
  return { line, column, code: 'duplicate_id', message: cellProblemText({ reason: 'duplicate_id', what, id, firstLine: seen, ...shown }) };
}

/** A currency column's header and the row's cell in it. */
interface CurrencyCell {
  readonly header: string;
  readonly text: string;
}

/** Where one money value's currency can come from (most specific first). */
export interface MoneySources {
  /** The money cell as written, the currency it names, and its column's header. */
  readonly cell: string;
  readonly cellCode: string | undefined;
  readonly column: string;
  /** The field's own currency column. */
  readonly own: CurrencyCell | undefined;
  /** The currency the column's header names ('Revenue (EUR)'), upper-case. */
  readonly headerCode: string | undefined;
  /** The row's `currency` field: its code and cell. */
  readonly row: (CurrencyCell & { readonly code: string }) | undefined;
}

/**
 * The currency of one money value from its sources, or the row issue that stops it: a cell
 * of its own currency column that is not a currency, or sources that disagree.
 */
export function moneyCurrency(
  src: MoneySources,
  base: string | undefined,
  line: number,
): { readonly ok: true; readonly currency: ValueCurrency & { ok: true } } | { readonly ok: false; readonly issue: RowIssue } {
  const issue = (column: string, code: IssueCode, message: string) => ({ ok: false, issue: { line, column, code, message } }) as const;
  const sources: CurrencySource[] = [{ code: src.cellCode, column: src.column, label: `'${src.cell.trim()}'` }];
  if (src.own !== undefined) {
    const { header, text } = src.own;
    const code = currencyOfText(text);
    if (code === undefined && text.trim() !== '') {
      const bad = currencyRule(text);
      return issue(header, 'invalid_value', bad.ok ? `'${text.trim()}' is not a currency` : bad.message);
    }
    sources.push({ code, column: header, label: `${header} '${text.trim()}'` });
  }
  if (src.headerCode !== undefined) sources.push({ code: src.headerCode, column: src.column, label: `the header '${src.column}'` });
  if (src.row !== undefined) sources.push({ code: src.row.code, column: src.row.header, label: `${src.row.header} '${src.row.text.trim()}'` });
  const cur = resolveCurrency(sources, base);
  if (!cur.ok) return issue(src.column, 'currency_conflict', cur.message);
  return { ok: true, currency: cur };
}
