/**
 * `kam columns` and the reading commands' warnings on a HubSpot companies export with custom
 * properties (fixtures/exports/hubspot-companies-custom-properties.csv; its format facts and
 * sources are in fixtures/exports/README.md): every header's field, how it was decided, what
 * its annotations set, and what it beat or nearly meant.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo, ROOT } from '../helpers/fake-io.ts';

async function kam(args: string[], opts: Parameters<typeof fakeIo>[0] = {}) {
  const f = fakeIo(opts);
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

const HUBSPOT = 'fixtures/exports/hubspot-companies-custom-properties.csv';

describe('kam columns', () => {
  it('shows, per header, the field, how it was decided, its units and what it beat or nearly meant (JSON)', async () => {
    const r = await kam(['columns', HUBSPOT, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { preset: string; columns: Record<string, unknown>[] };
    expect(doc.preset).toBe('hubspot');
    const pick = (h: string) => {
      const c = doc.columns.find((x) => x['header'] === h)!;
      return { field: c['field'], decided_by: c['decided_by'], annotations: c['annotations'], near: c['near'], beat: c['beat'], unused: c['unused'] };
    };
    expect(pick('Revenue (Last 12 Months)')).toEqual({
      field: 'revenue',
      decided_by: 'header words',
      annotations: { period: '12m' },
      near: undefined,
      beat: undefined,
      unused: undefined,
    });
    // HubSpot's Total Revenue is lifetime closed-won (fixtures/headers/real-headers.csv cites HubSpot's article).
    expect(pick('Total Revenue')).toEqual({
      field: null,
      decided_by: null,
      annotations: { period: 'lifetime' },
      near: { field: 'revenue', reason: 'lifetime' },
      beat: undefined,
      unused: { field: 'revenue', reason: 'lifetime', map: '--map "Total Revenue=revenue"' },
    });
    expect(pick('Churn Risk (%)')).toEqual({
      field: 'churn_risk',
      decided_by: 'header words',
      annotations: { percent: true },
      near: undefined,
      beat: undefined,
      unused: undefined,
    });
    expect(pick('Strategic Value (1-5)').annotations).toEqual({ rating_scale: { min: 1, max: 5 } });
    expect(pick('Product Fit (H/M/L)').annotations).toEqual({ rating_words: { high: 100, h: 100, medium: 50, m: 50, low: 0, l: 0 } });
    // 'Annual Revenue' is the company's own size; with a revenue column there is no trap to warn about.
    expect(pick('Annual Revenue')).toEqual({
      field: 'company_revenue',
      decided_by: 'header words',
      annotations: {},
      near: { field: 'revenue', reason: 'company_size' },
      beat: undefined,
      unused: undefined,
    });
  });

  it('the table names a loser and the --map that would use it', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kam-columns-'));
    writeFileSync(join(d, 'x.csv'), 'Account Name,Revenue,Revenue LTM,Revenue Potential Score\nAcme,1,2,3\n');
    const r = await kam(['columns', 'x.csv'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'x.csv · preset: generic (detected)',
        '┌───┬─────────────────────────┬────────────────┬──────────────┬────────────────┬──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┐',
        '│ # │ Header                  │ Maps to        │ Decided by   │ Annotations    │ Notes                                                                                                                │',
        '│ 1 │ Account Name            │ account_name   │ header words │                │                                                                                                                      │',
        '│ 2 │ Revenue                 │ kept, unmapped │              │                │ revenue comes from \'Revenue LTM\': --map "Revenue=revenue" to use this one instead                                    │',
        "│ 3 │ Revenue LTM             │ revenue        │ header words │ last 12 months │ beat 'Revenue'                                                                                                       │",
        '│ 4 │ Revenue Potential Score │ kept, unmapped │              │                │ a score, not an amount, so not potential_revenue: --map "Revenue Potential Score=potential_revenue" to use it anyway │',
        '└───┴─────────────────────────┴────────────────┴──────────────┴────────────────┴──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘',
        'criteria with inputs: volume yes, potential no, ltv no, fit no, strategic no',
        '',
      ].join('\n'),
    );
  });
});

describe('never silently unused: the warning of score, validate, explain and report', () => {
  const d = mkdtempSync(join(tmpdir(), 'kam-unused-'));
  writeFileSync(join(d, 'u.csv'), 'Company,Total Revenue,Revenue Potential Score,Margin (€)\nAcme,100,3,10\nBeta,200,4,20\n');
  const WARNING =
    'kam: warning: 3 columns look like model inputs but feed nothing: \'Total Revenue\' (a lifetime total, not the last 12 months, so not revenue: --map "Total Revenue=revenue" to use it anyway); ' +
    '\'Revenue Potential Score\' (a score, not an amount, so not potential_revenue: --map "Revenue Potential Score=potential_revenue" to use it anyway); ' +
    '\'Margin (€)\' (its unit does not fit, so not gross_margin: --map "Margin (€)=gross_margin" to use it anyway)';

  it.each([['score'], ['validate'], ['report', '--format', 'md']])('%s names every one, once', async (...args) => {
    const r = await kam([...args, 'u.csv'], { cwd: d });
    expect(r.stderr.split('\n').filter((l) => l.includes('feed nothing'))).toEqual([WARNING]);
  });

  it('explain too, once the account is found', async () => {
    const r = await kam(['explain', 'u.csv', 'Acme'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('feed nothing'))).toEqual([WARNING]);
  });

  it('the --map it names uses the column: the warning is gone and the criterion has its input', async () => {
    const r = await kam(
      ['score', 'u.csv', '--format', 'csv', '--map', 'Total Revenue=revenue', '--map', 'Revenue Potential Score=ignore', '--map', 'Margin (€)=ignore'],
      { cwd: d },
    );
    expect(r).toEqual({
      code: 0,
      stdout: expect.stringContaining('Beta,200,4,20,1,75.00,Unrated,75.00,') as string,
      stderr: 'kam: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone\n',
    });
  });

  it("'Annual Revenue' with no revenue column is the trap SCORING.md warns about: named", async () => {
    writeFileSync(join(d, 'annual.csv'), 'Account Name,Annual Revenue,Strategic Value\nAcme,5000000,4\nBeta,900000,2\n');
    const r = await kam(['score', 'annual.csv', '--format', 'csv'], { cwd: d });
    expect(r.stderr.split('\n')[0]).toBe(
      `kam: warning: a column looks like a model input but feeds nothing: 'Annual Revenue' (the account's own annual revenue, not what it brings us, so not revenue: --map "Annual Revenue=revenue" to use it anyway)`,
    );
  });

  it("'Strategic account' may be a rating or a yes/no column: the warning names the --map and the config's flags (stranger test of 7179ab6: the --map alone rejected every 'true')", async () => {
    writeFileSync(join(d, 'flag.csv'), 'Account ID,Account Name,Revenue,Strategic account\nA1,Acme,100,true\nA2,Beta,200,false\n');
    const r = await kam(['score', 'flag.csv', '--format', 'csv'], { cwd: d });
    expect(r.stderr.split('\n')[0]).toBe(
      `kam: warning: a column looks like a model input but feeds nothing: 'Strategic account' (it may or may not mean strategic_value: --map "Strategic account=strategic_value" to use it as a rating; a yes/no column goes in the config's "flags", with the points it adds)`,
    );
    writeFileSync(join(d, 'flag.json'), JSON.stringify({ flags: { 'Strategic account': 20 } }));
    const flagged = await kam(['score', 'flag.csv', '--format', 'csv', '-c', 'flag.json'], { cwd: d });
    expect(flagged.stderr.split('\n').filter((l) => l.includes('warning'))).toEqual([
      'kam: warning: no column feeds potential, ltv, fit: scores use volume and strategic',
    ]);
  });

  it("a weak claim that lost is shown by kam columns, not warned of by every run: Zoho's 'Account Number' beside 'Record Id'", async () => {
    // 'Record Id' with zcrm_ ids: Zoho's Accounts export (CRM-FORMATS.md §5); 'Account Number': a standard
    // Account field of Salesforce and Dynamics 365 (CRM-FORMATS.md §1, §3), in Zoho a field users add.
    writeFileSync(join(d, 'zoho.csv'), 'Record Id,Account Name,Account Number,Revenue,Revenue LTM\nzcrm_1,Acme,A-1,10,100\nzcrm_2,Beta,A-2,20,200\n');
    const score = await kam(['score', 'zoho.csv', '--format', 'csv'], { cwd: d });
    expect(score.stderr.split('\n').filter((l) => l.includes('feed'))).toEqual([
      `kam: warning: a column looks like a model input but feeds nothing: 'Revenue' (revenue comes from 'Revenue LTM': --map "Revenue=revenue" to use this one instead)`,
      'kam: warning: no column feeds potential, ltv, fit, strategic: scores use volume alone',
    ]);
    const columns = await kam(['columns', 'zoho.csv'], { cwd: d });
    expect(columns.stdout).toContain(`account_id comes from 'Record Id': --map "Account Number=account_id" to use this one instead`);
  });

  it('a config columns entry for a header this export lacks is a warning, not an error (one config, two CRMs)', async () => {
    writeFileSync(join(d, 'team.json'), JSON.stringify({ columns: { Revenue_LTM__c: 'revenue', Company: 'account_name' } }));
    const r = await kam(['score', 'u.csv', '-c', 'team.json', '--format', 'csv'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('config columns'))).toEqual([
      "kam: warning: config columns: no column 'Revenue_LTM__c' in u.csv (the entry is kept for other exports)",
    ]);
  });
});

describe('kam init --from: the mapping as a reviewed artefact', () => {
  it('writes the mapping kam found, with units, preset and dialect; scoring with it gives the same bytes', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kam-init-from-'));
    writeFileSync(join(d, 'export.csv'), readFileSync(join(ROOT, HUBSPOT)));
    const init = await kam(['init', '--from', 'export.csv'], { cwd: d });
    expect(init).toEqual({
      code: 0,
      stdout: '',
      stderr: `kam: wrote kam.config.json (the defaults of the scoring model and the mapping from export.csv: 12 columns mapped; set to "ignore" for review: 'Total Revenue')\n`,
    });
    const config = JSON.parse(readFileSync(join(d, 'kam.config.json'), 'utf8')) as Record<string, unknown>;
    expect([config['preset'], config['delimiter'], config['decimal']]).toEqual(['hubspot', ',', '.']);
    expect(config['columns']).toEqual({
      'Record ID': 'account_id',
      'Company name': 'account_name',
      'Country/Region': 'country',
      Industry: 'industry',
      'Annual Revenue': 'company_revenue',
      'Number of Employees': 'employees',
      'Total Revenue': 'ignore',
      'Revenue (Last 12 Months)': { field: 'revenue', period: '12m' },
      'Wallet Size': 'potential_revenue',
      'Gross Margin (%)': { field: 'gross_margin', percent: true },
      'Churn Risk (%)': { field: 'churn_risk', percent: true },
      'Strategic Value (1-5)': { field: 'strategic_value', rating_scale: { min: 1, max: 5 } },
      'Product Fit (H/M/L)': { field: 'product_fit', rating_words: { high: 100, h: 100, medium: 50, m: 50, low: 0, l: 0 } },
    });
    // kam.config.json in the working folder is picked up; with it the same scores, byte for byte.
    const withConfig = await kam(['score', 'export.csv', '--format', 'csv'], { cwd: d });
    const plain = mkdtempSync(join(tmpdir(), 'kam-init-plain-'));
    writeFileSync(join(plain, 'export.csv'), readFileSync(join(ROOT, HUBSPOT)));
    const fresh = await kam(['score', 'export.csv', '--format', 'csv'], { cwd: plain });
    expect(withConfig.stdout).toBe(fresh.stdout);
    expect(withConfig.code).toBe(fresh.code);
  });

  it('refuses to overwrite what it reads', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kam-init-clobber-'));
    writeFileSync(join(d, 'export.csv'), 'Account Name,Revenue\nAcme,1\n');
    const r = await kam(['init', '--from', 'export.csv', '-o', 'export.csv', '--force'], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kam: refusing to write -o export.csv: it is --from export.csv (output would overwrite input)\n');
    expect(readFileSync(join(d, 'export.csv'), 'utf8')).toBe('Account Name,Revenue\nAcme,1\n');
  });
});

describe('kam columns on a file whose name column it cannot tell', () => {
  it('says score and validate will stop, and how to map it', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kam-columns-noname-'));
    writeFileSync(join(d, 'n.csv'), 'Bereich,Umsatz\nNord,1\n');
    const r = await kam(['columns', 'n.csv', '--format', 'json'], { cwd: d });
    expect((JSON.parse(r.stdout) as { missing_required: string[] }).missing_required).toEqual(['account_name']);
    const t = await kam(['columns', 'n.csv'], { cwd: d });
    expect(t.stdout.split('\n').at(-2)).toBe(
      'account_name: no column maps to it, so score and validate stop: --map "Header=account_name" names the column that holds the names',
    );
  });
});

describe('a config rate no value uses is a warning, not an error (issue 9 item 4)', () => {
  it('names the unused currencies', async () => {
    const d = mkdtempSync(join(tmpdir(), 'kam-rates-'));
    writeFileSync(join(d, 'r.csv'), 'Account Name,Revenue,Currency\nAcme,100,EUR\nBeta,200,USD\n');
    writeFileSync(join(d, 'k.json'), JSON.stringify({ currency: { base: 'EUR', rates: { USD: 0.9, GBP: 1.15, JPY: 0.006 } } }));
    const r = await kam(['score', 'r.csv', '-c', 'k.json', '--format', 'csv', '--quiet'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const loud = await kam(['score', 'r.csv', '-c', 'k.json', '--format', 'csv'], { cwd: d });
    expect(loud.stderr.split('\n').filter((l) => l.includes('currency.rates'))).toEqual([
      'kam: warning: config currency.rates: no value of r.csv is in GBP, JPY (the rates are kept for other exports)',
    ]);
  });
});

describe('never silently unused: a mapped column blank on every row', () => {
  const d = mkdtempSync(join(tmpdir(), 'kam-blank-'));
  // As in a Salesforce account export where nobody fills Rating or NumberOfEmployees
  // (shared/corpus/crm/salesforce-sfdmu-ebikes-Account.csv has both columns empty on every row).
  writeFileSync(
    join(d, 'b.csv'),
    'Name,Revenue,Potential Revenue,Gross Margin,Product Fit,Strategic Value\nAcme,100000,,,4,\nBeta,200000,,,3,\nGamma,50000,,,5,\n',
  );

  it('is named, and the criteria it would feed are counted as unfed', async () => {
    const r = await kam(['score', 'b.csv', '--format', 'csv'], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      "kam: warning: 3 mapped columns are blank on every valid row, so they feed nothing: 'Potential Revenue' (potential_revenue), 'Gross Margin' (gross_margin), 'Strategic Value' (strategic_value); fill them in before exporting\n" +
        'kam: warning: no column feeds potential, ltv, strategic: scores use volume and fit\n',
    );
  });

  it('a column with one value feeds its criterion: no warning for it', async () => {
    writeFileSync(join(d, 'one.csv'), 'Name,Revenue,Product Fit,Strategic Value\nAcme,100000,4,\nBeta,200000,3,Hot\n');
    const r = await kam(['score', 'one.csv', '--format', 'csv'], { cwd: d });
    expect(r.stderr).toBe('kam: warning: no column feeds potential, ltv: scores use volume, fit and strategic\n');
  });
});
