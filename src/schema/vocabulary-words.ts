/**
 * The vocabulary's words one by one: every word of every concept, for telling a word from a
 * publisher prefix ('new_', 'revops_') and for splitting glued words ('annualrevenue',
 * 'numberofemployees', 'jahresumsatz') into the words the decision lists know.
 */
import * as entities from './concepts-entities.ts';
import * as measures from './concepts-measures.ts';
import { LIFETIME, TWELVE_MONTHS } from './header-period.ts';

const GLUE_WORDS = [
  'of',
  'is',
  'iso',
  'by',
  'per',
  'in',
  'mit',
  'von',
  'und',
  'risiko',
  'wert',
  'name',
  'nummer',
  'anzahl',
  'satz',
  'rate',
  'quote',
  'score',
  'value',
  'size',
  'total',
];

/** Every word of every concept, the glue words, and the period phrases' words. */
const KNOWN_WORDS: ReadonlySet<string> = new Set(
  [
    ...Object.values(measures),
    ...Object.values(entities),
    GLUE_WORDS,
    ['gross', 'brutto', 'product', 'produkt', 'open', 'billing', 'last', 'months', 'stage', 'record'],
    TWELVE_MONTHS.map((p) => p.trim()),
    LIFETIME.map((p) => p.trim()),
  ]
    .flat()
    .flatMap((p) => p.split(' '))
    .filter((w) => /^[a-z]+$/.test(w) && (w.length >= 3 || GLUE_WORDS.includes(w) || w === 'id')),
);

/** Is `word` (folded, lower case) a word of the vocabulary? */
export function isVocabularyWord(word: string): boolean {
  return KNOWN_WORDS.has(word);
}

/**
 * Split a glued lower-case word into known words when it splits completely
 * ('numberofemployees' -> number of employees), a German compound's joining 's' dropped after
 * a piece of four letters or more ('kundenbindungsquote' -> kundenbindung quote); otherwise
 * the word itself.
 */
export function segmentWord(word: string): readonly string[] {
  if (word.length < 5 || KNOWN_WORDS.has(word) || !/^[a-z]+$/.test(word)) return [word];
  const n = word.length;
  // best[i]: fewest pieces covering word[0, i); from[i]: where the last piece starts.
  const best = new Array<number>(n + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Array<number>(n + 1).fill(-1);
  /** joint[i]: the piece ending at i ends in a joining 's', not part of the word. */
  const joint = new Array<boolean>(n + 1).fill(false);
  best[0] = 0;
  for (let i = 1; i <= n; i++) {
    for (let j = Math.max(0, i - 24); j < i; j++) {
      if (best[j] === Number.POSITIVE_INFINITY) continue;
      // The piece is word[j, i), or word[j, i - 1) and a joining 's' before the next piece.
      const joined = i < n && i - j > 4 && word.charCodeAt(i - 1) === 0x73 && KNOWN_WORDS.has(word.slice(j, i - 1));
      if (!joined && !KNOWN_WORDS.has(word.slice(j, i))) continue;
      if (best[j]! + 1 < best[i]!) {
        best[i] = best[j]! + 1;
        from[i] = j;
        joint[i] = joined && !KNOWN_WORDS.has(word.slice(j, i));
      }
    }
  }
  if (best[n] === Number.POSITIVE_INFINITY) return [word];
  const parts: string[] = [];
  for (let i = n; i > 0; i = from[i]!) parts.unshift(word.slice(from[i], joint[i] ? i - 1 : i));
  return parts;
}
