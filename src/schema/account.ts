import { z } from 'zod';
import { inferRatingScale, normaliseRating, type RatingScale } from '../core/normalise.ts';
import { RetentionSource, type AccountColumns } from '../core/types.ts';
import type { RawTable } from '../io/read-table.ts';
import { InputError } from '../errors.ts';
import type { AccountField } from './fields.ts';
import type { ColumnMapping } from './mapping.ts';
import { normaliseHeader } from './mapping.ts';
import {
  checkId,
  countInvisible,
  hasControlChars,
  inferDecimal,
  isBlank,
  parseBoolean,
  parseMoney,
  parseNumber,
  parsePercent,
  parseRating,
  resolvePercentColumn,
  spreadsheetError,
  stripIdPrefix,
  type Cell,
  type Decimal,
} from './values.ts';

/** Stable codes of row issues (tests assert codes; messages are for people). */
export type IssueCode =
  | 'ragged_row'
  | 'control_char'
  | 'spreadsheet_error'
  | 'invalid_value'
  | 'required'
  | 'duplicate_id'
  | 'id_mangled'
  | 'out_of_range'
  | 'no_rate';

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

/** Turn a `Cell` result into a zod transform step: errors become zod issues. */
function fromCell<T>(cell: Cell<T>, ctx: z.RefinementCtx): T | undefined {
  if (cell.kind === 'value') return cell.value;
  if (cell.kind === 'error') ctx.addIssue({ code: 'custom', message: cell.message });
  return undefined;
}

type RatingCell = { readonly number: number } | { readonly word: number };

/**
 * The row schema: one zod cell schema per mapped field. CSV cells are strings; each is
 * parsed by an explicit rule (never `z.coerce`, which reads '' as 0).
 */
