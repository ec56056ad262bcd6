/**
 * method: pbt — a built-in network's checkpoint between segments: its weights, batch-norm
 * moving statistics, optimizer state (moments, step count) and the divergence reference.
 */
import type { JsonValue } from '../../core/types.js';
import { readCheckpoint, writeCheckpoint } from '../checkpoint.js';
import type { Session, WarmStart } from '../loop/session.js';
import { disposeSnapshot } from '../loop/session.js';
import type { OptimizerState } from '../optim/optimizers.js';
import type { Network } from '../model/network.js';
import type { TrainSettings } from '../settings.js';
import { checkCompatible, keptShapes } from './warm.js';

interface SegmentState {
  optimizer: string;
  steps: number;
  reference: number;
  counts: { weights: number; stats: number; slots: number };
}

/** What a segment starts from: the weights (as a warm start), the optimizer's state, the reference loss. */
export interface Resumed {
  warm: WarmStart;
  /** null when the optimizer changed (a perturbed categorical): it starts afresh. */
  optimizer: OptimizerState | null;
  reference: number;
}

export function readSegment(dir: string, net: Network, settings: TrainSettings): Resumed {
  const checkpoint = readCheckpoint(dir);
  const state = checkpoint.state as unknown as SegmentState;
  const tensors = checkpoint.tensors ?? [];
  const { weights: w, stats, slots } = state.counts;
  const weights = tensors.slice(0, w);
  const moving = tensors.slice(w, w + 2 * stats);
  checkCompatible(dir, [...weights, ...moving].map((t, i) => (i < w ? shapeLike(net, i, t) : [t.length])), net);
  return {
    warm: {
      initial: { weights, movingMean: moving.filter((_, i) => i % 2 === 0), movingVar: moving.filter((_, i) => i % 2 === 1) },
      frozen: { weights: new Set(), stats: new Set() },
    },
    optimizer: state.optimizer === settings.optimizer ? { steps: state.steps, slots: tensors.slice(w + 2 * stats, w + 2 * stats + slots) } : null,
    reference: state.reference,
  };
}

/** The layout's shape of weight i when its size matches (sizes are all a flat file records). */
function shapeLike(net: Network, i: number, t: Float32Array): number[] {
  const shape = keptShapes(net)[i] ?? [];
  return shape.reduce((a, b) => a * b, 1) === t.length ? shape : [t.length];
}

export function writeSegment(dir: string, epoch: number, session: Session, settings: TrainSettings, reference: number): void {
  const snapshot = session.snapshot();
  try {
    const read = (list: readonly { dataSync(): unknown }[]): Float32Array[] => list.map((t) => t.dataSync() as Float32Array);
    const weights = read(snapshot.weights);
    const mean = read(snapshot.movingMean);
    const variance = read(snapshot.movingVar);
    const moving = mean.flatMap((m, i) => [m, variance[i]!]);
    const optimizer = session.optimizerState();
    const state: SegmentState = {
      optimizer: settings.optimizer,
      steps: optimizer.steps,
      reference,
      counts: { weights: weights.length, stats: mean.length, slots: optimizer.slots.length },
    };
    writeCheckpoint(dir, { epoch, state: state as unknown as JsonValue, tensors: [...weights, ...moving, ...optimizer.slots] });
  } finally {
    disposeSnapshot(snapshot);
  }
}
