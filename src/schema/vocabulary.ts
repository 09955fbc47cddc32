/**
 * What header words mean: one vocabulary per concept (in the CRMs' main UI languages:
 * English, German, French, Spanish, Portuguese, Italian, Dutch) and one decision list per
 * table kind that says which words a field's header must and must not hold. This replaces
 * alias lists: `Revenue (Last 12 Months)`, `Umsatz letzte 12 Monate`, `Revenue_LTM__c` and
 * `CA 12 mois (k€)` all reach `revenue` through the same rule.
 *
 * Pure data and pure functions; `./mapping.ts` applies presets, overrides and precedence.
 */
import type { Field, TableKind } from './fields.ts';
import { LIFETIME, TWELVE_MONTHS, type HeaderReading } from './header-words.ts';

/** A concept: phrases (folded words separated by single spaces) that mean one thing. */
type Concept = readonly string[];

// ---------------------------------------------------------------------------------------
// Concepts

const REVENUE: Concept = [
  'revenue',
  'revenues',
  'umsatz',
  'umsatze',
  'umsaetze',
  'erlos',
  'erlose',
  'erloes',
  'erloese',
  'chiffre d affaires',
  'ca',
  'ingresos',
  'ingreso',
  'facturacion',
  'receita',
  'receitas',
  'faturamento',
  'faturacao',
  'fatturato',
  'ricavi',
  'ricavo',
  'omzet',
  'opbrengst',
  'opbrengsten',
];
/** 'Sales' names revenue only with a period or an amount word ('Sales LTM', 'Sales Volume'): 'Sales Region' is not. */
const SALES: Concept = ['sales', 'ventes', 'ventas', 'vendas', 'vendite', 'verkauf', 'verkaufe', 'verkoop'];
const SALES_AMOUNT: Concept = ['volume', 'amount', 'value', 'betrag', 'wert', 'montant', 'valeur', 'importe', 'valor', 'importo', 'valore', 'bedrag', 'waarde'];
const RECURRING: Concept = [
  'recurring',
  'arr',
  'wiederkehrend',
  'wiederkehrender',
  'recurrent',
  'recurrente',
  'recorrente',
  'ricorrente',
  'terugkerend',
  'terugkerende',
];
const MONTHLY: Concept = [
  'mrr',
  'monthly',
  'per month',
  'monatlich',
  'monatlicher',
  'monats',
  'mensuel',
  'mensuelle',
  'mensual',
  'mensal',
  'mensile',
  'maandelijks',
  'maandelijkse',
  'maand',
];
const PARTIAL_PERIOD: Concept = [
  'ytd',
  'qtd',
  'mtd',
  'year to date',
  'quarter',
  'quarterly',
  'q1',
  'q2',
  'q3',
  'q4',
  'h1',
  'h2',
  'quartal',
  'trimestre',
  'kwartaal',
  'semester',
];
/** The account's own size: 'Annual Revenue', 'Jahresumsatz', 'Company revenue', 'Turnover'. */
const ANNUAL: Concept = ['annual', 'yearly', 'annuel', 'annuelle', 'anual', 'annuale', 'jaarlijks', 'jaarlijkse', 'jahres', 'jahrlich', 'jahrlicher'];
const COMPANY_OWN: Concept = ['company', 'firmen', 'unternehmens', 'empresa', 'azienda', 'bedrijfs', 'organization', 'organisation'];
const TURNOVER: Concept = ['turnover', 'jaaromzet', 'jahresumsatz'];
const NOT_ACTUAL: Concept = [
  'forecast',
  'forecasted',
  'target',
  'targets',
  'budget',
  'budgeted',
  'plan',
  'planned',
  'goal',
  'quota',
  'expected',
  'estimated',
  'estimate',
  'est',
  'projected',
  'projection',
  'prognose',
  'ziel',
  'soll',
  'objectif',
  'prevision',
  'objetivo',
  'meta',
  'previsto',
  'obiettivo',
  'previsione',
  'doel',
  'prognosis',
  'lost',
  'churned',
  'cost',
  'costs',
  'tax',
  'per employee',
  'share',
  'anteil',
  'part',
  'cuota',
  'quota',
  'aandeel',
  'rank',
  'ranking',
  'tier',
  'band',
  'range',
  'bucket',
  'class',
  'category',
  'segment',
  'currency',
];
const POTENTIAL: Concept = [
  'potential',
  'potenzial',
  'potential',
  'potentiel',
  'potencial',
  'potenziale',
  'potentieel',
  'wallet',
  'share of wallet',
  'addressable',
  'whitespace',
  'white space',
];
const SCORE_LIKE: Concept = [
  'score',
  'scoring',
  'rating',
  'rank',
  'ranking',
  'index',
  'level',
  'class',
  'klasse',
  'classe',
  'tier',
  'grade',
  'stufe',
  'niveau',
  'nivel',
  'livello',
  'bewertung',
  'note',
  'punkte',
  'points',
  'puntuacion',
  'pontuacao',
  'punteggio',
];
const PROBABILITY: Concept = [
  'probability',
  'likelihood',
  'chance',
  'chances',
  'wahrscheinlichkeit',
  'probabilite',
  'probabilidad',
  'probabilidade',
  'probabilita',
  'kans',
  'waarschijnlijkheid',
];
const PIPELINE: Concept = ['pipeline', 'pipe'];
/** Won deals: what they add up to is a lifetime sum (Pipedrive's 'Won deals value'), not the last 12 months. */
const WON_DEALS: Concept = [
  'won deals',
  'won deal',
  'won opportunities',
  'affaires gagnees',
  'gewonnene deals',
  'gewonnene opportunities',
  'tratos ganados',
  'negocios ganhos',
  'trattative vinte',
  'gewonnen deals',
];
/** Open deals: a count ('Organization - Open deals' in Pipedrive) unless an amount word says otherwise. */
const OPEN_DEALS: Concept = [
  'open opportunities',
  'open opportunity',
  'open deals',
  'open deal',
  'offene opportunities',
  'offene chancen',
  'offene deals',
  'opportunites ouvertes',
  'affaires ouvertes',
  'affaires en cours',
  'tratos abiertos',
  'negocios abertos',
  'trattative aperte',
  'oportunidades abiertas',
  'oportunidades abertas',
  'opportunita aperte',
  'open kansen',
];
const GROWTH: Concept = ['growth', 'yoy', 'cagr', 'wachstum', 'croissance', 'crecimiento', 'crescimento', 'crescita', 'groei'];
const MARGIN: Concept = ['margin', 'marge', 'margen', 'margem', 'margine', 'gm', 'deckungsbeitrag', 'rohertrag', 'brutomarge'];
const RETENTION: Concept = [
  'retention',
  'renewal',
  'kundenbindung',
  'bindung',
  'verlangerung',
  'fidelisation',
  'renouvellement',
  'retencion',
  'renovacion',
  'retencao',
  'renovacao',
  'fidelizzazione',
  'rinnovo',
  'retentie',
  'verlenging',
];
const CHURN: Concept = [
  'churn',
  'attrition',
  'abwanderung',
  'abwanderungs',
  'kundigung',
  'kundigungs',
  'kuendigung',
  'attrition',
  'depart',
  'resiliation',
  'perte',
  'fuga',
  'abandono',
  'baja',
  'evasao',
  'cancelamento',
  'abbandono',
  'disdetta',
  'verloop',
  'opzegging',
];
const RISK_WORDS: Concept = [
  'risk',
  'risiko',
  'risque',
  'riesgo',
  'risco',
  'rischio',
  'risico',
  'rate',
  'quote',
  'taux',
  'tasa',
  'taxa',
  'tasso',
  'percentage',
  ...PROBABILITY,
];
const DATE_WORDS: Concept = [
  'date',
  'time',
  'datum',
  'day',
  'jour',
  'fecha',
  'data',
  'dia',
  'giorno',
  'on',
  'at',
  'when',
  'created',
  'modified',
  'updated',
  'zeit',
  'heure',
  'hora',
  'ora',
  'tijd',
  'dag',
  'month',
  'week',
];
const FIT: Concept = ['fit', 'passung', 'passgenauigkeit', 'adequation', 'adecuacion', 'adequacao', 'adeguatezza', 'aansluiting', 'icp'];
const STRATEGIC: Concept = [
  'strategic',
  'strategy',
  'strategisch',
  'strategische',
  'strategischer',
  'strategique',
  'estrategico',
  'estrategica',
  'strategico',
  'strategica',
];
const STRATEGIC_QUALIFIER: Concept = [
  'value',
  'importance',
  'rating',
  'score',
  'priority',
  'relevance',
  'fit',
  'level',
  'wert',
  'bedeutung',
  'relevanz',
  'prioritat',
  'valeur',
  'importance',
  'priorite',
  'valor',
  'importancia',
  'prioridad',
  'prioridade',
  'relevancia',
  'valore',
  'importanza',
  'priorita',
  'rilevanza',
  'waarde',
  'belang',
  'prioriteit',
  'interest',
  'significance',
];
const EMPLOYEES: Concept = [
  'employees',
  'employee',
  'headcount',
  'staff',
  'mitarbeiter',
  'mitarbeitende',
  'beschaftigte',
  'effectif',
  'effectifs',
  'salaries',
  'employes',
  'empleados',
  'plantilla',
  'funcionarios',
  'colaboradores',
  'dipendenti',
  'medewerkers',
  'werknemers',
  'fte',
];
const INDUSTRY: Concept = ['industry', 'sector', 'vertical', 'branche', 'secteur', 'industrie', 'industria', 'setor', 'settore', 'sic description', 'naf'];
const COUNTRY: Concept = ['country', 'land', 'pays', 'pais', 'paese', 'nation', 'country region', 'staat'];
const CURRENCY: Concept = ['currency', 'wahrung', 'devise', 'moneda', 'divisa', 'moeda', 'valuta', 'currencyisocode', 'currency iso code', 'iso currency'];
const SECONDARY_PLACE: Concept = [
  'shipping',
  'mailing',
  'delivery',
  'other',
  'lieferung',
  'liefer',
  'livraison',
  'envio',
  'entrega',
  'spedizione',
  'levering',
  'secondary',
  'address 2',
];

