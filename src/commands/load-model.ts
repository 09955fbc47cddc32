import { DEFAULT_MODEL } from '../core/defaults.ts';
import { CRITERIA, MEASURE_CRITERION, MEASURES, type Criterion, type Measure, type ModelConfig } from '../core/types.ts';
import { shortHash } from '../io/fingerprint.ts';
import { toModelConfig, type Config } from '../schema/config.ts';
import { modelWith, weightsFromOption } from '../schema/run-model.ts';
import { DEFAULT_RATING_WORDS } from '../schema/values.ts';

/** The model a run scores with (config plus --weights) and its fingerprint, kam_model. */

/** The model from config plus `--weights` (schema/run-model.ts, as the library merges its `weights`). */
export function resolveModel(config: Config, weightsSpec: string | undefined): ModelConfig {
  if (weightsSpec === undefined) return toModelConfig(config);
  return modelWith(config, weightsFromOption(weightsSpec), '--weights');
}

/**
 * `kam_model` (SCORING.md §4): the model version and a short hash of what makes the numbers:
 * the effective model (config plus --weights) and how values are read into it (rating words
 * and scales, currency rates). `v2-` keeps it text in a spreadsheet (a bare `1e234567` is not).
 */
export function modelId(config: Config, model: ModelConfig): string {
  // The borderline band moves no score, tier or rank: left out at its default, so the files
  // written before it existed keep their kam_model.
  const band = model.band === DEFAULT_MODEL.band ? undefined : model.band;
  return `v2-${shortHash({ model: { ...model, ...relativeWeights(model), band }, ratings: ratingsBeyondDefaults(config), currency: config.currency })}`;
}

/**
 * The config's rating words and scales that change anything: words equal to the defaults
 * (as `kam init` spells them out, 'High': 100) are left out, so such a config is the model
 * no config is; undefined when nothing is left.
 */
function ratingsBeyondDefaults(config: Config): Config['ratings'] {
  const words = Object.entries(config.ratings?.words ?? {}).filter(([w, v]) => DEFAULT_RATING_WORDS.get(w.trim().toLowerCase()) !== v);
  const scales = config.ratings?.scales;
  if (words.length === 0 && scales === undefined) return undefined;
  return { ...(words.length ? { words: Object.fromEntries(words) } : {}), ...(scales !== undefined ? { scales } : {}) };
}

/**
 * Weights as the engine uses them, relative (SCORING.md §2 renormalises them): 0.5 each is the
 * model 0.2 each is, so it has the same fingerprint. Rounded to 12 digits against float noise.
 */
function relativeWeights(model: ModelConfig): Pick<ModelConfig, 'weights' | 'measureWeights'> {
  const round = (x: number): number => Number(x.toPrecision(12));
  const sum = CRITERIA.reduce((a, c) => a + model.weights[c], 0);
  const weights = Object.fromEntries(CRITERIA.map((c) => [c, round(model.weights[c] / sum)])) as Record<Criterion, number>;
  const measureWeights = {} as Record<Measure, number>;
  for (const c of CRITERIA) {
    const own = MEASURES.filter((m) => MEASURE_CRITERION[m] === c);
    const total = own.reduce((a, m) => a + model.measureWeights[m], 0);
    for (const m of own) measureWeights[m] = total > 0 ? round(model.measureWeights[m] / total) : 0;
  }
  return { weights, measureWeights };
}
