/**
 * An accounts table validated as the reader reads it (issue 13): each record goes through
 * pass 1 as it comes, so the table need not keep its cells. The decimal separator is
 * decided early and checked late: records wait until a decisive number cell says it (or
 * `--decimal` does), the rest of the file is still scanned, and a conflict, or a file that
 * never settles it, gives the table back to `parseAccounts`, which says what it always said.
 */
import type { RawTable, TableHead } from '../io/read-table.ts';
import { finishAccounts, numberColumns, startAccounts, type AccountsRead, type ParsedAccounts, type ValueSettings } from './account.ts';
import type { ColumnMapping } from './mapping.ts';
import type { Decimal } from './values.ts';
import { DecimalScan } from './values.ts';

export class AccountStream {
  readonly #head: TableHead;
  readonly #mapping: ColumnMapping;
  readonly #settings: ValueSettings;
  readonly #columns: readonly number[];
  /** Undefined when the separator was given. */
  readonly #scan: DecimalScan | undefined;
  #read: AccountsRead | undefined;
  /** Records that came before the separator was known. */
  #held: { r: number; line: number; cells: readonly string[] }[] = [];
  /** Both separators seen, or a record out of order: the table goes the whole-table way. */
  #declined = false;
  #n = 0;

  constructor(head: TableHead, mapping: ColumnMapping, settings: ValueSettings) {
    this.#head = head;
    this.#mapping = mapping;
    this.#settings = settings;
    this.#columns = numberColumns(mapping.fieldIndex);
    if (settings.decimal !== undefined) this.#read = this.#start(settings.decimal);
    else this.#scan = new DecimalScan();
  }

  /** Record r (in order, from 0) with its cells, as the reader hands it on. */
  record(r: number, line: number, cells: readonly string[]): void {
    if (this.#declined) return;
    if (r !== this.#n) {
      this.#decline();
      return;
    }
    this.#n = r + 1;
    const scan = this.#scan;
    if (scan !== undefined) {
      for (const c of this.#columns) {
        const cell = cells[c];
        if (cell !== undefined && cell !== '' && scan.add(cell)) {
          this.#decline();
          return;
        }
      }
    }
    let read = this.#read;
    if (read === undefined) {
      const decided = scan!.decisive;
      if (decided === undefined) {
        this.#held.push({ r, line, cells });
        return;
      }
      read = this.#start(decided);
    }
    read.cells.add(r, line, cells);
  }

  /** The validated accounts of `table` (the table these records were read into), or undefined to validate it whole. */
  finish(table: RawTable): ParsedAccounts | undefined {
    if (this.#declined || !table.streamed || table.recordCount !== this.#n) return undefined;
    let read = this.#read;
    if (read === undefined) {
      const evidence = this.#scan!.result();
      if (evidence.decimal === undefined) return undefined;
      read = this.#start(evidence.decimal);
    }
    // The store goes with the stream: what the accounts keep of it are their own columns (its
    // currencies, signs, facts and churn values, 30 bytes a row, are then let go).
    this.#read = undefined;
    return finishAccounts(table, read, this.#settings);
  }

  /** Pass 1 with the separator known: the records held so far first. */
  #start(decimal: Decimal): AccountsRead {
    const read = startAccounts(this.#head, this.#mapping, this.#settings, decimal);
    for (const h of this.#held) read.cells.add(h.r, h.line, h.cells);
    this.#held = [];
    this.#read = read;
    return read;
  }

  #decline(): void {
    this.#declined = true;
    this.#read = undefined;
    this.#held = [];
  }
}
