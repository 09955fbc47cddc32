import type { AccountColumns } from '../core/types.ts';
import { foldText, textColumn } from '../core/text-column.ts';
import type { RawTable } from '../io/read-table.ts';
import { ACCOUNT_FIELDS, FIELD_TYPES, type AccountField } from './fields.ts';
import type { ColumnMapping } from './mapping.ts';
import { normaliseHeader } from './mapping.ts';
import { parseBoolean, parseNumber, type Decimal } from './values.ts';

/**
 * Knock-out gates of the config (SCORING.md §4), one rule per string:
 *
 *   gross_margin < 0                 a canonical field (percents as fractions or with %: < 0, > 80%)
 *   churn_risk > 0.8                 ratings on kam's 0-100 scale, money in the base currency
 *   country not in [Iran, "North Korea"]
 *   industry = Tobacco               text compared trimmed, case-insensitively
 *   Do not target                    a column (its header) that holds yes/no: gated when yes
 *   "Credit hold" = yes              quote a header that holds an operator word
 *
 * Operators: < <= > >= = != in [..] "not in [..]". A missing value never fires a rule.
 */

type GateOp = '<' | '<=' | '>' | '>=' | '=' | '!=' | 'in' | 'not in' | 'is';

export interface GateRule {
  /** The rule as written: what kam_gate shows. */
  readonly text: string;
  readonly subject: string;
  readonly op: GateOp;
  /** The value(s) as written (one for comparisons, the list for in / not in, 'true' for a bare column). */
  readonly values: readonly string[];
}

/** Parses one rule; a string is the reason it is not one. */
export function parseGateRule(text: string): GateRule | string {
  const t = text.trim();
  if (t === '') return 'a gate rule is empty';
  let subject: string;
  let rest: string;
  const q = t[0];
  if (q === '"' || q === '`') {
    const end = t.indexOf(q, 1);
    if (end < 0) return `unclosed ${q} in '${t}'`;
    subject = t.slice(1, end).trim();
    rest = t.slice(end + 1).trim();
  } else {
    const m = /^(.*?)\s*(\bnot\s+in\b|\bin\b|<=|>=|!=|<|>|=)\s*(.*)$/i.exec(t);
    if (m === null) return { text: t, subject: t, op: 'is', values: ['true'] };
    subject = m[1]!.trim();
    rest = `${m[2]!} ${m[3]!}`.trim();
  }
  if (subject === '') return `'${t}' names no field or column`;
  if (rest === '') return { text: t, subject, op: 'is', values: ['true'] };
  const opMatch = /^(not\s+in\b|in\b|<=|>=|!=|<|>|=)\s*(.*)$/i.exec(rest);
  if (opMatch === null) return `'${t}': expected an operator (< <= > >= = != in, not in) after '${subject}'`;
  const op = opMatch[1]!.toLowerCase().replace(/\s+/, ' ') as Exclude<GateOp, 'is'>;
  const value = opMatch[2]!.trim();
  if (value === '') return `'${t}': no value after '${op}'`;
  // '==' or '=<' read as '=' then a value '= x' would compare with '= x': a typo, said.
  if (/^[=<>!]/.test(value)) return `'${t}': '${op}${value[0]!}' is not an operator: use one of < <= > >= = != in, not in`;
  if (op === 'in' || op === 'not in') {
    const list = /^\[(.*)\]$/s.exec(value);
    if (list === null) return `'${t}': '${op}' takes a list in brackets, e.g. [Germany, France]`;
    const items = listItems(list[1]!);
    if (typeof items === 'string') return `'${t}': ${items}`;
    if (items.length === 0) return `'${t}': the list is empty`;
    return { text: t, subject, op, values: items };
  }
  return { text: t, subject, op, values: [unquote(value)] };
}

/** The items of a list, split at commas outside quotes: ["Korea, Republic of", Japan] is two; a string: why it is not a list. */
function listItems(inner: string): string[] | string {
  const items: string[] = [];
  let item = '';
  let quote: string | undefined;
  for (const ch of inner) {
    if (quote !== undefined) {
      item += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === ',') {
      items.push(item);
      item = '';
    } else {
      if ((ch === '"' || ch === "'") && item.trim() === '') quote = ch;
      item += ch;
    }
  }
  if (quote !== undefined) return `unclosed ${quote} in the list`;
  items.push(item);
  return items.map((v) => unquote(v.trim())).filter((v) => v !== '');
}

