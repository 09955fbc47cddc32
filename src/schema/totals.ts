/**
 * Rows that are not accounts: the `Total` / `Grand Total` / `Summe` row a spreadsheet adds
 * under the data, and the subtotal rows of a grouped sheet. Only recognisable after mapping
 * (which column is the name, which the id, which hold amounts), so this lives beside
 * validation; the reader drops the Salesforce report footer and blank lines before it.
 */
import type { SchemaNote } from './notes.ts';
import { isBlank } from './values.ts';

/** A record dropped because it is not an account, and why. */
export interface DroppedRow {
  readonly recordIndex: number;
  readonly line: number;
  /** 'name': its name is a totals word; 'sums': its values are the sums of the rows above. */
  readonly reason: 'name' | 'sums';
  /** The name cell as written (trimmed; '' when blank). */
  readonly name: string;
}

/**
 * Totals words of the spreadsheet and CRM UI languages kam reads (English, German, French,
 * Spanish, Portuguese, Italian, Dutch), lower-case: Excel's own subtotal labels ('Total',
 * 'Grand Total'; German 'Gesamtergebnis' / 'Ergebnis'; French 'Total général'; Dutch
 * 'Eindtotaal'; Italian 'Totale complessivo'), the words people type, and subtotals.
 */
const TOTAL_NAMES: ReadonlySet<string> = new Set([
  'total',
  'totals',
  'grand total',
  'grand totals',
  'sum',
  'sums',
  'overall total',
  'summe',
  'gesamt',
  'gesamtsumme',
  'gesamtergebnis',
  'ergebnis',
  'insgesamt',
  'total général',
  'total general',
  'totaux',
  'somme',
  'totales',
  'suma',
  'suma total',
  'total geral',
  'totais',
  'soma',
  'totaal',
  'eindtotaal',
  'totaal generaal',
  'som',
  'totale',
  'totale complessivo',
  'totale generale',
  'somma',
  'subtotal',
  'subtotals',
  'sub-total',
  'sub total',
  'zwischensumme',
  'teilsumme',
  'sous-total',
  'sous total',
  'subtotaal',
  'subtotale',
  'totale parziale',
]);

/** Words that make a name worth checking against the sums ('EMEA Total', 'Summe Nord'). */
const TOTAL_WORDS: ReadonlySet<string> = new Set([
  'total',
  'totals',
  'totales',
  'summe',
  'gesamt',
  'ergebnis',
  'totaal',
  'totale',
  'subtotal',
  'zwischensumme',
  'subtotaal',
  'subtotale',
  'sous-total',
]);

/** Lower case, NFC, trailing ':' and a count in brackets ('Total (12 records)') removed. */
function foldName(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/\s*\(\s*\d[\d,.\s]*(?:records?|rows?|accounts?|datensätze|enregistrements|registros|record)?\s*\)\s*$/u, '')
    .replace(/\s*:\s*$/, '')
    .replace(/\s+/g, ' ');
}

/** The first letters of every totals name: most names are ruled out without building a string. */
const FIRST_LETTERS = new Set([...TOTAL_NAMES].map((n) => n.charCodeAt(0)));

/** Is this name cell a totals label ('Total', 'Grand Total:', 'Summe', 'Total général (12)')? */
function isTotalsName(name: string): boolean {
  let i = 0;
  while (i < name.length && name.charCodeAt(i) <= 0x20) i++;
  const c = name.charCodeAt(i) | 0x20;
  if (!FIRST_LETTERS.has(c) || name.length - i > 40) return false;
  return TOTAL_NAMES.has(foldName(name));
}

const TOTALS_WORD = new RegExp(`(?:^|[^\\p{L}-])(?:${[...TOTAL_WORDS].join('|')})(?:$|[^\\p{L}-])`, 'iu');

function hasTotalsWord(name: string): boolean {
  return TOTALS_WORD.test(name);
}

/**
 * The name facts of a record with a blank id (or in a file without an id column): `label`
 * when its name is a totals label, `maybe` when its name is blank or carries a totals word
 * (it is one when its numbers are sums). Pass 1 keeps them, so this pass needs no cells.
 */
export function totalsNameFacts(name: string, label: number, maybe: number): number {
  const blankName = isBlank(name);
  return (!blankName && isTotalsName(name) ? label : 0) | (blankName || hasTotalsWord(name) ? maybe : 0);
}

