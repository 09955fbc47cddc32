import type * as Zod from 'zod';
import { zod } from './zod.ts';
import type { ValueSettings } from './account.ts';
import { DEFAULT_RATING_WORDS, type Decimal } from './values.ts';
import { ALL_FIELDS, type Field } from './fields.ts';
import type { ColumnAnnotations, ColumnOverride } from './mapping.ts';
import { DEFAULT_MODEL } from '../core/defaults.ts';
import { parseGateRule } from './gates.ts';
import { CRITERIA, MEASURES, type Criterion, type Measure, type ModelConfig } from '../core/types.ts';

/**
 * The config file (`kam.config.json`): a strict zod object, so a typo such as `wieghts`
 * is an error with its JSON path. Keys are snake_case, the words SCORING.md uses. Every
 * key is optional: what is left out takes the default of SCORING.md.
 */
/** The names a `columns` entry may map a header to: every canonical field (schema/fields.ts), or 'ignore'. */
const FIELD_NAMES_FOR_CONFIG = [...ALL_FIELDS, 'ignore'] as readonly (Field | 'ignore')[] as readonly [Field | 'ignore', ...(Field | 'ignore')[]];

/** The parts of the config schema: weights, thresholds, rating scales, one `columns` entry. */
function partSchemas() {
  const { z } = zod();
  const weight = z.number().nonnegative();
  const fraction = z.number().min(0).max(1);

  /** A weight map over `keys`; only finite, non-negative numbers. */
  function weightMap<K extends string>(keys: readonly K[]) {
    return z.strictObject(Object.fromEntries(keys.map((k) => [k, weight.optional()])) as Record<K, Zod.ZodOptional<typeof weight>>);
  }

  // The same rule and words as --weights (commands/load.ts): one check, weightsProblem.
  const WeightsSchema = weightMap(CRITERIA).superRefine((w, ctx) => {
    const problem = weightsProblem(CRITERIA.map((c) => w[c] ?? DEFAULT_MODEL.weights[c]));
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
  const MeasureWeightsSchema = weightMap(MEASURES).superRefine((w, ctx) => {
    const problem = weightsProblem(
      MEASURES.map((m) => w[m] ?? DEFAULT_MODEL.measureWeights[m]),
      { mayBeZero: true },
    );
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

  const ThresholdsSchema = z.strictObject({
    headroom_multiple: z.number().positive().optional(),
    thin_margin_volume: z.number().min(0).max(100).optional(),
    thin_margin: z.number().min(-1).max(1).optional(),
    retention_risk: fraction.optional(),
    volume_only_volume: z.number().min(0).max(100).optional(),
    volume_only_attractiveness: z.number().min(0).max(100).optional(),
    rising_current: z.number().min(0).max(100).optional(),
    rising_attractiveness: z.number().min(0).max(100).optional(),
  });

  const RatingScaleSchema = z.strictObject({ min: z.number(), max: z.number() }).refine((s) => s.max > s.min, { error: 'max must be greater than min' });

  /** One `columns` entry in full: the field and what the header's annotations would say (what `kam init --from` writes). */
  const ColumnSpecSchema = z.strictObject({
    field: z.enum(FIELD_NAMES_FOR_CONFIG),
    percent: z.literal(true).optional().describe('Bare numbers are percents (35 is 35%), as a "(%)" in the header says.'),
    scale: z.number().positive().optional().describe('Multiply money by this (1000 for "(k)", 1000000 for "(m)").'),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code such as "EUR"')
      .optional()
      .describe("The column's currency."),
    rating_scale: RatingScaleSchema.optional().describe('The rating scale, as "(1-5)" says.'),
    rating_words: z.record(z.string().min(1), z.number().min(0).max(100)).optional().describe('Rating words of this column (0..100).'),
    period: z.enum(['12m', 'lifetime']).optional().describe('The period the values cover.'),
  });
  return { weight, fraction, WeightsSchema, MeasureWeightsSchema, ThresholdsSchema, RatingScaleSchema, ColumnSpecSchema };
}

/** The `icp` section: ideal-customer-profile rules. */
function icpSchema(weight: Zod.ZodNumber) {
  const { z } = zod();
  return z.strictObject({
    industries: z.array(z.string().min(1)).optional(),
    countries: z.array(z.string().min(1)).optional(),
    employees: z
      .strictObject({ min: z.number().optional(), max: z.number().optional() })
      .refine((e) => e.min === undefined || e.max === undefined || e.min <= e.max, { error: 'min must not be greater than max' })
      .optional(),
    weights: z.strictObject({ industries: weight.optional(), countries: weight.optional(), employees: weight.optional() }).optional(),
  });
}

/** The `gates` section: knock-out rules, each checked by the gate grammar (schema/gates.ts). */
function gatesSchema() {
  const { z } = zod();
  return z.array(
    z.string().superRefine((rule, ctx) => {
      const parsed = parseGateRule(rule);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
    }),
  );
}

/** Build the config schema (zod is loaded on first use: see ./zod.ts). */
function buildConfigSchema() {
  const { z } = zod();
  const { weight, fraction, WeightsSchema, MeasureWeightsSchema, ThresholdsSchema, RatingScaleSchema, ColumnSpecSchema } = partSchemas();
  const ConfigSchema = z.strictObject({
    $schema: z.string().optional().describe("Path or URL of this file's JSON Schema (for editors)."),
    preset: z
      .enum(['salesforce', 'hubspot', 'dynamics', 'pipedrive', 'zoho', 'odoo', 'suitecrm', 'generic'])
      .optional()
      .describe('Force a CRM preset instead of detecting it from the headers.'),
    columns: z
      .record(z.string(), z.union([z.enum(FIELD_NAMES_FOR_CONFIG), ColumnSpecSchema]))
      .optional()
      .describe(
        'Map a column header (as written in the file) to a canonical field or "ignore", or to { field, percent, scale, currency, rating_scale, rating_words, period }. --map wins.',
      ),
    decimal: z.enum(['.', ',']).optional().describe('Decimal separator of the export; inferred when absent.'),
    encoding: z.string().optional().describe('Text encoding when the file has no BOM, e.g. "windows-1252".'),
    delimiter: z.string().optional().describe('Field delimiter: "," ";" "tab" "|"; detected when absent.'),
    date_format: z.enum(['M/D/YYYY', 'D/M/YYYY', 'YYYY/M/D']).optional().describe('How slash dates are written.'),
    weights: WeightsSchema.optional().describe('Weights of the five criteria (renormalised over what is present).'),
    signal_weights: MeasureWeightsSchema.optional().describe('Weights of the measures inside their criterion.'),
    tier_cut: z.number().min(0).max(100).optional().describe('Cut on both matrix axes (default 50).'),
    band: z
      .number()
      .min(0)
      .max(50)
      .optional()
      .describe(
        'Borderline band: an account with an axis less than this many points from the cut is borderline, and diff --hysteresis holds its tier (default 2; 0 turns it off).',
      ),
    min_coverage: fraction.optional().describe('Share of criterion weight an account needs to be rated (default 0.6).'),
    discount_rate: z.number().min(0).max(1).optional().describe('Discount rate d of the CLV formula (default 0.10).'),
    default_retention: fraction.optional().describe('Retention assumed when a row gives none (default 0.85).'),
    icp: icpSchema(weight).optional().describe('Ideal customer profile rules; they feed the icp_match measure of the fit criterion.'),
    flags: z
      .record(z.string().min(1), z.number().min(0).max(100))
      .optional()
      .describe('Boolean columns (header) and the points a "yes" adds to the strategic criterion, capped at 100.'),
    ratings: z
      .strictObject({
        words: z.record(z.string().min(1), z.number().min(0).max(100)).optional(),
        scales: z.strictObject({ product_fit: RatingScaleSchema.optional(), strategic_value: RatingScaleSchema.optional() }).optional(),
      })
      .optional()
      .describe('Rating words (0..100) and fixed rating scales; scales are inferred per column when absent.'),
    thresholds: ThresholdsSchema.optional().describe('Thresholds of the signal codes.'),
    currency: z
      .strictObject({
        base: z.string().regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code such as "USD"'),
        rates: z.record(z.string().regex(/^[A-Za-z]{3}$/), z.number().positive()),
      })
      .optional()
      .describe('Convert every money value to `base`: one unit of each currency is `rate` units of base.'),
    shortlist: z.number().int().positive().optional().describe('How many Key/Develop accounts the team can serve.'),
    overrides: z
      .string()
      .min(1)
      .optional()
      .describe('CSV of manual overrides (account_id, tier and/or shortlist in/out, reason, owner, expires); --overrides wins.'),
    gates: gatesSchema()
      .optional()
      .describe(
        'Knock-out rules checked before tiers, e.g. "gross_margin < 0", "country not in [Iran, Cuba]", "Do not target": a gated account keeps its score but is tier Gated, never Key or on the shortlist (kam_gate names the rule).',
      ),
  });
  return ConfigSchema;
}

let configSchema: ReturnType<typeof buildConfigSchema> | undefined;

/** The zod schema of kam.config.json (a strict object: a typo is an error with its path). */
function getConfigSchema(): ReturnType<typeof buildConfigSchema> {
  configSchema ??= buildConfigSchema();
  return configSchema;
}

export type Config = Zod.output<ReturnType<typeof buildConfigSchema>>;

/** The model the engine runs, from the config's values over SCORING.md's defaults. */
export function toModelConfig(config: Config): ModelConfig {
  const d = DEFAULT_MODEL;
  const weights = {} as Record<Criterion, number>;
  for (const c of CRITERIA) weights[c] = config.weights?.[c] ?? d.weights[c];
  const measureWeights = {} as Record<Measure, number>;
  for (const m of MEASURES) measureWeights[m] = config.signal_weights?.[m] ?? d.measureWeights[m];
  const t = config.thresholds ?? {};
  const icp = config.icp;
  const hasIcp = icp !== undefined && (icp.industries !== undefined || icp.countries !== undefined || icp.employees !== undefined);
  return {
    weights,
    measureWeights,
    tierCut: config.tier_cut ?? d.tierCut,
    band: config.band ?? d.band,
    minCoverage: config.min_coverage ?? d.minCoverage,
    discountRate: config.discount_rate ?? d.discountRate,
    defaultRetention: config.default_retention ?? d.defaultRetention,
    icp: hasIcp
      ? {
          ...(icp.industries ? { industries: icp.industries } : {}),
          ...(icp.countries ? { countries: icp.countries } : {}),
          ...(icp.employees ? { employees: stripUndefined(icp.employees) } : {}),
          weights: {
            industries: icp.weights?.industries ?? 1,
            countries: icp.weights?.countries ?? 1,
            employees: icp.weights?.employees ?? 1,
          },
        }
      : undefined,
    flagBonuses: Object.fromEntries(Object.entries(config.flags ?? {}).map(([k, v]) => [k, v])),
    thresholds: {
      headroomMultiple: t.headroom_multiple ?? d.thresholds.headroomMultiple,
      thinMarginVolume: t.thin_margin_volume ?? d.thresholds.thinMarginVolume,
      thinMargin: t.thin_margin ?? d.thresholds.thinMargin,
      retentionRisk: t.retention_risk ?? d.thresholds.retentionRisk,
      volumeOnlyVolume: t.volume_only_volume ?? d.thresholds.volumeOnlyVolume,
      volumeOnlyAttractiveness: t.volume_only_attractiveness ?? d.thresholds.volumeOnlyAttractiveness,
      risingCurrent: t.rising_current ?? d.thresholds.risingCurrent,
      risingAttractiveness: t.rising_attractiveness ?? d.thresholds.risingAttractiveness,
    },
  };
}

function stripUndefined(o: { min?: number | undefined; max?: number | undefined }): { min?: number; max?: number } {
  return { ...(o.min !== undefined ? { min: o.min } : {}), ...(o.max !== undefined ? { max: o.max } : {}) };
}

/**
 * Why a set of weights cannot be used, or undefined. Weights are relative, so only their
 * ratios matter, but the engine adds weight x value (values up to 100): a sum whose 100-fold
 * is not a finite number (1e308) would turn every score into Infinity, clamped to a wrong
 * bound. The sum must also be positive (unless `mayBeZero`). --weights and the config's
 * `weights` give the same message.
 */
export function weightsProblem(weights: readonly number[], options: { readonly mayBeZero?: boolean } = {}): string | undefined {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!Number.isFinite(sum * 100)) {
    return 'the weights are too large to add up (their sum must stay below 1e306); weights are relative: use small numbers such as volume=2,potential=3';
  }
  if (!options.mayBeZero && !(sum > 0)) return 'the weights must have a positive sum';
  return undefined;
}

/** Parse `--weights volume=2,potential=3`: names from CRITERIA, finite non-negative numbers, positive sum. */
export function parseWeightsOption(spec: string): Partial<Record<Criterion, number>> {
  const out: Partial<Record<Criterion, number>> = {};
  for (const part of spec.split(',')) {
    const [name, value, ...rest] = part.split('=').map((s) => s.trim());
    if (!name || value === undefined || rest.length > 0) throw new Error(`expected name=value, got '${part.trim()}'`);
    if (!(CRITERIA as readonly string[]).includes(name)) {
      throw new Error(`unknown criterion '${name}' (criteria: ${CRITERIA.join(', ')})`);
    }
    const n = /^[+]?(\d+(\.\d*)?|\.\d+)$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isFinite(n)) throw new Error(`weight of ${name} must be a finite non-negative number, got '${value}'`);
    if (out[name as Criterion] !== undefined) throw new Error(`${name} is given twice`);
    out[name as Criterion] = n;
  }
  return out;
}

/** The starter config `kam init` writes: every default of SCORING.md spelled out. */
export function starterConfig(schemaRef: string): Record<string, unknown> {
  const d = DEFAULT_MODEL;
  return {
    $schema: schemaRef,
    weights: { ...d.weights },
    signal_weights: { ...d.measureWeights },
    tier_cut: d.tierCut,
    band: d.band,
    min_coverage: d.minCoverage,
    discount_rate: d.discountRate,
    default_retention: d.defaultRetention,
    thresholds: {
      headroom_multiple: d.thresholds.headroomMultiple,
      thin_margin_volume: d.thresholds.thinMarginVolume,
      thin_margin: d.thresholds.thinMargin,
      retention_risk: d.thresholds.retentionRisk,
      volume_only_volume: d.thresholds.volumeOnlyVolume,
      volume_only_attractiveness: d.thresholds.volumeOnlyAttractiveness,
      rising_current: d.thresholds.risingCurrent,
      rising_attractiveness: d.thresholds.risingAttractiveness,
    },
    ratings: { words: { High: 100, Medium: 50, Low: 0, Hot: 100, Warm: 50, Cold: 0 } },
    flags: {},
    columns: {},
  };
}

/** JSON Schema of the config file (what `kam config schema` prints and kam ships). */
export function configJsonSchema(): Record<string, unknown> {
  return zod().z.toJSONSchema(getConfigSchema(), { io: 'input', target: 'draft-2020-12' });
}

/** Validate parsed JSON; errors as `path: message` lines (zod's prettifyError style). */
export function parseConfig(json: unknown): { ok: true; config: Config } | { ok: false; errors: string } {
  const r = getConfigSchema().safeParse(json);
  if (!r.success) return { ok: false, errors: zod().z.prettifyError(r.error) };
  const issues = restoreProtoKeys(json, r.data);
  if (issues.length > 0) return { ok: false, errors: zod().z.prettifyError(new (zod().z.ZodError)(issues)) };
  return { ok: true, config: r.data };
}

const hasOwnProto = (o: unknown): o is Record<string, unknown> =>
  typeof o === 'object' && o !== null && !Array.isArray(o) && Object.prototype.hasOwnProperty.call(o, '__proto__');

/**
 * zod leaves a record's `__proto__` key out of its output (assigning it to a plain object
 * would set the prototype), silently. JSON.parse keeps it as an own key, and `--map
 * "__proto__=revenue"` honours such a header, so config `columns` honours it too: the entry is
 * checked like any other and defined as an own property (Object.entries lists it). `flags`
 * and `ratings.words` feed plain-object lookups, so there it is refused with its path.
 */
function restoreProtoKeys(json: unknown, config: Config): Zod.core.$ZodIssue[] {
  const { z } = zod();
  const issues: Zod.core.$ZodIssue[] = [];
  const raw = json as { columns?: unknown; flags?: unknown; ratings?: { words?: unknown } } | undefined;
  if (hasOwnProto(raw?.columns)) {
    const given = Object.getOwnPropertyDescriptor(raw.columns, '__proto__')!.value as unknown;
    const field = z.enum(FIELD_NAMES_FOR_CONFIG).safeParse(given);
    if (!field.success) {
      for (const i of field.error.issues) issues.push({ ...i, path: ['columns', '__proto__', ...i.path] });
    } else if (config.columns !== undefined) {
      Object.defineProperty(config.columns, '__proto__', { value: field.data, enumerable: true, writable: true, configurable: true });
    }
  }
  const refuse = (path: string[]): void => {
    issues.push({ code: 'custom', message: 'a key named __proto__ is not allowed here', path: [...path, '__proto__'], input: undefined });
  };
  if (hasOwnProto(raw?.flags)) refuse(['flags']);
  if (hasOwnProto(raw?.ratings?.words)) refuse(['ratings', 'words']);
  return issues;
}

/** The config's `columns` as the mapper takes them: each entry's field, and its units as annotations. */
export function configOverrides(config: Config): ColumnOverride[] {
  return Object.entries(config.columns ?? {}).map(([header, spec]): ColumnOverride => {
    if (typeof spec === 'string') return { header, field: spec, via: 'config' };
    const annotations: ColumnAnnotations = {
      ...(spec.percent ? { percent: true } : {}),
      ...(spec.scale !== undefined ? { scale: spec.scale } : {}),
      ...(spec.currency !== undefined ? { currency: spec.currency.toUpperCase() } : {}),
      ...(spec.rating_scale !== undefined ? { ratingScale: spec.rating_scale } : {}),
      ...(spec.rating_words !== undefined
        ? { ratingWords: Object.fromEntries(Object.entries(spec.rating_words).map(([w, v]) => [w.trim().toLowerCase(), v])) }
        : {}),
      ...(spec.period !== undefined ? { period: spec.period } : {}),
    };
    return { header, field: spec.field, via: 'config', annotations };
  });
}

/** A column's annotations in the config's words (snake_case keys, as a `columns` entry and `kam columns --format json` write them). */
export function annotationsAsConfig(a: ColumnAnnotations): Record<string, unknown> {
  return {
    ...(a.percent ? { percent: true } : {}),
    ...(a.scale !== undefined ? { scale: a.scale } : {}),
    ...(a.currency !== undefined ? { currency: a.currency } : {}),
    ...(a.ratingScale !== undefined ? { rating_scale: a.ratingScale } : {}),
    ...(a.ratingWords !== undefined ? { rating_words: a.ratingWords } : {}),
    ...(a.period !== undefined ? { period: a.period } : {}),
  };
}

/** The `columns` entry that pins one column's reading: the field alone, or the field with its units. */
export function columnSpec(field: Field | 'ignore', a: ColumnAnnotations): string | Record<string, unknown> {
  const units = annotationsAsConfig(a);
  return field === 'ignore' || Object.keys(units).length === 0 ? field : { field, ...units };
}

/** How an accounts file's values are read under this config (`decimal` from --decimal wins). */
export function valueSettings(config: Config, decimal: Decimal | undefined): ValueSettings {
  const words = new Map(DEFAULT_RATING_WORDS);
  for (const [k, v] of Object.entries(config.ratings?.words ?? {})) words.set(k.trim().toLowerCase(), v);
  return {
    decimal: decimal ?? config.decimal,
    ratingWords: words,
    ratingScales: config.ratings?.scales,
    currency: config.currency,
    flagColumns: Object.keys(config.flags ?? {}),
  };
}
