/**
 * A workbook's parts around its sheets: the relationships that name the workbook part and
 * each sheet's part, the sheet list (name, state, kind), which sheet to read, and what a
 * cell's text depends on (cell styles' number kinds, shared strings, the 1904 date system).
 */
import { InputError, UsageError } from '../../errors.ts';
import { numberKind, type NumberKind } from './cell-text.ts';
import { readDirectory, readPart, type ZipEntry, type ZipSource } from './zip.ts';
import { attr, startTags, stringItemText } from './xml.ts';

export interface SheetInfo {
  readonly name: string;
  readonly state: 'visible' | 'hidden' | 'veryHidden';
  readonly path: string | undefined;
  readonly kind: 'worksheet' | 'chartsheet' | 'macrosheet' | 'dialogsheet' | 'other';
}

/** What a cell's text depends on besides the cell. */
export interface CellContext {
  readonly kinds: readonly NumberKind[];
  readonly shared: readonly string[];
  readonly date1904: boolean;
}

/** An opened workbook: its parts by name, the workbook part's relationships and its sheets. */
export interface Book {
  readonly dir: ReadonlyMap<string, ZipEntry>;
  readonly bookPath: string;
  readonly bookRels: ReadonlyMap<string, { readonly target: string; readonly type: string }>;
  readonly date1904: boolean;
  readonly sheets: readonly SheetInfo[];
  /** A part's text (undefined for a part the workbook does not have). */
  text(entry: ZipEntry | undefined): Promise<string | undefined>;
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

function decodeUtf8(bytes: Buffer, display: string, part: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new InputError(`${display}: the workbook is damaged (part ${part} is not UTF-8 XML): open it in Excel and save it again`, { cause: err });
  }
}

/** The zip's directory, its workbook part and the sheets that part lists. InputError for a zip that is no workbook. */
export async function openBook(src: ZipSource, display: string): Promise<Book> {
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
  return { dir, bookPath, bookRels, date1904, sheets: sheetsOf(book, bookRels), text };
}

function sheetsOf(book: string, bookRels: Book['bookRels']): SheetInfo[] {
  const sheets: SheetInfo[] = [];
  for (const s of startTags(book, 'sheet')) {
    const rel = bookRels.get(attr(s, 'r:id') ?? /\bid="([^"]*)"/.exec(s)?.[1] ?? '');
    const state = attr(s, 'state');
    sheets.push({
      name: attr(s, 'name') ?? '',
      state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
      path: rel?.target,
      kind: sheetKind(rel?.type ?? ''),
    });
  }
  return sheets;
}

function sheetKind(type: string): SheetInfo['kind'] {
  if (type.endsWith('/worksheet')) return 'worksheet';
  if (type.endsWith('/chartsheet')) return 'chartsheet';
  if (/macrosheet|xlMacrosheet|xlIntlMacrosheet/i.test(type)) return 'macrosheet';
  if (type.endsWith('/dialogsheet')) return 'dialogsheet';
  return 'other';
}

/** The sheet to read (`--sheet NAME|N`, else the first visible worksheet) and its part. */
export function chooseSheet(book: Book, wanted: string | undefined, display: string): { sheet: SheetInfo; entry: ZipEntry } {
  const hasMacros = [...book.dir.keys()].some((n) => /vbaProject\.bin$/i.test(n));
  const sheet = pickSheet(book.sheets, wanted, display, hasMacros);
  const entry = sheet.path === undefined ? undefined : book.dir.get(sheet.path);
  if (entry === undefined)
    throw new InputError(`${display}: sheet '${sheet.name}' has no part in the workbook (it is damaged): open it in Excel and save it again`);
  return { sheet, entry };
}

function pickSheet(sheets: readonly SheetInfo[], wanted: string | undefined, display: string, hasMacros: boolean): SheetInfo {
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

/** The cell styles' number kinds and the shared strings of the workbook. */
export async function cellContext(book: Book): Promise<CellContext> {
  const kinds = styleKinds((await book.text(book.dir.get(resolveTarget(book.bookPath, 'styles.xml')))) ?? '');
  let sharedPath = resolveTarget(book.bookPath, 'sharedStrings.xml');
  for (const rel of book.bookRels.values()) if (rel.type.endsWith('/sharedStrings')) sharedPath = rel.target;
  const shared = sharedStrings((await book.text(book.dir.get(sharedPath))) ?? '');
  return { kinds, shared, date1904: book.date1904 };
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
