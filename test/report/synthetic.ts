/** A synthetic study with every state and curve shape the report draws, as storage rows or as ReportInput. */
import type { Distribution } from '../../src/core/distributions.js';
import type { EpochRecord, FrozenTrial, TrialState } from '../../src/core/types.js';
import type { ReportInput } from '../../src/report/index.js';
import type { Storage } from '../../src/store/storage.js';

export const DISTRIBUTIONS: Record<string, Distribution> = {
  learning_rate: { type: 'log_uniform_values', min: 1e-4, max: 1 },
  beta1: { type: 'one_minus_log_uniform_values', min: 0.8, max: 0.999 },
  hidden_units: { type: 'int_uniform', min: 8, max: 256 },
  optimizer: { type: 'categorical', values: ['sgd', 'adam'] },
  epochs: { type: 'constant', value: 20 },
};

/** A deterministic value in [0, 1) from (i, k). */
function u(i: number, k: number): number {
  const x = Math.sin(i * 12.9898 + k * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

export interface SyntheticTrial {
  number: number;
  state: TrialState;
  params: FrozenTrial['params'];
  epochs: EpochRecord[];
  value: number | null;
  error: string | null;
  stage: number;
}

/** Trial i: lr near 0.01 is best; every 11th diverges, every 13th is pruned, every 17th fails. */
export function syntheticTrial(i: number, epochs = 20, stages = 2, trials = 40): SyntheticTrial {
  const lr = 10 ** (-4 + 4 * u(i, 1));
  const beta1 = 1 - 10 ** (-0.7 - 2.3 * u(i, 2));
  const quality = Math.exp(-((Math.log10(lr) + 2) ** 2));
  const state: TrialState = i % 17 === 5 ? 'failed' : i % 11 === 3 ? 'diverged' : i % 13 === 7 ? 'pruned' : 'complete';
  const length = state === 'failed' ? 0 : state === 'pruned' ? Math.ceil(epochs / 3) : state === 'diverged' ? 4 : epochs;
  const overfits = i % 5 === 0;
  const curve: EpochRecord[] = Array.from({ length }, (_, e) => {
    const progress = 1 - Math.exp(-(e + 1) * (0.1 + 0.3 * quality));
    const trainLoss = state === 'diverged' && e === length - 1 ? Number.NaN : 1.6 - 1.4 * progress * quality + 0.02 * u(i, e + 10);
    const rise = overfits && e > epochs / 2 ? 0.04 * (e - epochs / 2) : 0;
    const valLoss = trainLoss + 0.05 + rise;
    return {
      epoch: e,
      metrics: {
        train_loss: trainLoss,
        val_loss: valLoss,
        train_accuracy: 0.2 + 0.78 * progress * quality,
        val_accuracy: 0.2 + 0.74 * progress * quality - rise / 4,
        lr,
        seconds: 0.5,
      },
    };
  });
  const last = curve.at(-1)?.metrics['val_accuracy'];
  return {
    number: i,
    state,
    params: { learning_rate: lr, beta1, hidden_units: 8 + Math.floor(248 * u(i, 3)), optimizer: u(i, 4) < 0.5 ? 'sgd' : 'adam', epochs: 20 },
    epochs: curve,
    value: state === 'failed' || state === 'diverged' ? null : (last ?? null),
    error: state === 'failed' ? 'Error: out of memory (synthetic)' : state === 'diverged' ? 'train_loss is NaN: the training diverged' : state === 'pruned' ? 'pruned by median rule at epoch 7' : null,
    stage: Math.min(stages - 1, Math.floor((i * stages) / trials)),
  };
}

/** Two hidden layers' activation histograms, as the tfjs trainer stores them. */
export const HISTOGRAMS = [1, 2].map((layer) => ({
  layer, activation: 'relu', edges: Array.from({ length: 21 }, (_, i) => i / 10), first: Array.from({ length: 20 }, (_, i) => 20 - i), last: Array.from({ length: 20 }, (_, i) => i), firstEpoch: 0, lastEpoch: 19,
}));

export const STUDY = { name: 'synthetic', direction: 'maximize', metric: 'val_accuracy', seed: 1 } as const;

/** The study as the report reads it, without storage (for large studies). */
export function syntheticInput(trials: number, epochs = 20): ReportInput {
  const made = Array.from({ length: trials }, (_, i) => syntheticTrial(i, epochs, 2, trials));
  return {
    study: { ...STUDY, attrs: {}, specJson: '{}' },
    trials: made.map((t) => ({
      studyId: 1, number: t.number, state: t.state, params: t.params, distributions: DISTRIBUTIONS, value: t.value, seed: t.number,
      attempt: 1, started: null, finished: null, heartbeat: null, worker: null, error: t.error, attrs: { stage: t.stage, layer_histograms: HISTOGRAMS },
    })),
    curves: new Map(made.map((t) => [t.number, t.epochs])),
  };
}

/** Writes `trials` synthetic trials into `storage` through its public interface. */
export async function writeSyntheticStudy(storage: Storage, trials: number): Promise<void> {
  const study = await storage.createStudy({ ...STUDY, specText: 'name: synthetic\n', specHash: 'h', specJson: '{}' });
  for (let i = 0; i < trials; i++) {
    const t = syntheticTrial(i, 20, 2, trials);
    await storage.createTrial(study.id, { cap: null, worker: 'w', build: () => ({ params: t.params, distributions: DISTRIBUTIONS, seed: i, attrs: { stage: t.stage, layer_histograms: HISTOGRAMS } }) });
    if (t.epochs.length > 0) await storage.appendEpochs(study.id, i, t.epochs);
    const state = t.state === 'complete' || t.state === 'pruned' || t.state === 'diverged' || t.state === 'failed' ? t.state : 'failed';
    await storage.finishTrial(study.id, i, { state, value: t.value, error: t.error });
  }
}

/** The synthetic study as a two-objective one: val_accuracy (maximize) against a parameter count (minimize) that accuracy costs. */
export function multiObjectiveInput(trials: number, epochs = 20): ReportInput {
  const base = syntheticInput(trials, epochs);
  const objectives = [{ name: 'val_accuracy', goal: 'maximize' }, { name: 'params', goal: 'minimize' }];
  return {
    ...base,
    study: { ...base.study, attrs: { objectives } },
    trials: base.trials.map((t) => (t.value === null ? t : { ...t, attrs: { ...t.attrs, values: [t.value, Math.round(20_000 * t.value ** 3 + 30 * (t.params['hidden_units'] as number))] } })),
  };
}
