/**
 * Header normalisation, CRM preset detection and column -> field mapping. Pure: takes the
 * header row as strings, returns which column feeds which canonical field, or throws a
 * KamError the user can act on.
 */
import { InputError, UsageError } from '../errors.ts';
import { ACCOUNT_FIELDS, DEAL_FIELDS, FIELDS_BY_KIND, type Field, type TableKind } from './fields.ts';
import {
  CANONICAL_HEADERS,
  COMMON_ALIASES,
  FALLBACK_ALIASES,
  PRESETS,
  PRESET_NAMES,
  type PresetName,
} from './presets.ts';

/**
 * Entities that prefix Pipedrive-style headers ('Organization - Name', 'Deal - Value'),
 * including the localized names Pipedrive writes in other UI languages.
 */
const ENTITIES: ReadonlySet<string> = new Set([
  'organization', 'organisation', 'organizace', 'organización', 'organização', 'organizzazione', 'organisatie',
  'account', 'company', 'deal', 'opportunity', 'affaire', 'obchod', 'trato', 'person', 'personne', 'osoba',
  'persona', 'contact', 'lead', 'product', 'activity', 'note',
]);

/** The entities a table is about: 'Person - Name' in an accounts file is not the account's name. */
const OWN_ENTITIES: Readonly<Record<TableKind, ReadonlySet<string>>> = {
  accounts: new Set([
    'organization', 'organisation', 'organizace', 'organización', 'organização', 'organizzazione', 'organisatie',
    'account', 'company',
  ]),
  deals: new Set(['deal', 'opportunity', 'affaire', 'obchod', 'trato']),
};

const ENTITY_PREFIX = /^(.+?) - (.+)$/;
/** Dolibarr-style technical suffix: 'Name* (s.name)', 'CustomerCode (s.code_client)'. */
const TECHNICAL_SUFFIX = /^(.*?)\s*\([a-z][a-z0-9]*\.[a-z0-9][a-z0-9 ]*\)$/;

/** Trim, NFC, spaces and underscores folded to one space, lower case, no trailing '*'; keeps any entity prefix. */
function foldHeader(header: string): string {
  return header
    .normalize('NFC')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\s_]+/g, ' ') // \s covers NBSP (U+00A0) and narrow NBSP (U+202F)
    .trim()
    .toLowerCase()
    .replace(/\s*\*+$/, '');
}

function splitEntity(folded: string): { entity: string | undefined; name: string } {
  const m = ENTITY_PREFIX.exec(folded);
  if (m?.[1] !== undefined && m[2] !== undefined && ENTITIES.has(m[1])) return { entity: m[1], name: m[2] };
  return { entity: undefined, name: folded };
}

/**
 * Canonical form of a header for matching: trimmed, NFC, NBSP and narrow NBSP as spaces,
 * lower case, no trailing '*', no leading 'Entity - ' prefix ('Organization - Name*' ->
 * 'name'), runs of whitespace and underscores as one space ('Account_Name' -> 'account name').
 * Camel case is not split: 'AnnualRevenue' -> 'annualrevenue'.
 */
export function normaliseHeader(header: string): string {
  return splitEntity(foldHeader(header)).name;
}

interface HeaderForms {
  /** Lookup keys for the field tables, most specific first. */
  readonly keys: readonly string[];
  /** Forms matched against preset markers. */
  readonly markerForms: readonly string[];
  /** The folded header with any entity prefix kept, for ignore patterns. */
  readonly folded: string;
}

function headerForms(header: string, kind: TableKind): HeaderForms {
  const folded = foldHeader(header);
  const { entity, name } = splitEntity(folded);
  const keys: string[] = [];
  if (entity !== undefined) keys.push(folded);
  if (entity === undefined || OWN_ENTITIES[kind].has(entity)) {
    keys.push(name);
    const label = TECHNICAL_SUFFIX.exec(name)?.[1];
    if (label !== undefined && label !== '') keys.push(foldHeader(label));
  }
  const rawLower = header.normalize('NFC').trim().toLowerCase();
  return { keys: [...new Set(keys)], markerForms: [...new Set([rawLower, folded, name])], folded };
}

function markerHit(forms: HeaderForms, marker: string): boolean {
  if (marker.endsWith('*')) {
    const prefix = marker.slice(0, -1);
    return forms.markerForms.some((f) => f.startsWith(prefix));
  }
  return forms.markerForms.includes(marker);
}

/** A CRM preset needs this many marker hits before it is chosen over generic. */
const MIN_MARKER_HITS = 2;

