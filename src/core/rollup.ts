/**
 * The deal roll-up: opportunities -> per-account revenue, pipeline, growth, win rate.
 * Pure: dates are days since 1970-01-01 (UTC), `asOf` is passed in, money is in the base
 * currency, missing is NaN. The schema layer produces `DealColumns`; the shell joins and prints.
 */
import { civilFromDays, daysFromCivil } from './calendar.ts';
import type { AccountColumns, TextColumn } from './types.ts';

/** Status of one deal, settled by the schema layer from is_won/is_closed or the stage text. */
export const DealStatus = { Open: 0, Won: 1, Lost: 2 } as const;
export type DealStatus = (typeof DealStatus)[keyof typeof DealStatus];

/** Validated deals in columns; index k is the k-th valid deal. */
export interface DealColumns {
  readonly n: number;
  /** Base currency; NaN when blank (open and lost deals only: a won deal always has one). */
  readonly amount: Float64Array;
  /** A DealStatus per deal. */
  readonly status: Uint8Array;
  /** Days since epoch; NaN when blank (never for a won deal). */
  readonly closeDate: Float64Array;
}

/** Per-account results of `rollupDeals`, indexed like the accounts; NaN means "no deal says". */
export interface DealRollup {
  /** Won amounts closed in the 12 months to asOf: (asOf - 1 year, asOf]. */
  readonly revenue: Float64Array;
  /** Won amounts closed in the 12 months before those: (asOf - 2 years, asOf - 1 year]. */
  readonly revenuePrev: Float64Array;
  /** Sum of the open deals' amounts. */
  readonly pipeline: Float64Array;
  /** revenue / revenuePrev - 1, a fraction per year. */
  readonly growthRate: Float64Array;
  /** won / (won + lost), 0..1. */
  readonly winRate: Float64Array;
  /** Latest close date of a won deal on or before asOf (days since epoch). */
  readonly lastWon: Float64Array;
  /** Won deals closed in the revenue window. */
  readonly wonInWindow: Float64Array;
  readonly dealCount: Float64Array;
  readonly wonCount: Float64Array;
  readonly openCount: Float64Array;
  readonly closedCount: Float64Array;
  /** Earliest close date of a closed deal in the whole file (NaN: none); growth needs it on or before asOf - 2 years. */
  readonly historyStart: number;
  /** Whether the file's history reaches back over both 12-month windows (growth is computable). */
  readonly coversGrowth: boolean;
  /** Whether the file's history reaches back over the revenue window. */
  readonly coversRevenue: boolean;
  /** The window bounds (days since epoch, exclusive lower): revenue is (yearAgo, asOf], previous is (twoYearsAgo, yearAgo]. */
  readonly yearAgo: number;
  readonly twoYearsAgo: number;
}

// ---------------------------------------------------------------------------------------
/** The same calendar day `years` years earlier (29 February -> 28 February), in days since epoch. */
export function yearsBefore(day: number, years: number): number {
  const { y, m, d } = civilFromDays(day);
  const yy = y - years;
  const leap = (yy % 4 === 0 && yy % 100 !== 0) || yy % 400 === 0;
  return daysFromCivil(yy, m, m === 2 && d === 29 && !leap ? 28 : d);
}

// ---------------------------------------------------------------------------------------
// Joining deals to accounts

/**
 * The form of an account name used to join deals when there is no account id: trimmed,
 * NFC, case-folded, inner whitespace collapsed. Legal suffixes are kept ('Acme Inc' and
 * 'Acme' are different accounts: guessing would join deals to the wrong one).
 */
export function normaliseAccountName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** How deals were joined to accounts; index -1 means the deal counts in no account. */
export interface DealJoin {
  /** Account index per deal, or -1 (account-less or unmatched). */
  readonly accountIndex: Int32Array;
  readonly by: 'id' | 'name';
  readonly matched: number;
  /** Deals whose account cell is blank. */
  readonly accountLess: number;
  /** Deals naming an account that is not among the (valid) accounts. */
  readonly unmatched: number;
  /** Distinct unmatched account keys as written, first seen first, with their deal counts. */
  readonly unmatchedKeys: readonly { readonly key: string; readonly deals: number }[];
  /** Normalised names shared by several accounts (name joins only): deals go to the first. */
  readonly sharedNames: readonly string[];
}

/**
 * Join each deal to an account: by id when `byId` (the deal's account id against
 * `accounts.id`, both already normalised by the schema layer), else by
 * `normaliseAccountName`. A deal with a blank key is account-less; a key no account has is unmatched.
 */
