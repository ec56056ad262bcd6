/** Builders shared by the store tests. */
import type { Distribution } from '../../src/core/distributions.js';
import type { Direction } from '../../src/core/types.js';
import type { NewStudy, NewTrial, Storage, StudyRecord } from '../../src/store/storage.js';

export function newStudy(name: string, direction: Direction = 'minimize'): NewStudy {
  return {
    name,
    specText: `name: ${name}\n`,
    specHash: `hash-${name}`,
    specJson: JSON.stringify({ name }),
    direction,
    metric: direction === 'minimize' ? 'val_loss' : 'val_accuracy',
    seed: 7,
  };
}

export const DISTRIBUTIONS: Record<string, Distribution> = {
  learning_rate: { type: 'log_uniform_values', min: 1e-5, max: 0.1 },
  beta1: { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 },
  hidden_units: { type: 'int_uniform', min: 16, max: 512, grid_points: 4 },
  step: { type: 'q_uniform', min: 0, max: 1, q: 0.25 },
  optimizer: { type: 'categorical', values: ['sgd', 'adam'], probabilities: [0.25, 0.75] },
  use_bias: { type: 'categorical', values: [true, false] },
  epochs: { type: 'constant', value: 30 },
};

/** A trial with one parameter of every kind. */
export function newTrial(number: number): NewTrial {
  return {
    params: {
      learning_rate: 10 ** -(1 + number),
      beta1: 0.99,
      hidden_units: 64 + number,
      step: 0.25,
      optimizer: 'adam',
      use_bias: number % 2 === 0,
      epochs: 30,
    },
    distributions: structuredClone(DISTRIBUTIONS),
    seed: 1000 + number,
    attrs: { stage: 1, note: { nested: [1, 'two', null, true] } },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export type Open = () => Promise<Storage>;
/** Registers one test that gets a fresh storage, closed afterwards. */
export type StorageTest = (title: string, fn: (s: Storage) => Promise<void>) => void;

export const PAST = '1970-01-01T00:00:00.000Z';
export const FUTURE = '9999-12-31T23:59:59.999Z';

export async function withStorage(open: Open, fn: (s: Storage) => Promise<void>): Promise<void> {
  const storage = await open();
  try {
    await fn(storage);
  } finally {
    await storage.close();
  }
}

/** A study with `n` running trials owned by `worker`. */
export async function studyWithTrials(s: Storage, n: number, name = 'st', worker = 'w1'): Promise<StudyRecord> {
  const study = await s.createStudy(newStudy(name));
  for (let i = 0; i < n; i++) await s.createTrial(study.id, { cap: null, worker, build: newTrial });
  return study;
}

export const claimOpts = { worker: 'w2', staleBefore: null, orphanOwners: [], maxAttempts: null };
