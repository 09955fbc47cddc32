/**
 * Header meaning: CRM preset detection and column -> field mapping. Each header is read into
 * words and annotations (./header-words.ts), its words are matched against the vocabulary
 * (./vocabulary.ts) unless the preset knows the header better, and when several columns
 * claim one field the strongest claim wins, visibly. Pure: takes the header row as strings,
 * returns which column feeds which canonical field and why, or throws a KamError the user
 * can act on.
 */
import { InputError, UsageError } from '../errors.ts';
import { ALL_FIELDS, FIELDS_BY_KIND, type Field, type TableKind } from './fields.ts';
import { detectPreset, FOREIGN_KEY_SUFFIX, foldHeader, headerForms, normaliseHeader, readHeaderWords, type HeaderForms } from './header-forms.ts';
import { PRESETS, type PresetName } from './presets.ts';
import { matchWords, type NearReason } from './vocabulary.ts';

export { detectPreset, normaliseHeader, readHeaderWords } from './header-forms.ts';

/**
 * What a header's annotations say about its values (SCORING.md §1: "header annotations are
 * part of the data"): '(%)' makes bare numbers percents, '(k)' scales money, '(€)' sets the
 * currency, '(1-5)' a rating scale, '(H/M/L)' rating words, 'LTM' / 'Total' a period.
 * The mapper fills it; validation applies it. Empty when the header carries none.
 */
export interface ColumnAnnotations {
  /** Bare numbers in the column are percents ('(%)', '%', 'in %'): 35 is 35%, 0.9 is 0.9%. */
  readonly percent?: true | undefined;
  /** Money values are multiplied by this ('(k)', '(€k)', 'in thousands' 1e3; '(m)', '(Mio.)' 1e6). */
  readonly scale?: number | undefined;
  /** ISO 4217 code of the column's money values ('(€)', '($)', '(USD)', 'in EUR'). */
  readonly currency?: string | undefined;
  /** Rating scale given by the header ('(1-5)', '(1–10)', '(0-100)'). */
  readonly ratingScale?: { readonly min: number; readonly max: number } | undefined;
  /** Rating words given by the header ('(H/M/L)'): lower-case word -> 0..100. */
  readonly ratingWords?: Readonly<Record<string, number>> | undefined;
  /** Period words: '12m' (LTM, TTM, 12M, last 12 months, a year) or 'lifetime' (Total, all time). */
  readonly period?: '12m' | 'lifetime' | undefined;
}

/** How a column's field was decided: a CRM preset's exception, the header's words, the config, --map. */
type MappingVia = 'preset' | 'words' | 'config' | 'map' | 'ignored' | 'unmapped';

/** What one input column feeds, and which rule decided it. */
export interface ColumnAssignment {
  /** 0-based column index. */
  readonly index: number;
  /** The header as written in the file. */
  readonly header: string;
  readonly field: Field | undefined;
  readonly via: MappingVia;
  /** What the header's annotations (or the config / --map entry) say about the values. */
  readonly annotations: ColumnAnnotations;
  /**
   * A column that looks like a model input it does not feed: the field it looks like, and why
   * ('Total Revenue' is lifetime, so not revenue; a mapped 'Annual Revenue' is the company's
   * own size, never revenue).
   */
  readonly near?: { readonly field: Field; readonly reason: NearReason } | undefined;
  /**
   * A column that claimed a field another column won: the field, the winner's 0-based index,
   * and whether its claim was weak (a word that often means something else: 'Account Number').
   */
  readonly lostTo?: { readonly field: Field; readonly index: number; readonly weak: boolean } | undefined;
  /** Columns that claimed this column's field and lost to it (0-based indexes). */
  readonly beat?: readonly number[] | undefined;
  /** This column holds the currency of another column's money ('Annual Revenue Currency'): its 0-based index. */
  readonly currencyOf?: number | undefined;
}

