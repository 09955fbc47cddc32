import type { Tier } from '../core/types.ts';
import { fixed2 } from './enriched.ts';

/**
 * The KAM portfolio matrix as an inline SVG: current value (x) against attractiveness (y),
 * cut into the four tiers, one circle per rated account. Pure text out, no scripts, no
 * external references, so it works inside a CSP-locked, offline HTML file.
 */

/** A tier that has a place on the matrix (Unrated accounts have none). */
export type RatedTier = Exclude<Tier, 'Unrated'>;

/** One rated account on the matrix; both axes 0..100. */
export interface MatrixPoint {
  readonly id: string;
  readonly name: string;
  readonly rank: number;
  readonly score: number;
  readonly tier: RatedTier;
  readonly current: number;
  readonly attractiveness: number;
  /** Shortlisted points are drawn larger and labelled with their name. */
  readonly shortlisted: boolean;
}

export interface MatrixOptions {
  /** The tier cut on both axes (model.tierCut), 0..100. */
  readonly cut: number;
  /** Accessible name of the picture. */
  readonly title?: string | undefined;
}

/** Tier colours, shared by the SVG, the HTML legend and the table badges. */
export const TIER_COLOR: Readonly<Record<Tier, string>> = {
  Key: '#137a52',
  Develop: '#2a62c9',
  Maintain: '#b86e0c',
  Monitor: '#6b7280',
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
export const QUADRANT_HINT: Readonly<Record<RatedTier, string>> = {
  Key: 'invest: key account plan',
  Develop: 'develop the relationship',
  Maintain: 'maintain efficiently',
  Monitor: 'standard channels',
};

/** Escape text for XML and HTML content and attribute values (CSV text is untrusted). */
export function escapeXml(text: string): string {
  // Control characters other than tab/newline are not allowed in XML 1.0; drop them.
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Coordinates with one decimal: enough for the screen, stable bytes. */
function c1(x: number): string {
  return (Math.round(x * 10) / 10 + 0).toFixed(1).replace(/\.0$/, '');
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
/** Average glyph advance of the sans-serif stack at LABEL_SIZE, to estimate label widths. */
const CHAR_W = LABEL_SIZE * 0.56;
const R = 5;
const R_SHORT = 7;

const clamp100 = (v: number): number => (v < 0 ? 0 : v > 100 ? 100 : v);
const px = (current: number): number => LEFT + (clamp100(current) / 100) * PW;
const py = (attractiveness: number): number => TOP + (1 - clamp100(attractiveness) / 100) * PH;

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
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

interface PlacedLabel {
  readonly point: MatrixPoint;
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'end';
  readonly leader: boolean;
}

/**
 * Place the shortlist names next to their points, best rank first. Each label tries a
 * fixed list of spots (right, left, above, below, then farther with a leader line) and
 * takes the first that hits no earlier label, point or quadrant title; if none is free,
 * the least-covered one. Deterministic, no randomness, good enough for ~40 names.
 */
function placeLabels(points: readonly MatrixPoint[], obstacles: readonly Box[]): PlacedLabel[] {
  const placed: Box[] = [];
  const dots: Box[] = points.map((p) => {
    const r = (p.shortlisted ? R_SHORT : R) + 1;
    return { x0: px(p.current) - r, y0: py(p.attractiveness) - r, x1: px(p.current) + r, y1: py(p.attractiveness) + r };
  });
  const out: PlacedLabel[] = [];
  const ordered = points.filter((p) => p.shortlisted).sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const g = R_SHORT + 3;
  // dx, dy (baseline offset), anchor, leader
  const spots: readonly [number, number, 'start' | 'end', boolean][] = [
    [g, 4, 'start', false],
    [-g, 4, 'end', false],
    [g - 4, -g, 'start', false],
    [-g + 4, -g, 'end', false],
    [g - 4, g + 9, 'start', false],
    [-g + 4, g + 9, 'end', false],
    [g + 6, -20, 'start', true],
    [-g - 6, -20, 'end', true],
    [g + 6, 28, 'start', true],
    [-g - 6, 28, 'end', true],
    [g + 10, -34, 'start', true],
    [-g - 10, -34, 'end', true],
    [g + 10, 42, 'start', true],
    [-g - 10, 42, 'end', true],
  ];
  for (const p of ordered) {
    const text = labelText(p.name);
    const w = [...text].length * CHAR_W;
    const cx = px(p.current);
    const cy = py(p.attractiveness);
    let best: { cost: number; box: Box; label: PlacedLabel } | undefined;
    for (const [dx, dy, anchor, leader] of spots) {
      const x = cx + dx;
      const y = cy + dy;
      const box: Box = { x0: anchor === 'start' ? x : x - w, x1: anchor === 'start' ? x + w : x, y0: y - LABEL_SIZE + 1, y1: y + 3 };
      let cost = leader ? 1 : 0;
      if (box.x0 < LEFT + 2 || box.x1 > W - RIGHT - 2 || box.y0 < TOP + 2 || box.y1 > TOP + PH - 2) cost += 1e6;
      for (const b of placed) cost += overlap(box, b) * 10;
      for (const b of obstacles) cost += overlap(box, b) * 4;
      for (const b of dots) cost += overlap(box, b);
      if (best === undefined || cost < best.cost) best = { cost, box, label: { point: p, text, x, y, anchor, leader } };
      if (cost <= 1) break;
    }
    placed.push(best!.box);
    out.push(best!.label);
  }
  return out;
}

/** The matrix picture: quadrants, cut lines, axes, one `circle.account` per point, shortlist names. */
export function renderMatrixSvg(points: readonly MatrixPoint[], options: MatrixOptions): string {
  const cut = clamp100(options.cut);
  const cx = px(cut);
  const cy = py(cut);
  const x0 = LEFT;
  const x1 = LEFT + PW;
  const y0 = TOP;
  const y1 = TOP + PH;
  const title = options.title ?? 'KAM portfolio matrix';
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="matrix" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="matrix-title matrix-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif">`,
  );
  out.push(`<title id="matrix-title">${escapeXml(title)}</title>`);
  out.push(
    `<desc id="matrix-desc">${points.length} rated account${points.length === 1 ? '' : 's'}; x: current value 0 to 100, y: attractiveness 0 to 100, tiers cut at ${c1(cut)} on both axes.</desc>`,
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

  // Cut lines.
  out.push(
    `<g class="cut" stroke="#374151" stroke-width="1.2" stroke-dasharray="6 4"><line x1="${c1(cx)}" y1="${y0}" x2="${c1(cx)}" y2="${y1}"/><line x1="${x0}" y1="${c1(cy)}" x2="${x1}" y2="${c1(cy)}"/></g>`,
  );

  // Quadrant labels: in the quadrant corner that covers the fewest points, outer corner
  // first (the best account usually sits in Key's outer corner). Their boxes then become
  // obstacles for the name labels.
  const dotBoxes: Box[] = points.map((p) => ({ x0: px(p.current) - R_SHORT, y0: py(p.attractiveness) - R_SHORT, x1: px(p.current) + R_SHORT, y1: py(p.attractiveness) + R_SHORT }));
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
      let cost = 0;
      for (const d of dotBoxes) if (overlap(box, d) > 0) cost++;
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

  // Points: others first, shortlist on top; within each, worst rank first so the best is on top.
  const drawOrder = [...points].sort(
    (a, b) => Number(a.shortlisted) - Number(b.shortlisted) || b.rank - a.rank || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
  out.push('<g class="accounts">');
  for (const p of drawOrder) {
    const r = p.shortlisted ? R_SHORT : R;
    const cls = p.shortlisted ? 'account shortlisted' : 'account';
    const tip = `${p.name}: score ${fixed2(p.score)}, ${p.tier} (rank ${p.rank}; current ${fixed2(p.current)}, attractiveness ${fixed2(p.attractiveness)})`;
    const stroke = p.shortlisted ? ' stroke="#111827" stroke-width="1.6"' : ' stroke="#ffffff" stroke-width="1"';
    out.push(
      `<circle class="${cls}" data-id="${escapeXml(p.id)}" data-tier="${p.tier}" cx="${c1(px(p.current))}" cy="${c1(py(p.attractiveness))}" r="${r}" fill="${TIER_COLOR[p.tier]}" fill-opacity="${p.shortlisted ? '1' : '0.8'}"${stroke}><title>${escapeXml(tip)}</title></circle>`,
    );
  }
  out.push('</g>');

  const labels = placeLabels(points, obstacles);
  if (labels.length) {
    out.push('<g class="names" font-size="11" fill="#111827">');
    for (const l of labels) {
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
  return out.join('\n') + '\n';
}
