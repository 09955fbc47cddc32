import { zod } from './zod.ts';
import { inferRatingColumn, normaliseRating, type InferredRatingScale, type RatingScale } from '../core/normalise.ts';
import { RetentionSource, type AccountColumns } from '../core/types.ts';
import type { RawTable } from '../io/read-table.ts';
import { InputError } from '../errors.ts';
import type { AccountField } from './fields.ts';
import type { ColumnMapping } from './mapping.ts';
import { normaliseHeader } from './mapping.ts';
import { booleanRule, cellSchema, currencyRule, idRule, issueCode, numberRules, textRule, type CellRule, type IssueCode, type NumberRules } from './cells.ts';
import { countInvisible, hasControlChars, inferDecimal, parseMoney, resolvePercentColumn, spreadsheetError, type Decimal } from './values.ts';

export type { IssueCode } from './cells.ts';

/** One problem of one row: the file line, the column header as written, a message. */
export interface RowIssue {
  readonly line: number;
  readonly column: string;
  readonly code: IssueCode;
  readonly message: string;
}

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
  readonly currency?: { readonly base: string; readonly rates: Readonly<Record<string, number>> } | undefined;
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

/** Characters that need a closer look: C0 controls (but TAB, CR, LF), DEL, bidi and zero-width marks. */
const SUSPICIOUS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;


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
  const decimal = decideDecimal(table, mapping, settings.decimal);
  const rules = fieldRules(numberRules(decimal, settings.ratingWords));
  const header = table.header;
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
  const mapped = [...new Set<number>([...Object.values(fi).filter((v): v is number => v !== undefined), ...Object.values(flagColumns)])].sort((a, b) => a - b);

  // Pass 1 storage, indexed by record.
  const text = { account_id: [] as (string | undefined)[], account_name: [] as (string | undefined)[], industry: [] as (string | undefined)[], country: [] as (string | undefined)[], currency: [] as (string | undefined)[] };
  const money = Object.fromEntries(MONEY_FIELDS.map((f) => [f, new Float64Array(n0).fill(Number.NaN)])) as Record<MoneyField, Float64Array>;
  const pctValue = Object.fromEntries(PERCENT_FIELDS.map((f) => [f, new Float64Array(n0).fill(Number.NaN)])) as Record<PercentField, Float64Array>;
  const pctSign = Object.fromEntries(PERCENT_FIELDS.map((f) => [f, new Uint8Array(n0)])) as Record<PercentField, Uint8Array>;
  const ratValue = Object.fromEntries(RATING_FIELDS.map((f) => [f, new Float64Array(n0).fill(Number.NaN)])) as Record<RatingField, Float64Array>;
  /** 0 missing, 1 a number on the column's scale, 2 a word already on 0..100. */
  const ratKind = Object.fromEntries(RATING_FIELDS.map((f) => [f, new Uint8Array(n0)])) as Record<RatingField, Uint8Array>;
  const employees = new Float64Array(n0).fill(Number.NaN);
  const flagValues = Object.fromEntries(flagKeys.map((k) => [k, new Uint8Array(n0).fill(255)])) as Record<string, Uint8Array>;
  const passed = new Uint8Array(n0);

  type Store = (r: number, v: unknown) => void;
  const stores: { field: AccountField; col: number; rule: CellRule<unknown>; store: Store }[] = [];
  for (const f of Object.keys(rules) as AccountField[]) {
    const col = fi[f];
    if (col === undefined) continue;
    let store: Store;
    if ((MONEY_FIELDS as readonly string[]).includes(f)) {
      const arr = money[f as MoneyField];
      store = (r, v) => (arr[r] = v as number);
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

  for (let r = 0; r < n0; r++) {
    const rec = records[r]!;
    const cells = rec.cells;
    if (cells.length !== width) {
      addIssue(r, { line: rec.line, column: '(row)', code: 'ragged_row', message: `expected ${width} fields, got ${cells.length}` });
      continue;
    }
    let bad = false;
    // A lone CR in a name returns a terminal's cursor to the line start: the name overwrites
    // itself. CRLF is a line break inside a quoted name, as LF is.
    if (fi.account_name !== undefined && /\r(?!\n)/.test(cells[fi.account_name]!)) {
      addIssue(r, { line: rec.line, column: header[fi.account_name]!, code: 'control_char', message: 'contains a carriage return (CR), a control character' });
      bad = true;
    }
    for (let c = 0; c < width; c++) {
      const v = cells[c]!;
      if (!SUSPICIOUS.test(v)) continue;
      if (hasControlChars(v)) {
        addIssue(r, { line: rec.line, column: header[c]!, code: 'control_char', message: 'contains a control character (NUL or similar)' });
        bad = true;
      }
      if (countInvisible(v) > 0) invisibleCells++;
    }
    for (const c of mapped) {
      const v = cells[c]!;
      if (v.indexOf('#') < 0) continue;
      const err = spreadsheetError(v);
      if (err !== undefined) {
        addIssue(r, { line: rec.line, column: header[c]!, code: 'spreadsheet_error', message: `contains the spreadsheet error ${err}` });
        bad = true;
      }
    }
    if (bad) continue;
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

  // Column-level rules: percent scale (SCORING §1), rating scales (§2).
  const columnNotes: string[] = [];
  const percentScales: Partial<Record<AccountField, 'fraction' | 'percent'>> = {};
  for (const f of PERCENT_FIELDS) {
    if (fi[f] === undefined) continue;
    const bare: number[] = [];
    const val = pctValue[f];
    const sign = pctSign[f];
    for (let r = 0; r < n0; r++) if (passed[r] && sign[r] === 0 && !Number.isNaN(val[r]!)) bare.push(val[r]!);
    percentScales[f] = resolvePercentColumn(bare);
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
    const given = settings.ratingScales?.[f];
    if (given) {
      ratingScales[f] = given;
      continue;
    }
    const nums: number[] = [];
    const val = ratValue[f];
    const kind = ratKind[f];
    for (let r = 0; r < n0; r++) if (passed[r] && kind[r] === 1) nums.push(val[r]!);
    const inferred = inferRatingColumn(nums);
    ratingScales[f] = inferred.scale;
    if (inferred.hasOutliers) apparentScales[f] = inferred;
  }

  // Currency: convert to base when configured; a file in one currency needs nothing.
  let singleCurrency: string | undefined;
  const rates = settings.currency ? new Map(Object.entries(settings.currency.rates).map(([k, v]) => [k.toUpperCase(), v])) : undefined;
  if (settings.currency) rates!.set(settings.currency.base.toUpperCase(), 1);

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
    if (rec.cells.length !== width) continue;
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

    // Currency.
    let factor = 1;
    const currency = text.currency[r];
    if (currency !== undefined) {
      if (rates) {
        const rate = rates.get(currency);
        if (rate === undefined) {
          rowIssues.push({ line: rec.line, column: colOf('currency'), code: 'no_rate', message: `no exchange rate for ${currency} (config currency.rates)` });
        } else {
          factor = rate;
          // A huge amount times a rate can overflow: the engine needs finite money (NaN is missing).
          for (const f of MONEY_FIELDS) {
            const v = money[f][r]!;
            if (!Number.isNaN(v) && !Number.isFinite(v * factor)) {
              rowIssues.push({
                line: rec.line,
                column: colOf(f),
                code: 'out_of_range',
                message: `'${rec.cells[fi[f]!]!.trim()}' is out of range once converted to ${settings.currency!.base.toUpperCase()} (rate ${factor})`,
              });
            }
          }
        }
      } else if (singleCurrency === undefined) singleCurrency = currency;
      else if (singleCurrency !== currency) {
        rowIssues.push({
          line: rec.line,
          column: colOf('currency'),
          code: 'no_rate',
          message: `currency ${currency} differs from ${singleCurrency} and no exchange rates are configured (config currency.base and currency.rates)`,
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
      issuesByRecord.set(r, rowIssues);
      continue;
    }
    const i = ids.length;
    ids.push(id);
    names.push(text.account_name[r]!);
    recIdx.push(r);
    cols.revenue[i] = money.revenue[r]! * factor;
    cols.companyRevenue[i] = money.company_revenue[r]! * factor;
    cols.potentialRevenue[i] = money.potential_revenue[r]! * factor;
    cols.pipeline[i] = money.pipeline[r]! * factor;
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
  const notes: string[] = [...columnNotes];
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
  };
}