const ID: Concept = [
  'id',
  'ids',
  'identifier',
  'guid',
  'uuid',
  'kennung',
  'identifiant',
  'identificador',
  'identificativo',
  'identificatie',
  'account key',
  'customer key',
  'client key',
];
const NUMBER: Concept = ['number', 'no', 'nr', 'nummer', 'numero', 'num', 'code', 'kode', 'codigo', 'codice'];
const NAME: Concept = [
  'name',
  'nom',
  'nombre',
  'nome',
  'naam',
  'nazev',
  'bezeichnung',
  'raison sociale',
  'razon social',
  'razao social',
  'ragione sociale',
  'denominacion',
  'denominazione',
  'benaming',
];
/** Words that name an account. */
const ACCOUNT_ENTITY: Concept = [
  'account',
  'accounts',
  'company',
  'companies',
  'customer',
  'customers',
  'client',
  'clients',
  'organization',
  'organisation',
  'org',
  'firm',
  'firma',
  'firmen',
  'unternehmen',
  'unternehmens',
  'kunde',
  'kunden',
  'entreprise',
  'societe',
  'cliente',
  'clientes',
  'empresa',
  'azienda',
  'bedrijf',
  'bedrijfs',
  'klant',
  'klanten',
  'organizacion',
  'organizacao',
  'organizzazione',
  'organisatie',
  'organizace',
  'tiers',
  'third party',
  'partner',
  'conta',
  'compte',
  'comptes',
  'cuenta',
  'cuentas',
];
/** Words that may stand beside an id or a name without changing what it names. */
const IDENTITY_NEUTRAL: Concept = [
  'record',
  'datensatz',
  'datensatzes',
  'registro',
  'enregistrement',
  'object',
  'hs',
  'crm',
  'external',
  'unique',
  'display',
  'full',
  'legal',
  'official',
  'primary',
  'main',
  'associated',
  'the',
  'of',
  'de',
  'du',
  'der',
  'des',
  'do',
  'da',
  'del',
  'di',
  'van',
  'het',
  'l',
  'd',
  'la',
  'le',
  'zoho',
  'sf',
  'sfdc',
  'salesforce',
  'hubspot',
  'pipedrive',
  'odoo',
];
const DEAL_ENTITY: Concept = [
  'deal',
  'deals',
  'opportunity',
  'opportunities',
  'opp',
  'oppty',
  'affaire',
  'obchod',
  'trato',
  'oportunidad',
  'oportunidade',
  'opportunita',
  'kans',
  'verkaufschance',
  'chance',
];
const AMOUNT: Concept = [
  'amount',
  'value',
  'betrag',
  'wert',
  'montant',
  'valeur',
  'importe',
  'monto',
  'valor',
  'importo',
  'valore',
  'bedrag',
  'waarde',
  'deal size',
  'size',
  'volume',
];
const WEIGHTED: Concept = ['weighted', 'expected', 'gewichtet', 'pondere', 'ponderado', 'ponderato', 'gewogen', 'probability', 'factored'];
const STAGE: Concept = ['stage', 'phase', 'etape', 'etapa', 'fase', 'sales stage', 'pipeline stage'];
const STATUS: Concept = ['status', 'statut', 'estado', 'stato', 'state'];
const WON: Concept = ['won', 'gewonnen', 'gagne', 'ganado', 'ganho', 'vinto', 'win'];
const CLOSED: Concept = ['closed', 'geschlossen', 'ferme', 'cerrado', 'fechado', 'chiuso', 'gesloten'];
const CLOSE: Concept = ['close', 'closing', 'closed', 'abschluss', 'cloture', 'cierre', 'fechamento', 'chiusura', 'sluiting', 'won', 'lost'];
const EXPECTED: Concept = ['expected', 'estimated', 'est', 'planned', 'erwartet', 'voraussichtlich', 'prevue', 'prevista', 'previsto', 'verwacht'];

