/**
 * A text column over an array of strings (the accounts a library caller or a test builds),
 * and how text is compared where case and accents do not matter.
 */
import { compareCodePoints } from './rank.ts';
import type { TextColumn } from './types.ts';

/** The column of `values` (not copied: the array must not change after). */
export function textColumn(values: readonly (string | undefined)[]): TextColumn {
  return {
    length: values.length,
    at: (i) => values[i],
    compare: (i, j) => compareText(values[i] ?? '', values[j] ?? ''),
  };
}

/** Text as ICP rules, gates and explain's search compare it: trimmed, lower case, composed and decomposed accents alike (NFC). */
export function foldText(s: string): string {
  return s.trim().normalize('NFC').toLowerCase();
}

/** Code point order; native comparison (code-unit order) when neither has a surrogate, where the two agree. */
export function compareText(x: string, y: string): number {
  if (hasSurrogate(x) || hasSurrogate(y)) return compareCodePoints(x, y);
  return x < y ? -1 : x > y ? 1 : 0;
}

function hasSurrogate(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const u = s.charCodeAt(k);
    if (u >= 0xd800 && u <= 0xdfff) return true;
  }
  return false;
}

/** Every cell of a column, in order (for the few callers that need them all as strings). */
export function textValues(column: TextColumn): (string | undefined)[] {
  const out = new Array<string | undefined>(column.length);
  for (let i = 0; i < column.length; i++) out[i] = column.at(i);
  return out;
}
