/**
 * The spec as one JSON Schema, for editors (yaml-language-server): built from the zod schemas
 * and the knob table that validate specs, so the two cannot drift. Rules that span sections
 * (splits summing to 1, min < max, a knob's range as a parameter) stay in parseSpec alone.
 */
import { z } from 'zod';
import { AUGMENT_PREFIX, TRAIN_KNOBS, type Knob } from '../train/identifiers.js';
import { whenSchema } from './conditions.js';
import { DATA_SCHEMAS } from './data.js';
import { initFromSchema } from './init-from.js';
import { numericSchema } from './parameters.js';
import { TOP_SCHEMAS } from './schema.js';

/** Where the package ships the generated schema (relative to the package root). */
export const JSON_SCHEMA_FILE = 'schema/hpsearch-spec.schema.json';

const TOP_DOCS: Record<keyof typeof TOP_SCHEMAS, string> = {
  name: "the study's name; rerunning it resumes the study (default: the file name)",
  storage: 'the study database (default runs/hpsearch.db), relative to the working directory',
  seed: 'same seed + spec ⇒ same parameters per trial, whatever the parallelism',
  method: 'random | grid | coarse-to-fine | tpe | gp (Gaussian-process BO, numeric spaces) | nsga2 (genetic, several objectives) | auto (gp for small numeric spaces, else tpe; tpe or nsga2 for several objectives) | pbt (population-based training)',
  tpe: 'TPE settings (method tpe or auto): { n_startup_trials: 10, n_ei_candidates: 24, multivariate: true }',
  metric: 'the objective: { name: val_accuracy, goal: maximize }, or a list of objectives (a multi-objective study: method nsga2, tpe, random or auto)',
  nsga2: 'NSGA-II settings (method nsga2): { population: 20, crossover_prob: 0.9, mutation_prob: 1/parameters }',
  pbt: 'population-based training (method pbt): { population: 8, perturbation_interval: 4, quantile_fraction: 0.25, resample_probability: 0.25, perturbation_factors: [0.8, 1.2], synch: false, checkpoint_dir: <beside the storage> }',
  run_cap: 'number of trials',
  parallelism: 'parallel slots (default one per core)',
  trainer: 'tfjs (default), module or command',
  module: 'trainer module: the JavaScript file exporting train(), relative to the spec',
  early_terminate: 'stop rule or pruner: patience, median, successive_halving or hyperband, e.g. { type: median, n_startup_trials: 5 }',
  stages: 'coarse-to-fine stages: [{ trials: 30 }, { trials: 20, top_k: 5, margin: 0.25 }]',
  pool: 'slot kind: auto, thread or process',
  max_trials_per_worker: 'recycle a worker after this many trials',
  max_rss_mb: 'recycle a worker whose resident memory passes this many MiB',
  trial_timeout: 'seconds a trial may run before it is stopped',
  max_retries: 'times an interrupted or crashed trial is run again',
  devices: 'GPU device numbers, one slot per device',
  diagnose: 'settings of the verdicts, e.g. { target_accuracy: 0.95 }',
  command: 'trainer: command — the training script and its arguments, e.g. ["python3", "train.py", "${args}"]',
  program: "a sweep file's program: the script ${program} stands for",
  cwd: "the command's working directory, relative to the spec",
  stop_grace: 'seconds between SIGTERM and SIGKILL when a command trial is stopped (default 10)',
  artifacts: "files a command trial leaves under its cwd to keep with it, e.g. ckpt/trial-${trial}/*",
  keep_models: 'which trials keep their trained model: top_k (default, 5), a number k, all or none',
  description: "a sweep file's description (ignored)",
  project: "a sweep file's project (ignored)",
  entity: "a sweep file's entity (ignored)",
};

function knobSchema(knob: Knob): z.ZodType {
  let s: z.ZodType;
  switch (knob.kind) {
    case 'boolean':
      s = z.boolean();
      break;
    case 'enum':
      s = z.enum((knob.values ?? []) as [string, ...string[]]);
      break;
    case 'int_list':
      s = z.array(z.int().min(1));
      break;
    default: {
      let n = knob.kind === 'int' ? z.int() : z.number();
      if (knob.min !== undefined) n = knob.exclusiveMin === true ? n.gt(knob.min) : n.gte(knob.min);
      if (knob.max !== undefined) n = knob.exclusiveMax === true ? n.lt(knob.max) : n.lte(knob.max);
      s = n;
    }
  }
  return s.nullish().meta({ description: knob.doc, default: knob.default });
}

