/**
 * The tensors of one trial and the operations on them: a training step (one tidy scope,
 * nothing read back), evaluation of a split (sums left on the device), snapshots of the
 * weights for restore_best, and disposal of everything at the end.
 */
import type { Dataset } from '../data/types.js';
import { bnUpdateMoving } from '../model/batchnorm.js';
import { initialWeights } from '../model/init.js';
import { epochSums, evalHead, softmaxHead } from '../model/loss.js';
import type { Network } from '../model/network.js';
import { backward, forwardEval, forwardTrain } from '../model/passes.js';
import { addPenaltyGradients, penalisedTensors } from '../model/penalty.js';
import { createOptimizer } from '../optim/optimizers.js';
import type { Optimizer, OptimizerState } from '../optim/optimizers.js';
import { deriveSeed, Rng } from '../random.js';
import type { TrainSettings } from '../settings.js';
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';
import { dropoutMask, oneHot } from './batches.js';

/** Weights to start from instead of the initialiser, and which of them stay frozen. */
export interface WarmStart {
  initial: { weights: Float32Array[]; movingMean: Float32Array[]; movingVar: Float32Array[] };
  frozen: { weights: ReadonlySet<number>; stats: ReadonlySet<number> };
}

/** Rows per forward pass when evaluating a split. */
const EVAL_CHUNK = 1000;

/** What one training step leaves on the device (read once per epoch). */
export interface StepOutputs {
  pTrue: Tensor;
  predicted: Tensor;
  /** ‖Δw‖/‖w‖ of the first layer's kernel for this step, when asked for. */
  updateRatio: Tensor | null;
}

/** A split uploaded for evaluation. */
export interface EvalSet {
  chunks: Array<{ x: Tensor; y: Tensor }>;
  labels: Tensor;
  n: number;
}


/** Weights saved for restore_best (kept tensors; free with disposeSnapshot). */
export interface Snapshot {
  weights: Tensor[];
  movingMean: Tensor[];
  movingVar: Tensor[];
}

function copyOf(s: Snapshot): Snapshot {
  const clone = (list: Tensor[]): Tensor[] => list.map((t) => tf.clone(t));
  return { weights: clone(s.weights), movingMean: clone(s.movingMean), movingVar: clone(s.movingVar) };
}

export class Session {
  /** The current weights (layout order), moving statistics of batch norm. */
  private state: Snapshot;
  private readonly optimizer: Optimizer;
  private readonly dropoutRng: Rng;
  private readonly firstKernel: number;
  private readonly penalised: number[];
  /** Weights and moving statistics a warm start keeps as they are. */
  private readonly frozen: { weights: ReadonlySet<number>; stats: ReadonlySet<number> };

  /** Initialises the weights from the trial seed and allocates the optimiser's state. */
  constructor(
    readonly net: Network,
    private readonly settings: TrainSettings,
    seed: number,
    options: { allowFused?: boolean; warm?: WarmStart } = {},
  ) {
    const layout = net.layout;
    const warm = options.warm;
    const values = warm?.initial.weights ?? initialWeights(layout, settings.init, settings.init_scale, new Rng(deriveSeed(seed, 'init')));
    this.state = {
      weights: values.map((v, i) => tf.tensor(v, layout.entries[i]!.shape)),
      movingMean: net.bnChannels.map((c, i) => (warm === undefined ? tf.zeros([c]) : tf.tensor(warm.initial.movingMean[i]!, [c]))),
      movingVar: net.bnChannels.map((c, i) => (warm === undefined ? tf.ones([c]) : tf.tensor(warm.initial.movingVar[i]!, [c]))),
    };
    this.frozen = warm?.frozen ?? { weights: new Set(), stats: new Set() };
    this.optimizer = createOptimizer(settings, layout.shapes, options.allowFused ?? true);
    this.dropoutRng = new Rng(deriveSeed(seed, 'dropout'));
    this.penalised = penalisedTensors(layout);
    this.firstKernel = this.penalised[0]!;
  }

  /** Number of trainable parameters. */
  get parameterCount(): number {
    return this.net.layout.size;
  }

  private inputTensor(x: Float32Array, rows: number): Tensor {
    return tf.tensor(x, [rows, ...this.net.inputShape]);
  }

