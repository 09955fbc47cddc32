import type { DiffInput, DiffResult, RankMover } from '../core/diff.ts';
import { round } from './format.ts';

/**
 * What moved a rank mover, in words, for every renderer of a comparison (`kam diff` in each
 * format, `kam report`'s changes): the inputs that changed and the criteria they moved
 * (`revenue blank → 6.5M: volume +19, ltv +25`), a change of weights or config between the
 * snapshots, or other accounts. The engine gives the data (core/diff.ts); the words are here.
 */

const MONEY: ReadonlySet<DiffInput> = new Set(['revenue', 'potential_revenue', 'pipeline']);
const FRACTION: ReadonlySet<DiffInput> = new Set(['growth_rate', 'gross_margin', 'retention_rate']);

/** Up to `digits` decimals, trailing zeros dropped: 19, 5.7, 0.25. */
function trimmed(x: number, digits: number): string {
  return String(round(x, digits));
}

/** Money in short form: 6.5M, 120k, 1.25B, 950. */
function compactAmount(x: number): string {
  const abs = Math.abs(x);
  const sign = x < 0 ? '-' : '';
  if (abs >= 1e9) return `${sign}${trimmed(abs / 1e9, 2)}B`;
  if (abs >= 1e6) return `${sign}${trimmed(abs / 1e6, 2)}M`;
  if (abs >= 1e4) return `${sign}${trimmed(abs / 1e3, 1)}k`;
  return `${sign}${trimmed(abs, 2)}`;
}

/** One input's value as the explanation shows it: 'blank', money short, fractions as percents, ratings 0..100. */
export function inputValue(input: DiffInput, x: number): string {
  if (Number.isNaN(x)) return 'blank';
  if (MONEY.has(input)) return compactAmount(x);
  if (FRACTION.has(input)) return `${trimmed(x * 100, 1)}%`;
  return trimmed(x, 1);
}

/** Signed score points, up to two decimals: '+19', '-5.7'. */
function signedPoints(x: number): string {
  const t = trimmed(x, 2);
  return x > 0 && t !== '0' ? `+${t}` : t;
}

const moved = (points: number): boolean => Math.abs(points) >= 0.005;

/**
 * Why a mover moved, e.g. `revenue blank -> 6.5M: volume +19, ltv +25`; criteria that only
 * moved because other accounts did (percentiles) are said apart, a model change first; never
 * a criterion whose value did not change.
 */
export function describeMover(m: RankMover, arrow = '->'): string {
  const parts: string[] = [];
  if (m.modelPoints !== undefined && moved(m.modelPoints)) parts.push(`weights or config changed: ${signedPoints(m.modelPoints)}`);
  const list = (cs: typeof m.criteria): string => cs.map((c) => `${c.criterion} ${signedPoints(c.points)}`).join(', ');
  const own = m.criteria.filter((c) => c.own && moved(c.points));
  const others = m.criteria.filter((c) => !c.own && moved(c.points));
  if (m.inputs.length > 0) {
    const inputs = m.inputs.map((c) => `${c.input} ${inputValue(c.input, c.before)} ${arrow} ${inputValue(c.input, c.after)}`).join(', ');
    parts.push(own.length > 0 ? `${inputs}: ${list(own)}` : `${inputs} (no criterion moved)`);
  } else if (own.length > 0) {
    parts.push(list(own));
  }
  if (others.length > 0) parts.push(`other accounts moved ${list(others)}`);
  return parts.length > 0 ? parts.join('; ') : 'no change of its own: other accounts moved past it';
}

/**
 * describeMover over several lines, for a terminal table's narrow column: each changed input
 * on a line, then what they moved, then the other accounts' share and the model's.
 */
export function describeMoverLines(m: RankMover, arrow = '->'): string[] {
  const list = (cs: typeof m.criteria): string => cs.map((c) => `${c.criterion} ${signedPoints(c.points)}`).join(', ');
  const own = m.criteria.filter((c) => c.own && moved(c.points));
  const others = m.criteria.filter((c) => !c.own && moved(c.points));
  const lines: string[] = [];
  if (m.modelPoints !== undefined && moved(m.modelPoints)) lines.push(`weights or config changed: ${signedPoints(m.modelPoints)}`);
  for (const c of m.inputs) lines.push(`${c.input} ${inputValue(c.input, c.before)} ${arrow} ${inputValue(c.input, c.after)}`);
  if (own.length > 0) lines.push(`${m.inputs.length > 0 ? 'moved ' : ''}${list(own)}`);
  else if (m.inputs.length > 0) lines.push('(no criterion moved)');
  if (others.length > 0) lines.push(`other accounts moved ${list(others)}`);
  return lines.length > 0 ? lines : ['no change of its own: other accounts moved past it'];
}

/** The header line that names a change of weights or config between the snapshots; '' when there is none. */
export function modelChangeLine(diff: DiffResult, beforeSource: string, afterSource: string): string {
  const sides: string[] = [];
  if (diff.modelChanged.before > 0) sides.push(`${diff.modelChanged.before} of ${diff.before.accounts} accounts of ${beforeSource}`);
  if (diff.modelChanged.after > 0) sides.push(`${diff.modelChanged.after} of ${diff.after.accounts} accounts of ${afterSource}`);
  if (sides.length === 0) return '';
  return `model: weights or config changed between the snapshots: ${sides.join(' and ')} score differently under the current one (the movers show that part apart)`;
}
