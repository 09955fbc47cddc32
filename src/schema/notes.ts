/**
 * The notes validation says on stderr, as typed codes with their data, and the one place
 * they become words (as row issues have IssueCode). Tests and callers can match a code;
 * the rendered text is what users read, byte for byte as before.
 */

/** A cell quoted in a note, with its line. */
interface NotedCell {
  readonly text: string;
  readonly line: number;
}

/** One note of a validated table. */
export type SchemaNote =
  /** A header annotation ('(k)', '(EUR)', '(%)', '(1-5)', '(H/M/L)') changed how values read. */
  | { readonly code: 'annotation_applied'; readonly header: string; readonly effect: string }
  /** A bare percent column read as percents holds values that look like fractions. */
  | {
      readonly code: 'fraction_in_percent_column';
      readonly header: string;
      readonly percent: NotedCell & { readonly value: number };
      readonly fraction: NotedCell & { readonly value: number };
      readonly more: number;
    }
  /** Rows giving both retention_rate and churn_risk: retention_rate used. */
  | { readonly code: 'retention_and_churn'; readonly rows: number }
  /** The day order of slash dates, settled by one date. */
  | { readonly code: 'date_order_settled'; readonly source: string; readonly order: 'DMY' | 'MDY'; readonly example: string }
  /** Totals and subtotal rows dropped (not accounts). */
  | {
      readonly code: 'totals_dropped';
      readonly rows: readonly { readonly line: number; readonly name: string; readonly sums: boolean }[];
      readonly shown: number;
    }
  /** A bare '$' (or '¥') read as its family's fallback currency. */
  | {
      readonly code: 'bare_symbol_read_as';
      readonly column: string;
      readonly token: string;
      readonly currency: string;
      readonly base: string | undefined;
      readonly values: number;
      readonly firstLine: number;
    };

/** Every SchemaNote code: tells a schema note from others where notes of several layers are kept together. */
export const SCHEMA_NOTE_CODES: Readonly<Record<SchemaNote['code'], true>> = {
  annotation_applied: true,
  fraction_in_percent_column: true,
  retention_and_churn: true,
  date_order_settled: true,
  totals_dropped: true,
  bare_symbol_read_as: true,
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The words of one note (the line on stderr, without its 'note:' or source prefix). */
export function noteText(n: SchemaNote): string {
  switch (n.code) {
    case 'annotation_applied':
      return `${n.header}: ${n.effect}, as the header says`;
    case 'fraction_in_percent_column': {
      const cell = (c: NotedCell): string => `'${c.text}' at line ${c.line}`;
      const v = n.fraction.value;
      const more = n.more > 0 ? ` (and ${n.more} more value${n.more === 1 ? '' : 's'} between -1 and 1)` : '';
      return (
        `${n.header}: bare numbers are percents in this column (${cell(n.percent)} is ${n.percent.value}%), ` +
        `so ${cell(n.fraction)} is ${v}%${more}; write ${Number((v * 100).toPrecision(12))}% if a fraction was meant`
      );
    }
    case 'retention_and_churn':
      return `retention_rate and churn_risk both given on ${plural(n.rows, 'row')}: retention_rate used`;
    case 'date_order_settled':
      return `${n.source}: close dates read as ${n.order === 'DMY' ? 'D/M/YYYY' : 'M/D/YYYY'} ('${n.example}' settles it)`;
    case 'totals_dropped': {
      const shown = n.rows
        .slice(0, n.shown)
        .map((d) => `line ${d.line} ${d.name === '' ? '(blank name)' : `'${d.name}'`}${d.sums ? ' (its values are the sums of the rows above)' : ''}`);
      const more = n.rows.length > n.shown ? `, ... and ${n.rows.length - n.shown} more` : '';
      return `dropped ${plural(n.rows.length, 'totals row')} (not accounts): ${shown.join(', ')}${more}`;
    }
    case 'bare_symbol_read_as': {
      const more = n.values > 1 ? ` (${n.values} values, first at line ${n.firstLine})` : ` (line ${n.firstLine})`;
      return (
        `${n.column}: a bare '${n.token}' was read as ${n.currency}${more}: nothing in the row says which one is meant and the config base ${n.base} is not one; ` +
        'write the code (CAD 1,200) or add a currency column if another was meant'
      );
    }
  }
}
