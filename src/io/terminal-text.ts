/**
 * Text bound for a terminal (tables, `kam columns`, messages that quote a header, a cell or
 * a path) goes through `escapeTerminal`: C0 and C1 control characters, CR, ESC and the bidi
 * overrides are shown escaped (`\r`, `\x1b`, `\u202e`), so no cell moves the cursor, sets
 * the window title, overwrites a row or reverses the text after it. The data itself is kept
 * as it is; only what a terminal shows is escaped. CSV, JSON and Markdown outputs have their
 * own rules (write-csv.ts, JSON.stringify, render-markdown.ts).
 */

/** C0 (but LF, handled apart), DEL, C1, and the bidi embedding, override and isolate controls. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_OR_LF = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const c = ch.charCodeAt(0);
  return c <= 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every character that acts on a terminal shown escaped. Line feeds are escaped
 * too (`\n`) unless `keepLineFeeds`: a table cell or a multi-line message may span lines.
 */
export function escapeTerminal(text: string, options: { readonly keepLineFeeds?: boolean } = {}): string {
  const re = options.keepLineFeeds ? UNSAFE : UNSAFE_OR_LF;
  re.lastIndex = 0;
  if (!re.test(text)) return text;
  re.lastIndex = 0;
  return text.replace(re, escapeOne);
}
