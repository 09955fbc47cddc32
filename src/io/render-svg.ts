/**
 * The KAM portfolio matrix as an inline SVG: current value (x) against attractiveness (y),
 * cut into the four tiers, one circle per rated account; above AGGREGATE_ABOVE points, one
 * shaded hexagon per patch of accounts instead (so the file stays small for any number of
 * accounts), with the named accounts drawn on top. Pure text out, no scripts, no external
 * references, so it works inside a CSP-locked, offline HTML file. The picture space is
 * matrix-plot.ts; where the names go, matrix-labels.ts.
 */
import type { Tier } from '../core/types.ts';
import { escapeXml, fixed2, toFixedPercent } from './format.ts';
import { BoxGrid, placeLabels, type PlacedLabel } from './matrix-labels.ts';
import { byRankThenId, c1, clamp100, H, LEFT, PH, PW, px, py, R, R_SHORT, TOP, W, type Box, type MatrixPoint, type RatedTier } from './matrix-plot.ts';

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

/** Hexagon radius (centre to corner) of the density view, in pixels. */
const HEX_R = 8;

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

/** renderMatrixSvg, with how it was drawn: the parts in drawing order, each below. */
export function renderMatrix(points: readonly MatrixPoint[], options: MatrixOptions): MatrixSvg {
  const cut = clamp100(options.cut);
  const q = quadrantBounds(px(cut), py(cut));
  const aggregated = points.length > (options.aggregateAbove ?? AGGREGATE_ABOVE);
  // The points drawn one by one: all of them, or (density view) the named ones.
  const drawn = aggregated ? points.filter((p) => p.named) : points;
  const dots = dotGrid(drawn);
  const quadrantLabels = placeQuadrantLabels(q, dots);
  const { placed, unplaced } = placeLabels(
    drawn.filter((p) => p.named),
    dots,
    quadrantLabels.obstacles,
  );
  const out: string[] = [
    ...svgHead(points.length, options.title ?? 'KAM portfolio matrix', cut, aggregated),
    ...quadrantAreas(q),
    ...gridAndAxes(q),
    // The density view goes under the cut lines and labels.
    ...(aggregated ? renderHexBins(points) : []),
    cutLines(q),
    ...quadrantLabels.lines,
    ...accountCircles(drawn),
    ...nameLabels(placed),
    '</svg>',
  ];
  return { svg: out.join('\n') + '\n', aggregated, unplaced };
}

/** The plot's edges and the cut point where the four quadrants meet. */
interface QuadrantBounds extends Box {
  readonly cx: number;
  readonly cy: number;
}

function quadrantBounds(cx: number, cy: number): QuadrantBounds {
  return { x0: LEFT, y0: TOP, x1: LEFT + PW, y1: TOP + PH, cx, cy };
}

/** The opening tag, the accessible title and description, and the point styles. */
function svgHead(n: number, title: string, cut: number, aggregated: boolean): string[] {
  const shown = aggregated ? `, shaded by how many accounts each hexagon holds, the named ones drawn as points` : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="matrix" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="matrix-title matrix-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif">`,
    `<title id="matrix-title">${escapeXml(title)}</title>`,
    `<desc id="matrix-desc">${n} rated account${n === 1 ? '' : 's'}${shown}; x: current value 0 to 100, y: attractiveness 0 to 100, tiers cut at ${c1(cut)} on both axes.</desc>`,
    // One rule per tier instead of a fill on each of thousands of circles.
    `<style>${RATED.map((t) => `.matrix circle.account[data-tier="${t}"]{fill:${TIER_COLOR[t]}}`).join('')}.matrix circle.account{fill-opacity:.8;stroke:#fff;stroke-width:1}.matrix circle.named{fill-opacity:1;stroke:#111827;stroke-width:1.6}</style>`,
  ];
}

