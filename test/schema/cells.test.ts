import { describe, expect, it } from 'vitest';
import { numberRules } from '../../src/schema/cells.ts';
import { DEFAULT_RATING_WORDS } from '../../src/schema/values.ts';

describe('numberRules count: employee bands from free-text CRM fields', () => {
  const count = numberRules('.', DEFAULT_RATING_WORDS).count;
  it.each([
    ['50-100', '\'50-100\' is a range, not a number: write one count, or leave the column out with --map "Header=ignore"'],
    [' 1,001 – 5,000 ', '\'1,001 – 5,000\' is a range, not a number: write one count, or leave the column out with --map "Header=ignore"'],
    ['10000+', '\'10000+\' is a range, not a number: write one count, or leave the column out with --map "Header=ignore"'],
  ])('%j is named a range', (cell, message) => {
    expect(count(cell)).toEqual({ ok: false, message, code: 'invalid_value' });
  });

  it.each([
    // A value is the grammar's own cell, handed on (kind 'value'); blank is the rules' one BLANK.
    ['1,200', { kind: 'value', ok: true, value: 1200 }],
    ['', { ok: true, value: undefined }],
    ['abc', { ok: false, message: "'abc' is not a number", code: 'invalid_value' }],
  ])('%j reads as before', (cell, expected) => {
    expect(count(cell)).toEqual(expected);
  });
});