/** Words that make a column about someone or something else (its owner, its parent, a contact): none of its own fields. */
const PEOPLE_AND_LINKS: Concept = [
  'owner',
  'owners',
  'contact',
  'contacts',
  'person',
  'people',
  'user',
  'users',
  'parent',
  'master',
  'created',
  'modified',
  'updated',
  'assigned',
  'campaign',
  'lead',
  'manager',
  'rep',
  'agent',
  'responsible',
  'responsable',
  'inhaber',
  'besitzer',
  'betreuer',
  'proprietaire',
  'propietario',
  'proprietario',
  'eigenaar',
  'vlastnik',
  'subsidiary',
  'ultimate',
  'deleted',
];
/** In an accounts file, also a deal's stage or status, or a type. */
const ACCOUNTS_OTHER: Concept = [...PEOPLE_AND_LINKS, 'stage', 'phase', 'status', 'type', 'typ'];

// ---------------------------------------------------------------------------------------
// Rules

/** Why a column that looks like a field does not feed it (rendered to words by the command). */
export type NearReason =
  | 'lifetime' // a lifetime total, not the last 12 months
  | 'partial_period' // year to date, a quarter
  | 'monthly' // a month, not 12 months
  | 'not_money' // a score or rating, not an amount
  | 'unit' // its annotation gives a unit the field cannot take ('Margin (€)')
  | 'ambiguous' // a word that often means this field, but not always ('Rating')
  | 'company_size'; // the account's own annual revenue, not what it brings us (SCORING.md's trap)

