import { InputError, UsageError } from '../errors.ts';
import { DealStatus, DerivedSource, fillFromDeals, joinDeals, rollupDeals, type DealJoin, type DealRollup, type FilledAccounts } from '../core/rollup.ts';
import { type Io } from '../io/console.ts';
import { escapeTerminal } from '../io/terminal-text.ts';
import { parseDeals, type ParsedDeals } from '../schema/deal.ts';
import { columnOverrides, hasHeader } from '../schema/load.ts';
import { formatDate, parseDateFormat } from '../schema/values.ts';
import { type ReadCliOptions } from './load-options.ts';
import { type LoadedAccounts, type LoadedTable, formatIssue, loadAccounts, loadTable } from './load.ts';

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
export function withDeals(loaded: LoadedAccounts, deals: LoadedDeals | undefined): LoadedAccounts {
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
  const lines: string[] = [];
  // Named, so a note the accounts file also gave ('detected ..., semicolon-delimited') says which file.
  for (const note of [...table.notes, ...parsed.notes]) lines.push(`kam: ${table.source}: ${note}`);
  if (table.records.length === 0) lines.push(`kam: warning: ${table.source} has 0 data rows`);
  const issues = parsed.rejected.flatMap((r) => r.issues);
  for (const i of issues.slice(0, options.maxListed)) lines.push(formatIssue(table.source, i));
  if (issues.length > options.maxListed) lines.push(`... and ${issues.length - options.maxListed} more deal issue(s)`);
  lines.push(
    `kam: deals: ${table.records.length} read, ${join.matched} matched, ${join.accountLess} without an account, ${join.unmatched} unmatched, ${parsed.rejected.length} rejected`,
  );
  if (join.unmatched > 0) {
    const shown = join.unmatchedKeys.slice(0, 5).map((u) => `'${u.key}' (${u.deals})`);
    const more = join.unmatchedKeys.length > 5 ? `, ... and ${join.unmatchedKeys.length - 5} more` : '';
    lines.push(`kam: deals: ${join.unmatched} deal(s) name an account (by ${join.by}) not among the valid rows of ${accountsSource}: ${shown.join(', ')}${more}`);
  }
  if (join.sharedNames.length > 0) {
    lines.push(`kam: deals: ${join.sharedNames.length} account name(s) are shared by several accounts; their deals go to the first: ${join.sharedNames.slice(0, 5).join(', ')}`);
  }
  const asOf = formatDate(deals.asOf);
  if (parsed.deals.n > 0 && !rollup.coversRevenue) {
    lines.push(
      Number.isNaN(rollup.historyStart)
        ? 'kam: deals: no closed deal in the file: revenue is 0 for every account with deals'
        : `kam: deals: closed deals start ${formatDate(rollup.historyStart)}: revenue covers less than the 12 months to ${asOf}`,
    );
  }
  if (parsed.deals.n > 0 && !rollup.coversGrowth) {
    lines.push(`kam: deals: growth_rate not derived: it needs closed deals back to ${formatDate(rollup.twoYearsAgo)}`);
  }
  const counts = (['revenue', 'pipeline', 'growth_rate'] as const).map((f) => {
    const src = deals.filled.source[f];
    let filled = 0;
    let kept = 0;
    for (let i = 0; i < src.length; i++) {
      if (src[i] === DerivedSource.Deals) filled++;
      else if (src[i] === DerivedSource.AccountsOverDeals) kept++;
    }
    return `${f} on ${filled}${kept ? ` (the accounts file's own value kept on ${kept})` : ''}`;
  });
  let openBlank = 0;
  for (let k = 0; k < parsed.deals.n; k++) {
    if (parsed.deals.status[k] === DealStatus.Open && Number.isNaN(parsed.deals.amount[k]!) && join.accountIndex[k]! >= 0) openBlank++;
  }
  if (openBlank > 0) lines.push(`kam: deals: ${openBlank} matched open deal(s) have a blank amount: they add nothing to pipeline`);
  lines.push(`kam: deals: filled from deals as of ${asOf}: ${counts.join(', ')} account(s)`);
  // Deal row issues are errors; the rest of the account of the deals file is notes (not under --quiet).
  const errors = new Set(issues.slice(0, options.maxListed).map((i) => formatIssue(table.source, i)));
  const errorLines = lines.filter((l) => errors.has(l) || l.startsWith('... and '));
  const shown = io.quiet === true ? errorLines : lines;
  if (shown.length) await io.stderr.write(shown.map((l) => escapeTerminal(l)).join('\n') + '\n');
}
