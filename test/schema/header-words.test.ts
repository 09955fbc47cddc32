/**
 * Reading one header into words and annotations (src/schema/header-words.ts), one test per
 * annotation class of issue 9 (Build 2) and SCORING.md §1. Header spellings are those of
 * fixtures/headers/real-headers.csv, which cites where each comes from.
 */
import { describe, expect, it } from 'vitest';
import { readHeaderWords } from '../../src/schema/mapping.ts';
import { mapColumns } from '../../src/schema/mapping.ts';
import { segmentWord } from '../../src/schema/vocabulary-words.ts';

const read = (h: string) => {
  const r = readHeaderWords(h);
  return { words: r.words.join(' '), annotations: r.annotations, custom: r.custom };
};

describe('readHeader: words', () => {
  it.each([
    ['AnnualRevenue', 'annual revenue'],
    ['ANNUALREVENUE', 'annual revenue'], // Data Loader upper case (CRM-FORMATS.md §1a)
    ['NUMBEROFEMPLOYEES', 'number of employees'],
    ['LTMRevenue', 'ltm revenue'],
    ['RevenueLast12Months__c', 'revenue last 12 months'],
    ['Revenue_Last_12_Months__c', 'revenue last 12 months'],
    ['ns__Strategic_Value__c', 'strategic value'], // a managed package's namespace
    ['new_strategicvalue', 'strategic value'], // Dataverse default publisher prefix
    ['cr1a2_ChurnRisk', 'churn risk'],
    ['x_studio_strategic_value', 'strategic value'], // Odoo Studio
    ['gross_margin', 'gross margin'], // a word, not a publisher prefix
    ['Jahresumsatz', 'jahresumsatz'], // a word of its own (the company's annual revenue)
    ['Gesamtumsatz', 'gesamt umsatz'],
    ['Nom du compte', 'nom du compte'],
    ['Name* (s.nom)', 'name'], // Dolibarr's technical suffix and required mark (CRM-FORMATS.md §8)
    ['Address 1: Country/Region', 'address 1 country region'],
    ['Organization - Name', 'organization name'], // the entity prefix is the mapper's job
    ['FY25 Revenue', 'fy25 revenue'],
  ])('%j -> %j', (header, words) => {
    expect(read(header).words).toBe(words);
  });

  it('marks custom fields', () => {
    expect([read('Revenue_LTM__c').custom, read('new_churnrisk').custom, read('Revenue').custom]).toEqual([true, true, false]);
  });

  it('splits glued words only when every piece is known', () => {
    expect([segmentWord('numberofemployees'), segmentWord('tickersymbol'), segmentWord('revenue')]).toEqual([
      ['number', 'of', 'employees'],
      ['tickersymbol'],
      ['revenue'],
    ]);
  });

  it("drops a German compound's joining 's' between known pieces, never at the end (stranger test of 7179ab6: 'Kundenbindungsquote' fed nothing)", () => {
    expect(['kundenbindungsquote', 'bindungsquote', 'verlangerungsquote', 'salesvalue', 'accounts', 'kundenbindungs'].map(segmentWord)).toEqual([
      ['kundenbindung', 'quote'],
      ['bindung', 'quote'],
      ['verlangerung', 'quote'],
      ['sales', 'value'],
      ['accounts'],
      ['kundenbindungs'],
    ]);
    const fields = ['Kundenbindungsquote', 'Kundenbindungsrate', 'Verlängerungsquote'].map(
      (h) => mapColumns(['Kunden-ID', 'Kundenname', h], 'accounts').columns[2]!.field,
    );
    expect(fields).toEqual(['retention_rate', 'retention_rate', 'retention_rate']);
  });
});

describe('readHeader: annotations', () => {
  it.each([
    // percent
    ['Churn Risk (%)', { percent: true }],
    ['Margin %', { percent: true }],
    ['Gross margin in %', { percent: true }],
    // currency
    ['Revenue (€)', { currency: 'EUR' }],
    ['Revenue ($)', { currency: 'USD' }],
    ['Revenue (USD)', { currency: 'USD' }],
    ['Revenue in EUR', { currency: 'EUR' }],
    ['Umsatz (CHF)', { currency: 'CHF' }],
    // scale, alone and glued to a currency
    ['Revenue (k)', { scale: 1e3 }],
    ['Revenue (in thousands)', { scale: 1e3 }],
    ['Revenue (m)', { scale: 1e6 }],
    ['Ingresos (Mio.)', { scale: 1e6 }],
    ['Revenue (in millions)', { scale: 1e6 }],
    ['Umsatz (T€)', { scale: 1e3, currency: 'EUR' }],
    ['Umsatz (TEUR)', { scale: 1e3, currency: 'EUR' }],
    ['Omzet (€k)', { scale: 1e3, currency: 'EUR' }],
    ['CA 12 mois (k€)', { scale: 1e3, currency: 'EUR', period: '12m' }],
    ['Revenue (USD, thousands)', { scale: 1e3, currency: 'USD' }],
    ['Umsatz in Tsd. €', { scale: 1e3, currency: 'EUR' }],
    // rating scales
    ['Strategic Value (1-5)', { ratingScale: { min: 1, max: 5 } }],
    ['Fit (1–10)', { ratingScale: { min: 1, max: 10 } }],
    ['Fit (0-100)', { ratingScale: { min: 0, max: 100 } }],
    ['Fit /5', { ratingScale: { min: 1, max: 5 } }],
    // periods
    ['Revenue LTM', { period: '12m' }],
    ['Revenue TTM', { period: '12m' }],
    ['Revenue (Last 12 Months)', { period: '12m' }],
    ['Revenue 2025', { period: '12m' }],
    ['FY25 Revenue', { period: '12m' }],
    ['Umsatz letzte 12 Monate', { period: '12m' }],
    ['Total Revenue', { period: 'lifetime' }],
    ['Revenue (all time)', { period: 'lifetime' }],
    ['Lifetime Revenue', { period: 'lifetime' }],
  ] as const)('%j -> %j', (header, annotations) => {
    expect(read(header).annotations).toEqual(annotations);
  });

  it('a group that carries meaning stays words: (Last 12 Months), (Primary)', () => {
    expect(read('Associated Company IDs (Primary)').words).toBe('associated company ids primary');
  });

  it('(H/M/L) maps the abbreviations and the words of High/Medium/Low, in either order', () => {
    const words = { high: 100, medium: 50, low: 0, h: 100, m: 50, l: 0 };
    expect(read('Product Fit (H/M/L)').annotations).toEqual({ ratingWords: words });
    expect(read('Product Fit (Low/Medium/High)').annotations).toEqual({ ratingWords: { high: 100, medium: 50, low: 0 } });
    expect(read('Strategisch (hoch/mittel/niedrig)').annotations).toEqual({ ratingWords: { hoch: 100, mittel: 50, niedrig: 0 } });
    expect(read('Adéquation (Élevé/Moyen/Faible)').annotations).toEqual({ ratingWords: { eleve: 100, moyen: 50, faible: 0, élevé: 100 } });
  });

  it('unknown words in a group are not guessed as rating words', () => {
    expect(read('Tier (Gold/Silver/Bronze)').annotations).toEqual({});
  });
});