export function joinDeals(keys: readonly (string | undefined)[], accounts: { readonly id: TextColumn; readonly name: TextColumn }, byId: boolean): DealJoin {
  const index = new Map<string, number>();
  const shared = new Set<string>();
  const own = byId ? accounts.id : accounts.name;
  for (let i = 0; i < own.length; i++) {
    const k = byId ? own.at(i)! : normaliseAccountName(own.at(i)!);
    if (index.has(k)) shared.add(k);
    else index.set(k, i);
  }
  const accountIndex = new Int32Array(keys.length).fill(-1);
  let matched = 0;
  let accountLess = 0;
  const unmatchedKeys = new Map<string, number>();
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    if (key === undefined || key.trim() === '') {
      accountLess++;
      continue;
    }
    const i = index.get(byId ? key : normaliseAccountName(key));
    if (i === undefined) unmatchedKeys.set(key, (unmatchedKeys.get(key) ?? 0) + 1);
    else {
      accountIndex[k] = i;
      matched++;
    }
  }
  return {
    accountIndex,
    by: byId ? 'id' : 'name',
    matched,
    accountLess,
    unmatched: keys.length - matched - accountLess,
    unmatchedKeys: [...unmatchedKeys].map(([key, deals]) => ({ key, deals })),
    sharedNames: [...shared],
  };
}

// ---------------------------------------------------------------------------------------
// The roll-up

/**
 * Roll deals up per account. Rules, for an account with at least one deal:
 * - revenue: sum of won amounts closed in (asOf - 1 year, asOf]; 0 when none was won then;
 * - pipeline: sum of open amounts; 0 with no open deal; NaN when it has open deals but none has an amount;
 * - growth_rate: revenue / revenuePrev - 1, only when the file's history (its earliest closed
 *   deal) reaches asOf - 2 years and revenuePrev > 0; else NaN;
 * - win rate: won / (won + lost) over all its closed deals; NaN with no closed deal;
 * - last won: the latest won close date on or before asOf.
 * An account with no deal at all gets NaN everywhere: missing, never 0.
 */
export function rollupDeals(deals: DealColumns, accountIndex: Int32Array, nAccounts: number, asOf: number): DealRollup {
  const yearAgo = yearsBefore(asOf, 1);
  const twoYearsAgo = yearsBefore(asOf, 2);
  const historyStart = earliestClose(deals);
  const sums = newSums(nAccounts);
  const window = { asOf, yearAgo, twoYearsAgo };
  for (let k = 0; k < deals.n; k++) {
    const i = accountIndex[k]!;
    if (i >= 0 && i < nAccounts) addDeal(sums, i, deals, k, window);
  }
  const coversGrowth = historyStart <= twoYearsAgo;
  const { growthRate, winRate } = finishSums(sums, coversGrowth);
  const { revenue, revenuePrev, pipeline, lastWon, wonInWindow, dealCount, wonCount, openCount, closedCount } = sums;
  return {
    revenue,
    revenuePrev,
    pipeline,
    growthRate,
    winRate,
    lastWon,
    wonInWindow,
    dealCount,
    wonCount,
    openCount,
    closedCount,
    historyStart,
    coversGrowth,
    coversRevenue: historyStart <= yearAgo,
    yearAgo,
    twoYearsAgo,
  };
}

/** The per-account sums and counts rollupDeals adds the deals into; NaN until a deal names the account. */
type DealSums = Pick<
  DealRollup,
  'revenue' | 'revenuePrev' | 'pipeline' | 'lastWon' | 'wonInWindow' | 'dealCount' | 'wonCount' | 'openCount' | 'closedCount'
> & {
  /** Open deals with an amount. */
  readonly openWithAmount: Uint32Array;
};

function newSums(nAccounts: number): DealSums {
  const nanArray = (): Float64Array => new Float64Array(nAccounts).fill(Number.NaN);
  return {
    revenue: nanArray(),
    revenuePrev: nanArray(),
    pipeline: nanArray(),
    lastWon: nanArray(),
    wonInWindow: nanArray(),
    dealCount: nanArray(),
    wonCount: nanArray(),
    openCount: nanArray(),
    closedCount: nanArray(),
    openWithAmount: new Uint32Array(nAccounts),
  };
}

/** The earliest close date of a closed deal in the file; NaN when none has one. */
function earliestClose(deals: DealColumns): number {
  let historyStart = Number.NaN;
  for (let k = 0; k < deals.n; k++) {
    const date = deals.closeDate[k]!;
    if (deals.status[k] !== DealStatus.Open && !(date >= historyStart)) historyStart = date;
  }
  return historyStart;
}

