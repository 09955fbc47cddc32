/**
 * The two lists `kam diff` adds for issue 14 (SCORING.md §4), in every format: the accounts
 * whose tier `--hysteresis` held at last week's, and the overrides (`--overrides`) that
 * expire within 14 days. Each list is one section: a title, a table (terminal and Markdown),
 * CSV records in the diff's columns (change, account_id, account_name, from, to, detail)
 * and a JSON value.
 */
import type { ChalkInstance } from 'chalk';
import type { HeldTier } from '../core/hysteresis.ts';
import { fixed2, round } from './format.ts';
import { markdownTable } from './render-markdown.ts';
import { renderTable } from './render-table.ts';

/** One section of the diff beyond its own: how every format shows it. */
export interface DiffExtraSection {
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly csv: readonly (readonly string[])[];
  /** Key and value in the diff's JSON document. */
  readonly jsonKey: string;
  readonly json: readonly object[];
}

/** An override as `kam diff --overrides` lists it. */
export interface ExpiringOverride {
  readonly accountId: string;
  /** The account's name in the later snapshot; undefined when the id is not in it. */
  readonly name: string | undefined;
  readonly tier: string | undefined;
  readonly shortlist: boolean | undefined;
  readonly owner: string;
  readonly reason: string;
  /** YYYY-MM-DD, and the days from the reference date to it. */
  readonly expires: string;
  readonly daysLeft: number;
}

/** `current 48.50` and `attractiveness 51.00`, the cuts an account crossed. */
function crossedText(h: HeldTier): string {
  return h.crossed.map((c) => `${c.axis} ${fixed2(c.value)}`).join(', ');
}

/** The accounts `--hysteresis` held: their kept tier, the model's tier and the axes that crossed the cut by less than the band. */
export function heldSection(held: readonly HeldTier[], cut: number, band: number): DiffExtraSection {
  return {
    title: `Tiers held by --hysteresis: crossed the cut ${cut} by less than ${band} points (${held.length})`,
    head: ['ID', 'Account', 'Kept', 'Model', 'Crossed'],
    rows: held.map((h) => [h.id, h.name, h.tier, h.model, crossedText(h)]),
    csv: held.map((h) => ['held', h.id, h.name, h.model, h.tier, `${crossedText(h)}: less than ${band} points past the cut ${cut}; last week's tier kept`]),
    jsonKey: 'held',
    json: held.map((h) => ({
      account_id: h.id,
      account_name: h.name,
      tier: h.tier,
      model_tier: h.model,
      crossed: h.crossed.map((c) => ({ axis: c.axis, value: round(c.value, 2) })),
    })),
  };
}

/** What an override does, in words: `tier Key`, `shortlist in`, or both. */
function overrideWhat(o: ExpiringOverride): string {
  return [...(o.tier !== undefined ? [`tier ${o.tier}`] : []), ...(o.shortlist !== undefined ? [`shortlist ${o.shortlist ? 'in' : 'out'}`] : [])].join(', ');
}

const daysText = (d: number): string => (d === 0 ? 'today' : d === 1 ? 'in 1 day' : `in ${d} days`);

/** The overrides that expire within `days` days of `date` (YYYY-MM-DD), soonest first. */
export function expiringSection(list: readonly ExpiringOverride[], date: string, days: number): DiffExtraSection {
  return {
    title: `Overrides expiring within ${days} days of ${date} (${list.length})`,
    head: ['ID', 'Account', 'Override', 'Owner', 'Expires', 'Reason'],
    rows: list.map((o) => [o.accountId, o.name ?? '(not in the file)', overrideWhat(o), o.owner, `${o.expires} (${daysText(o.daysLeft)})`, o.reason]),
    csv: list.map((o) => ['override_expiring', o.accountId, o.name ?? '', overrideWhat(o), o.expires, `${o.owner}, ${daysText(o.daysLeft)}: ${o.reason}`]),
    jsonKey: 'expiring_overrides',
    json: list.map((o) => ({
      account_id: o.accountId,
      account_name: o.name ?? null,
      tier: o.tier ?? null,
      shortlist: o.shortlist === undefined ? null : o.shortlist ? 'in' : 'out',
      owner: o.owner,
      reason: o.reason,
      expires: o.expires,
      days_left: o.daysLeft,
    })),
  };
}

/** The sections in the terminal table, after the diff's own (as its goals section). */
export const extraTables = (sections: readonly DiffExtraSection[], color: ChalkInstance, width: number | undefined): string =>
  sections
    .map((x) => `\n${color.bold(x.title)}\n${x.rows.length ? renderTable({ head: [...x.head], rows: x.rows.map((r) => [...r]), width, color }) : 'none\n'}`)
    .join('');

/** The sections in the Markdown. */
export const extraMarkdown = (sections: readonly DiffExtraSection[]): string =>
  sections
    .map(
      (x) =>
        `\n## ${x.title}\n\n${
          x.rows.length
            ? markdownTable(
                [...x.head],
                x.rows.map((r) => [...r]),
              )
            : 'none\n'
        }`,
    )
    .join('');

/** The JSON document with each section under its key. */
export function withExtrasJson(text: string, sections: readonly DiffExtraSection[]): string {
  if (sections.length === 0) return text;
  const doc = JSON.parse(text) as Record<string, unknown>;
  for (const x of sections) doc[x.jsonKey] = x.json;
  return JSON.stringify(doc, null, 2) + '\n';
}

/** The sections' CSV records, after the diff's own. */
export const extraCsvRecords = (sections: readonly DiffExtraSection[]): string[][] => sections.flatMap((x) => x.csv.map((r) => [...r]));
