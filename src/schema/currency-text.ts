/**
 * The currency grammar: ISO 4217 codes, currency symbols, 'US$'-style prefixes, local
 * abbreviations ('kr', 'zł') and currency names as CRMs write them, and the families a bare
 * symbol ('$', '¥') stands for. `currencyAt` is the tokenizer the number grammar calls before
 * and after an amount; `currencyOfText` reads a whole currency cell.
 */
import { C_DOLLAR, isAsciiLetter, isLetterAt, lower, skipSpace, trimEnd, trimStart } from './text-scan.ts';

/** ISO 4217 codes (active ones plus CNH), looked up by index over AAA..ZZZ without allocating. */
const ISO_CURRENCIES =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHF CLP CNH CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP ' +
  'GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT ' +
  'LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD ' +
  'OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN ' +
  'SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF ' +
  'XPF YER ZAR ZMW ZWG ZWL';
/** The index of the three ASCII letters at i (any case) over AAA..ZZZ. */
function isoIndex(s: string, i: number): number {
  return (lower(s.charCodeAt(i)) - 0x61) * 676 + (lower(s.charCodeAt(i + 1)) - 0x61) * 26 + (lower(s.charCodeAt(i + 2)) - 0x61);
}

/** ISO code strings by isoIndex, so a matched code is returned without building a string. */
const ISO_CODE_AT: string[] = [];
for (const code of ISO_CURRENCIES.split(' ')) ISO_CODE_AT[isoIndex(code, 0)] = code;

/** The ISO code spelled by the three ASCII letters at i, else undefined. */
function isoCodeAt(s: string, i: number): string | undefined {
  return ISO_CODE_AT[isoIndex(s, i)];
}

/** Unicode currency symbols (category Sc, minus the ones that are also other punctuation). */
function isCurrencySymbol(c: number): boolean {
  return (
    c === C_DOLLAR ||
    (c >= 0xa2 && c <= 0xa5) ||
    c === 0x58f ||
    c === 0x60b ||
    c === 0x9f2 ||
    c === 0x9f3 ||
    c === 0xe3f ||
    c === 0x17db ||
    (c >= 0x20a0 && c <= 0x20c0) ||
    c === 0xfdfc ||
    c === 0xff04 ||
    c === 0xffe0 ||
    c === 0xffe1 ||
    c === 0xffe5 ||
    c === 0xffe6
  );
}

/**
 * Currencies a symbol or abbreviation can stand for. A cell that says only '$' names a dollar
 * (or peso), not USD: `resolveCurrency` (schema/money.ts) settles it from the row's other
 * currency information, the config base, then `fallback`. Tokens are what `parseMoneyCell`
 * and `currencyOfText` return for them.
 */
export interface CurrencyFamily {
  readonly token: string;
  readonly members: readonly string[];
  /** What the symbol means when nothing else in the row or config settles it (undefined: stays unknown). */
  readonly fallback: string | undefined;
}

const CURRENCY_FAMILIES: Readonly<Record<string, CurrencyFamily>> = {
  $: {
    token: '$',
    members: [
      'USD',
      'CAD',
      'AUD',
      'NZD',
      'HKD',
      'SGD',
      'MXN',
      'TWD',
      'ARS',
      'CLP',
      'COP',
      'CUP',
      'DOP',
      'UYU',
      'JMD',
      'TTD',
      'BSD',
      'BBD',
      'BZD',
      'BMD',
      'KYD',
      'XCD',
      'FJD',
      'SBD',
      'LRD',
      'NAD',
      'SRD',
      'GYD',
      'BND',
    ],
    fallback: 'USD',
  },
  '¥': { token: '¥', members: ['JPY', 'CNY', 'CNH'], fallback: 'JPY' },
  kr: { token: 'kr', members: ['SEK', 'NOK', 'DKK', 'ISK'], fallback: undefined },
  Rs: { token: 'Rs', members: ['INR', 'PKR', 'LKR', 'NPR', 'MUR', 'SCR'], fallback: undefined },
};

/** The family of a token ('$', '¥', 'kr', 'Rs'), else undefined (an ISO code). */
export function currencyFamily(code: string): CurrencyFamily | undefined {
  return Object.hasOwn(CURRENCY_FAMILIES, code) ? CURRENCY_FAMILIES[code] : undefined;
}

