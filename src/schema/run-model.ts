/**
 * The config and the model of a run, whoever asks (the CLI from kam.config.json and
 * `--weights`, the library from its `config` and `weights` options): the config's JSON checked
 * into a Config, and the config's model with given weights merged and checked by the one rule
 * (weightsProblem). Callers read the bytes; the words of each error name the caller's flag.
 */
import { CRITERIA, type Criterion, type ModelConfig } from '../core/types.ts';
import { UsageError } from '../errors.ts';
import { parseConfig, parseWeightsOption, toModelConfig, weightsProblem, type Config } from './config.ts';

/** A config value (parsed JSON) checked; `name` is the file it came from, if any. A typo is a usage error with its path. */
export function checkedConfig(json: unknown, name: string | undefined): Config {
  const r = parseConfig(json);
  if (!r.ok) throw new UsageError(`invalid config${name === undefined ? '' : ` ${name}`}:\n${r.errors}`);
  return r.config;
}

/** A config file's text (a UTF-8 BOM allowed) checked; invalid JSON is a usage error at its line and column. */
export function configFromText(text: string, path: string): Config {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? lineAndColumn(text, Number(at[1])) : undefined;
    throw new UsageError(`config ${path}${where ? `:${where.line}:${where.column}` : ''} is not valid JSON: ${message}`);
  }
  return checkedConfig(json, path);
}

/** 1-based line and column of a character offset, for JSON errors. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).replace(/^\uFEFF/, '');
  const lines = before.split(/\r\n|\n|\r/);
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** `--weights volume=2,potential=3` as weights; a bad spec is a usage error naming the flag. */
export function weightsFromOption(spec: string): Partial<Record<Criterion, number>> {
  try {
    return parseWeightsOption(spec);
  } catch (e) {
    throw new UsageError(`--weights: ${(e as Error).message}`);
  }
}

/** The library's `weights` option (`{ potential: 3 }`, any JavaScript value) as weights; `label` names it in errors. */
export function weightsFromObject(given: Readonly<Record<string, unknown>>, label: string): Partial<Record<Criterion, number>> {
  const out: Partial<Record<Criterion, number>> = {};
  for (const [name, w] of Object.entries(given)) {
    if (!(CRITERIA as readonly string[]).includes(name)) throw new UsageError(`${label}: unknown criterion '${name}' (criteria: ${CRITERIA.join(', ')})`);
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new UsageError(`${label}: ${name} must be a finite non-negative number, got ${String(w)}`);
    out[name as Criterion] = w;
  }
  return out;
}

/**
 * The config's model with `weights` over the config's (criteria not given keep theirs) and
 * other parts replaced; the merged weights checked as the config's are (`label: problem`).
 */
export function modelWith(
  config: Config,
  weights: Partial<Record<Criterion, number>>,
  label: string,
  parts: Partial<Omit<ModelConfig, 'weights'>> = {},
): ModelConfig {
  const base = toModelConfig(config);
  const merged = { ...base.weights, ...weights };
  const problem = weightsProblem(Object.values(merged));
  if (problem !== undefined) throw new UsageError(`${label}: ${problem}`);
  return { ...base, ...parts, weights: merged };
}
