// Over 400 lines: the matrix is one SVG document; its scales, hexagon bins and label placement share one coordinate system.
import type { Tier } from '../core/types.ts';
import { escapeXml, fixed, fixed2, toFixedPercent } from './format.ts';

/**
 * The KAM portfolio matrix as an inline SVG: current value (x) against attractiveness (y),
 * cut into the four tiers, one circle per rated account; above AGGREGATE_ABOVE points, one
 * shaded hexagon per patch of accounts instead (so the file stays small for any number of
 * accounts), with the named accounts drawn on top. Pure text out, no scripts, no external
 * references, so it works inside a CSP-locked, offline HTML file.
 */

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

/** Above this many points the matrix shades hexagons by count instead of drawing every point. */
export const AGGREGATE_ABOVE = 2500;

export interface MatrixOptions {
  /** The tier cut on both axes (model.tierCut), 0..100. */
  readonly cut: number;
  /** Accessible name of the picture. */
  readonly title?: string | undefined;
  /** Shade hexagons instead of drawing points above this many points (default AGGREGATE_ABOVE). */
  readonly aggregateAbove?: number | undefined;
}

/** Tier colours, shared by the SVG, the HTML legend and the table badges. */
export const TIER_COLOR: Readonly<Record<Tier, string>> = {
  Key: '#137a52',
  Develop: '#2a62c9',
  Maintain: '#b86e0c',
  Monitor: '#6b7280',
  Gated: '#b42318',
  Unrated: '#9ca3af',
};

/** Light quadrant tints, same hue as the tier colour. */
const TIER_TINT: Readonly<Record<RatedTier, string>> = {
  Key: '#e7f5ee',
  Develop: '#e9f0fc',
  Maintain: '#fbf1e3',
  Monitor: '#f2f3f5',
};

/** What each quadrant asks of the account team (short, for the matrix corners). */
const QUADRANT_HINT: Readonly<Record<RatedTier, string>> = {
  Key: 'invest: key account plan',
  Develop: 'develop the relationship',
  Maintain: 'maintain efficiently',
  Monitor: 'standard channels',
};

/** Coordinates with one decimal: enough for the screen, stable bytes. */
function c1(x: number): string {
  return fixed(x, 1).replace(/\.0$/, '');
}

const W = 760;
const H = 600;
const LEFT = 64;
const RIGHT = 20;
const TOP = 20;
const BOTTOM = 58;
const PW = W - LEFT - RIGHT;
const PH = H - TOP - BOTTOM;
const LABEL_SIZE = 11;
const R = 5;
const R_SHORT = 7;
/** Hexagon radius (centre to corner) of the density view, in pixels. */
const HEX_R = 8;

const clamp100 = (v: number): number => (v < 0 ? 0 : v > 100 ? 100 : v);
const px = (current: number): number => LEFT + (clamp100(current) / 100) * PW;
const py = (attractiveness: number): number => TOP + (1 - clamp100(attractiveness) / 100) * PH;

