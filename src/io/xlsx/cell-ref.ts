/** A1 references: a column's letters and back, and a reference's row. */

/** The A1 letters of a 0-based column. */
export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** 'BC12' -> 0-based column of its letters (54), or -1. */
export function columnOf(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    n = n * 26 + (c - 0x60);
  }
  return i === 0 ? -1 : n - 1;
}

/** 'BC12' -> 12, or -1. */
export function rowOf(ref: string): number {
  const m = /\d+$/.exec(ref);
  return m === null ? -1 : Number(m[0]);
}
