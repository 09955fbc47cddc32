/**
 * An .xlsx workbook -> the same RawTable the CSV reader makes: one sheet (the first visible
 * one, or `--sheet NAME|N`), its header row and data records, each record's `line` the
 * sheet's row number, every cell as the canonical text of cell-text.ts. What the sheet's
 * layout adds to the data is recognised and said once: title rows above the header, merged
 * cells (filled with their value), a report's subtotal rows and footer, hidden sheets,
 * columns and rows, formulas without a cached value. The sheet part is inflated and scanned
 * as a stream; the records are held as the CSV reader holds them.
 */
import { InputError, UsageError } from '../../errors.ts';
import type { RawRecord, TableFields } from '../read-table.ts';
import type { ReaderNote } from '../reader-notes.ts';
import { numberCellText, numberKind, PLAIN, type NumberKind } from './cell-text.ts';
import { readDirectory, readPart, streamPart, type ZipEntry, type ZipSource } from './zip.ts';
import { attr, startTags, stringItemText, xmlText } from './xml.ts';

export interface WorkbookReadOptions {
  /** --sheet: a sheet's name, or its 1-based position among the worksheets. */
  readonly sheet?: string | undefined;
}

/** Texts only a report footer holds (Salesforce: "Confidential Information - Do Not Distribute", ...). */
export interface FooterTexts {
  readonly patterns: readonly RegExp[];
}

interface SheetInfo {
  readonly name: string;
  readonly state: 'visible' | 'hidden' | 'veryHidden';
  readonly path: string | undefined;
  readonly kind: 'worksheet' | 'chartsheet' | 'macrosheet' | 'dialogsheet' | 'other';
}

interface Row {
  readonly r: number;
  readonly hidden: boolean;
  /** Cell texts by 0-based column; holes are empty cells. */
  readonly cells: (string | undefined)[];
}

/** A subtotal or total row of a formatted report: the label it starts with. */
const TOTAL_LABEL = /^(?:sub-?totals?|totals?|grand totals?)(?:\s*\(\s*\d[\d,.\s]*(?:records?|rows?)?\s*\))?:?$/i;
const MAX_FOOTER_ROWS = 10;
/** Bytes of sheet XML before `<sheetData>` kept while looking for it. */
const MAX_HEAD_CHARS = 64 * 1024 * 1024;

/** The A1 letters of a 0-based column. */
export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** 'BC12' -> 0-based column of its letters (54), or -1. */
function columnOf(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    n = n * 26 + (c - 0x60);
  }
  return i === 0 ? -1 : n - 1;
}

function rowOf(ref: string): number {
  const m = /\d+$/.exec(ref);
  return m === null ? -1 : Number(m[0]);
}

function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

