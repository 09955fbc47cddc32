import { describe, expect, it } from 'vitest';
import {
  atLeast,
  below,
  inferRatingColumn,
  inferRatingScale,
  midrankPercentiles,
  normaliseRating,
  radixSort,
  sortedIndices,
  weightedMean,
  weightedMeanColumns,
} from '../../src/core/normalise.ts';

const pct = (xs: number[]): number[] => [...midrankPercentiles(Float64Array.from(xs))];

describe('midrankPercentiles', () => {
  it('gives ties the mean of the ranks they share', () => {
    // n = 4. 10: below 0, equal 1 -> 100*0.5/4 = 12.5; 20: below 1, equal 2 -> 100*2/4 = 50;
    // 30: below 3, equal 1 -> 100*3.5/4 = 87.5
    expect(pct([10, 20, 20, 30])).toEqual([12.5, 50, 50, 87.5]);
  });

  it('does not depend on input order', () => {
    expect(pct([30, 20, 10, 20])).toEqual([87.5, 50, 12.5, 50]);
  });

  it('scores one account alone 50', () => {
    // below 0, equal 1, n 1 -> 100*0.5/1 = 50
    expect(pct([123456])).toEqual([50]);
  });

  it('scores all-equal values 50', () => {
    // each: below 0, equal 3 -> 100*1.5/3 = 50
    expect(pct([7, 7, 7])).toEqual([50, 50, 50]);
  });

  it('keeps NaN as NaN and counts only present values in n', () => {
    // present: 5, 1 (n = 2). 1: 100*0.5/2 = 25; 5: 100*1.5/2 = 75
    expect(pct([Number.NaN, 5, Number.NaN, 1])).toEqual([Number.NaN, 75, Number.NaN, 25]);
  });

  it('returns NaN everywhere when nothing is present, and an empty array for no accounts', () => {
    expect(pct([Number.NaN, Number.NaN])).toEqual([Number.NaN, Number.NaN]);
    expect(pct([])).toEqual([]);
  });

  it('ranks negative values, zero and -0 correctly', () => {
    // -0 and 0 are equal: below 1 (-5), equal 2 -> 100*2/3 = 66.666...; -5: 100*0.5/3
    expect(pct([0, -5, -0])).toEqual([200 / 3, 50 / 3, 200 / 3]);
  });
});

describe('radixSort', () => {
  it('sorts by the key words (least significant first), stably, moving the payload and the top word', () => {
    // Keys hi:lo = 1:5, 0:7, 1:5, 0:0x80000000, 2:0; payload = position.
    const lo = Uint32Array.from([5, 7, 5, 0x80000000, 0]);
    const hi = Uint32Array.from([1, 0, 1, 0, 2]);
    const sorted = radixSort([lo, hi], Uint32Array.from([0, 1, 2, 3, 4]));
    expect([...sorted.payload]).toEqual([1, 3, 0, 2, 4]);
    expect([...sorted.top]).toEqual([0, 0, 1, 1, 2]);
    // The input words are not the caller's to read afterwards, but the sort never writes past them.
    expect([...lo].sort((a, b) => a - b)).toEqual([0, 5, 5, 7, 0x80000000]);
  });
  it('one word, and nothing to sort', () => {
    const one = radixSort([Uint32Array.from([3000, 2, 3000, 1])], Uint32Array.from([10, 11, 12, 13]));
    expect([...one.payload]).toEqual([13, 11, 10, 12]);
    expect([...one.top]).toEqual([1, 2, 3000, 3000]);
    expect([...radixSort([new Uint32Array(0)], new Uint32Array(0)).payload]).toEqual([]);
  });
});

