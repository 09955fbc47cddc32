/**
 * Just enough XML for SpreadsheetML parts, which Excel and every CRM exporter write in one
 * shape: attributes, text with the five entities and character references, and the
 * `_xHHHH_` escapes OOXML uses for control characters (ECMA-376 Part 1, 22.9.2.19).
 */

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9A-Fa-f]+));/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/** Element text -> the string it holds. */
export function xmlText(raw: string): string {
  let s =
    raw.indexOf('&') < 0
      ? raw
      : raw.replace(ENTITY, (_, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
          if (name !== undefined) return NAMED[name]!;
          const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
          return code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
        });
  if (s.indexOf('_x') >= 0) s = s.replace(ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return s;
}

/** One attribute's value from an element's attribute text (`r="A1" s="3"`), decoded; undefined when absent. */
export function attr(attrs: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const at = attrs.indexOf(name + '=', from);
    if (at < 0) return undefined;
    const before = at === 0 ? ' ' : attrs[at - 1]!;
    const quote = attrs[at + name.length + 1];
    if ((before === ' ' || before === '\t' || before === '\n' || before === '\r') && (quote === '"' || quote === "'")) {
      const start = at + name.length + 2;
      const end = attrs.indexOf(quote, start);
      const value = attrs.slice(start, end < 0 ? attrs.length : end);
      return value.indexOf('&') < 0 ? value : xmlText(value);
    }
    from = at + 1;
  }
}

/** Every `<tag ...>` (or `<prefix:tag ...>`) start tag in the text: its attribute text. */
export function* startTags(xml: string, tag: string): Generator<string> {
  const re = new RegExp(`<(?:[A-Za-z0-9_]+:)?${tag}(?=[\\s/>])([^>]*)>`, 'g');
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) yield m[1]!.replace(/\/$/, '');
}

/** The text of every `<t>` in a run of rich text or a string item, phonetic runs (`<rPh>`) left out. */
export function stringItemText(xml: string): string {
  const body = xml.indexOf('<rPh') >= 0 ? xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : xml;
  let out = '';
  const re = /<(?:[A-Za-z0-9_]+:)?t(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/(?:[A-Za-z0-9_]+:)?t>)/g;
  for (let m = re.exec(body); m !== null; m = re.exec(body)) out += m[1] === undefined ? '' : xmlText(m[1]);
  return out;
}

/** Text for an XML attribute or element: `&`, `<`, `>`, `"` escaped, control characters as `_xHHHH_`. */
export function escapeXml(s: string): string {
  let out = s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
  // A literal '_x0041_' would read back as 'A': its '_' is escaped as _x005F_ (22.9.2.19).
  if (out.indexOf('_x') >= 0) out = out.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
  return out.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}
