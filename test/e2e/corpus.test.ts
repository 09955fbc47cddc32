import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { fakeIo } from '../helpers/fake-io.ts';

/**
 * Every account file of the real-world corpus (../shared/corpus/crm, not copied here: their
 * licences do not allow it) is read end to end: mapped accounts or precise issues, nothing
 * crashes, nothing is silently dropped. Skipped, saying so, where the corpus is absent.
 */
const CRM = fileURLToPath(new URL('../../../shared/corpus/crm/', import.meta.url));
const hasCorpus = existsSync(CRM);

async function kam(args: string[]) {
  const f = fakeIo();
  const code = await main(args, f.io);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

interface Validation {
  rows: number;
  valid: number;
  rejected: number;
  preset: string;
  encoding: string;
  delimiter: string;
  criteria: Record<string, boolean>;
  issues: unknown[];
}

const ACCOUNT_FILES: readonly [file: string, extra: string[], expected: Partial<Validation>][] = [
  ['dolibarr-file_import_company_1.csv', [], { rows: 2, valid: 2, rejected: 0, preset: 'generic', delimiter: ';' }],
  ['maven-accounts.csv', [], { rows: 85, valid: 85, rejected: 0, preset: 'generic', delimiter: ',' }],
  ['maven-accounts-excel-resaved.csv', [], { rows: 85, valid: 85, rejected: 0, preset: 'generic', delimiter: ',' }],
  ['odoo-m2m_customers_tags.csv', [], { rows: 5, valid: 5, rejected: 0, preset: 'odoo' }],
  ['odoo-o2m_customers_contacts.csv', [], { rows: 8, valid: 8, rejected: 0, preset: 'odoo' }],
  ['odoo-res.partner.csv', [], { rows: 6, valid: 6, rejected: 0, preset: 'odoo' }],
  [
    'salesforce-dataloader-accountData.csv',
    ['--encoding', 'windows-1252'],
    { rows: 423, valid: 423, rejected: 0, preset: 'salesforce', encoding: 'windows-1252' },
  ],
  ['salesforce-demo-accounts-excel.csv', [], { rows: 18, valid: 18, rejected: 0, preset: 'salesforce' }],
  ['salesforce-sfdmu-ebikes-Account.csv', [], { rows: 4, valid: 4, rejected: 0, preset: 'salesforce', encoding: 'utf-8 (BOM)' }],
];

describe.skipIf(!hasCorpus)('every account file of ../shared/corpus/crm (skipped where ../shared/corpus is not beside the checkout)', () => {
  for (const [file, extra, expected] of ACCOUNT_FILES) {
    it(`${file}: validated (${expected.rows} rows), then scored with one output row per input row`, async () => {
      const v = await kam(['validate', `${CRM}${file}`, '--format', 'json', ...extra]);
      expect(v.code).toBe(0);
      const doc = JSON.parse(v.stdout) as Validation;
      expect(doc).toMatchObject(expected);
      expect(doc.valid + doc.rejected).toBe(doc.rows);
      const s = await kam(['score', `${CRM}${file}`, '--format', 'csv', ...extra]);
      expect(s.code).toBe(0);
      // The enriched CSV keeps the export's delimiter (and BOM) (issue 10 item 2).
      const out = parse(s.stdout, { bom: true, delimiter: doc.delimiter });
      expect(out.length - 1).toBe(doc.rows);
      const tier = out[0]!.indexOf('kam_tier');
      const tiers = out.slice(1).map((r) => r[tier]);
      expect(tiers.filter((t) => t === 'Invalid')).toHaveLength(doc.rejected);
      for (const t of tiers) expect(['Key', 'Develop', 'Maintain', 'Monitor', 'Unrated', 'Invalid']).toContain(t);
    });
  }

  it('salesforce-dataloader-accountData.csv without --encoding: the line and the way out (exit 1)', async () => {
    const r = await kam(['validate', `${CRM}salesforce-dataloader-accountData.csv`]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(r.stderr).toBe(
      `kam: ${CRM}salesforce-dataloader-accountData.csv:72: invalid UTF-8 at byte 33254; the file may be Windows-1252 (Excel's 'CSV' on Windows): try --encoding windows-1252\n`,
    );
  });

  it('Windows-1252 names decode right, and "Annual Revenue" (6.0E7) is the company\'s size, not revenue', async () => {
    const r = await kam(['score', `${CRM}salesforce-dataloader-accountData.csv`, '--encoding', 'windows-1252', '--format', 'json']);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.some((x) => x['NAME'] === 'Crédito Inmobiliario Terras')).toBe(true);
    expect(rows.some((x) => x['NAME'] === 'Pébéo of America')).toBe(true);
    // No revenue column: volume and ltv have no input, so every account is Unrated, honestly.
    expect(new Set(rows.map((x) => x['kam_tier']))).toEqual(new Set(['Unrated']));
    expect(rows.every((x) => x['kam_volume'] === null)).toBe(true);
  });

  it('the Excel re-saved Maven file (" Revenue " header, "$1,100.04 " cells) reads the same revenue as the original', async () => {
    const a = JSON.parse((await kam(['score', `${CRM}maven-accounts.csv`, '--format', 'json'])).stdout) as Record<string, unknown>[];
    const b = JSON.parse((await kam(['score', `${CRM}maven-accounts-excel-resaved.csv`, '--format', 'json'])).stdout) as Record<string, unknown>[];
    const volume = (rows: Record<string, unknown>[], name: string) => rows.find((x) => x['account'] === name || x['Account'] === name)!['kam_volume'];
    for (const name of ['Acme Corporation', 'Betasoloin', 'Betatech']) expect(volume(b, name)).toBe(volume(a, name));
  });
});
