/**
 * The annotations a header may carry about its values, and how to read them: currencies
 * ('(€)', 'in EUR', 'k€', 'TEUR'), scales ('(in thousands)', 'Mio.'), percents, rating
 * scales ('(1-5)', '/5') and rating words ('(H/M/L)', '(hoch/mittel/niedrig)').
 */
import type { ColumnAnnotations } from './mapping.ts';

/** Lower case, NFD without combining marks ('Název' -> 'nazev', 'Währung' -> 'wahrung'), ß -> ss. */
export function foldWord(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss');
}

const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  '€': 'EUR',
  $: 'USD',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  '₩': 'KRW',
  '₽': 'RUB',
  '₺': 'TRY',
  '₪': 'ILS',
  '₫': 'VND',
  '₱': 'PHP',
  '฿': 'THB',
  zł: 'PLN',
  kč: 'CZK',
  r$: 'BRL',
  us$: 'USD',
  c$: 'CAD',
  ca$: 'CAD',
  a$: 'AUD',
  au$: 'AUD',
  hk$: 'HKD',
  s$: 'SGD',
  nz$: 'NZD',
  mx$: 'MXN',
  chf: 'CHF',
  'fr.': 'CHF',
  'sfr.': 'CHF',
};

/** ISO 4217 codes a header may name ('(USD)', 'in EUR'): the common trading currencies. */
const ISO_CODES = new Set(
  (
    'AED ARS AUD BGN BRL CAD CHF CLP CNY COP CZK DKK EGP EUR GBP HKD HUF IDR ILS INR ISK JPY KRW MXN MYR NGN ' +
    'NOK NZD PEN PHP PKR PLN QAR RON RSD RUB SAR SEK SGD THB TRY TWD UAH USD VND ZAR'
  ).split(' '),
);

const PERCENT_WORDS = new Set(['%', 'pct', 'percent', 'percentage', 'prozent', 'pourcentage', 'porcentaje', 'percentagem', 'percentuale', 'procent']);
const THOUSAND_WORDS = new Set([
  'k',
  '000',
  "'000",
  '000s',
  "'000s",
  'thousand',
  'thousands',
  'tausend',
  'tsd',
  'tsd.',
  't',
  'milliers',
  'miles',
  'milhares',
  'migliaia',
  'duizenden',
  'x1000',
  'thds',
  'th',
]);
const MILLION_WORDS = new Set([
  'm',
  'mm',
  'mn',
  'mio',
  'mio.',
  'million',
  'millions',
  'millionen',
  'millones',
  'milhoes',
  'milioni',
  'miljoen',
  'miljoenen',
  'mln',
  'mln.',
]);
const BILLION_WORDS = new Set(['bn', 'b', 'billion', 'billions', 'mrd', 'mrd.', 'milliarden', 'milliards']);
/** Little words an annotation group may hold besides its units: '(in thousands)', '(en milliers)'. */
const FILLER_WORDS = new Set(['in', 'en', 'em', 'im', 'x', 'scale', 'skala', 'echelle', 'escala', 'scala', 'schaal', 'of', 'de', 'the']);

/** Rating word sets of the seven UI languages, best first, each on 0..100. */
const RATING_WORD_SETS: readonly (readonly string[])[] = [
  ['high', 'medium', 'low'],
  ['hoch', 'mittel', 'niedrig'],
  ['eleve', 'moyen', 'faible'],
  ['haut', 'moyen', 'bas'],
  ['alto', 'medio', 'bajo'],
  ['alta', 'media', 'baja'],
  ['alto', 'medio', 'baixo'],
  ['alto', 'medio', 'basso'],
  ['alta', 'media', 'bassa'],
  ['alta', 'media', 'baixa'],
  ['elevee', 'moyenne', 'faible'],
  ['hoog', 'gemiddeld', 'laag'],
  ['hoog', 'middel', 'laag'],
  ['hot', 'warm', 'cold'],
];

/** '(H/M/L)', '(High/Medium/Low)', '(Low/Medium/High)', '(hoch/mittel/niedrig)': lower-case word -> 0..100. */
function ratingWords(group: string): Record<string, number> | undefined {
  const written = group
    .toLowerCase()
    .split(/\s*[/|]\s*/)
    .map((p) => p.trim());
  const parts = written.map(foldWord);
  if (parts.length < 2 || parts.some((p) => !/^\p{L}+$/u.test(p))) return undefined;
  for (const set of RATING_WORD_SETS) {
    const value = (i: number): number => (set.length === 1 ? 100 : Math.round((100 * (set.length - 1 - i)) / (set.length - 1)));
    const byWord = new Map(set.map((w, i) => [w, value(i)]));
    const byInitial = new Map(set.map((w, i) => [w[0]!, value(i)]));
    if (new Set(set.map((w) => w[0])).size !== set.length) continue;
    const full = parts.every((p) => byWord.has(p));
    const initials = parts.every((p) => p.length === 1 && byInitial.has(p));
    if (!full && !initials) continue;
    if (new Set(parts).size !== parts.length) return undefined;
    const out: Record<string, number> = {};
    // A header's abbreviations stand for the words of its set ('H/M/L' also reads 'High').
    set.forEach((w, i) => {
      out[w] = value(i);
      if (initials) out[w[0]!] = value(i);
    });
    // The header's own spelling too ('élevé' as written, beside 'eleve').
    written.forEach((w, i) => (out[w] = full ? byWord.get(parts[i]!)! : byInitial.get(parts[i]!)!));
    return out;
  }
  return undefined;
}

