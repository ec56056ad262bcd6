/**
 * The optimisers, written over tf ops: each weight tensor is updated with as few element-wise
 * kernels as the rule allows, and the learning rate may change every step. Every coefficient
 * comes from the trial's settings.
 *
 *   sgd        w ← w − α·g
 *   momentum   v ← β·v + (1−β)·g;  w ← w − α·v                 (momentum_form: averaged, the default)
 *              v ← β·v + g;        w ← w − α·v                 (momentum_form: classic)
 *   nesterov   v ← β·v + (1−β)·g;  w ← w − α·((1−β)·g + β·v)   (averaged)
 *              v ← β·v + g;        w ← w − α·(g + β·v)         (classic)
 *   adagrad    G ← G + g²;   w ← w − α·g/(√G + ε)
 *   rmsprop    s ← ρ·s + (1−ρ)·g²;  w ← w − α·g/(√s + ε)
 *   adam       m ← β₁·m + (1−β₁)·g;  v ← β₂·v + (1−β₂)·g²;
 *              w ← w − α·(m/c₁)/(√(v/c₂) + ε),  c₁ = 1−β₁ᵗ, c₂ = 1−β₂ᵗ  (bias correction)
 *
 * Under a constant gradient the averaged form steps α·g and the classic one α·g/(1−β): with
 * the averaged form, searching α and 1−β (each on a log scale) explores two independent knobs.
 *
 * On wasm, when wasm/ has registered its fused Adam kernel, a whole Adam step (every weight
 * tensor) is that one kernel launch, with the same arithmetic.
 */
import type { MOMENTUM_FORMS, OPTIMIZERS } from '../identifiers.js';
import { tf } from '../tf.js';
import type { NamedTensorMap, Tensor } from '../tf.js';
import { FUSED_ADAM_KERNEL } from '../wasm/fused-adam-kernel.js';
import type { FusedAdamAttrs } from '../wasm/fused-adam-kernel.js';

export type OptimizerName = (typeof OPTIMIZERS)[number];
export type MomentumForm = (typeof MOMENTUM_FORMS)[number];

/** Coefficients of the optimisers (the trial's settings). */
export interface OptimizerConfig {
  optimizer: OptimizerName;
  momentum: number;
  momentum_form: MomentumForm;
  rho: number;
  epsilon: number;
  beta1: number;
  beta2: number;
}

/** An optimiser over a fixed list of weight tensors. */
export interface Optimizer {
  /**
   * The weights after one step at learning rate `lr`, given their gradients (same order and
   * shapes). Updates the optimiser's own state, which it keeps across tidy scopes; the
   * returned tensors belong to the caller's scope.
   */
  step(weights: readonly Tensor[], grads: readonly Tensor[], lr: number): Tensor[];
  /** Releases the optimiser's state tensors. */
  dispose(): void;
  /** Its state (steps taken, slot values) for a checkpoint. */
  save(): OptimizerState;
  /** Puts back a state saved by the same kind of optimiser over the same shapes. */
  load(state: OptimizerState): void;
}

export interface OptimizerState {
  steps: number;
  slots: Float32Array[];
}

/** State tensors per weight, kept across steps: each replacement keeps the new and frees the old. */
class Slots {
  private readonly tensors: Tensor[][];
  constructor(
    perWeight: number,
    private readonly shapes: readonly number[][],
  ) {
    this.tensors = Array.from({ length: perWeight }, () => shapes.map((s) => tf.keep(tf.zeros(s))));
  }
  save(): Float32Array[] {
    return this.tensors.flatMap((list) => list.map((t) => t.dataSync() as Float32Array));
  }
  load(values: readonly Float32Array[]): void {
    const n = this.shapes.length;
    if (values.length !== this.tensors.length * n) throw new Error(`optimizer state has ${values.length} slot tensors, ${this.tensors.length * n} expected`);
    this.tensors.forEach((_, slot) => this.shapes.forEach((shape, i) => this.set(slot, i, tf.tensor(values[slot * n + i]!, shape))));
  }
  get(slot: number, i: number): Tensor {
    return this.tensors[slot]![i]!;
  }
  set(slot: number, i: number, t: Tensor): void {
    this.tensors[slot]![i]!.dispose();
    this.tensors[slot]![i] = tf.keep(t);
  }
  dispose(): void {
    for (const list of this.tensors) for (const t of list) t.dispose();
  }
}

/** w − α·u (two kernels). */
function descend(w: Tensor, u: Tensor, lr: number): Tensor {
  return tf.sub(w, tf.mul(u, lr));
}

/** True on wasm when wasm/ registered its fused Adam kernel. */
export function fusedAdamAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(FUSED_ADAM_KERNEL, 'wasm') !== undefined;
}

