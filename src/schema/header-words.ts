/**
 * Reading one header: what it says in words, and what its annotations say about the values.
 *
 * `Revenue_Last_12_Months__c` -> words `revenue last 12 months`, custom field;
 * `Umsatz (T€)` -> words `umsatz`, money in thousands of EUR; `Churn Risk (%)` -> words
 * `churn risk`, bare numbers are percents; `Strategic Value (H/M/L)` -> rating words.
 * Pure: the vocabulary (./vocabulary.ts) decides what the words mean.
 */
import { annotationGroup, foldWord, mergeAnnotations, unitToken } from './header-units.ts';
import { periodOf } from './header-period.ts';
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
    annotations = mergeAnnotations(annotations, a);
    return ' ';
  });
  // Loose units: 'Margin %', 'Revenue in EUR', 'Umsatz in Tsd. €', 'CA k€', a trailing '/5'.
  const slash = /\s*\/\s*(\d{1,3})\s*$/.exec(h);
  if (slash && Number(slash[1]) > 1) {
    const max = Number(slash[1]);
    annotations = mergeAnnotations(annotations, { ratingScale: { min: max === 100 ? 0 : 1, max } });
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
        annotations = mergeAnnotations(annotations, u);
        i++;
        // 'in Tsd. €', 'in Mio. EUR': a second unit right after the first.
        const third = tokens[i + 1];
        const u2 = third === undefined ? undefined : unitToken(third, true);
        if (u2 !== undefined) {
          annotations = mergeAnnotations(annotations, u2);
          i++;
        }
        continue;
      }
    }
    const u = unitToken(t, false);
    if (u !== undefined) {
      annotations = mergeAnnotations(annotations, u);
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
