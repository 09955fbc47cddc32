import { zod } from './zod.ts';
import { inferRatingColumn, normaliseRating, type InferredRatingScale, type RatingScale } from '../core/normalise.ts';
import { RetentionSource, type AccountColumns } from '../core/types.ts';
import type { RawTable } from '../io/read-table.ts';
import { InputError } from '../errors.ts';
import type { AccountField } from './fields.ts';
import type { ColumnAnnotations, ColumnMapping } from './mapping.ts';
import { normaliseHeader } from './mapping.ts';
import {
  booleanRule,
  cellSchema,
  checkRowCells,
  currencyRule,
  idRule,
  issueCode,
  numberRules,
  textRule,
  type CellRule,
  type NumberRules,
  type RowIssue,
} from './cells.ts';
import { CONFLICT, CurrencyBook, resolveCurrency, settleCodes, Settlement, type CurrencySettings, type CurrencySource } from './money.ts';
import { findTotalsRows, type DroppedRow } from './totals.ts';
import { wrongKindOfFile } from './table-kind.ts';
import { currencyOfText, inferDecimal, parseMoney, resolvePercentColumn, type Decimal, type Money } from './values.ts';

export type { IssueCode, RowIssue } from './cells.ts';
export type { DroppedRow } from './totals.ts';

/** A rejected input record and why. */
export interface RejectedRow {
  readonly recordIndex: number;
  readonly line: number;
  readonly issues: readonly RowIssue[];
}

/** How the account file's values are read: from flags and config. */
export interface ValueSettings {
  readonly decimal?: Decimal | undefined;
  readonly ratingWords: ReadonlyMap<string, number>;
  readonly ratingScales?: { readonly product_fit?: RatingScale | undefined; readonly strategic_value?: RatingScale | undefined } | undefined;
  readonly currency?: CurrencySettings | undefined;
  /** Boolean flag columns (headers as in the config) whose "yes" adds strategic points. */
  readonly flagColumns?: readonly string[] | undefined;
}

/** The validated accounts, in columns, and everything the reports need to account for every row. */
export interface ParsedAccounts {
  readonly accounts: AccountColumns;
  /** Account i came from record recordIndex[i] of the table. */
  readonly recordIndex: Uint32Array;
  /** Rejected records, in input order. */
  readonly rejected: readonly RejectedRow[];
  readonly decimal: Decimal;
  readonly percentScales: Readonly<Partial<Record<AccountField, 'fraction' | 'percent'>>>;
  readonly ratingScales: Readonly<Partial<Record<'product_fit' | 'strategic_value', RatingScale>>>;
  /** Cells holding bidi-control or zero-width characters (kept, but counted). */
  readonly invisibleCells: number;
  /** Flag columns found (config key -> column index). */
  readonly flagColumns: Readonly<Record<string, number>>;
  /** One-line notes for stderr (e.g. 'retention_rate and churn_risk both given on 2 rows: retention_rate used'). */
  readonly notes: readonly string[];
  /** What each column's header annotations did to its values (one entry per column and annotation). */
  readonly annotationEffects: readonly AnnotationEffect[];
  /** Records that are not accounts (spreadsheet totals and subtotals), dropped with a note. */
  readonly dropped: readonly DroppedRow[];
  /** The currencies the money values were in (ISO codes, most rows first); empty when no value named one. */
  readonly currencies: readonly string[];
}

/** One thing a header annotation set for its column, and whether it changed any value kam read. */
export interface AnnotationEffect {
  readonly field: AccountField;
  /** 0-based column index and the header as written. */
  readonly column: number;
  readonly header: string;
  readonly annotation: 'percent' | 'scale' | 'currency' | 'ratingScale' | 'ratingWords';
  /** What it set, in words: 'bare numbers are percents', 'values × 1000', 'amounts in EUR', 'scale 1..5', 'words H=100, M=50, L=0'. */
  readonly effect: string;
  /** True when a value reads differently than it would without the annotation (said on stderr once). */
  readonly changed: boolean;
}

const MONEY_FIELDS = ['revenue', 'company_revenue', 'potential_revenue', 'pipeline'] as const;
const PERCENT_FIELDS = ['growth_rate', 'gross_margin', 'retention_rate', 'churn_risk'] as const;
const RATING_FIELDS = ['product_fit', 'strategic_value'] as const;
type MoneyField = (typeof MONEY_FIELDS)[number];
type PercentField = (typeof PERCENT_FIELDS)[number];
type RatingField = (typeof RATING_FIELDS)[number];

type Percent = { readonly value: number; readonly hasSign: boolean };
type Rating = { readonly number: number } | { readonly word: number };