const paramValue = z.union([z.number(), z.string(), z.boolean()]);

const when = whenSchema.nullish();
const parameterSchema = z
  .union([
    z.strictObject({ value: paramValue, distribution: z.literal('constant').nullish(), when }),
    z.strictObject({
      values: z.array(paramValue).min(1),
      probabilities: z.array(z.number().min(0)).nullish(),
      distribution: z.literal('categorical').nullish(),
      when,
    }),
    z.strictObject({ ...numericSchema.shape, when }),
  ])
  .describe('value: x | values: [a, b, …] | min, max with a distribution (log_uniform_values for α, one_minus_log_uniform_values for β)');

const dataSchema = z
  .union(Object.entries(DATA_SCHEMAS).map(([source, s]) => s.extend({ source: z.literal(source) })))
  .describe('csv (path, label), mnist (samples) or synthetic (kind: spirals | blobs)');

function topShape(): Record<string, z.ZodType> {
  return Object.fromEntries(Object.entries(TOP_SCHEMAS).map(([k, s]) => [k, s.describe(TOP_DOCS[k as keyof typeof TOP_SCHEMAS])]));
}

/** The keys of trainer: command, refused (as parseSpec refuses them) with the other trainers. */
const COMMAND_KEYS = ['command', 'program', 'cwd', 'stop_grace', 'artifacts'] as const;
const noCommand = Object.fromEntries(COMMAND_KEYS.map((k) => [k, z.never().optional()]));

/** The whole spec: a tfjs-trainer spec (train: the known knobs) or a module-trainer spec (train: free). */
export function specSchema(): z.ZodType {
  const entries = Object.entries(TRAIN_KNOBS) as [string, Knob][];
  const knobs = Object.fromEntries(entries.filter(([k]) => !k.startsWith(AUGMENT_PREFIX)).map(([k, knob]) => [k, knobSchema(knob)]));
  const augment = entries.filter(([k]) => k.startsWith(AUGMENT_PREFIX)).map(([k, knob]) => [k.slice(AUGMENT_PREFIX.length), knobSchema(knob)]);
  knobs['augment'] = z
    .strictObject(Object.fromEntries(augment))
    .nullish()
    .describe('image data: random changes to each training mini-batch, e.g. { shift: 2, rotate: 10 }; each key is searchable as augment.<key>');
  // `model` may also name a user model's module (train.model: ./model.js).
  knobs['model'] = z.union([knobSchema(TRAIN_KNOBS.model), z.string().regex(/\.[cm]?js$|[/\\]/).describe('a JavaScript module exporting build(params, tf), relative to the spec')]);
  const parameters = z.record(z.string(), parameterSchema).nullish().describe('searched parameters: each trial draws one value of each');
  const initFrom = initFromSchema.nullish().describe('warm start from a kept model: { trial: 3, freeze: 1, study: other-study }');
  const tfjs = z.strictObject({
    ...topShape(),
    ...noCommand,
    trainer: z.literal('tfjs').nullish().describe(TOP_DOCS.trainer),
    module: z.never().optional(),
    data: dataSchema,
    train: z.strictObject({ ...knobs, init_from: initFrom }).nullish().describe('fixed training settings; any may be searched under parameters: instead'),
    parameters,
  });
  const freeTrain = z.record(z.string(), z.union([paramValue, z.array(z.number())])).nullish();
  const module = z.strictObject({
    ...topShape(),
    ...noCommand,
    trainer: z.literal('module').describe(TOP_DOCS.trainer),
    module: z.string().min(1).describe(TOP_DOCS.module),
    data: dataSchema.nullish(),
    train: freeTrain.describe('fixed settings passed to the module'),
    parameters,
  });
  // trainer: command, written or implied by a sweep file's command: or program: (one of them is needed).
  const command = (needs: 'command' | 'program'): z.ZodType =>
    z.strictObject({
      ...topShape(),
      trainer: z.literal('command').nullish().describe(TOP_DOCS.trainer),
      module: z.never().optional(),
      [needs]: TOP_SCHEMAS[needs].unwrap().unwrap().describe(TOP_DOCS[needs]),
      data: dataSchema.nullish(),
      train: freeTrain.describe('fixed settings passed to the script with the drawn parameters'),
      parameters,
    });
  return z.union([tfjs, module, command('command'), command('program')]).meta({ title: 'hpsearch search spec' });
}

/** The JSON Schema text the package ships (stable: regenerated by `npm run schema`). */
export function specJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(specSchema(), { target: 'draft-2020-12', unrepresentable: 'any', reused: 'ref' });
}