describe('sortedIndices', () => {
  it('orders present values ascending, stably, leaving NaN out', () => {
    const v = Float64Array.from([3, Number.NaN, -1, 3, Number.NEGATIVE_INFINITY, 0, -0, 1e300, -1e-300, Number.POSITIVE_INFINITY]);
    // -Inf(4) < -1(2) < -1e-300(8) < 0(5) = -0(6) < 3(0) = 3(3) < 1e300(7) < Inf(9); ties keep index order
    expect([...sortedIndices(v)]).toEqual([4, 2, 8, 5, 6, 0, 3, 7, 9]);
  });
  it('gives the same order through the radix path (large inputs) as a stable comparator sort', () => {
    // 5000 values from a fixed generator: ties, negatives, -0, infinities and NaN included
    let seed = 7;
    const next = (): number => (seed = (seed * 16807) % 2147483647);
    const pool = [0, -0, 1, -1, 2.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 1e-310, -1e300];
    const v = Float64Array.from({ length: 5000 }, () => (next() % 3 === 0 ? pool[next() % pool.length]! : (next() - 1e9) / 7));
    const expected = [...v.keys()].filter((i) => !Number.isNaN(v[i]!)).sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : a - b));
    expect([...sortedIndices(v)]).toEqual(expected);
  });
  it('orders values that share their high 32 bits by the low ones: short runs, and one run of 6,000', () => {
    // 1e15 + k (k < 6000) all share one high word (sign, exponent, 20 mantissa bits); 1 + g * 2^-19 + j * 2^-40
    // shares it with the 40 values of its group g; shuffled, with ties, so each run must really be sorted.
    let seed = 11;
    const next = (): number => (seed = (seed * 16807) % 2147483647);
    const long = Array.from({ length: 6000 }, (_, k) => 1e15 + (5999 - k) - (k % 7 === 0 ? 1 : 0));
    const short = Array.from({ length: 3000 }, (_, k) => 1 + Math.floor(k / 40) * 2 ** -19 + (next() % 50) * 2 ** -40);
    const v = Float64Array.from([...long, ...short, -0, 0, Number.NaN].sort(() => (next() % 2 === 0 ? -1 : 1)));
    const expected = [...v.keys()].filter((i) => !Number.isNaN(v[i]!)).sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : a - b));
    expect([...sortedIndices(v)]).toEqual(expected);
  });
  it('handles no values and all-NaN', () => {
    expect([...sortedIndices(new Float64Array(0))]).toEqual([]);
    expect([...sortedIndices(Float64Array.from([Number.NaN]))]).toEqual([]);
  });
});

describe('inferRatingScale', () => {
  it('infers 1..5 when every value is within 1..5', () => {
    expect(inferRatingScale([1, 3, 5])).toEqual({ min: 1, max: 5 });
  });
  it('infers 0..5 when a value is below 1', () => {
    expect(inferRatingScale([0, 3, 5])).toEqual({ min: 0, max: 5 });
    expect(inferRatingScale([0.5, 2])).toEqual({ min: 0, max: 5 });
  });
  it('infers 1..10 and 0..10', () => {
    expect(inferRatingScale([2, 7, 10])).toEqual({ min: 1, max: 10 });
    expect(inferRatingScale([0, 6])).toEqual({ min: 0, max: 10 });
  });
  it('infers 0..100 above 10 (min 0 whatever the values)', () => {
    expect(inferRatingScale([20, 80])).toEqual({ min: 0, max: 100 });
    expect(inferRatingScale([10.5])).toEqual({ min: 0, max: 100 });
  });
  it('ignores missing values and defaults to 1..5 when empty', () => {
    expect(inferRatingScale([Number.NaN, 8])).toEqual({ min: 1, max: 10 });
    expect(inferRatingScale([])).toEqual({ min: 1, max: 5 });
    expect(inferRatingScale([Number.NaN])).toEqual({ min: 1, max: 5 });
  });
  it('falls back to 0..100 for a negative value (which is then out of scale)', () => {
    expect(inferRatingScale([-1, 3])).toEqual({ min: 0, max: 100 });
  });
  it('accepts any iterable', () => {
    expect(inferRatingScale(new Set([4, 9]))).toEqual({ min: 1, max: 10 });
  });
});

