/**
 * The read-and-compute side of `kam diff --hysteresis` and `kam diff --overrides` (issue 14,
 * SCORING.md §4): the tiers held at last week's, and the overrides about to expire. Shared
 * module, not a command: diff calls it, and the sections come from io/render-hold.ts.
 */
import { holdTiers, type HeldTier } from '../core/hysteresis.ts';
import { expiringWithin } from '../core/overrides.ts';
import { noteSink, type Io } from '../io/console.ts';
import { expiringSection, heldSection, type DiffExtraSection } from '../io/render-hold.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { formatDate } from '../schema/values.ts';
import { OVERRIDE_WARNING_DAYS, readOverrides } from './load-gates.ts';
import type { DiffSide } from './snapshot.ts';

/**
 * `--hysteresis`: the later side with last week's tier kept where every cut crossed was
 * crossed by less than the band (its shortlist decided again by its rule), and the section
 * that lists them; the side unchanged and no section without the flag.
 */
export async function applyHysteresis(
  io: Io,
  before: DiffSide,
  after: DiffSide,
  on: boolean | undefined,
): Promise<{ after: DiffSide; section: DiffExtraSection | undefined }> {
  if (on !== true) return { after, section: undefined };
  const { tierCut: cut, band } = after.model;
  const rule = after.rule;
  const shortlist = rule.kind === 'best' ? rule : rule.kind === 'key' ? ({ kind: 'key' } as const) : ({ kind: 'as-is' } as const);
  const { after: snapshot, held } = holdTiers(before.snapshot, after.snapshot, { cut, band, shortlist });
  await noteSink(io).write(escapeTerminal(hysteresisNote(held, cut, band)) + '\n');
  return { after: { ...after, snapshot }, section: heldSection(held, cut, band) };
}

function hysteresisNote(held: readonly HeldTier[], cut: number, band: number): string {
  if (!(band > 0)) return "kam: --hysteresis: the config's band is 0: no tier is held";
  return `kam: --hysteresis: ${held.length} account(s) kept last week's tier (crossed the cut ${cut} by less than the band of ${band} points)`;
}

/**
 * `--overrides FILE`: the overrides whose last day is within 14 days of the reference date
 * (--as-of when given, else the later snapshot's date, else today), as a section; an id
 * that is not in the later snapshot is listed and warned about.
 */
export async function expiringOverrides(
  io: Io,
  file: string | undefined,
  after: DiffSide,
  asOf: number,
  asOfGiven: boolean,
): Promise<DiffExtraSection | undefined> {
  if (file === undefined) return undefined;
  const { table, parsed } = await readOverrides(io, file);
  const date = asOfGiven ? asOf : (after.date ?? asOf);
  const names = new Map(after.snapshot.accounts.map((a) => [a.id, a.name]));
  const list = expiringWithin(parsed.rows, date, OVERRIDE_WARNING_DAYS).map((r) => ({
    accountId: r.accountId,
    name: names.get(r.accountId),
    tier: r.tier,
    shortlist: r.shortlist,
    owner: r.owner,
    reason: r.reason,
    expires: formatDate(r.expires),
    daysLeft: r.expires - date,
  }));
  const unknown = parsed.rows.filter((r) => !names.has(r.accountId));
  const notes = unknown.map((r) => `kam: ${table.source}:${r.line}: warning: account_id '${r.accountId}' is not among the accounts of ${after.source}`);
  notes.push(`kam: overrides: ${list.length} of ${parsed.rows.length} in ${table.source} expire within ${OVERRIDE_WARNING_DAYS} days of ${formatDate(date)}`);
  await noteSink(io).write(escapeTerminal(notes.join('\n'), { keepLineFeeds: true }) + '\n');
  return expiringSection(list, formatDate(date), OVERRIDE_WARNING_DAYS);
}
