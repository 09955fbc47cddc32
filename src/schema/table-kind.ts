/**
 * The wrong kind of file: an opportunities export given as the accounts file (it would give
 * one duplicate-name error per deal), or an accounts export given as `--deals`. Recognised
 * with the same field mapping the other kind uses, so it is one message, not thousands.
 */
import type { RawTable } from '../io/read-table.ts';
import { NUMBER_FIELDS, type Field, type TableKind } from './fields.ts';
import { mapColumns, type ColumnMapping } from './mapping.ts';

function tryMap(header: readonly string[], kind: TableKind): ColumnMapping | undefined {
  try {
    return mapColumns(header, kind);
  } catch {
    return undefined; // an ambiguous header: not a clear sign of either kind
  }
}

function named(header: readonly string[], mapping: ColumnMapping, fields: readonly Field[]): string[] {
  return fields.flatMap((f) => (mapping.fieldIndex[f] === undefined ? [] : [`'${header[mapping.fieldIndex[f]]!}'`]));
}

/** Rows whose name an earlier row already has, and the most repeated name with its count. */
function repeats(table: RawTable, column: number): { rows: number; top: string; topCount: number } {
  const counts = new Map<string, number>();
  let rows = 0;
  for (const rec of table.records) {
    const name = (rec.cells[column] ?? '').trim();
    if (name === '') continue;
    const n = (counts.get(name) ?? 0) + 1;
    counts.set(name, n);
    if (n > 1) rows++;
  }
  let top = '';
  let topCount = 0;
  for (const [name, n] of counts) {
    if (n > topCount) {
      top = name;
      topCount = n;
    }
  }
  return { rows, top, topCount };
}

/** The deal mapping of a header that has the amount, close date and stage (or won) columns of a deals file; else undefined. */
function dealColumns(header: readonly string[]): ColumnMapping | undefined {
  const deals = tryMap(header, 'deals');
  const fi = deals?.fieldIndex;
  return fi === undefined || fi.amount === undefined || fi.close_date === undefined || (fi.stage === undefined && fi.is_won === undefined) ? undefined : deals;
}

/** Could this header, read as accounts, be an opportunities export (which wrongKindOfFile tells from its rows)? */
export function hasDealColumns(header: readonly string[]): boolean {
  return dealColumns(header) !== undefined;
}

/**
 * The message when `table`, read as `kind`, is clearly the other kind of file; else undefined.
 * Accounts: the deal mapping finds amount, close date and stage (or won) columns, and account
 * names repeat over rows or no column feeds the model. Deals: the file lacks the close date or
 * stage a deals file needs, and the account mapping finds a name and a model input.
 */
export function wrongKindOfFile(table: RawTable, kind: TableKind, accountNameColumn: number | undefined): string | undefined {
  const { header, source } = table;
  if (kind === 'accounts') {
    const deals = dealColumns(header);
    const fi = deals?.fieldIndex;
    if (fi === undefined) return undefined;
    const nameColumn = accountNameColumn ?? fi.deal_account_name;
    const rep = nameColumn === undefined ? { rows: 0, top: '', topCount: 0 } : repeats(table, nameColumn);
    const accounts = tryMap(header, 'accounts');
    const feedsModel = accounts !== undefined && NUMBER_FIELDS.some((f) => accounts.fieldIndex[f] !== undefined);
    if (rep.rows < 2 && feedsModel) return undefined;
    const cols = named(header, deals!, ['stage', 'is_won', 'close_date', 'amount']).join(', ');
    const why = rep.rows >= 2 ? `${rep.rows} rows repeat an account name ('${rep.top}' is on ${rep.topCount} rows)` : 'no column feeds the scoring model';
    return (
      `${source} looks like an opportunities (deals) export, not an accounts file: it has the deal columns ${cols} and ${why}; ` +
      `give the accounts export first and this file with --deals: kam score ACCOUNTS.csv --deals ${source}`
    );
  }
  const deals = tryMap(header, 'deals');
  const dfi = deals?.fieldIndex ?? {};
  if (dfi.close_date !== undefined && (dfi.stage !== undefined || dfi.is_won !== undefined)) return undefined;
  const accounts = tryMap(header, 'accounts');
  if (accounts === undefined || accounts.fieldIndex.account_name === undefined) return undefined;
  const inputs = NUMBER_FIELDS.filter((f) => accounts.fieldIndex[f] !== undefined);
  if (inputs.length === 0) return undefined;
  const cols = named(header, accounts, ['account_name', ...inputs]).join(', ');
  return (
    `${source} looks like an accounts export, not a deals file: it has no close date or stage column, and has the account columns ${cols}; ` +
    `give it as the accounts file and the opportunities export with --deals: kam score ${source} --deals OPPORTUNITIES.csv`
  );
}
