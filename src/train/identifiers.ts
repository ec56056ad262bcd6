/**
 * The names the built-in trainer understands. spec/ imports this file (names only) to
 * validate `train:` and `parameters:`; it must stay free of TensorFlow.js imports.
 */

export const BACKENDS = ['auto', 'tfjs-node-gpu', 'tfjs-node', 'blas', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const MODELS = ['mlp', 'cnn'] as const;
export const ACTIVATIONS = ['relu', 'leaky_relu', 'elu', 'tanh', 'sigmoid'] as const;
export const INITS = ['zeros', 'small_normal', 'xavier', 'he'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
export const MOMENTUM_FORMS = ['averaged', 'classic'] as const;
export const LR_SCHEDULES = ['none', 'step', 'exponential', 'inverse_time', 'inverse_sqrt', 'plateau'] as const;
export const FLIPS = ['none', 'horizontal'] as const;

/** `train.augment: { shift, … }` is written as one mapping; its knobs are named `augment.<key>`. */
export const AUGMENT_PREFIX = 'augment.';

export type KnobKind = 'int' | 'number' | 'boolean' | 'enum' | 'int_list';

export interface Knob {
  kind: KnobKind;
  /** For enum knobs. */
  values?: readonly string[];
  /** Inclusive bounds a value must respect. */
  min?: number;
  max?: number;
  /** Bounds that are exclusive (e.g. a probability strictly below 1). */
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  default: string | number | boolean | number[] | null;
  doc: string;
}

/** Every training knob: each may be fixed in `train:` or searched in `parameters:`. */
export const TRAIN_KNOBS = {
  backend: { kind: 'enum', values: BACKENDS, default: 'auto', doc: "TensorFlow.js backend; auto tries tfjs-node-gpu, tfjs-node, blas (wasm with the system's OpenBLAS for matrix products), wasm, cpu" },
  epochs: { kind: 'int', min: 1, default: 10, doc: 'training epochs' },
  batch_size: { kind: 'int', min: 1, default: 64, doc: 'mini-batch size' },
  model: { kind: 'enum', values: MODELS, default: 'mlp', doc: 'mlp, or cnn for image data' },
  hidden_layers: { kind: 'int', min: 0, default: 1, doc: 'mlp: number of hidden layers (with hidden_units)' },
  hidden_units: { kind: 'int', min: 1, default: 64, doc: 'mlp: units per hidden layer' },
  layers: { kind: 'int_list', default: null, doc: 'mlp: explicit hidden layer sizes, e.g. [256, 128] (overrides hidden_layers/hidden_units)' },
  filters: { kind: 'int_list', default: [8, 16], doc: 'cnn: filters of each conv → pool block' },
  kernel_size: { kind: 'int', min: 1, default: 3, doc: 'cnn: convolution kernel size' },
  activation: { kind: 'enum', values: ACTIVATIONS, default: 'relu', doc: 'hidden activation' },
  init: { kind: 'enum', values: INITS, default: 'he', doc: 'weight initialisation' },
  init_scale: { kind: 'number', min: 0, default: 0.01, doc: 'small_normal: standard deviation' },
  batch_norm: { kind: 'boolean', default: false, doc: 'batch normalisation after each linear part, before the activation' },
  dropout: { kind: 'number', min: 0, max: 1, exclusiveMax: true, default: 0, doc: 'inverted dropout rate (fraction dropped)' },
  keep_prob: { kind: 'number', min: 0, max: 1, exclusiveMin: true, default: null, doc: 'inverted dropout keep probability (1 − dropout)' },
  l2: { kind: 'number', min: 0, default: 0, doc: 'L2 penalty coefficient λ (adds λ·Σw²)' },
  l1: { kind: 'number', min: 0, default: 0, doc: 'L1 penalty coefficient (adds λ·Σ|w|)' },
  optimizer: { kind: 'enum', values: OPTIMIZERS, default: 'adam', doc: 'optimiser' },
  learning_rate: { kind: 'number', min: 0, exclusiveMin: true, default: 0.001, doc: 'learning rate α' },
  momentum: { kind: 'number', min: 0, max: 1, exclusiveMax: true, default: 0.9, doc: 'momentum/nesterov: β' },
  momentum_form: {
    kind: 'enum',
    values: MOMENTUM_FORMS,
    default: 'averaged',
    doc: 'momentum/nesterov: averaged v ← βv + (1−β)g (step α, independent of β) or classic v ← βv + g (step α/(1−β))',
  },
  rho: { kind: 'number', min: 0, max: 1, exclusiveMax: true, default: 0.9, doc: 'rmsprop: decay ρ' },
  epsilon: { kind: 'number', min: 0, exclusiveMin: true, default: 1e-7, doc: 'adam, rmsprop, adagrad: ε' },
  beta1: { kind: 'number', min: 0, max: 1, exclusiveMax: true, default: 0.9, doc: 'adam: β₁' },
  beta2: { kind: 'number', min: 0, max: 1, exclusiveMax: true, default: 0.999, doc: 'adam: β₂' },
  lr_schedule: { kind: 'enum', values: LR_SCHEDULES, default: 'none', doc: 'learning-rate decay' },
  lr_drop: { kind: 'number', min: 0, max: 1, exclusiveMin: true, default: 0.5, doc: 'step: factor applied every lr_every epochs' },
  lr_every: { kind: 'int', min: 1, default: 10, doc: 'step: epochs between drops' },
  lr_decay_rate: { kind: 'number', min: 0, max: 1, exclusiveMin: true, default: 0.95, doc: 'exponential: α₀·r^epoch' },
  lr_decay: { kind: 'number', min: 0, default: 0.1, doc: 'inverse_time: α₀/(1 + k·epoch)' },
  lr_patience: { kind: 'int', min: 1, default: 3, doc: 'plateau: epochs without val_loss improvement before halving α' },
  lr_factor: { kind: 'number', min: 0, max: 1, exclusiveMin: true, exclusiveMax: true, default: 0.5, doc: 'plateau: factor applied to α' },
  divergence_factor: { kind: 'number', min: 1, default: 10, doc: 'a training loss above this many times the initial loss diverges the trial' },
  'augment.shift': { kind: 'number', min: 0, default: 0, doc: 'image data: random shift of each training image, up to this many pixels along each axis' },
  'augment.rotate': { kind: 'number', min: 0, max: 180, default: 0, doc: 'image data: random rotation, up to this many degrees either way' },
  'augment.zoom': { kind: 'number', min: 0, max: 1, exclusiveMax: true, default: 0, doc: 'image data: random scale in [1 − zoom, 1 + zoom]' },
  'augment.flip': { kind: 'enum', values: FLIPS, default: 'none', doc: 'image data: horizontal mirrors half the training images at random' },
  'augment.noise': { kind: 'number', min: 0, default: 0, doc: "image data: standard deviation of Gaussian noise added to each pixel (in the data's own pixel units, before preprocessing)" },
  'augment.cutout': { kind: 'int', min: 0, default: 0, doc: 'image data: side in pixels of a square, placed at random, blanked to 0 in each training image' },
} as const satisfies Record<string, Knob>;

export type TrainKnobName = keyof typeof TRAIN_KNOBS;
export const TRAIN_KNOB_NAMES = Object.keys(TRAIN_KNOBS) as TrainKnobName[];

/** Metrics the built-in trainer reports per epoch (and test_* at the end): what `metric:` may name. */
export const REPORTED_METRICS = [
  'val_accuracy',
  'val_loss',
  'train_accuracy',
  'train_loss',
  'running_accuracy',
  'running_loss',
  'test_accuracy',
  'test_loss',
  'lr',
  'seconds',
  'samples_per_second',
  'update_ratio',
] as const;

/**
 * Figures the built-in trainer measures once, after training, among its final metrics (not
 * per epoch): an objective may name them, a pruner may not. `params`: trainable parameters;
 * `inference_ms`: one forward pass over INFERENCE_ROWS rows, in milliseconds.
 */
export const FINAL_METRICS = ['params', 'inference_ms'] as const;
export const INFERENCE_ROWS = 1000;

/** Numeric trial attributes the built-in trainer sets besides test_* (what `--require` may also read). */
export const REPORTED_ATTRS = ['epochs_trained', 'best_epoch'] as const;

/** The knobs of `train.augment`, each `augment.<key>` in TRAIN_KNOBS. */
export const AUGMENT_KEYS = ['shift', 'rotate', 'zoom', 'flip', 'noise', 'cutout'] as const;
export type AugmentKey = (typeof AUGMENT_KEYS)[number];

/** Settings that need image data (data source mnist). */
export const IMAGE_ONLY = { model: 'cnn', preprocess: 'per_channel' } as const;

/**
 * The macros of a `trainer: command` line, as sweep tools name them (plus `${envvar:NAME}`), and
 * method pbt's hand-off: `${checkpoint_dir}` (the segment's folder, the donor's copied in) and `${start_epoch}`.
 */
export const COMMAND_MACROS = ['args', 'args_no_hyphens', 'args_json', 'args_json_file', 'env', 'interpreter', 'program', 'checkpoint_dir', 'start_epoch'] as const;
export type CommandMacro = (typeof COMMAND_MACROS)[number];
/** The command of a sweep file that names only `program:`. */
export const DEFAULT_COMMAND = ['${env}', '${interpreter}', '${program}', '${args}'] as const;
/** What `${env}` and `${interpreter}` stand for. */
export const ENV_PROGRAM = '/usr/bin/env';
export const INTERPRETER = 'python3';
/** Matches each `${…}` of a command word; group 1 is what is inside. */
export const MACRO_PATTERN = /\$\{([^}]*)\}/g;
