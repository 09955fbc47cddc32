import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { applyGates } from '../core/gates.ts';
import { scoreAccounts } from '../core/score.ts';
import { TIER_INDEX, TIERS, type ModelConfig, type ScoreResult } from '../core/types.ts';
import type { AccountOverride } from '../core/overrides.ts';
import { noteSink, type Io } from '../io/console.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { readTable, type RawTable } from '../io/read-table.ts';
import { evaluateGates, parseGateRule, type GateOutcome, type GateRule } from '../schema/gates.ts';
import { parseOverrides, type OverrideRow, type ParsedOverrides } from '../schema/overrides.ts';
import { formatDate } from '../schema/values.ts';
import { type LoadedAccounts, formatIssue } from './load.ts';
import { noteLine, type RunNote } from '../io/run-notes.ts';

/** Scoring a loaded file with the config's gates, and `--overrides FILE` read and said. */

/** The config's gates evaluated on a loaded file; undefined when the config has none. */
export function gatesOf(loaded: LoadedAccounts): GateOutcome | undefined {
  const texts = loaded.config.gates ?? [];
  if (texts.length === 0) return undefined;
  // The config schema has already checked every rule.
  const rules = texts.map((t) => parseGateRule(t) as GateRule);
  const { table, mapping, parsed } = loaded;
  return evaluateGates(rules, table, mapping, parsed.accounts, parsed.recordIndex, parsed.decimal);
}

/** Score, then the gates (SCORING.md §4): what every command that scores a file runs. */
export function scoreLoaded(loaded: LoadedAccounts, model: ModelConfig): { result: ScoreResult; scored: ScoreResult; gates: GateOutcome | undefined } {
  const scored = scoreAccounts(loaded.parsed.accounts, model);
  const gates = gatesOf(loaded);
  return { result: gates === undefined ? scored : applyGates(scored, gates.gated, loaded.parsed.accounts.id), scored, gates };
}

/** The stderr lines about the gates: how many accounts each rule gated, and the rules that could not be applied. */
export function gateNotes(source: string, gates: GateOutcome | undefined): string[] {
  if (gates === undefined) return [];
  const lines: string[] = [];
  const total = gates.gated.reduce((a, b) => a + b, 0);
  lines.push(noteLine({ code: 'gates_applied', gated: total, rules: gates.counts }));
  for (const c of gates.counts) {
    if (!c.applied) lines.push(noteLine({ code: 'gate_not_applied', rule: c.rule, why: c.why ?? '' }));
    else if (c.missing > 0) lines.push(noteLine({ code: 'gate_missing_values', rule: c.rule, accounts: c.missing, source }));
  }
  return lines.map((l) => escapeTerminal(l));
}

/** Overrides within this many days of their expiry are announced (SCORING.md §4). */
export const OVERRIDE_WARNING_DAYS = 14;

/** The overrides that apply to a loaded file on `asOf`, and the row behind each. */
export interface LoadedOverrides {
  readonly source: string;
  readonly active: readonly AccountOverride[];
  readonly rows: ReadonlyMap<number, OverrideRow>;
}

/** An overrides file read and checked: every bad row is listed on stderr and the run stops (exit 1, nothing guessed). */
export async function readOverrides(io: Io, file: string): Promise<{ table: RawTable; parsed: ParsedOverrides }> {
  const table = await readTable(file === '-' ? '-' : resolve(io.cwd, file), {}, io.stdin, file);
  const parsed = parseOverrides(table);
  if (parsed.issues.length > 0) {
    await io.stderr.write(escapeTerminal(parsed.issues.map((i) => formatIssue(table, i)).join('\n'), { keepLineFeeds: true }) + '\n');
    throw new InputError(`${table.source}: ${parsed.issues.length} problem(s) in the overrides file; nothing written`);
  }
  return { table, parsed };
}

/**
 * `--overrides FILE` (or config `overrides`): read and check every row (a bad row is exit 1,
 * nothing guessed); an id not among the valid accounts is a warning, an expired override is
 * ignored with a note, one expiring within 14 days is announced.
 */
export async function loadOverrides(io: Io, file: string, loaded: LoadedAccounts, asOf: number): Promise<LoadedOverrides> {
  const { table, parsed } = await readOverrides(io, file);
  const index = new Map<string, number>();
  const ids = loaded.parsed.accounts.id;
  for (let i = 0; i < ids.length; i++) index.set(ids.at(i)!, i);
  const notes: string[] = [];
  const active: AccountOverride[] = [];
  const rows = new Map<number, OverrideRow>();
  for (const row of parsed.rows) {
    const say = (n: RunNote): number => notes.push(noteLine(n, `kam: ${table.source}:${row.line}: `));
    const i = index.get(row.accountId);
    const held = i === undefined ? undefined : rows.get(i);
    if (i === undefined) {
      say({ code: 'override_unknown_account', accountId: row.accountId, accounts: loaded.table.source });
    } else if (held !== undefined) {
      say({ code: 'override_repeated', accountId: row.accountId, holds: held.line });
    } else if (row.expires < asOf) {
      say({ code: 'override_expired', accountId: row.accountId, expired: formatDate(row.expires) });
    } else {
      if (row.expires - asOf <= OVERRIDE_WARNING_DAYS)
        say({ code: 'override_expiring', accountId: row.accountId, owner: row.owner, expires: formatDate(row.expires) });
      rows.set(i, row);
      active.push({ account: i, tier: row.tier === undefined ? undefined : TIER_INDEX[row.tier], shortlist: row.shortlist });
    }
  }
  notes.push(noteLine({ code: 'overrides_applied', active: active.length, rows: parsed.rows.length, source: table.source }));
  await noteSink(io).write(escapeTerminal(notes.join('\n'), { keepLineFeeds: true }) + '\n');
  return { source: table.source, active, rows };
}

/** kam_override of one account: `model tier -> override tier, owner, until date: reason` ('' without an override). */
export function overrideText(o: LoadedOverrides, account: number, modelTier: number, shortlistBefore: boolean | undefined): string {
  const row = o.rows.get(account);
  if (row === undefined) return '';
  const moves: string[] = [];
  if (row.tier !== undefined) moves.push(`${TIERS[modelTier]} -> ${row.tier}`);
  if (row.shortlist !== undefined) moves.push(`shortlist ${shortlistBefore ? 'in' : 'out'} -> ${row.shortlist ? 'in' : 'out'}`);
  return `${moves.join(', ')}, ${row.owner}, until ${formatDate(row.expires)}: ${row.reason}`;
}
