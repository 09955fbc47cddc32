/**
 * Stability intervals (SCORING.md §5): for each criterion k, its share t of the weights, the
 * others scaled proportionally (w_c(t) = w_c (1 - t) / (1 - w_k)), moved away from the
 * configured share in both directions until the shortlist changes. Every weighted mean of the
 * model is a ratio of two lines in t, so the candidate points are exact: an axis or coverage
 * crossing its cut (one linear equation), or two accounts swapping (N_a D_b = N_b D_a, at most
 * two roots; with every criterion present this is t* = -D_ab / (x_ak - x_bk) measured from the
 * configured share). The shortlist is evaluated once between consecutive candidates, moving
 * outwards, and the interval ends at the first candidate after which it differs.
 */
import type { RobustOptions } from './robust.ts';
import { ATTRACTIVENESS_AXIS, CURRENT_AXIS, NO_FIXED_TIER, ScenarioModel, type RobustInput } from './robust-model.ts';
import { CRITERIA, type Criterion } from './types.ts';

const K = CRITERIA.length;
const ALL = CRITERIA.map((_, j) => j);

/** The range of one criterion's share within which the shortlist stays the same. */
export interface StabilityInterval {
  readonly criterion: Criterion;
  /** The criterion's share of the configured weights, 0..1. */
  readonly share: number;
  /** The shortlist is unchanged for every share strictly between low and high (others scaled proportionally). */
  readonly low: number;
  readonly high: number;
}

/** a + b t, for t in [0, 1]. */
interface Line {
  readonly a: number;
  readonly b: number;
}

/** A weighted mean as a function of t: num(t) / den(t). */
interface Ratio {
  readonly num: Line;
  readonly den: Line;
}

/** The stability interval of every criterion, in CRITERIA order. */
export function stabilityIntervals(input: RobustInput, options: Pick<RobustOptions, 'model' | 'shortlist'>): StabilityInterval[] {
  const weights = options.model.weights;
  const w = Float64Array.from(CRITERIA, (c) => Math.max(weights[c], 0));
  const total = w.reduce((x, y) => x + y, 0);
  for (let j = 0; j < K; j++) w[j] = w[j]! / total;
  const model = new ScenarioModel(input, options.model);
  model.evaluate(
    Float64Array.from(CRITERIA, (c) => weights[c]),
    0,
  );
  const base = model.shortlistFast(options.shortlist);
  const scratch = new Float64Array(K);
  return CRITERIA.map((criterion, k) => {
    const t0 = w[k]!;
    if (!(1 - t0 > 1e-12)) return { criterion, share: t0, low: 0, high: 1 };
    const candidates = candidatePoints(input, model, options, w, k, base);
    /** Whether the shortlist at share t is the configured one. */
    const same = (t: number): boolean => {
      for (let j = 0; j < K; j++) scratch[j] = j === k ? t : (w[j]! * (1 - t)) / (1 - t0);
      model.evaluate(scratch, 0);
      const list = model.shortlistFast(options.shortlist);
      return list.length === base.length && list.every((i, j) => i === base[j]);
    };
    const high = walk(
      candidates.filter((t) => t > t0),
      t0,
      1,
      same,
    );
    const low = walk(candidates.filter((t) => t < t0).reverse(), t0, 0, same);
    return { criterion, share: t0, low, high };
  });
}

/** From t0 through `points` to `end`: the last point before the first stretch whose midpoint is not `same`. */
function walk(points: readonly number[], t0: number, end: number, same: (t: number) => boolean): number {
  let previous = t0;
  for (const p of [...points, end]) {
    if (Math.abs(p - previous) <= 1e-12) continue;
    if (!same((previous + p) / 2)) return previous;
    previous = p;
  }
  return end;
}

/**
 * The shares t of criterion k, ascending, at which the shortlist can change: an account's axis
 * or coverage crossing its cut, and (with a shortlist capacity) an account of the configured
 * shortlist `base` swapping with one outside it. `w`: the configured weights as shares.
 */