function unquote(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0] ? v.slice(1, -1) : v;
}

/** What the gates did to one file. */
export interface GateOutcome {
  /** 1 for gated accounts (account index). */
  readonly gated: Uint8Array;
  /** The text of the first rule that fired, per account ('' when none). */
  readonly rule: readonly string[];
  /** Per rule, in config order: accounts it gated (first rule that fired), and accounts it could not judge (no value). */
  readonly counts: readonly { readonly rule: string; readonly gated: number; readonly missing: number; readonly applied: boolean; readonly why?: string }[];
}

const PERCENT: ReadonlySet<string> = new Set(['growth_rate', 'gross_margin', 'retention_rate', 'churn_risk']);

/** A number as a gate value; percents of a percent field as fractions (80% and 80 are 0.8, 0.8 stays). */
function gateNumber(raw: string, percentField: boolean, decimal: Decimal): number {
  const s = raw.trim();
  const pct = s.endsWith('%');
  const v = parseNumber(pct ? s.slice(0, -1) : s, decimal);
  if (v.kind !== 'value') return Number.NaN;
  if (pct) return v.value / 100;
  return percentField && Math.abs(v.value) > 1 ? v.value / 100 : v.value;
}

/**
 * Evaluates the rules on every valid account: canonical fields through their validated
 * values, other columns through their cells. A rule whose field or column is not in the
 * file is not applied (and said so in `counts`).
 */
export function evaluateGates(
  rules: readonly GateRule[],
  table: RawTable,
  mapping: ColumnMapping,
  accounts: AccountColumns,
  recordIndex: Uint32Array,
  decimal: Decimal,
): GateOutcome {
  const n = accounts.n;
  const gated = new Uint8Array(n);
  const rule = new Array<string>(n).fill('');
  const counts: GateOutcome['counts'][number][] = [];
  for (const r of rules) {
    const judge = judgeOf(r, table, mapping, accounts, recordIndex, decimal);
    if (typeof judge === 'string') {
      counts.push({ rule: r.text, gated: 0, missing: 0, applied: false, why: judge });
      continue;
    }
    let fired = 0;
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const verdict = judge(i);
      if (verdict === undefined) missing++;
      else if (verdict && gated[i] === 0) {
        gated[i] = 1;
        rule[i] = r.text;
        fired++;
      }
    }
    counts.push({ rule: r.text, gated: fired, missing, applied: true });
  }
  return { gated, rule, counts };
}

