import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { DEFAULT_MODEL } from '../../src/core/defaults.ts';
import { configJsonSchema, parseConfig, parseWeightsOption, toModelConfig } from '../../src/schema/config.ts';
import { fakeIo } from '../helpers/fake-io.ts';

describe('config', () => {
  it('an empty config is the default model of SCORING.md', () => {
    const r = parseConfig({});
    expect(r.ok && toModelConfig(r.config)).toEqual(DEFAULT_MODEL);
  });

  it('R47: a typo is an error with its JSON path', () => {
    const r = parseConfig({ wieghts: { volume: 1 } });
    expect(r).toEqual({ ok: false, errors: '✖ Unrecognized key: "wieghts"' });
    const t = parseConfig({ weights: { volume: 'high' } });
    expect(t).toEqual({ ok: false, errors: '✖ Invalid input: expected number, received string\n  → at weights.volume' });
  });

  it('weights must be finite, non-negative, with a positive sum', () => {
    expect(parseConfig({ weights: { volume: -1 } }).ok).toBe(false);
    const zero = parseConfig({ weights: { volume: 0, potential: 0, ltv: 0, fit: 0, strategic: 0 } });
    expect(zero).toEqual({ ok: false, errors: '✖ the weights must have a positive sum\n  → at weights' });
    const partial = parseConfig({ weights: { volume: 2 } });
    expect(partial.ok && toModelConfig(partial.config).weights).toEqual({ ...DEFAULT_MODEL.weights, volume: 2 });
  });

  it('an ICP employee range with min above max is an error with its path', () => {
    expect(parseConfig({ icp: { employees: { min: 5000, max: 10 } } })).toEqual({
      ok: false,
      errors: '✖ min must not be greater than max\n  → at icp.employees',
    });
  });

  it('--weights parsing', () => {
    expect(() => parseWeightsOption('volume=1,volume=2')).toThrow('volume is given twice');
    expect(parseWeightsOption('volume=2, potential=3')).toEqual({ volume: 2, potential: 3 });
    expect(() => parseWeightsOption('volume')).toThrow("expected name=value, got 'volume'");
    expect(() => parseWeightsOption('volume=1e3')).toThrow("weight of volume must be a finite non-negative number, got '1e3'");
  });

  it('the shipped dist/kam.config.schema.json (written by the build) is what `kam config schema` prints', async () => {
    const f = fakeIo();
    expect(await main(['config', 'schema'], f.io)).toBe(0);
    expect(JSON.parse(f.stdout())).toEqual(configJsonSchema());
    expect(readFileSync(new URL('../../dist/kam.config.schema.json', import.meta.url), 'utf8')).toBe(f.stdout());
  });

  it('kam init writes a starter config that validates, points $schema at the shipped copy, and refuses to overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-init-'));
    const f = fakeIo({ cwd: dir });
    expect(await main(['init'], f.io)).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'kam.config.json'), 'utf8')) as Record<string, unknown>;
    expect(parseConfig(json).ok).toBe(true);
    const r = parseConfig(json);
    expect(r.ok && toModelConfig(r.config)).toEqual(DEFAULT_MODEL);
    expect(String(json['$schema']).endsWith('dist/kam.config.schema.json')).toBe(true);
    expect(readFileSync(join(dir, String(json['$schema'])), 'utf8')).toContain('"$schema": "https://json-schema.org/draft/2020-12/schema"');
    const again = fakeIo({ cwd: dir });
    expect(await main(['init'], again.io)).toBe(2);
    expect(again.stderr()).toBe('kam: kam.config.json already exists (use --force to overwrite)\n');
  });

  it('band (SCORING.md §4 Borderline): default 2, 0..50; a band other than 2 changes kam_model, the default keeps the one before bands existed', async () => {
    const band = (json: unknown): number | string => {
      const r = parseConfig(json);
      return r.ok ? toModelConfig(r.config).band : r.errors;
    };
    expect([band({}), band({ band: 0 }), band({ band: 50 }), band({ band: -1 })]).toEqual([2, 0, 50, '✖ Too small: expected number to be >=0\n  → at band']);
    const dir = mkdtempSync(join(tmpdir(), 'kam-band-'));
    const model = async (config: object): Promise<string> => {
      writeFileSync(join(dir, 'kam.config.json'), JSON.stringify(config));
      const f = fakeIo({ cwd: dir });
      expect([await main(['score', join(process.cwd(), 'fixtures/worked-example.csv'), '--format', 'csv'], f.io), f.stderr()]).toEqual([
        0,
        'kam: config kam.config.json applied\n',
      ]);
      return f.stdout().split('\n')[1]!.split(',').slice(-3).join(',');
    };
    // v2-bf8886e8 is the kam_model of the default model (the README worked example, before bands).
    expect([await model({}), await model({ band: 2 }), await model({ band: 0 })]).toEqual([
      'headroom;borderline,,v2-bf8886e8',
      'headroom;borderline,,v2-bf8886e8',
      'headroom,,v2-5ecbd039',
    ]);
  });

  it('an invalid config file stops kam score with exit 2 and the paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-cfg-'));
    writeFileSync(join(dir, 'kam.config.json'), JSON.stringify({ tier_cut: 120, flags: { x: 'a' } }));
    const f = fakeIo({ cwd: dir });
    expect(await main(['score', join(process.cwd(), 'fixtures/worked-example.csv')], f.io)).toBe(2);
    expect(f.stderr()).toBe(
      'kam: invalid config kam.config.json:\n✖ Too big: expected number to be <=100\n  → at tier_cut\n✖ Invalid input: expected number, received string\n  → at flags.x\n',
    );
    writeFileSync(join(dir, 'kam.config.json'), '{\n  "tier_cut": 50,\n  nope\n}');
    const g = fakeIo({ cwd: dir });
    expect(await main(['score', join(process.cwd(), 'fixtures/worked-example.csv')], g.io)).toBe(2);
    expect(g.stderr()).toMatch(/^kam: config kam.config.json:3:3 is not valid JSON: /);
  });

  it('config columns, weights and tier cut change the result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kam-cfg-'));
    writeFileSync(join(dir, 'a.csv'), 'Kunde,Umsatz\nA,100\nB,300\n');
    writeFileSync(join(dir, 'kam.config.json'), JSON.stringify({ columns: { Kunde: 'account_name', Umsatz: 'revenue' }, min_coverage: 0 }));
    const f = fakeIo({ cwd: dir });
    expect(await main(['score', 'a.csv', '--format', 'json'], f.io)).toBe(0);
    const rows = JSON.parse(f.stdout()) as { Kunde: string; kam_volume: number }[];
    expect(rows.map((r) => [r.Kunde, r.kam_volume])).toEqual([
      ['B', 75],
      ['A', 25],
    ]);
  });
});
