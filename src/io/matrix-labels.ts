/**
 * Where the matrix writes the names of its named points: label sizes estimated from the
 * text, a grid of the points' boxes to count what a label would cover, and a greedy
 * placement that never lets two labels overlap.
 */
import { byRankThenId, LABEL_SIZE, LEFT, overlap, PH, px, py, R_SHORT, RIGHT, TOP, W, type Box, type MatrixPoint } from './matrix-plot.ts';

/** Visible label text: long names are shortened so a label never spans the plot. */
function labelText(name: string): string {
  const flat = name.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > 28 ? chars.slice(0, 27).join('') + '…' : flat;
}

/**
 * Estimated width of a label at LABEL_SIZE in a sans-serif face, erring wide: narrow glyphs
 * (i, l, punctuation) 0.32 em, wide ones (M, W, m, w, @, %) 0.9 em, other capitals and
 * digits 0.68 em, the rest 0.56 em, anything beyond Latin 1.0 em (CJK is square).
 */
export function labelWidth(text: string): number {
  let em = 0;
  for (const ch of text) {
    if (/[ilIj.,:;'!|`()[\]{} ]/.test(ch)) em += 0.32;
    else if (/[MWmw@%]/.test(ch)) em += 0.9;
    else if (/[A-Z0-9&#$?]/.test(ch)) em += 0.68;
    else if (ch.codePointAt(0)! > 0x24f) em += 1;
    else em += 0.56;
  }
  return em * LABEL_SIZE;
}

/** The box a label's text covers, from how it is drawn (x, baseline y, anchor). */
export function labelBox(text: string, x: number, y: number, anchor: 'start' | 'end'): Box {
  const w = labelWidth(text);
  return { x0: anchor === 'start' ? x : x - w, x1: anchor === 'start' ? x + w : x, y0: y - LABEL_SIZE, y1: y + 3 };
}

export interface PlacedLabel {
  readonly point: MatrixPoint;
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'end';
  readonly leader: boolean;
}

/** A uniform grid over the picture: boxes by cell, so a query visits only the cells it covers. */
export class BoxGrid {
  private static readonly CELL = 24;
  private readonly cols = Math.ceil(W / BoxGrid.CELL) + 1;
  private readonly cells = new Map<number, Box[]>();

  add(b: Box): void {
    this.forCells(b, (k) => {
      const list = this.cells.get(k);
      if (list) list.push(b);
      else this.cells.set(k, [b]);
    });
  }

  /** Sum of the overlap areas of `b` with the boxes stored (a box in two cells counts once per cell it shares with b). */
  cover(b: Box): number {
    let sum = 0;
    this.forCells(b, (k) => {
      for (const o of this.cells.get(k) ?? []) sum += overlap(b, o);
    });
    return sum;
  }

  private forCells(b: Box, f: (key: number) => void): void {
    const c = BoxGrid.CELL;
    const i0 = Math.max(0, Math.floor(b.x0 / c));
    const i1 = Math.max(0, Math.floor(b.x1 / c));
    const j0 = Math.max(0, Math.floor(b.y0 / c));
    const j1 = Math.max(0, Math.floor(b.y1 / c));
    for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) f(j * this.cols + i);
  }
}

/** A spot for a label relative to its point: dx, dy (baseline offset), anchor, leader. */
type Spot = [number, number, 'start' | 'end', boolean];

const GAP = R_SHORT + 3;
/** Right, left, above, below the point, without a leader line. */
const NEAR_SPOTS: readonly Spot[] = [
  [GAP, 4, 'start', false],
  [-GAP, 4, 'end', false],
  [GAP - 4, -GAP, 'start', false],
  [-GAP + 4, -GAP, 'end', false],
  [GAP - 4, GAP + 9, 'start', false],
  [-GAP + 4, GAP + 9, 'end', false],
];
/** How far left and right of its point a stacked label's column stands. */
const STACK_COLUMNS = [GAP + 6, GAP + 70, GAP + 140, GAP + 220, GAP + 320];

/** The baselines of the rows every stacked label shares, a line apart. */
function stackRows(): number[] {
  const rows: number[] = [];
  for (let y = TOP + LABEL_SIZE + 2; y + 3 <= TOP + PH - 2; y += LABEL_SIZE + 3) rows.push(y);
  return rows;
}

/**
 * Place the names of the named points, best rank first. Each label tries a fixed list of
 * spots (right, left, above, below, then rings farther out with a leader line) and takes the
 * cheapest spot that overlaps no earlier label and no quadrant title and stays inside the
 * plot; cost counts the points it covers (found through a grid, so all of it is
 * O(n + labels log labels)) and the leader. A name with no free spot is left unplaced rather
 * than drawn over another: labels never overlap.
 */
export function placeLabels(named: readonly MatrixPoint[], dots: BoxGrid, obstacles: readonly Box[]): { placed: PlacedLabel[]; unplaced: number } {
  const boxes: Box[] = [];
  const placed: PlacedLabel[] = [];
  let unplaced = 0;
  // Then columns of slots left and right of the point with a leader line back to it, on
  // rows a line apart shared by every label (so stacked names pack without gaps): a
  // crowded corner stacks its names beside it.
  const rows = stackRows();
  for (const p of [...named].sort(byRankThenId)) {
    const best = bestSpot(p, rows, dots, [...boxes, ...obstacles]);
    if (best === undefined) {
      unplaced++;
      continue;
    }
    boxes.push(best.box);
    placed.push(best.label);
  }
  return { placed, unplaced };
}

/** The cheapest free spot for a point's label, or undefined when every spot is taken or off the plot. */
function bestSpot(p: MatrixPoint, rows: readonly number[], dots: BoxGrid, taken: readonly Box[]): { box: Box; label: PlacedLabel } | undefined {
  const text = labelText(p.name);
  const cx = px(p.current);
  const cy = py(p.attractiveness);
  let best: { cost: number; box: Box; label: PlacedLabel } | undefined;
  const stacked = STACK_COLUMNS.flatMap((col) =>
    rows.flatMap((y): Spot[] => [
      [col, y - cy, 'start', true],
      [-col, y - cy, 'end', true],
    ]),
  );
  for (const [dx, dy, anchor, leader] of [...NEAR_SPOTS, ...stacked]) {
    const x = cx + dx;
    const y = cy + dy;
    const box = labelBox(text, x, y, anchor);
    if (box.x0 < LEFT + 2 || box.x1 > W - RIGHT - 2 || box.y0 < TOP + 2 || box.y1 > TOP + PH - 2) continue;
    if (taken.some((b) => overlap(box, b) > 0)) continue;
    const cost = (leader ? 1 + Math.hypot(dx, dy) / 50 : 0) + dots.cover(box);
    if (best === undefined || cost < best.cost) best = { cost, box, label: { point: p, text, x, y, anchor, leader } };
    if (cost <= 1) break;
  }
  return best;
}
