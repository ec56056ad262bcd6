/**
 * Layer health, measured once per epoch on a fixed monitoring batch (the first rows of the
 * training split), per hidden layer k (1-based), as extra epoch metrics `layer<k>.<name>`:
 *
 * - act_mean, act_std: of the layer's activations over the batch and its units;
 * - dead_fraction (relu): units never positive over the batch;
 * - saturated_fraction (tanh, sigmoid): activations in the flat tails (|tanh| > 0.99,
 *   sigmoid < 0.01 or > 0.99), where the gradient is < 2 % of its peak;
 * - weight_norm, grad_norm: ‖W‖ and ‖∂L/∂W‖ of the layer's kernel (gradient of the mean
 *   cross-entropy on the batch, without penalties and dropout);
 * - update_ratio: ‖W − W′‖/‖W′‖ with W′ the kernel at the previous measurement (so over
 *   one epoch; the initial weights before the first).
 *
 * It also keeps each layer's activation histogram at the first and the latest epoch (bins
 * spanning the first epoch's range; later values outside it fall in the end bins), which
 * the trainer stores as the trial attribute `layer_histograms`.
 */
import type { Metrics } from '../../core/types.js';
import type { Dataset } from '../data/types.js';
import type { DenseCache } from '../model/dense.js';
import type { ConvCache } from '../model/conv.js';
import { softmaxHead } from '../model/loss.js';
import { backward, forwardTrain } from '../model/passes.js';
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';
import { oneHot } from './batches.js';
import type { Session } from './session.js';
import type { LayerHistogram } from '../../core/layer-histogram.js';

/** Rows of the monitoring batch (fewer when the training split is smaller). */
export const MONITOR_ROWS = 256;
/** |tanh| above this, or a sigmoid within this of 0 or 1 … (1 − 0.99). */
export const SATURATION_LEVEL = 0.99;

/** Bins of an activation histogram. */
export const HISTOGRAM_BINS = 20;

export interface LayerHealth {
  /** The metrics of this epoch (and remembers the kernels for the next update ratio). */
  measure(): Metrics;
  /** Histograms of the first and latest measured epochs ([] before any). */
  histograms(): LayerHistogram[];
  dispose(): void;
}

function edgesOf(values: Float32Array): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (hi - lo < 1e-6) [lo, hi] = [lo - 0.5, hi + 0.5];
  return Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => lo + ((hi - lo) * i) / HISTOGRAM_BINS);
}

function countsOf(values: Float32Array, edges: number[]): number[] {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const lo = edges[0]!;
  const width = (edges[HISTOGRAM_BINS]! - lo) / HISTOGRAM_BINS;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor((v - lo) / width)));
    counts[bin]! += 1;
  }
  return counts;
}

function activationsOf(cache: DenseCache | ConvCache): Tensor {
  return 'h' in cache ? cache.h : cache.a;
}

/** ‖t‖ as √Σt² (tf.norm goes through pow, many times slower on wasm). */
function norm(t: Tensor): Tensor {
  return tf.sqrt(tf.sum(tf.square(t)));
}

/** Dead units (relu: never positive) or saturated activations (tanh, sigmoid) of `a`; null otherwise. */
function tailFraction(a: Tensor, activation: string | null): Tensor | null {
  const fraction = (mask: Tensor): Tensor => tf.mean(tf.cast(mask, 'float32'));
  if (activation === 'relu') return fraction(tf.lessEqual(tf.max(a, 0), 0));
  if (activation === 'tanh') return fraction(tf.greater(tf.abs(a), SATURATION_LEVEL));
  if (activation === 'sigmoid') return fraction(tf.greater(tf.abs(tf.sub(a, 0.5)), SATURATION_LEVEL - 0.5));
  return null;
}

