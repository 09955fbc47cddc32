/**
 * The workbook kam writes (`-o shortlist.xlsx`, `--format xlsx`): an Accounts sheet (the
 * original columns with their types, kam's columns as numbers with two decimals, tiers
 * filled by tier colour, the shortlist marked, the header frozen and filtered, widths
 * fitted), a Summary sheet (the run, the tiers, the weights) and, for `kam report`, a Matrix
 * sheet with a scatter chart. Every text is an inline string, never a formula. A cell is
 * written typed only when the reader reads it back as the very same text (cell-text.ts), so
 * what kam writes, kam reads back unchanged. Same input, same bytes: fixed timestamps in the
 * document properties and in every zip entry.
 */
import { TIER_COLOR } from '../render-svg.ts';
import { numberCellText, numberKind, type NumberKind } from './cell-text.ts';
import { columnLetters } from './cell-ref.ts';
import { escapeXml } from './xml.ts';
import { writeZip } from './zip.ts';

/** One cell: text (typed when it reads back as itself), a number with a format, or nothing. */
export type XCell =
  | string
  | { readonly number: number; readonly format: 'integer' | 'fixed2' }
  | { readonly text: string; readonly style: 'tier' | 'shortlist' | 'bold' | 'plain' }
  | undefined;

export interface XSheet {
  readonly name: string;
  readonly header?: readonly string[] | undefined;
  readonly rows: readonly (readonly XCell[])[];
  /** Column indices whose texts stay text (ids, names): never turned into numbers or dates. */
  readonly textColumns?: ReadonlySet<number> | undefined;
  /** A scatter chart of series laid out on this sheet (report's matrix). */
  readonly chart?: XChart | undefined;
}

interface XChart {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  /** One series per tier: rows `from`..`to` (1-based, inclusive) of columns `x` and `y` (0-based) of this sheet. */
  readonly series: readonly {
    readonly name: string;
    readonly color: string;
    readonly from: number;
    readonly to: number;
    readonly x: number;
    readonly y: number;
  }[];
}

/** The DOS-epoch instant every timestamp of the workbook carries. */
const FIXED_TIME = '1980-01-01T00:00:00Z';
const MAX_WIDTH = 60;
const MIN_WIDTH = 6;

const TIER_FILLS: Readonly<Record<string, { fill: string; font: string }>> = {
  ...Object.fromEntries(Object.entries(TIER_COLOR).map(([t, c]) => [t, { fill: c, font: 'FFFFFF' }])),
  Invalid: { fill: '#fde2e1', font: '9B1C1C' },
};

/** The styles of the workbook, collected as cells ask for them. */
class StyleBook {
  private readonly formats = new Map<string, number>();
  private readonly fills: string[] = [];
  private readonly fonts: string[] = [
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
  ];
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly xfIndex = new Map<string, number>([['0|0|0', 0]]);

  /** A custom number format's id (164 and up), by its code. */
  format(code: string): number {
    let id = this.formats.get(code);
    if (id === undefined) {
      id = 164 + this.formats.size;
      this.formats.set(code, id);
    }
    return id;
  }

  private fill(rgb: string): number {
    const xml = `<fill><patternFill patternType="solid"><fgColor rgb="FF${rgb.replace('#', '').toUpperCase()}"/><bgColor indexed="64"/></patternFill></fill>`;
    let i = this.fills.indexOf(xml);
    if (i < 0) i = this.fills.push(xml) - 1;
    return i + 2; // fills 0 and 1 are the two Excel requires
  }

  private font(rgb: string | undefined, bold: boolean): number {
    if (rgb === undefined) return bold ? 1 : 0;
    const xml = `<font>${bold ? '<b/>' : ''}<sz val="11"/><color rgb="FF${rgb.toUpperCase()}"/><name val="Calibri"/><family val="2"/></font>`;
    let i = this.fonts.indexOf(xml);
    if (i < 0) i = this.fonts.push(xml) - 1;
    return i;
  }