/** Which rule reads each field. */
function fieldRules(rules: NumberRules) {
  return {
    account_id: idRule,
    account_name: textRule,
    revenue: rules.money,
    company_revenue: rules.money,
    potential_revenue: rules.money,
    pipeline: rules.money,
    growth_rate: rules.percent,
    gross_margin: rules.percent,
    retention_rate: rules.percent,
    churn_risk: rules.percent,
    product_fit: rules.rating,
    strategic_value: rules.rating,
    industry: textRule,
    country: textRule,
    employees: rules.count,
    currency: currencyRule,
  } as const satisfies Record<AccountField, CellRule<unknown>>;
}

/**
 * The row schema: the zod object of one account row, one cell schema per field, built
 * from the same rules the hot path runs. It decides what a row's issues are.
 */
function buildRowSchema(rules: ReturnType<typeof fieldRules>) {
  const { z } = zod();
  const shape = Object.fromEntries(Object.entries(rules).map(([f, rule]) => [f, cellSchema(rule as CellRule<unknown>).optional()]));
  return z.object({ ...shape, flags: z.record(z.string(), cellSchema(booleanRule)).optional() });
}


/** Suggest headers that look like a missing field, for the "missing required column" error. */
function nearMisses(header: readonly string[], field: string): string[] {
  const words = field.split('_');
  return header.filter((h) => {
    const n = normaliseHeader(h);
    return words.some((w) => w.length > 2 && n.includes(w));
  });
}

/** Delimiters a header read with the wrong one still contains, with how to ask for them. */
const OTHER_DELIMITERS = [
  { char: ';', label: "';'", option: "';'" },
  { char: '\t', label: 'TAB', option: 'tab' },
  { char: '|', label: "'|'", option: "'|'" },
  { char: ',', label: "','", option: "','" },
] as const;

/**
 * The delimiter a header read as too few columns (a ';' file read with `--delimiter ,`)
 * still contains, for the missing-column hint; undefined when the header looks split right.
 */
function otherDelimiter(table: RawTable): { char: string; label: string; option: string } | undefined {
  if (table.header.length !== 1) return undefined;
  return OTHER_DELIMITERS.find((d) => d.char !== table.delimiter && table.header.some((h) => h.includes(d.char)));
}

/** Decide the decimal separator of the export from all its number cells (never a guess). */
function decideDecimal(table: RawTable, mapping: ColumnMapping, given: Decimal | undefined): Decimal {
  if (given) return given;
  const numberColumns: number[] = [];
  for (const f of [...MONEY_FIELDS, ...PERCENT_FIELDS, ...RATING_FIELDS, 'employees'] as const) {
    const i = mapping.fieldIndex[f];
    if (i !== undefined) numberColumns.push(i);
  }
  function* cells(): Generator<string> {
    for (const r of table.records) {
      const row = r.cells;
      for (const i of numberColumns) {
        const c = row[i];
        if (c !== undefined && c !== '') yield c;
      }
    }
  }
  let ev = inferDecimal(cells());
  if (ev.decimal) return ev.decimal;
  // Only a value that reads as a number one way or the other is evidence: one garbage cell
  // ('1,234k,567') is that row's issue, not a question about the whole export (rare path).
  const readable = (c: string): boolean => parseMoney(c, '.').kind === 'value' || parseMoney(c, ',').kind === 'value';
  ev = inferDecimal([...cells()].filter(readable));
  if (ev.decimal) return ev.decimal;
  if (ev.conflict) {
    throw new InputError(
      `${table.source}: the number columns mix decimal separators ('${ev.conflict.dot}' reads as a dot decimal, '${ev.conflict.comma}' as a comma decimal): pass --decimal . or --decimal ,`,
    );
  }
  throw new InputError(
    `${table.source}: cannot tell the decimal separator: '${ev.ambiguous ?? '?'}' could be read two ways and no value settles it: pass --decimal . or --decimal ,`,
  );
}

/**
 * A bare percent column read as percents (it has values above 1) can still hold a value
 * written as a fraction ('0.9' among '85', '90'): it reads as 0.9%, as SCORING.md says, but
 * the user is told, with the first such line, rather than left to find it in a score.
 */
function fractionLookingNote(
  header: readonly string[],
  col: number,
  records: RawTable['records'],
  passed: Uint8Array,
  val: Float64Array,
  sign: Uint8Array,
): string | undefined {
  let count = 0;
  let firstRec = -1;
  let percentRec = -1;
  for (let r = 0; r < records.length; r++) {
    if (!passed[r] || sign[r] !== 0) continue;
    const v = val[r]!;
    if (Number.isNaN(v)) continue;
    if (percentRec < 0 && (v < -1 || v > 1)) percentRec = r;
    if (v > -1 && v < 1 && !Number.isInteger(v)) {
      if (firstRec < 0) firstRec = r;
      count++;
    }
  }
  if (firstRec < 0 || percentRec < 0) return undefined;
  const cell = (r: number): string => `'${records[r]!.cells[col]!.trim()}' at line ${records[r]!.line}`;
  const v = val[firstRec]!;
  const more = count > 1 ? ` (and ${count - 1} more value${count === 2 ? '' : 's'} between -1 and 1)` : '';
  return (
    `${header[col]!}: bare numbers are percents in this column (${cell(percentRec)} is ${val[percentRec]!}%), ` +
    `so ${cell(firstRec)} is ${v}%${more}; write ${Number((v * 100).toPrecision(12))}% if a fraction was meant`
  );
}