describe('inferRatingColumn (issue 11: one value beyond the apparent scale is not a rescale)', () => {
  const tenOnFive = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5];
  it('keeps 1..5 when ten values lie on it and one lies beyond (a single 7, or 50)', () => {
    expect(inferRatingColumn([...tenOnFive, 7])).toEqual({ scale: { min: 1, max: 5 }, within: 10, total: 11, hasOutliers: true });
    expect(inferRatingColumn([...tenOnFive, 50])).toEqual({ scale: { min: 1, max: 5 }, within: 10, total: 11, hasOutliers: true });
  });
  it('keeps 1..10 when ten values lie on it and one lies beyond (a single 70)', () => {
    expect(inferRatingColumn([...tenOnFive.map((v) => v + 5), 70])).toEqual({ scale: { min: 1, max: 10 }, within: 10, total: 11, hasOutliers: true });
  });
  it('widens the scale as SCORING.md says when the evidence is thin: fewer than ten on the smaller scale, or more than 1 in 20 beyond it', () => {
    expect(inferRatingColumn([1, 2, 3, 4, 5, 1, 2, 3, 4, 7])).toEqual({ scale: { min: 1, max: 10 }, within: 10, total: 10, hasOutliers: false });
    expect(inferRatingColumn([...tenOnFive, 7, 8])).toEqual({ scale: { min: 1, max: 10 }, within: 12, total: 12, hasOutliers: false });
    const many = [...tenOnFive, ...tenOnFive, ...tenOnFive, ...tenOnFive];
    expect(inferRatingColumn([...many, 7, 8]).scale).toEqual({ min: 1, max: 5 });
    expect(inferRatingColumn([...many, 7, 8, 9]).scale).toEqual({ min: 1, max: 10 });
  });
  it('is the scale of inferRatingScale, with no outliers on a clean column', () => {
    expect(inferRatingColumn([0, 3, 5])).toEqual({ scale: { min: 0, max: 5 }, within: 3, total: 3, hasOutliers: false });
    expect(inferRatingColumn([])).toEqual({ scale: { min: 1, max: 5 }, within: 0, total: 0, hasOutliers: false });
  });
});

describe('normaliseRating', () => {
  it('maps the scale linearly onto 0..100', () => {
    // 1..5: (3-1)/4 = 50; (5-1)/4 = 100; (1-1)/4 = 0
    expect([3, 5, 1].map((x) => normaliseRating(x, { min: 1, max: 5 }))).toEqual([50, 100, 0]);
    // 1..10: 100*(4-1)/9 = 33.33...
    expect(normaliseRating(4, { min: 1, max: 10 })).toBe(100 / 3);
    // 0..100 is the identity
    expect(normaliseRating(42, { min: 0, max: 100 })).toBe(42);
  });
  it('returns undefined outside the scale, for NaN, and for an empty scale', () => {
    expect(normaliseRating(0, { min: 1, max: 5 })).toBeUndefined();
    expect(normaliseRating(6, { min: 1, max: 5 })).toBeUndefined();
    expect(normaliseRating(Number.NaN, { min: 1, max: 5 })).toBeUndefined();
    expect(normaliseRating(3, { min: 3, max: 3 })).toBeUndefined();
  });
});

describe('weightedMean', () => {
  it('is the plain weighted mean when everything is present', () => {
    // (0.6*80 + 0.2*40 + 0.2*20) / 1 = 48 + 8 + 4 = 60
    expect(weightedMean([80, 40, 20], [0.6, 0.2, 0.2])).toBe(60);
  });
  it('renormalises the weights over the present parts', () => {
    // pipeline missing: (0.6*80 + 0.2*20) / 0.8 = 52 / 0.8 = 65
    expect(weightedMean([80, Number.NaN, 20], [0.6, 0.2, 0.2])).toBe(65);
  });
  it('is NaN when nothing is present or the present weight is 0', () => {
    expect(weightedMean([Number.NaN, Number.NaN], [1, 1])).toBeNaN();
    expect(weightedMean([50, Number.NaN], [0, 1])).toBeNaN();
    expect(weightedMean([], [])).toBeNaN();
  });
  it('gives exactly the common value of equal parts (no 49.99999999999999)', () => {
    // 0.2*50 + 0.25*50 over 0.45 is 50 on paper; float rounding may not be.
    expect(weightedMean([50, 50], [0.2, 0.25])).toBe(50);
    expect(weightedMean([75, 75, 75], [0.2, 0.15, 0.2])).toBe(75);
  });
  it('matches weightedMeanColumns row by row', () => {
    const a = Float64Array.from([80, Number.NaN, 10]);
    const b = Float64Array.from([Number.NaN, Number.NaN, 30]);
    // row 0: only a -> 80; row 1: none -> NaN; row 2: (1*10 + 3*30)/4 = 25
    expect([...weightedMeanColumns([a, b], [1, 3], 3)]).toEqual([80, Number.NaN, 25]);
  });
});

describe('threshold comparisons', () => {
  it('treat a value within 1e-9 below the threshold as equal to it', () => {
    expect([atLeast(50, 50), atLeast(49.99999999999999, 50), atLeast(49.9, 50), atLeast(Number.NaN, 50)]).toEqual([true, true, false, false]);
    expect([below(50, 50), below(49.99999999999999, 50), below(49.9, 50), below(Number.NaN, 50)]).toEqual([false, false, true, false]);
  });
});
