/**
 * One sheet part, inflated and scanned as a stream: hidden columns from the XML before
 * `<sheetData>`, then the rows as they arrive (each cell as its canonical text), then the
 * merged ranges after it. Only the sparse rows are held, never the sheet's XML.
 */
import { InputError, UsageError } from '../../errors.ts';
import { numberCellText, PLAIN } from './cell-text.ts';
import { columnLetters, columnOf, rowOf } from './cell-ref.ts';
import type { CellContext } from './workbook.ts';
import { streamPart, type ZipEntry, type ZipSource } from './zip.ts';
import { attr, startTags, stringItemText, xmlText } from './xml.ts';

export interface Row {
  readonly r: number;
  readonly hidden: boolean;
  /** Cell texts by 0-based column; holes are empty cells. */
  readonly cells: (string | undefined)[];
}

/** How many cells of the row hold a value (not only spaces). */
export function filledCells(row: Row): number {
  let n = 0;
  for (const c of row.cells) if (c !== undefined && c.trim() !== '') n++;
  return n;
}

export function isBlankRow(row: Row): boolean {
  for (const c of row.cells) if (c !== undefined && c.trim() !== '') return false;
  return true;
}

export interface Scanned {
  readonly rows: Row[];
  readonly hiddenColumns: ReadonlySet<number>;
  readonly merges: readonly (readonly [number, number, number, number])[];
  /** Formula cells with no cached value, by ref. */
  readonly uncached: readonly string[];
}

/** Bytes of sheet XML before `<sheetData>` kept while looking for it. */
const MAX_HEAD_CHARS = 64 * 1024 * 1024;
const ROW = /<(?:[A-Za-z0-9_]+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[A-Za-z0-9_]+:)?row>)/g;
const CELL = /<(?:[A-Za-z0-9_]+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[A-Za-z0-9_]+:)?c>)/g;
/** A number `<v>` that is its own canonical text: at most 15 digits, no exponent, no leading or trailing zero to drop. */
const SHORT_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;
function isShortNumber(v: string): boolean {
  if (v.length > 17 || !SHORT_NUMBER.test(v) || v === '-0') return false;
  const digits = v.length - (v.charCodeAt(0) === 45 ? 1 : 0) - (v.indexOf('.') >= 0 ? 1 : 0);
  return digits <= 15;
}
const VALUE = /<(?:[A-Za-z0-9_]+:)?v>([\s\S]*?)<\/(?:[A-Za-z0-9_]+:)?v>/;

/** The sheet part's rows, hidden columns, merged ranges and formulas without a cached value. */
export async function scanSheet(src: ZipSource, entry: ZipEntry, display: string, ctx: CellContext): Promise<Scanned> {
  const scanner = new SheetScanner(display, ctx);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest: string;
  try {
    for await (const chunk of streamPart(src, entry, display)) scanner.add(decoder.decode(chunk, { stream: true }));
    rest = decoder.decode();
  } catch (err) {
    if (err instanceof InputError || err instanceof UsageError) throw err;
    throw new InputError(`${display}: the workbook is damaged (the sheet is not UTF-8 XML): open it in Excel and save it again`, { cause: err });
  }
  return scanner.end(rest);
}

/** The scan's state between chunks: the text not yet read, where in the part it is, the rows so far. */
class SheetScanner {
  private readonly rows: Row[] = [];
  private readonly hiddenColumns = new Set<number>();
  private readonly uncached: string[] = [];
  private pending = '';
  private phase: 'head' | 'rows' | 'tail' = 'head';
  private tail = '';
  private nextRow = 1;

  constructor(
    private readonly display: string,
    private readonly ctx: CellContext,
  ) {}

  add(text: string): void {
    this.pending += text;
    this.consume(false);
  }

  end(text: string): Scanned {
    this.pending += text;
    this.consume(true);
    return { rows: this.rows, hiddenColumns: this.hiddenColumns, merges: mergesOf(this.tail), uncached: this.uncached };
  }

  private consume(final: boolean): void {
    if (this.phase === 'head' && !this.readHead(final)) return;
    if (this.phase === 'rows') {
      this.readRows(final);
    } else {
      this.tail += this.pending;
      this.pending = '';
    }
  }

  /** Up to `<sheetData>`: the hidden columns. False while it has not come yet. */
  private readHead(final: boolean): boolean {
    const at = this.pending.search(/<(?:[A-Za-z0-9_]+:)?sheetData\b/);
    if (at < 0) {
      if (this.pending.length > MAX_HEAD_CHARS)
        throw new InputError(`${this.display}: the sheet part has no <sheetData> in its first ${MAX_HEAD_CHARS} characters: the workbook is damaged`);
      if (final) this.phase = 'tail';
      return final;
    }
    for (const col of startTags(this.pending.slice(0, at), 'col')) {
      if (!/^(1|true)$/.test(attr(col, 'hidden') ?? '')) continue;
      const min = Number(attr(col, 'min'));
      const max = Math.min(Number(attr(col, 'max')), 16384);
      for (let k = min; k <= max; k++) this.hiddenColumns.add(k - 1);
    }
    this.pending = this.pending.slice(at);
    this.phase = 'rows';
    return true;
  }

