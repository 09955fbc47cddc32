/**
 * The portfolio matrix's picture space, shared by the drawing (render-svg.ts) and the label
 * placement (matrix-labels.ts): the SVG's size and margins, the scales from 0..100 to pixels,
 * the point model, boxes and how much two of them overlap.
 */
import type { Tier } from '../core/types.ts';
import { fixed } from './format.ts';

/** A tier that has a place on the matrix (Unrated accounts have none). */
export type RatedTier = Exclude<Tier, 'Unrated' | 'Gated'>;

/** One rated account on the matrix; both axes 0..100. */
export interface MatrixPoint {
  readonly id: string;
  readonly name: string;
  readonly rank: number;
  readonly score: number;
  readonly tier: RatedTier;
  readonly current: number;
  readonly attractiveness: number;
  /** On the shortlist (class `shortlisted`). */
  readonly shortlisted: boolean;
  /** Named points are drawn larger, ringed, on top and labelled with their name (class `named`). */
  readonly named: boolean;
  /** Shortlist acceptability (report --robust), said in the tooltip. */
  readonly robust?: number | undefined;
  /** A robust pick (report --robust): a second ring around the point (class `robust`). */
  readonly robustPick?: boolean | undefined;
}

/** Coordinates with one decimal: enough for the screen, stable bytes. */
export function c1(x: number): string {
  return fixed(x, 1).replace(/\.0$/, '');
}

export const W = 760;
export const H = 600;
export const LEFT = 64;
export const RIGHT = 20;
export const TOP = 20;
const BOTTOM = 58;
export const PW = W - LEFT - RIGHT;
export const PH = H - TOP - BOTTOM;
export const LABEL_SIZE = 11;
/** Point radius; a named point's. */
export const R = 5;
export const R_SHORT = 7;

export const clamp100 = (v: number): number => (v < 0 ? 0 : v > 100 ? 100 : v);
export const px = (current: number): number => LEFT + (clamp100(current) / 100) * PW;
export const py = (attractiveness: number): number => TOP + (1 - clamp100(attractiveness) / 100) * PH;

/** An axis-aligned box in SVG pixels. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export const overlap = (a: Box, b: Box): number => {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
};

/** Best rank first; ties by id. */
export const byRankThenId = (a: MatrixPoint, b: MatrixPoint): number => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
