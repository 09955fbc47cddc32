import { markdownTable } from './render-markdown.ts';
import { escapeXml, markdownText, round, wholePercent } from './format.ts';

/**
 * The follow-up sections of `kam report` (issue 15): goals with their status, a score chart
 * per shortlisted account across the snapshots, and the backtest with its gains chart. Plain
 * data in (the report command turns goals, history and backtest into it), HTML with inline
 * SVG or Markdown out; every CSV text goes through escapeXml or the Markdown escaper.
 */

/** One goal as the report shows it; values already in words. */
interface ReportGoalRow {
  readonly id: string;
  readonly name: string;
  readonly metric: string;
  readonly baseline: string;
  readonly current: string;
  readonly target: string;
  readonly due: string;
  readonly progress: string;
  /** done, on track, behind, overdue, no data, account gone. */
  readonly status: string;
  /** 'left the shortlist' or ''. */
  readonly flag: string;
  readonly owner: string;
}

export interface ReportGoals {
  readonly source: string;
  readonly summary: string;
  readonly rows: readonly ReportGoalRow[];
}

/** One shortlisted account's score across the snapshots. */
interface ReportSeries {
  readonly id: string;
  readonly name: string;
  /** One per snapshot, 0..100; undefined when absent or without a score. */
  readonly scores: readonly (number | undefined)[];
  /** e.g. 'Key for 8 snapshots since 2026-10-02'. */
  readonly streak: string;
  /** e.g. '+9.09/wk'. */
  readonly momentum: string;
  readonly signals: readonly string[];
}

export interface ReportHistory {
  /** YYYY-MM-DD of each snapshot, oldest first. */
  readonly dates: readonly string[];
  /** Snapshot indices where the model changed (a dashed line before that snapshot). */
  readonly modelBreaks: readonly number[];
  readonly modelLines: readonly string[];
  readonly series: readonly ReportSeries[];
}

interface ReportBacktestTier {
  readonly tier: string;
  readonly accounts: number;
  readonly positives: number;
  readonly rate: string;
  readonly interval: string;
  readonly lift: string;
  readonly small: boolean;
}

export interface ReportBacktest {
  /** 'snapshots/2026-08-28.csv (2026-08-28) -> this export'. */
  readonly compared: string;
  readonly outcome: string;
  readonly tiers: readonly ReportBacktestTier[];
  /** Share of positives (0..1) in the top decile*10 % of the ranking, deciles 1..10. */
  readonly gains: readonly number[];
  readonly auc: string;
  readonly shortlist: string;
  readonly warning: string | undefined;
}

export interface ReportFollowUp {
  readonly goals?: ReportGoals | undefined;
  readonly history?: ReportHistory | undefined;
  readonly backtest?: ReportBacktest | undefined;
}

const n2 = (x: number): string => String(round(x, 2));

/**
 * A small line chart of one account's score (0..100) across the snapshots: one point per
 * snapshot, gaps where it is absent, a dashed line where the model changed.
 */
function renderScoreChartSvg(series: ReportSeries, dates: readonly string[], modelBreaks: readonly number[]): string {
  const w = 320;
  const h = 130;
  const left = 34;
  const right = 10;
  const top = 12;
  const bottom = 24;
  const n = dates.length;
  const x = (k: number): number => left + (n <= 1 ? (w - left - right) / 2 : (k * (w - left - right)) / (n - 1));
  const y = (v: number): number => top + ((100 - v) * (h - top - bottom)) / 100;
  const out: string[] = [
    `<svg class="trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" role="img" aria-labelledby="t-${escapeXml(series.id)}">`,
    `<title id="t-${escapeXml(series.id)}">${escapeXml(`Score of ${series.name} per snapshot, ${dates[0] ?? ''} to ${dates.at(-1) ?? ''}`)}</title>`,
  ];
  for (const v of [0, 50, 100]) {
    out.push(`<line x1="${left}" y1="${n2(y(v))}" x2="${w - right}" y2="${n2(y(v))}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${left - 6}" y="${n2(y(v) + 4)}" text-anchor="end" font-size="10" fill="#6b7280">${v}</text>`);
  }
  for (const k of modelBreaks) {
    const bx = n2((x(k - 1) + x(k)) / 2);
    out.push(
      `<line class="model-change" x1="${bx}" y1="${top}" x2="${bx}" y2="${h - bottom}" stroke="#b86e0c" stroke-dasharray="4 3"><title>model changed</title></line>`,
    );
  }
  // One polyline per run of present points that no model change cuts.
  let run: string[] = [];
  const flush = (): void => {
    if (run.length > 1) out.push(`<polyline fill="none" stroke="#137a52" stroke-width="2" points="${run.join(' ')}"/>`);
    run = [];
  };
  series.scores.forEach((v, k) => {
    if (modelBreaks.includes(k)) flush();
    if (v === undefined) {
      flush();
      return;
    }
    run.push(`${n2(x(k))},${n2(y(v))}`);
    out.push(`<circle cx="${n2(x(k))}" cy="${n2(y(v))}" r="2.5" fill="#137a52"><title>${escapeXml(`${dates[k]}: ${v.toFixed(2)}`)}</title></circle>`);
  });
  flush();
  out.push(`<text x="${left}" y="${h - 6}" font-size="10" fill="#6b7280">${escapeXml(dates[0] ?? '')}</text>`);
  out.push(`<text x="${w - right}" y="${h - 6}" text-anchor="end" font-size="10" fill="#6b7280">${escapeXml(dates.at(-1) ?? '')}</text>`);
  out.push('</svg>');
  return out.join('');
}