/** Currency symbols -> ISO code or family token; a symbol not listed is checked for form only (no currency). */
const SYMBOL_CURRENCY: ReadonlyMap<number, string> = new Map([
  [0x24, '$'],
  [0xff04, '$'],
  [0x20ac, 'EUR'],
  [0xa3, 'GBP'],
  [0xffe1, 'GBP'],
  [0xa5, '¥'],
  [0xffe5, '¥'],
  [0x20b9, 'INR'],
  [0x20a9, 'KRW'],
  [0xffe6, 'KRW'],
  [0x20bd, 'RUB'],
  [0x20ba, 'TRY'],
  [0x20aa, 'ILS'],
  [0x20ab, 'VND'],
  [0x20b1, 'PHP'],
  [0xe3f, 'THB'],
  [0x20b4, 'UAH'],
  [0x20a6, 'NGN'],
  [0x20a1, 'CRC'],
  [0x20b2, 'PYG'],
  [0x20b5, 'GHS'],
  [0x20b8, 'KZT'],
  [0x20bc, 'AZN'],
  [0x20be, 'GEL'],
  [0x9f3, 'BDT'],
  [0x20ae, 'MNT'],
  [0x20ad, 'LAK'],
  [0x17db, 'KHR'],
  [0x60b, 'AFN'],
  [0x58f, 'AMD'],
]);

/** Local currency abbreviations seen in exports, longest first so 'Fr.' wins over 'Fr', with what they name. */
const CURRENCY_WORDS: readonly (readonly [string, string])[] = [
  ['SFr.', 'CHF'],
  ['Fr.', 'CHF'],
  ['Fr', 'CHF'],
  ['kr.', 'kr'],
  ['kr', 'kr'],
  ['Kr', 'kr'],
  ['zł', 'PLN'],
  ['Kč', 'CZK'],
  ['Ft', 'HUF'],
  ['Rs.', 'Rs'],
  ['Rs', 'Rs'],
  ['Rp', 'IDR'],
  ['RMB', 'CNY'],
  ['RM', 'MYR'],
  ['lei', 'RON'],
];

/** Country prefixes glued to '$' ('US$ 1,200'); an unknown prefix is a dollar of some country. */
const DOLLAR_PREFIXES: Readonly<Record<string, string>> = {
  US: 'USD',
  U: 'USD',
  R: 'BRL',
  A: 'AUD',
  AU: 'AUD',
  C: 'CAD',
  CA: 'CAD',
  NZ: 'NZD',
  HK: 'HKD',
  S: 'SGD',
  SG: 'SGD',
  MX: 'MXN',
  NT: 'TWD',
  RD: 'DOP',
  N: 'NAD',
  J: 'JMD',
  TT: 'TTD',
};

/**
 * Currency names as Dynamics 365 writes them (the currency record's name, in the UI language)
 * and as CLDR names them in English, French, German, Spanish, Portuguese, Italian and Dutch.
 * Keys lower-case NFC. Longest first, so 'us dollar' is tried before 'dollar' would be.
 */
const CURRENCY_NAMES: readonly (readonly [string, string])[] = (
  [
    ['EUR', ['euro', 'euros']],
    [
      'USD',
      [
        'us dollar',
        'u.s. dollar',
        'us dollars',
        'united states dollar',
        'dollar us',
        'dollar américain',
        'dollar des états-unis',
        'us-dollar',
        'amerikanischer dollar',
        'dólar estadounidense',
        'dólar estadunidense',
        'dólar de ee. uu.',
        'dólar americano',
        'dólar dos eua',
        'dólar norte-americano',
        'dollaro statunitense',
        'dollaro usa',
        'dollaro americano',
        'amerikaanse dollar',
      ],
    ],
    [
      'GBP',
      [
        'pound sterling',
        'british pound',
        'livre sterling',
        'pfund sterling',
        'britisches pfund',
        'libra esterlina',
        'sterlina britannica',
        'lira sterlina',
        'brits pond',
        'pond sterling',
      ],
    ],
    ['JPY', ['japanese yen', 'yen japonais', 'japanischer yen', 'yen japonés', 'iene japonês', 'yen giapponese', 'japanse yen']],
    ['CHF', ['swiss franc', 'franc suisse', 'schweizer franken', 'franco suizo', 'franco suíço', 'franco svizzero', 'zwitserse frank']],
    ['CAD', ['canadian dollar', 'dollar canadien', 'kanadischer dollar', 'dólar canadiense', 'dólar canadense', 'dollaro canadese', 'canadese dollar']],
    ['AUD', ['australian dollar', 'dollar australien', 'australischer dollar', 'dólar australiano', 'dollaro australiano', 'australische dollar']],
    [
      'CNY',
      ['chinese yuan', 'yuan renminbi', 'renminbi', 'yuan chinois', 'chinesischer yuan', 'yuan chino', 'yuan chinês', 'yuan cinese', 'chinese yuan renminbi'],
    ],
    ['SEK', ['swedish krona', 'couronne suédoise', 'schwedische krone', 'corona sueca', 'coroa sueca', 'corona svedese', 'zweedse kroon']],
    ['NOK', ['norwegian krone', 'couronne norvégienne', 'norwegische krone', 'corona noruega', 'coroa norueguesa', 'corona norvegese', 'noorse kroon']],
    ['DKK', ['danish krone', 'couronne danoise', 'dänische krone', 'corona danesa', 'coroa dinamarquesa', 'corona danese', 'deense kroon']],
    ['INR', ['indian rupee', 'roupie indienne', 'indische rupie', 'rupia india', 'rupia indiana', 'indiase roepie']],
  ] as const
)
  .flatMap(([code, names]) => names.map((n) => [n, code] as const))
  .sort((a, b) => b[0].length - a[0].length);

