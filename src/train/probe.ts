/**
 * Looks inside a trial's network without training it as a trial: its loss and hand-written
 * gradients at given weights, and a short full-batch fit of a few examples. Preflight checks
 * and the gradient check (diagnose/) are built on these.
 */
import type { TrialTask } from '../core/trainer.js';
import { resolveBackend, type ResolvedBackend } from './backend.js';
import { loadData, type Dataset, type PreparedData } from './data/index.js';
import { oneHot } from './loop/batches.js';
import { Session } from './loop/session.js';
import { initialWeights } from './model/init.js';
import { softmaxHead } from './model/loss.js';
import { buildNetwork, type Network } from './model/network.js';
import { backward, forwardTrain } from './model/passes.js';
import { deriveSeed, Rng } from './random.js';
import { resolveSettings, type TrainSettings } from './settings.js';
import { tf } from './tf.js';
import type { Tensor } from './tf.js';

/** A batch of examples as the network takes them. */
export interface Batch {
  x: Float32Array;
  y: Int32Array;
  rows: number;
}

/** The first `rows` examples of a split. */
export function headOf(data: Dataset, features: number, rows: number): Batch {
  const n = Math.min(rows, data.n);
  return { x: data.x.subarray(0, n * features), y: data.y.subarray(0, n), rows: n };
}

export class Probe {
  private constructor(
    readonly settings: TrainSettings,
    readonly data: PreparedData,
    readonly net: Network,
    readonly backend: ResolvedBackend,
    private readonly seed: number,
  ) {}

  /** Resolves the backend, loads the data and builds the network of a task. */
  static async open(task: TrialTask): Promise<Probe> {
    if (task.data === null) throw new Error('trainer tfjs needs a data: section in the spec');
    const settings = resolveSettings(task);
    const backend = await resolveBackend(settings.backend);
    const data = loadData(task.data);
    return new Probe(settings, data, buildNetwork(settings, data), backend, task.seed);
  }

  /** The weights a trial with this seed starts from, in layout order. */
  initialWeights(): Float32Array[] {
    const { init, init_scale } = this.settings;
    return initialWeights(this.net.layout, init, init_scale, new Rng(deriveSeed(this.seed, 'init')));
  }

  /** Indices of the weight tensors L1/L2 penalise (kernels). */
  private penalised(): number[] {
    return this.net.layout.entries.flatMap((e, i) => (e.role === 'kernel' ? [i] : []));
  }

  private tensors(weights: readonly Float32Array[]): Tensor[] {
    return weights.map((w, i) => tf.tensor(w, this.net.layout.entries[i]!.shape));
  }

  /** λ₂Σw² + λ₁Σ|w| over the kernels (the given coefficients, default the trial's). */
  private penalty(p: Tensor[], l1: number, l2: number): Tensor {
    let total: Tensor = tf.scalar(0);
    for (const i of this.penalised()) {
      if (l2 > 0) total = tf.add(total, tf.mul(tf.sum(tf.square(p[i]!)), l2));
      if (l1 > 0) total = tf.add(total, tf.mul(tf.sum(tf.abs(p[i]!)), l1));
    }
    return total;
  }

  /**
   * The mean cross-entropy of a batch at `weights`, in training mode without dropout (batch
   * norm uses the batch's statistics), plus the L1/L2 penalty when `penalties` is given.
   */
  loss(weights: readonly Float32Array[], batch: Batch, penalties?: { l1: number; l2: number }): number {
    const value = tf.tidy(() => {
      const p = this.tensors(weights);
      const x = tf.tensor(batch.x, [batch.rows, ...this.net.inputShape]);
      const logits = forwardTrain(this.net, p, x, this.net.blocks.map(() => null)).logits;
      const y = tf.tensor2d(oneHot(batch.y, this.net.classes), [batch.rows, this.net.classes]);
      const ce = tf.mean(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1)));
      return penalties === undefined ? ce : tf.add(ce, this.penalty(p, penalties.l1, penalties.l2));
    });
    const out = value.dataSync()[0]!;
    value.dispose();
    return out;
  }

  /**
   * The hand-written backward pass's gradient of {@link loss} (penalties included when
   * given), per weight tensor.
   */
  gradients(weights: readonly Float32Array[], batch: Batch, penalties?: { l1: number; l2: number }): Float32Array[] {
    const grads = tf.tidy(() => {
      const p = this.tensors(weights);
      const x = tf.tensor(batch.x, [batch.rows, ...this.net.inputShape]);
      const pass = forwardTrain(this.net, p, x, this.net.blocks.map(() => null));
      const y = tf.tensor2d(oneHot(batch.y, this.net.classes), [batch.rows, this.net.classes]);
      const g = backward(this.net, p, pass, softmaxHead(pass.logits, y).dLogits);
      if (penalties !== undefined) {
        for (const i of this.penalised()) {
          if (penalties.l2 > 0) g[i] = tf.add(g[i]!, tf.mul(p[i]!, 2 * penalties.l2));
          if (penalties.l1 > 0) g[i] = tf.add(g[i]!, tf.mul(tf.sign(p[i]!), penalties.l1));
        }
      }
      return g;
    });
    const out = grads.map((t) => t.dataSync().slice() as Float32Array);
    for (const t of grads) t.dispose();
    return out;
  }

  /**
   * Fits `batch` with full-batch steps of the trial's optimiser at its learning rate (or the
   * given one), with
   * dropout and penalties off, until training accuracy reaches `target` or `maxSteps` pass.
   * `trainLabels` may differ from the batch's labels (to simulate a loss that ignores them).
   */
  overfit(
    batch: Batch,
    options: { maxSteps: number; target: number; trainLabels?: Int32Array; optimizer?: Pick<TrainSettings, 'optimizer' | 'learning_rate'> },
  ): { steps: number; accuracy: number } {
    const settings: TrainSettings = { ...this.settings, ...options.optimizer, dropout: 0, keep_prob: null, dropoutRate: 0, l1: 0, l2: 0 };
    const net = buildNetwork(settings, this.data);
    const session = new Session(net, settings, this.seed);
    const trainY = oneHot(options.trainLabels ?? batch.y, net.classes);
    let accuracy = 0;
    let steps = 0;
    try {
      while (steps < options.maxSteps) {
        const out = session.step(batch.x, trainY, batch.rows, settings.learning_rate, false);
        steps += 1;
        const predicted = out.predicted.dataSync();
        out.pTrue.dispose();
        out.predicted.dispose();
        out.updateRatio?.dispose();
        // The prediction is made before this step's update: it measures the previous weights.
        let correct = 0;
        for (let i = 0; i < batch.rows; i++) if (predicted[i] === batch.y[i]) correct += 1;
        accuracy = correct / batch.rows;
        if (accuracy >= options.target) break;
      }
    } finally {
      session.dispose();
    }
    return { steps, accuracy };
  }
}
