import { createHash } from 'node:crypto';

/**
 * A short, stable fingerprint of plain data (the model that scored a file: `kam_model`).
 * Keys are sorted at every level, so the same settings in another order give the same text.
 */

/** JSON.stringify as it is: undefined (whatever lib.d.ts says) for undefined, a function or a symbol. */
const stringify: (value: unknown) => string | undefined = JSON.stringify;

/** JSON with object keys sorted at every level; undefined members left out, like JSON.stringify. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The first 8 hex digits of the SHA-256 of the canonical JSON. */
export function shortHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 8);
}