  /** One step of training on `rows` examples (features `x`, one-hot `y`) at learning rate `lr`. */
  step(x: Float32Array, y: Float32Array, rows: number, lr: number, wantRatio: boolean): StepOutputs {
    const net = this.net;
    const masks = net.blocks.map((b) => (b.kind === 'dense' && b.dropoutIn ? dropoutMask(rows * b.inputs, net.dropoutRate, this.dropoutRng) : null));
    const out = tf.tidy((): Tensor[] => {
      const p = this.state.weights;
      const maskTensors = masks.map((m) => (m === null ? null : tf.tensor2d(m, [rows, m.length / rows])));
      const pass = forwardTrain(net, p, this.inputTensor(x, rows), maskTensors);
      const head = softmaxHead(pass.logits, tf.tensor2d(y, [rows, net.classes]));
      const grads = backward(net, p, pass, head.dLogits);
      addPenaltyGradients(grads, p, this.penalised, this.settings);
      const next = this.optimizer.step(p, grads, lr).map((t, i) => (this.frozen.weights.has(i) ? tf.clone(p[i]!) : t));
      const kept = [head.pTrue, head.predicted];
      if (wantRatio) {
        const before = p[this.firstKernel]!;
        // √(Σ(Δw)²/Σw²), ‖w‖ floored so an all-zero kernel gives 0 (no change) or a huge ratio,
        // never NaN; tf.norm goes through pow and costs 10× more on wasm.
        const squares = (t: Tensor): Tensor => tf.sum(tf.square(t));
        kept.push(tf.sqrt(tf.div(squares(tf.sub(next[this.firstKernel]!, before)), tf.maximum(squares(before), 1e-24))));
      }
      const moving = pass.bnStats.map((stats, i): [Tensor, Tensor] =>
        this.frozen.stats.has(i)
          ? [tf.clone(this.state.movingMean[i]!), tf.clone(this.state.movingVar[i]!)]
          : bnUpdateMoving(this.state.movingMean[i]!, this.state.movingVar[i]!, stats),
      );
      disposeSnapshot(this.state);
      this.state = {
        weights: next.map((t) => tf.keep(t)),
        movingMean: moving.map(([m]) => tf.keep(m)),
        movingVar: moving.map(([, v]) => tf.keep(v)),
      };
      return kept;
    });
    return { pTrue: out[0]!, predicted: out[1]!, updateRatio: out[2] ?? null };
  }

  /** Uploads a split for evaluation (dispose with disposeEvalSet). */
  upload(data: Dataset): EvalSet {
    const f = this.net.inputShape.reduce((a, b) => a * b, 1);
    const c = this.net.classes;
    const chunks: EvalSet['chunks'] = [];
    for (let start = 0; start < data.n; start += EVAL_CHUNK) {
      const end = Math.min(data.n, start + EVAL_CHUNK);
      chunks.push({
        x: this.inputTensor(data.x.subarray(start * f, end * f), end - start),
        y: tf.tensor2d(oneHot(data.y.subarray(start, end), c), [end - start, c]),
      });
    }
    return { chunks, labels: tf.tensor1d(data.y, 'int32'), n: data.n };
  }

  /** [Σ loss, Σ correct, mean loss] over an uploaded split with the current weights (evaluation mode). */
  evaluate(set: EvalSet): Tensor {
    return tf.tidy(() => {
      const { weights, movingMean, movingVar } = this.state;
      const pTrue: Tensor[] = [];
      const predicted: Tensor[] = [];
      for (const { x, y } of set.chunks) {
        const out = evalHead(forwardEval(this.net, weights, x, movingMean, movingVar), y);
        pTrue.push(out.pTrue);
        predicted.push(out.predicted);
      }
      return epochSums(pTrue, predicted, set.labels, Infinity);
    });
  }

  /** Logits of `rows` examples with the current weights (evaluation mode); the caller disposes them. */
  forward(x: Tensor): Tensor {
    return tf.tidy(() => forwardEval(this.net, this.state.weights, x, this.state.movingMean, this.state.movingVar));
  }

  /** `rows` examples of features `x` as the network's input tensor (the caller disposes it). */
  input(x: Float32Array, rows: number): Tensor {
    return this.inputTensor(x, rows);
  }

  /** A copy of the current weights. */
  snapshot(): Snapshot {
    return copyOf(this.state);
  }

  /** Puts back the weights of a snapshot (which stays valid and must still be disposed). */
  restore(s: Snapshot): void {
    disposeSnapshot(this.state);
    this.state = copyOf(s);
  }

  /** The current weight tensors, by layout index (read only: layer health). */
  get currentWeights(): readonly Tensor[] {
    return this.state.weights;
  }

  /** The current values of every weight tensor (tests, diagnostics). */
  weightValues(): Float32Array[] {
    return this.state.weights.map((t) => t.dataSync() as Float32Array);
  }

  /** The current moving statistics of each batch-norm block (tests, diagnostics). */
  movingStatistics(): { mean: Float32Array[]; variance: Float32Array[] } {
    const read = (list: Tensor[]): Float32Array[] => list.map((t) => t.dataSync() as Float32Array);
    return { mean: read(this.state.movingMean), variance: read(this.state.movingVar) };
  }

  /** The optimiser's state (a pbt checkpoint's). */
  optimizerState(): OptimizerState {
    return this.optimizer.save();
  }

  /** Puts back an optimiser state saved from this network with the same optimiser. */
  loadOptimizerState(state: OptimizerState): void {
    this.optimizer.load(state);
  }

  /** Frees every tensor the session holds. */
  dispose(): void {
    disposeSnapshot(this.state);
    this.optimizer.dispose();
  }
}

/** Frees the tensors of an uploaded split. */
export function disposeEvalSet(set: EvalSet): void {
  for (const { x, y } of set.chunks) {
    x.dispose();
    y.dispose();
  }
  set.labels.dispose();
}

/** Frees a snapshot. */
export function disposeSnapshot(s: Snapshot): void {
  for (const list of [s.weights, s.movingMean, s.movingVar]) for (const t of list) t.dispose();
}
