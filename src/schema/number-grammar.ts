/**
 * The number grammar of cells: money (with the currency the cell names), plain numbers,
 * percents, and the numbers the CSV writer must not guard. Blank is missing, never 0. The
 * tokenizer is number-scan.ts (one scan state, reused: each result is read before the next scan).
 */
import type { CellProblem, NumberKind } from './cell-problems.ts';
import { MISSING, error, spreadsheetErrorCell, value, type Cell, type CellFailure, type Decimal } from './cell-value.ts';
import { NumberMode, ScanFail, scanNumber, type NumberScan } from './number-scan.ts';
import { trimEnd, trimStart } from './text-scan.ts';

/** Why a cell is not `expected` (an amount, a number, ...), from why its scan failed. */
export function numberProblem(cell: string, expected: NumberKind, decimal: Decimal, fail: ScanFail): CellProblem {
  if (fail === ScanFail.Group) return { reason: 'ungrouped', cell, expected, decimal };
  if (fail === ScanFail.Range) return { reason: 'number_out_of_range', cell };
  return { reason: 'not_a_number', cell, expected };
}

/** The failure of a scan: a spreadsheet error ('#N/A') by its name, else the grammar's reason. */
function scanError(sc: NumberScan, expected: NumberKind, decimal: Decimal): CellFailure {
  return spreadsheetErrorCell(sc.cell, sc.start) ?? error(numberProblem(sc.cell, expected, decimal, sc.fail));
}

/** The scan of a non-blank cell, or undefined when it is blank. */
function scanCell(cell: string, decimal: Decimal, mode: NumberMode): NumberScan | undefined {
  const s = trimStart(cell);
  if (s === cell.length) return undefined;
  return scanNumber(cell, s, trimEnd(cell, s), decimal, mode);
}

/** An amount and the currency its cell names: an ISO code, a family token ('$', '¥', 'kr', 'Rs'), or undefined. */
export interface Money {
  readonly amount: number;
  readonly currency: string | undefined;
}

/**
 * A money amount and the currency its cell names: `$1,234.50`, `1.234,50 €`, `USD 1,234`,
 * `(1,200)`, `-$1,200`, `6.0E7`, `$10M`, `1.234,56 Euro`. The currency is an ISO code ('EUR'
 * for `€`, `EUR`, `Euro`), a family token ('$', '¥', 'kr', 'Rs': see CURRENCY_FAMILIES), or
 * undefined when the cell names none (or a symbol kam does not know).
 */
export function parseMoneyCell(cell: string, decimal: Decimal): Cell<Money> {
  const sc = scanCell(cell, decimal, NumberMode.Money);
  if (sc === undefined) return MISSING;
  if (sc.value === sc.value) return value({ amount: sc.value, currency: sc.currency }); // not NaN
  return scanError(sc, 'amount', decimal);
}

/** A money amount (see parseMoneyCell) without the currency it names. */
export function parseMoney(cell: string, decimal: Decimal): Cell<number> {
  const r = parseMoneyCell(cell, decimal);
  return r.kind === 'value' ? value(r.value.amount) : r;
}

/** A plain number (the money grammar without currency), e.g. employee counts: `1,200`, `12k`, `500000.0`. */
export function parseNumber(cell: string, decimal: Decimal): Cell<number> {
  const sc = scanCell(cell, decimal, NumberMode.Number);
  if (sc === undefined) return MISSING;
  if (sc.value === sc.value) return value(sc.value);
  return scanError(sc, 'number', decimal);
}

/**
 * Is the cell a number in an export with this decimal separator: an amount (`-$1,200`,
 * `(1,200)`, `-12k`, `-USD 5`, `−4.5`) or a percent (`-20,3 %`, `+3 %`)? The CSV writer asks
 * it before it guards a cell starting with `-` or `+`, so kam never turns a number into text.
 */
export function isNumberCell(cell: string, decimal: Decimal): boolean {
  const s = trimStart(cell);
  if (s === cell.length) return false;
  const e = trimEnd(cell, s);
  const amount = scanNumber(cell, s, e, decimal, NumberMode.Money).value;
  if (amount === amount) return true; // not NaN
  const percent = scanNumber(cell, s, e, decimal, NumberMode.Percent).value;
  return percent === percent;
}

/** A percent cell: '35%' -> {0.35, hasSign: true}; bare '35' -> {35, false} (the column decides, see resolvePercentColumn). */
export function parsePercent(cell: string, decimal: Decimal): Cell<{ readonly value: number; readonly hasSign: boolean }> {
  const sc = scanCell(cell, decimal, NumberMode.Percent);
  if (sc === undefined) return MISSING;
  if (sc.value === sc.value) return value({ value: sc.value, hasSign: sc.percent });
  return scanError(sc, 'percentage', decimal);
}

/** SCORING.md §1: bare percent values all within -1..1 are fractions, else percents (35 -> 0.35). NaN is skipped; empty -> 'fraction'. */
export function resolvePercentColumn(bareValues: Iterable<number>): 'fraction' | 'percent' {
  for (const v of bareValues) if (v < -1 || v > 1) return 'percent';
  return 'fraction';
}