function buildRowSchema(decimal: Decimal, words: ReadonlyMap<string, number>) {
  const text = z.string().transform((s) => (isBlank(s) ? undefined : s.trim()));
  const id = z.string().transform((s, ctx) => {
    if (isBlank(s)) return undefined;
    const mangled = checkId(s);
    if (mangled !== undefined) {
      ctx.addIssue({ code: 'custom', message: mangled, params: { code: 'id_mangled' } });
      return undefined;
    }
    return stripIdPrefix(s);
  });
  const money = z.string().transform((s, ctx) => {
    const v = fromCell(parseMoney(s, decimal), ctx);
    if (v !== undefined && v < 0) {
      ctx.addIssue({ code: 'custom', message: `must not be negative (got ${s.trim()})`, params: { code: 'out_of_range' } });
      return undefined;
    }
    return v;
  });
  const percent = z.string().transform((s, ctx) => fromCell(parsePercent(s, decimal), ctx));
  const rating = z.string().transform((s, ctx): RatingCell | undefined => fromCell(parseRating(s, words, decimal), ctx));
  const integer = z.string().transform((s, ctx) => {
    const v = fromCell(parseNumber(s, decimal), ctx);
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number >= 0 (got ${s.trim()})`, params: { code: 'out_of_range' } });
      return undefined;
    }
    return v;
  });
  const currency = z.string().transform((s, ctx) => {
    if (isBlank(s)) return undefined;
    const c = s.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(c)) {
      ctx.addIssue({ code: 'custom', message: `'${s.trim()}' is not an ISO currency code` });
      return undefined;
    }
    return c;
  });
  const flag = z.string().transform((s, ctx) => fromCell(parseBoolean(s), ctx));
  return {
    schema: z.object({
      account_id: id.optional(),
      account_name: text.optional(),
      revenue: money.optional(),
      company_revenue: money.optional(),
      potential_revenue: money.optional(),
      pipeline: money.optional(),
      growth_rate: percent.optional(),
      gross_margin: percent.optional(),
      retention_rate: percent.optional(),
      churn_risk: percent.optional(),
      product_fit: rating.optional(),
      strategic_value: rating.optional(),
      industry: text.optional(),
      country: text.optional(),
      employees: integer.optional(),
      currency: currency.optional(),
      flags: z.record(z.string(), flag).optional(),
    }),
  };
}

type RowSchema = ReturnType<typeof buildRowSchema>['schema'];
type TypedRow = z.output<RowSchema>;

/** The fields the row schema reads, and which column feeds each. */
const SCHEMA_FIELDS = [
  'account_id', 'account_name', 'revenue', 'company_revenue', 'potential_revenue', 'pipeline', 'growth_rate',
  'gross_margin', 'retention_rate', 'churn_risk', 'product_fit', 'strategic_value', 'industry', 'country',
  'employees', 'currency',
] as const satisfies readonly AccountField[];

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
    for (const r of table.records) for (const i of numberColumns) {
      const c = r.cells[i];
      if (c !== undefined && c !== '') yield c;
    }
  }
  const ev = inferDecimal(cells());
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
 * Validate every record of an accounts table: each becomes a typed account (in columns) or
 * a rejected row with its issues. File-level problems (a missing required column, an
 * undecidable decimal separator) throw InputError.
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
  const { schema } = buildRowSchema(decimal, settings.ratingWords);
  const header = table.header;
  const width = header.length;

  // Flag columns named in the config, matched like any header.
  const flagColumns: Record<string, number> = {};
  for (const key of settings.flagColumns ?? []) {
    const want = normaliseHeader(key);
    const i = header.findIndex((h) => normaliseHeader(h) === want);
    if (i >= 0) flagColumns[key] = i;
  }
  const flagKeys = Object.keys(flagColumns);

  const mappedIdx = new Set<number>(Object.values(fi).filter((v): v is number => v !== undefined));
  for (const i of Object.values(flagColumns)) mappedIdx.add(i);
  const mapped = [...mappedIdx].sort((a, b) => a - b);

  const typed: (TypedRow | undefined)[] = new Array(table.records.length);
  const issuesByRecord = new Map<number, RowIssue[]>();
  const addIssue = (rec: number, issue: RowIssue): void => {
    const list = issuesByRecord.get(rec);
    if (list) list.push(issue);
    else issuesByRecord.set(rec, [issue]);
  };
  let invisibleCells = 0;

  for (let r = 0; r < table.records.length; r++) {
    const rec = table.records[r]!;
    const cells = rec.cells;
    if (cells.length !== width) {
      addIssue(r, {
        line: rec.line,
        column: '(row)',
        code: 'ragged_row',
        message: `expected ${width} fields, got ${cells.length}`,
      });
      continue;
    }
    let bad = false;
    for (let c = 0; c < width; c++) {
      const v = cells[c]!;
      if (hasControlChars(v)) {
        addIssue(r, { line: rec.line, column: header[c]!, code: 'control_char', message: 'contains a control character (NUL or similar)' });
        bad = true;
      }
      if (countInvisible(v) > 0) invisibleCells++;
    }
    for (const c of mapped) {
      const err = spreadsheetError(cells[c]!);
      if (err !== undefined) {
        addIssue(r, { line: rec.line, column: header[c]!, code: 'spreadsheet_error', message: `contains the spreadsheet error ${err}` });
        bad = true;
      }
    }
    if (bad) continue;
    const obj: Record<string, unknown> = {};
    for (const f of SCHEMA_FIELDS) {
      const i = fi[f];
      if (i !== undefined) obj[f] = cells[i];
    }
    if (flagKeys.length) {
      const flags: Record<string, string> = {};
      for (const k of flagKeys) flags[k] = cells[flagColumns[k]!]!;
      obj['flags'] = flags;
    }
    const parsed = schema.safeParse(obj);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [f, k] = issue.path as [string, string | undefined];
        const col = f === 'flags' && k !== undefined ? header[flagColumns[k]!]! : header[fi[f as AccountField]!] ?? f;
        const code = ((issue as { params?: { code?: IssueCode } }).params?.code ?? 'invalid_value') as IssueCode;
        addIssue(r, { line: rec.line, column: col, code, message: issue.message });
      }
      continue;
    }
    const row = parsed.data;
    if (row.account_name === undefined) {
      addIssue(r, { line: rec.line, column: header[fi.account_name]!, code: 'required', message: 'account name is required' });
      continue;
    }
    if (fi.account_id !== undefined && row.account_id === undefined) {
      addIssue(r, { line: rec.line, column: header[fi.account_id]!, code: 'required', message: 'account id is blank' });
      continue;
    }
    typed[r] = row;
  }

  // Column-level rules: percent scale (SCORING §1), rating scales (§2).
  const percentScales: Partial<Record<AccountField, 'fraction' | 'percent'>> = {};
  for (const f of PERCENT_FIELDS) {
    if (fi[f] === undefined) continue;
    const bare: number[] = [];
    for (const row of typed) {
      const p = row?.[f];
      if (p && !p.hasSign) bare.push(p.value);
    }
    percentScales[f] = resolvePercentColumn(bare);
  }
  const ratingScales: Partial<Record<RatingField, RatingScale>> = {};
  for (const f of RATING_FIELDS) {
    if (fi[f] === undefined) continue;
    const given = settings.ratingScales?.[f];
    if (given) {
      ratingScales[f] = given;
      continue;
    }
    const nums: number[] = [];
    for (const row of typed) {
      const v = row?.[f];
      if (v && 'number' in v) nums.push(v.number);
    }
    ratingScales[f] = inferRatingScale(nums);
  }

  // Currency: convert to base when configured; a file in one currency needs nothing.
  let singleCurrency: string | undefined;
  const rates = settings.currency ? new Map(Object.entries(settings.currency.rates).map(([k, v]) => [k.toUpperCase(), v])) : undefined;
  if (settings.currency) rates!.set(settings.currency.base.toUpperCase(), 1);

  // Assemble columns, with duplicate-id detection (first kept).
  const n0 = typed.length;
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
  const firstLine = new Map<string, number>();
  const idColumn = fi.account_id !== undefined ? header[fi.account_id]! : header[fi.account_name]!;
  let both = 0;

  const pct = (f: PercentField, row: TypedRow): number => {
    const p = row[f];
    if (!p) return Number.NaN;
    return p.hasSign || percentScales[f] === 'fraction' ? p.value : p.value / 100;
  };

  for (let r = 0; r < n0; r++) {
    const row = typed[r];
    if (!row) continue;
    const rec = table.records[r]!;
    const rowIssues: RowIssue[] = [];
    const colOf = (f: AccountField): string => header[fi[f]!]!;

    // Percent ranges.
    const growth = pct('growth_rate', row);
    const margin = pct('gross_margin', row);
    const retention = pct('retention_rate', row);
    const churn = pct('churn_risk', row);
    if (!Number.isNaN(margin) && (margin < -1 || margin > 1)) {
      rowIssues.push({ line: rec.line, column: colOf('gross_margin'), code: 'out_of_range', message: 'gross margin must lie within -100%..100%' });
    }
    for (const [f, v] of [['retention_rate', retention], ['churn_risk', churn]] as const) {
      if (!Number.isNaN(v) && (v < 0 || v > 1)) {
        rowIssues.push({ line: rec.line, column: colOf(f), code: 'out_of_range', message: `${f === 'retention_rate' ? 'retention rate' : 'churn risk'} must lie within 0%..100%` });
      }
    }
    // Ratings onto 0..100.
    const rating = (f: RatingField): number => {
      const v = row[f];
      if (!v) return Number.NaN;
      if ('word' in v) return v.word;
      const scale = ratingScales[f]!;
      const x = normaliseRating(v.number, scale);
      if (x === undefined) {
        rowIssues.push({
          line: rec.line,
          column: colOf(f),
          code: 'out_of_range',
          message: `rating ${v.number} is outside the column's scale ${scale.min}..${scale.max}`,
        });
        return Number.NaN;
      }
      return x;
    };
    const fit = rating('product_fit');
    const strategic = rating('strategic_value');

    // Currency.
    let factor = 1;
    if (row.currency !== undefined) {
      if (rates) {
        const rate = rates.get(row.currency);
        if (rate === undefined) {
          rowIssues.push({ line: rec.line, column: colOf('currency'), code: 'no_rate', message: `no exchange rate for ${row.currency} (config currency.rates)` });
        } else {
          factor = rate;
          // A huge amount times a rate can overflow: the engine needs finite money (NaN is missing).
          for (const f of MONEY_FIELDS) {
            const v = row[f];
            if (v !== undefined && !Number.isFinite(v * factor)) {
              rowIssues.push({
                line: rec.line,
                column: colOf(f),
                code: 'out_of_range',
                message: `'${rec.cells[fi[f]!]!.trim()}' is out of range once converted to ${settings.currency!.base.toUpperCase()} (rate ${factor})`,
              });
            }
          }
        }
      } else if (singleCurrency === undefined) singleCurrency = row.currency;
      else if (singleCurrency !== row.currency) {
        rowIssues.push({
          line: rec.line,
          column: colOf('currency'),
          code: 'no_rate',
          message: `currency ${row.currency} differs from ${singleCurrency} and no exchange rates are configured (config currency.base and currency.rates)`,
        });
      }
    }

    const id = row.account_id ?? row.account_name!;
    const seen = firstLine.get(id);
    if (seen !== undefined) {
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
    firstLine.set(id, rec.line);
    const i = ids.length;
    ids.push(id);
    names.push(row.account_name!);
    recIdx.push(r);
    const money = (f: MoneyField): number => (row[f] === undefined ? Number.NaN : row[f]! * factor);
    cols.revenue[i] = money('revenue');
    cols.companyRevenue[i] = money('company_revenue');
    cols.potentialRevenue[i] = money('potential_revenue');
    cols.pipeline[i] = money('pipeline');
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
    cols.employees[i] = row.employees ?? Number.NaN;
    industry.push(row.industry);
    country.push(row.country);
    for (const k of flagKeys) {
      const v = row.flags?.[k];
      flags[k]![i] = v === undefined ? 255 : v ? 1 : 0;
    }
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
    .map(([recordIndex, issues]) => ({ recordIndex, line: table.records[recordIndex]!.line, issues }));
  const notes: string[] = [];
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
