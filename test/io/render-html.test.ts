import { describe, expect, it } from 'vitest';
import type { DiffResult } from '../../src/core/diff.ts';
import type { Tier } from '../../src/core/types.ts';
import { renderReportHtml } from '../../src/io/render-html.ts';
import { CHANGE_ROWS, describeMove, matrixPoints, pickNamed, SHORTLIST_ROWS, type ReportAccount, type ReportData } from '../../src/io/report-data.ts';
import { escapeXml } from '../../src/io/format.ts';
import { labelBox, labelWidth } from '../../src/io/matrix-labels.ts';
import type { Box, MatrixPoint } from '../../src/io/matrix-plot.ts';
import { AGGREGATE_ABOVE, hexBins, renderMatrix, renderMatrixSvg } from '../../src/io/render-svg.ts';

const point = (o: Partial<MatrixPoint> & Pick<MatrixPoint, 'id'>): MatrixPoint => ({
  name: o.id,
  rank: 1,
  score: 60,
  tier: 'Key',
  current: 60,
  attractiveness: 60,
  shortlisted: false,
  named: o.shortlisted ?? false,
  ...o,
});

const account = (o: Partial<ReportAccount> & Pick<ReportAccount, 'id' | 'rank' | 'tier'>): ReportAccount => ({
  name: o.id,
  score: 50,
  criteria: [50, 50, 50, 50, 50],
  current: 50,
  attractiveness: 50,
  signals: [],
  shortlisted: false,
  ...o,
});

const counts = (o: Partial<Record<Tier, number>>): Record<Tier, number> => ({ Key: 0, Develop: 0, Maintain: 0, Monitor: 0, Gated: 0, Unrated: 0, ...o });

/** Four accounts, one per quadrant, plus an Unrated one; the Key account carries a hostile name. */
function tinyReport(overrides: Partial<ReportData> = {}): ReportData {
  return {
    title: 'Weekly <KAM> report',
    source: 'accounts & more.csv',
    asOf: '2026-11-27',
    preset: 'generic',
    rows: 6,
    rejectedCount: 1,
    rejectedSample: [{ line: 7, message: "revenue: '<b>abc</b>' is not an amount" }],
    tierCounts: counts({ Key: 1, Develop: 1, Maintain: 1, Monitor: 1, Unrated: 1 }),
    weights: { volume: 0.2, potential: 0.2, ltv: 0.25, fit: 0.15, strategic: 0.2 },
    tierCut: 50,
    shortlistRule: 'the Key tier',
    accounts: [
      account({
        id: 'K"1',
        name: '<script>alert(1)</script> & Co',
        rank: 1,
        tier: 'Key',
        score: 90.126,
        current: 80,
        attractiveness: 90,
        criteria: [80, 95, 81.5, undefined, 70],
        signals: ['headroom', 'rising'],
        shortlisted: true,
      }),
      account({ id: 'D1', name: 'Cartech', rank: 2, tier: 'Develop', current: 30, attractiveness: 80 }),
      account({ id: 'M1', name: 'Vicom', rank: 3, tier: 'Maintain', current: 95, attractiveness: 20, signals: ['volume_only'] }),
      account({ id: 'N1', name: 'Small', rank: 4, tier: 'Monitor', current: 10, attractiveness: 10 }),
      account({ id: 'U1', name: 'Zephyr', rank: 5, tier: 'Unrated', current: undefined, attractiveness: 70 }),
    ],
    ...overrides,
  };
}

const count = (text: string, re: RegExp): number => [...text.matchAll(re)].length;