/** Quadrants, tinted by tier. */
function quadrantAreas({ x0, y0, x1, y1, cx, cy }: QuadrantBounds): string[] {
  const quad = (tier: RatedTier, qx0: number, qy0: number, qx1: number, qy1: number): string =>
    `<rect class="quadrant-area" data-tier="${tier}" x="${c1(qx0)}" y="${c1(qy0)}" width="${c1(Math.max(0, qx1 - qx0))}" height="${c1(Math.max(0, qy1 - qy0))}" fill="${TIER_TINT[tier]}"/>`;
  return [
    '<g class="quadrants">',
    quad('Develop', x0, y0, cx, cy),
    quad('Key', cx, y0, x1, cy),
    quad('Monitor', x0, cy, cx, y1),
    quad('Maintain', cx, cy, x1, y1),
    '</g>',
  ];
}

/** Grid and ticks every 25, the frame, the axis titles. */
function gridAndAxes({ x0, y0, x1, y1 }: Box): string[] {
  const out: string[] = ['<g class="grid" stroke="#ffffff" stroke-width="1">'];
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
  return out;
}

/** The dashed tier cut on both axes. */
function cutLines({ x0, y0, x1, y1, cx, cy }: QuadrantBounds): string {
  return `<g class="cut" stroke="#374151" stroke-width="1.2" stroke-dasharray="6 4"><line x1="${c1(cx)}" y1="${y0}" x2="${c1(cx)}" y2="${y1}"/><line x1="${x0}" y1="${c1(cy)}" x2="${x1}" y2="${c1(cy)}"/></g>`;
}

/** The boxes of the points drawn one by one, which labels avoid. */
function dotGrid(drawn: readonly MatrixPoint[]): BoxGrid {
  const dots = new BoxGrid();
  for (const p of drawn) {
    const r = (p.named ? R_SHORT : R) + 1;
    dots.add({ x0: px(p.current) - r, y0: py(p.attractiveness) - r, x1: px(p.current) + r, y1: py(p.attractiveness) + r });
  }
  return dots;
}

/**
 * Quadrant labels: in the quadrant corner that covers the fewest points, outer corner
 * first (the best account usually sits in Key's outer corner). Their boxes then become
 * obstacles for the name labels.
 */
function placeQuadrantLabels({ x0, y0, x1, y1, cx, cy }: QuadrantBounds, dots: BoxGrid): { lines: string[]; obstacles: Box[] } {
  const quadrants: readonly [RatedTier, number, number, number, number, 'left' | 'right', 'top' | 'bottom'][] = [
    ['Key', cx, y0, x1, cy, 'right', 'top'],
    ['Develop', x0, y0, cx, cy, 'left', 'top'],
    ['Maintain', cx, cy, x1, y1, 'right', 'bottom'],
    ['Monitor', x0, cy, cx, y1, 'left', 'bottom'],
  ];
  const obstacles: Box[] = [];
  const lines: string[] = ['<g class="quadrant-labels">'];
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
    lines.push(
      `<text class="quadrant" data-tier="${tier}" x="${c1(lx)}" y="${c1(ly)}" text-anchor="${anchor}" font-size="18" font-weight="700" fill="${TIER_COLOR[tier]}">${tier}</text>`,
      `<text class="quadrant-hint" x="${c1(lx)}" y="${c1(ly + 15)}" text-anchor="${anchor}" font-size="11" fill="${TIER_COLOR[tier]}">${escapeXml(hint)}</text>`,
    );
  }
  lines.push('</g>');
  return { lines, obstacles };
}

/** Points: others first, then the shortlisted, then the named; within each, worst rank first so the best is on top. */
function accountCircles(drawn: readonly MatrixPoint[]): string[] {
  const layer = (p: MatrixPoint): number => (p.named ? 2 : p.shortlisted ? 1 : 0);
  const drawOrder = [...drawn].sort((a, b) => layer(a) - layer(b) || -byRankThenId(a, b));
  const out: string[] = ['<g class="accounts">'];
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
  return out;
}

/** The names of the named points where placeLabels put them, a leader line back to a far one. */
function nameLabels(placed: readonly PlacedLabel[]): string[] {
  if (!placed.length) return [];
  const out: string[] = ['<g class="names" font-size="11" fill="#111827">'];
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
  return out;
}