/** Cumulative gains: share of positives (y) captured by the top share of the ranking (x), against the diagonal of a random order. */
function renderGainsSvg(gains: readonly number[]): string {
  const w = 360;
  const h = 260;
  const left = 44;
  const right = 14;
  const top = 14;
  const bottom = 40;
  const x = (f: number): number => left + f * (w - left - right);
  const y = (f: number): number => top + (1 - f) * (h - top - bottom);
  const out: string[] = [
    `<svg class="gains" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" role="img" aria-labelledby="gains-title">`,
    '<title id="gains-title">Cumulative gains by decile of rank</title>',
  ];
  for (const f of [0, 0.5, 1]) {
    out.push(`<line x1="${left}" y1="${n2(y(f))}" x2="${w - right}" y2="${n2(y(f))}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${left - 6}" y="${n2(y(f) + 4)}" text-anchor="end" font-size="11" fill="#6b7280">${f * 100}%</text>`);
    out.push(`<text x="${n2(x(f))}" y="${h - bottom + 16}" text-anchor="middle" font-size="11" fill="#6b7280">${f * 100}%</text>`);
  }
  out.push(
    `<line class="random" x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#9ca3af" stroke-dasharray="5 4"><title>random order</title></line>`,
  );
  const points = [`${x(0)},${y(0)}`, ...gains.map((g, k) => `${n2(x((k + 1) / 10))},${n2(y(Number.isNaN(g) ? 0 : g))}`)];
  out.push(`<polyline fill="none" stroke="#2a62c9" stroke-width="2.5" points="${points.join(' ')}"/>`);
  gains.forEach((g, k) => {
    if (!Number.isNaN(g))
      out.push(
        `<circle cx="${n2(x((k + 1) / 10))}" cy="${n2(y(g))}" r="3" fill="#2a62c9"><title>top ${(k + 1) * 10}%: ${Math.round(g * 100)}% of positives</title></circle>`,
      );
  });
  out.push(`<text x="${n2(x(0.5))}" y="${h - 6}" text-anchor="middle" font-size="11" fill="#111827">accounts by old rank</text>`);
  out.push('</svg>');
  return out.join('');
}

const GOAL_HEAD = ['Account', 'Metric', 'Baseline', 'Current', 'Target', 'Due', 'Progress', 'Status', 'Owner'];

function goalsHtml(g: ReportGoals): string {
  const out = ['<section id="goals">', `<h2>Goals (${g.rows.length})</h2>`, `<p class="meta">${escapeXml(`${g.source}: ${g.summary}`)}</p>`];
  if (!g.rows.length) {
    out.push('<p class="none">No goals.</p>', '</section>');
    return out.join('\n');
  }
  out.push(
    '<table>',
    `<thead><tr>${GOAL_HEAD.map((c, i) => `<th${i >= 2 && i <= 6 && i !== 5 ? ' class="num"' : ''}>${c}</th>`).join('')}</tr></thead>`,
    '<tbody>',
  );
  for (const r of g.rows) {
    const flag = r.flag ? `<small>${escapeXml(r.flag)}</small>` : '';
    out.push(
      `<tr data-id="${escapeXml(r.id)}" data-status="${escapeXml(r.status)}"><td class="name"><bdi>${escapeXml(r.name)}</bdi><small>${escapeXml(r.id)}</small></td><td>${escapeXml(r.metric)}</td>` +
        `<td class="num">${escapeXml(r.baseline)}</td><td class="num">${escapeXml(r.current)}</td><td class="num">${escapeXml(r.target)}</td><td>${escapeXml(r.due)}</td>` +
        `<td class="num">${escapeXml(r.progress)}</td><td class="status"><strong>${escapeXml(r.status)}</strong>${flag}</td><td>${escapeXml(r.owner)}</td></tr>`,
    );
  }
  out.push('</tbody>', '</table>', '</section>');
  return out.join('\n');
}

function historyHtml(h: ReportHistory): string {
  const out = [
    '<section id="history">',
    `<h2>History of the shortlist (${h.dates.length} snapshots, ${escapeXml(h.dates[0] ?? '')} to ${escapeXml(h.dates.at(-1) ?? '')})</h2>`,
    ...h.modelLines.map((l) => `<p class="meta">${escapeXml(l)}</p>`),
  ];
  if (!h.series.length) out.push('<p class="none">No shortlisted account is in the snapshots.</p>');
  out.push('<div class="trends">');
  for (const s of h.series) {
    const facts = [s.streak, s.momentum ? `momentum ${s.momentum}` : '', ...s.signals].filter((x) => x !== '').join(' · ');
    out.push(
      `<figure data-id="${escapeXml(s.id)}">${renderScoreChartSvg(s, h.dates, h.modelBreaks)}<figcaption><strong><bdi>${escapeXml(s.name)}</bdi></strong> <small>${escapeXml(facts)}</small></figcaption></figure>`,
    );
  }
  out.push('</div>', '</section>');
  return out.join('\n');
}