/** What the vocabulary makes of one header. */
export interface WordsMatch {
  /** The field, or undefined when the header means something else. */
  readonly field: Field | undefined;
  /** 3 explicit (a period, kam's own name), 2 ordinary, 1 weak (a word that often means something else). */
  readonly strength: number;
  /** For an unmapped header that looks like a model input: the field it looks like, and why it is not used. */
  readonly near?: { readonly field: Field; readonly reason: NearReason } | undefined;
}

interface Rule {
  readonly field: Field | undefined;
  /** Each concept must be present. */
  readonly all?: readonly Concept[];
  /** At least one of these concepts must be present. */
  readonly any?: readonly Concept[];
  /** The rule does not apply when any of these is present. */
  readonly none?: readonly Concept[];
  /** Every word of the header must belong to one of these concepts (identity fields). */
  readonly only?: readonly Concept[];
  /** The header's period annotation must be this. */
  readonly period?: '12m' | 'lifetime';
  readonly strength?: number;
  readonly near?: { readonly field: Field; readonly reason: NearReason };
}

const ACCOUNT_RULES: readonly Rule[] = [
  // Identity: every word must be an id / name word, an account word or a neutral one.
  { field: 'account_id', all: [ID], only: [ID, ACCOUNT_ENTITY, IDENTITY_NEUTRAL] },
  { field: 'account_id', all: [NUMBER, ACCOUNT_ENTITY], only: [NUMBER, ACCOUNT_ENTITY, IDENTITY_NEUTRAL], strength: 1 },
  { field: 'account_name', all: [NAME], only: [NAME, ACCOUNT_ENTITY, IDENTITY_NEUTRAL] },
  { field: 'account_name', all: [ACCOUNT_ENTITY], only: [ACCOUNT_ENTITY, IDENTITY_NEUTRAL], strength: 1 },
  { field: undefined, any: [ACCOUNTS_OTHER] },
  // Open pipeline before revenue and potential ('Pipeline Revenue', 'Open Pipeline (€)').
  { field: 'pipeline', all: [PIPELINE], none: [PROBABILITY, SCORE_LIKE, DATE_WORDS, ['count', 'number', 'anzahl', 'nombre de']] },
  { field: 'pipeline', all: [OPEN_DEALS, SALES_AMOUNT], none: [PROBABILITY, ['count', 'number', 'anzahl', 'nombre de']] },
  { field: undefined, all: [OPEN_DEALS] },
  { field: undefined, all: [WON_DEALS, SALES_AMOUNT], near: { field: 'revenue', reason: 'lifetime' } },
  { field: undefined, all: [WON_DEALS] },
  { field: undefined, all: [POTENTIAL], any: [SCORE_LIKE, PROBABILITY], near: { field: 'potential_revenue', reason: 'not_money' } },
  { field: 'potential_revenue', all: [POTENTIAL], none: [NOT_ACTUAL, DATE_WORDS, GROWTH] },
  { field: 'growth_rate', all: [GROWTH], none: [DATE_WORDS, ['amount', 'absolute', 'betrag', 'montant', 'importe']] },
  { field: 'gross_margin', all: [MARGIN], none: [DATE_WORDS, ['amount', 'absolute', 'betrag', 'montant', 'importe', 'total']] },
  { field: 'churn_risk', all: [CHURN], none: [DATE_WORDS, ['reason', 'grund', 'raison', 'motivo', 'reden']] },
  { field: 'retention_rate', all: [RETENTION], none: [DATE_WORDS, ['reason', 'grund', 'raison', 'motivo', 'reden', 'owner']] },
  { field: 'strategic_value', all: [STRATEGIC, STRATEGIC_QUALIFIER], none: [DATE_WORDS, ['plan', 'notes']] },
  { field: 'strategic_value', all: [STRATEGIC], only: [STRATEGIC] },
  { field: undefined, all: [STRATEGIC], none: [DATE_WORDS, ['plan', 'notes']], near: { field: 'strategic_value', reason: 'ambiguous' } },
  { field: 'product_fit', all: [FIT], none: [DATE_WORDS] },
  // Revenue: the account's own size first (the trap SCORING.md warns about), then periods.
  { field: 'revenue', all: [REVENUE, RECURRING], none: [MONTHLY, NOT_ACTUAL] },
  { field: 'revenue', all: [['arr']], none: [NOT_ACTUAL] },
  { field: 'company_revenue', all: [REVENUE, ANNUAL], any: [['estimated', 'est', 'estimate']], none: [POTENTIAL, ['forecast', 'target', 'budget']] },
  { field: 'company_revenue', all: [REVENUE, ANNUAL], none: [NOT_ACTUAL, POTENTIAL] },
  { field: 'company_revenue', all: [REVENUE, COMPANY_OWN], none: [NOT_ACTUAL, POTENTIAL] },
  { field: 'company_revenue', all: [TURNOVER], none: [NOT_ACTUAL] },
  { field: undefined, all: [REVENUE], any: [MONTHLY], none: [NOT_ACTUAL], near: { field: 'revenue', reason: 'monthly' } },
  { field: undefined, all: [REVENUE], any: [PARTIAL_PERIOD], none: [NOT_ACTUAL], near: { field: 'revenue', reason: 'partial_period' } },
  { field: undefined, all: [REVENUE], any: [SCORE_LIKE], near: { field: 'revenue', reason: 'not_money' } },
  { field: undefined, all: [REVENUE], any: [NOT_ACTUAL] },
  { field: 'revenue', all: [REVENUE], period: '12m', strength: 3 },
  { field: undefined, all: [REVENUE], period: 'lifetime', near: { field: 'revenue', reason: 'lifetime' } },
  { field: 'revenue', all: [REVENUE] },
  { field: undefined, all: [SALES], any: [MONTHLY, PARTIAL_PERIOD, NOT_ACTUAL, SCORE_LIKE] },
  { field: 'revenue', all: [SALES], period: '12m', strength: 3 },
  { field: undefined, all: [SALES], period: 'lifetime', near: { field: 'revenue', reason: 'lifetime' } },
  { field: 'revenue', all: [SALES, SALES_AMOUNT] },
  { field: 'employees', all: [EMPLOYEES], none: [NOT_ACTUAL, ['growth']] },
  { field: 'industry', all: [INDUSTRY], none: [['code', 'id']] },
  { field: 'industry', all: [INDUSTRY], strength: 1 },
  { field: 'country', all: [COUNTRY], any: [SECONDARY_PLACE], strength: 1 },
  { field: 'country', all: [COUNTRY] },
  { field: 'currency', all: [CURRENCY] },
  {
    field: undefined,
    only: [['rating', 'priority', 'prioritat', 'priorite', 'prioridad', 'priorita', 'prioriteit', 'prioridade']],
    near: { field: 'strategic_value', reason: 'ambiguous' },
  },
];