/** Starts monitoring `session` on the first rows of `train`; call before the first epoch. */
export function monitorLayers(session: Session, train: Dataset): LayerHealth {
  const net = session.net;
  const rows = Math.min(MONITOR_ROWS, train.n);
  const features = net.inputShape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(train.x.subarray(0, rows * features), [rows, ...net.inputShape]);
  const y = tf.tensor2d(oneHot(train.y.subarray(0, rows), net.classes), [rows, net.classes]);
  const hidden = net.blocks.flatMap((b, i) => (b.activation === null ? [] : [{ block: b, index: i }]));
  let previous: Tensor[] = hidden.map(({ block }) => tf.keep(tf.clone(session.currentWeights[block.kernel]!)));
  const histograms: LayerHistogram[] = [];
  /** Per layer, the activations of the latest epoch after the first, not yet counted. */
  const latest: (Float32Array | undefined)[] = [];
  let epoch = 0;

  return {
    measure(): Metrics {
      const p = [...session.currentWeights];
      // Per layer: how many numbers (5, or 6 with a tail fraction) and activations it contributes.
      const counts: number[] = [];
      const sizes: number[] = [];
      // Every layer's numbers, then its activations, in one tensor read once.
      const all = tf.tidy(() => {
        const pass = forwardTrain(net, p, x, net.blocks.map(() => null));
        const grads = backward(net, p, pass, softmaxHead(pass.logits, y).dLogits);
        const numbers = hidden.map(({ block, index }, k) => {
          const a = tf.reshape(activationsOf(pass.caches[index]!), [rows, -1]);
          sizes.push(a.size);
          const { mean, variance } = tf.moments(a);
          const w = p[block.kernel]!;
          const parts = [mean, tf.sqrt(variance), norm(w), norm(grads[block.kernel]!), tf.div(norm(tf.sub(w, previous[k]!)), tf.maximum(norm(previous[k]!), 1e-12))];
          const tail = tailFraction(a, block.activation);
          if (tail !== null) parts.push(tail);
          counts.push(parts.length);
          return tf.stack(parts.map((t) => tf.reshape(t, [])));
        });
        return tf.concat([...numbers, ...hidden.map(({ index }) => tf.reshape(activationsOf(pass.caches[index]!), [-1]))]);
      });
      const values = all.dataSync() as Float32Array;
      all.dispose();
      const out: Metrics = {};
      let at = 0;
      hidden.forEach(({ block }, k) => {
        const v = values.subarray(at, (at += counts[k]!));
        const name = `layer${k + 1}`;
        out[`${name}.act_mean`] = v[0]!;
        out[`${name}.act_std`] = v[1]!;
        out[`${name}.weight_norm`] = v[2]!;
        out[`${name}.grad_norm`] = v[3]!;
        out[`${name}.update_ratio`] = v[4]!;
        if (v.length > 5) out[`${name}.${block.activation === 'relu' ? 'dead_fraction' : 'saturated_fraction'}`] = v[5]!;
      });
      hidden.forEach(({ block }, k) => {
        const activations = values.subarray(at, (at += sizes[k]!));
        const h = histograms[k];
        if (h === undefined) {
          const edges = edgesOf(activations);
          const counts = countsOf(activations, edges);
          histograms.push({ layer: k + 1, activation: block.activation ?? 'linear', edges, first: counts, last: counts, firstEpoch: epoch, lastEpoch: epoch });
        } else {
          // Counted when the histograms are read: only the latest epoch's are ever shown.
          latest[k] = activations.slice();
          h.lastEpoch = epoch;
        }
      });
      epoch++;
      for (const t of previous) t.dispose();
      previous = hidden.map(({ block }) => tf.keep(tf.clone(session.currentWeights[block.kernel]!)));
      return out;
    },
    histograms(): LayerHistogram[] {
      histograms.forEach((h, k) => {
        const pending = latest[k];
        if (pending !== undefined) h.last = countsOf(pending, h.edges);
        latest[k] = undefined;
      });
      return histograms.map((h) => ({ ...h, edges: [...h.edges], first: [...h.first], last: [...h.last] }));
    },
    dispose(): void {
      x.dispose();
      y.dispose();
      for (const t of previous) t.dispose();
    },
  };
}