/** The mapping of one file's columns onto canonical fields. */
export interface ColumnMapping {
  readonly kind: TableKind;
  readonly preset: PresetName;
  readonly presetSource: 'detected' | 'option';
  /** One per header, in order. */
  readonly columns: readonly ColumnAssignment[];
  /** field -> 0-based column index. */
  readonly fieldIndex: Readonly<Partial<Record<Field, number>>>;
  /**
   * Money field -> 0-based index of its own currency column, as Salesforce reports write
   * them beside each amount ('Annual Revenue' and 'Annual Revenue Currency').
   */
  readonly currencyColumns: Readonly<Partial<Record<Field, number>>>;
  /** Config `columns` entries naming a header this file does not have (a warning: one config serves several exports). */
  readonly missingConfigColumns: readonly string[];
}

/** A user's explicit column choice, from the config's `columns` or a `--map` flag. */
export interface ColumnOverride {
  readonly header: string;
  readonly field: Field | 'ignore';
  readonly via: 'config' | 'map';
  /** Units, scale, currency... for the column; replaces what the header's own annotations say, key by key. */
  readonly annotations?: ColumnAnnotations | undefined;
}

/** Options of `mapColumns`. */
export interface MappingOptions {
  readonly preset?: PresetName | undefined;
  /** header (as written or normalised) -> field, from config `columns` and repeatable --map "Header=field"; --map wins over config; value may also be 'ignore' */
  readonly overrides?: ReadonlyArray<ColumnOverride> | undefined;
  /** Headers of the config's flag columns: they feed strategic bonuses, so no field claims them. */
  readonly flagHeaders?: readonly string[] | undefined;
}

/** Claim strengths of the user's own choices, above any automatic claim (presets 1-3, words 1-4). */
const STRENGTH = { map: 100, config: 90 } as const;

interface Claim {
  readonly field: Field | undefined;
  readonly via: MappingVia;
  /** Higher wins; only equal claims on one field are ambiguous. */
  readonly strength: number;
  readonly annotations: ColumnAnnotations;
  readonly near?: ColumnAssignment['near'];
}

const SOURCE_LABEL: Readonly<Record<ColumnOverride['via'], string>> = { map: '--map', config: 'config columns' };
const MAX_LISTED_COLUMNS = 25;

function listColumns(header: readonly string[]): string {
  const shown = header.slice(0, MAX_LISTED_COLUMNS).join(', ');
  return header.length > MAX_LISTED_COLUMNS ? `${shown}, ... (${header.length} in all)` : shown;
}