const DEAL_RULES: readonly Rule[] = [
  { field: 'deal_account_id', all: [ACCOUNT_ENTITY, ID], only: [ACCOUNT_ENTITY, ID, IDENTITY_NEUTRAL] },
  { field: 'deal_account_id', all: [ACCOUNT_ENTITY, NUMBER], only: [ACCOUNT_ENTITY, NUMBER, IDENTITY_NEUTRAL], strength: 1 },
  { field: 'deal_id', all: [ID], only: [ID, DEAL_ENTITY, IDENTITY_NEUTRAL] },
  { field: 'deal_account_name', all: [ACCOUNT_ENTITY, NAME], only: [ACCOUNT_ENTITY, NAME, IDENTITY_NEUTRAL] },
  { field: 'deal_account_name', all: [ACCOUNT_ENTITY], only: [ACCOUNT_ENTITY, IDENTITY_NEUTRAL], strength: 1 },
  { field: 'is_won', all: [WON], none: [DATE_WORDS, ['reason', 'amount', 'value', 'lost']] },
  { field: 'is_closed', all: [CLOSED], none: [DATE_WORDS, WON, ['reason', 'amount', 'value', 'lost']] },
  { field: 'close_date', all: [CLOSE, DATE_WORDS], none: [EXPECTED, WON] },
  { field: 'close_date', all: [CLOSE, DATE_WORDS], strength: 1 },
  { field: 'close_date', all: [['abschlussdatum', 'sluitingsdatum', 'closedate']] },
  { field: undefined, any: [PEOPLE_AND_LINKS] },
  { field: 'stage', all: [STAGE], none: [['probability', 'date', 'duration', 'days', 'age']] },
  { field: 'stage', all: [STATUS], only: [STATUS, DEAL_ENTITY, IDENTITY_NEUTRAL], strength: 1 },
  { field: undefined, any: [PROBABILITY, WEIGHTED] },
  { field: 'amount', all: [AMOUNT], none: [NOT_ACTUAL, MONTHLY, ANNUAL, RECURRING] },
  { field: 'amount', all: [REVENUE], none: [NOT_ACTUAL, MONTHLY, ANNUAL], strength: 1 },
  { field: 'currency', all: [CURRENCY] },
];

