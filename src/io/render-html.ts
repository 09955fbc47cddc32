/**
 * The weekly report as one self-contained HTML file: inline style, inline SVG, no script,
 * no external reference, a CSP that forbids loading anything. Every CSV text goes through
 * `escapeXml`. The same `ReportData` (report-data.ts) feeds the Markdown report, so both say the same.
 */
import type { RankMover } from '../core/diff.ts';
import { CRITERIA, TIERS, type Tier } from '../core/types.ts';
import { modelChangeLine } from './diff-text.ts';
import { escapeXml } from './format.ts';
import type { MatrixPoint, RatedTier } from './matrix-plot.ts';
import { FOLLOW_UP_STYLE, renderFollowUpHtml } from './render-followup.ts';
import { renderMatrix, TIER_COLOR } from './render-svg.ts';
import {
  capitalise,
  CHANGE_ROWS,
  changeGroups,
  describeChange,
  describeMove,
  describeRevenue,
  formatCriterion,
  formatScore,
  formatWeights,
  matrixPoints,
  moreLine,
  robustPickWords,
  shortCriterion,
  SHORTLIST_ROWS,
  signalWords,
  type ReportChanges,
  type ReportData,
} from './report-data.ts';
import { CRITERION_LABEL, TIER_TEXT } from './signal-text.ts';

const STYLE = `
:root{color-scheme:light;--ink:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#ffffff;--panel:#f9fafb}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:32px 28px 48px}
header{border-bottom:2px solid var(--ink);padding-bottom:12px;margin-bottom:24px}
h1{font-size:28px;line-height:1.2;margin:0 0 6px}
h2{font-size:19px;margin:32px 0 12px}
h3{font-size:15px;margin:18px 0 6px}
.meta{color:var(--muted);margin:0}
.tiers{display:grid;grid-template-columns:repeat(6,1fr);gap:10px;list-style:none;padding:0;margin:0 0 14px}
.tiers li{border:1px solid var(--line);border-top:4px solid var(--c);border-radius:6px;padding:10px 12px;background:var(--panel)}
.tiers .n{display:block;font-size:26px;font-weight:700;line-height:1.1;color:var(--c)}
.tiers .t{display:block;font-weight:600}
.tiers .h{display:block;color:var(--muted);font-size:12px;line-height:1.35}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0}
.matrix-wrap{display:grid;grid-template-columns:minmax(0,760px) 1fr;gap:24px;align-items:start}
svg.matrix{width:100%;height:auto;display:block;border:1px solid var(--line);border-radius:6px;background:#fff}
.legend{list-style:none;padding:0;margin:0;font-size:14px}
.legend li{margin:0 0 12px;padding-left:22px;position:relative}
.legend .dot{position:absolute;left:0;top:4px;width:13px;height:13px;border-radius:50%;background:var(--c)}
.legend .ring{background:#fff;border:2px solid var(--ink)}
.legend .robust{outline:2px solid var(--ink);outline-offset:2px}
.legend small{display:block;color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{padding:7px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);border-bottom:2px solid var(--line)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.name{font-weight:600;min-width:15em}
td.name small{display:block;font-weight:400;color:var(--muted)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;background:var(--c);font-size:12px;font-weight:600}
table.changes{width:auto;min-width:66%}
table.changes th,table.changes td{padding-right:28px}
ul.signals{margin:0;padding-left:16px}
.none,.more{color:var(--muted)}
footer{margin-top:40px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:10px}
@media (max-width:900px){.matrix-wrap{grid-template-columns:1fr}.tiers{grid-template-columns:repeat(3,1fr)}}
@media print{main{padding:0}h2{break-after:avoid}tr{break-inside:avoid}}
`.trim();

const tierVar = (tier: Tier): string => `--c:${TIER_COLOR[tier]}`;
const badge = (tier: Tier): string => `<span class="badge" style="${tierVar(tier)}">${escapeXml(tier)}</span>`;

