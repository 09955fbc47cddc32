/**
 * Rows that are not accounts: the `Total` / `Grand Total` / `Summe` row a spreadsheet adds
 * under the data, and the subtotal rows of a grouped sheet. Only recognisable after mapping
 * (which column is the name, which the id, which hold amounts), so this lives beside
 * validation; the reader drops the Salesforce report footer and blank lines before it.
 */
import type { RawTable } from '../io/read-table.ts';

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
  'total', 'totals', 'grand total', 'grand totals', 'sum', 'sums', 'overall total',
  'summe', 'gesamt', 'gesamtsumme', 'gesamtergebnis', 'ergebnis', 'insgesamt',
  'total général', 'total general', 'totaux', 'somme',
  'total geral', 'totais', 'soma',
  'totaal', 'eindtotaal', 'totaal generaal', 'som',
  'totale', 'totale complessivo', 'totale generale', 'somma',
  'subtotal', 'subtotals', 'sub-total', 'sub total', 'zwischensumme', 'teilsumme', 'sous-total', 'sous total',
  'subtotaal', 'subtotale', 'totale parziale',
]);

/** Words that make a name worth checking against the sums ('EMEA Total', 'Summe Nord'). */
const TOTAL_WORDS: ReadonlySet<string> = new Set([
  'total', 'totals', 'summe', 'gesamt', 'ergebnis', 'totaal', 'totale', 'subtotal', 'zwischensumme', 'subtotaal', 'subtotale', 'sous-total',
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

/** Is this name cell a totals label ('Total', 'Grand Total:', 'Summe', 'Total général (12)')? */
export function isTotalsName(name: string): boolean {
  return TOTAL_NAMES.has(foldName(name));
}

function hasTotalsWord(name: string): boolean {
  return foldName(name)
    .split(/[^\p{L}-]+/u)
    .some((w) => TOTAL_WORDS.has(w));
}

export interface TotalsInput {
  readonly nameColumn: number;
  readonly idColumn: number | undefined;
  /** The number columns (money, employees) as read, NaN when blank or unread, by record. */
  readonly values: readonly Float64Array[];
  /** 1 when every rule of the record read its cell. */
  readonly readOk: Uint8Array;
  /** 1 when the record is a valid account so far. */
  readonly passed: Uint8Array;
}

export interface TotalsResult {
  readonly rows: readonly DroppedRow[];
  readonly notes: readonly string[];
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
export function findTotalsRows(table: RawTable, input: TotalsInput): TotalsResult {
  const { records, header } = table;
  const width = header.length;
  const k = input.values.length;
  const all = new Float64Array(k);
  const block = new Float64Array(k);
  let allRows = 0;
  let blockRows = 0;
  const rows: DroppedRow[] = [];
  const dropped = new Set<number>();
  for (let r = 0; r < records.length; r++) {
    const cells = records[r]!.cells;
    if (cells.length !== width) continue;
    const id = input.idColumn === undefined ? '' : cells[input.idColumn]!.trim();
    const name = cells[input.nameColumn]!.trim();
    let reason: DroppedRow['reason'] | undefined;
    if (id === '') {
      if (name !== '' && isTotalsName(name)) reason = 'name';
      else if (input.readOk[r] && (name === '' || hasTotalsWord(name)) && allRows >= 2) {
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
    }
    if (reason !== undefined) {
      rows.push({ recordIndex: r, line: records[r]!.line, reason, name });
      dropped.add(r);
      block.fill(0);
      blockRows = 0;
      continue;
    }
    if (!input.passed[r]) continue;
    allRows++;
    blockRows++;
    for (let c = 0; c < k; c++) {
      const v = input.values[c]![r]!;
      if (Number.isNaN(v)) continue;
      all[c] = all[c]! + v;
      block[c] = block[c]! + v;
    }
  }
  const notes: string[] = [];
  if (rows.length > 0) {
    const shown = rows.slice(0, MAX_LISTED).map((d) => `line ${d.line} ${d.name === '' ? '(blank name)' : `'${d.name}'`}${d.reason === 'sums' ? ' (its values are the sums of the rows above)' : ''}`);
    const more = rows.length > MAX_LISTED ? `, ... and ${rows.length - MAX_LISTED} more` : '';
    notes.push(`dropped ${rows.length} totals row${rows.length === 1 ? '' : 's'} (not accounts): ${shown.join(', ')}${more}`);
  }
  return { rows, notes, isDropped: (r) => dropped.has(r) };
}
