// Types for gen-accounts.mjs, which the benchmark runs as plain JavaScript and the tests import.
import type { Writable } from 'node:stream';

/** The header row, the columns of fixtures/accounts.csv. */
export declare const COLUMNS: readonly string[];
/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export declare function mulberry32(seed: number): () => number;
/** The CSV text of a synthetic export of `rows` accounts, header first, in chunks. */
export declare function generateAccounts(rows: number, seed?: number): Generator<string, void, undefined>;
/** Writes the export to a writable stream, respecting back-pressure. */
export declare function writeAccounts(stream: Writable, rows: number, seed?: number): Promise<void>;
