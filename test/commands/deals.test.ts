import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { textValues } from '../../src/core/text-column.ts';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { loadAccounts } from '../../src/commands/load.ts';
import { loadDeals } from '../../src/commands/load-deals.ts';
import { fakeIo, ROOT } from '../helpers/fake-io.ts';

const ACCOUNTS = 'fixtures/deals/accounts.csv';
const OPPORTUNITIES = 'fixtures/deals/opportunities.csv';
const BY_NAME = 'fixtures/deals/pipeline-by-name.csv';

async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const f = fakeIo();
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

async function explainDeals(account: string, extra: readonly string[] = []): Promise<Record<string, unknown>> {
  const r = await run(['explain', ACCOUNTS, account, '--deals', OPPORTUNITIES, '--as-of', '2025-12-31', '--format', 'json', ...extra]);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { deals: Record<string, unknown> }).deals;
}

const FIT_STRATEGIC = 'kam: warning: no column feeds fit, strategic: scores use volume, potential and ltv';

const OPPORTUNITIES_STDERR = [
  "fixtures/deals/opportunities.csv:13: Amount: '12k0' is not an amount",
  'fixtures/deals/opportunities.csv:14: CloseDate: a won deal needs a close date',
  'kam: deals: 14 read, 9 matched, 1 without an account, 2 unmatched, 2 rejected',
  "kam: deals: 2 deal(s) name an account (by id) not among the valid rows of fixtures/deals/accounts.csv: 'A-9' (2)",
  "kam: deals: filled from deals as of 2025-12-31: revenue on 2 (the accounts file's own value kept on 1), pipeline on 3, growth_rate on 1 account(s)",
  // The accounts file has no product_fit or strategic_value column (fixtures/deals/accounts.csv).
  FIT_STRATEGIC,
  '',
].join('\n');

