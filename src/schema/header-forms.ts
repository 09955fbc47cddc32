/**
 * The forms of one header that matching uses: folded (case, accents, punctuation), with its
 * entity prefix ('Organization - Name') split off or kept, and the CRM preset its header row
 * points to. Pure; mapping.ts builds the column mapping on these.
 */
import type { TableKind } from './fields.ts';
import { readHeader, type HeaderReading } from './header-words.ts';
import { PRESETS, PRESET_NAMES, type PresetName } from './presets.ts';
import { isVocabularyWord, segmentWord } from './vocabulary-words.ts';

/**
 * Entities that prefix Pipedrive-style headers ('Organization - Name', 'Deal - Value'),
 * including the localized names Pipedrive writes in other UI languages.
 */
const ENTITIES: ReadonlySet<string> = new Set([
  'organization',
  'organisation',
  'organizace',
  'organización',
  'organização',
  'organizzazione',
  'organisatie',
  'account',
  'company',
  'deal',
  'opportunity',
  'affaire',
  'obchod',
  'trato',
  'person',
  'personne',
  'osoba',
  'persona',
  'contact',
  'lead',
  'product',
  'activity',
  'note',
]);

/** The entities a table is about: 'Person - Name' in an accounts file is not the account's name. */
const OWN_ENTITIES: Readonly<Record<TableKind, ReadonlySet<string>>> = {
  accounts: new Set(['organization', 'organisation', 'organizace', 'organización', 'organização', 'organizzazione', 'organisatie', 'account', 'company']),
  deals: new Set(['deal', 'opportunity', 'affaire', 'obchod', 'trato']),
};

const ENTITY_PREFIX = /^(.+?) - (.+)$/;
/** Dolibarr-style technical suffix: 'Name* (s.name)', 'CustomerCode (s.code_client)'. */
const TECHNICAL_SUFFIX = /^(.*?)\s*\([a-z][a-z0-9]*\.[a-z0-9][a-z0-9 ]*\)$/;
export const FOREIGN_KEY_SUFFIX = /\([a-z][a-z0-9]*\.fk [a-z0-9 ]*\)$/;

/** Trim, NFC, spaces and underscores folded to one space, lower case, no trailing '*'; keeps any entity prefix. */
export function foldHeader(header: string): string {
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

export interface HeaderForms {
  /** Lookup keys for the preset exceptions, most specific first. */
  readonly keys: readonly string[];
  /** Forms matched against preset markers. */
  readonly markerForms: readonly string[];
  /** The folded header with any entity prefix kept, for ignore patterns. */
  readonly folded: string;
  /** The text whose words carry the meaning: without the table's own entity prefix, with any other. */
  readonly meaning: string;
}

export function headerForms(header: string, kind: TableKind): HeaderForms {
  const folded = foldHeader(header);
  const { entity, name } = splitEntity(folded);
  const keys: string[] = [];
  if (entity !== undefined) keys.push(folded);
  const own = entity === undefined || OWN_ENTITIES[kind].has(entity);
  if (own) {
    keys.push(name);
    const label = TECHNICAL_SUFFIX.exec(name)?.[1];
    if (label !== undefined && label !== '') keys.push(foldHeader(label));
  }
  const rawLower = header.normalize('NFC').trim().toLowerCase();
  // 'Organization - Name' in an accounts file means 'name'; in a deals file, the organization's name.
  const meaning = own && entity !== undefined ? (ENTITY_PREFIX.exec(header.trim())?.[2] ?? header) : header;
  return { keys: [...new Set(keys)], markerForms: [...new Set([rawLower, folded, name])], folded, meaning };
}

/** Read a header's words and annotations (glued words split by the vocabulary). */
export function readHeaderWords(header: string): HeaderReading {
  return readHeader(header, { segment: segmentWord, isWord: isVocabularyWord });
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
  const hits = (name: PresetName): number => forms.filter((f) => PRESETS[name].markers.some((m) => markerHit(f, m))).length;
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
