/**
 * zod schemas of the spec's plain sections. `data`, `train` and `parameters` have rules that
 * depend on each other and on the trainer; they are checked in data.ts, knobs.ts and
 * parameters.ts. Optional keys accept an empty value (`key:` / `~`) as "not given".
 */
import { lowerIsBetter } from '../core/types.js';
import { z } from 'zod';
import { SEARCH_METHODS, TRAINER_KINDS } from '../core/spec.js';

export const GOALS = ['minimize', 'maximize'] as const;
export const POOL_MODES = ['auto', 'thread', 'process'] as const;
export const EARLY_TERMINATE_TYPES = ['patience', 'median', 'successive_halving', 'hyperband'] as const;

const positiveInt = z.int().min(1);

export const metricSchema = z.strictObject({
  name: z.string().min(1),
  goal: z.enum(GOALS).nullish(),
});

export const metricListSchema = z.array(metricSchema).min(1);

export const nsga2Schema = z.strictObject({
  population: z.int().min(2).nullish(),
  crossover_prob: z.number().min(0).max(1).nullish(),
  mutation_prob: z.number().min(0).max(1).nullish(),
});

export const earlyTerminateSchema = z.strictObject({
  type: z.enum(EARLY_TERMINATE_TYPES),
  metric: z.string().min(1).nullish(),
  patience: positiveInt.nullish(),
  min_delta: z.number().min(0).nullish(),
  restore_best: z.boolean().nullish(),
  // median (Optuna's MedianPruner)
  n_startup_trials: z.int().min(0).nullish(),
  n_warmup_steps: z.int().min(0).nullish(),
  interval_steps: positiveInt.nullish(),
  n_min_trials: positiveInt.nullish(),
  include_running: z.boolean().nullish(),
  // successive_halving and hyperband; min_iter, max_iter, eta and s are W&B's names
  min_resource: positiveInt.nullish(),
  max_resource: positiveInt.nullish(),
  reduction_factor: z.int().min(2).nullish(),
  min_early_stopping_rate: z.int().min(0).nullish(),
  min_iter: positiveInt.nullish(),
  max_iter: positiveInt.nullish(),
  eta: z.int().min(2).nullish(),
  s: positiveInt.nullish(),
});

export const stageSchema = z.strictObject({
  trials: positiveInt,
  top_k: positiveInt.nullish(),
  margin: z.number().min(0).nullish(),
  method: z.enum(['random', 'tpe']).nullish(),
});

export const tpeSchema = z.strictObject({
  n_startup_trials: z.int().min(0).nullish(),
  n_ei_candidates: positiveInt.nullish(),
  multivariate: z.boolean().nullish(),
});

export const pbtSchema = z.strictObject({
  population: z.int().min(2).nullish(),
  perturbation_interval: positiveInt.nullish(),
  quantile_fraction: z.number().gt(0).lte(0.5).nullish(),
  resample_probability: z.number().min(0).max(1).nullish(),
  perturbation_factors: z.array(z.number().gt(0)).min(1).nullish(),
  synch: z.boolean().nullish(),
  checkpoint_dir: z.string().min(1).nullish(),
});

export const diagnoseSchema = z.strictObject({
  target_accuracy: z.number().gt(0).lte(1).nullish(),
});

/** Top-level keys checked here, each on its own so one bad key hides nothing else. */
export const TOP_SCHEMAS = {
  name: z.string().min(1).nullish(),
  storage: z.string().min(1).nullish(),
  seed: z.int().min(0).nullish(),
  method: z.enum(SEARCH_METHODS).nullish(),
  metric: z.union([metricSchema, metricListSchema]).nullish(),
  run_cap: positiveInt.nullish(),
  parallelism: positiveInt.nullish(),
  trainer: z.enum(TRAINER_KINDS).nullish(),
  module: z.string().min(1).nullish(),
  early_terminate: earlyTerminateSchema.nullish(),
  stages: z.array(stageSchema).min(1).nullish(),
  tpe: tpeSchema.nullish(),
  nsga2: nsga2Schema.nullish(),
  pbt: pbtSchema.nullish(),
  pool: z.enum(POOL_MODES).nullish(),
  max_trials_per_worker: positiveInt.nullish(),
  max_rss_mb: z.number().gt(0).nullish(),
  trial_timeout: z.number().gt(0).nullish(),
  max_retries: z.int().min(0).nullish(),
  devices: z
    .array(z.int().min(0))
    .min(1)
    .refine((d) => new Set(d).size === d.length, 'device numbers must be unique')
    .nullish(),
  diagnose: diagnoseSchema.nullish(),
  // trainer: command (see command.ts); a sweep file's program/command run as written.
  command: z.array(z.string().min(1)).min(1).nullish(),
  program: z.string().min(1).nullish(),
  cwd: z.string().min(1).nullish(),
  stop_grace: z.number().min(0).nullish(),
  artifacts: z.string().min(1).nullish(),
  keep_models: z.union([z.enum(['top_k', 'all', 'none']), positiveInt]).nullish(),
  // A sweep file's bookkeeping, accepted and ignored so the file runs unchanged.
  description: z.string().nullish(),
  project: z.string().nullish(),
  entity: z.string().nullish(),
} as const;

/** Every top-level key of a spec. */
export const TOP_KEYS = [...Object.keys(TOP_SCHEMAS), 'data', 'train', 'parameters'] as const;

/** Only for reporting unknown top-level keys (with "did you mean"). */
export const topKeysSchema = z.strictObject(Object.fromEntries(TOP_KEYS.map((k) => [k, z.unknown().optional()])));

/** Goal implied by a metric's name, when `goal` is not written. */
export function impliedGoal(name: string): (typeof GOALS)[number] | undefined {
  if (lowerIsBetter(name) || name === 'params' || name === 'inference_ms') return 'minimize';
  if (/(accuracy|acc|auc|f1|precision|recall|r2)$/i.test(name)) return 'maximize';
  return undefined;
}