describe('kam score --deals (Salesforce opportunities, joined by id)', () => {
  it('accounts for every deal on stderr and scores with the derived values', async () => {
    const r = await run(['score', ACCOUNTS, '--deals', OPPORTUNITIES, '--as-of', '2025-12-31', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(OPPORTUNITIES_STDERR);
    // Acme (revenue 100,000 from deals) now outranks Globex (90,000 in the file); Umbrella has no deals.
    const rows = r.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(0, 9));
    expect(rows.map((c) => [c[0], c[5], c[8]])).toEqual([
      ['A-1', '1', '83.33'],
      ['A-2', '2', '50.00'],
      ['A-3', '3', '16.67'],
      ['A-4', '4', ''],
    ]);
  });

  it('without --deals the accounts file alone is scored (A-1 and A-3 have no revenue)', async () => {
    const r = await run(['score', ACCOUNTS, '--as-of', '2025-12-31', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`${FIT_STRATEGIC}\n`);
    const volume = r.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => [l.split(',')[0], l.split(',')[8]]);
    expect(volume).toEqual([
      ['A-2', '50.00'],
      ['A-1', ''],
      ['A-3', ''],
      ['A-4', ''],
    ]);
  });

  it('--strict: a rejected deal writes nothing, exit 1', async () => {
    const r = await run(['score', ACCOUNTS, '--deals', OPPORTUNITIES, '--as-of', '2025-12-31', '--format', 'csv', '--strict']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${OPPORTUNITIES_STDERR}kam: --strict: no output written\n`);
  });
});

describe('kam explain --deals', () => {
  it('JSON: the roll-up of an account whose values all come from deals', async () => {
    expect(await explainDeals('A-1')).toEqual({
      file: OPPORTUNITIES,
      joined_by: 'id',
      as_of: '2025-12-31',
      window: { from: '2025-01-01', to: '2025-12-31' },
      deals: 5,
      won: 3,
      lost: 1,
      open: 1,
      won_in_window: 1,
      revenue_12m: 100000,
      revenue_previous_12m: 80000,
      pipeline: 50000,
      growth_rate: 0.25,
      win_rate: 0.75,
      last_won: '2025-03-01',
      fields: {
        revenue: { source: 'deals', derived: 100000 },
        pipeline: { source: 'deals', derived: 50000 },
        growth_rate: { source: 'deals', derived: 0.25 },
      },
    });
  });

  it('JSON: the checklist names deal-derived inputs as such; the accounts file value stays raw', async () => {
    const inputs = async (account: string): Promise<Record<string, string[]>> => {
      const r = await run(['explain', ACCOUNTS, account, '--deals', OPPORTUNITIES, '--as-of', '2025-12-31', '--format', 'json']);
      const doc = JSON.parse(r.stdout) as { checklist: { measures: { measure: string; inputs: string[] }[] }[] };
      return Object.fromEntries(doc.checklist.flatMap((c) => c.measures).map((m) => [m.measure, m.inputs]));
    };
    const acme = await inputs('A-1');
    expect([acme['revenue'], acme['pipeline'], acme['growth_rate']]).toEqual([
      ['revenue=100000 (from deals)'],
      ['pipeline=50000 (from deals)'],
      ['growth_rate=25% (from deals)'],
    ]);
    expect((await inputs('A-2'))['revenue']).toEqual(['revenue=90000']);
  });

  it('JSON: deals but none won: revenue 0, pipeline 0, win rate 0', async () => {
    const d = await explainDeals('Initech');
    expect([d['revenue_12m'], d['pipeline'], d['win_rate'], d['growth_rate'], d['last_won']]).toEqual([0, 0, 0, null, null]);
    expect(d['fields']).toEqual({
      revenue: { source: 'deals', derived: 0 },
      pipeline: { source: 'deals', derived: 0 },
      growth_rate: { source: 'none', derived: null },
    });
  });

  it('JSON: no deal at all: every value missing, not 0', async () => {
    const d = await explainDeals('Umbrella');
    expect([d['deals'], d['revenue_12m'], d['pipeline'], d['win_rate']]).toEqual([0, null, null, null]);
  });

  it('text: the accounts file wins over the deals, and says so', async () => {
    const r = await run(['explain', ACCOUNTS, 'Globex', '--deals', OPPORTUNITIES, '--as-of', '2025-12-31']);
    expect(r.code).toBe(0);
    expect(r.stdout.slice(r.stdout.indexOf('\nDeals ') + 1)).toBe(
      [
        'Deals (fixtures/deals/opportunities.csv, joined by account id, as of 2025-12-31):',
        '  deals: 2 (1 won, 0 lost, 1 open)',
        '  won in the 12 months to 2025-12-31: 120,000 (1 deal) · previous 12 months: 0',
        '  open pipeline: 30,000',
        '  win rate: 100.0% (1 of 1 closed)',
        '  last won: 2025-07-01',
        '  revenue: accounts file value used; deals say 120,000',
        '  pipeline: from deals (1 open deal)',
        '  growth_rate: missing in both (nothing won in the 12 months to 2024-12-31)',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(OPPORTUNITIES_STDERR);
  });

  it('text: an account no deal names', async () => {
    const r = await run(['explain', ACCOUNTS, 'A-4', '--deals', OPPORTUNITIES, '--as-of', '2025-12-31']);
    expect(r.stdout.slice(r.stdout.indexOf('\nDeals ') + 1)).toBe(
      'Deals (fixtures/deals/opportunities.csv, joined by account id, as of 2025-12-31):\n  no deal names this account: nothing derived\n',
    );
  });

  it('JSON has no deals key without --deals', async () => {
    const r = await run(['explain', ACCOUNTS, 'A-1', '--format', 'json']);
    expect(Object.keys(JSON.parse(r.stdout) as object)).not.toContain('deals');
  });
});

describe('joining by name (deals without an account id column)', () => {
  it('matches normalised names, keeps legal suffixes apart, reports blank amounts', async () => {
    const r = await run(['explain', ACCOUNTS, 'Acme Corp', '--deals', BY_NAME, '--as-of', '2025-12-31', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [
        'kam: deals: 7 read, 5 matched, 1 without an account, 1 unmatched, 0 rejected',
        "kam: deals: 1 deal(s) name an account (by name) not among the valid rows of fixtures/deals/accounts.csv: 'Initech Inc' (1)",
        'kam: deals: growth_rate not derived: it needs closed deals back to 2023-12-31',
        'kam: deals: 1 matched open deal(s) have a blank amount: they add nothing to pipeline',
        "kam: deals: filled from deals as of 2025-12-31: revenue on 2 (the accounts file's own value kept on 1), pipeline on 2, growth_rate on 0 account(s)",
        FIT_STRATEGIC,
        '',
      ].join('\n'),
    );
    const d = (JSON.parse(r.stdout) as { deals: Record<string, unknown> }).deals;
    // 'ACME  corp ' and 'Acme Corp': 1054 + 4514
    expect([d['joined_by'], d['deals'], d['revenue_12m'], d['pipeline']]).toEqual(['name', 2, 5568, 0]);
  });

  it('an open deal with a blank amount leaves pipeline missing', async () => {
    const r = await run(['explain', ACCOUNTS, 'Globex', '--deals', BY_NAME, '--as-of', '2025-12-31']);
    expect(r.stdout).toContain('\n  open pipeline: missing (1 open deal, none with an amount)\n');
    expect(r.stdout).toContain('\n  pipeline: missing in both (no open deal has an amount)\n');
  });
});

describe('--map with --deals: one list serves both files', () => {
  it('routes each override to the file whose kind has its field', async () => {
    const r = await run([
      'explain',
      ACCOUNTS,
      'Acme Corp',
      '--deals',
      BY_NAME,
      '--as-of',
      '2025-12-31',
      '--format',
      'json',
      '--map',
      'potential_revenue=company_revenue',
      '--map',
      'engage_date=close_date',
      '--map',
      'close_date=ignore',
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { deals: { last_won: string }; checklist: { measures: { measure: string; value: number | null }[] }[] };
    // The deals' engage dates stand in for close dates: Acme's last win is P2's engage date, not its close date 2025-03-11.
    expect(doc.deals.last_won).toBe('2025-01-12');
    // potential_revenue is now company_revenue in the accounts file: no headroom.
    expect(doc.checklist.flatMap((c) => c.measures).find((m) => m.measure === 'headroom')?.value).toBeNull();
  });

  it('an ignore for a column neither file has is a usage error (exit 2)', async () => {
    const r = await run(['score', ACCOUNTS, '--deals', BY_NAME, '--as-of', '2025-12-31', '--map', 'Nope=ignore']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`kam: --map: no column 'Nope' in ${ACCOUNTS} or ${BY_NAME}\n`);
  });

  it('deals that name accounts by id need an id column in the accounts file (exit 1)', async () => {
    const r = await run(['score', ACCOUNTS, '--deals', OPPORTUNITIES, '--map', 'account_id=ignore', '--as-of', '2025-12-31']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `kam: ${OPPORTUNITIES} names each deal's account by id, but ${ACCOUNTS} has no account id column: use --map "Header=account_id" on the accounts, or map the deals' account name column with --map "Header=deal_account_name"\n`,
    );
  });

  it('the accounts and the deals cannot both come from stdin (exit 2)', async () => {
    const f = fakeIo({ stdin: readFileSync(join(ROOT, ACCOUNTS), 'utf8') });
    expect(await main(['score', '-', '--deals', '-'], f.io)).toBe(2);
    expect(f.stderr()).toBe('kam: the accounts and the deals cannot both come from stdin (-)\n');
  });

  it('a missing deals file is an I/O error (exit 2)', async () => {
    const r = await run(['score', ACCOUNTS, '--deals', 'fixtures/deals/nope.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kam: cannot open fixtures/deals/nope.csv: ENOENT (no such file)\n');
  });
});

const CRM = join(ROOT, '..', 'shared', 'corpus', 'crm');
const MAVEN_ACCOUNTS = join(CRM, 'maven-accounts.csv');
const MAVEN_PIPELINE = join(CRM, 'maven-sales_pipeline.csv');

describe.skipIf(!existsSync(MAVEN_ACCOUNTS) || !existsSync(MAVEN_PIPELINE))('the real Maven files (../shared/corpus/crm)', () => {
  const MAVEN_ARGS = ['--deals', MAVEN_PIPELINE, '--map', 'revenue=company_revenue', '--as-of', '2017-12-31'];

  /** Independent sums: plain string splitting (the file has no quoted fields). */
  function independentSums(): Map<string, { won: number; wonDeals: number; open: number; openAmount: number | null; lost: number }> {
    const [head, ...lines] = readFileSync(MAVEN_PIPELINE, 'utf8').trim().split(/\r?\n/);
    const col = (name: string): number => head!.split(',').indexOf(name);
    const [account, stage, close, value] = [col('account'), col('deal_stage'), col('close_date'), col('close_value')];
    const out = new Map<string, { won: number; wonDeals: number; open: number; openAmount: number | null; lost: number }>();
    for (const line of lines) {
      const c = line.split(',');
      const name = c[account]!;
      if (name === '') continue;
      const s = out.get(name) ?? { won: 0, wonDeals: 0, open: 0, openAmount: null, lost: 0 };
      if (c[stage] === 'Won' && c[close]! > '2016-12-31' && c[close]! <= '2017-12-31') {
        s.won += Number(c[value]);
        s.wonDeals++;
      }
      if (c[stage] === 'Lost') s.lost++;
      if (c[stage] === 'Engaging' || c[stage] === 'Prospecting') {
        s.open++;
        if (c[value] !== '') s.openAmount = (s.openAmount ?? 0) + Number(c[value]);
      }
      out.set(name, s);
    }
    return out;
  }

  it('the stderr summary counts every deal: 1425 without an account', async () => {
    const r = await run(['score', MAVEN_ACCOUNTS, ...MAVEN_ARGS, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('kam: deals: 8800'))).toEqual([
      'kam: deals: 8800 read, 7375 matched, 1425 without an account, 0 unmatched, 0 rejected',
    ]);
    expect(r.stderr).toContain('kam: deals: filled from deals as of 2017-12-31: revenue on 85, pipeline on 0, growth_rate on 0 account(s)\n');
  });

  it('every account: won revenue and open deals equal sums computed from the file independently', async () => {
    const f = fakeIo();
    const options = { map: ['revenue=company_revenue'], deals: MAVEN_PIPELINE };
    const accounts = await loadAccounts(f.io, MAVEN_ACCOUNTS, options);
    const deals = await loadDeals(f.io, MAVEN_PIPELINE, options, accounts, Date.parse('2017-12-31T00:00:00Z') / 86_400_000);
    const expected = independentSums();
    const a = accounts.parsed.accounts;
    expect(a.n).toBe(85);
    expect(expected.size).toBe(85);
    for (let i = 0; i < a.n; i++) {
      const e = expected.get(a.name.at(i)!)!;
      const got = {
        won: deals.rollup.revenue[i],
        wonDeals: deals.rollup.wonInWindow[i],
        open: deals.rollup.openCount[i],
        openAmount: Number.isNaN(deals.rollup.pipeline[i]!) ? null : deals.rollup.pipeline[i],
        lost: deals.rollup.closedCount[i]! - deals.rollup.wonCount[i]!,
      };
      expect({ account: a.name.at(i), ...got }).toEqual({ account: a.name.at(i), ...e });
    }
    // The company's own revenue stays where --map put it; revenue now holds what the deals earned.
    const cancity = textValues(a.name).indexOf('Cancity');
    expect(deals.filled.accounts.revenue[cancity]).toBe(118627);
    expect(a.companyRevenue[cancity]).toBe(718.62);
  });

  it.each([
    ['Cancity', 118627, 55, 8],
    ['Acme Corporation', 101744, 34, 10],
    ['Kan-code', 341455, 115, 9],
  ])('explain %s: won revenue %i (%i deals), %i open deals without an amount', async (name, revenue, won, open) => {
    const r = await run(['explain', MAVEN_ACCOUNTS, name, ...MAVEN_ARGS, '--format', 'json']);
    expect(r.code).toBe(0);
    const d = (JSON.parse(r.stdout) as { deals: Record<string, unknown> }).deals;
    expect([d['revenue_12m'], d['won_in_window'], d['open'], d['pipeline'], d['growth_rate']]).toEqual([revenue, won, open, null, null]);
    expect(d['fields']).toEqual({
      revenue: { source: 'deals', derived: revenue },
      pipeline: { source: 'none', derived: null },
      growth_rate: { source: 'none', derived: null },
    });
  });
});
