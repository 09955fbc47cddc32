/**
 * UTF-8 judged on bytes, for the decoder: the length of one valid sequence, where the first
 * invalid one starts, the physical line of a byte offset, and whether a file given a legacy
 * --encoding is really UTF-8 with a few stray bytes. Knows nothing of CSV.
 */

/** Where a file given a legacy --encoding breaks UTF-8: its bad bytes' offsets and lines. */
export interface Utf8Breaks {
  readonly badOffsets: readonly number[];
  readonly badLines: readonly number[];
}

/**
 * A file whose non-ASCII text is valid UTF-8 on more lines than not (`Müller` as C3 BC)
 * is UTF-8, whatever --encoding says: decoded as Windows-1252 every `ü` would read `Ã¼`.
 * Returns where its few non-UTF-8 bytes are, or undefined when the file is not like that.
 */
export function mostlyUtf8(bytes: Uint8Array): Utf8Breaks | undefined {
  const n = bytes.length;
  let line = 1;
  let lineValid = false;
  let lineBad = false;
  let validLines = 0;
  const badLines: number[] = [];
  const badOffsets: number[] = [];
  const endLine = (): void => {
    if (lineBad) badLines.push(line);
    else if (lineValid) validLines++;
    lineValid = false;
    lineBad = false;
  };
  for (let i = 0; i < n;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
        endLine();
        line++;
      }
      i++;
      continue;
    }
    const len = utf8SequenceLength(bytes, i);
    if (len > 0) {
      lineValid = true;
      i += len;
    } else {
      lineBad = true;
      badOffsets.push(i);
      i++;
    }
  }
  endLine();
  return validLines > badLines.length ? { badOffsets, badLines } : undefined;
}

/** Length of the valid UTF-8 sequence starting at i (a byte >= 0x80), or 0 (Unicode 15, table 3-7). */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  let need: number;
  let lower = 0x80;
  let upper = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lower = 0xa0;
    if (b === 0xed) upper = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lower = 0x90;
    if (b === 0xf4) upper = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (c === undefined) return 0;
    const [lo, hi] = k === 1 ? [lower, upper] : [0x80, 0xbf];
    if (c < lo || c > hi) return 0;
  }
  return need + 1;
}

/**
 * Offset of the first byte that starts an invalid UTF-8 sequence (Unicode 15, table 3-7:
 * no overlongs, no surrogates, nothing above U+10FFFF), or bytes.length if none.
 */
export function firstInvalidUtf8(bytes: Uint8Array, start: number): number {
  const n = bytes.length;
  let i = start;
  while (i < n) {
    if ((bytes[i] ?? 0) < 0x80) {
      i++;
      continue;
    }
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return n;
}

/** 1-based physical line of a byte offset; CRLF, LF and lone CR each end a line. */
export function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}
