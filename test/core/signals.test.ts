import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/defaults.ts';
import { computeSignalMasks, nearCut } from '../../src/core/signals.ts';
import { signalLists } from '../helpers/accounts.ts';
import type { ModelConfig } from '../../src/core/types.ts';
import { makeAccounts } from '../helpers/accounts.ts';

/** The signals of accounts given by their axes alone (no inputs, so no other signal fires). */
function signalsAt(axes: readonly (readonly [number, number])[], model: ModelConfig = DEFAULT_MODEL, coverage = 1): string[][] {
  const accounts = makeAccounts(axes.map(() => ({})));
  const n = axes.length;
  const derived = {
    volume: new Float64Array(n).fill(50),
    current: Float64Array.from(axes, (a) => a[0]),
    attractiveness: Float64Array.from(axes, (a) => a[1]),
    coverage: new Float64Array(n).fill(coverage),
  };
  return signalLists(computeSignalMasks(accounts, derived, model));
}

describe('borderline (SCORING.md §4): an axis less than band points from the tier cut', () => {
  it('marks current or attractiveness within 2 points of the cut 50, on either side; 2 points away or more is not', () => {
    expect(
      signalsAt([
        [50, 70],
        [48.01, 70],
        [51.99, 10],
        [70, 49.5],
        [48, 70],
        [52, 10],
        [70, 47.99],
        [20, 70],
      ]),
    ).toEqual([['borderline'], ['borderline'], ['borderline'], ['borderline'], [], [], [], []]);
  });

  it('counts a value that is 50 on paper but 49.99999999999999 in floating point as on the cut, and 52 - 1e-12 as 2 points away', () => {
    expect(
      signalsAt([
        [49.99999999999999, 70],
        [52 - 1e-12, 70],
      ]),
    ).toEqual([['borderline'], []]);
  });

  it('follows the config: band 5 and tier cut 60; band 0 turns it off', () => {
    const wide: ModelConfig = { ...DEFAULT_MODEL, band: 5, tierCut: 60 };
    expect(
      signalsAt(
        [
          [56, 70],
          [64.5, 70],
          [54, 70],
          [50, 70],
        ],
        wide,
      ),
    ).toEqual([['borderline'], ['borderline'], [], []]);
    expect(signalsAt([[50, 50]], { ...DEFAULT_MODEL, band: 0 })).toEqual([[]]);
  });

  it('is never set for an account the matrix does not place: a missing axis, or coverage below min_coverage (low_coverage instead)', () => {
    expect(
      signalsAt([
        [Number.NaN, 50],
        [50, Number.NaN],
      ]),
    ).toEqual([[], []]);
    expect(signalsAt([[50, 50]], DEFAULT_MODEL, 0.4)).toEqual([['low_coverage']]);
  });

  it('nearCut: |axis - cut| < band, NaN never', () => {
    expect([nearCut(51.5, 50, 2), nearCut(47, 50, 2), nearCut(Number.NaN, 50, 2), nearCut(50, 50, 0)]).toEqual([true, false, false, false]);
  });
});
