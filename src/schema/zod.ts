import { createRequire } from 'node:module';
import type * as Zod from 'zod';

let loaded: typeof Zod | undefined;

/**
 * zod, loaded on first use. Loading it costs about 100 ms, and most runs never need it: a
 * run with no config file whose rows are all valid validates them with the plain cell
 * rules (schema/cells.ts) and reaches zod only for a row that fails.
 */
export function zod(): typeof Zod {
  loaded ??= createRequire(import.meta.url)('zod') as typeof Zod;
  return loaded;
}
