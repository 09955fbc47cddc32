import { InputError, UsageError } from '../errors.ts';
import { DealStatus, DerivedSource, fillFromDeals, joinDeals, rollupDeals, type DealJoin, type DealRollup, type FilledAccounts } from '../core/rollup.ts';
import { type Io } from '../io/console.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { parseDeals, type ParsedDeals } from '../schema/deal.ts';
import { columnOverrides, hasHeader } from '../schema/load.ts';
import { formatDate, parseDateFormat } from '../schema/values.ts';
import { type ReadCliOptions } from './load-options.ts';
import { type LoadedAccounts, type LoadedTable, formatIssue, loadAccounts, loadTable } from './load.ts';
import { noteLine, type RunNote } from '../io/run-notes.ts';

/** `--deals FILE`: the deals read through the same path, joined to the accounts, rolled up, and said on stderr. */

/** The accounts file and, with --deals, the deals rolled up into it as of `asOf` (days since epoch). */
export async function loadAccountsAndDeals(
  io: Io,
  file: string,
  options: ReadCliOptions,
  asOf: number,
): Promise<{ loaded: LoadedAccounts; deals: LoadedDeals | undefined }> {
  const accounts = await loadAccounts(io, file, options);
  const deals = options.deals === undefined ? undefined : await loadDeals(io, options.deals, options, accounts, asOf);
  return { loaded: withDeals(accounts, deals), deals };
}

/** The deals file, read, validated, joined to the accounts and rolled up; and the accounts it fills. */
export interface LoadedDeals extends LoadedTable {
  readonly parsed: ParsedDeals;
  readonly join: DealJoin;
  readonly rollup: DealRollup;
  readonly filled: FilledAccounts;
  readonly asOf: number;
}

/**
 * `--deals FILE`: the same reader, mapping and validation as the accounts file, then the
 * join (by account id when both files have one, else by name) and the roll-up at `asOf`.
 */
export async function loadDeals(io: Io, file: string, options: ReadCliOptions, accounts: LoadedAccounts, asOf: number): Promise<LoadedDeals> {
  const { config } = accounts;
  if (file === '-' && accounts.table.source === '<stdin>') throw new UsageError('the accounts and the deals cannot both come from stdin (-)');
  const { table, mapping } = await loadTable(io, file, 'deals', options, config);
  for (const o of columnOverrides(options, config)) {
    if ((o.field === 'ignore' || o.field === 'currency') && !hasHeader(accounts.table.header, o.header) && !hasHeader(table.header, o.header)) {
      throw new UsageError(`${o.via === 'map' ? '--map' : 'config columns'}: no column '${o.header}' in ${accounts.table.source} or ${table.source}`);
    }
  }
  const dateSpec = options.dateFormat ?? config.date_format;
  const parsed = parseDeals(table, mapping, {
    decimal: options.decimal ?? config.decimal,
    dateFormat: dateSpec === undefined ? undefined : parseDateFormat(dateSpec),
    currency: config.currency,
  });
  const a = accounts.parsed.accounts;
  const accountsHaveIds = accounts.mapping.fieldIndex.account_id !== undefined;
  const byId = parsed.hasAccountId && (accountsHaveIds || !parsed.hasAccountName);
  if (byId && !accountsHaveIds) {
    throw new InputError(
      `${table.source} names each deal's account by id, but ${accounts.table.source} has no account id column: use --map "Header=account_id" on the accounts, or map the deals' account name column with --map "Header=deal_account_name"`,
    );
  }
  const join = joinDeals(byId ? parsed.accountId : parsed.accountName, a, byId);
  const rollup = rollupDeals(parsed.deals, join.accountIndex, a.n, asOf);
  return { table, mapping, parsed, join, rollup, filled: fillFromDeals(a, rollup), asOf };
}

/** The accounts with the deal-derived values filled in, for the engine. */
function withDeals(loaded: LoadedAccounts, deals: LoadedDeals | undefined): LoadedAccounts {
  if (deals === undefined) return loaded;
  const dealHeader = deals.table.header;
  return {
    ...loaded,
    parsed: { ...loaded.parsed, accounts: deals.filled.accounts },
    missingConfigColumns: loaded.missingConfigColumns.filter((h) => !hasHeader(dealHeader, h)),
    derivedFields: ['revenue', 'pipeline', 'growth_rate'],
  };
}

/** The stderr account of a deals file: every deal is matched, account-less, unmatched or rejected. */
export async function reportDeals(io: Io, deals: LoadedDeals, accountsSource: string, options: { maxListed: number }): Promise<void> {
  const { table, parsed, join, rollup } = deals;
  // Row issues (and their "... and N more") are errors, always said; the rest are notes, not under --quiet.
  const lines: { readonly error: boolean; readonly text: string }[] = [];
  const note = (text: string): void => void lines.push({ error: false, text });
  const say = (n: RunNote): void => {
    note(noteLine(n));
  };
  // Named, so a note the accounts file also gave ('detected ..., semicolon-delimited') says which file.
  for (const n of [...table.notes, ...parsed.notes]) note(`kam: ${table.source}: ${n}`);
  if (table.recordCount === 0) say({ code: 'zero_rows', source: table.source });
  const issues = parsed.rejected.flatMap((r) => r.issues);
  for (const i of issues.slice(0, options.maxListed)) lines.push({ error: true, text: formatIssue(table, i) });
  if (issues.length > options.maxListed) lines.push({ error: true, text: `... and ${issues.length - options.maxListed} more deal issue(s)` });
  say({
    code: 'deals_counts',
    read: table.recordCount,
    matched: join.matched,
    accountLess: join.accountLess,
    unmatched: join.unmatched,
    rejected: parsed.rejected.length,
  });
  if (join.unmatched > 0) say({ code: 'deals_unmatched', deals: join.unmatched, by: join.by, accounts: accountsSource, keys: join.unmatchedKeys });
  if (join.sharedNames.length > 0) say({ code: 'deals_shared_names', names: join.sharedNames });
  const asOf = formatDate(deals.asOf);
  if (parsed.deals.n > 0 && !rollup.coversRevenue) {
    say(Number.isNaN(rollup.historyStart) ? { code: 'deals_no_closed' } : { code: 'deals_short_history', start: formatDate(rollup.historyStart), asOf });
  }
  if (parsed.deals.n > 0 && !rollup.coversGrowth) say({ code: 'deals_no_growth', from: formatDate(rollup.twoYearsAgo) });
  const fields = (['revenue', 'pipeline', 'growth_rate'] as const).map((f) => {
    const src = deals.filled.source[f];
    let filled = 0;
    let kept = 0;
    for (let i = 0; i < src.length; i++) {
      if (src[i] === DerivedSource.Deals) filled++;
      else if (src[i] === DerivedSource.AccountsOverDeals) kept++;
    }
    return { field: f, filled, kept };
  });
  let openBlank = 0;
  for (let k = 0; k < parsed.deals.n; k++) {
    if (parsed.deals.status[k] === DealStatus.Open && Number.isNaN(parsed.deals.amount[k]!) && join.accountIndex[k]! >= 0) openBlank++;
  }
  if (openBlank > 0) say({ code: 'deals_open_blank', deals: openBlank });
  say({ code: 'deals_filled', asOf, fields });
  const shown = io.quiet === true ? lines.filter((l) => l.error) : lines;
  if (shown.length) await io.stderr.write(shown.map((l) => escapeTerminal(l.text)).join('\n') + '\n');
}
