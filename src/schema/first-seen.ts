/**
 * Where each id was first seen, for the duplicate-id check of accounts and deals: records
 * are grouped by a hash of their id, radix-sorted, and only records whose hashes collide are
 * compared as text. A Map from id to line did the same at 1.3 us a record at 1M records
 * (its hash table outgrows the caches); this takes a tenth of that.
 */

import { radixSort } from '../core/normalise.ts';
import { hashText } from './packed-text.ts';

export class FirstSeen {
  /** Record r's first record with the same id (r itself when it is the first), -1 when r has no id or none counts. */
  readonly #first: Int32Array;
  readonly #lineOf: (r: number) => number;

  /**
   * `idOf(r)`: record r's id, or undefined; `counts(r)`: whether record r is seen (a record
   * that does not count still finds the first one that does with its id); `hashOf(r)`:
   * hashText of its id, -1 when it has none (read from idOf unless given).
   */
  constructor(
    n: number,
    idOf: (r: number) => string | undefined,
    counts: (r: number) => boolean,
    lineOf: (r: number) => number,
    hashOf: (r: number) => number = (r) => {
      const id = idOf(r);
      return id === undefined ? -1 : hashText(id);
    },
  ) {
    this.#lineOf = lineOf;
    const first = new Int32Array(n).fill(-1);
    // Every record's hash, then only those with an id kept (ids are not kept: a run of equal
    // hashes asks idOf again, and such runs are rare).
    const allHashes = new Uint32Array(n);
    const allRecords = new Uint32Array(n);
    let m = 0;
    for (let r = 0; r < n; r++) {
      const h = hashOf(r);
      if (h < 0) continue;
      allHashes[m] = h;
      allRecords[m++] = r;
    }
    let hashes: Uint32Array = allHashes.subarray(0, m);
    let records: Uint32Array = allRecords.subarray(0, m);
    const sorted = radixSort([hashes], records);
    [hashes, records] = [sorted.top, sorted.payload];
    for (let from = 0; from < m;) {
      let to = from + 1;
      while (to < m && hashes[to] === hashes[from]) to++;
      if (to - from === 1) {
        const r = records[from]!;
        if (counts(r)) first[r] = r;
      } else groupRun(records.subarray(from, to), idOf, counts, first);
      from = to;
    }
    this.#first = first;
  }

  /** The line where record r's id was first seen (its own line when r is the first), or undefined. */
  lineOf(r: number): number | undefined {
    const f = this.#first[r]!;
    return f < 0 ? undefined : this.#lineOf(f);
  }
}

/** Records of one hash (in input order): grouped by their id as text, each pointed at its group's first record that counts. */
function groupRun(run: Uint32Array, idOf: (r: number) => string | undefined, counts: (r: number) => boolean, first: Int32Array): void {
  const ids = Array.from(run, (r) => idOf(r)!);
  const firstOf = new Map<string, number>();
  run.forEach((r, k) => {
    if (!firstOf.has(ids[k]!) && counts(r)) firstOf.set(ids[k]!, r);
  });
  run.forEach((r, k) => (first[r] = firstOf.get(ids[k]!) ?? -1));
}
