/** io/enriched.ts: the original columns written back, and kam's numbers in the dialect (issue 10 items 1, 2). */
import { describe, expect, it } from 'vitest';
import { isKamHeader, originalColumns } from '../../src/io/enriched.ts';
import { fixed2 } from '../../src/io/format.ts';

describe('originalColumns', () => {
  it('a raw export with columns named like kam\'s keeps them, renamed, once each', () => {
    expect(originalColumns(['account_id', 'kam_tier', 'KAM_Signals', 'kam_tier (input)', 'note'])).toEqual({
      kept: [0, 1, 2, 3, 4],
      names: ['account_id', 'kam_tier (input 2)', 'KAM_Signals (input)', 'kam_tier (input)', 'note'],
      replaced: [],
      renamed: [
        { from: 'kam_tier', to: 'kam_tier (input 2)' },
        { from: 'KAM_Signals', to: 'KAM_Signals (input)' },
      ],
    });
  });

  it('a file kam wrote has its kam_ columns replaced, as before; a renamed column stays as it is', () => {
    const header = ['account_id', 'kam_tier (input)', 'kam_rank', 'kam_score', 'kam_tier', 'kam_errors', 'kam_shortlist'];
    expect(isKamHeader(header)).toBe(true);
    expect(originalColumns(header)).toEqual({
      kept: [0, 1],
      names: ['account_id', 'kam_tier (input)'],
      replaced: ['kam_rank', 'kam_score', 'kam_tier', 'kam_errors', 'kam_shortlist'],
      renamed: [],
    });
  });

  it('a --rejects file (kam_line, kam_errors) is kam\'s too', () => {
    expect(originalColumns(['account_id', 'revenue', 'kam_line', 'kam_errors'])).toMatchObject({ kept: [0, 1], replaced: ['kam_line', 'kam_errors'] });
  });
});

describe('fixed2', () => {
  it('writes two decimals with the dialect decimal separator', () => {
    expect([fixed2(95.8149), fixed2(95.8149, ','), fixed2(-0.004, ','), fixed2(1, ','), fixed2(undefined, ',')]).toEqual(['95.81', '95,81', '0,00', '1,00', '']);
  });
});