function summarySection(d: ReportData): string {
  const out: string[] = ['<section id="summary">', '<h2>Summary</h2>', '<ul class="tiers">'];
  for (const t of TIERS) {
    if (t === 'Gated' && d.tierCounts.Gated === 0) continue; // only when a gate fired
    out.push(
      `<li data-tier="${t}" style="${tierVar(t)}"><span class="n">${d.tierCounts[t]}</span><span class="t">${t}</span><span class="h">${escapeXml(TIER_TEXT[t])}</span></li>`,
    );
  }
  out.push(
    `<li data-tier="Invalid" style="--c:#b91c1c"><span class="n">${d.rejectedCount}</span><span class="t">Rejected</span><span class="h">rows with values kam could not read</span></li>`,
  );
  out.push('</ul>', '<dl class="facts">');
  const scored = d.accounts.length;
  out.push(`<dt>File</dt><dd>${escapeXml(d.source)} (${d.rows} row${d.rows === 1 ? '' : 's'}, ${scored} scored, preset ${escapeXml(d.preset)})</dd>`);
  out.push(`<dt>As of</dt><dd>${escapeXml(d.asOf)}</dd>`);
  out.push(`<dt>Weights</dt><dd>${escapeXml(formatWeights(d.weights))}</dd>`);
  out.push(`<dt>Tier cut</dt><dd>${d.tierCut} on both axes</dd>`);
  out.push(`<dt>Shortlist</dt><dd>${escapeXml(d.shortlistRule)}</dd>`);
  if (d.rejectedCount > 0) {
    const items = d.rejectedSample.map((r) => `<li>line ${r.line}: ${escapeXml(r.message)}</li>`);
    const more = d.rejectedCount - d.rejectedSample.length;
    if (more > 0) items.push(`<li>… and ${more} more (kam validate lists them all)</li>`);
    out.push(`<dt>Rejected</dt><dd><ul class="rejected">${items.join('')}</ul></dd>`);
  }
  out.push('</dl>', '</section>');
  return out.join('\n');
}

function matrixSection(d: ReportData, points: readonly MatrixPoint[]): string {
  const unrated = d.tierCounts.Unrated;
  const out: string[] = ['<section id="matrix">', '<h2>Portfolio matrix</h2>', '<div class="matrix-wrap">'];
  const m = renderMatrix(points, { cut: d.tierCut, title: `KAM portfolio matrix of ${d.source}` });
  out.push(m.svg.trimEnd());
  out.push('<ul class="legend">');
  const rated: readonly RatedTier[] = ['Key', 'Develop', 'Maintain', 'Monitor'];
  for (const t of rated) {
    out.push(`<li style="${tierVar(t)}"><span class="dot"></span><strong>${t}</strong> (${d.tierCounts[t]})<small>${escapeXml(TIER_TEXT[t])}</small></li>`);
  }
  const named = points.filter((p) => p.named);
  const unplaced = m.unplaced > 0 ? ` (${m.unplaced} without room for a label)` : '';
  const wholeShortlist = named.every((p) => p.shortlisted) && points.filter((p) => p.shortlisted).length === named.length;
  const which = wholeShortlist ? 'the shortlist' : 'the best Key and Develop accounts';
  out.push(`<li><span class="dot ring"></span><strong>Named</strong> (${named.length})<small>ringed and labelled: ${which}${unplaced}</small></li>`);
  if (d.robust !== undefined) {
    const picks = points.filter((p) => p.robustPick === true).length;
    out.push(
      `<li><span class="dot ring robust"></span><strong>Robust picks</strong> (${picks})<small>double ring: ${escapeXml(robustPickWords(d.robust))}</small></li>`,
    );
  }
  const what = m.aggregated
    ? `${points.length} rated accounts, shaded: each hexagon is coloured by the tier most of its accounts are in, darker the more it holds (its tooltip counts them); the named accounts are drawn as points on top.`
    : `One point per rated account (${points.length}).`;
  out.push(
    `<li><small>${what} Dashed lines: the tier cut at ${d.tierCut}.${unrated > 0 ? ` ${unrated} Unrated account${unrated === 1 ? ' has' : 's have'} too little data to be placed.` : ''}</small></li>`,
  );
  out.push('</ul>', '</div>', '</section>');
  return out.join('\n');
}

