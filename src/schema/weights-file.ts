import { CRITERIA } from '../core/types.ts';
import type { RawTable } from '../io/read-table.ts';
import { normaliseHeader } from './mapping.ts';
import { parseNumber, type Decimal } from './values.ts';
import { cellProblemText } from './cell-problems.ts';

/**
 * A weights file for `kam robust --weights-file`: one row per scenario (a manager of a
 * panel, or any list of samples), columns volume, potential, ltv, fit, strategic and an
 * optional label column. Weights are relative: each row is renormalised, as the model does.
 */
export interface WeightScenarios {
  /** Row after row, CRITERIA order. */
  readonly weights: Float64Array;
  /** One label per row: the label column's cell, else `row N`. */
  readonly labels: readonly string[];
  /** The label column's header, when there is one. */
  readonly labelColumn: string | undefined;
  /** Columns neither a criterion nor the label (said on stderr). */
  readonly ignored: readonly string[];
  readonly issues: readonly { readonly line: number; readonly column: string; readonly message: string }[];
}

const LABEL_NAMES = new Set(['label', 'name', 'manager', 'scenario', 'panelist', 'who']);

/** Parses the table; every bad cell is an issue with its line and column, none is guessed. */
export function parseWeightScenarios(table: RawTable, decimal: Decimal = '.'): WeightScenarios {
  const at = new Map<string, number>();
  table.header.forEach((h, i) => {
    const key = normaliseHeader(h);
    if (!at.has(key)) at.set(key, i);
  });
  const issues: { line: number; column: string; message: string }[] = [];
  const missing = CRITERIA.filter((c) => !at.has(c));
  if (missing.length > 0) {
    issues.push({
      line: table.headerLine,
      column: missing.join(', '),
      message: cellProblemText({ reason: 'missing_columns', file: 'weights', needs: CRITERIA }),
    });
    return { weights: new Float64Array(0), labels: [], labelColumn: undefined, ignored: [], issues };
  }
  const criterionColumns = CRITERIA.map((c) => at.get(c)!);
  const others = table.header.map((_, i) => i).filter((i) => !criterionColumns.includes(i));
  const labelAt = others.find((i) => LABEL_NAMES.has(normaliseHeader(table.header[i]!))) ?? (others.length === 1 ? others[0] : undefined);
  const ignored = others.filter((i) => i !== labelAt).map((i) => table.header[i]!);
  const n = table.records.length;
  const weights = new Float64Array(n * CRITERIA.length);
  const labels: string[] = [];
  table.records.forEach((rec, r) => {
    let sum = 0;
    CRITERIA.forEach((c, j) => {
      const cell = rec.cells[criterionColumns[j]!] ?? '';
      const v = parseNumber(cell, decimal);
      if (v.kind === 'missing') issues.push({ line: rec.line, column: c, message: cellProblemText({ reason: 'weight_blank' }) });
      else if (v.kind === 'error') issues.push({ line: rec.line, column: c, message: v.message });
      else if (!(v.value >= 0) || !Number.isFinite(v.value))
        issues.push({ line: rec.line, column: c, message: cellProblemText({ reason: 'weight_negative', cell }) });
      else {
        weights[r * CRITERIA.length + j] = v.value;
        sum += v.value;
      }
    });
    if (sum === 0 && !issues.some((i) => i.line === rec.line)) {
      issues.push({ line: rec.line, column: CRITERIA.join(', '), message: cellProblemText({ reason: 'weights_all_zero' }) });
    }
    const label = labelAt === undefined ? '' : (rec.cells[labelAt] ?? '').trim();
    labels.push(label === '' ? `row ${r + 1}` : label);
  });
  return { weights, labels, labelColumn: labelAt === undefined ? undefined : table.header[labelAt], ignored, issues };
}