const RULES: Readonly<Record<TableKind, readonly Rule[]>> = { accounts: ACCOUNT_RULES, deals: DEAL_RULES };

function has(text: string, concept: Concept): boolean {
  for (const phrase of concept) if (text.includes(` ${phrase} `)) return true;
  return false;
}

/** Does every word of the header belong to one of the concepts? */
function onlyOf(reading: HeaderReading, concepts: readonly Concept[]): boolean {
  let rest = reading.text;
  for (const concept of concepts) {
    // Longest phrases first, so 'third party' goes before 'party'.
    for (const phrase of [...concept].sort((a, b) => b.length - a.length)) {
      while (rest.includes(` ${phrase} `)) rest = rest.replace(` ${phrase} `, ' ');
    }
  }
  return rest.trim() === '';
}

function applies(rule: Rule, reading: HeaderReading): boolean {
  const t = reading.text;
  if (rule.all && !rule.all.every((c) => has(t, c))) return false;
  if (rule.any && !rule.any.some((c) => has(t, c))) return false;
  if (rule.none && rule.none.some((c) => has(t, c))) return false;
  if (rule.period !== undefined && reading.annotations.period !== rule.period) return false;
  if (rule.only && !onlyOf(reading, rule.only)) return false;
  return true;
}

/** kam's own snake_case names, written as kam writes them ('potential_revenue'): the most explicit claim. */
function canonicalName(header: string, fields: readonly Field[]): Field | undefined {
  const h = header.trim();
  return fields.find((f) => f === h);
}