export interface TotalsInput {
  /** Records read. */
  readonly n: number;
  readonly hasIdColumn: boolean;
  /** Per record: FACT_* bits of account-read.ts (width right, id blank, totals label, maybe totals). */
  readonly facts: Uint8Array;
  readonly bits: { readonly width: number; readonly idBlank: number; readonly label: number; readonly maybe: number };
  /** The number columns (money, employees) as read, NaN when blank or unread, by record. */
  readonly values: readonly Float64Array[];
  /** 1 when every rule of the record read its cell. */
  readonly readOk: Uint8Array;
  /** 1 when the record is a valid account so far. */
  readonly passed: Uint8Array;
  readonly lineOf: (r: number) => number;
  /** The record's name cell as written. */
  readonly nameOf: (r: number) => string;
}

export interface TotalsResult {
  readonly rows: readonly DroppedRow[];
  readonly notes: readonly SchemaNote[];
  isDropped(recordIndex: number): boolean;
}

const MAX_LISTED = 10;

/** Equal as sums of money are: exact to a cent, or to 1e-9 relative for large sums. */
function sameSum(v: number, sum: number): boolean {
  return Number.isFinite(sum) && Math.abs(v - sum) <= Math.max(0.005, Math.abs(sum) * 1e-9);
}

/**
 * Finds the totals rows of an accounts table. A record is one when its id is blank (or the
 * file has no id column) and either its name is a totals label ('Total', 'Summe', 'Grand
 * Total'), or its name is blank or carries a totals word ('EMEA Total') and every number it
 * holds is the sum of the accounts above it: since the previous totals row (a subtotal) or
 * since the start (a grand total). An account that merely has a big number keeps its name.
 */
export function findTotalsRows(input: TotalsInput): TotalsResult {
  const { n, facts, bits } = input;
  const none: TotalsResult = { rows: [], notes: [], isDropped: () => false };
  const blankId = bits.width | bits.idBlank;
  if (input.hasIdColumn) {
    // The usual export has an id on every row: nothing to check, no sums to keep.
    let candidates = false;
    for (let r = 0; r < n && !candidates; r++) candidates = (facts[r]! & blankId) === blankId;
    if (!candidates) return none;
  }
  const k = input.values.length;
  const all = new Float64Array(k);
  const block = new Float64Array(k);
  let allRows = 0;
  let blockRows = 0;
  const rows: DroppedRow[] = [];
  const dropped = new Set<number>();
  /** An account row: its numbers join the running sums. */
  const add = (r: number): void => {
    allRows++;
    blockRows++;
    for (let c = 0; c < k; c++) {
      const v = input.values[c]![r]!;
      if (Number.isNaN(v)) continue;
      all[c] = all[c]! + v;
      block[c] = block[c]! + v;
    }
  };
  for (let r = 0; r < n; r++) {
    const f = facts[r]!;
    if ((f & bits.width) === 0) continue;
    if ((f & bits.idBlank) === 0) {
      if (input.passed[r]) add(r);
      continue;
    }
    let reason: DroppedRow['reason'] | undefined;
    if ((f & bits.label) !== 0) reason = 'name';
    else if (input.readOk[r] && allRows >= 2 && (f & bits.maybe) !== 0) {
      let any = false;
      let blockOk = true;
      let allOk = true;
      for (let c = 0; c < k; c++) {
        const v = input.values[c]![r]!;
        if (Number.isNaN(v)) continue;
        any = true;
        if (blockRows < 2 || !sameSum(v, block[c]!)) blockOk = false;
        if (!sameSum(v, all[c]!)) allOk = false;
      }
      if (any && (blockOk || allOk)) reason = 'sums';
    }
    if (reason !== undefined) {
      rows.push({ recordIndex: r, line: input.lineOf(r), reason, name: input.nameOf(r).trim() });
      dropped.add(r);
      block.fill(0);
      blockRows = 0;
      continue;
    }
    if (input.passed[r]) add(r);
  }
  const notes: SchemaNote[] = [];
  if (rows.length > 0) {
    notes.push({ code: 'totals_dropped', rows: rows.map((d) => ({ line: d.line, name: d.name, sums: d.reason === 'sums' })), shown: MAX_LISTED });
  }
  return { rows, notes, isDropped: (r) => dropped.has(r) };
}