const RANGE = /^(?:scale\s*|skala\s*|echelle\s*|escala\s*|scala\s*|schaal\s*)?(\d{1,3})\s*(?:-|–|—|to|bis|a|à|tot|\.\.)\s*(\d{1,3})(?:\s*scale)?$/;

/** '(1-5)', '(1–10)', '(0-100)', '(scale 1 to 5)', '(out of 5)', '/5'. */
function ratingScale(group: string): { min: number; max: number } | undefined {
  const g = foldWord(group).trim();
  const m = RANGE.exec(g);
  if (m) {
    const min = Number(m[1]);
    const max = Number(m[2]);
    return max > min ? { min, max } : undefined;
  }
  const outOf = /^(?:out of|von|sur|de|su|op)\s*(\d{1,3})$|^\/\s*(\d{1,3})$/.exec(g);
  const max = Number(outOf?.[1] ?? outOf?.[2]);
  return outOf && max > 1 ? { min: max === 100 ? 0 : 1, max } : undefined;
}

/** One unit token: a currency, a scale, both glued ('k€', '€k', 'TEUR', 'MUSD'), or a percent sign. */
export function unitToken(token: string, inBrackets: boolean): ColumnAnnotations | undefined {
  const t = foldWord(token);
  if (PERCENT_WORDS.has(t)) return { percent: true };
  const symbol = CURRENCY_SYMBOLS[t];
  if (symbol !== undefined && (inBrackets || !/^[a-z.]+$/.test(t))) return { currency: symbol };
  const upper = token.toUpperCase();
  if (ISO_CODES.has(upper) && (inBrackets || token === upper)) return { currency: upper };
  if (inBrackets) {
    if (THOUSAND_WORDS.has(t)) return { scale: 1e3 };
    if (MILLION_WORDS.has(t)) return { scale: 1e6 };
    if (BILLION_WORDS.has(t)) return { scale: 1e9 };
  } else if (t === 'tsd.' || t === 'mio.' || t === 'mrd.' || t === 'thousands' || t === 'millions') {
    return { scale: t.startsWith('t') ? 1e3 : t.startsWith('mr') ? 1e9 : 1e6 };
  }
  // Glued: scale then currency ('k€', 'TEUR', 'KEUR', 'MEUR', 'Mio€', 'T$') or currency then scale ('€k', '$m').
  const glued = /^(k|t|m|mm|mio\.?|mn|bn|mrd\.?)(.+)$/i.exec(token) ?? undefined;
  const scaleOf = (s: string): number | undefined => {
    const f = foldWord(s);
    if (f === 'k' || f === 't') return 1e3;
    if (MILLION_WORDS.has(f)) return 1e6;
    if (BILLION_WORDS.has(f)) return 1e9;
    return undefined;
  };
  const currencyOf = (s: string): string | undefined => {
    const sym = CURRENCY_SYMBOLS[foldWord(s)];
    if (sym !== undefined) return sym;
    return ISO_CODES.has(s.toUpperCase()) && s === s.toUpperCase() ? s.toUpperCase() : undefined;
  };
  if (glued) {
    const scale = scaleOf(glued[1]!);
    const currency = currencyOf(glued[2]!);
    if (scale !== undefined && currency !== undefined) return { scale, currency };
  }
  const after = /^(.+?)(k|m|mm|mn|bn)$/i.exec(token);
  if (after) {
    const currency = currencyOf(after[1]!);
    const scale = scaleOf(after[2]!);
    if (scale !== undefined && currency !== undefined) return { scale, currency };
  }
  return undefined;
}

export function mergeAnnotations(into: ColumnAnnotations, more: ColumnAnnotations): ColumnAnnotations {
  return { ...into, ...more, ...(into.scale !== undefined && more.scale !== undefined ? { scale: into.scale * more.scale } : {}) };
}

/** Tokens of an annotation group: words, '%', currency symbols and glued units, split at spaces, commas, semicolons. */
function groupTokens(group: string): string[] {
  return group
    .replace(/%/g, ' % ')
    .split(/[\s,;:]+/)
    .filter((t) => t !== '');
}

/** All of a bracket group as annotations, or undefined when it holds words that carry meaning ('(Last 12 Months)'). */
export function annotationGroup(group: string): ColumnAnnotations | undefined {
  const words = ratingWords(group);
  if (words !== undefined) return { ratingWords: words };
  const scale = ratingScale(group);
  if (scale !== undefined) return { ratingScale: scale };
  const tokens = groupTokens(group);
  if (tokens.length === 0) return undefined;
  let out: ColumnAnnotations = {};
  let units = 0;
  for (const t of tokens) {
    const u = unitToken(t, true);
    if (u !== undefined) {
      out = mergeAnnotations(out, u);
      units++;
    } else if (!FILLER_WORDS.has(foldWord(t))) return undefined;
  }
  return units > 0 ? out : undefined;
}
