import { describe, expect, it } from 'vitest';
import { stabilityIntervals } from '../../src/core/robust-stability.ts';
import { ABC, ABC_OPTIONS } from '../helpers/robust-inputs.ts';

describe('stabilityIntervals: the analytic SMAA example (A = (100,0), B = (0,100), C = (60,60))', () => {
  it("checks the stability interval of w1 for C's top-1 place at w = (1/2, 1/2) by hand", () => {
    // C (60) stays first while 100 w1 < 60 (A) and 100 (1 - w1) < 60 (B): 0.4 < w1 < 0.6.
    // fit, ltv and strategic carry no weight and no account has them: raising one to a share t
    // leaves the scores alone but lowers every account's coverage to 1 - t, and below
    // min_coverage 0.6 (t > 0.4) all three are Unrated: the shortlist empties.
    const intervals = stabilityIntervals(ABC, ABC_OPTIONS);
    expect(intervals.map((x) => [x.criterion, x.share, x.low, x.high])).toEqual([
      ['volume', 0.5, 0.4, 0.6],
      ['potential', 0.5, 0.4, 0.6],
      ['ltv', 0, 0, 0.4],
      ['fit', 0, 0, 0.4],
      ['strategic', 0, 0, 0.4],
    ]);
  });
});
