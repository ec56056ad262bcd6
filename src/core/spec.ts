import type { Distribution } from './distributions.js';
import type { Objective } from './pareto.js';
import type { Direction, ParamValue } from './types.js';

/** A validated search spec (see DESIGN.md, The spec). Produced by spec/, read by everything else. */
export interface Spec {
  name: string;
  /** Path of the study database, resolved against the working directory. */
  storage: string;
  seed: number;
  method: SearchMethod;
  /** The objective; in a multi-objective study, the first of `objectives`. */
  metric: { name: string; goal: Direction };
  /** `metric:` written as a list of two or more objectives (absent for one). */
  objectives?: Objective[];
  /** Trials to run; null means "the whole grid" (grid) or the stages' total (coarse-to-fine). */
  run_cap: number | null;
  /** Slots; null means the default (one per core). */
  parallelism: number | null;
  trainer: TrainerKind;
  /** Absolute path of the module trainer's file (trainer: module). */
  module: string | null;
  data: DataSpec | null;
  /** The training script of `trainer: command` (absent for the other trainers). */
  command?: CommandSpec;
  /** `train.init_from`: start from a kept trial's weights (absent: from the initialiser). */
  init_from?: InitFrom;
  /** `train.model: ./model.js`: absolute path of the user's TensorFlow.js model module (absent: mlp/cnn). */
  user_model?: string;
  /** Which complete trials keep their trained model (absent: the best 5). */
  keep_models?: KeepModels;
  /** Fixed training settings; any may be searched in `parameters` instead. */
  train: Record<string, SettingValue>;
  parameters: Record<string, Distribution>;
  /**
   * `when:` of conditional parameters: parameter → { categorical parent → values it applies
   * for }. A parameter whose condition fails is not drawn, stored or shown. Absent when no
   * parameter has one.
   */
  conditions?: Conditions;
  early_terminate: EarlyTerminate | null;
  /** Coarse-to-fine stages (method: coarse-to-fine). */
  stages: Stage[];
  /** TPE's settings, when method tpe or auto or a stage uses it (absent otherwise). */
  tpe?: TpeOptions;
  /** NSGA-II's settings (method nsga2, or auto choosing it; absent otherwise). */
  nsga2?: Nsga2Options;
  /** Population-based training's settings (method: pbt; absent otherwise). */
  pbt?: PbtOptions;
  pool: PoolSpec;
  diagnose: DiagnoseSpec;
  /** Where the spec came from. */
  source: SpecSource;
}

export type SearchMethod = 'random' | 'grid' | 'coarse-to-fine' | 'tpe' | 'gp' | 'nsga2' | 'auto' | 'pbt';
export const SEARCH_METHODS: readonly SearchMethod[] = ['random', 'grid', 'coarse-to-fine', 'tpe', 'gp', 'nsga2', 'auto', 'pbt'];
/** The methods that take several objectives. */
export const MULTI_OBJECTIVE_METHODS: readonly SearchMethod[] = ['random', 'tpe', 'nsga2', 'auto'];

export interface Nsga2Options {
  /** Trials per generation; the first generation is drawn at random. */
  population: number;
  /** Probability that a child's parameter comes from crossover rather than the first parent. */
  crossover_prob: number;
  /** Probability that a parameter of a child is mutated (null: 1 / number of parameters). */
  mutation_prob: number | null;
}

export const NSGA2_DEFAULTS: Readonly<Nsga2Options> = { population: 20, crossover_prob: 0.9, mutation_prob: null };

/** Population-based training (method: pbt): members train in segments and copy the best. */
export interface PbtOptions {
  population: number;
  /** Epochs of one segment: a member is judged (and may exploit) after each. */
  perturbation_interval: number;
  /** Share of the population in the bottom (copies) and top (copied) quantile. */
  quantile_fraction: number;
  /** Chance that explore redraws a parameter from its distribution instead of scaling it. */
  resample_probability: number;
  /** Factors explore multiplies a parameter by, in its own scale. */
  perturbation_factors: number[];
  /** Wait for the whole generation before judging (false: against the others' latest). */
  synch: boolean;
  /** Absolute folder of the checkpoints; null: beside the storage. */
  checkpoint_dir: string | null;
  /** Epochs each member trains in all (train.epochs, else 10). */
  epochs: number;
}

export const PBT_DEFAULTS: Readonly<Omit<PbtOptions, 'perturbation_factors' | 'epochs'>> & { perturbation_factors: readonly number[] } = {
  population: 8,
  perturbation_interval: 4,
  quantile_fraction: 0.25,
  resample_probability: 0.25,
  perturbation_factors: [0.8, 1.2],
  synch: false,
  checkpoint_dir: null,
};

export interface TpeOptions {
  /** Trials drawn at random before TPE takes over. */
  n_startup_trials: number;
  /** Draws from l(x) of which the best l/g is taken. */
  n_ei_candidates: number;
  /** Draw the parameters jointly rather than one at a time. */
  multivariate: boolean;
}

/** Optuna's defaults. */
export const TPE_DEFAULTS: Readonly<TpeOptions> = { n_startup_trials: 10, n_ei_candidates: 24, multivariate: true };