function candidatePoints(
  input: RobustInput,
  model: ScenarioModel,
  options: Pick<RobustOptions, 'model' | 'shortlist'>,
  w: Float64Array,
  k: number,
  base: readonly number[],
): number[] {
  const t0 = w[k]!;
  const { tierCut: cut, minCoverage } = options.model;
  const candidates: number[] = [];
  const addRoot = (t: number): void => {
    if (t > 1e-12 && t < 1 - 1e-12 && Math.abs(t - t0) > 1e-12) candidates.push(t);
  };
  const linearRoot = (f: Line): void => {
    if (f.b !== 0) addRoot(-f.a / f.b);
  };
  const fixed = input.fixedTier;
  const scoreLines: Ratio[] = [];
  for (let i = 0; i < input.n; i++) {
    const s = ratioOf(model.cols, w, k, i, ALL);
    scoreLines.push(s);
    if (fixed !== undefined && fixed[i] !== NO_FIXED_TIER) continue;
    const cur = ratioOf(model.cols, w, k, i, CURRENT_AXIS);
    const att = ratioOf(model.cols, w, k, i, ATTRACTIVENESS_AXIS);
    linearRoot({ a: cur.num.a - cut * cur.den.a, b: cur.num.b - cut * cur.den.b });
    linearRoot({ a: att.num.a - cut * att.den.a, b: att.num.b - cut * att.den.b });
    // coverage = present weight / all weight, and all weight is 1 at every t.
    linearRoot({ a: s.den.a - minCoverage, b: s.den.b });
  }
  if (options.shortlist !== undefined) swapPoints(scoreLines, base, fixed, addRoot);
  return candidates.sort((x, y) => x - y);
}

/** The numerator and denominator of account i's weighted mean over `members` as lines in t, criterion k's share. */
function ratioOf(cols: readonly Float64Array[], w: Float64Array, k: number, i: number, members: readonly number[]): Ratio {
  const rest = 1 - w[k]!;
  let n0 = 0;
  let n1 = 0;
  let d0 = 0;
  let d1 = 0;
  for (const j of members) {
    const x = cols[j]![i]!;
    if (Number.isNaN(x)) continue;
    if (j === k) {
      n1 += x;
      d1 += 1;
    } else if (w[j]! > 0) {
      n0 += (w[j]! * x) / rest;
      d0 += w[j]! / rest;
    }
  }
  return { num: { a: n0, b: n1 - n0 }, den: { a: d0, b: d1 - d0 } };
}

/** The shares at which an account of `base` and a placed account outside it have equal scores, to `addRoot`. */
function swapPoints(scoreLines: readonly Ratio[], base: readonly number[], fixed: Uint8Array | undefined, addRoot: (t: number) => void): void {
  const baseSet = new Uint8Array(scoreLines.length);
  for (const i of base) baseSet[i] = 1;
  for (const a of base) {
    const la = scoreLines[a]!;
    for (let b = 0; b < scoreLines.length; b++) {
      if (baseSet[b] === 1 || (fixed !== undefined && fixed[b] !== NO_FIXED_TIER)) continue;
      const lb = scoreLines[b]!;
      // N_a D_b - N_b D_a = c0 + c1 t + c2 t^2
      const c0 = la.num.a * lb.den.a - lb.num.a * la.den.a;
      const c1 = la.num.a * lb.den.b + la.num.b * lb.den.a - lb.num.a * la.den.b - lb.num.b * la.den.a;
      const c2 = la.num.b * lb.den.b - lb.num.b * la.den.b;
      for (const t of quadraticRoots(c0, c1, c2)) addRoot(t);
    }
  }
}

/** Real roots of c0 + c1 t + c2 t^2 (numerically stable form); none when the polynomial is identically 0. */
function quadraticRoots(c0: number, c1: number, c2: number): number[] {
  const scale = Math.max(Math.abs(c0), Math.abs(c1), Math.abs(c2));
  if (scale === 0) return [];
  if (Math.abs(c2) <= 1e-12 * scale) return c1 === 0 ? [] : [-c0 / c1];
  const disc = c1 * c1 - 4 * c2 * c0;
  if (disc < 0) return [];
  const q = -0.5 * (c1 + Math.sign(c1 || 1) * Math.sqrt(disc));
  const roots = [q / c2];
  if (q !== 0) roots.push(c0 / q);
  return roots;
}