function shortlistSection(d: ReportData): string {
  const list = d.accounts.filter((a) => a.shortlisted);
  const out: string[] = [
    '<section id="shortlist">',
    `<h2>Shortlist (${list.length})</h2>`,
    `<p class="meta">${escapeXml(capitalise(d.shortlistRule))}, best score first.</p>`,
  ];
  if (list.length === 0) {
    out.push('<p class="none">No account is on the shortlist.</p>', '</section>');
    return out.join('\n');
  }
  out.push('<table>', '<thead><tr><th class="num">Rank</th><th>Account</th><th class="num">Score</th><th>Tier</th>');
  out.push(CRITERIA.map((c) => `<th class="num" title="${escapeXml(CRITERION_LABEL[c])}">${escapeXml(shortCriterion(c))}</th>`).join(''));
  out.push('<th>Signals</th></tr></thead>', '<tbody>');
  for (const a of list.slice(0, SHORTLIST_ROWS)) {
    const crit = a.criteria
      .map(
        (v, i) =>
          `<td class="num"${v === undefined ? ` title="no input for ${escapeXml(CRITERION_LABEL[CRITERIA[i]!])}"` : ''}>${v === undefined ? '–' : formatCriterion(v)}</td>`,
      )
      .join('');
    const words = signalWords(a.signals);
    const sig = words.length ? `<ul class="signals">${words.map((w) => `<li>${escapeXml(w)}</li>`).join('')}</ul>` : '<span class="none">none</span>';
    out.push(
      `<tr data-id="${escapeXml(a.id)}"><td class="num">${a.rank}</td><td class="name"><bdi>${escapeXml(a.name)}</bdi><small>${escapeXml(a.id)}</small></td><td class="num">${formatScore(a.score)}</td><td>${badge(a.tier)}</td>${crit}<td>${sig}</td></tr>`,
    );
  }
  out.push('</tbody>', '</table>');
  const more = moreLine(list.length, SHORTLIST_ROWS, 'kam score');
  if (more) out.push(`<p class="more">${escapeXml(more)}</p>`);
  out.push('</section>');
  return out.join('\n');
}

function changesSection(c: ReportChanges): string {
  const d = c.diff;
  const out: string[] = ['<section id="changes">', '<h2>Changes since the previous export</h2>'];
  const summary = `Compared with ${c.previousSource}: ${d.before.accounts} → ${d.after.accounts} accounts scored, ${d.unchanged} with the same tier and rank.`;
  out.push(`<p class="meta">${escapeXml(summary)}</p>`);
  const revenue = describeRevenue(d);
  if (revenue) out.push(`<p class="meta">${escapeXml(revenue)}</p>`);
  const model = modelChangeLine(d, c.previousSource, 'this export');
  if (model) out.push(`<p class="meta">${escapeXml(model)}</p>`);
  for (const [heading, rows] of changeGroups(d)) {
    const isMovers = rows === d.movers;
    out.push(`<h3>${escapeXml(heading)} (${rows.length})</h3>`);
    if (rows.length === 0) {
      out.push('<p class="none">none</p>');
      continue;
    }
    out.push(
      `<table class="changes"><thead><tr><th>Account</th><th>Tier</th><th class="num">Rank</th><th class="num">Score</th>${isMovers ? '<th>Move</th>' : ''}</tr></thead>`,
      '<tbody>',
    );
    for (const r of rows.slice(0, CHANGE_ROWS)) {
      const t = describeChange(r);
      const move = isMovers ? `<td>${escapeXml(describeMove(r as RankMover))}</td>` : '';
      out.push(
        `<tr data-id="${escapeXml(r.id)}"><td class="name"><bdi>${escapeXml(r.name)}</bdi><small>${escapeXml(r.id)}</small></td><td>${escapeXml(t.tier)}</td><td class="num">${escapeXml(t.rank)}</td><td class="num">${escapeXml(t.score)}</td>${move}</tr>`,
      );
    }
    out.push('</tbody>', '</table>');
    const more = moreLine(rows.length, CHANGE_ROWS, 'kam diff');
    if (more) out.push(`<p class="more">${escapeXml(more)}</p>`);
  }
  out.push('</section>');
  return out.join('\n');
}

/**
 * The report as one HTML document. No script and a CSP of `default-src 'none'`, so it
 * can be opened from disk or an email attachment and never reaches the network.
 */
export function renderReportHtml(d: ReportData): string {
  const points = matrixPoints(d.accounts, d.labels);
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="kam">',
    `<title>${escapeXml(`${d.title} · ${d.source} · ${d.asOf}`)}</title>`,
    `<style>\n${STYLE}${d.followUp ? `\n${FOLLOW_UP_STYLE}` : ''}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<header>',
    `<h1>${escapeXml(d.title)}</h1>`,
    `<p class="meta">${escapeXml(d.source)} · as of ${escapeXml(d.asOf)} · ${d.accounts.length} account${d.accounts.length === 1 ? '' : 's'} scored</p>`,
    '</header>',
    summarySection(d),
    matrixSection(d, points),
    shortlistSection(d),
  ];
  if (d.changes) parts.push(changesSection(d.changes));
  if (d.followUp) parts.push(renderFollowUpHtml(d.followUp));
  parts.push(
    '<footer>Made with kam: five criteria (revenue volume, revenue potential, lifetime value, product fit, strategic value) on 0–100 scales; current value = volume and lifetime value, attractiveness = potential, fit and strategic value.</footer>',
    '</main>',
    '</body>',
    '</html>',
  );
  return parts.join('\n') + '\n';
}
