/**
 * A file's account ids and names, packed in one growing pool of bytes, each cell with where
 * it ends (it starts where the cell before it ends): a cell whose UTF-16 code units are all
 * below 256 (nearly every cell of a Western CRM export) one byte a unit, any other cell two
 * (its code units as they are, at an even offset). Read back, a cell is the same string, code
 * unit for code unit. At 1M accounts the ids and names cost about 36 bytes a row here, against
 * 88 as two strings and two array slots; a Japanese name of 30 characters costs 65 bytes,
 * against about 120 as a string kept in a Map. None of it is a heap object the collector walks.
 */
import { codePointOrderKey } from '../core/rank.ts';
import { compareText } from '../core/text-column.ts';
import type { TextColumn } from '../core/types.ts';

const MISSING = 0;
const NARROW = 1;
const WIDE = 2;

/** FNV-1a over the UTF-16 code units of `s` (as PackedText.hash over a packed cell). */
export function hashText(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

/** Cells longer than this many units are built in pieces (String.fromCharCode's argument count). */
const PIECE = 8192;

/** The even offset at or after `at`, where a wide cell's code units start. */
const even = (at: number): number => (at + 1) & ~1;

export class PackedText implements TextColumn {
  /** The pool; its length is even, and `#units` is the same memory as code units. */
  #bytes: Uint8Array;
  #units: Uint16Array;
  /** Where each cell's bytes end; a missing cell has none, and ends where it starts. */
  #ends: Uint32Array;
  #kind: Uint8Array;
  /** Slots in use: cells 0..n-1 (a slot never set is missing). */
  #n = 0;
  /** Bytes of the pool in use. */
  #used = 0;

  /** Room for `cells` cells of about `bytesPerCell` bytes before the first growth. */
  constructor(cells: number, bytesPerCell = 16) {
    const cap = Math.max(cells, 16);
    this.#bytes = new Uint8Array(even(Math.max(cap * bytesPerCell, 1024)));
    this.#units = new Uint16Array(this.#bytes.buffer);
    this.#ends = new Uint32Array(cap);
    this.#kind = new Uint8Array(cap);
  }

  get length(): number {
    return this.#n;
  }

  /** Sets cell i (i at or past every cell set so far: cells are set in order; those skipped are missing). */
  set(i: number, s: string): void {
    if (i < this.#n) throw new Error(`PackedText: cell ${i} set after cell ${this.#n - 1}`);
    this.#room(i + 1);
    const at = this.#used;
    // The cells skipped are missing: no bytes, so each ends where the next starts.
    this.#ends.fill(at, this.#n, i);
    this.#n = i + 1;
    const len = s.length;
    if (at + len > this.#bytes.length) this.#grow(at + len);
    const bytes = this.#bytes;
    for (let k = 0; k < len; k++) {
      const u = s.charCodeAt(k);
      if (u > 0xff) {
        this.#setWide(i, s, at);
        return;
      }
      bytes[at + k] = u;
    }
    this.#used = at + len;
    this.#ends[i] = at + len;
    this.#kind[i] = NARROW;
  }

  /** Cell i as code units, from the first even offset at or after `at`. */
  #setWide(i: number, s: string, at: number): void {
    const from = even(at);
    const end = from + 2 * s.length;
    if (end > this.#bytes.length) this.#grow(end);
    const units = this.#units;
    for (let k = 0, u = from >> 1; k < s.length; k++) units[u + k] = s.charCodeAt(k);
    this.#used = end;
    this.#ends[i] = end;
    this.#kind[i] = WIDE;
  }

  /** Whether cell i is there. */
  has(i: number): boolean {
    return i < this.#n && this.#kind[i] !== MISSING;
  }

  at(i: number): string | undefined {
    if (i >= this.#n) return undefined;
    const kind = this.#kind[i];
    if (kind === MISSING) return undefined;
    const end = this.#ends[i]!;
    if (kind === WIDE) return text(this.#units, this.#dataStart(i) >> 1, end >> 1);
    return text(this.#bytes, this.#start(i), end);
  }

  /** hashText of cell i, read from the pool; -1 when it is missing. */
  hash(i: number): number {
    if (!this.has(i)) return -1;
    const wide = this.#kind[i] === WIDE;
    const pool = wide ? this.#units : this.#bytes;
    const shift = wide ? 1 : 0;
    let h = 0x811c9dc5;
    for (let k = this.#dataStart(i) >> shift, end = this.#ends[i]! >> shift; k < end; k++) h = Math.imul(h ^ pool[k]!, 0x01000193);
    return h >>> 0;
  }

  /** Code point order, read from the pool (no string built: rank ties compare many cells). */
  compare(i: number, j: number): number {
    const ki = i < this.#n ? this.#kind[i]! : MISSING;
    const kj = j < this.#n ? this.#kind[j]! : MISSING;
    const pa = ki === WIDE ? this.#units : this.#bytes;
    const pb = kj === WIDE ? this.#units : this.#bytes;
    const sa = ki === WIDE ? 1 : 0;
    const sb = kj === WIDE ? 1 : 0;
    const a = ki === MISSING ? 0 : this.#dataStart(i) >> sa;
    const aLen = ki === MISSING ? 0 : (this.#ends[i]! >> sa) - a;
    const b = kj === MISSING ? 0 : this.#dataStart(j) >> sb;
    const bLen = kj === MISSING ? 0 : (this.#ends[j]! >> sb) - b;
    const len = Math.min(aLen, bLen);
    for (let k = 0; k < len; k++) {
      const x = pa[a + k]!;
      const y = pb[b + k]!;
      // Code-unit order is code-point order but for surrogates (U+10000 and up), which go after U+E000..FFFF.
      if (x !== y) return codePointOrderKey(x) - codePointOrderKey(y);
    }
    return aLen - bLen;
  }

  /**
   * Cell r into slot i, for compacting in place: i <= r, and slots are filled in order (every
   * slot below i final, none at or above it moved yet), so the bytes move down or stay. Cell
   * r's start is still right: it is the end of slot r - 1, which is either not moved yet
   * (r > i) or moved onto itself (r === i: no cell before it was dropped).
   */
  moveTo(i: number, r: number): void {
    const kind = r < this.#n ? this.#kind[r]! : MISSING;
    let to = this.#start(i);
    if (kind !== MISSING) {
      const from = this.#dataStart(r);
      const end = this.#ends[r]!;
      if (kind === WIDE) to = even(to);
      if (from !== to) this.#bytes.copyWithin(to, from, end);
      to += end - from;
    }
    this.#ends[i] = to;
    this.#kind[i] = kind;
  }

  /** Keeps cells 0..n-1 (after moveTo has filled them). */
  truncate(n: number): void {
    this.#n = Math.min(this.#n, n);
    this.#used = n === 0 ? 0 : this.#ends[n - 1]!;
  }

  /** Where cell i's bytes start: where the cell before it ends. */
  #start(i: number): number {
    return i === 0 ? 0 : this.#ends[i - 1]!;
  }

  /** Where cell i's characters start: a wide cell's at the next even offset. */
  #dataStart(i: number): number {
    const start = this.#start(i);
    return this.#kind[i] === WIDE ? even(start) : start;
  }

  /** Room for `cells` slots. */
  #room(cells: number): void {
    if (cells <= this.#kind.length) return;
    const cap = Math.max(cells, Math.ceil(this.#kind.length * 1.5));
    const grow = <T extends Uint32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.#ends = grow(this.#ends);
    this.#kind = grow(this.#kind);
  }

  /** A pool of at least `bytes`, by half again (a doubling would hold three times the pool while it copies). */
  #grow(bytes: number): void {
    const next = new Uint8Array(even(Math.max(bytes, Math.ceil(this.#bytes.length * 1.5))));
    next.set(this.#bytes.subarray(0, this.#used));
    this.#bytes = next;
    this.#units = new Uint16Array(next.buffer);
  }
}

/** The string of code units pool[from, to), built in pieces when long. */
function text(pool: Uint8Array | Uint16Array, from: number, to: number): string {
  if (to - from <= PIECE) return String.fromCharCode.apply(null, pool.subarray(from, to) as unknown as number[]);
  let s = '';
  for (let k = from; k < to; k += PIECE) s += String.fromCharCode.apply(null, pool.subarray(k, Math.min(to, k + PIECE)) as unknown as number[]);
  return s;
}

/** Slots of CodedText's cache of recent values (a power of two). */
const RECENT_SLOTS = 256;
/** Distinct values CodedText looks up before it forgets them (a column of free text is not a set of categories). */
const INDEX_MAX = 4096;

/**
 * Text that repeats (industry, country, currency): each cell a code into one list of values,
 * one byte a row while there are fewer than 256 values (two, then four, when there are more)
 * instead of an 8-byte array slot. A slot by length and end characters remembers the last
 * value seen there, so most cells skip the Map's hashing.
 */
export class CodedText implements TextColumn {
  /** 0: missing; else 1 + the value's index. */
  #codes: Uint8Array | Uint16Array | Uint32Array;
  readonly #values: string[] = [];
  readonly #index = new Map<string, number>();
  readonly #recent = new Array<string | undefined>(RECENT_SLOTS).fill(undefined);
  readonly #recentCode = new Uint32Array(RECENT_SLOTS);
  #n = 0;

  constructor(cells: number) {
    this.#codes = new Uint8Array(Math.max(cells, 16));
  }

  get length(): number {
    return this.#n;
  }

  /** Sets cell i (in any order). */
  set(i: number, s: string): void {
    if (i >= this.#codes.length) this.#widen(Math.max(i + 1, Math.ceil(this.#codes.length * 1.5)), this.#codes.BYTES_PER_ELEMENT);
    if (i >= this.#n) this.#n = i + 1;
    const len = s.length;
    const slot = (len * 31 + (len > 0 ? s.charCodeAt(0) * 7 + s.charCodeAt(len - 1) : 0)) & (RECENT_SLOTS - 1);
    if (this.#recent[slot] === s) {
      this.#codes[i] = this.#recentCode[slot]!;
      return;
    }
    let code = this.#index.get(s);
    if (code === undefined) {
      if (this.#index.size >= INDEX_MAX) this.#index.clear();
      this.#values.push(s);
      code = this.#values.length;
      this.#index.set(s, code);
      if (code === 0x100 || code === 0x10000) this.#widen(this.#codes.length, this.#codes.BYTES_PER_ELEMENT * 2);
    }
    this.#recent[slot] = s;
    this.#recentCode[slot] = code;
    this.#codes[i] = code;
  }

  at(i: number): string | undefined {
    const code = i < this.#n ? this.#codes[i]! : 0;
    return code === 0 ? undefined : this.#values[code - 1];
  }

  compare(i: number, j: number): number {
    return compareText(this.at(i) ?? '', this.at(j) ?? '');
  }

  /** Cell r into slot i (compaction in place, as PackedText.moveTo). */
  moveTo(i: number, r: number): void {
    this.#codes[i] = r < this.#n ? this.#codes[r]! : 0;
  }

  /** Keeps cells 0..n-1. */
  truncate(n: number): void {
    this.#n = Math.min(this.#n, n);
  }

  /** The codes in `cells` slots of `bytes` bytes each. */
  #widen(cells: number, bytes: number): void {
    const next = bytes === 1 ? new Uint8Array(cells) : bytes === 2 ? new Uint16Array(cells) : new Uint32Array(cells);
    next.set(this.#codes);
    this.#codes = next;
  }
}
