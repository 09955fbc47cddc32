/**
 * Currencies of money values, shared by accounts and deals: which currency one value is in
 * (its cell, its field's own currency column, the column's header annotation, the row's
 * `currency` field, in that order), whether those agree, and the factor that converts it to
 * the config's base. A file that mixes currencies with no rates configured is one file-level
 * error, never a comparison of yen with dollars.
 */
import { InputError } from '../errors.ts';
import { noteText, type SchemaNote } from './notes.ts';
import { currencyFamily } from './values.ts';

/** The config's `currency` section. */
export interface CurrencySettings {
  readonly base: string;
  readonly rates: Readonly<Record<string, number>>;
}

/** One place a value's currency can come from, in precedence order. */
export interface CurrencySource {
  /** ISO code or family token ('$'), or undefined when this source says nothing. */
  readonly code: string | undefined;
  /** The header of the column that says it (for the row issue). */
  readonly column: string;
  /** How the message names it: the cell's text ("'EUR 5'"), or "the header", "column 'Currency'". */
  readonly label: string;
}

/** The currency of one value: a code (or undefined: unknown), or why the sources disagree. */
export type ValueCurrency =
  | { readonly ok: true; readonly code: string | undefined; readonly column: string | undefined; readonly fallback: string | undefined }
  | { readonly ok: false; readonly message: string };

const UNKNOWN: ValueCurrency = { ok: true, code: undefined, column: undefined, fallback: undefined };

/**
 * Settle the currency of one value from its sources (most specific first). Every ISO code
 * must be the same; a family token ('$') agrees with any of its members. A value that only
 * says '$' is the config base when that is a dollar, else the family's fallback (USD), marked
 * `fallback` (the token) so the caller can say so.
 */
export function resolveCurrency(sources: readonly CurrencySource[], base: string | undefined): ValueCurrency {
  let code: string | undefined;
  let from: CurrencySource | undefined;
  for (const s of sources) {
    if (s.code === undefined || currencyFamily(s.code) !== undefined) continue;
    if (code === undefined) {
      code = s.code;
      from = s;
    } else if (s.code !== code) {
      return { ok: false, message: `${from!.label} says ${code} but ${s.label} says ${s.code}` };
    }
  }
  let token: CurrencySource | undefined;
  for (const s of sources) {
    const family = s.code === undefined ? undefined : currencyFamily(s.code);
    if (family === undefined) continue;
    if (code !== undefined) {
      if (!family.members.includes(code)) return { ok: false, message: `${s.label} cannot be ${code} (${from!.label} says ${code})` };
    } else if (token === undefined) token = s;
    else if (token.code !== s.code) return { ok: false, message: `${token.label} and ${s.label} name different currencies` };
  }
  if (code !== undefined) return { ok: true, code, column: from!.column, fallback: undefined };
  if (token === undefined) return UNKNOWN;
  const family = currencyFamily(token.code!)!;
  if (base !== undefined && family.members.includes(base)) return { ok: true, code: base, column: token.column, fallback: undefined };
  if (family.fallback !== undefined) return { ok: true, code: family.fallback, column: token.column, fallback: family.token };
  return UNKNOWN;
}

/** What `settleCodes` returns when its codes disagree (the caller then asks resolveCurrency why). */
export const CONFLICT = '\u0000conflict';

/** Which argument of `settleCodes` decided (0, 1, 2; -1 none) and the family token of a fallback: the caller's, reused row to row. */
export class Settlement {
  from = -1;
  fallback: string | undefined = undefined;
}

/**
 * resolveCurrency for up to three sources given as codes (most specific first), with no
 * allocation: the plain path of every money value. Returns the ISO code, undefined (unknown),
 * or CONFLICT; records in `out` which source decided and the token of a fallback.
 */
export function settleCodes(
  a: string | undefined,
  b: string | undefined,
  c: string | undefined,
  base: string | undefined,
  out: Settlement,
): string | undefined {
  out.from = -1;
  out.fallback = undefined;
  let code: string | undefined;
  let token: string | undefined;
  let tokenFrom = -1;
  for (let k = 0; k < 3; k++) {
    const x = k === 0 ? a : k === 1 ? b : c;
    if (x === undefined) continue;
    if (currencyFamily(x) === undefined) {
      if (code === undefined) {
        code = x;
        out.from = k;
      } else if (x !== code) return CONFLICT;
    } else if (token === undefined) {
      token = x;
      tokenFrom = k;
    } else if (token !== x) return CONFLICT;
  }
  if (code !== undefined) {
    if (token !== undefined && !currencyFamily(token)!.members.includes(code)) return CONFLICT;
    return code;
  }
  if (token === undefined) return undefined;
  const family = currencyFamily(token)!;
  out.from = tokenFrom;
  if (base !== undefined && family.members.includes(base)) return base;
  if (family.fallback === undefined) {
    out.from = -1;
    return undefined;
  }
  out.fallback = token;
  return family.fallback;
}