export type TrainerKind = 'tfjs' | 'module' | 'command';
export const TRAINER_KINDS: readonly TrainerKind[] = ['tfjs', 'module', 'command'];

export type Conditions = Record<string, Record<string, ParamValue[]>>;

/** A fixed setting: a scalar, or a list (e.g. `layers: [256, 128]`). */
export type SettingValue = ParamValue | number[];

/** A warm start: trial `trial` of `study` (null: this study), its first `freeze` layers frozen. */
export interface InitFrom {
  study: string | null;
  trial: number;
  freeze: number;
}

/** `keep_models:` top_k (the best `k` complete trials), all, or none. */
export interface KeepModels {
  mode: 'top_k' | 'all' | 'none';
  k: number;
}
export const DEFAULT_KEEP_MODELS: KeepModels = { mode: 'top_k', k: 5 };

/** `trainer: command`: a user's script, run once per trial (see train/command/). */
export interface CommandSpec {
  /** The command's words, macros (`${args}`, …) not yet expanded. */
  argv: string[];
  /** A sweep file's `program:` (what `${program}` expands to), as written. */
  program: string | null;
  /** Absolute working directory of the command (default: the spec's directory). */
  cwd: string;
  /** A path pattern under `cwd` (`${trial}`: the trial's number) of files a complete trial keeps. */
  artifacts: string | null;
  /** Seconds between SIGTERM and SIGKILL when a trial is stopped. */
  stop_grace: number;
}

export interface SpecSource {
  /** Absolute path of the spec file. */
  path: string;
  /** Its directory: relative paths in the spec resolve against it. */
  dir: string;
  text: string;
  /** sha256 of the canonical JSON of the validated spec (not of the text: comments don't count). */
  hash: string;
}

export interface Stage {
  trials: number;
  /** How many of the best finished trials so far bound the next stage's box (later stages). */
  top_k: number | null;
  /** Widening of the box, as a fraction of its width on each side. */
  margin: number;
  /** How the stage draws inside its ranges: random (the default, absent) or tpe. */
  method?: 'random' | 'tpe';
}

export type DataSource = 'csv' | 'mnist' | 'synthetic';
export type Preprocess = 'none' | 'center' | 'standardize' | 'per_channel';

export interface DataSpec {
  source: DataSource;
  /** csv: absolute path. */
  path: string | null;
  /** csv: label column name. */
  label: string | null;
  /** csv: whether the first row is a header (default true). */
  header: boolean;
  /** mnist: how many digits to use. */
  samples: number | null;
  /** synthetic: spirals or blobs. */
  kind: 'spirals' | 'blobs' | null;
  classes: number | null;
  points: number | null;
  noise: number | null;
  /** synthetic: feature dimension (blobs). */
  features: number | null;
  /** Seed of data generation and of the split (default: the study seed). */
  seed: number | null;
  split: { train: number; val: number; test: number };
  /** Absolute path of a file assigning each row to train/val/test, instead of `split`. */
  split_file: string | null;
  preprocess: Preprocess;
}

/** `early_terminate:`: early stopping (patience) or a pruning rule judged against the other trials. */
export type EarlyTerminate = PatienceTerminate | MedianTerminate | HalvingTerminate | HyperbandTerminate;
export type EarlyTerminateType = EarlyTerminate['type'];

interface TerminateCommon {
  /** The metric watched (patience: val_loss by default; pruners: the study's metric). */
  metric: string;
  restore_best: boolean;
}

export interface PatienceTerminate extends TerminateCommon {
  type: 'patience';
  patience: number;
  min_delta: number;
}

/** Optuna's MedianPruner. Steps are 0-based epoch indices. */
export interface MedianTerminate extends TerminateCommon {
  type: 'median';
  n_startup_trials: number;
  n_warmup_steps: number;
  interval_steps: number;
  n_min_trials: number;
  /** Trials still running (in this process's slots) join the population with their value at the epoch. */
  include_running: boolean;
}

/** Asynchronous successive halving (ASHA): rungs at min_resource · η^(rate + k) epochs. */
export interface HalvingTerminate extends TerminateCommon {
  type: 'successive_halving';
  min_resource: number;
  reduction_factor: number;
  min_early_stopping_rate: number;
}

/** Hyperband: successive-halving brackets with early-stopping rates 0 … brackets − 1. */
export interface HyperbandTerminate extends TerminateCommon {
  type: 'hyperband';
  min_resource: number;
  max_resource: number;
  reduction_factor: number;
  /** At most this many brackets (W&B's `s`); null: as many as fit between min and max. */
  brackets: number | null;
}

export interface PoolSpec {
  /** auto: threads for wasm/cpu/module, processes for native backends. */
  mode: 'auto' | 'thread' | 'process';
  max_trials_per_worker: number | null;
  max_rss_mb: number | null;
  /** Seconds. */
  trial_timeout: number | null;
  max_retries: number;
  devices: number[] | null;
}

export interface DiagnoseSpec {
  target_accuracy: number | null;
}
