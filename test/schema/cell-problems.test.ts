import { describe, expect, it } from 'vitest';
import { cellProblemText } from '../../src/schema/cell-problems.ts';
import {
  DEFAULT_RATING_WORDS,
  idProblem,
  parseBoolean,
  parseDate,
  parseMoney,
  parseNumber,
  parsePercent,
  parseRating,
  type Cell,
} from '../../src/schema/values.ts';

const problemOf = (c: Cell<unknown>) => (c.kind === 'error' ? c.problem : undefined);

describe('cell problems: each grammar failure carries its reason and data', () => {
  it.each([
    [parseMoney('abc', '.'), { reason: 'not_a_number', cell: 'abc', expected: 'amount' }],
    [parseNumber('1,5', '.'), { reason: 'ungrouped', cell: '1,5', expected: 'number', decimal: '.' }],
    [parsePercent('1e400', ','), { reason: 'number_out_of_range', cell: '1e400' }],
    [parseNumber(' #N/A ', '.'), { reason: 'spreadsheet_error', error: '#N/A' }],
    [parseBoolean('maybe'), { reason: 'not_yes_no', cell: 'maybe' }],
    [parseDate('45123'), { reason: 'date_serial', cell: '45123' }],
    [parseDate('03/04/2024'), { reason: 'date_ambiguous', cell: '03/04/2024' }],
    [parseDate('2024-02-30'), { reason: 'invalid_date', cell: '2024-02-30' }],
    [parseDate('soon', { order: 'DMY' }), { reason: 'not_a_date', cell: 'soon', order: 'DMY' }],
  ])('%j', (cell, problem) => {
    expect(problemOf(cell)).toEqual(problem);
    expect(cell.kind === 'error' ? cell.message : undefined).toBe(cellProblemText(problem as never));
  });

  it('a rating names its words as data; the words are made from them', () => {
    const r = parseRating('Tepid', DEFAULT_RATING_WORDS, '.');
    expect(problemOf(r)).toEqual({ reason: 'not_a_rating', cell: 'Tepid', words: ['high', 'medium', 'low', 'hot', 'warm', 'cold'], translations: true });
    expect(r).toEqual({
      kind: 'error',
      message:
        '\'Tepid\' is not a rating (expected a number or one of: High, Medium, Low, Hot, Warm, Cold (or High/Medium/Low in German, French, Spanish, Portuguese, Italian or Dutch); the config\'s "ratings": { "words": ... } adds others)',
    });
  });

  it('an id Excel mangled', () => {
    expect(idProblem('1.23457E+11')).toEqual({ reason: 'id_scientific', cell: '1.23457E+11' });
    expect(idProblem('00123')).toBeUndefined();
  });
});