/** Adds deal k to account i's sums; the windows are those of DealRollup (days since epoch). */
function addDeal(
  sums: DealSums,
  i: number,
  deals: DealColumns,
  k: number,
  window: { readonly asOf: number; readonly yearAgo: number; readonly twoYearsAgo: number },
): void {
  const { revenue, revenuePrev, pipeline, lastWon, wonInWindow, dealCount, wonCount, openCount, closedCount, openWithAmount } = sums;
  if (Number.isNaN(dealCount[i]!)) {
    // The account's first deal: its sums and counts start at 0 (last won stays NaN until a won deal).
    for (const sum of [revenue, revenuePrev, pipeline, wonInWindow, dealCount, wonCount, openCount, closedCount]) sum[i] = 0;
  }
  dealCount[i]!++;
  const amount = deals.amount[k]!;
  const date = deals.closeDate[k]!;
  const { asOf, yearAgo, twoYearsAgo } = window;
  switch (deals.status[k]) {
    case DealStatus.Open:
      openCount[i]!++;
      if (!Number.isNaN(amount)) {
        pipeline[i]! += amount;
        openWithAmount[i]!++;
      }
      break;
    case DealStatus.Won:
      wonCount[i]!++;
      closedCount[i]!++;
      if (date > yearAgo && date <= asOf) {
        revenue[i]! += amount;
        wonInWindow[i]!++;
      } else if (date > twoYearsAgo && date <= yearAgo) revenuePrev[i]! += amount;
      if (date <= asOf && !(date <= lastWon[i]!)) lastWon[i] = date;
      break;
    default:
      closedCount[i]!++;
  }
}

/** The rules applied to the sums of each account with a deal (see rollupDeals); returns its growth and win rates. */
function finishSums(sums: DealSums, coversGrowth: boolean): { growthRate: Float64Array; winRate: Float64Array } {
  const { revenue, revenuePrev, pipeline, dealCount, wonCount, openCount, closedCount, openWithAmount } = sums;
  const n = dealCount.length;
  const growthRate = new Float64Array(n).fill(Number.NaN);
  const winRate = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(dealCount[i]!)) continue;
    // A sum past what a double holds is not a usable amount: missing, never Infinity.
    if (!Number.isFinite(revenue[i]!)) revenue[i] = Number.NaN;
    if (!Number.isFinite(revenuePrev[i]!)) revenuePrev[i] = Number.NaN;
    if (!Number.isFinite(pipeline[i]!)) pipeline[i] = Number.NaN;
    if (openCount[i]! > 0 && openWithAmount[i] === 0) pipeline[i] = Number.NaN;
    if (closedCount[i]! > 0) winRate[i] = wonCount[i]! / closedCount[i]!;
    if (coversGrowth && revenuePrev[i]! > 0) growthRate[i] = revenue[i]! / revenuePrev[i]! - 1;
  }
  return { growthRate, winRate };
}

// ---------------------------------------------------------------------------------------
// Filling the accounts

/** The account fields a roll-up can fill. */
export type DerivedField = 'revenue' | 'pipeline' | 'growth_rate';

/** Where an account's value of a derived field came from. */
export const DerivedSource = {
  /** Neither the accounts file nor the deals give it. */
  None: 0,
  /** The accounts file gives it; the deals say nothing. */
  Accounts: 1,
  /** The accounts file's cell is blank (or it has no such column): the deals fill it. */
  Deals: 2,
  /** Both give it: the accounts file wins. */
  AccountsOverDeals: 3,
} as const;
export type DerivedSource = (typeof DerivedSource)[keyof typeof DerivedSource];

/** The accounts with deal-derived values filled in, and where each value came from. */
export interface FilledAccounts {
  readonly accounts: AccountColumns;
  readonly source: Readonly<Record<DerivedField, Uint8Array>>;
}

/**
 * Fill revenue, pipeline and growth_rate from the roll-up, per account: a missing value
 * (blank cell, or no such column) takes the derived one; a present value wins over it.
 */
export function fillFromDeals(accounts: AccountColumns, rollup: DealRollup): FilledAccounts {
  const pairs: readonly [DerivedField, Float64Array, Float64Array][] = [
    ['revenue', accounts.revenue, rollup.revenue],
    ['pipeline', accounts.pipeline, rollup.pipeline],
    ['growth_rate', accounts.growthRate, rollup.growthRate],
  ];
  const filled: Record<DerivedField, Float64Array> = {
    revenue: accounts.revenue,
    pipeline: accounts.pipeline,
    growth_rate: accounts.growthRate,
  };
  const source = {} as Record<DerivedField, Uint8Array>;
  for (const [field, own, derived] of pairs) {
    const out = own.slice();
    const src = new Uint8Array(accounts.n);
    for (let i = 0; i < accounts.n; i++) {
      const a = own[i]!;
      const d = derived[i]!;
      if (!Number.isNaN(a)) src[i] = Number.isNaN(d) ? DerivedSource.Accounts : DerivedSource.AccountsOverDeals;
      else if (!Number.isNaN(d)) {
        out[i] = d;
        src[i] = DerivedSource.Deals;
      }
    }
    filled[field] = out;
    source[field] = src;
  }
  return {
    accounts: { ...accounts, revenue: filled.revenue, pipeline: filled.pipeline, growthRate: filled.growth_rate },
    source,
  };
}
