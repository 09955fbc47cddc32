import { describe, expect, it } from 'vitest';
import { parseGateRule } from '../../src/schema/gates.ts';
import { parseConfig } from '../../src/schema/config.ts';

describe('parseGateRule', () => {
  it.each([
    ['gross_margin < 0', { subject: 'gross_margin', op: '<', values: ['0'] }],
    ['churn_risk > 80%', { subject: 'churn_risk', op: '>', values: ['80%'] }],
    ['country not in [Iran, "North Korea"]', { subject: 'country', op: 'not in', values: ['Iran', 'North Korea'] }],
    ['industry = Tobacco', { subject: 'industry', op: '=', values: ['Tobacco'] }],
    ['employees >= 10000', { subject: 'employees', op: '>=', values: ['10000'] }],
    ['Do not target', { subject: 'Do not target', op: 'is', values: ['true'] }],
    ['"Located in EU" = no', { subject: 'Located in EU', op: '=', values: ['no'] }],
    // A quoted item keeps its commas; an apostrophe inside an item is not a quote.
    [
      "country in [日本, \"Korea, Republic of\", 'Congo, Democratic Republic of the', Côte d'Ivoire]",
      { subject: 'country', op: 'in', values: ['日本', 'Korea, Republic of', 'Congo, Democratic Republic of the', "Côte d'Ivoire"] },
    ],
  ])('%s', (text, expected) => {
    expect(parseGateRule(text)).toEqual({ text, ...expected });
  });

  it.each([
    ['', 'a gate rule is empty'],
    ['country in Iran', "'country in Iran': 'in' takes a list in brackets, e.g. [Germany, France]"],
    ['country in []', "'country in []': the list is empty"],
    ['gross_margin <', "'gross_margin <': no value after '<'"],
    ['"Credit hold = yes', 'unclosed " in \'"Credit hold = yes\''],
    ['< 3', "'< 3' names no field or column"],
    ['industry ==== x', "'industry ==== x': '==' is not an operator: use one of < <= > >= = != in, not in"],
    ['country in ["Korea, Republic of]', '\'country in ["Korea, Republic of]\': unclosed " in the list'],
  ])('%j is not a rule: %s', (text, message) => {
    expect(parseGateRule(text)).toBe(message);
  });

  it('the config rejects a bad rule with its path (exit 2 in the shell)', () => {
    const r = parseConfig({ gates: ['gross_margin < 0', 'country in Iran'] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toBe("✖ 'country in Iran': 'in' takes a list in brackets, e.g. [Germany, France]\n  → at gates[1]");
  });
});