/** The unit kind each field's cells take, to check a header's annotation against it. */
type UnitKind = 'money' | 'percent' | 'rating' | 'other';
const UNIT_KIND: Partial<Record<Field, UnitKind>> = {
  revenue: 'money',
  company_revenue: 'money',
  potential_revenue: 'money',
  pipeline: 'money',
  amount: 'money',
  growth_rate: 'percent',
  gross_margin: 'percent',
  retention_rate: 'percent',
  churn_risk: 'percent',
  product_fit: 'rating',
  strategic_value: 'rating',
};

/** An annotation the field cannot take ('Margin (€)' is an amount, 'Revenue (%)' a share, 'Potential (1-5)' a score). */
function unitClash(field: Field, reading: HeaderReading): boolean {
  const a = reading.annotations;
  const kind = UNIT_KIND[field] ?? 'other';
  const money = a.currency !== undefined || a.scale !== undefined;
  const rating = a.ratingScale !== undefined || a.ratingWords !== undefined;
  if (kind === 'money') return a.percent === true || rating;
  if (kind === 'percent') return money || rating;
  if (kind === 'rating') return money || a.percent === true;
  return false;
}

/**
 * What a header's words mean in a table of `kind`: the first rule of the decision list that
 * applies decides. kam's own snake_case names come first.
 */