/** CURRENCY_NAMES by the char code of their first letter (longest first within each). */
const NAMES_BY_FIRST = new Map<number, (readonly [string, string])[]>();
for (const entry of CURRENCY_NAMES) {
  const c = entry[0].charCodeAt(0);
  const list = NAMES_BY_FIRST.get(c);
  if (list) list.push(entry);
  else NAMES_BY_FIRST.set(c, [entry]);
}

/** A currency the tokenizer matched: the index after it and what it names (ISO code, family token, or undefined). */
export interface CurrencyMatch {
  readonly end: number;
  readonly code: string | undefined;
}

function matched(end: number, code: string | undefined): CurrencyMatch {
  return { end, code };
}

/** A currency name (any case) at i followed by a non-letter, else undefined. */
function currencyNameAt(s: string, i: number, end: number): CurrencyMatch | undefined {
  const names = NAMES_BY_FIRST.get(lower(s.charCodeAt(i)));
  if (names === undefined) return undefined;
  for (let k = 0; k < names.length; k++) {
    const [name, code] = names[k]!;
    const after = i + name.length;
    if (after > end) continue;
    if (s.slice(i, after).toLowerCase() === name && (after === end || !isLetterAt(s, after))) return matched(after, code);
  }
  return undefined;
}

/** A local abbreviation ('Fr.', 'kr', 'zł') at i followed by a non-letter, else undefined. */
function currencyWordAt(s: string, i: number, end: number): CurrencyMatch | undefined {
  for (let k = 0; k < CURRENCY_WORDS.length; k++) {
    const [w, code] = CURRENCY_WORDS[k]!;
    const after = i + w.length;
    if (after <= end && s.startsWith(w, i) && (after === end || !isLetterAt(s, after))) return matched(after, code);
  }
  return undefined;
}

/**
 * The currency (symbol, ISO code, 'US$'-style prefix, local abbreviation, currency name)
 * starting at i, else undefined.
 */
export function currencyAt(s: string, i: number, end: number): CurrencyMatch | undefined {
  const c = s.charCodeAt(i);
  if (isCurrencySymbol(c)) return matched(i + 1, SYMBOL_CURRENCY.get(c));
  if (!isAsciiLetter(c)) return c >= 0x80 ? currencyNameAt(s, i, end) : undefined;
  let j = i + 1;
  while (j < end && isAsciiLetter(s.charCodeAt(j))) j++;
  const run = j - i;
  // An ISO code first: the common case ('USD 40,000', a currency column's 'EUR').
  const iso = run === 3 ? isoCodeAt(s, i) : undefined;
  if (iso !== undefined && (j === end || !isLetterAt(s, j))) return matched(j, iso);
  const named = currencyWordAt(s, i, end) ?? currencyNameAt(s, i, end);
  if (named !== undefined) return named;
  // 'US$', 'R$', 'A$', 'HK$': a short upper-case country prefix glued to '$'.
  if (run <= 3 && j < end && s.charCodeAt(j) === C_DOLLAR) {
    for (let k = i; k < j; k++) if (s.charCodeAt(k) > 0x5a) return undefined;
    const prefix = s.slice(i, j);
    return matched(j + 1, Object.hasOwn(DOLLAR_PREFIXES, prefix) ? DOLLAR_PREFIXES[prefix] : '$');
  }
  return undefined;
}

/**
 * What a currency cell names: an ISO code ('eur' -> 'EUR'), a symbol ('€' -> 'EUR', '$' -> the
 * '$' family token), 'US$', an abbreviation ('kr'), or a currency name ('Euro', 'US Dollar',
 * 'Livre sterling'); undefined when the text is none of these (or blank).
 */
export function currencyOfText(cell: string): string | undefined {
  const s = trimStart(cell);
  if (s === cell.length) return undefined;
  const e = trimEnd(cell, s);
  const m = currencyAt(cell, s, e);
  if (m === undefined || skipSpace(cell, m.end, e) !== e) return undefined;
  return m.code;
}