function relsPath(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/**
 * Reads one sheet of a workbook into a RawTable. InputError (exit 1) for what the user must
 * fix in the file; UsageError (exit 2) for a `--sheet` the workbook does not have.
 */
export async function readWorkbook(src: ZipSource, display: string, options: WorkbookReadOptions, footer: FooterTexts): Promise<TableFields> {
  const dir = await readDirectory(src, display);
  const text = async (entry: ZipEntry | undefined): Promise<string | undefined> =>
    entry === undefined ? undefined : decodeUtf8(await readPart(src, entry, display), display, entry.name);
  if (!dir.has('[Content_Types].xml'))
    throw new InputError(`${display} is a zip archive, not an .xlsx workbook: unzip it, or export the CRM data as .xlsx or CSV`);

  const rootRels = (await text(dir.get('_rels/.rels'))) ?? '';
  let bookPath = 'xl/workbook.xml';
  for (const rel of startTags(rootRels, 'Relationship')) {
    if ((attr(rel, 'Type') ?? '').endsWith('/officeDocument')) bookPath = resolveTarget('', attr(rel, 'Target') ?? bookPath);
  }
  const book = await text(dir.get(bookPath));
  if (book === undefined) throw new InputError(`${display} is a zip archive without a workbook part (${bookPath}): is it an .xlsx file?`);
  const bookRels = new Map<string, { target: string; type: string }>();
  for (const rel of startTags((await text(dir.get(relsPath(bookPath)))) ?? '', 'Relationship')) {
    bookRels.set(attr(rel, 'Id') ?? '', { target: resolveTarget(bookPath, attr(rel, 'Target') ?? ''), type: attr(rel, 'Type') ?? '' });
  }
  const pr = [...startTags(book, 'workbookPr')][0] ?? '';
  const date1904 = /^(1|true)$/i.test(attr(pr, 'date1904') ?? '');
  const sheets: SheetInfo[] = [];
  for (const s of startTags(book, 'sheet')) {
    const rel = bookRels.get(attr(s, 'r:id') ?? /\bid="([^"]*)"/.exec(s)?.[1] ?? '');
    const type = rel?.type ?? '';
    const kind = type.endsWith('/worksheet')
      ? 'worksheet'
      : type.endsWith('/chartsheet')
        ? 'chartsheet'
        : /macrosheet|xlMacrosheet|xlIntlMacrosheet/i.test(type)
          ? 'macrosheet'
          : type.endsWith('/dialogsheet')
            ? 'dialogsheet'
            : 'other';
    const state = attr(s, 'state');
    sheets.push({ name: attr(s, 'name') ?? '', state: state === 'hidden' || state === 'veryHidden' ? state : 'visible', path: rel?.target, kind });
  }
  const sheet = chooseSheet(
    sheets,
    options.sheet,
    display,
    [...dir.keys()].some((n) => /vbaProject\.bin$/i.test(n)),
  );
  const entry = sheet.path === undefined ? undefined : dir.get(sheet.path);
  if (entry === undefined)
    throw new InputError(`${display}: sheet '${sheet.name}' has no part in the workbook (it is damaged): open it in Excel and save it again`);

  const kinds = styleKinds((await text(dir.get(resolveTarget(bookPath, 'styles.xml')))) ?? '');
  let sharedPath = resolveTarget(bookPath, 'sharedStrings.xml');
  for (const rel of bookRels.values()) if (rel.type.endsWith('/sharedStrings')) sharedPath = rel.target;
  const shared = sharedStrings((await text(dir.get(sharedPath))) ?? '');

  const scanned = await scanSheet(src, entry, display, { kinds, shared, date1904 });
  const others = sheets.filter((s) => s !== sheet).map((s) => ({ name: s.name, hidden: s.state !== 'visible', kind: s.kind }));
  const table = tableOf(scanned, sheet.name, display, footer);
  if (others.length === 0) return table;
  return { ...table, notes: [{ code: 'sheet_read', sheet: sheet.name, hidden: sheet.state !== 'visible', others }, ...table.notes] };
}

function decodeUtf8(bytes: Buffer, display: string, part: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new InputError(`${display}: the workbook is damaged (part ${part} is not UTF-8 XML): open it in Excel and save it again`, { cause: err });
  }
}