describe('escapeXml', () => {
  it('escapes the five XML specials and drops control characters XML cannot hold', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001\tok`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\tok');
  });
});

describe('renderMatrixSvg', () => {
  it('one circle.account per point, with its id, tier and a tooltip of name, score and tier', () => {
    const svg = renderMatrixSvg(
      [point({ id: 'A', name: 'Alpha', score: 71.234, rank: 2 }), point({ id: 'B', tier: 'Monitor', current: 10, attractiveness: 20, rank: 3 })],
      {
        cut: 50,
      },
    );
    expect(count(svg, /<circle /g)).toBe(2);
    expect(count(svg, /<circle class="account[ "]/g)).toBe(2);
    expect(svg).toContain(
      '<circle class="account" data-id="A" data-tier="Key" cx="469.6" cy="228.8" r="5"><title>Alpha: score 71.23, Key (rank 2; current 60.00, attractiveness 60.00)</title></circle>',
    );
  });

  it('places x = current and y = attractiveness on 0..100 (y up), clamping out-of-range values', () => {
    const svg = renderMatrixSvg(
      [
        point({ id: 'origin', current: 0, attractiveness: 0 }),
        point({ id: 'top', current: 100, attractiveness: 100 }),
        point({ id: 'over', current: 140, attractiveness: -5 }),
      ],
      { cut: 50 },
    );
    const at = (id: string): string =>
      /data-id="[^"]*" data-tier="\w+" cx="([\d.]+)" cy="([\d.]+)"/
        .exec(svg.slice(svg.indexOf(`data-id="${id}"`)))!
        .slice(1)
        .join(',');
    expect([at('origin'), at('top'), at('over')]).toEqual(['64,542', '740,20', '740,542']);
  });

  it('labels the four quadrants and draws the dashed cut lines at the tier cut', () => {
    const svg = renderMatrixSvg([], { cut: 40 });
    expect([...svg.matchAll(/<text class="quadrant" data-tier="(\w+)"[^>]*>(\w+)<\/text>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['Key', 'Key'],
      ['Develop', 'Develop'],
      ['Maintain', 'Maintain'],
      ['Monitor', 'Monitor'],
    ]);
    expect(svg).toContain(
      '<g class="cut" stroke="#374151" stroke-width="1.2" stroke-dasharray="6 4"><line x1="334.4" y1="20" x2="334.4" y2="542"/><line x1="64" y1="333.2" x2="740" y2="333.2"/></g>',
    );
    expect(svg).toContain('Current value (revenue volume, lifetime value)');
    expect(svg).toContain('Attractiveness (potential, fit, strategic value)');
    expect(count(svg, /<circle /g)).toBe(0);
  });

  it('puts each quadrant label in the outer corner unless points are there', () => {
    const empty = renderMatrixSvg([], { cut: 50 });
    expect(empty).toContain('<text class="quadrant" data-tier="Key" x="730" y="44" text-anchor="end"');
    const crowded = renderMatrixSvg([point({ id: 'best', current: 98, attractiveness: 97 })], { cut: 50 });
    expect(crowded).toContain('<text class="quadrant" data-tier="Key" x="412" y="44" text-anchor="start"');
  });

  it('names shortlisted points only, escaped, and draws them above the others', () => {
    const svg = renderMatrixSvg([point({ id: 's1', name: 'Snow & <Ice>', shortlisted: true }), point({ id: 'o1', name: 'Other', rank: 5 })], { cut: 50 });
    expect([...svg.matchAll(/<text class="name" data-id="([^"]*)"[^>]*>([^<]*)<\/text>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['s1', 'Snow &amp; &lt;Ice&gt;'],
    ]);
    expect(svg.indexOf('data-id="o1"')).toBeLessThan(svg.indexOf('class="account named shortlisted" data-id="s1"'));
    expect(svg).not.toContain('<Ice>');
  });

  it('keeps labels of two points at the same spot apart', () => {
    const svg = renderMatrixSvg([point({ id: 'a', name: 'Alpha', shortlisted: true, rank: 1 }), point({ id: 'b', name: 'Beta', shortlisted: true, rank: 2 })], {
      cut: 50,
    });
    const labels = [...svg.matchAll(/<text class="name" data-id="(\w)" x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)"/g)].map((m) => [m[1], m[2], m[3], m[4]]);
    expect(labels).toEqual([
      ['a', '479.6', '232.8', 'start'],
      ['b', '459.6', '232.8', 'end'],
    ]);
  });

  it('shortens very long names in labels (the tooltip keeps the whole name)', () => {
    const long = 'International Business Machines Corporation of America';
    const svg = renderMatrixSvg([point({ id: 'x', name: long, shortlisted: true })], { cut: 50 });
    expect(svg).toContain('>International Business Mach…</text>');
    expect(svg).toContain(`<title>${long}: score`);
  });

  it('is deterministic: the same points give the same bytes', () => {
    const pts = Array.from({ length: 30 }, (_, i) =>
      point({ id: `A${i}`, rank: i + 1, current: (i * 37) % 100, attractiveness: (i * 53) % 100, shortlisted: i < 8 }),
    );
    expect(renderMatrixSvg(pts, { cut: 50 })).toBe(renderMatrixSvg([...pts].reverse(), { cut: 50 }));
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(tinyReport());

  it('is one self-contained document: charset, a CSP that loads nothing, no script, no external reference', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html.endsWith('</html>\n')).toBe(true);
  });

  it('escapes every text from the CSV: a <script> name renders as text', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(html).toContain('data-id="K&quot;1"');
    expect(html).toContain('<title>Weekly &lt;KAM&gt; report · accounts &amp; more.csv · 2026-11-27</title>');
    expect(html).toContain('<li>line 7: revenue: &#39;&lt;b&gt;abc&lt;/b&gt;&#39; is not an amount</li>');
  });

  it('the matrix has one circle per rated account: Unrated is left out', () => {
    expect(count(html, /<circle class="account/g)).toBe(4);
    expect(html).not.toContain('data-id="U1"');
    expect(matrixPoints(tinyReport().accounts).map((p) => p.id)).toEqual(['K"1', 'D1', 'M1', 'N1']);
    expect(html).toContain('One point per rated account (4). Dashed lines: the tier cut at 50. 1 Unrated account has too little data to be placed.');
  });

  it('the summary counts tiers and rejected rows and states weights, date and the shortlist rule', () => {
    expect([...html.matchAll(/<li data-tier="(\w+)"[^>]*><span class="n">(\d+)<\/span>/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      'Key 1',
      'Develop 1',
      'Maintain 1',
      'Monitor 1',
      'Unrated 1',
      'Invalid 1',
    ]);
    expect(html).toContain('<dt>Weights</dt><dd>volume 0.2, potential 0.2, ltv 0.25, fit 0.15, strategic 0.2</dd>');
    expect(html).toContain('<dt>As of</dt><dd>2026-11-27</dd>');
    expect(html).toContain('<dt>Shortlist</dt><dd>the Key tier</dd>');
    expect(html).toContain('<dt>File</dt><dd>accounts &amp; more.csv (6 rows, 5 scored, preset generic)</dd>');
  });

  it('the shortlist table: rank, name, score, tier, five criteria (– when missing), signals in words', () => {
    const rows = [...html.matchAll(/<tr data-id="[^"]*">.*<\/tr>/g)].map((m) => m[0]);
    expect(rows).toEqual([
      '<tr data-id="K&quot;1"><td class="num">1</td><td class="name"><bdi>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</bdi><small>K&quot;1</small></td><td class="num">90.13</td><td><span class="badge" style="--c:#137a52">Key</span></td><td class="num">80</td><td class="num">95</td><td class="num">82</td><td class="num" title="no input for Product fit">–</td><td class="num">70</td><td><ul class="signals"><li>large headroom: potential is 3x or more of today&#39;s revenue</li><li>small today, strategic tomorrow</li></ul></td></tr>',
    ]);
    expect(html).toContain('<h2>Shortlist (1)</h2>');
  });

  it('has no changes section without a previous snapshot', () => {
    expect(html).not.toContain('id="changes"');
  });

  it('is deterministic', () => {
    expect(renderReportHtml(tinyReport())).toBe(html);
  });
});

describe('the changes section', () => {
  const state = (rank: number, tier: Tier, score: number, shortlisted: boolean) => ({ rank, tier, score, shortlisted });
  const summary = { accounts: 2, invalid: 0, shortlist: 1, tiers: counts({ Key: 1, Maintain: 1 }) };
  const diff: DiffResult = {
    before: summary,
    after: summary,
    entered: [{ id: 'A', name: 'Stratton <P&L>', before: state(12, 'Maintain', 50.48, false), after: state(7, 'Key', 63.93, true) }],
    left: [{ id: 'R', name: 'Gone', before: state(7, 'Key', 65.47, true), after: undefined }],
    tierChanges: [],
    added: [],
    removed: [{ id: 'R', name: 'Gone', before: state(7, 'Key', 65.47, true), after: undefined }],
    movers: [
      {
        id: 'A',
        name: 'Stratton <P&L>',
        before: state(12, 'Maintain', 50.48, false),
        after: state(7, 'Key', 63.93, true),
        rankChange: 5,
        driver: { criterion: 'strategic', points: 10 },
        inputs: [{ input: 'strategic_value', before: 25, after: 75 }],
        criteria: [{ criterion: 'strategic', points: 10, own: true }],
        modelPoints: undefined,
      },
    ],
    revenue: { matched: 1, totalBefore: 1_000_000, totalAfter: 1_250_000, growth: 0.25, changed: [] },
    unchanged: 0,
    shortlistChanged: true,
    modelChanged: { before: 0, after: 0 },
  };
  const html = renderReportHtml(tinyReport({ changes: { previousSource: 'last <week>.csv', diff } }));

  it('lists each group with before → after, escaped', () => {
    const section = html.slice(html.indexOf('<section id="changes">'), html.indexOf('</section>', html.indexOf('<section id="changes">')));
    expect([...section.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => m[1])).toEqual([
      'Entered the shortlist (1)',
      'Left the shortlist (1)',
      'Tier changes (0)',
      'New accounts (0)',
      'Removed accounts (1)',
      'Biggest rank moves (1)',
    ]);
    expect(section).toContain('Compared with last &lt;week&gt;.csv: 2 → 2 accounts scored, 0 with the same tier and rank.');
    expect(section).toContain('Revenue of the 1 account in both exports: 1,000,000 → 1,250,000 (+25.0%); 0 changed.');
    expect(section).toContain(
      '<tr data-id="A"><td class="name"><bdi>Stratton &lt;P&amp;L&gt;</bdi><small>A</small></td><td>Maintain → Key</td><td class="num">12 → 7</td><td class="num">50.48 → 63.93</td></tr>',
    );
    expect(section).toContain(
      '<tr data-id="R"><td class="name"><bdi>Gone</bdi><small>R</small></td><td>Key → –</td><td class="num">7 → –</td><td class="num">65.47 → –</td></tr>',
    );
    expect(section).toContain('<td>up 5 (strategic_value 25 → 75: strategic +10)</td></tr>');
  });

  it('describes a move down and a move with no change of its own', () => {
    const base = { id: 'x', name: 'x', before: state(3, 'Key', 70, false), after: state(6, 'Key', 69, false), modelPoints: undefined };
    expect(
      describeMove({
        ...base,
        rankChange: -3,
        driver: { criterion: 'ltv', points: -1.234 },
        inputs: [{ input: 'gross_margin', before: 0.3, after: 0.2 }],
        criteria: [{ criterion: 'ltv', points: -1.234, own: true }],
      }),
    ).toBe('down 3 (gross_margin 30% → 20%: ltv -1.23)');
    expect(describeMove({ ...base, rankChange: -3, driver: undefined, inputs: [], criteria: [] })).toBe(
      'down 3 (no change of its own: other accounts moved past it)',
    );
  });
});

/** The label boxes of an SVG, from each `text.name`'s x, baseline y, anchor and (unescaped) text. */
function labelBoxes(svg: string): { text: string; box: Box }[] {
  const unescape = (t: string): string =>
    t
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  return [...svg.matchAll(/<text class="name" data-id="[^"]*" x="([\d.-]+)" y="([\d.-]+)" text-anchor="(start|end)"[^>]*>([^<]*)<\/text>/g)].map((m) => {
    const text = unescape(m[4]!);
    return { text, box: labelBox(text, Number(m[1]), Number(m[2]), m[3] as 'start' | 'end') };
  });
}

const overlaps = (a: Box, b: Box): boolean => Math.min(a.x1, b.x1) > Math.max(a.x0, b.x0) && Math.min(a.y1, b.y1) > Math.max(a.y0, b.y0);

describe('matrix labels', () => {
  it('no two labels overlap, even for 40 named points crowded into one corner among 2,000 others (boxes parsed from the SVG)', () => {
    const pts: MatrixPoint[] = [];
    for (let i = 0; i < 2000; i++) pts.push(point({ id: `P${i}`, rank: 100 + i, current: (i * 7.3) % 100, attractiveness: (i * 13.7) % 100 }));
    for (let i = 0; i < 40; i++) {
      pts.push(
        point({ id: `N${i}`, name: `Named account number ${i} Wm`, rank: i + 1, current: 95 + (i % 5), attractiveness: 95 + ((i * 3) % 5), shortlisted: true }),
      );
    }
    const m = renderMatrix(pts, { cut: 50 });
    const boxes = labelBoxes(m.svg);
    expect(boxes.length + m.unplaced).toBe(40);
    expect(boxes.length).toBeGreaterThanOrEqual(25);
    const clashes = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => overlaps(a.box, b.box))
        .map((b) => `${a.text} / ${b.text}`),
    );
    expect(clashes).toEqual([]);
    expect(boxes.filter(({ box }) => box.x0 < 64 || box.x1 > 740 || box.y0 < 20 || box.y1 > 542)).toEqual([]);
  });

  it('a label that finds no free spot is left out and counted, never drawn over another', () => {
    const pts = Array.from({ length: 400 }, (_, i) =>
      point({ id: `N${i}`, name: 'A rather long account name here', rank: i + 1, current: 50, attractiveness: 50, shortlisted: true }),
    );
    const m = renderMatrix(pts, { cut: 50 });
    const boxes = labelBoxes(m.svg);
    expect(boxes.length + m.unplaced).toBe(400);
    expect(m.unplaced).toBeGreaterThan(0);
    expect(boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => overlaps(a.box, b.box)))).toEqual([]);
  });

  it('labelWidth errs wide on capitals and wide glyphs', () => {
    expect([labelWidth('ill'), labelWidth('abc'), labelWidth('ABC'), labelWidth('MW'), labelWidth('東京')]).toEqual(
      [0.96 * 11, 1.68 * 11, 2.04 * 11, 1.8 * 11, 2 * 11].map((x): unknown => expect.closeTo(x, 9)),
    );
  });
});

describe('pickNamed: which accounts the matrix names', () => {
  const ranked = (tiers: Tier[], shortlisted: (i: number) => boolean = () => false): ReportAccount[] =>
    tiers.map((tier, i) => account({ id: `${tier[0]}${i + 1}`, rank: i + 1, tier, shortlisted: shortlisted(i) }));

  it('the shortlist when it fits, in rank order', () => {
    const accounts = ranked(['Key', 'Key', 'Develop', 'Maintain', 'Key'], (i) => i !== 3);
    expect([...pickNamed(accounts, 25)]).toEqual(['K1', 'K2', 'D3', 'K5']);
  });

  it('else the best 15 Key plus the best 10 Develop, so a Cartech-type Develop account is named', () => {
    const tiers: Tier[] = [...Array<Tier>(40).fill('Key'), ...Array<Tier>(20).fill('Develop'), 'Monitor'];
    const named = [
      ...pickNamed(
        ranked(tiers, (i) => i < 40),
        25,
      ),
    ];
    expect(named).toEqual([...Array.from({ length: 15 }, (_, i) => `K${i + 1}`), ...Array.from({ length: 10 }, (_, i) => `D${41 + i}`)]);
  });

  it('a tier with too few accounts leaves its places to the other; Unrated accounts are never named', () => {
    const tiers: Tier[] = [...Array<Tier>(30).fill('Key'), 'Develop', 'Develop', 'Unrated'];
    const named = [
      ...pickNamed(
        ranked(tiers, (i) => i < 30),
        25,
      ),
    ];
    expect(named).toEqual([...Array.from({ length: 23 }, (_, i) => `K${i + 1}`), 'D31', 'D32']);
    expect([
      ...pickNamed(
        ranked(['Unrated', 'Key'], () => true),
        25,
      ),
    ]).toEqual(['K2']);
    expect([
      ...pickNamed(
        ranked(['Key', 'Key'], () => true),
        0,
      ),
    ]).toEqual([]);
  });
});

describe('the density view (more than AGGREGATE_ABOVE points)', () => {
  const many = (n: number): MatrixPoint[] =>
    Array.from({ length: n }, (_, i) =>
      point({
        id: `P${i}`,
        rank: i + 1,
        tier: i % 2 ? 'Key' : 'Monitor',
        current: i % 2 ? 60 + (i % 40) : i % 50,
        attractiveness: i % 2 ? 55 + (i % 45) : i % 49,
        named: i < 3,
      }),
    );

  it('draws hexagons that count every point, and only the named points as circles, on top', () => {
    const pts = many(AGGREGATE_ABOVE + 1);
    const m = renderMatrix(pts, { cut: 50 });
    expect(m.aggregated).toBe(true);
    expect(count(m.svg, /<circle /g)).toBe(3);
    expect(count(m.svg, /<circle class="account named"/g)).toBe(3);
    const counted = [...m.svg.matchAll(/<path class="hex" data-tier="(\w+)" data-n="(\d+)"/g)].reduce((s, x) => s + Number(x[2]), 0);
    expect(counted).toBe(AGGREGATE_ABOVE + 1);
    expect(m.svg.indexOf('<g class="density">')).toBeLessThan(m.svg.indexOf('<g class="accounts">'));
    expect(renderMatrix(pts.slice(0, AGGREGATE_ABOVE), { cut: 50 }).aggregated).toBe(false);
  });

  it('each point goes to the hexagon whose centre is nearest (within the hexagon radius)', () => {
    const pts = Array.from({ length: 2500 }, (_, i) => point({ id: `P${i}`, current: (i % 50) * 2.03, attractiveness: Math.floor(i / 50) * 2.01 }));
    const bins = hexBins(pts);
    expect(bins.reduce((s, b) => s + b.counts.reduce((x, y) => x + y, 0), 0)).toBe(2500);
    const centres = bins.map((b) => [b.x, b.y] as const);
    for (const p of pts.filter((_, i) => i % 97 === 0)) {
      const x = 64 + (p.current / 100) * 676;
      const y = 20 + (1 - p.attractiveness / 100) * 522;
      const d = centres.map(([cx, cy]) => Math.hypot(cx - x, cy - y));
      expect(Math.min(...d)).toBeLessThanOrEqual(8 + 1e-9);
    }
  });

  it('the report says how the matrix is drawn', () => {
    const accounts = Array.from({ length: AGGREGATE_ABOVE + 1 }, (_, i) =>
      account({ id: `A${i}`, rank: i + 1, tier: 'Key', current: 60 + (i % 40), attractiveness: 60 + (i % 39), shortlisted: i < 10 }),
    );
    const html = renderReportHtml(tinyReport({ accounts, tierCounts: counts({ Key: accounts.length }) }));
    expect(html).toContain(
      `<li><small>${AGGREGATE_ABOVE + 1} rated accounts, shaded: each hexagon is coloured by the tier most of its accounts are in, darker the more it holds (its tooltip counts them); the named accounts are drawn as points on top.`,
    );
    expect(html).toContain('<li><span class="dot ring"></span><strong>Named</strong> (10)<small>ringed and labelled: the shortlist</small></li>');
  });
});

describe('capped lists (the file stays small)', () => {
  it(`the shortlist table shows ${SHORTLIST_ROWS} rows and counts the rest`, () => {
    const accounts = Array.from({ length: SHORTLIST_ROWS + 7 }, (_, i) => account({ id: `K${i}`, rank: i + 1, tier: 'Key', shortlisted: true }));
    const html = renderReportHtml(tinyReport({ accounts }));
    const section = html.slice(html.indexOf('<section id="shortlist">'), html.indexOf('</section>', html.indexOf('<section id="shortlist">')));
    expect(count(section, /<tr data-id=/g)).toBe(SHORTLIST_ROWS);
    expect(section).toContain(`<h2>Shortlist (${SHORTLIST_ROWS + 7})</h2>`);
    expect(section).toContain('<p class="more">… and 7 more (kam score lists them all)</p>');
  });

  it(`each group of changes shows ${CHANGE_ROWS} rows and counts the rest`, () => {
    const state = { rank: 1, tier: 'Key' as Tier, score: 60, shortlisted: true };
    const added = Array.from({ length: CHANGE_ROWS + 3 }, (_, i) => ({ id: `N${i}`, name: `New ${i}`, before: undefined, after: state }));
    const summary = { accounts: 1, invalid: 0, shortlist: 0, tiers: counts({}) };
    const diff: DiffResult = {
      before: summary,
      after: summary,
      entered: [],
      left: [],
      tierChanges: [],
      added,
      removed: [],
      movers: [],
      revenue: { matched: 0, totalBefore: 0, totalAfter: 0, growth: Number.NaN, changed: [] },
      unchanged: 0,
      shortlistChanged: false,
      modelChanged: { before: 0, after: 0 },
    };
    const html = renderReportHtml(tinyReport({ changes: { previousSource: 'last.csv', diff } }));
    const section = html.slice(html.indexOf('<section id="changes">'));
    expect(count(section, /<tr data-id="N\d+">/g)).toBe(CHANGE_ROWS);
    expect(section).toContain(`<h3>New accounts (${CHANGE_ROWS + 3})</h3>`);
    expect(section).toContain('<p class="more">… and 3 more (kam diff lists them all)</p>');
  });
});