class Adam implements Optimizer {
  private readonly slots: Slots;
  private t = 0;
  constructor(
    shapes: readonly number[][],
    private readonly c: OptimizerConfig,
    private readonly allowFused: boolean,
  ) {
    this.slots = new Slots(2, shapes);
  }
  step(weights: readonly Tensor[], grads: readonly Tensor[], lr: number): Tensor[] {
    this.t++;
    const { beta1, beta2, epsilon } = this.c;
    const c1 = 1 - Math.pow(beta1, this.t);
    const c2 = 1 - Math.pow(beta2, this.t);
    if (this.allowFused && fusedAdamAvailable()) return this.fused(weights, grads, { count: weights.length, learningRate: lr, beta1, beta2, epsilon, c1, c2 });
    // α·(m/c₁)/(√(v/c₂) + ε) = (α·√c₂/c₁)·m/(√v + ε·√c₂): five kernels after the moments.
    const sc2 = Math.sqrt(c2);
    return weights.map((w, i) => {
      const g = grads[i]!;
      const m = this.slots.get(0, i);
      const v = this.slots.get(1, i);
      const m2 = tf.add(m, tf.mul(tf.sub(g, m), 1 - beta1));
      const v2 = tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - beta2));
      const out = descend(w, tf.div(m2, tf.add(tf.sqrt(v2), epsilon * sc2)), (lr * sc2) / c1);
      this.slots.set(0, i, m2);
      this.slots.set(1, i, v2);
      return out;
    });
  }
  private fused(weights: readonly Tensor[], grads: readonly Tensor[], attrs: FusedAdamAttrs): Tensor[] {
    const inputs: NamedTensorMap = {};
    weights.forEach((w, i) => {
      inputs[`w${i}`] = w;
      inputs[`g${i}`] = grads[i]!;
      inputs[`m${i}`] = this.slots.get(0, i);
      inputs[`v${i}`] = this.slots.get(1, i);
    });
    const outs = tf.engine().runKernel<Tensor[]>(FUSED_ADAM_KERNEL, inputs, { ...attrs });
    return weights.map((_, i) => {
      this.slots.set(0, i, outs[3 * i + 1]!);
      this.slots.set(1, i, outs[3 * i + 2]!);
      return outs[3 * i]!;
    });
  }
  dispose(): void {
    this.slots.dispose();
  }
  save(): OptimizerState {
    return { steps: this.t, slots: this.slots.save() };
  }
  load(state: OptimizerState): void {
    this.t = state.steps;
    this.slots.load(state.slots);
  }
}

class Sgd implements Optimizer {
  step(weights: readonly Tensor[], grads: readonly Tensor[], lr: number): Tensor[] {
    return weights.map((w, i) => descend(w, grads[i]!, lr));
  }
  dispose(): void {}
  save(): OptimizerState {
    return { steps: 0, slots: [] };
  }
  load(): void {}
}

class Momentum implements Optimizer {
  private readonly slots: Slots;
  /** Weight of the gradient in the velocity: 1 − β (averaged) or 1 (classic). */
  private readonly gain: number;
  constructor(
    shapes: readonly number[][],
    private readonly beta: number,
    form: MomentumForm,
    private readonly nesterov: boolean,
  ) {
    this.slots = new Slots(1, shapes);
    this.gain = form === 'averaged' ? 1 - beta : 1;
  }
  step(weights: readonly Tensor[], grads: readonly Tensor[], lr: number): Tensor[] {
    return weights.map((w, i) => {
      const g = this.gain === 1 ? grads[i]! : tf.mul(grads[i]!, this.gain);
      const v = tf.add(tf.mul(this.slots.get(0, i), this.beta), g);
      const out = descend(w, this.nesterov ? tf.add(g, tf.mul(v, this.beta)) : v, lr);
      this.slots.set(0, i, v);
      return out;
    });
  }
  dispose(): void {
    this.slots.dispose();
  }
  save(): OptimizerState {
    return { steps: 0, slots: this.slots.save() };
  }
  load(state: OptimizerState): void {
    this.slots.load(state.slots);
  }
}

/** adagrad (decay null: the squares accumulate) and rmsprop (decay ρ). */
class ScaledByRms implements Optimizer {
  private readonly slots: Slots;
  constructor(
    shapes: readonly number[][],
    private readonly decay: number | null,
    private readonly epsilon: number,
  ) {
    this.slots = new Slots(1, shapes);
  }
  step(weights: readonly Tensor[], grads: readonly Tensor[], lr: number): Tensor[] {
    return weights.map((w, i) => {
      const g = grads[i]!;
      const s = this.slots.get(0, i);
      const g2 = tf.square(g);
      const s2 = this.decay === null ? tf.add(s, g2) : tf.add(s, tf.mul(tf.sub(g2, s), 1 - this.decay));
      const out = descend(w, tf.div(g, tf.add(tf.sqrt(s2), this.epsilon)), lr);
      this.slots.set(0, i, s2);
      return out;
    });
  }
  dispose(): void {
    this.slots.dispose();
  }
  save(): OptimizerState {
    return { steps: 0, slots: this.slots.save() };
  }
  load(state: OptimizerState): void {
    this.slots.load(state.slots);
  }
}

/**
 * The optimiser of `config` for weight tensors of the given shapes. `allowFused: false`
 * forces Adam onto plain ops (to compare the two paths).
 */
export function createOptimizer(config: OptimizerConfig, shapes: readonly number[][], allowFused = true): Optimizer {
  switch (config.optimizer) {
    case 'sgd':
      return new Sgd();
    case 'momentum':
      return new Momentum(shapes, config.momentum, config.momentum_form, false);
    case 'nesterov':
      return new Momentum(shapes, config.momentum, config.momentum_form, true);
    case 'adagrad':
      return new ScaledByRms(shapes, null, config.epsilon);
    case 'rmsprop':
      return new ScaledByRms(shapes, config.rho, config.epsilon);
    case 'adam':
      return new Adam(shapes, config, allowFused);
  }
}