function chooseSheet(sheets: readonly SheetInfo[], wanted: string | undefined, display: string, hasMacros: boolean): SheetInfo {
  const worksheets = sheets.filter((s) => s.kind === 'worksheet');
  if (worksheets.length === 0) {
    const what =
      hasMacros || sheets.some((s) => s.kind === 'macrosheet')
        ? 'macros and no worksheet'
        : sheets.length === 0
          ? 'no sheet'
          : `no worksheet (only ${sheets.map((s) => `a ${s.kind}`).join(', ')})`;
    throw new InputError(`${display}: the workbook has ${what}: there is no data to read; export the data sheet as .xlsx or CSV`);
  }
  const list = (): string => worksheets.map((s, i) => `${i + 1} '${s.name}'${s.state === 'visible' ? '' : ' (hidden)'}`).join(', ');
  if (wanted !== undefined) {
    const exact = worksheets.find((s) => s.name === wanted) ?? worksheets.find((s) => s.name.trim().toLowerCase() === wanted.trim().toLowerCase());
    if (exact !== undefined) return exact;
    if (/^\d+$/.test(wanted.trim())) {
      const n = Number(wanted.trim());
      if (n >= 1 && n <= worksheets.length) return worksheets[n - 1]!;
    }
    throw new UsageError(`--sheet ${wanted}: ${display} has no such sheet; its sheets: ${list()}`);
  }
  const visible = worksheets.find((s) => s.state === 'visible');
  if (visible === undefined) throw new InputError(`${display}: every sheet of the workbook is hidden (${list()}): choose one with --sheet NAME`);
  return visible;
}

/** The number kind of every cell style (`s` index into cellXfs). */
function styleKinds(styles: string): NumberKind[] {
  const codes = new Map<number, string>();
  for (const f of startTags(styles, 'numFmt')) codes.set(Number(attr(f, 'numFmtId')), attr(f, 'formatCode') ?? '');
  const xfsAt = styles.search(/<(?:[A-Za-z0-9_]+:)?cellXfs\b/);
  if (xfsAt < 0) return [];
  const end = styles.indexOf('cellXfs>', xfsAt + 8);
  const xfs = styles.slice(xfsAt, end < 0 ? styles.length : end);
  const out: NumberKind[] = [];
  for (const xf of startTags(xfs, 'xf')) {
    const id = Number(attr(xf, 'numFmtId') ?? '0');
    out.push(numberKind(id, codes.get(id)));
  }
  return out;
}

function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const open = xml.indexOf('<si', at);
    if (open < 0) break;
    const c = xml[open + 3];
    if (c !== '>' && c !== ' ' && c !== '/') {
      at = open + 3;
      continue;
    }
    if (c === '/') {
      out.push('');
      at = open + 5;
      continue;
    }
    const close = xml.indexOf('</si>', open);
    const end = close < 0 ? xml.length : close;
    out.push(stringItemText(xml.slice(open, end)));
    at = end + 5;
  }
  return out;
}

interface Scanned {
  readonly rows: Row[];
  readonly hiddenColumns: ReadonlySet<number>;
  readonly merges: readonly (readonly [number, number, number, number])[];
  /** Formula cells with no cached value, by ref. */
  readonly uncached: readonly string[];
}

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

