/**
 * Reading one header: what it says in words, and what its annotations say about the values.
 *
 * `Revenue_Last_12_Months__c` -> words `revenue last 12 months`, custom field;
 * `Umsatz (T€)` -> words `umsatz`, money in thousands of EUR; `Churn Risk (%)` -> words
 * `churn risk`, bare numbers are percents; `Strategic Value (H/M/L)` -> rating words.
 * Pure: the vocabulary (./vocabulary.ts) decides what the words mean.
 */
import type { ColumnAnnotations } from './mapping.ts';

/** What the reader needs of the vocabulary: splitting glued words, and telling a word from a prefix. */
export interface HeaderVocabulary {
  readonly segment: (word: string) => readonly string[];
  readonly isWord: (word: string) => boolean;
}

/** What one header says, split into its meaning (words) and its annotations. */
export interface HeaderReading {
  /** Lower-case, accent-free words, in order ('revenue', 'last', '12', 'months'). */
  readonly words: readonly string[];
  /** The words joined by single spaces, padded with one space each side, for phrase search. */
  readonly text: string;
  readonly annotations: ColumnAnnotations;
  /** A CRM custom-field marker was stripped (Salesforce `__c`, Dynamics `new_`, Odoo `x_studio_`). */
  readonly custom: boolean;
}

/** Lower case, NFD without combining marks ('Název' -> 'nazev', 'Währung' -> 'wahrung'), ß -> ss. */
function foldWord(s: string): string {
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
function unitToken(token: string, inBrackets: boolean): ColumnAnnotations | undefined {
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

function merge(into: ColumnAnnotations, more: ColumnAnnotations): ColumnAnnotations {
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
function annotationGroup(group: string): ColumnAnnotations | undefined {
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
      out = merge(out, u);
      units++;
    } else if (!FILLER_WORDS.has(foldWord(t))) return undefined;
  }
  return units > 0 ? out : undefined;
}

/** Known custom-field markers, stripped before matching; `isWord` tells a publisher prefix ('new_', 'revops_') from a word ('gross_margin'). */
function stripCustomMarkers(h: string, isWord: (w: string) => boolean): { text: string; custom: boolean } {
  let t = h;
  let custom = false;
  // Salesforce: 'Revenue_LTM__c', 'ns__Strategic_Value__c' (a managed package's namespace).
  if (/__c$/i.test(t)) {
    t = t.replace(/__c$/i, '').replace(/^[A-Za-z][A-Za-z0-9]*__/, '');
    custom = true;
  }
  // Odoo Studio and manual fields: 'x_studio_strategic_value', 'x_churn_risk'.
  if (/^x_(?:studio_)?[a-z0-9]/i.test(t)) {
    t = t.replace(/^x_(?:studio_)?/i, '');
    custom = true;
  }
  // Dynamics publisher prefixes on logical (schema) names: 'new_strategicvalue', 'cr1a2_ChurnRisk'.
  const dyn = /^([a-z][a-z0-9]{1,7})_([A-Za-z][A-Za-z0-9]*)$/.exec(t);
  if (dyn && !isWord(dyn[1]!)) {
    t = dyn[2]!;
    custom = true;
  }
  return { text: t, custom };
}

/** 'AnnualRevenue' -> 'Annual Revenue', 'LTMRevenue' -> 'LTM Revenue', 'Revenue2025' -> 'Revenue 2025' ('FY25', 'Q1', 'L12M' stay whole). */
function splitCamel(s: string): string {
  return s
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll}{2,})/gu, '$1 $2')
    .replace(/(\p{L}+)(\d)/gu, (m, letters: string, d: string) => (letters.length <= 2 ? m : `${letters} ${d}`))
    .replace(/(\d)(\p{L}{3,})/gu, '$1 $2');
}

