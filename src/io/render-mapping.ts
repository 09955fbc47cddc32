/**
 * Words for how kam read a file's headers: the annotations a header set, why a column that
 * looks like a model input feeds nothing, and the one warning line that names them all with
 * the `--map` that would use each. `kam columns` and every reading command use these.
 */
import type { Field } from '../schema/fields.ts';
import type { ColumnAnnotations, ColumnMapping, UnusedColumn } from '../schema/mapping.ts';
import type { NearReason } from '../schema/vocabulary.ts';

const SCALE_WORDS: Readonly<Record<number, string>> = { 1e3: 'thousands', 1e6: 'millions', 1e9: 'billions' };

/** 'percent; in thousands; EUR; scale 1-5; words high/medium/low; last 12 months', or '' when none. */
export function formatAnnotations(a: ColumnAnnotations): string {
  const parts: string[] = [];
  if (a.percent) parts.push('percent');
  if (a.scale !== undefined) parts.push(`in ${SCALE_WORDS[a.scale] ?? `units of ${a.scale}`}`);
  if (a.currency !== undefined) parts.push(a.currency);
  if (a.ratingScale !== undefined) parts.push(`scale ${a.ratingScale.min}-${a.ratingScale.max}`);
  if (a.ratingWords !== undefined) {
    // One word per value, as the header spells it (the last written; abbreviations aside).
    const byValue = new Map<number, string>();
    for (const [w, v] of Object.entries(a.ratingWords)) if (w.length > 1) byValue.set(v, w);
    parts.push(`words ${[...byValue].map(([v, w]) => `${w}=${v}`).join(' ')}`);
  }
  if (a.period === '12m') parts.push('last 12 months');
  if (a.period === 'lifetime') parts.push('lifetime');
  return parts.join('; ');
}

const NEAR_TEXT: Readonly<Record<NearReason, string>> = {
  lifetime: 'a lifetime total, not the last 12 months',
  partial_period: 'a part of a year (year to date, a quarter), not the last 12 months',
  monthly: 'a monthly figure, not the last 12 months',
  not_money: 'a score, not an amount',
  unit: 'its unit does not fit',
  ambiguous: 'it may or may not mean',
  rating_or_flag: 'it may or may not mean',
  company_size: "the account's own annual revenue, not what it brings us",
};

/** The `--map` option that maps `header` to `field`, quoted for a shell. */
export function mapOption(header: string, field: Field): string {
  const spec = `${header.trim()}=${field}`;
  return spec.includes('"') ? `--map '${spec.replaceAll("'", "'\\''")}'` : `--map "${spec}"`;
}

/** Why one column feeds nothing, in words, with the option that would use it. */
function formatUnused(u: UnusedColumn, header: readonly string[]): string {
  const h = header[u.index]!;
  if (u.reason === 'lost') return `'${h}' (${u.field} comes from '${header[u.winner!]}': ${mapOption(h, u.field)} to use this one instead)`;
  const from = u.winner === undefined ? '' : `; ${u.field} comes from '${header[u.winner]}'`;
  const use = u.winner === undefined ? 'to use it' : 'to use this one instead';
  if (u.reason === 'ambiguous') return `'${h}' (${NEAR_TEXT.ambiguous} ${u.field}${from}: ${mapOption(h, u.field)} ${use})`;
  if (u.reason === 'rating_or_flag') {
    return `'${h}' (${NEAR_TEXT.rating_or_flag} ${u.field}${from}: ${mapOption(h, u.field)} ${use} as a rating; a yes/no column goes in the config's "flags", with the points it adds)`;
  }
  return `'${h}' (${NEAR_TEXT[u.reason]}, so not ${u.field}${from}: ${mapOption(h, u.field)} ${use}${u.winner === undefined ? ' anyway' : ''})`;
}

/** The words of the one warning naming every column that looks like a model input but feeds nothing (run-notes' columns_unused). */
export function unusedColumnsText(header: readonly string[], unused: readonly UnusedColumn[]): string {
  const what = unused.length === 1 ? 'a column looks like a model input but feeds nothing' : `${unused.length} columns look like model inputs but feed nothing`;
  return `${what}: ${unused.map((u) => formatUnused(u, header)).join('; ')}`;
}

/** How a column's field was decided, in words, for `kam columns`. */
export function formatDecidedBy(via: ColumnMapping['columns'][number]['via'], presetLabel: string): string {
  switch (via) {
    case 'preset':
      return `${presetLabel} preset`;
    case 'words':
      return 'header words';
    case 'config':
      return 'config';
    case 'map':
      return '--map';
    case 'ignored':
      return 'ignored';
    case 'unmapped':
      return '';
  }
}

/** What `kam columns` says beside one column: what it beat, lost to, nearly meant, or holds the currency of. */
export function formatColumnNotes(mapping: ColumnMapping, index: number, unused: readonly UnusedColumn[], isFlag: boolean): string {
  const c = mapping.columns[index]!;
  const header = mapping.columns.map((x) => x.header);
  const notes: string[] = [];
  if (isFlag) notes.push('flag (strategic bonus)');
  if (c.beat !== undefined) notes.push(`beat ${c.beat.map((i) => `'${header[i]}'`).join(', ')}`);
  if (c.currencyOf !== undefined) notes.push(`currency of '${header[c.currencyOf]}'`);
  const u = unused.find((x) => x.index === index);
  if (u !== undefined)
    notes.push(
      formatUnused(u, header)
        .slice(`'${header[index]}' `.length)
        .replace(/^\(|\)$/g, ''),
    );
  else if (c.lostTo !== undefined) notes.push(`lost ${c.lostTo.field} to '${header[c.lostTo.index]}'`);
  else if (c.near !== undefined && c.field === undefined) {
    const winner = mapping.fieldIndex[c.near.field];
    const from = winner === undefined ? '' : ` (${c.near.field} comes from '${header[winner]}')`;
    const ambiguous = c.near.reason === 'ambiguous' || c.near.reason === 'rating_or_flag';
    notes.push(ambiguous ? `${NEAR_TEXT[c.near.reason]} ${c.near.field}${from}` : `${NEAR_TEXT[c.near.reason]}, so not ${c.near.field}${from}`);
  }
  return notes.join('; ');
}