export function matchWords(header: string, reading: HeaderReading, kind: TableKind, fields: readonly Field[]): WordsMatch {
  const own = canonicalName(header, fields);
  if (own !== undefined) {
    if (unitClash(own, reading)) return { field: undefined, strength: 0, near: { field: own, reason: 'unit' } };
    return own === 'company_revenue' ? { field: own, strength: 4, near: { field: 'revenue', reason: 'company_size' } } : { field: own, strength: 4 };
  }
  for (const rule of RULES[kind]) {
    if (!applies(rule, reading)) continue;
    if (rule.field === undefined) return { field: undefined, strength: 0, near: rule.near };
    if (unitClash(rule.field, reading)) return { field: undefined, strength: 0, near: { field: rule.field, reason: 'unit' } };
    const strength = rule.strength ?? 2;
    const near = rule.field === 'company_revenue' ? { near: { field: 'revenue' as const, reason: 'company_size' as const } } : {};
    // A word the vocabulary does not know makes the claim less specific ('Opp Close Date_Simulated' < 'CloseDate').
    return { field: rule.field, strength: rule.only === undefined && hasUnknownWord(reading) ? Math.max(1, strength - 1) : strength, ...near };
  }
  return { field: undefined, strength: 0 };
}

function hasUnknownWord(reading: HeaderReading): boolean {
  return reading.words.some((w) => !KNOWN_WORDS.has(w) && !/^\d+[a-z]?$/.test(w) && !/^(?:fy|cy|gj|ej|q|h|l)\d+[a-z]?$/.test(w));
}

// ---------------------------------------------------------------------------------------
// Glued words ('annualrevenue', 'numberofemployees', 'jahresumsatz')

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

const KNOWN_WORDS: ReadonlySet<string> = new Set(
  [
    REVENUE,
    SALES,
    SALES_AMOUNT,
    RECURRING,
    MONTHLY,
    PARTIAL_PERIOD,
    ANNUAL,
    COMPANY_OWN,
    TURNOVER,
    NOT_ACTUAL,
    POTENTIAL,
    SCORE_LIKE,
    PROBABILITY,
    PIPELINE,
    GROWTH,
    MARGIN,
    RETENTION,
    CHURN,
    RISK_WORDS,
    DATE_WORDS,
    FIT,
    STRATEGIC,
    STRATEGIC_QUALIFIER,
    EMPLOYEES,
    INDUSTRY,
    COUNTRY,
    CURRENCY,
    SECONDARY_PLACE,
    ID,
    NUMBER,
    NAME,
    ACCOUNT_ENTITY,
    IDENTITY_NEUTRAL,
    OPEN_DEALS,
    WON_DEALS,
    DEAL_ENTITY,
    AMOUNT,
    WEIGHTED,
    STAGE,
    STATUS,
    WON,
    CLOSED,
    CLOSE,
    EXPECTED,
    ACCOUNTS_OTHER,
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
 * ('numberofemployees' -> number of employees); otherwise the word itself.
 */
export function segmentWord(word: string): readonly string[] {
  if (word.length < 5 || KNOWN_WORDS.has(word) || !/^[a-z]+$/.test(word)) return [word];
  const n = word.length;
  // best[i]: fewest pieces covering word[0, i); from[i]: where the last piece starts.
  const best = new Array<number>(n + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Array<number>(n + 1).fill(-1);
  best[0] = 0;
  for (let i = 1; i <= n; i++) {
    for (let j = Math.max(0, i - 24); j < i; j++) {
      if (best[j] === Number.POSITIVE_INFINITY || !KNOWN_WORDS.has(word.slice(j, i))) continue;
      if (best[j]! + 1 < best[i]!) {
        best[i] = best[j]! + 1;
        from[i] = j;
      }
    }
  }
  if (best[n] === Number.POSITIVE_INFINITY) return [word];
  const parts: string[] = [];
  for (let i = n; i > 0; i = from[i]!) parts.unshift(word.slice(from[i], i));
  return parts;
}