/**
 * Guesses which CRM exported the file: counts the columns that hit each preset's markers.
 * A CRM needs at least two hits and more than the generic (snake_case) markers; otherwise,
 * and when nothing hits, generic. Ties between CRMs go to the earlier one in PRESET_NAMES.
 */
export function detectPreset(header: readonly string[], kind: TableKind): PresetName {
  const forms = header.map((h) => headerForms(h, kind));
  const hits = (name: PresetName): number =>
    forms.filter((f) => PRESETS[name].markers.some((m) => markerHit(f, m))).length;
  const genericHits = hits('generic');
  let best: PresetName = 'generic';
  let bestHits = 0;
  for (const name of PRESET_NAMES) {
    if (name === 'generic') continue;
    const n = hits(name);
    if (n > bestHits) {
      best = name;
      bestHits = n;
    }
  }
  // Generic wins a tie: a file that speaks kam's own names as much as a CRM's is kam-shaped,
  // and a wrong CRM preset can remap a column (Dynamics reads 'revenue' as company revenue).
  return bestHits >= MIN_MARKER_HITS && bestHits > genericHits ? best : 'generic';
}

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

/** What one input column feeds, and which rule decided it. */
export interface ColumnAssignment {
  /** 0-based column index. */
  readonly index: number;
  /** The header as written in the file. */
  readonly header: string;
  readonly field: Field | undefined;
  readonly via: 'preset' | 'alias' | 'config' | 'map' | 'ignored' | 'unmapped';
  /** What the header's annotations (or the config / --map entry) say about the values. */
  readonly annotations: ColumnAnnotations;
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
}

/** A user's explicit column choice, from the config's `columns` or a `--map` flag. */
export interface ColumnOverride {
  readonly header: string;
  readonly field: Field | 'ignore';
  readonly via: 'config' | 'map';
}

/** Options of `mapColumns`. */
export interface MappingOptions {
  readonly preset?: PresetName | undefined;
  /** header (as written or normalised) -> field, from config `columns` and repeatable --map "Header=field"; --map wins over config; value may also be 'ignore' */
  readonly overrides?: ReadonlyArray<ColumnOverride> | undefined;
}

/** Rule ranks: lower wins. Only same-rank claims on one field are ambiguous. */
const RANK = { map: 0, config: 1, preset: 2, alias: 3, canonical: 4, fallback: 5 } as const;

interface Claim {
  readonly field: Field | undefined;
  readonly via: ColumnAssignment['via'];
  readonly rank: number;
}

const SOURCE_LABEL: Readonly<Record<ColumnOverride['via'], string>> = { map: '--map', config: 'config columns' };
const MAX_LISTED_COLUMNS = 25;

function listColumns(header: readonly string[]): string {
  const shown = header.slice(0, MAX_LISTED_COLUMNS).join(', ');
  return header.length > MAX_LISTED_COLUMNS ? `${shown}, ... (${header.length} in all)` : shown;
}

/** Optimal-string-alignment distance: a transposed pair ('Spned') counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
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

/** The column an override names: the header as written first, then its normalised form. */
function findColumn(header: readonly string[], name: string, source: string): number {
  const exact = header.flatMap((h, i) => (h === name || h.trim() === name.trim() ? [i] : []));
  if (exact.length === 1 && exact[0] !== undefined) return exact[0];
  const wanted = normaliseHeader(name);
  const matches = exact.length > 1 ? exact : header.flatMap((h, i) => (normaliseHeader(h) === wanted ? [i] : []));
  if (matches.length === 1 && matches[0] !== undefined) return matches[0];
  if (matches.length > 1) {
    const which = matches.map((i) => `'${header[i]}' (${i + 1})`).join(', ');
    throw new UsageError(`${source}: '${name}' matches several columns: ${which}; give the header exactly as written`);
  }
  const suggestion = nearMiss(name, header, normaliseHeader);
  const hint = suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
  throw new UsageError(`${source}: no column '${name}' in the file (columns: ${listColumns(header)})${hint}`);
}

function lookup<F extends string>(table: Readonly<Record<string, F>>, keys: readonly string[]): F | undefined {
  for (const key of keys) if (Object.hasOwn(table, key)) return table[key];
  return undefined;
}

