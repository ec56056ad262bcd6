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

/** Rows of the monitoring batch (fewer when the training split is smaller). */
export const MONITOR_ROWS = 256;
/** |tanh| above this, or a sigmoid within this of 0 or 1 … (1 − 0.99). */
export const SATURATION_LEVEL = 0.99;

export interface LayerHealth {
  /** The metrics of this epoch (and remembers the kernels for the next update ratio). */
  measure(): Metrics;
  dispose(): void;
}

function activationsOf(cache: DenseCache | ConvCache): Tensor {
  return 'h' in cache ? cache.h : cache.a;
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

  return {
    measure(): Metrics {
      const p = [...session.currentWeights];
      const numbers = tf.tidy(() => {
        const pass = forwardTrain(net, p, x, net.blocks.map(() => null));
        const grads = backward(net, p, pass, softmaxHead(pass.logits, y).dLogits);
        return hidden.map(({ block, index }, k) => {
          const a = tf.reshape(activationsOf(pass.caches[index]!), [rows, -1]);
          const { mean, variance } = tf.moments(a);
          const w = p[block.kernel]!;
          const parts = [mean, tf.sqrt(variance), tf.norm(w), tf.norm(grads[block.kernel]!), tf.div(tf.norm(tf.sub(w, previous[k]!)), tf.maximum(tf.norm(previous[k]!), 1e-12))];
          if (block.activation === 'relu') parts.push(tf.mean(tf.cast(tf.lessEqual(tf.max(a, 0), 0), 'float32')));
          if (block.activation === 'tanh') parts.push(tf.mean(tf.cast(tf.greater(tf.abs(a), SATURATION_LEVEL), 'float32')));
          if (block.activation === 'sigmoid') {
            parts.push(tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(a, 0.5)), SATURATION_LEVEL - 0.5), 'float32')));
          }
          return tf.stack(parts.map((t) => tf.reshape(t, [])));
        });
      });
      const out: Metrics = {};
      hidden.forEach(({ block }, k) => {
        const v = numbers[k]!.dataSync();
        const name = `layer${k + 1}`;
        out[`${name}.act_mean`] = v[0]!;
        out[`${name}.act_std`] = v[1]!;
        out[`${name}.weight_norm`] = v[2]!;
        out[`${name}.grad_norm`] = v[3]!;
        out[`${name}.update_ratio`] = v[4]!;
        if (block.activation === 'relu') out[`${name}.dead_fraction`] = v[5]!;
        if (block.activation === 'tanh' || block.activation === 'sigmoid') out[`${name}.saturated_fraction`] = v[5]!;
        numbers[k]!.dispose();
      });
      for (const t of previous) t.dispose();
      previous = hidden.map(({ block }) => tf.keep(tf.clone(session.currentWeights[block.kernel]!)));
      return out;
    },
    dispose(): void {
      x.dispose();
      y.dispose();
      for (const t of previous) t.dispose();
    },
  };
}