/** An axis-aligned box in SVG pixels. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

const overlap = (a: Box, b: Box): number => {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
};

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

interface PlacedLabel {
  readonly point: MatrixPoint;
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'end';
  readonly leader: boolean;
}

/** A uniform grid over the picture: boxes by cell, so a query visits only the cells it covers. */
class BoxGrid {
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

const byRankThenId = (a: MatrixPoint, b: MatrixPoint): number => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Place the names of the named points, best rank first. Each label tries a fixed list of
 * spots (right, left, above, below, then rings farther out with a leader line) and takes the
 * cheapest spot that overlaps no earlier label and no quadrant title and stays inside the
 * plot; cost counts the points it covers (found through a grid, so all of it is
 * O(n + labels log labels)) and the leader. A name with no free spot is left unplaced rather
 * than drawn over another: labels never overlap.
 */
function placeLabels(named: readonly MatrixPoint[], dots: BoxGrid, obstacles: readonly Box[]): { placed: PlacedLabel[]; unplaced: number } {
  const boxes: Box[] = [];
  const placed: PlacedLabel[] = [];
  let unplaced = 0;
  const g = R_SHORT + 3;
  // dx, dy (baseline offset), anchor, leader
  const spots: [number, number, 'start' | 'end', boolean][] = [
    [g, 4, 'start', false],
    [-g, 4, 'end', false],
    [g - 4, -g, 'start', false],
    [-g + 4, -g, 'end', false],
    [g - 4, g + 9, 'start', false],
    [-g + 4, g + 9, 'end', false],
  ];
  // Then columns of slots left and right of the point with a leader line back to it, on
  // rows a line apart shared by every label (so stacked names pack without gaps): a
  // crowded corner stacks its names beside it.
  const rows: number[] = [];
  for (let y = TOP + LABEL_SIZE + 2; y + 3 <= TOP + PH - 2; y += LABEL_SIZE + 3) rows.push(y);
  const columns = [g + 6, g + 70, g + 140, g + 220, g + 320];
  for (const p of [...named].sort(byRankThenId)) {
    const text = labelText(p.name);
    const cx = px(p.current);
    const cy = py(p.attractiveness);
    let best: { cost: number; box: Box; label: PlacedLabel } | undefined;
    const stacked = columns.flatMap((col) =>
      rows.flatMap((y): [number, number, 'start' | 'end', boolean][] => [
        [col, y - cy, 'start', true],
        [-col, y - cy, 'end', true],
      ]),
    );
    for (const [dx, dy, anchor, leader] of [...spots, ...stacked]) {
      const x = cx + dx;
      const y = cy + dy;
      const box = labelBox(text, x, y, anchor);
      if (box.x0 < LEFT + 2 || box.x1 > W - RIGHT - 2 || box.y0 < TOP + 2 || box.y1 > TOP + PH - 2) continue;
      if (boxes.some((b) => overlap(box, b) > 0) || obstacles.some((b) => overlap(box, b) > 0)) continue;
      const cost = (leader ? 1 + Math.hypot(dx, dy) / 50 : 0) + dots.cover(box);
      if (best === undefined || cost < best.cost) best = { cost, box, label: { point: p, text, x, y, anchor, leader } };
      if (cost <= 1) break;
    }
    if (best === undefined) {
      unplaced++;
      continue;
    }
    boxes.push(best.box);
    placed.push(best.label);
  }
  return { placed, unplaced };
}

/** One hexagon of the density view: its centre, how many points it holds, and of which tier most. */
interface HexBin {
  readonly i: number;
  readonly j: number;
  readonly x: number;
  readonly y: number;
  readonly counts: number[];
}

const RATED: readonly RatedTier[] = ['Key', 'Develop', 'Maintain', 'Monitor'];

/**
 * Points binned into pointy-top hexagons of radius HEX_R (the d3-hexbin construction: rows
 * HEX_R * 1.5 apart, odd rows shifted by half a column), in row then column order.
 */
export function hexBins(points: readonly MatrixPoint[]): HexBin[] {
  const dx = HEX_R * Math.sqrt(3);
  const dy = HEX_R * 1.5;
  const bins = new Map<number, HexBin>();
  for (const p of points) {
    const x = px(p.current) - LEFT;
    const y = py(p.attractiveness) - TOP;
    const fy = y / dy;
    let j = Math.round(fy);
    const fx = x / dx - (j & 1) / 2;
    let i = Math.round(fx);
    const y1 = fy - j;
    if (Math.abs(y1) * 3 > 1) {
      const x1 = fx - i;
      const i2 = i + (fx < i ? -1 : 1) / 2;
      const j2 = j + (fy < j ? -1 : 1);
      const x2 = fx - i2;
      const y2 = fy - j2;
      if (x1 * x1 + y1 * y1 > x2 * x2 + y2 * y2) {
        i = i2 + ((j & 1) !== 0 ? 1 : -1) / 2;
        j = j2;
      }
    }
    const key = j * 4096 + i + 2048;
    let bin = bins.get(key);
    if (bin === undefined) {
      bin = { i, j, x: LEFT + (i + (j & 1) / 2) * dx, y: TOP + j * dy, counts: [0, 0, 0, 0] };
      bins.set(key, bin);
    }
    bin.counts[RATED.indexOf(p.tier)]!++;
  }
  return [...bins.values()].sort((a, b) => a.j - b.j || a.i - b.i);
}

/** The hexagons of the density view, shaded by count (log scale), coloured by their main tier. */
function renderHexBins(points: readonly MatrixPoint[]): string[] {
  const bins = hexBins(points);
  let most = 1;
  for (const b of bins)
    most = Math.max(
      most,
      b.counts.reduce((s, c) => s + c, 0),
    );
  const hx = c1(HEX_R * Math.sin(Math.PI / 3));
  const path = `l${hx} ${c1(HEX_R / 2)}v${c1(HEX_R)}l-${hx} ${c1(HEX_R / 2)}-${hx}-${c1(HEX_R / 2)}v-${c1(HEX_R)}z`;
  const out: string[] = ['<g class="density">'];
  for (const b of bins) {
    const total = b.counts.reduce((s, c) => s + c, 0);
    let main = 0;
    for (let k = 1; k < 4; k++) if (b.counts[k]! > b.counts[main]!) main = k;
    const tier = RATED[main]!;
    const opacity = (0.25 + (0.75 * Math.log1p(total)) / Math.log1p(most)).toFixed(2);
    const parts = RATED.flatMap((t, k) => (b.counts[k]! > 0 ? [`${t} ${b.counts[k]}`] : [])).join(', ');
    out.push(
      `<path class="hex" data-tier="${tier}" data-n="${total}" d="M${c1(b.x)} ${c1(b.y - HEX_R)}${path}" fill="${TIER_COLOR[tier]}" fill-opacity="${opacity}"><title>${total} account${total === 1 ? '' : 's'}: ${parts}</title></path>`,
    );
  }
  out.push('</g>');
  return out;
}

/** How the matrix was drawn, for the legend. */
export interface MatrixSvg {
  readonly svg: string;
  /** True when the points were shaded as hexagons (more than AGGREGATE_ABOVE). */
  readonly aggregated: boolean;
  /** Named points whose label found no free spot (they are still drawn, ringed). */
  readonly unplaced: number;
}

/** The matrix picture: quadrants, cut lines, axes, the points (or their density), the names. */
export function renderMatrixSvg(points: readonly MatrixPoint[], options: MatrixOptions): string {
  return renderMatrix(points, options).svg;
}

/** renderMatrixSvg, with how it was drawn. */
// Over 80 lines: one SVG template, element by element in drawing order (axes, quadrants, hexagons or points, labels, legend).
export function renderMatrix(points: readonly MatrixPoint[], options: MatrixOptions): MatrixSvg {
  const cut = clamp100(options.cut);
  const cx = px(cut);
  const cy = py(cut);
  const x0 = LEFT;
  const x1 = LEFT + PW;
  const y0 = TOP;
  const y1 = TOP + PH;
  const title = options.title ?? 'KAM portfolio matrix';
  const aggregated = points.length > (options.aggregateAbove ?? AGGREGATE_ABOVE);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="matrix" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="matrix-title matrix-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif">`,
  );
  out.push(`<title id="matrix-title">${escapeXml(title)}</title>`);
  const shown = aggregated ? `, shaded by how many accounts each hexagon holds, the named ones drawn as points` : '';
  out.push(
    `<desc id="matrix-desc">${points.length} rated account${points.length === 1 ? '' : 's'}${shown}; x: current value 0 to 100, y: attractiveness 0 to 100, tiers cut at ${c1(cut)} on both axes.</desc>`,
  );
  // One rule per tier instead of a fill on each of thousands of circles.
  out.push(
    `<style>${RATED.map((t) => `.matrix circle.account[data-tier="${t}"]{fill:${TIER_COLOR[t]}}`).join('')}.matrix circle.account{fill-opacity:.8;stroke:#fff;stroke-width:1}.matrix circle.named{fill-opacity:1;stroke:#111827;stroke-width:1.6}</style>`,
  );

  // Quadrants, tinted by tier.
  const quad = (tier: RatedTier, qx0: number, qy0: number, qx1: number, qy1: number): string =>
    `<rect class="quadrant-area" data-tier="${tier}" x="${c1(qx0)}" y="${c1(qy0)}" width="${c1(Math.max(0, qx1 - qx0))}" height="${c1(Math.max(0, qy1 - qy0))}" fill="${TIER_TINT[tier]}"/>`;
  out.push('<g class="quadrants">');
  out.push(quad('Develop', x0, y0, cx, cy), quad('Key', cx, y0, x1, cy), quad('Monitor', x0, cy, cx, y1), quad('Maintain', cx, cy, x1, y1));
  out.push('</g>');

  // Grid and ticks every 25.
  out.push('<g class="grid" stroke="#ffffff" stroke-width="1">');
  for (const t of [25, 50, 75]) {
    out.push(`<line x1="${c1(px(t))}" y1="${y0}" x2="${c1(px(t))}" y2="${y1}"/>`, `<line x1="${x0}" y1="${c1(py(t))}" x2="${x1}" y2="${c1(py(t))}"/>`);
  }
  out.push('</g>');
  out.push(`<rect x="${x0}" y="${y0}" width="${PW}" height="${PH}" fill="none" stroke="#9ca3af" stroke-width="1"/>`);
  out.push('<g class="ticks" font-size="11" fill="#4b5563">');
  for (const t of [0, 25, 50, 75, 100]) {
    out.push(`<text x="${c1(px(t))}" y="${y1 + 16}" text-anchor="middle">${t}</text>`);
    out.push(`<text x="${x0 - 8}" y="${c1(py(t) + 4)}" text-anchor="end">${t}</text>`);
  }
  out.push('</g>');
  out.push(
    `<text class="axis-label" x="${c1(LEFT + PW / 2)}" y="${H - 14}" text-anchor="middle" font-size="13" fill="#1f2937">Current value (revenue volume, lifetime value) →</text>`,
  );
  out.push(
    `<text class="axis-label" transform="translate(18 ${c1(TOP + PH / 2)}) rotate(-90)" text-anchor="middle" font-size="13" fill="#1f2937">Attractiveness (potential, fit, strategic value) →</text>`,
  );

  // The density view goes under the cut lines and labels.
  if (aggregated) out.push(...renderHexBins(points));

  // Cut lines.
  out.push(
    `<g class="cut" stroke="#374151" stroke-width="1.2" stroke-dasharray="6 4"><line x1="${c1(cx)}" y1="${y0}" x2="${c1(cx)}" y2="${y1}"/><line x1="${x0}" y1="${c1(cy)}" x2="${x1}" y2="${c1(cy)}"/></g>`,
  );

  // The points drawn one by one: all of them, or (density view) the named ones.
  const drawn = aggregated ? points.filter((p) => p.named) : points;
  const dots = new BoxGrid();
  for (const p of drawn) {
    const r = (p.named ? R_SHORT : R) + 1;
    dots.add({ x0: px(p.current) - r, y0: py(p.attractiveness) - r, x1: px(p.current) + r, y1: py(p.attractiveness) + r });
  }

  // Quadrant labels: in the quadrant corner that covers the fewest points, outer corner
  // first (the best account usually sits in Key's outer corner). Their boxes then become
  // obstacles for the name labels.
  const quadrants: readonly [RatedTier, number, number, number, number, 'left' | 'right', 'top' | 'bottom'][] = [
    ['Key', cx, y0, x1, cy, 'right', 'top'],
    ['Develop', x0, y0, cx, cy, 'left', 'top'],
    ['Maintain', cx, cy, x1, y1, 'right', 'bottom'],
    ['Monitor', x0, cy, cx, y1, 'left', 'bottom'],
  ];
  const obstacles: Box[] = [];
  out.push('<g class="quadrant-labels">');
  for (const [tier, qx0, qy0, qx1, qy1, side, edge] of quadrants) {
    const hint = QUADRANT_HINT[tier];
    const w = Math.max(tier.length * 18 * 0.62, hint.length * 11 * 0.56);
    const corners: ['left' | 'right', 'top' | 'bottom'][] = [
      [side, edge],
      [side === 'left' ? 'right' : 'left', edge],
      [side, edge === 'top' ? 'bottom' : 'top'],
      [side === 'left' ? 'right' : 'left', edge === 'top' ? 'bottom' : 'top'],
    ];
    let best: { cost: number; box: Box; lx: number; ly: number; anchor: 'start' | 'end' } | undefined;
    for (const [h, v] of corners) {
      const lx = h === 'left' ? qx0 + 10 : qx1 - 10;
      const ly = v === 'top' ? qy0 + 24 : qy1 - 26;
      const anchor = h === 'left' ? 'start' : 'end';
      const box: Box = { x0: anchor === 'start' ? lx : lx - w, x1: anchor === 'start' ? lx + w : lx, y0: ly - 18, y1: ly + 19 };
      const cost = dots.cover(box);
      if (best === undefined || cost < best.cost) best = { cost, box, lx, ly, anchor };
      if (cost === 0) break;
    }
    const { box, lx, ly, anchor } = best!;
    obstacles.push(box);
    out.push(
      `<text class="quadrant" data-tier="${tier}" x="${c1(lx)}" y="${c1(ly)}" text-anchor="${anchor}" font-size="18" font-weight="700" fill="${TIER_COLOR[tier]}">${tier}</text>`,
      `<text class="quadrant-hint" x="${c1(lx)}" y="${c1(ly + 15)}" text-anchor="${anchor}" font-size="11" fill="${TIER_COLOR[tier]}">${escapeXml(hint)}</text>`,
    );
  }
  out.push('</g>');

  // Points: others first, then the shortlisted, then the named; within each, worst rank first so the best is on top.
  const layer = (p: MatrixPoint): number => (p.named ? 2 : p.shortlisted ? 1 : 0);
  const drawOrder = [...drawn].sort((a, b) => layer(a) - layer(b) || -byRankThenId(a, b));
  out.push('<g class="accounts">');
  for (const p of drawOrder) {
    const robust = p.robust === undefined ? '' : `; on the shortlist in ${toFixedPercent(p.robust, 1)} of weightings${p.robustPick ? ': a robust pick' : ''}`;
    const tip = `${p.name}: score ${fixed2(p.score)}, ${p.tier} (rank ${p.rank}; current ${fixed2(p.current)}, attractiveness ${fixed2(p.attractiveness)}${robust})`;
    if (p.robustPick) {
      out.push(
        `<circle class="robust" cx="${c1(px(p.current))}" cy="${c1(py(p.attractiveness))}" r="${(p.named ? R_SHORT : R) + 3.5}" fill="none" stroke="#111827" stroke-width="1.5"/>`,
      );
    }
    out.push(
      `<circle class="account${p.named ? ' named' : ''}${p.shortlisted ? ' shortlisted' : ''}" data-id="${escapeXml(p.id)}" data-tier="${p.tier}" cx="${c1(px(p.current))}" cy="${c1(py(p.attractiveness))}" r="${p.named ? R_SHORT : R}"><title>${escapeXml(tip)}</title></circle>`,
    );
  }
  out.push('</g>');

  const { placed, unplaced } = placeLabels(
    drawn.filter((p) => p.named),
    dots,
    obstacles,
  );
  if (placed.length) {
    out.push('<g class="names" font-size="11" fill="#111827">');
    for (const l of placed) {
      if (l.leader) {
        const lx = l.anchor === 'start' ? l.x - 2 : l.x + 2;
        out.push(
          `<line class="leader" x1="${c1(px(l.point.current))}" y1="${c1(py(l.point.attractiveness))}" x2="${c1(lx)}" y2="${c1(l.y - 4)}" stroke="#6b7280" stroke-width="0.8"/>`,
        );
      }
      out.push(
        `<text class="name" data-id="${escapeXml(l.point.id)}" x="${c1(l.x)}" y="${c1(l.y)}" text-anchor="${l.anchor}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${escapeXml(l.text)}</text>`,
      );
    }
    out.push('</g>');
  }
  out.push('</svg>');
  return { svg: out.join('\n') + '\n', aggregated, unplaced };
}