function backtestHtml(b: ReportBacktest): string {
  const out = [
    '<section id="backtest">',
    '<h2>Backtest: did the accounts kam picked do better?</h2>',
    `<p class="meta">${escapeXml(b.compared)} · outcome: ${escapeXml(b.outcome)}</p>`,
  ];
  out.push('<div class="matrix-wrap">', renderGainsSvg(b.gains), '<div>');
  out.push(
    '<table class="changes"><thead><tr><th>Tier</th><th class="num">Accounts</th><th class="num">Positive</th><th class="num">Rate</th><th>95% interval</th><th class="num">Lift</th></tr></thead><tbody>',
  );
  for (const t of b.tiers) {
    out.push(
      `<tr data-tier="${escapeXml(t.tier)}"><td>${escapeXml(t.tier)}${t.small ? ' <small>few accounts</small>' : ''}</td><td class="num">${t.accounts}</td><td class="num">${t.positives}</td><td class="num">${escapeXml(t.rate)}</td><td>${escapeXml(t.interval)}</td><td class="num">${escapeXml(t.lift)}</td></tr>`,
    );
  }
  out.push('</tbody></table>', `<p>${escapeXml(b.auc)}</p>`, `<p>${escapeXml(b.shortlist)}</p>`);
  if (b.warning) out.push(`<p class="meta">${escapeXml(b.warning)}</p>`);
  out.push('</div>', '</div>', '</section>');
  return out.join('\n');
}

/** Extra style of the follow-up sections (the report adds it to its own in <head>). */
export const FOLLOW_UP_STYLE = `
.trends{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:16px}
.trends figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:8px;background:#fff}
.trends figcaption small,td.status small{display:block;color:var(--muted)}
svg.trend,svg.gains{width:100%;height:auto;display:block}
`.trim();

/** The follow-up sections as HTML, in order: goals, history, backtest. */
export function renderFollowUpHtml(f: ReportFollowUp): string {
  const parts: string[] = [];
  if (f.goals) parts.push(goalsHtml(f.goals));
  if (f.history) parts.push(historyHtml(f.history));
  if (f.backtest) parts.push(backtestHtml(f.backtest));
  return parts.join('\n');
}

/** The follow-up sections as Markdown (the charts as text: a sparkline, the gains as a table). */
export function renderFollowUpMarkdown(f: ReportFollowUp, sparkline: (scores: readonly (number | undefined)[], breaks: readonly number[]) => string): string {
  const out: string[] = [];
  if (f.goals) {
    out.push(`## Goals (${f.goals.rows.length})`, '', markdownText(`${f.goals.source}: ${f.goals.summary}`), '');
    if (f.goals.rows.length) {
      out.push(
        markdownTable(
          GOAL_HEAD,
          f.goals.rows.map((r) => [
            `${r.name} (${r.id})`,
            r.metric,
            r.baseline,
            r.current,
            r.target,
            r.due,
            r.progress,
            r.flag ? `${r.status}, ${r.flag}` : r.status,
            r.owner,
          ]),
          new Set([2, 3, 4, 6]),
        ),
      );
    }
  }
  if (f.history) {
    const h = f.history;
    out.push(`## History of the shortlist (${h.dates.length} snapshots, ${h.dates[0] ?? ''} to ${h.dates.at(-1) ?? ''})`, '');
    for (const l of h.modelLines) out.push(`- ${markdownText(l)}`);
    if (h.modelLines.length) out.push('');
    if (!h.series.length) out.push('No shortlisted account is in the snapshots.', '');
    else {
      out.push(
        markdownTable(
          ['Account', 'Score trend', 'Streak', 'Momentum', 'Signals'],
          h.series.map((s) => [`${s.name} (${s.id})`, sparkline(s.scores, h.modelBreaks), s.streak, s.momentum, s.signals.join(', ')]),
        ),
      );
    }
  }
  if (f.backtest) {
    const b = f.backtest;
    out.push('## Backtest: did the accounts kam picked do better?', '', markdownText(`${b.compared} · outcome: ${b.outcome}`), '');
    out.push(
      markdownTable(
        ['Tier', 'Accounts', 'Positive', 'Rate', '95% interval', 'Lift'],
        b.tiers.map((t) => [t.small ? `${t.tier} (few accounts)` : t.tier, String(t.accounts), String(t.positives), t.rate, t.interval, t.lift]),
        new Set([1, 2, 3, 5]),
      ),
    );
    out.push(markdownTable(['Top', ...b.gains.map((_, k) => `${(k + 1) * 10}%`)], [['Share of positives', ...b.gains.map(wholePercent)]]));
    out.push(`- ${markdownText(b.auc)}`, `- ${markdownText(b.shortlist)}`);
    if (b.warning) out.push(`- ${markdownText(b.warning)}`);
    out.push('');
  }
  return out.join('\n');
}