/** The best claim of one column that no override touched. */
function automaticClaim(forms: HeaderForms, kind: TableKind, preset: PresetName): Claim {
  const p = PRESETS[preset];
  if (p.ignore.some((re) => re.test(forms.folded))) return { field: undefined, via: 'ignored', rank: RANK.preset };
  const tiers = [
    { table: p[kind], via: 'preset', rank: RANK.preset },
    { table: COMMON_ALIASES[kind], via: 'alias', rank: RANK.alias },
    { table: CANONICAL_HEADERS[kind], via: 'alias', rank: RANK.canonical },
    { table: FALLBACK_ALIASES[kind], via: 'alias', rank: RANK.fallback },
  ] as const;
  for (const tier of tiers) {
    const field = lookup<Field>(tier.table, forms.keys);
    if (field !== undefined) return { field, via: tier.via, rank: tier.rank };
  }
  return { field: undefined, via: 'unmapped', rank: Number.POSITIVE_INFINITY };
}

/**
 * Maps each column to at most one canonical field. Precedence per column: --map, config,
 * preset, common aliases, kam's own snake_case names, fallback aliases. When several columns
 * claim one field, the most specific rule wins and the others stay unmapped; a tie at the
 * same rank throws (InputError for automatic rules, UsageError for the user's own overrides).
 */
export function mapColumns(header: readonly string[], kind: TableKind, options: MappingOptions = {}): ColumnMapping {
  const preset = options.preset ?? detectPreset(header, kind);
  const presetSource = options.preset === undefined ? 'detected' : 'option';
  const valid: readonly Field[] = FIELDS_BY_KIND[kind];

  const overridden = new Map<number, Claim>();
  // config first, then --map, so --map replaces config on the same column; later flags replace earlier ones.
  const overrides = [...(options.overrides ?? [])].sort((a, b) => RANK[b.via] - RANK[a.via]);
  for (const o of overrides) {
    const source = SOURCE_LABEL[o.via];
    if (o.field !== 'ignore' && !valid.includes(o.field)) {
      throw new UsageError(`${source}: '${o.field}' is not a field of ${kind} files (fields: ${valid.join(', ')}, ignore)`);
    }
    const index = findColumn(header, o.header, source);
    overridden.set(
      index,
      o.field === 'ignore'
        ? { field: undefined, via: 'ignored', rank: RANK[o.via] }
        : { field: o.field, via: o.via, rank: RANK[o.via] },
    );
  }

  const claims: Claim[] = header.map(
    (h, i) => overridden.get(i) ?? automaticClaim(headerForms(h, kind), kind, preset),
  );

  const winners = new Map<Field, number>();
  for (const field of valid) {
    const claimants = claims.flatMap((c, i) => (c.field === field ? [i] : []));
    const bestRank = Math.min(...claimants.map((i) => claims[i]?.rank ?? Number.POSITIVE_INFINITY));
    const best = claimants.filter((i) => claims[i]?.rank === bestRank);
    const [first, second] = best;
    if (first === undefined) continue;
    if (second !== undefined) {
      const both = `columns '${header[first]}' (${first + 1}) and '${header[second]}' (${second + 1}) both map to ${field}`;
      const via = claims[first]?.via;
      if (via === 'map' || via === 'config') throw new UsageError(`${SOURCE_LABEL[via]}: ${both}`);
      throw new InputError(`${both}: use --map "Header=ignore" or --map to choose`);
    }
    winners.set(field, first);
  }

  const fieldIndex: Partial<Record<Field, number>> = {};
  const columns = header.map((h, index): ColumnAssignment => {
    const claim = claims[index];
    if (claim?.field !== undefined && winners.get(claim.field) === index) {
      fieldIndex[claim.field] = index;
      return { index, header: h, field: claim.field, via: claim.via, annotations: {} };
    }
    return { index, header: h, field: undefined, via: claim?.via === 'ignored' ? 'ignored' : 'unmapped', annotations: {} };
  });
  return { kind, preset, presetSource, columns, fieldIndex, currencyColumns: {} };
}

const ALL_FIELDS: readonly Field[] = [...new Set<Field>([...ACCOUNT_FIELDS, ...DEAL_FIELDS])];

/**
 * Parses one `--map "Header=field"` value, split at the last '=' so headers may contain '='.
 * The field is a canonical field name (any case; spaces allowed for underscores) or 'ignore'.
 */
export function parseMapOption(spec: string): { header: string; field: Field | 'ignore' } {
  const at = spec.lastIndexOf('=');
  const header = at < 0 ? '' : spec.slice(0, at).trim();
  const fieldText = at < 0 ? '' : spec.slice(at + 1).trim().toLowerCase().replace(/[\s-]+/g, '_');
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
