/** Small networks with chosen weights and batch-norm statistics, for the kept-model tests (no training). */
import type { DataSpec, SettingValue } from '../../../src/core/spec.js';
import type { TrainResult, TrialTask } from '../../../src/core/trainer.js';
import { loadData } from '../../../src/train/data/index.js';
import type { PreparedData } from '../../../src/train/data/types.js';
import { Session } from '../../../src/train/loop/session.js';
import { buildNetwork, type Network } from '../../../src/train/model/network.js';
import { resolveSettings } from '../../../src/train/settings.js';
import { tf } from '../../../src/train/tf.js';
import { dataSpec, task, useBackend } from '../helpers.js';

/** `n` values spread over [-1, 1] from `seed` (a fixed sequence: every test sees the same numbers). */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (s / 2147483648) * 2 - 1;
  }
  return out;
}

export interface Fixture {
  task: TrialTask;
  net: Network;
  session: Session;
  data: PreparedData;
  /** The session's starting state: weights by layout index, moving mean and variance by block. */
  weights: Float32Array[];
  movingMean: Float32Array[];
  movingVar: Float32Array[];
}

/**
 * A session whose weights are fixed numbers, and whose batch-norm moving means (around 0.5)
 * and variances (2 to 4) differ from each other and from the initial 0 and 1, so a swap shows.
 */
export async function fixture(train: Record<string, SettingValue>, data: DataSpec = dataSpec({ points: 60 })): Promise<Fixture> {
  await useBackend('cpu');
  const t = task({ backend: 'cpu', ...train }, { data });
  const settings = resolveSettings(t);
  const prepared = loadData(data);
  const net = buildNetwork(settings, prepared);
  const weights = net.layout.entries.map((e, i) => values(e.shape.reduce((a, b) => a * b, 1), 11 + i));
  const movingMean = net.bnChannels.map((c, i) => values(c, 101 + i).map((v) => 0.5 + v / 4));
  const movingVar = net.bnChannels.map((c, i) => values(c, 201 + i).map((v) => 3 + v));
  const session = new Session(net, settings, 7, {
    warm: { initial: { weights, movingMean, movingVar }, frozen: { weights: new Set(), stats: new Set() } },
  });
  return { task: t, net, session, data: prepared, weights, movingMean, movingVar };
}

/** The session's softmax outputs for the test split, row by row (what the trainer evaluates). */
export function sessionProbabilities(f: Fixture): number[][] {
  const { x, n } = f.data.test;
  const probs = tf.tidy(() => tf.softmax(f.session.forward(f.session.input(x, n))).arraySync() as number[][]);
  return probs;
}

/** A finished trial's result with the given attrs. */
export function result(attrs: TrainResult['attrs'] = {}, extra: Partial<TrainResult> = {}): TrainResult {
  return { metrics: {}, attrs, ...extra };
}