/** The conversion of one file's money: rates, the currencies seen, the notes to say. */
export class CurrencyBook {
  private readonly rates: Map<string, number> | undefined;
  readonly base: string | undefined;
  /** Currency -> rows seen and the first line, for the mixed-currency error. */
  private readonly seen = new Map<string, { rows: number; firstLine: number; lastLine: number }>();
  private fallbackFirst: { line: number; column: string; code: string; token: string } | undefined;
  private fallbackCount = 0;
  private lastCode: string | undefined;
  private lastEntry: { rows: number; firstLine: number; lastLine: number } | undefined;
  private lastRate: number | undefined;

  constructor(settings: CurrencySettings | undefined) {
    if (settings === undefined) return;
    this.base = settings.base.toUpperCase();
    this.rates = new Map(Object.entries(settings.rates).map(([k, v]) => [k.toUpperCase(), v]));
    this.rates.set(this.base, 1);
  }

  get hasRates(): boolean {
    return this.rates !== undefined;
  }

  /**
   * The factor to base of a value in `currency` at `line` (1 when no rates are configured, or
   * the currency is unknown: a value with no currency is in the base), or a no-rate message.
   */
  factor(currency: ValueCurrency & { ok: true }, line: number): number | string {
    return this.factorOf(currency.code, currency.column, currency.fallback, line);
  }

  /** `factor` with the parts as arguments: `fallback` is the family token a fallback came from. */
  factorOf(code: string | undefined, column: string | undefined, fallback: string | undefined, line: number): number | string {
    if (code === undefined) return 1;
    if (fallback !== undefined) {
      this.fallbackCount++;
      this.fallbackFirst ??= { line, column: column ?? '', code, token: fallback };
    }
    // Most values are in the currency of the value before: skip the map lookups.
    if (code !== this.lastCode) {
      let s = this.seen.get(code);
      if (s === undefined) {
        s = { rows: 0, firstLine: line, lastLine: -1 };
        this.seen.set(code, s);
      }
      this.lastCode = code;
      this.lastEntry = s;
      this.lastRate = this.rates?.get(code);
    }
    const s = this.lastEntry!;
    if (s.lastLine !== line) {
      s.rows++;
      s.lastLine = line;
    }
    if (this.rates === undefined) return 1;
    const rate = this.lastRate;
    return rate === undefined ? `no exchange rate for ${code} (config currency.rates)` : rate;
  }

  /** The currencies values were in, most rows first (then the first seen). */
  currencies(): string[] {
    return [...this.seen.entries()].sort((a, b) => b[1].rows - a[1].rows || a[1].firstLine - b[1].firstLine).map(([c]) => c);
  }

  /**
   * With no rates configured, amounts in more than one currency cannot be scored: one error
   * (exit 1) listing them and the config to add.
   */
  assertComparable(source: string): void {
    if (this.rates !== undefined || this.seen.size < 2) return;
    const codes = this.currencies();
    const listed = codes.map((c) => {
      const s = this.seen.get(c)!;
      return `${c} (${s.rows} row${s.rows === 1 ? '' : 's'}, first at line ${s.firstLine})`;
    });
    const base = codes[0]!;
    const rates = codes
      .slice(1)
      .map((c) => `"${c}": <${base} per 1 ${c}>`)
      .join(', ');
    throw new InputError(
      `${source}: the amounts are in ${codes.length} currencies: ${listed.join(', ')}; kam does not compare them without exchange rates: ` +
        `add to kam.config.json "currency": { "base": "${base}", "rates": { ${rates} } }`,
    );
  }

  /** Notes for stderr: a bare '$' read as USD when that changed a conversion. */
  noteCodes(): SchemaNote[] {
    const f = this.fallbackFirst;
    if (f === undefined || this.rates === undefined) return [];
    return [
      { code: 'bare_symbol_read_as', column: f.column, token: f.token, currency: f.code, base: this.base, values: this.fallbackCount, firstLine: f.line },
    ];
  }

  /** The notes in words. */
  notes(): string[] {
    return this.noteCodes().map(noteText);
  }
}