async function scanSheet(
  src: ZipSource,
  entry: ZipEntry,
  display: string,
  ctx: { kinds: readonly NumberKind[]; shared: readonly string[]; date1904: boolean },
): Promise<Scanned> {
  const rows: Row[] = [];
  const hiddenColumns = new Set<number>();
  const uncached: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let phase: 'head' | 'rows' | 'tail' = 'head';
  let tail = '';
  let nextRow = 1;

  const parseRows = (xml: string): void => {
    ROW.lastIndex = 0;
    for (let m = ROW.exec(xml); m !== null; m = ROW.exec(xml)) {
      const attrs = m[1]!;
      const rAttr = attr(attrs, 'r');
      const r = rAttr === undefined ? nextRow : Number(rAttr);
      nextRow = r + 1;
      const hidden = /^(1|true)$/.test(attr(attrs, 'hidden') ?? '');
      const cells: (string | undefined)[] = [];
      const body = m[2];
      if (body !== undefined) {
        let col = 0;
        CELL.lastIndex = 0;
        for (let c = CELL.exec(body); c !== null; c = CELL.exec(body)) {
          const ca = c[1]!;
          const ref = attr(ca, 'r');
          if (ref !== undefined) col = columnOf(ref);
          const value = cellText(ca, c[2], ctx, () => uncached.push(ref ?? `${columnLetters(col)}${r}`));
          if (value !== '') cells[col] = value;
          col++;
        }
      }
      if (cells.length > 0 || hidden) rows.push({ r, hidden, cells });
    }
  };

  const consume = (final: boolean): void => {
    if (phase === 'head') {
      const at = pending.search(/<(?:[A-Za-z0-9_]+:)?sheetData\b/);
      if (at < 0) {
        if (pending.length > MAX_HEAD_CHARS)
          throw new InputError(`${display}: the sheet part has no <sheetData> in its first ${MAX_HEAD_CHARS} characters: the workbook is damaged`);
        if (!final) return;
        phase = 'tail';
        tail = pending;
        pending = '';
        return;
      }
      for (const col of startTags(pending.slice(0, at), 'col')) {
        if (!/^(1|true)$/.test(attr(col, 'hidden') ?? '')) continue;
        const min = Number(attr(col, 'min'));
        const max = Math.min(Number(attr(col, 'max')), 16384);
        for (let k = min; k <= max; k++) hiddenColumns.add(k - 1);
      }
      pending = pending.slice(at);
      phase = 'rows';
    }
    if (phase === 'rows') {
      // 'sheetData' occurs only at the start and the end: the regex runs only when it is there.
      const stop = pending.indexOf('sheetData', 12) < 0 ? -1 : pending.search(/<\/(?:[A-Za-z0-9_]+:)?sheetData>|<(?:[A-Za-z0-9_]+:)?sheetData\b[^>]*\/>/);
      const upTo = stop >= 0 ? stop : lastRowEnd(pending);
      if (upTo > 0) parseRows(pending.slice(0, upTo));
      pending = pending.slice(upTo);
      if (stop >= 0) {
        phase = 'tail';
        tail = pending;
        pending = '';
      } else if (final) {
        throw new InputError(`${display}: the sheet part ends inside <sheetData>: the workbook is damaged`);
      }
      return;
    }
    tail += pending;
    pending = '';
  };

  try {
    for await (const chunk of streamPart(src, entry, display)) {
      pending += decoder.decode(chunk, { stream: true });
      consume(false);
    }
    pending += decoder.decode();
  } catch (err) {
    if (err instanceof InputError || err instanceof UsageError) throw err;
    throw new InputError(`${display}: the workbook is damaged (the sheet is not UTF-8 XML): open it in Excel and save it again`, { cause: err });
  }
  consume(true);

  const merges: [number, number, number, number][] = [];
  for (const m of startTags(tail, 'mergeCell')) {
    const [a, b] = (attr(m, 'ref') ?? '').split(':');
    if (a === undefined || b === undefined) continue;
    merges.push([rowOf(a), columnOf(a), rowOf(b), columnOf(b)]);
  }
  return { rows, hiddenColumns, merges, uncached };
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
function cellText(
  attrs: string,
  body: string | undefined,
  ctx: { kinds: readonly NumberKind[]; shared: readonly string[]; date1904: boolean },
  noCache: () => void,
): string {
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

/** The scanned sheet as kam's table: header, records, and a note for each thing the layout added. */
function tableOf(scanned: Scanned, sheetName: string, display: string, footer: FooterTexts): TableFields {
  const { rows } = scanned;
  rows.sort((a, b) => a.r - b.r);
  const byRow = new Map<number, Row>();
  for (const row of rows) byRow.set(row.r, row);
  // Merged cells hold their value in the top-left cell only: every cell of the range gets it.
  let filledRanges = 0;
  const mergedRows = new Set<number>();
  for (const [r1, c1, r2, c2] of scanned.merges) {
    const value = byRow.get(r1)?.cells[c1];
    if (value === undefined || r1 < 1 || c1 < 0) continue;
    if (r2 > r1) filledRanges++;
    for (let r = r1; r <= r2; r++) {
      let row = byRow.get(r);
      if (row === undefined) {
        row = { r, hidden: false, cells: [] };
        byRow.set(r, row);
        rows.push(row);
      }
      for (let c = c1; c <= c2; c++) row.cells[c] = value;
      if (c2 > c1 && r1 === r2) mergedRows.add(r);
    }
  }
  rows.sort((a, b) => a.r - b.r);
  const filled = (row: Row): number => {
    let n = 0;
    for (const c of row.cells) if (c !== undefined && c.trim() !== '') n++;
    return n;
  };
  const isBlank = (row: Row): boolean => {
    for (const c of row.cells) if (c !== undefined && c.trim() !== '') return false;
    return true;
  };
  const ref = (col: number, r: number): string => `${sheetName}!${columnLetters(col)}${r}`;
  // The header: the first row with two or more values (a one-column sheet: its first row);
  // the rows above it are title rows. A merged title spans columns with one value: it counts once.
  const distinct = (row: Row): number => (mergedRows.has(row.r) ? new Set(row.cells.filter((c) => c !== undefined && c.trim() !== '')).size : filled(row));
  const above: Row[] = [];
  let headerRow: Row | undefined;
  for (const row of rows) {
    if (isBlank(row)) continue;
    if (distinct(row) >= 2) {
      headerRow = row;
      break;
    }
    above.push(row);
  }
  if (headerRow === undefined) {
    if (above.length === 0) throw new InputError(`${display}: sheet '${sheetName}' is empty: no header row`);
    headerRow = above.shift()!;
    above.length = 0;
  }
  const titleRows = above.map((r) => r.r);
  const headerCols: number[] = [];
  headerRow.cells.forEach((c, i) => {
    if (c !== undefined) headerCols.push(i);
  });
  const first = headerCols[0]!;
  const last = headerCols[headerCols.length - 1]!;
  const headerR = headerRow.r;
  const dataRows = rows.filter((r) => r.r > headerR);
  // Every column between the first and last header cell; one without a name and without values is dropped.
  const columns: number[] = [];
  const droppedEmpty: number[] = [];
  for (let c = first; c <= last; c++) {
    const name = headerRow.cells[c];
    if (name !== undefined && name.trim() !== '') {
      columns.push(c);
      continue;
    }
    const holder = dataRows.find((r) => (r.cells[c] ?? '').trim() !== '');
    if (holder !== undefined)
      throw new InputError(`${display}: ${ref(c, headerRow.r)}: column ${columnLetters(c)} has an empty header name but holds values (${ref(c, holder.r)})`);
    droppedEmpty.push(c);
  }
  for (const r of dataRows) {
    for (let c = 0; c < first; c++) {
      const v = r.cells[c];
      if (v !== undefined && v.trim() !== '')
        throw new InputError(
          `${display}: ${ref(c, r.r)} holds '${v}' left of the header, which starts at ${ref(first, headerRow.r)}: delete it or move the table`,
        );
    }
  }
  const header = columns.map((c) => headerRow.cells[c]!);
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(name)) {
      throw new InputError(`${display}: ${ref(columns[i]!, headerRow.r)}: the header '${name}' contains a control character: re-export the file`);
    }
    const key = name.trim().normalize('NFC').toLowerCase();
    const at = seen.get(key);
    if (at !== undefined)
      throw new InputError(`${display}: ${ref(columns[i]!, headerRow.r)}: duplicate column '${name.trim()}' (also at ${ref(columns[at]!, headerRow.r)})`);
    seen.set(key, i);
  });

  // Records: the header's columns, then whatever lies right of them (a ragged row, as in CSV).
  let records: (RawRecord & { hidden: boolean })[] = [];
  const blankRows: number[] = [];
  let previous = headerRow.r;
  const lastCol = last;
  for (const row of dataRows) {
    for (let r = previous + 1; r < row.r; r++) blankRows.push(r);
    previous = row.r;
    if (isBlank(row)) {
      blankRows.push(row.r);
      continue;
    }
    // Values right of the header's last column make the record longer (ragged, as in CSV).
    let end = row.cells.length;
    while (end > lastCol + 1 && (row.cells[end - 1] ?? '').trim() === '') end--;
    const cells = columns.map((c) => row.cells[c] ?? '');
    for (let k = lastCol + 1; k < end; k++) cells.push(row.cells[k] ?? '');
    // The sparse row goes as its record comes: never both for the whole sheet.
    row.cells.length = 0;
    records.push({ line: row.r, cells, hidden: row.hidden });
  }
  const recordLines = new Set(records.map((r) => r.line));

  // A report footer: a trailing run of one-value rows that holds a known footer text.
  const footerLines: number[] = [];
  const oneValue = (r: RawRecord): boolean => r.cells.filter((c) => c.trim() !== '').length <= 1;
  const isFooterText = (r: RawRecord): boolean => r.cells.some((c) => footer.patterns.some((p) => p.test(c.trim())));
  let from = records.length;
  while (from > 0 && records.length - from < MAX_FOOTER_ROWS && oneValue(records[from - 1]!)) from--;
  if (records.slice(from).some(isFooterText)) {
    // It starts at a known text or after a blank row: a name-only account right after the data stays.
    while (from < records.length && !isFooterText(records[from]!) && !(from > 0 ? records[from]!.line > records[from - 1]!.line + 1 : false)) from++;
    for (const r of records.slice(from)) footerLines.push(r.line);
    records = records.slice(0, from);
  }
  // A formatted report (a title above the header, or a report footer): its subtotal and total rows go.
  const totalLines: number[] = [];
  if (titleRows.length > 0 || footerLines.length > 0) {
    records = records.filter((r) => {
      const firstValue = r.cells.find((c) => c.trim() !== '');
      if (firstValue === undefined || !TOTAL_LABEL.test(firstValue.trim())) return true;
      totalLines.push(r.line);
      return false;
    });
  }

  const notes: ReaderNote[] = [];
  if (titleRows.length > 0) notes.push({ code: 'sheet_title_rows', rows: titleRows });
  if (droppedEmpty.length > 0) notes.push({ code: 'sheet_empty_columns', columns: droppedEmpty.map(columnLetters) });
  const hidden = columns.flatMap((c, i) => (scanned.hiddenColumns.has(c) ? [{ letters: columnLetters(c), header: header[i]! }] : []));
  if (hidden.length > 0) notes.push({ code: 'sheet_hidden_columns', columns: hidden });
  const hiddenRows = records.filter((r) => r.hidden).map((r) => r.line);
  if (hiddenRows.length > 0) notes.push({ code: 'sheet_hidden_rows', rows: hiddenRows });
  if (filledRanges > 0) notes.push({ code: 'sheet_merged_ranges', ranges: filledRanges });
  if (totalLines.length > 0) notes.push({ code: 'sheet_totals_dropped', rows: totalLines });
  if (footerLines.length > 0) notes.push({ code: 'sheet_footer_dropped', rows: footerLines });
  const inside = blankRows.filter((r) => records.length > 0 && r < records[records.length - 1]!.line);
  if (inside.length > 0) notes.push({ code: 'sheet_blank_rows', rows: inside });
  const uncached = scanned.uncached.filter((r) => recordLines.has(rowOf(r)) || rowOf(r) === headerRow.r);
  if (uncached.length > 0) notes.push({ code: 'formulas_uncached', sheet: sheetName, cells: uncached });

  return {
    source: display,
    encoding: 'xlsx',
    delimiter: ',',
    delimiterSource: 'detected',
    hadBom: false,
    lineEnding: '\n',
    unguardedCells: 0,
    headerLine: headerRow.r,
    header,
    records: records.map((r) => ({ line: r.line, cells: r.cells })),
    blankLines: blankRows.length,
    footerLines,
    notes,
    sheet: { name: sheetName, columns: columns.map(columnLetters) },
  };
}