/** A function telling whether the rule fires on account i (undefined: no value to judge), or why it cannot be applied. */
function judgeOf(
  r: GateRule,
  table: RawTable,
  mapping: ColumnMapping,
  a: AccountColumns,
  recordIndex: Uint32Array,
  decimal: Decimal,
): ((i: number) => boolean | undefined) | string {
  const field = ACCOUNT_FIELDS.find((f) => f === r.subject.trim().toLowerCase());
  if (field !== undefined) {
    if (mapping.fieldIndex[field] === undefined) return `no column of ${table.source} maps to ${field}`;
    const type = FIELD_TYPES[field];
    if (type === 'text' || type === 'id' || type === 'currency') {
      if (r.op === 'is' || r.op === '<' || r.op === '<=' || r.op === '>' || r.op === '>=') return `${field} is text: use = != in or not in`;
      const column =
        field === 'account_id'
          ? a.id
          : field === 'account_name'
            ? a.name
            : field === 'industry'
              ? a.industry
              : field === 'country'
                ? a.country
                : textColumn(columnCells(table, mapping.fieldIndex[field], recordIndex));
      return textJudge(r, (i) => column.at(i));
    }
    const column = numericColumn(field, a);
    const numbers = r.values.map((v) => gateNumber(v, PERCENT.has(field), decimal));
    if (numbers.some((x) => Number.isNaN(x))) return `'${r.values.join(', ')}' is not a number (${field} is a number field)`;
    return numberJudge(r.op, numbers, (i) => column[i]!);
  }
  const wanted = normaliseHeader(r.subject);
  const at = table.header.findIndex((h) => h.trim() === r.subject.trim() || normaliseHeader(h) === wanted);
  if (at < 0) return `no column '${r.subject}' or canonical field of that name in ${table.source}`;
  const cells = columnCells(table, at, recordIndex);
  if (r.op === 'is') {
    // A blank yes/no cell is no (SCORING.md §2); a cell that is not yes/no cannot be judged.
    return (i) => {
      const b = parseBoolean(cells[i] ?? '');
      return b.kind === 'value' ? b.value : b.kind === 'missing' ? false : undefined;
    };
  }
  if (r.op === '=' || r.op === '!=') {
    const wantBool = parseBoolean(r.values[0]!);
    const wantNumber = gateNumber(r.values[0]!, false, decimal);
    if (wantBool.kind === 'value' && Number.isNaN(wantNumber)) {
      return (i) => {
        const b = parseBoolean(cells[i] ?? '');
        return b.kind === 'value' ? (b.value === wantBool.value) === (r.op === '=') : undefined;
      };
    }
    if (!Number.isNaN(wantNumber)) {
      return numberJudge(r.op, [wantNumber], (i) => {
        const v = parseNumber(cells[i] ?? '', decimal);
        return v.kind === 'value' ? v.value : Number.NaN;
      });
    }
  }
  if (r.op === '<' || r.op === '<=' || r.op === '>' || r.op === '>=') {
    const want = gateNumber(r.values[0]!, false, decimal);
    if (Number.isNaN(want)) return `'${r.values[0]}' is not a number`;
    return numberJudge(r.op, [want], (i) => {
      const v = parseNumber(cells[i] ?? '', decimal);
      return v.kind === 'value' ? v.value : Number.NaN;
    });
  }
  return textJudge(r, (i) => cells[i]);
}

function columnCells(table: RawTable, column: number, recordIndex: Uint32Array): string[] {
  const rows = table.rowsOf(recordIndex);
  return Array.from({ length: rows.n }, (_, i) => rows.cellOf(i, column));
}

function numericColumn(field: AccountField, a: AccountColumns): Float64Array {
  switch (field) {
    case 'revenue':
      return a.revenue;
    case 'company_revenue':
      return a.companyRevenue;
    case 'potential_revenue':
      return a.potentialRevenue;
    case 'pipeline':
      return a.pipeline;
    case 'growth_rate':
      return a.growthRate;
    case 'gross_margin':
      return a.grossMargin;
    case 'retention_rate':
      return a.retentionRate;
    case 'churn_risk':
      return a.retentionRate.map((r) => 1 - r);
    case 'product_fit':
      return a.productFit;
    case 'strategic_value':
      return a.strategicValue;
    default:
      return a.employees;
  }
}

function numberJudge(op: GateOp, values: readonly number[], valueOf: (i: number) => number): (i: number) => boolean | undefined {
  return (i) => {
    const x = valueOf(i);
    if (Number.isNaN(x)) return undefined;
    switch (op) {
      case '<':
        return x < values[0]!;
      case '<=':
        return x <= values[0]!;
      case '>':
        return x > values[0]!;
      case '>=':
        return x >= values[0]!;
      case '=':
        return x === values[0];
      case '!=':
        return x !== values[0];
      case 'in':
        return values.includes(x);
      case 'not in':
        return !values.includes(x);
      default:
        return x !== 0;
    }
  };
}

function textJudge(r: GateRule, valueOf: (i: number) => string | undefined): (i: number) => boolean | undefined {
  const wanted = new Set(r.values.map(foldText));
  return (i) => {
    const v = valueOf(i);
    if (v === undefined || v.trim() === '') return undefined;
    const hit = wanted.has(foldText(v));
    return r.op === '!=' || r.op === 'not in' ? !hit : r.op === '=' || r.op === 'in' ? hit : undefined;
  };
}
