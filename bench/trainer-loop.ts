/**
 * The trainer's own training loop for the wasm bench sections: settings resolved as for a
 * trial, the trainer's network, Session (dense/conv passes, optimizer, loss) and runEpoch
 * (the epoch's permutation and mini-batches), on a fixed random dataset. Nothing here trains
 * by another path. With `valRows`, an epoch is all that a trial's epoch does (sessionEpochs:
 * the steps, then the validation split, the training subset and layer health); without, the
 * steps alone.
 */
import type { SettingValue } from '../src/core/spec.js';
import { resolveBackend } from '../src/train/backend.js';
import type { Dataset, PreparedData } from '../src/train/data/types.js';
import { runEpoch } from '../src/train/loop/epoch.js';
import { sessionEpochs } from '../src/train/loop/run.js';
import { Session } from '../src/train/loop/session.js';
import { buildNetwork } from '../src/train/model/network.js';
import { Rng } from '../src/train/random.js';
import { resolveSettings } from '../src/train/settings.js';
import { median } from './timing.js';

/** What to train: the trial's settings (`train:` keys) and the data's shape. */
export interface LoopConfig {
  train: Record<string, SettingValue>;
  features: number;
  imageShape?: [number, number, number];
  classes: number;
  /** Training rows per epoch. */
  rows: number;
  /** Validation rows: each epoch then also does a trial's evaluation and layer health. */
  valRows?: number;
}

/** A trainer session on its dataset, timed an epoch at a time. */
export interface LoopRunner {
  /** Steps (mini-batches) in one epoch. */
  steps: number;
  /** One epoch through runEpoch; resolves with its CPU ms. */
  epoch(): Promise<number>;
  dispose(): void;
}

function randomRows(n: number, config: LoopConfig, rng: Rng): Dataset {
  const x = Float32Array.from({ length: n * config.features }, () => rng.uniform() * 2 - 1);
  const y = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * config.classes));
  return { x, y, n };
}

function randomData(config: LoopConfig, seed: number): PreparedData {
  const rng = new Rng(seed);
  const empty = { x: new Float32Array(0), y: new Int32Array(0), n: 0 };
  return {
    train: randomRows(config.rows, config, rng),
    val: randomRows(config.valRows ?? 0, config, rng),
    test: empty,
    features: config.features,
    imageShape: config.imageShape ?? null,
    classes: config.classes,
    classNames: Array.from({ length: config.classes }, (_, i) => String(i)),
  };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** A session of the trainer on wasm, or on blas (kernel fixes installed, as for a trial). */
export async function trainerLoop(
  config: LoopConfig,
  options: { allowFused?: boolean; backend?: 'wasm' | 'blas' } = {},
): Promise<LoopRunner> {
  const backend = options.backend ?? 'wasm';
  await resolveBackend(backend);
  const settings = resolveSettings({ train: { backend, ...config.train }, params: {} });
  const data = randomData(config, 1);
  const net = buildNetwork(settings, data);
  const session = new Session(net, settings, 7, options);
  const shuffle = new Rng(11);
  const lr = settings.learning_rate;
  const trial = config.valRows === undefined ? null : sessionEpochs(session, data, settings.batch_size, 7);
  const epoch = trial === null ? () => runEpoch(session, data, null, settings.batch_size, lr, shuffle, () => false) : () => trial.epoch(lr, () => false);
  return {
    steps: Math.ceil(config.rows / settings.batch_size),
    epoch: async () => {
      const start = cpuMs();
      await epoch();
      return cpuMs() - start;
    },
    dispose: () => {
      trial?.dispose();
      session.dispose();
    },
  };
}

/** Median CPU ms per step over `epochs` timed epochs (after `warmup` untimed ones). */
export async function msPerStep(runner: LoopRunner, epochs: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await runner.epoch();
  const times: number[] = [];
  for (let i = 0; i < epochs; i++) times.push((await runner.epoch()) / runner.steps);
  return median(times);
}
