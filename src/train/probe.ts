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
import { forwardFrozen, freezeKinks, kinkPattern, type FrozenKinks } from './model/kinks.js';
import { addPenaltyGradients, penalisedTensors, penaltyValue, type Penalties } from './model/penalty.js';
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

/** The loss on one smooth piece (see Probe.smoothPiece); dispose when done. */
export interface SmoothPiece {
  loss(weights: readonly Float32Array[]): number;
  crossings(weights: readonly Float32Array[]): number;
  dispose(): void;
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

  private tensors(weights: readonly Float32Array[]): Tensor[] {
    return weights.map((w, i) => tf.tensor(w, this.net.layout.entries[i]!.shape));
  }

  /**
   * The mean cross-entropy of a batch at `weights`, in training mode without dropout (batch
   * norm uses the batch's statistics), plus the L1/L2 penalty when `penalties` is given.
   */
  loss(weights: readonly Float32Array[], batch: Batch, penalties?: Penalties): number {
    const value = tf.tidy(() => {
      const p = this.tensors(weights);
      const logits = forwardTrain(this.net, p, this.input(batch), this.net.blocks.map(() => null)).logits;
      return this.objective(p, logits, batch, penalties);
    });
    const out = value.dataSync()[0]!;
    value.dispose();
    return out;
  }

  /**
   * {@link loss} on the smooth piece through `at`: ReLU slopes, max-pool argmaxes and (with
   * L1) weight signs frozen as they are at `at` (see model/kinks.ts). Also counts, for any
   * weights, how many of those kinks the real loss has crossed on the way from `at`.
   */
  smoothPiece(at: readonly Float32Array[], batch: Batch, penalties?: Penalties): SmoothPiece {
    const x = this.input(batch);
    let frozen: FrozenKinks = [];
    tf.tidy(() => {
      const kinks = freezeKinks(this.net, forwardTrain(this.net, this.tensors(at), x, this.net.blocks.map(() => null)));
      frozen = kinks.map((k) => ({ slope: k.slope === null ? null : tf.keep(k.slope), argmax: k.argmax === null ? null : tf.keep(k.argmax) }));
    });
    const pattern = tf.tidy(() => kinkPattern(frozen));
    const signs = tf.tidy(() => this.tensors(at).map((w) => tf.sign(w)));
    const indices = penalisedTensors(this.net.layout);
    const base = pattern.dataSync().slice();
    const read = (t: Tensor): number => {
      const v = t.dataSync()[0]!;
      t.dispose();
      return v;
    };
    return {
      loss: (weights) =>
        read(
          tf.tidy(() => {
            const p = this.tensors(weights);
            const logits = forwardFrozen(this.net, p, x, frozen);
            const ce = this.objective(p, logits, batch);
            if (penalties === undefined) return ce;
            // |w| = sign(w₀)·w on the piece.
            let pen = penaltyValue(p, indices, { l1: 0, l2: penalties.l2 });
            if (penalties.l1 > 0) for (const i of indices) pen = tf.add(pen, tf.mul(tf.sum(tf.mul(p[i]!, signs[i]!)), penalties.l1));
            return tf.add(ce, pen);
          }),
        ),
      crossings: (weights) => {
        const now = tf.tidy(() => kinkPattern(freezeKinks(this.net, forwardTrain(this.net, this.tensors(weights), x, this.net.blocks.map(() => null)))));
        const values = now.dataSync();
        now.dispose();
        let changed = 0;
        for (let i = 0; i < values.length; i++) if (values[i] !== base[i]) changed++;
        return changed;
      },
      dispose: () => {
        tf.dispose([x, pattern, ...signs, ...frozen.flatMap((k) => [k.slope, k.argmax].filter((t): t is Tensor => t !== null))]);
      },
    };
  }

  private input(batch: Batch): Tensor {
    return tf.tensor(batch.x, [batch.rows, ...this.net.inputShape]);
  }

  /** Mean cross-entropy of `logits` against the batch's labels, plus the penalty when given. */
  private objective(p: Tensor[], logits: Tensor, batch: Batch, penalties?: Penalties): Tensor {
    const y = tf.tensor2d(oneHot(batch.y, this.net.classes), [batch.rows, this.net.classes]);
    const ce = tf.mean(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1)));
    return penalties === undefined ? ce : tf.add(ce, penaltyValue(p, penalisedTensors(this.net.layout), penalties));
  }

  /**
   * The hand-written backward pass's gradient of {@link loss} (penalties included when
   * given, through the training step's own penalty gradient), per weight tensor.
   */
  gradients(weights: readonly Float32Array[], batch: Batch, penalties?: Penalties): Float32Array[] {
    const grads = tf.tidy(() => {
      const p = this.tensors(weights);
      const x = tf.tensor(batch.x, [batch.rows, ...this.net.inputShape]);
      const pass = forwardTrain(this.net, p, x, this.net.blocks.map(() => null));
      const y = tf.tensor2d(oneHot(batch.y, this.net.classes), [batch.rows, this.net.classes]);
      const g = backward(this.net, p, pass, softmaxHead(pass.logits, y).dLogits);
      if (penalties !== undefined) addPenaltyGradients(g, p, penalisedTensors(this.net.layout), penalties);
      return g;
    });
    return readAll(grads);
  }

  /**
   * The gradient of {@link loss} by tape autodiff (tf.grads over the same forward pass and
   * penalty), per weight tensor: the reference for the hand-written backward pass.
   */
  tapeGradients(weights: readonly Float32Array[], batch: Batch, penalties?: Penalties): Float32Array[] {
    const grads = tf.tidy(() => {
      const x = this.input(batch);
      return tf.grads((...p: Tensor[]) => this.objective(p, forwardTrain(this.net, p, x, this.net.blocks.map(() => null)).logits, batch, penalties))(this.tensors(weights));
    });
    return readAll(grads);
  }

  /** The gradient of the penalty alone by tape autodiff, per weight tensor (zeros where unpenalised). */
  penaltyTapeGradients(weights: readonly Float32Array[], penalties: Penalties): Float32Array[] {
    const indices = penalisedTensors(this.net.layout);
    const grads = tf.tidy(() => {
      const p = this.tensors(weights);
      const taped = tf.grads((...ws: Tensor[]) => penaltyValue(ws, ws.map((_, k) => k), penalties))(indices.map((i) => p[i]!));
      return p.map((w, i) => {
        const k = indices.indexOf(i);
        return k < 0 ? tf.zerosLike(w) : taped[k]!;
      });
    });
    return readAll(grads);
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

function readAll(tensors: Tensor[]): Float32Array[] {
  const out = tensors.map((t) => t.dataSync().slice() as Float32Array);
  for (const t of tensors) t.dispose();
  return out;
}
