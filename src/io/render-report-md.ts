import type { RankMover } from '../core/diff.ts';
import { sparkline } from '../core/history.ts';
import { CRITERIA, TIERS, type Tier } from '../core/types.ts';
import { modelChangeLine } from './diff-text.ts';
import { markdownText } from './format.ts';
import { renderFollowUpMarkdown } from './render-followup.ts';
import {
  CHANGE_ROWS,
  changeGroups,
  describeChange,
  describeMove,
  describeRevenue,
  formatCriterion,
  formatScore,
  formatWeights,
  matrixPoints,
  robustPickWords,
  moreLine,
  SHORTLIST_ROWS,
  shortCriterion,
  signalWords,
  type ReportData,
} from './report-data.ts';
import { markdownTable } from './render-markdown.ts';
import { TIER_TEXT } from './signal-text.ts';

/** `kam report --format md`: the report's sections for chat and email; prose and cells through markdownText (CRM names are untrusted). */

/** A table of Markdown cells (escaped here with markdownText, or bold), without the final line break. */
const mdTable = (head: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number>): string =>
  markdownTable(head, rows, numeric, 'markdown').slice(0, -1);

/** The tier counts, the file, weights, tier cut and shortlist rule, and a sample of rejected rows. */
function summaryMd(d: ReportData): string[] {
  const out: string[] = [];
  const scored = d.accounts.length;
  out.push('## Summary', '');
  const tierRows = TIERS.filter((t) => t !== 'Gated' || d.tierCounts.Gated > 0).map((t) => [`**${t}**`, String(d.tierCounts[t]), markdownText(TIER_TEXT[t])]);
  tierRows.push(['**Rejected**', String(d.rejectedCount), 'rows with values kam could not read']);
  out.push(mdTable(['Tier', 'Accounts', 'Meaning'], tierRows, new Set([1])), '');
  out.push(`- File: ${markdownText(d.source)} (${d.rows} row${d.rows === 1 ? '' : 's'}, ${scored} scored, preset ${markdownText(d.preset)})`);
  out.push(`- Weights: ${formatWeights(d.weights)}`);
  out.push(`- Tier cut: ${d.tierCut} on both axes`);
  out.push(`- Shortlist: ${markdownText(d.shortlistRule)}`);
  if (d.rejectedCount > 0) {
    out.push('- Rejected rows:');
    for (const r of d.rejectedSample) out.push(`  - line ${r.line}: ${markdownText(r.message)}`);
    const more = d.rejectedCount - d.rejectedSample.length;
    if (more > 0) out.push(`  - … and ${more} more (kam validate lists them all)`);
  }
  out.push('');
  return out;
}

/** The matrix as a 2x2 table with the named accounts. */
function matrixMd(d: ReportData): string[] {
  const out: string[] = [];
  out.push('## Portfolio matrix', '');
  const points = matrixPoints(d.accounts, d.labels);
  const cell = (t: Tier): string => {
    const named = points.filter((p) => p.tier === t && p.named).map((p) => `${markdownText(p.name)}${p.robustPick ? ' ★' : ''}`);
    return `**${t}** ${d.tierCounts[t]}${named.length ? `: ${named.join(', ')}` : ''}`;
  };
  out.push(
    mdTable(
      ['', `current < ${d.tierCut}`, `current ≥ ${d.tierCut}`],
      [
        [`**attractiveness ≥ ${d.tierCut}**`, cell('Develop'), cell('Key')],
        [`**attractiveness < ${d.tierCut}**`, cell('Monitor'), cell('Maintain')],
      ],
      new Set(),
    ),
    '',
  );
  const unrated = d.tierCounts.Unrated;
  out.push(
    `${points.length} rated account${points.length === 1 ? '' : 's'} on the matrix; ${points.every((p) => p.named === p.shortlisted) ? 'shortlist accounts named' : `the ${points.filter((p) => p.named).length} best Key and Develop accounts named`}.${unrated > 0 ? ` ${unrated} Unrated (too little data to place).` : ''}`,
    '',
  );
  if (d.robust !== undefined)
    out.push(`★ Robust picks (${points.filter((p) => p.robustPick === true).length}): ${markdownText(robustPickWords(d.robust))}.`, '');
  return out;
}

