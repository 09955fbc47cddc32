import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/defaults.ts';
import { UsageError } from '../../src/errors.ts';
import { checkedConfig, configFromText, modelWith, weightsFromObject, weightsFromOption } from '../../src/schema/run-model.ts';

describe('schema/run-model: the config and model the CLI and the library share', () => {
  it('merges given weights over the config and keeps the rest', () => {
    const m = modelWith({ weights: { volume: 2 } }, { potential: 3 }, '--weights');
    expect(m.weights).toEqual({ ...DEFAULT_MODEL.weights, volume: 2, potential: 3 });
    expect(m.tierCut).toBe(DEFAULT_MODEL.tierCut);
  });

  it('checks the merged weights with the label of who gave them', () => {
    const zero = { volume: 0, potential: 0, ltv: 0, fit: 0, strategic: 0 };
    expect(() => modelWith({}, zero, '--weights')).toThrow(new UsageError('--weights: the weights must have a positive sum'));
    expect(() => modelWith({}, zero, 'weights')).toThrow(new UsageError('weights: the weights must have a positive sum'));
  });

  it('reads --weights and the library object in their own words', () => {
    expect(weightsFromOption('volume=2, fit=1')).toEqual({ volume: 2, fit: 1 });
    expect(() => weightsFromOption('size=2')).toThrow(new UsageError("--weights: unknown criterion 'size' (criteria: volume, potential, ltv, fit, strategic)"));
    expect(() => weightsFromObject({ fit: -1 }, 'weights')).toThrow(new UsageError('weights: fit must be a finite non-negative number, got -1'));
  });

  it('checks a config value and a config text with the file named', () => {
    expect(checkedConfig({ tier_cut: 60 }, undefined)).toEqual({ tier_cut: 60 });
    expect(() => checkedConfig({ wieghts: {} }, 'kam.config.json')).toThrow(/^invalid config kam\.config\.json:\n/);
    expect(() => checkedConfig({ wieghts: {} }, undefined)).toThrow(/^invalid config:\n/);
    expect(configFromText('\uFEFF{"tier_cut": 60}', 'k.json')).toEqual({ tier_cut: 60 });
    expect(() => configFromText('{\n  "tier_cut": 60,\n}', 'k.json')).toThrow(/^config k\.json:3:1 is not valid JSON: /);
  });
});
