/**
 * The rating and yes/no grammars: a rating is a number on its column's scale or a word
 * (High/Medium/Low, Hot/Warm/Cold and their translations, or the config's words) on 0..100.
 */
import { MISSING, error, spreadsheetErrorCell, value, type Cell, type Decimal } from './cell-value.ts';
import { numberProblem } from './number-grammar.ts';
import { NumberMode, ScanFail, scanNumber } from './number-scan.ts';
import { equalsIgnoreCase, trimEnd, trimStart } from './text-scan.ts';

/** SCORING.md §2 rating words (keys lower-case): High/Medium/Low and Salesforce's Hot/Warm/Cold. */
export const DEFAULT_RATING_WORDS: ReadonlyMap<string, number> = new Map([
  ['high', 100],
  ['medium', 50],
  ['low', 0],
  ['hot', 100],
  ['warm', 50],
  ['cold', 0],
  // The same three levels in the CRM UI languages kam reads headers in (German, French,
  // Spanish, Portuguese, Italian, Dutch), accented and folded.
  // Each in the forms a column's noun asks for: 'Importance : Élevée', 'Priorität: Gering'.
  ['hoch', 100],
  ['mittel', 50],
  ['niedrig', 0],
  ['gering', 0],
  ['élevé', 100],
  ['eleve', 100],
  ['élevée', 100],
  ['elevee', 100],
  ['haut', 100],
  ['haute', 100],
  ['fort', 100],
  ['forte', 100],
  ['moyen', 50],
  ['moyenne', 50],
  ['faible', 0],
  ['bas', 0],
  ['basse', 0],
  ['alto', 100],
  ['alta', 100],
  ['medio', 50],
  ['media', 50],
  ['médio', 50],
  ['média', 50],
  ['bajo', 0],
  ['baja', 0],
  ['baixo', 0],
  ['baixa', 0],
  ['basso', 0],
  ['bassa', 0],
  ['hoog', 100],
  ['gemiddeld', 50],
  ['middel', 50],
  ['laag', 0],
]);

/** The default words that translate High/Medium/Low (shown in messages as one phrase, not 24 words). */
const TRANSLATED_DEFAULTS: ReadonlySet<string> = new Set(
  [...DEFAULT_RATING_WORDS.keys()].filter((k) => !['high', 'medium', 'low', 'hot', 'warm', 'cold'].includes(k)),
);

interface RatingLookup {
  readonly keys: readonly string[];
  readonly values: readonly number[];
  readonly ascii: boolean;
  /** The words a message names (lower-case): all but the translated defaults, which it names as one phrase. */
  readonly shown: readonly string[];
  readonly translations: boolean;
}
const RATING_LOOKUPS = new WeakMap<ReadonlyMap<string, number>, RatingLookup>();

function ratingLookup(words: ReadonlyMap<string, number>): RatingLookup {
  let lookup = RATING_LOOKUPS.get(words);
  if (lookup === undefined) {
    const keys: string[] = [];
    const values: number[] = [];
    for (const [k, v] of words) {
      keys.push(k.trim().toLowerCase());
      values.push(v);
    }
    const ascii = keys.every((k) => [...k].every((ch) => ch.charCodeAt(0) < 0x80));
    // The message names the words beyond the translated defaults, and the defaults in English.
    const isTranslatedDefault = (k: string, i: number): boolean => TRANSLATED_DEFAULTS.has(k) && DEFAULT_RATING_WORDS.get(k) === values[i];
    const shown = keys.filter((k, i) => !isTranslatedDefault(k, i));
    lookup = { keys, values, ascii, shown, translations: keys.some(isTranslatedDefault) };
    RATING_LOOKUPS.set(words, lookup);
  }
  return lookup;
}

/** The 0..100 value of the rating word in cell[s, e) (any case), else undefined. */
function ratingWord(lookup: RatingLookup, cell: string, s: number, e: number): number | undefined {
  let ascii = true;
  for (let k = s; k < e; k++) {
    if (cell.charCodeAt(k) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    for (let k = 0; k < lookup.keys.length; k++) {
      if (equalsIgnoreCase(cell, s, e, lookup.keys[k]!)) return lookup.values[k]!;
    }
  } else if (!lookup.ascii) {
    const at = lookup.keys.indexOf(cell.slice(s, e).toLowerCase());
    if (at >= 0) return lookup.values[at]!;
  }
  return undefined;
}

/**
 * A rating: a number -> {number} (the column's scale is the caller's), or a word from `words`
 * (trimmed, case-insensitive; keys lower-case) -> {word: 0..100}.
 */
export function parseRating(cell: string, words: ReadonlyMap<string, number>, decimal: Decimal): Cell<{ readonly number: number } | { readonly word: number }> {
  const s = trimStart(cell);
  if (s === cell.length) return MISSING;
  const e = trimEnd(cell, s);
  const sc = scanNumber(cell, s, e, decimal, NumberMode.Plain);
  if (sc.value === sc.value) return value({ number: sc.value });
  if (sc.fail !== ScanFail.Syntax) return error(numberProblem(cell, 'number', decimal, sc.fail));
  const lookup = ratingLookup(words);
  const word = ratingWord(lookup, cell, s, e);
  if (word !== undefined) return value({ word });
  const sheet = spreadsheetErrorCell(cell, s);
  if (sheet !== undefined) return sheet;
  return error({ reason: 'not_a_rating', cell, words: lookup.shown, translations: lookup.translations });
}

const TRUE_WORDS: readonly string[] = ['true', 'yes', 'y', '1', 'x'];
const FALSE_WORDS: readonly string[] = ['false', 'no', 'n', '0'];

/** A yes/no cell: true/false, yes/no, y/n, 1/0, x (true), case-insensitive; blank -> missing. */
export function parseBoolean(cell: string): Cell<boolean> {
  const s = trimStart(cell);
  if (s === cell.length) return MISSING;
  const e = trimEnd(cell, s);
  for (let k = 0; k < TRUE_WORDS.length; k++) if (equalsIgnoreCase(cell, s, e, TRUE_WORDS[k]!)) return value(true);
  for (let k = 0; k < FALSE_WORDS.length; k++) if (equalsIgnoreCase(cell, s, e, FALSE_WORDS[k]!)) return value(false);
  const sheet = spreadsheetErrorCell(cell, s);
  if (sheet !== undefined) return sheet;
  return error({ reason: 'not_yes_no', cell });
}