/**
 * Validate every record of an accounts table: each becomes a typed account (in columns) or
 * a rejected row with its issues. File-level problems (a missing required column, an
 * undecidable decimal separator) throw InputError.
 *
 * Two passes, no object per row: pass 1 runs each mapped cell's rule straight into typed
 * arrays; a row where a rule fails goes through the zod row schema, which names its issues.
 * Pass 2 applies the column-level rules (percent and rating scales), ranges, currencies
 * and duplicate ids, and compacts the valid rows into `AccountColumns`.
 */
export function parseAccounts(table: RawTable, mapping: ColumnMapping, settings: ValueSettings): ParsedAccounts {
  const fi = mapping.fieldIndex;
  const wrongKind = wrongKindOfFile(table, 'accounts', fi.account_name);
  if (wrongKind !== undefined) throw new InputError(wrongKind);
  if (fi.account_name === undefined) {
    const other = otherDelimiter(table);
    const near = nearMisses(table.header, 'account_name');
    const hint =
      other !== undefined
        ? `; the header contains ${other.label}: use --delimiter ${other.option}`
        : near.length
          ? `; did you mean ${near.map((h) => `--map "${h}=account_name"`).join(' or ')}?`
          : '; use --map "Header=account_name"';
    throw new InputError(`${table.source}: missing required column: account_name (the account's name); found: ${table.header.join(', ')}${hint}`);
  }
  const header = table.header;
  const annotationsOf = (f: AccountField): ColumnAnnotations => mapping.columns[fi[f]!]?.annotations ?? {};
  const decimal = decideDecimal(table, mapping, settings.decimal);
  const rules = fieldRules(numberRules(decimal, settings.ratingWords));
  // A header's rating words ('(H/M/L)') extend the words of its column only.
  const ratingWordsAdded: Partial<Record<RatingField, string>> = {};
  for (const f of RATING_FIELDS) {
    if (fi[f] === undefined) continue;
    const extra = columnRatingWords(annotationsOf(f).ratingWords);
    if (extra.size === 0) continue;
    const words = new Map(settings.ratingWords);
    for (const [k, v] of extra) words.set(k, v);
    (rules as Record<string, CellRule<unknown>>)[f] = numberRules(decimal, words).rating;
    ratingWordsAdded[f] = [...extra].map(([k, v]) => `${k.length <= 1 ? k.toUpperCase() : k}=${v}`).join(', ');
  }
  const width = header.length;
  const records = table.records;
  const n0 = records.length;

  // Flag columns named in the config, matched like any header.
  const flagColumns: Record<string, number> = {};
  for (const key of settings.flagColumns ?? []) {
    const want = normaliseHeader(key);
    const i = header.findIndex((h) => normaliseHeader(h) === want);
    if (i >= 0) flagColumns[key] = i;
  }
  const flagKeys = Object.keys(flagColumns);
  const currencyColumns = mapping.currencyColumns as Readonly<Partial<Record<AccountField, number>>>;
  const mapped = [
    ...new Set<number>([
      ...Object.values(fi).filter((v): v is number => v !== undefined),
      ...Object.values(flagColumns),
      ...Object.values(currencyColumns).filter((v): v is number => v !== undefined),
    ]),
  ].sort((a, b) => a - b);

  // Pass 1 storage, indexed by record.
  const text = { account_id: [] as (string | undefined)[], account_name: [] as (string | undefined)[], industry: [] as (string | undefined)[], country: [] as (string | undefined)[], currency: [] as (string | undefined)[] };
  const money = Object.fromEntries(MONEY_FIELDS.map((f) => [f, new Float64Array(n0).fill(Number.NaN)])) as Record<MoneyField, Float64Array>;
  /** The currency each money cell names itself (ISO code or family token), when it names one. */
  const moneyCurrency = Object.fromEntries(MONEY_FIELDS.map((f) => [f, new Array<string | undefined>(fi[f] === undefined ? 0 : n0)])) as Record<MoneyField, (string | undefined)[]>;
  const pctValue = Object.fromEntries(PERCENT_FIELDS.map((f) => [f, new Float64Array(n0).fill(Number.NaN)])) as Record<PercentField, Float64Array>;
  const pctSign = Object.fromEntries(PERCENT_FIELDS.map((f) => [f, new Uint8Array(n0)])) as Record<PercentField, Uint8Array>;
  const ratValue = Object.fromEntries(RATING_FIELDS.map((f) => [f, new Float64Array(n0).fill(Number.NaN)])) as Record<RatingField, Float64Array>;
  /** 0 missing, 1 a number on the column's scale, 2 a word already on 0..100. */
  const ratKind = Object.fromEntries(RATING_FIELDS.map((f) => [f, new Uint8Array(n0)])) as Record<RatingField, Uint8Array>;
  const employees = new Float64Array(n0).fill(Number.NaN);
  const flagValues = Object.fromEntries(flagKeys.map((k) => [k, new Uint8Array(n0).fill(255)])) as Record<string, Uint8Array>;
  const passed = new Uint8Array(n0);
  /** Every rule of the row read its cell (the row may still lack its name or id). */
  const readOk = new Uint8Array(n0);

  type Store = (r: number, v: unknown) => void;
  const stores: { field: AccountField; col: number; rule: CellRule<unknown>; store: Store }[] = [];
  for (const f of Object.keys(rules) as AccountField[]) {
    const col = fi[f];
    if (col === undefined) continue;
    let store: Store;
    if ((MONEY_FIELDS as readonly string[]).includes(f)) {
      const arr = money[f as MoneyField];
      const cur = moneyCurrency[f as MoneyField];
      store = (r, v) => {
        arr[r] = (v as Money).amount;
        const c = (v as Money).currency;
        if (c !== undefined) cur[r] = c;
      };
    } else if ((PERCENT_FIELDS as readonly string[]).includes(f)) {
      const val = pctValue[f as PercentField];
      const sign = pctSign[f as PercentField];
      store = (r, v) => {
        val[r] = (v as Percent).value;
        sign[r] = (v as Percent).hasSign ? 1 : 0;
      };
    } else if ((RATING_FIELDS as readonly string[]).includes(f)) {
      const val = ratValue[f as RatingField];
      const kind = ratKind[f as RatingField];
      store = (r, v) => {
        const x = v as Rating;
        if ('word' in x) {
          val[r] = x.word;
          kind[r] = 2;
        } else {
          val[r] = x.number;
          kind[r] = 1;
        }
      };
    } else if (f === 'employees') store = (r, v) => (employees[r] = v as number);
    else {
      const arr = text[f as keyof typeof text];
      store = (r, v) => (arr[r] = v as string);
    }
    stores.push({ field: f, col, rule: rules[f] as CellRule<unknown>, store });
  }
  const flagStores = flagKeys.map((k) => ({ key: k, col: flagColumns[k]!, values: flagValues[k]! }));

  const issuesByRecord = new Map<number, RowIssue[]>();
  const addIssue = (rec: number, issue: RowIssue): void => {
    const list = issuesByRecord.get(rec);
    if (list) list.push(issue);
    else issuesByRecord.set(rec, [issue]);
  };
  let invisibleCells = 0;
  let schema: ReturnType<typeof buildRowSchema> | undefined;

  /** The zod row schema's issues for a row whose fast pass failed. */
  const zodIssues = (r: number, cells: readonly string[], line: number): void => {
    schema ??= buildRowSchema(rules);
    const obj: Record<string, unknown> = {};
    for (const s of stores) obj[s.field] = cells[s.col];
    if (flagStores.length) obj['flags'] = Object.fromEntries(flagStores.map((f) => [f.key, cells[f.col]]));
    const parsed = schema.safeParse(obj);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      const [f, k] = issue.path as [string, string | undefined];
      const col = f === 'flags' && k !== undefined ? header[flagColumns[k]!]! : (header[fi[f as AccountField]!] ?? f);
      addIssue(r, { line, column: col, code: issueCode(issue), message: issue.message });
    }
  };

  const cellIssues: RowIssue[] = []; // reused: a row with issues gets a copy
  for (let r = 0; r < n0; r++) {
    const rec = records[r]!;
    const cells = rec.cells;
    cellIssues.length = 0;
    // A lone CR in a name returns a terminal's cursor to the line start: the name overwrites
    // itself. CRLF is a line break inside a quoted name, as LF is.
    if (cells.length === width && /\r(?!\n)/.test(cells[fi.account_name]!)) {
      cellIssues.push({ line: rec.line, column: header[fi.account_name]!, code: 'control_char', message: 'contains a carriage return (CR), a control character' });
    }
    invisibleCells += checkRowCells(cells, header, mapped, rec.line, cellIssues);
    if (cellIssues.length > 0) {
      issuesByRecord.set(r, [...cellIssues]);
      continue;
    }
    let failed = false;
    for (const s of stores) {
      const checked = s.rule(cells[s.col]!);
      if (!checked.ok) {
        failed = true;
        break;
      }
      if (checked.value !== undefined) s.store(r, checked.value);
    }
    for (const f of flagStores) {
      if (failed) break;
      const checked = booleanRule(cells[f.col]!);
      if (!checked.ok) failed = true;
      else if (checked.value !== undefined) f.values[r] = checked.value ? 1 : 0;
    }
    if (failed) {
      zodIssues(r, cells, rec.line);
      continue;
    }
    readOk[r] = 1;
    if (text.account_name[r] === undefined) {
      addIssue(r, { line: rec.line, column: header[fi.account_name]!, code: 'required', message: 'account name is required' });
      continue;
    }
    if (fi.account_id !== undefined && text.account_id[r] === undefined) {
      addIssue(r, { line: rec.line, column: header[fi.account_id]!, code: 'required', message: 'account id is blank' });
      continue;
    }
    passed[r] = 1;
  }

  // Spreadsheet totals and subtotals are not accounts: dropped, with a note naming their lines.
  const sumColumns = [...MONEY_FIELDS.filter((f) => fi[f] !== undefined).map((f) => money[f]), ...(fi.employees !== undefined ? [employees] : [])];
  const totals = findTotalsRows(table, {
    nameColumn: fi.account_name,
    idColumn: fi.account_id,
    values: sumColumns,
    readOk,
    passed,
  });
  for (const d of totals.rows) {
    issuesByRecord.delete(d.recordIndex);
    passed[d.recordIndex] = 0;
  }
  const dropped = totals.rows;

  // Column-level rules: percent scale (SCORING §1), rating scales (§2), header annotations.
  const columnNotes: string[] = [];
  const effects: AnnotationEffect[] = [];
  const effect = (f: AccountField, annotation: AnnotationEffect['annotation'], text: string, changed: boolean): void => {
    effects.push({ field: f, column: fi[f]!, header: header[fi[f]!]!, annotation, effect: text, changed });
  };
  const percentScales: Partial<Record<AccountField, 'fraction' | 'percent'>> = {};
  for (const f of PERCENT_FIELDS) {
    if (fi[f] === undefined) continue;
    const bare: number[] = [];
    const val = pctValue[f];
    const sign = pctSign[f];
    for (let r = 0; r < n0; r++) if (passed[r] && sign[r] === 0 && !Number.isNaN(val[r]!)) bare.push(val[r]!);
    const inferred = resolvePercentColumn(bare);
    if (annotationsOf(f).percent === true) {
      // The header says percent: 0.9 is 0.9%, whatever the other values are.
      percentScales[f] = 'percent';
      effect(f, 'percent', 'bare numbers are percents', inferred === 'fraction' && bare.length > 0);
      continue;
    }
    percentScales[f] = inferred;
    if (percentScales[f] === 'percent') {
      const note = fractionLookingNote(header, fi[f]!, records, passed, val, sign);
      if (note !== undefined) columnNotes.push(note);
    }
  }
  const ratingScales: Partial<Record<RatingField, RatingScale>> = {};
  /** Inferred scales that left a few values off (a single 7 among 1-5): their message names the scale and the fix. */
  const apparentScales: Partial<Record<RatingField, InferredRatingScale>> = {};
  for (const f of RATING_FIELDS) {
    if (fi[f] === undefined) continue;
    const nums: number[] = [];
    const val = ratValue[f];
    const kind = ratKind[f];
    let words = 0;
    for (let r = 0; r < n0; r++) {
      if (passed[r] && kind[r] === 1) nums.push(val[r]!);
      else if (passed[r] && kind[r] === 2) words++;
    }
    if (ratingWordsAdded[f] !== undefined) effect(f, 'ratingWords', `words ${ratingWordsAdded[f]}`, words > 0);
    const given = settings.ratingScales?.[f];
    if (given) {
      ratingScales[f] = given;
      continue;
    }
    const inferred = inferRatingColumn(nums);
    const fromHeader = annotationsOf(f).ratingScale;
    if (fromHeader !== undefined) {
      ratingScales[f] = fromHeader;
      effect(f, 'ratingScale', `scale ${fromHeader.min}..${fromHeader.max}`, nums.length > 0 && (inferred.scale.min !== fromHeader.min || inferred.scale.max !== fromHeader.max));
      continue;
    }
    ratingScales[f] = inferred.scale;
    if (inferred.hasOutliers) apparentScales[f] = inferred;
  }

  // Money: a header scale ('(k)') and currency ('(€)') per column; converted with the config's rates.
  const book = new CurrencyBook(settings.currency);
  const moneyScale = {} as Record<MoneyField, number>;
  const moneyUsed = {} as Record<MoneyField, { headerCurrency: number }>;
  for (const f of MONEY_FIELDS) {
    const scale = fi[f] === undefined ? undefined : annotationsOf(f).scale;
    moneyScale[f] = scale !== undefined && Number.isFinite(scale) && scale > 0 ? scale : 1;
    moneyUsed[f] = { headerCurrency: 0 };
  }
  const currencyHeader = fi.currency !== undefined ? header[fi.currency]! : undefined;
  const headerCurrency = MONEY_FIELDS.map((f) => (fi[f] === undefined ? undefined : annotationsOf(f).currency?.toUpperCase()));
  // Per money field, by its index in MONEY_FIELDS: the hot loop reads arrays, not records.
  const moneyPresent = MONEY_FIELDS.flatMap((f, m) => (fi[f] === undefined ? [] : [m]));
  const moneyArrs = MONEY_FIELDS.map((f) => money[f]);
  const currencyArrs = MONEY_FIELDS.map((f) => moneyCurrency[f]);
  const ownCurrencyColumn = MONEY_FIELDS.map((f) => currencyColumns[f]);
  const scales = MONEY_FIELDS.map((f) => moneyScale[f]);
  const colIdx = MONEY_FIELDS.map((f) => fi[f] ?? -1);
  const colNames = MONEY_FIELDS.map((f) => (fi[f] === undefined ? '' : header[fi[f]]!));
  const valuesIn = new Int32Array(MONEY_FIELDS.length);

  // Pass 2: ranges, currencies, duplicate ids (first kept); compact into columns.
  const ids: string[] = [];
  const names: string[] = [];
  const recIdx: number[] = [];
  const cols = {
    revenue: new Float64Array(n0),
    companyRevenue: new Float64Array(n0),
    potentialRevenue: new Float64Array(n0),
    pipeline: new Float64Array(n0),
    growthRate: new Float64Array(n0),
    grossMargin: new Float64Array(n0),
    retentionRate: new Float64Array(n0),
    retentionSource: new Uint8Array(n0),
    productFit: new Float64Array(n0),
    strategicValue: new Float64Array(n0),
    employees: new Float64Array(n0),
  };
  const industry: (string | undefined)[] = [];
  const country: (string | undefined)[] = [];
  const flags: Record<string, Uint8Array> = {};
  for (const k of flagKeys) flags[k] = new Uint8Array(n0);
  // Every row whose id reads counts as seen, valid or not: whether a later row is a duplicate
  // must not depend on an unrelated mistake in the first one (fixing it would turn it into one).
  const firstLine = new Map<string, number>();
  const idCol = fi.account_id ?? fi.account_name;
  const idOf = fi.account_id !== undefined ? rules.account_id : rules.account_name;
  for (let r = 0; r < n0; r++) {
    const rec = records[r]!;
    if (rec.cells.length !== width || totals.isDropped(r)) continue;
    let id = passed[r] ? (text.account_id[r] ?? text.account_name[r]) : undefined;
    if (id === undefined) {
      const checked = idOf(rec.cells[idCol]!);
      if (checked.ok && checked.value !== undefined) id = checked.value;
    }
    if (id !== undefined && !firstLine.has(id)) firstLine.set(id, rec.line);
  }
  const idColumn = fi.account_id !== undefined ? header[fi.account_id]! : header[fi.account_name]!;
  const colOf = (f: AccountField): string => header[fi[f]!]!;
  let both = 0;

  const pct = (f: PercentField, r: number): number => {
    const v = pctValue[f][r]!;
    return Number.isNaN(v) || pctSign[f][r] === 1 || percentScales[f] === 'fraction' ? v : v / 100;
  };
  const factors = new Float64Array(MONEY_FIELDS.length);
  const settlement = new Settlement();

  for (let r = 0; r < n0; r++) {
    if (!passed[r]) continue;
    const rec = records[r]!;
    const rowIssues: RowIssue[] = [];

    const growth = pct('growth_rate', r);
    const margin = pct('gross_margin', r);
    const retention = pct('retention_rate', r);
    const churn = pct('churn_risk', r);
    if (!Number.isNaN(margin) && (margin < -1 || margin > 1)) {
      rowIssues.push({ line: rec.line, column: colOf('gross_margin'), code: 'out_of_range', message: 'gross margin must lie within -100%..100%' });
    }
    if (!Number.isNaN(retention) && (retention < 0 || retention > 1)) {
      rowIssues.push({ line: rec.line, column: colOf('retention_rate'), code: 'out_of_range', message: 'retention rate must lie within 0%..100%' });
    }
    if (!Number.isNaN(churn) && (churn < 0 || churn > 1)) {
      rowIssues.push({ line: rec.line, column: colOf('churn_risk'), code: 'out_of_range', message: 'churn risk must lie within 0%..100%' });
    }
    // Ratings onto 0..100.
    const rating = (f: RatingField): number => {
      const kind = ratKind[f][r];
      const v = ratValue[f][r]!;
      if (kind !== 1) return v;
      const scale = ratingScales[f]!;
      const x = normaliseRating(v, scale);
      if (x !== undefined) return x;
      const apparent = apparentScales[f];
      const message =
        apparent === undefined
          ? `rating ${v} is outside the column's scale ${scale.min}..${scale.max}`
          : `rating ${v} is outside the column's apparent scale ${scale.min}..${scale.max} (${apparent.within} of ${apparent.total} values lie within it); ` +
            `if the scale is larger, set it in the config: "ratings": { "scales": { "${f}": { "min": ${scale.min}, "max": ${scale.max === 5 ? 10 : 100} } } }`;
      rowIssues.push({ line: rec.line, column: colOf(f), code: 'out_of_range', message });
      return Number.NaN;
    };
    const fit = rating('product_fit');
    const strategic = rating('strategic_value');

    // Currency of each money value: its cell, its own currency column, the header, the row's currency.
    const rowCurrency = text.currency[r];
    for (let m = 0; m < MONEY_FIELDS.length; m++) factors[m] = scales[m]!;
    for (const m of moneyPresent) {
      const f = MONEY_FIELDS[m]!;
      const v = moneyArrs[m]![r]!;
      if (Number.isNaN(v)) continue;
      valuesIn[m]!++;
      const cellCode = currencyArrs[m]![r];
      const ccol = ownCurrencyColumn[m];
      const fromHeader = headerCurrency[m];
      const cell = rec.cells[colIdx[m]!]!;
      let factor: number | string;
      let rateColumn: string | undefined;
      const settled = ccol === undefined ? settleCodes(cellCode, fromHeader, rowCurrency, book.base, settlement) : CONFLICT;
      if (settled !== CONFLICT) {
        // No currency column of its own and no disagreement (the plain path): nothing allocated.
        rateColumn = settlement.from === 2 ? currencyHeader : colNames[m];
        if (settlement.from === 1) moneyUsed[f].headerCurrency++;
        factor = book.factorOf(settled, rateColumn, settlement.fallback, rec.line);
      } else {
        const sources: CurrencySource[] = [{ code: cellCode, column: colOf(f), label: `'${cell.trim()}'` }];
        if (ccol !== undefined) {
          const ctext = rec.cells[ccol]!;
          const code = currencyOfText(ctext);
          if (code === undefined && ctext.trim() !== '') {
            const bad = currencyRule(ctext);
            rowIssues.push({ line: rec.line, column: header[ccol]!, code: 'invalid_value', message: bad.ok ? `'${ctext.trim()}' is not a currency` : bad.message });
            continue;
          }
          sources.push({ code, column: header[ccol]!, label: `${header[ccol]!} '${ctext.trim()}'` });
        }
        if (fromHeader !== undefined) sources.push({ code: fromHeader, column: colOf(f), label: `the header '${colOf(f)}'` });
        if (rowCurrency !== undefined) sources.push({ code: rowCurrency, column: currencyHeader!, label: `${currencyHeader!} '${rec.cells[fi.currency!]!.trim()}'` });
        const cur = resolveCurrency(sources, book.base);
        if (!cur.ok) {
          rowIssues.push({ line: rec.line, column: colOf(f), code: 'currency_conflict', message: cur.message });
          continue;
        }
        if (fromHeader !== undefined && cur.code === fromHeader && cellCode === undefined && ccol === undefined) moneyUsed[f].headerCurrency++;
        rateColumn = cur.column;
        factor = book.factor(cur, rec.line);
      }
      if (typeof factor === 'string') {
        rowIssues.push({ line: rec.line, column: rateColumn ?? colOf(f), code: 'no_rate', message: factor });
        continue;
      }
      factors[m] = factors[m]! * factor;
      // A huge amount times a rate can overflow: the engine needs finite money (NaN is missing).
      if (!Number.isFinite(v * factors[m]!)) {
        const scaled = moneyScale[f] === 1 ? '' : `, × ${moneyScale[f]} as the header says`;
        rowIssues.push({
          line: rec.line,
          column: colOf(f),
          code: 'out_of_range',
          message: `'${cell.trim()}' is out of range once converted to ${book.base ?? 'the base currency'} (rate ${factor}${scaled})`,
        });
      }
    }

    const id = text.account_id[r] ?? text.account_name[r]!;
    const seen = firstLine.get(id);
    if (seen !== undefined && seen !== rec.line) {
      rowIssues.push({
        line: rec.line,
        column: idColumn,
        code: 'duplicate_id',
        message: `duplicate ${fi.account_id !== undefined ? 'account id' : 'account name (the file has no id column)'} '${id}': first seen at line ${seen}`,
      });
    }
    if (rowIssues.length) {
      issuesByRecord.set(r, dedupeIssues(rowIssues));
      continue;
    }
    const i = ids.length;
    ids.push(id);
    names.push(text.account_name[r]!);
    recIdx.push(r);
    cols.revenue[i] = money.revenue[r]! * factors[0]!;
    cols.companyRevenue[i] = money.company_revenue[r]! * factors[1]!;
    cols.potentialRevenue[i] = money.potential_revenue[r]! * factors[2]!;
    cols.pipeline[i] = money.pipeline[r]! * factors[3]!;
    cols.growthRate[i] = growth;
    cols.grossMargin[i] = margin;
    if (!Number.isNaN(retention)) {
      cols.retentionRate[i] = retention;
      cols.retentionSource[i] = Number.isNaN(churn) ? RetentionSource.Retention : RetentionSource.Both;
      if (!Number.isNaN(churn)) both++;
    } else if (!Number.isNaN(churn)) {
      cols.retentionRate[i] = 1 - churn;
      cols.retentionSource[i] = RetentionSource.Churn;
    } else {
      cols.retentionRate[i] = Number.NaN;
      cols.retentionSource[i] = RetentionSource.None;
    }
    cols.productFit[i] = fit;
    cols.strategicValue[i] = strategic;
    cols.employees[i] = employees[r]!;
    industry.push(text.industry[r]);
    country.push(text.country[r]);
    for (const k of flagKeys) flags[k]![i] = flagValues[k]![r]!;
  }
  // Amounts in several currencies with no rates: one error for the file, not a comparison.
  book.assertComparable(table.source);
  for (const f of MONEY_FIELDS) {
    if (fi[f] === undefined) continue;
    const ann = annotationsOf(f);
    if (moneyScale[f] !== 1) effect(f, 'scale', `values × ${moneyScale[f]}`, valuesIn[MONEY_FIELDS.indexOf(f)]! > 0);
    if (ann.currency !== undefined) effect(f, 'currency', `amounts in ${ann.currency.toUpperCase()}`, book.hasRates && moneyUsed[f].headerCurrency > 0 && ann.currency.toUpperCase() !== book.base);
  }

  const n = ids.length;
  const accounts: AccountColumns = {
    n,
    id: ids,
    name: names,
    revenue: cols.revenue.slice(0, n),
    companyRevenue: cols.companyRevenue.slice(0, n),
    potentialRevenue: cols.potentialRevenue.slice(0, n),
    pipeline: cols.pipeline.slice(0, n),
    growthRate: cols.growthRate.slice(0, n),
    grossMargin: cols.grossMargin.slice(0, n),
    retentionRate: cols.retentionRate.slice(0, n),
    retentionSource: cols.retentionSource.slice(0, n),
    productFit: cols.productFit.slice(0, n),
    strategicValue: cols.strategicValue.slice(0, n),
    industry,
    country,
    employees: cols.employees.slice(0, n),
    flags: Object.fromEntries(flagKeys.map((k) => [k, flags[k]!.slice(0, n)])),
  };
  const rejected: RejectedRow[] = [...issuesByRecord.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([recordIndex, issues]) => ({ recordIndex, line: records[recordIndex]!.line, issues }));
  const notes: string[] = [...totals.notes, ...effects.filter((e) => e.changed).map(effectNote), ...columnNotes, ...book.notes()];
  if (both > 0) notes.push(`retention_rate and churn_risk both given on ${both} row${both === 1 ? '' : 's'}: retention_rate used`);
  return {
    accounts,
    recordIndex: Uint32Array.from(recIdx),
    rejected,
    decimal,
    percentScales,
    ratingScales,
    invisibleCells,
    flagColumns,
    notes,
    annotationEffects: effects,
    dropped,
    currencies: book.currencies(),
  };
}

/** The stderr line of an annotation that changed how values read. */
function effectNote(e: AnnotationEffect): string {
  return `${e.header}: ${e.effect}, as the header says`;
}

/** One issue per column and message (two money fields can report the same currency column). */
function dedupeIssues(issues: RowIssue[]): RowIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.column}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** H/M/L are High/Medium/Low: a header naming either form gets both. Keys lower-case. */
const RATING_ABBREVIATIONS: Readonly<Record<string, string>> = { high: 'h', medium: 'm', low: 'l', h: 'high', m: 'medium', l: 'low' };

/** The words a header adds to its rating column ('(H/M/L)' -> h, m, l and high, medium, low). */
function columnRatingWords(words: Readonly<Record<string, number>> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (words === undefined) return out;
  for (const [k, v] of Object.entries(words)) {
    const key = k.trim().toLowerCase();
    if (key === '') continue;
    out.set(key, v);
  }
  for (const [k, v] of [...out]) {
    const other = RATING_ABBREVIATIONS[k];
    if (other !== undefined && !out.has(other)) out.set(other, v);
  }
  return out;
}