/** The shortlist, best score first. */
function shortlistMd(d: ReportData): string[] {
  const out: string[] = [];
  const list = d.accounts.filter((a) => a.shortlisted);
  out.push(`## Shortlist (${list.length})`, '', `${markdownText(d.shortlistRule.charAt(0).toUpperCase() + d.shortlistRule.slice(1))}, best score first.`, '');
  if (list.length === 0) out.push('No account is on the shortlist.', '');
  else {
    const head = ['Rank', 'Account', 'Score', 'Tier', ...CRITERIA.map(shortCriterion), 'Signals'];
    const rows = list
      .slice(0, SHORTLIST_ROWS)
      .map((a) => [
        String(a.rank),
        markdownText(a.name),
        formatScore(a.score),
        a.tier,
        ...a.criteria.map((v) => (v === undefined ? '–' : formatCriterion(v))),
        a.signals.length ? signalWords(a.signals).map(markdownText).join('; ') : 'none',
      ]);
    out.push(mdTable(head, rows, new Set([0, 2, 4, 5, 6, 7, 8])), '');
    const more = moreLine(list.length, SHORTLIST_ROWS, 'kam score');
    if (more) out.push(more, '');
  }
  return out;
}

/** What changed since the previous export (--previous). */
function changesMd(changes: NonNullable<ReportData['changes']>): string[] {
  const out: string[] = [];
  const diff = changes.diff;
  out.push('## Changes since the previous export', '');
  out.push(
    `Compared with ${markdownText(changes.previousSource)}: ${diff.before.accounts} → ${diff.after.accounts} accounts scored, ${diff.unchanged} with the same tier and rank.`,
  );
  const revenue = describeRevenue(diff);
  if (revenue) out.push(revenue);
  const model = modelChangeLine(diff, changes.previousSource, 'this export');
  if (model) out.push(markdownText(model));
  out.push('');
  for (const [heading, rows] of changeGroups(diff)) {
    out.push(`### ${heading} (${rows.length})`, '');
    if (rows.length === 0) {
      out.push('none', '');
      continue;
    }
    const isMovers = rows === diff.movers;
    const body = rows.slice(0, CHANGE_ROWS).map((r) => {
      const t = describeChange(r);
      const cells = [`${markdownText(r.name)} (${markdownText(r.id)})`, t.tier, t.rank, t.score];
      if (isMovers) cells.push(describeMove(r as RankMover));
      return cells;
    });
    out.push(mdTable(['Account', 'Tier', 'Rank', 'Score', ...(isMovers ? ['Move'] : [])], body, new Set([2, 3])), '');
    const more = moreLine(rows.length, CHANGE_ROWS, 'kam diff');
    if (more) out.push(more, '');
  }
  return out;
}

/** The report as Markdown for chat and email: the same sections as the HTML, the matrix as a 2x2 table. */
export function renderReportMarkdown(d: ReportData): string {
  const scored = d.accounts.length;
  const out: string[] = [
    `# ${markdownText(d.title)}`,
    '',
    `${markdownText(d.source)} · as of ${d.asOf} · ${scored} account${scored === 1 ? '' : 's'} scored`,
    '',
  ];
  out.push(...summaryMd(d), ...matrixMd(d), ...shortlistMd(d));
  if (d.followUp)
    out.push(
      renderFollowUpMarkdown(d.followUp, (scores, breaks) =>
        sparkline(
          scores.map((v) => v ?? Number.NaN),
          new Set(breaks),
        ),
      ),
    );
  if (d.changes) out.push(...changesMd(d.changes));
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