/** Optimal-string-alignment distance: a transposed pair ('Spned') counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The closest candidate to `wanted` (compared normalised), when it is close enough to be a typo. */
function nearMiss(wanted: string, candidates: readonly string[], normalise: (s: string) => string): string | undefined {
  const w = normalise(wanted);
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(w.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(w, normalise(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** The column an override names: the header as written first, then its normalised form; -1 when a config entry names none. */
function findColumn(header: readonly string[], name: string, source: string, optional = false): number {
  const exact = header.flatMap((h, i) => (h === name || h.trim() === name.trim() ? [i] : []));
  if (exact.length === 1 && exact[0] !== undefined) return exact[0];
  const wanted = normaliseHeader(name);
  const matches = exact.length > 1 ? exact : header.flatMap((h, i) => (normaliseHeader(h) === wanted ? [i] : []));
  if (matches.length === 1 && matches[0] !== undefined) return matches[0];
  if (matches.length > 1) {
    const which = matches.map((i) => `'${header[i]}' (${i + 1})`).join(', ');
    throw new UsageError(`${source}: '${name}' matches several columns: ${which}; give the header exactly as written`);
  }
  if (optional) return -1;
  const suggestion = nearMiss(name, header, normaliseHeader);
  const hint = suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
  throw new UsageError(`${source}: no column '${name}' in the file (columns: ${listColumns(header)})${hint}`);
}

/** The best claim of one column that no override touched. */
function automaticClaim(header: string, forms: HeaderForms, kind: TableKind, preset: PresetName): Claim {
  const reading = readHeaderWords(forms.meaning);
  const annotations = reading.annotations;
  const p = PRESETS[preset];
  if (p.ignore.some((re) => re.test(forms.folded))) return { field: undefined, via: 'ignored', strength: 0, annotations };
  // kam's own output columns (an enriched CSV read back) are kam's, never an input's.
  if (/^kam_/i.test(header.trim())) return { field: undefined, via: 'unmapped', strength: 0, annotations: {} };
  // Dolibarr 'Effectif (s.fk_effectif)': a key into a dictionary of ranges, not the value itself.
  if (FOREIGN_KEY_SUFFIX.test(forms.folded)) return { field: undefined, via: 'unmapped', strength: 0, annotations };
  const exceptions: Readonly<Record<string, { field: Field | null; strength: number }>> = p[kind];
  for (const key of forms.keys) {
    if (!Object.hasOwn(exceptions, key)) continue;
    const e = exceptions[key]!;
    if (e.field === null) return { field: undefined, via: 'unmapped', strength: 0, annotations };
    const trap = e.field === 'company_revenue' ? { near: { field: 'revenue' as const, reason: 'company_size' as const } } : {};
    return { field: e.field, via: 'preset', strength: e.strength, annotations, ...trap };
  }
  const m = matchWords(header, reading, kind, FIELDS_BY_KIND[kind]);
  if (m.field === undefined) return { field: undefined, via: 'unmapped', strength: 0, annotations, near: m.near };
  return { field: m.field, via: 'words', strength: m.strength, annotations, near: m.near };
}

const CURRENCY_WORDS = new Set(['currency', 'wahrung', 'devise', 'moneda', 'divisa', 'moeda', 'valuta', 'currency code', 'currency iso code', 'iso code']);

/**
 * Salesforce reports write a currency column beside each amount: 'Annual Revenue' and
 * 'Annual Revenue Currency', 'Revenue (Last 12 Months)' and 'Revenue (Last 12 Months)
 * Currency'. A header that is another header plus a currency word is that column's currency.
 */
function currencyPairs(header: readonly string[]): Map<number, number> {
  const byFolded = new Map<string, number>();
  header.forEach((h, i) => byFolded.set(foldHeader(h), i));
  const pairs = new Map<number, number>();
  header.forEach((h, i) => {
    const f = foldHeader(h);
    for (const word of CURRENCY_WORDS) {
      for (const form of [` ${word}`, ` (${word})`, ` - ${word}`, `: ${word}`]) {
        if (!f.endsWith(form)) continue;
        const money = byFolded.get(f.slice(0, -form.length).trim());
        if (money !== undefined && money !== i) pairs.set(i, money);
      }
    }
  });
  return pairs;
}

/**
 * Maps each column to at most one canonical field. Per column: --map, else config, else the
 * preset's exception for that header, else the vocabulary's reading of its words. When
 * several columns claim one field, the strongest claim wins (--map, config, kam's own name,
 * an explicit period such as 'Revenue LTM', an ordinary reading, a weak one such as a bare
 * 'Customer') and the others record what they lost to; equal claims throw (InputError for
 * automatic rules, UsageError for the user's own overrides).
 */
export function mapColumns(header: readonly string[], kind: TableKind, options: MappingOptions = {}): ColumnMapping {
  const preset = options.preset ?? detectPreset(header, kind);
  const presetSource = options.preset === undefined ? 'detected' : 'option';
  const valid: readonly Field[] = FIELDS_BY_KIND[kind];
  const { overridden, missingConfigColumns } = overrideClaims(header, kind, valid, options.overrides ?? []);
  const pairs = currencyPairs(header);
  const flags = new Set((options.flagHeaders ?? []).map(normaliseHeader));
  const claims: Claim[] = header.map((h, i) => {
    const given = overridden.get(i);
    if (given !== undefined) return given;
    if (flags.has(normaliseHeader(h))) return { field: undefined, via: 'unmapped', strength: 0, annotations: {} };
    const claim = automaticClaim(h, headerForms(h, kind), kind, preset);
    // A money column's own currency column is not the row's currency.
    return pairs.has(i) && claim.via !== 'ignored' ? { field: undefined, via: 'unmapped', strength: 0, annotations: claim.annotations } : claim;
  });
  const { winners, losers } = settleClaims(header, claims, valid);
  const fieldIndex: Partial<Record<Field, number>> = {};
  const columns = header.map((h, index): ColumnAssignment => {
    const claim = claims[index]!;
    const currencyOf = pairs.get(index);
    const base = {
      index,
      header: h,
      annotations: claim.annotations,
      ...(currencyOf !== undefined && claim.via !== 'ignored' && !overridden.has(index) ? { currencyOf } : {}),
    };
    if (claim.field !== undefined && winners.get(claim.field) === index) {
      fieldIndex[claim.field] = index;
      const beat = [...losers.entries()].filter(([, l]) => l.index === index).map(([i]) => i);
      return { ...base, field: claim.field, via: claim.via, ...(beat.length ? { beat } : {}), ...(claim.near !== undefined ? { near: claim.near } : {}) };
    }
    const lost = losers.get(index);
    return {
      ...base,
      field: undefined,
      via: claim.via === 'ignored' ? 'ignored' : 'unmapped',
      ...(lost !== undefined ? { lostTo: lost } : {}),
      ...(claim.near !== undefined && lost === undefined ? { near: claim.near } : {}),
    };
  });
  const currencyColumns: Partial<Record<Field, number>> = {};
  for (const c of columns) {
    if (c.currencyOf === undefined) continue;
    const moneyField = columns[c.currencyOf]?.field;
    if (moneyField !== undefined) currencyColumns[moneyField] = c.index;
  }
  return { kind, preset, presetSource, columns, fieldIndex, currencyColumns, missingConfigColumns };
}

/** The claims of --map and config columns by column (config first, then --map, so --map replaces config; later flags replace earlier ones). */
function overrideClaims(
  header: readonly string[],
  kind: TableKind,
  valid: readonly Field[],
  given: readonly ColumnOverride[],
): { overridden: Map<number, Claim>; missingConfigColumns: string[] } {
  const overridden = new Map<number, Claim>();
  const missingConfigColumns: string[] = [];
  const overrides = [...given].sort((a, b) => STRENGTH[a.via] - STRENGTH[b.via]);
  for (const o of overrides) {
    const source = SOURCE_LABEL[o.via];
    if (o.field !== 'ignore' && !valid.includes(o.field)) {
      throw new UsageError(`${source}: '${o.field}' is not a field of ${kind} files (fields: ${valid.join(', ')}, ignore)`);
    }
    const index = findColumn(header, o.header, source, o.via === 'config');
    if (index < 0) {
      missingConfigColumns.push(o.header);
      continue;
    }
    const own = readHeaderWords(headerForms(header[index]!, kind).meaning).annotations;
    const annotations = { ...own, ...(o.annotations ?? {}) };
    overridden.set(
      index,
      o.field === 'ignore'
        ? { field: undefined, via: 'ignored', strength: STRENGTH[o.via], annotations }
        : { field: o.field, via: o.via, strength: STRENGTH[o.via], annotations },
    );
  }
  return { overridden, missingConfigColumns };
}

/** The winning column of each field (strongest claim) and what the others lost to; equal claims throw. */
function settleClaims(
  header: readonly string[],
  claims: readonly Claim[],
  valid: readonly Field[],
): { winners: Map<Field, number>; losers: Map<number, { field: Field; index: number; weak: boolean }> } {
  const winners = new Map<Field, number>();
  const losers = new Map<number, { field: Field; index: number; weak: boolean }>();
  for (const field of valid) {
    const claimants = claims.flatMap((c, i) => (c.field === field ? [i] : []));
    if (claimants.length === 0) continue;
    const best = Math.max(...claimants.map((i) => claims[i]!.strength));
    const top = claimants.filter((i) => claims[i]!.strength === best);
    const [first, second] = top;
    if (first === undefined) continue;
    if (second !== undefined) {
      const both = `columns '${header[first]}' (${first + 1}) and '${header[second]}' (${second + 1}) both map to ${field}`;
      const via = claims[first]!.via;
      if (via === 'map' || via === 'config') throw new UsageError(`${SOURCE_LABEL[via]}: ${both}`);
      const ignore = (i: number): string => {
        const spec = `${header[i]!.trim()}=ignore`;
        return spec.includes('"') ? `--map '${spec.replaceAll("'", "'\\''")}'` : `--map "${spec}"`;
      };
      throw new InputError(`${both}: keep one with ${ignore(second)} or ${ignore(first)}`);
    }
    winners.set(field, first);
    for (const i of claimants) if (i !== first) losers.set(i, { field, index: first, weak: claims[i]!.strength <= 1 });
  }
  return { winners, losers };
}

/** A column that looks like a model input but feeds nothing: a near miss, or the loser of a claim. */
export interface UnusedColumn {
  /** 0-based column index. */
  readonly index: number;
  readonly field: Field;
  /** Why it feeds nothing; 'lost' when another column won the field. */
  readonly reason: NearReason | 'lost';
  /** The winner's 0-based index, for 'lost'. */
  readonly winner?: number | undefined;
  /** For 'lost': the claim was weak, a guess a stronger column beat ('Account Number' beside Zoho's 'Record Id'). */
  readonly weak?: boolean | undefined;
}

/** The columns that look like one of `inputs` but feed nothing, in column order. */
export function unusedColumns(mapping: ColumnMapping, inputs: ReadonlySet<Field>): UnusedColumn[] {
  const out: UnusedColumn[] = [];
  for (const c of mapping.columns) {
    if (c.via === 'ignored') continue;
    if (c.field !== undefined) {
      // 'Annual Revenue' feeds company_revenue; with no revenue column, say so (the article's trap).
      if (c.near !== undefined && inputs.has(c.near.field) && mapping.fieldIndex[c.near.field] === undefined)
        out.push({ index: c.index, field: c.near.field, reason: c.near.reason });
      continue;
    }
    if (c.lostTo !== undefined && inputs.has(c.lostTo.field))
      out.push({ index: c.index, field: c.lostTo.field, reason: 'lost', winner: c.lostTo.index, weak: c.lostTo.weak });
    // A near miss is named even when another column feeds its field: 'Total Revenue' beside
    // 'Revenue (Last 12 Months)' is a column the run does not use.
    else if (c.near !== undefined && inputs.has(c.near.field))
      out.push({ index: c.index, field: c.near.field, reason: c.near.reason, winner: mapping.fieldIndex[c.near.field] });
  }
  return out;
}

/**
 * Parses one `--map "Header=field"` value, split at the last '=' so headers may contain '='.
 * The field is a canonical field name (any case; spaces allowed for underscores) or 'ignore'.
 */
export function parseMapOption(spec: string): { header: string; field: Field | 'ignore' } {
  const at = spec.lastIndexOf('=');
  const header = at < 0 ? '' : spec.slice(0, at).trim();
  const fieldText =
    at < 0
      ? ''
      : spec
          .slice(at + 1)
          .trim()
          .toLowerCase()
          .replace(/[\s-]+/g, '_');
  if (header === '' || fieldText === '') {
    throw new UsageError(`--map "${spec}": expected "Header=field", e.g. --map "Annual Revenue=company_revenue"`);
  }
  if (fieldText === 'ignore') return { header, field: 'ignore' };
  const field = ALL_FIELDS.find((f) => f === fieldText);
  if (field !== undefined) return { header, field };
  const suggestion = nearMiss(fieldText, ALL_FIELDS, (s) => s);
  const hint = suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
  throw new UsageError(`--map "${spec}": unknown field '${fieldText}' (fields: ${ALL_FIELDS.join(', ')}, ignore)${hint}`);
}
