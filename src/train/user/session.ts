/**
 * The tensors of a user-model trial: a training step through tf.variableGrads (the model in
 * training mode: dropout on, batch norm updating its moving statistics), the spec's optimiser
 * and L1/L2 penalty on the kernels, evaluation of a split in inference mode, and snapshots of
 * every weight for restore_best.
 */
import type { Dataset } from '../data/types.js';
import { oneHot } from '../loop/batches.js';
import { createOptimizer } from '../optim/optimizers.js';
import type { Optimizer, OptimizerState } from '../optim/optimizers.js';
import type { TrainSettings } from '../settings.js';
import { tf } from '../tf.js';
import type { tfl } from '../tf.js';
import type { Tensor } from '../tf.js';

/** Rows per forward pass when evaluating a split. */
const EVAL_CHUNK = 1000;
/** Probabilities are clipped to [ε, 1 − ε] before the log (as Keras' cross-entropy does). */
const PROB_EPSILON = 1e-7;

/** A split uploaded for evaluation: inputs and one-hot labels in chunks. */
export interface UserEvalSet {
  chunks: Array<{ x: Tensor; y: Tensor }>;
  n: number;
}

/** Per-row cross-entropy of probabilities `p` against one-hot `y`. */
function crossEntropy(p: Tensor, y: Tensor): Tensor {
  return tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, PROB_EPSILON, 1 - PROB_EPSILON))), -1));
}

/** Number of rows whose most probable class is the labelled one. */
function correctCount(p: Tensor, y: Tensor): Tensor {
  return tf.sum(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(y, -1)), 'float32'));
}

export class UserSession {
  private readonly optimizer: Optimizer;
  private readonly variables: tf.Variable[];
  private readonly kernels: number[];
  private readonly inputShape: number[];

  constructor(
    readonly model: tfl.LayersModel,
    private readonly settings: TrainSettings,
    private readonly classes: number,
  ) {
    this.variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.kernels = model.trainableWeights.flatMap((w, i) => (/kernel$/.test(w.originalName) ? [i] : []));
    this.optimizer = createOptimizer(settings, this.variables.map((v) => v.shape));
    this.inputShape = model.inputs[0]!.shape.slice(1).map((d) => d ?? 1);
  }

  get parameterCount(): number {
    return this.model.countParams();
  }

  private penalty(): Tensor {
    const { l1, l2 } = this.settings;
    let total: Tensor = tf.scalar(0);
    for (const i of this.kernels) {
      const w = this.variables[i]!;
      if (l2 > 0) total = tf.add(total, tf.mul(tf.sum(tf.square(w)), l2));
      if (l1 > 0) total = tf.add(total, tf.mul(tf.sum(tf.abs(w)), l1));
    }
    return total;
  }

  /**
   * One step on `rows` examples at learning rate `lr`. Returns (kept: dispose it) the batch's
   * [Σ loss, Σ correct, mean loss] as trained (penalty not included), plus, with `wantRatio`,
   * ‖Δw‖/‖w‖ of the first kernel.
   */
  step(x: Float32Array, labels: Float32Array, rows: number, lr: number, wantRatio: boolean): Tensor {
    return tf.tidy(() => {
      const xs = tf.tensor(x, [rows, ...this.inputShape]);
      const ys = tf.tensor2d(labels, [rows, this.classes]);
      let stats: Tensor | null = null;
      const { grads } = tf.variableGrads(() => {
        const p = this.model.apply(xs, { training: true }) as Tensor;
        const perRow = crossEntropy(p, ys);
        const sum = tf.sum(perRow);
        stats = tf.keep(tf.stack([sum, correctCount(p, ys), tf.div(sum, rows)]));
        return tf.add<tf.Scalar>(tf.div(sum, rows), this.penalty());
      }, this.variables);
      const kept = stats as unknown as Tensor;
      const before = this.variables.map((v) => v as Tensor);
      const next = this.optimizer.step(before, this.variables.map((v) => grads[v.name]!), lr);
      const k = this.kernels[0] ?? 0;
      const squares = (t: Tensor): Tensor => tf.sum(tf.square(t));
      const ratio = wantRatio && next.length > 0 ? tf.sqrt(tf.div(squares(tf.sub(next[k]!, before[k]!)), tf.maximum(squares(before[k]!), 1e-24))) : tf.scalar(0);
      const out = tf.concat([kept, tf.reshape(ratio, [1])]);
      kept.dispose();
      next.forEach((t, i) => this.variables[i]!.assign(t));
      return out;
    });
  }

  /** Uploads a split for evaluation (dispose with disposeUserEvalSet). */
  upload(data: Dataset): UserEvalSet {
    const f = this.inputShape.reduce((a, b) => a * b, 1);
    const chunks: UserEvalSet['chunks'] = [];
    for (let start = 0; start < data.n; start += EVAL_CHUNK) {
      const end = Math.min(data.n, start + EVAL_CHUNK);
      chunks.push({
        x: tf.tensor(data.x.subarray(start * f, end * f), [end - start, ...this.inputShape]),
        y: tf.tensor2d(oneHot(data.y.subarray(start, end), this.classes), [end - start, this.classes]),
      });
    }
    return { chunks, n: data.n };
  }

  /** [Σ loss, Σ correct] over an uploaded split in inference mode, left on the device. */
  evaluate(set: UserEvalSet): Tensor {
    return tf.tidy(() => {
      let loss: Tensor = tf.scalar(0);
      let correct: Tensor = tf.scalar(0);
      for (const { x, y } of set.chunks) {
        const p = this.model.apply(x, { training: false }) as Tensor;
        loss = tf.add(loss, tf.sum(crossEntropy(p, y)));
        correct = tf.add(correct, correctCount(p, y));
      }
      return tf.stack([loss, correct]);
    });
  }

  /** A copy of every weight (trainable and moving statistics); dispose each. */
  snapshot(): Tensor[] {
    return this.model.weights.map((w) => tf.clone(w.read()));
  }

  /** Puts back the weights of a snapshot (which stays valid). */
  restore(weights: Tensor[]): void {
    this.model.setWeights(weights);
  }

  /** Every weight's values, trainable and moving statistics, in the model's order (a pbt checkpoint's). */
  weightValues(): Float32Array[] {
    return this.model.weights.map((w) => w.read().dataSync() as Float32Array);
  }

  /** Every weight's shape, in the order of weightValues. */
  get weightShapes(): number[][] {
    return this.model.weights.map((w) => w.shape.map((d) => d ?? 1));
  }

  /** Puts back weight values in the order of weightValues (shapes already checked). */
  loadWeightValues(values: readonly Float32Array[]): void {
    const tensors = values.map((v, i) => tf.tensor(v, this.weightShapes[i]));
    this.model.setWeights(tensors);
    tf.dispose(tensors);
  }

  /** The optimiser's state (a pbt checkpoint's). */
  optimizerState(): OptimizerState {
    return this.optimizer.save();
  }

  /** Puts back an optimiser state saved over the same model with the same optimiser. */
  loadOptimizerState(state: OptimizerState): void {
    this.optimizer.load(state);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }
}

export function disposeUserEvalSet(set: UserEvalSet): void {
  for (const { x, y } of set.chunks) {
    x.dispose();
    y.dispose();
  }
}