/** Phrases that name a 12-month window. */
export const TWELVE_MONTHS: readonly string[] = [
  ' ltm ',
  ' ttm ',
  ' l12m ',
  ' 12m ',
  ' 12 m ',
  ' r12 ',
  ' 12 months ',
  ' 12 month ',
  ' twelve months ',
  ' 12 monate ',
  ' 12 monaten ',
  ' 12 mois ',
  ' 12 derniers mois ',
  ' derniers 12 mois ',
  ' 12 letzten monate ',
  ' 12 ultimi mesi ',
  ' 12 meses ',
  ' 12 mesi ',
  ' 12 maanden ',
  ' last year ',
  ' prior year ',
  ' previous year ',
  ' letztes jahr ',
  ' vorjahr ',
  ' annee derniere ',
  ' derniere annee ',
  ' ano pasado ',
  ' ultimo ano ',
  ' ano passado ',
  ' anno scorso ',
  ' vorig jaar ',
  ' afgelopen jaar ',
];
/** Phrases that name a lifetime total. */
export const LIFETIME: readonly string[] = [
  ' total ',
  ' totals ',
  ' lifetime ',
  ' life time ',
  ' all time ',
  ' alltime ',
  ' cumulative ',
  ' cumulated ',
  ' gesamt ',
  ' insgesamt ',
  ' cumul ',
  ' cumule ',
  ' acumulado ',
  ' acumulada ',
  ' totale ',
  ' totaal ',
  ' to date ',
  ' historic ',
  ' historical ',
];
const YEAR = / (?:(?:19|20)\d\d|fy ?\d\d(?:\d\d)?|cy ?\d\d(?:\d\d)?|gj ?\d\d(?:\d\d)?|ej ?\d\d(?:\d\d)?) /;

/** The period a header's words name: a 12-month window (LTM, a year) beats a lifetime total. */
function periodOf(text: string): '12m' | 'lifetime' | undefined {
  if (TWELVE_MONTHS.some((p) => text.includes(p)) || YEAR.test(text)) return '12m';
  if (LIFETIME.some((p) => text.includes(p))) return 'lifetime';
  return undefined;
}

/**
 * Split a header into words and annotations. `segment` splits glued words that the
 * vocabulary knows ('annualrevenue' -> 'annual revenue'); it is passed in so this module
 * stays free of the vocabulary.
 */
export function readHeader(header: string, vocabulary: HeaderVocabulary): HeaderReading {
  const { segment } = vocabulary;
  let h = header
    .normalize('NFC')
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim();
  // Dolibarr's technical suffix ('Name* (s.nom)') and required-field asterisks ('Organization - Name*').
  h = h.replace(/\s*\([a-z][a-z0-9]*\.[a-z0-9_][a-z0-9_ ]*\)$/i, '').replace(/\s*\*+$/, '');
  const marked = stripCustomMarkers(h, vocabulary.isWord);
  h = marked.text;
  let annotations: ColumnAnnotations = {};
  // Bracket groups: annotations are taken out, other groups ('(Last 12 Months)') stay as words.
  h = h.replace(/[([]([^()[\]]*)[)\]]/g, (whole, inner: string) => {
    const a = annotationGroup(inner);
    if (a === undefined) return ` ${inner} `;
    annotations = merge(annotations, a);
    return ' ';
  });
  // Loose units: 'Margin %', 'Revenue in EUR', 'Umsatz in Tsd. €', 'CA k€', a trailing '/5'.
  const slash = /\s*\/\s*(\d{1,3})\s*$/.exec(h);
  if (slash && Number(slash[1]) > 1) {
    const max = Number(slash[1]);
    annotations = merge(annotations, { ratingScale: { min: max === 100 ? 0 : 1, max } });
    h = h.slice(0, slash.index);
  }
  const tokens = splitCamel(h.replace(/%/g, ' % ').replace(/[_]+/g, ' '))
    .split(/[\s,;:!?"“”«»]+|(?<!\d)[-–—](?!\d)|\.(?=\s|$)|\/(?!\d)/u)
    .filter((t) => t !== '');
  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const isIn = ['in', 'en', 'em', 'im'].includes(foldWord(t));
    const next = tokens[i + 1];
    if (isIn && next !== undefined) {
      const u = unitToken(next, true);
      if (u !== undefined) {
        annotations = merge(annotations, u);
        i++;
        // 'in Tsd. €', 'in Mio. EUR': a second unit right after the first.
        const third = tokens[i + 1];
        const u2 = third === undefined ? undefined : unitToken(third, true);
        if (u2 !== undefined) {
          annotations = merge(annotations, u2);
          i++;
        }
        continue;
      }
    }
    const u = unitToken(t, false);
    if (u !== undefined) {
      annotations = merge(annotations, u);
      continue;
    }
    kept.push(t);
  }
  const words: string[] = [];
  for (const t of kept) {
    const f = foldWord(t)
      .replace(/^[.'’]+|[.'’]+$/g, '')
      .replace(/['’]/g, ' ');
    for (const part of f.split(/[\s.&+()[\]{}<>=#*]+/)) if (part !== '') words.push(...segment(part));
  }
  const text = ` ${words.join(' ')} `;
  const period = periodOf(text);
  if (period !== undefined) annotations = { ...annotations, period };
  return { words, text, annotations, custom: marked.custom };
}