  /** The cellXfs index of a style. */
  style(numFmt: number, fill?: string, font?: { rgb?: string; bold: boolean }): number {
    const fillId = fill === undefined ? 0 : this.fill(fill);
    const fontId = font === undefined ? 0 : this.font(font.rgb, font.bold);
    const key = `${numFmt}|${fontId}|${fillId}`;
    let i = this.xfIndex.get(key);
    if (i === undefined) {
      i = this.xfs.length;
      this.xfs.push(
        `<xf numFmtId="${numFmt}" fontId="${fontId}" fillId="${fillId}" borderId="0" xfId="0"${numFmt ? ' applyNumberFormat="1"' : ''}${fontId ? ' applyFont="1"' : ''}${fillId ? ' applyFill="1"' : ''}/>`,
      );
      this.xfIndex.set(key, i);
    }
    return i;
  }

  xml(): string {
    const fmts = [...this.formats].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`);
    return (
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      (fmts.length ? `<numFmts count="${fmts.length}">${fmts.join('')}</numFmts>` : '') +
      `<fonts count="${this.fonts.length}">${this.fonts.join('')}</fonts>` +
      `<fills count="${this.fills.length + 2}"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>${this.fills.join('')}</fills>` +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    );
  }
}

/** What a text becomes in a cell: a typed value with its style when it reads back as that text, else undefined. */
function typedCell(text: string, book: StyleBook): { v: string; s: number } | undefined {
  const c0 = text.charCodeAt(0);
  if (!(c0 === 45 || (c0 >= 48 && c0 <= 57))) return undefined; // '-' or a digit
  const check = (value: number, code: string | undefined, fmtId: number): { v: string; s: number } | undefined => {
    if (!Number.isFinite(value)) return undefined;
    const kind: NumberKind = numberKind(fmtId, code);
    if (numberCellText(value, kind, false) !== text) return undefined;
    return { v: String(value), s: book.style(code === undefined ? fmtId : book.format(code)) };
  };
  let m = /^-?(?:0|[1-9]\d*)(?:\.(\d+))?(?:E[+-]\d+)?$/.exec(text);
  if (m !== null) {
    const decimals = m[1]?.length ?? 0;
    // Integers past Excel's 11 General digits get format '0', so Excel shows them whole.
    const code =
      decimals > 0 && m[1]!.endsWith('0')
        ? `0.${'0'.repeat(decimals)}`
        : decimals === 0 && text.replace('-', '').length > 11 && !text.includes('E')
          ? '0'
          : undefined;
    return check(Number(text), code, code === '0' ? 1 : 0);
  }
  m = /^(-?(?:0|[1-9]\d*)(?:\.(\d+))?)%$/.exec(text);
  if (m !== null) {
    const decimals = m[2]?.length ?? 0;
    return check(Number(m[1]) / 100, decimals === 0 ? '0%' : `0.${'0'.repeat(decimals)}%`, 0);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?$/.exec(text);
  if (m !== null) {
    const days = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
    const serial = days + 25569 + (m[4] === undefined ? 0 : (Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6])) / 86400);
    if (serial < 61) return undefined;
    return check(serial, m[4] === undefined ? 'yyyy-mm-dd' : 'yyyy-mm-dd"T"hh:mm:ss', 0);
  }
  m = /^(-?(?:0|[1-9]\d*)(?:\.(\d+))?) ([A-Z]{3}|[€£¥$])$/.exec(text);
  if (m !== null) {
    const decimals = m[2]?.length ?? 0;
    return check(Number(m[1]), `#,##0${decimals ? `.${'0'.repeat(decimals)}` : ''} [$${m[3]}]`, 0);
  }
  return undefined;
}

function inline(ref: string, text: string, s: number): string {
  return `<c r="${ref}"${s ? ` s="${s}"` : ''} t="inlineStr"><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`;
}