  /** Every complete row so far; at `</sheetData>` the rest is the tail. */
  private readRows(final: boolean): void {
    const pending = this.pending;
    // 'sheetData' occurs only at the start and the end: the regex runs only when it is there.
    const stop = pending.indexOf('sheetData', 12) < 0 ? -1 : pending.search(/<\/(?:[A-Za-z0-9_]+:)?sheetData>|<(?:[A-Za-z0-9_]+:)?sheetData\b[^>]*\/>/);
    const upTo = stop >= 0 ? stop : lastRowEnd(pending);
    if (upTo > 0) this.parseRows(pending.slice(0, upTo));
    this.pending = pending.slice(upTo);
    if (stop >= 0) {
      this.phase = 'tail';
      this.tail = this.pending;
      this.pending = '';
    } else if (final) {
      throw new InputError(`${this.display}: the sheet part ends inside <sheetData>: the workbook is damaged`);
    }
  }

  private parseRows(xml: string): void {
    ROW.lastIndex = 0;
    for (let m = ROW.exec(xml); m !== null; m = ROW.exec(xml)) {
      const attrs = m[1]!;
      const rAttr = attr(attrs, 'r');
      const r = rAttr === undefined ? this.nextRow : Number(rAttr);
      this.nextRow = r + 1;
      const hidden = /^(1|true)$/.test(attr(attrs, 'hidden') ?? '');
      const body = m[2];
      const cells = body === undefined ? [] : this.rowCells(body, r);
      if (cells.length > 0 || hidden) this.rows.push({ r, hidden, cells });
    }
  }

  private rowCells(body: string, r: number): (string | undefined)[] {
    const cells: (string | undefined)[] = [];
    let col = 0;
    CELL.lastIndex = 0;
    for (let c = CELL.exec(body); c !== null; c = CELL.exec(body)) {
      const ca = c[1]!;
      const ref = attr(ca, 'r');
      if (ref !== undefined) col = columnOf(ref);
      const value = cellText(ca, c[2], this.ctx, () => this.uncached.push(ref ?? `${columnLetters(col)}${r}`));
      if (value !== '') cells[col] = value;
      col++;
    }
    return cells;
  }
}

/** The merged ranges of the XML after `<sheetData>`: [row1, col1, row2, col2]. */
function mergesOf(tail: string): [number, number, number, number][] {
  const merges: [number, number, number, number][] = [];
  for (const m of startTags(tail, 'mergeCell')) {
    const [a, b] = (attr(m, 'ref') ?? '').split(':');
    if (a === undefined || b === undefined) continue;
    merges.push([rowOf(a), columnOf(a), rowOf(b), columnOf(b)]);
  }
  return merges;
}

/** End of the last complete `</row>` (or `</x:row>`) in the text (0 when none). */
function lastRowEnd(s: string): number {
  for (let at = s.lastIndexOf('row>'); at >= 0; at = s.lastIndexOf('row>', at - 1)) {
    const lt = s.lastIndexOf('</', at);
    if (lt >= 0 && /^<\/(?:[A-Za-z0-9_]+:)?$/.test(s.slice(lt, at))) return at + 4;
  }
  return 0;
}

/** One cell's text: by its type (`t`), style (`s`) and value. */
function cellText(attrs: string, body: string | undefined, ctx: CellContext, noCache: () => void): string {
  const t = attr(attrs, 't') ?? 'n';
  if (t === 'inlineStr') {
    const is = body === undefined ? '' : body;
    return stringItemText(is);
  }
  const v = body === undefined ? undefined : VALUE.exec(body)?.[1];
  if (v === undefined) {
    if (body !== undefined && /<(?:[A-Za-z0-9_]+:)?f\b/.test(body)) noCache();
    return '';
  }
  switch (t) {
    case 's':
      return ctx.shared[Number(v)] ?? '';
    case 'str':
      return xmlText(v);
    case 'b':
      return v.trim() === '1' || v.trim().toLowerCase() === 'true' ? 'TRUE' : 'FALSE';
    case 'e':
      return xmlText(v);
    case 'd': {
      const kind = ctx.kinds[Number(attr(attrs, 's') ?? '0')] ?? PLAIN;
      const iso = xmlText(v).trim();
      return kind.kind === 'date' && !kind.time ? iso.slice(0, 10) : iso;
    }
    default: {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) return xmlText(v);
      const kind = ctx.kinds[Number(attr(attrs, 's') ?? '0')] ?? PLAIN;
      // Most values are already written as kam writes them ('102798.06'): no float round trip.
      const short = isShortNumber(v);
      if (short && kind.kind === 'number' && kind.decimals === undefined) return v;
      return numberCellText(n, kind, ctx.date1904, short ? v : undefined);
    }
  }
}