function sheetXml(sheet: XSheet, book: StyleBook, drawing: boolean): string {
  const header = sheet.header;
  const width = Math.max(header?.length ?? 0, ...sheet.rows.map((r) => r.length));
  const widths = new Array<number>(width).fill(MIN_WIDTH);
  const seen = (i: number, text: string): void => {
    widths[i] = Math.max(widths[i]!, Math.min(MAX_WIDTH, text.length + 2));
  };
  const out: string[] = [];
  let r = 0;
  if (header !== undefined) {
    r++;
    const s = book.style(0, '#e5e7eb', { bold: true });
    out.push(`<row r="1">${header.map((h, i) => (seen(i, h), inline(`${columnLetters(i)}1`, h, s))).join('')}</row>`);
  }
  // Custom codes rather than built-in ids 1 and 2: LibreOffice shows those without their decimals.
  const fixed2 = book.style(book.format('0.00'));
  const integer = book.style(book.format('0'));
  for (const row of sheet.rows) {
    r++;
    let cells = '';
    row.forEach((cell, i) => {
      if (cell === undefined || cell === '') return;
      const ref = `${columnLetters(i)}${r}`;
      if (typeof cell === 'string') {
        seen(i, cell);
        const typed = sheet.textColumns?.has(i) === true ? undefined : typedCell(cell, book);
        cells += typed === undefined ? inline(ref, cell, 0) : `<c r="${ref}"${typed.s ? ` s="${typed.s}"` : ''}><v>${typed.v}</v></c>`;
      } else if ('number' in cell) {
        const v = cell.format === 'fixed2' ? Math.round(cell.number * 100) / 100 + 0 : cell.number;
        seen(i, String(v) + (cell.format === 'fixed2' ? '000' : ''));
        cells += `<c r="${ref}" s="${cell.format === 'fixed2' ? fixed2 : integer}"><v>${v}</v></c>`;
      } else {
        seen(i, cell.text);
        const tier = TIER_FILLS[cell.text];
        const s =
          cell.style === 'tier' && tier !== undefined
            ? book.style(0, tier.fill, { rgb: tier.font, bold: true })
            : cell.style === 'shortlist'
              ? book.style(0, '#fef08a', { bold: true })
              : cell.style === 'bold'
                ? book.style(0, undefined, { bold: true })
                : 0;
        cells += inline(ref, cell.text, s);
      }
    });
    out.push(`<row r="${r}">${cells}</row>`);
  }
  const last = `${columnLetters(Math.max(0, width - 1))}${Math.max(1, r)}`;
  const frozen = header !== undefined;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<dimension ref="A1:${last}"/>` +
    `<sheetViews><sheetView workbookViewId="0">${frozen ? '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' : ''}</sheetView></sheetViews>` +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    (width > 0 ? `<cols>${widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('')}</cols>` : '') +
    `<sheetData>${out.join('')}</sheetData>` +
    (frozen && width > 0 ? `<autoFilter ref="A1:${last}"/>` : '') +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
    (drawing ? '<drawing r:id="rId1"/>' : '') +
    '</worksheet>'
  );
}

function chartXml(sheetName: string, chart: XChart): string {
  const ref = (col: number, from: number, to: number): string =>
    `'${sheetName.replace(/'/g, "''")}'!$${columnLetters(col)}$${from}:$${columnLetters(col)}$${to}`;
  const title = (t: string): string =>
    `<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>${escapeXml(t)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>`;
  const series = chart.series
    .map((s, i) => {
      const rgb = s.color.replace('#', '').toUpperCase();
      return (
        `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx><c:v>${escapeXml(s.name)}</c:v></c:tx>` +
        `<c:spPr><a:ln w="19050"><a:noFill/></a:ln></c:spPr>` +
        `<c:marker><c:symbol val="circle"/><c:size val="6"/><c:spPr><a:solidFill><a:srgbClr val="${rgb}"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr></c:marker>` +
        `<c:xVal><c:numRef><c:f>${escapeXml(ref(s.x, s.from, s.to))}</c:f></c:numRef></c:xVal>` +
        `<c:yVal><c:numRef><c:f>${escapeXml(ref(s.y, s.from, s.to))}</c:f></c:numRef></c:yVal><c:smooth val="0"/></c:ser>`
      );
    })
    .join('');
  const axis = (id: number, cross: number, pos: 'b' | 'l', t: string): string =>
    `<c:valAx><c:axId val="${id}"/><c:scaling><c:orientation val="minMax"/><c:max val="100"/><c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="${pos}"/>${title(t)}<c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="${cross}"/><c:crosses val="autoZero"/><c:crossBetween val="midCat"/><c:majorUnit val="25"/></c:valAx>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<c:roundedCorners val="0"/><c:chart>${title(chart.title)}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>` +
    `<c:scatterChart><c:scatterStyle val="lineMarker"/><c:varyColors val="0"/>${series}<c:axId val="1001"/><c:axId val="1002"/></c:scatterChart>` +
    axis(1001, 1002, 'b', chart.xTitle) +
    axis(1002, 1001, 'l', chart.yTitle) +
    '</c:plotArea><c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/></c:chart></c:chartSpace>'
  );
}

const DRAWING =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">' +
  '<xdr:twoCellAnchor><xdr:from><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>18</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>32</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>' +
  '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Portfolio matrix"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>' +
  '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The workbook of these sheets, as bytes. */
export function workbookBytes(sheets: readonly XSheet[]): Buffer {
  const book = new StyleBook();
  const parts: { name: string; data: Uint8Array }[] = [];
  const add = (name: string, text: string): void => void parts.push({ name, data: Buffer.from(text, 'utf8') });
  const sheetParts = sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, xml: sheetXml(s, book, s.chart !== undefined) }));
  const charts = sheets.flatMap((s, i) => (s.chart === undefined ? [] : [{ sheet: i + 1, chart: s.chart, name: s.name }]));
  const types =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheetParts
      .map((p) => `<Override PartName="/${p.name}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
      .join('') +
    charts
      .map(
        (c, k) =>
          `<Override PartName="/xl/drawings/drawing${k + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/><Override PartName="/xl/charts/chart${k + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>`,
      )
      .join('') +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>';
  add('[Content_Types].xml', types);
  add(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/></Relationships>`,
  );
  add(
    'docProps/core.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>kam</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${FIXED_TIME}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${FIXED_TIME}</dcterms:modified></cp:coreProperties>`,
  );
  add(
    'docProps/app.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>kam</Application></Properties>',
  );
  const filtered = sheets.flatMap((s, i) => (s.header === undefined ? [] : [i]));
  add(
    'xl/workbook.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>' +
      `<sheets>${sheets.map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets>` +
      (filtered.length
        ? `<definedNames>${filtered
            .map((i) => {
              const s = sheets[i]!;
              const w = Math.max(s.header!.length, ...s.rows.map((r) => r.length));
              return `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${escapeXml(s.name.replace(/'/g, "''"))}'!$A$1:$${columnLetters(Math.max(0, w - 1))}$${s.rows.length + 1}</definedName>`;
            })
            .join('')}</definedNames>`
        : '') +
      '</workbook>',
  );
  add(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheetParts
      .map((p, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
      .join('')}<Relationship Id="rId${sheets.length + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
  );
  for (const p of sheetParts) add(p.name, p.xml);
  charts.forEach((c, k) => {
    add(
      `xl/worksheets/_rels/sheet${c.sheet}.xml.rels`,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/drawing" Target="../drawings/drawing${k + 1}.xml"/></Relationships>`,
    );
    add(`xl/drawings/drawing${k + 1}.xml`, DRAWING);
    add(
      `xl/drawings/_rels/drawing${k + 1}.xml.rels`,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/chart" Target="../charts/chart${k + 1}.xml"/></Relationships>`,
    );
    add(`xl/charts/chart${k + 1}.xml`, chartXml(c.name, c.chart));
  });
  add('xl/styles.xml', book.xml());
  return writeZip(parts);
}
