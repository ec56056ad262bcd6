/**
 * Optimisers whose update runs as one fused kernel per step on the wasm backend.
 *
 * `FusedAdamOptimizer` is a drop-in `tf.Optimizer` (usable with `optimizer.minimize`,
 * `applyGradients`, or tfjs-layers' `model.compile({ optimizer })`) computing exactly the stock
 * `tf.train.adam` update (bias-corrected). On wasm, after `installWasmKernelFixes()`, a step
 * is a single kernel launch for all variables; on any other backend it falls back to plain
 * ops with the same arithmetic.
 */
import { add, div, engine, getBackend, getKernel, mul, Optimizer, sqrt, square, sub, tidy, zerosLike } from '@tensorflow/tfjs-core';
import type { NamedTensorMap, serialization, Tensor, Variable } from '@tensorflow/tfjs-core';
import { FUSED_ADAM_KERNEL } from './fused-adam-kernel.js';
import type { FusedAdamAttrs } from './fused-adam-kernel.js';

/** Coefficients of {@link FusedAdamOptimizer}; defaults are the usual Adam ones. */
export interface FusedAdamConfig {
  learningRate: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7 (tfjs' float32 epsilon, as `tf.train.adam`). */
  epsilon?: number;
}

type ConfigDict = serialization.ConfigDict;

/** A named tensor, as optimiser weights are exchanged. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

interface Moments {
  m: Variable;
  v: Variable;
}

/** Adam with one fused update kernel per step on wasm (see the file comment). */
export class FusedAdamOptimizer extends Optimizer {
  /** Registry name for tfjs serialization. */
  static get className(): string {
    return 'HpsearchFusedAdam';
  }

  /** Step size α; may be changed between steps (learning-rate schedules). */
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** β1ᵗ and β2ᵗ for the next step t, rounded to float32 as the stock optimiser keeps them. */
  private pow1: number;
  private pow2: number;
  private readonly moments = new Map<string, Moments>();

  constructor(config: FusedAdamConfig) {
    super();
    this.learningRate = config.learningRate;
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.epsilon = config.epsilon ?? 1e-7;
    this.pow1 = Math.fround(this.beta1);
    this.pow2 = Math.fround(this.beta2);
  }

  /** True when steps run as the fused wasm kernel (wasm active and the kernel installed). */
  get fused(): boolean {
    return getBackend() === 'wasm' && getKernel(FUSED_ADAM_KERNEL, 'wasm') !== undefined;
  }

  override applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const pairs: Array<[string, Tensor | undefined]> = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const updates: Array<{ w: Variable; g: Tensor; slot: Moments }> = [];
    for (const [name, g] of pairs) {
      if (g == null) continue;
      const w = engine().registeredVariables[name];
      if (w === undefined) throw new Error(`FusedAdamOptimizer: no variable named ${name}`);
      updates.push({ w, g, slot: this.slotFor(name, w) });
    }
    const attrs: FusedAdamAttrs = {
      count: updates.length,
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      c1: Math.fround(1 - this.pow1),
      c2: Math.fround(1 - this.pow2),
    };
    if (updates.length > 0) {
      tidy(() => (this.fused ? this.stepFused(updates, attrs) : this.stepOps(updates, attrs)));
    }
    this.pow1 = Math.fround(this.pow1 * this.beta1);
    this.pow2 = Math.fround(this.pow2 * this.beta2);
    this.incrementIterations();
  }

  private slotFor(name: string, w: Variable): Moments {
    let slot = this.moments.get(name);
    if (slot === undefined) {
      slot = tidy(() => ({ m: zerosLike(w).variable(false), v: zerosLike(w).variable(false) }));
      this.moments.set(name, slot);
    }
    return slot;
  }

  private stepFused(updates: Array<{ w: Variable; g: Tensor; slot: Moments }>, attrs: FusedAdamAttrs): void {
    const inputs: NamedTensorMap = {};
    updates.forEach(({ w, g, slot }, i) => {
      inputs[`w${i}`] = w;
      inputs[`g${i}`] = g;
      inputs[`m${i}`] = slot.m;
      inputs[`v${i}`] = slot.v;
    });
    const outs = engine().runKernel<Tensor[]>(FUSED_ADAM_KERNEL, inputs, { ...attrs });
    updates.forEach(({ w, slot }, i) => {
      w.assign(outs[3 * i]!);
      slot.m.assign(outs[3 * i + 1]!);
      slot.v.assign(outs[3 * i + 2]!);
    });
  }

  private stepOps(updates: Array<{ w: Variable; g: Tensor; slot: Moments }>, a: FusedAdamAttrs): void {
    for (const { w, g, slot } of updates) {
      const m = add(mul(slot.m, a.beta1), mul(g, 1 - a.beta1));
      const v = add(mul(slot.v, a.beta2), mul(square(g), 1 - a.beta2));
      const step = div(div(m, a.c1), add(sqrt(div(v, a.c2)), a.epsilon));
      w.assign(sub(w, mul(step, a.learningRate)));
      slot.m.assign(m);
      slot.v.assign(v);
    }
  }

  override dispose(): void {
    for (const { m, v } of this.moments.values()) {
      m.dispose();
      v.dispose();
    }
    this.moments.clear();
  }

  /** `[iterations, …first moments (name/m), …second moments (name/v)]`, as `tf.train.adam`. */
  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.moments.entries()];
    return [
      await this.saveIterations(),
      ...slots.map(([name, s]) => ({ name: `${name}/m`, tensor: s.m })),
      ...slots.map(([name, s]) => ({ name: `${name}/v`, tensor: s.v })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const values = await this.extractIterations(weightValues);
    this.pow1 = Math.fround(Math.pow(this.beta1, this.iterations + 1));
    this.pow2 = Math.fround(Math.pow(this.beta2, this.iterations + 1));
    this.dispose();
    const half = values.length / 2;
    for (let i = 0; i < half; i++) {
      const first = values[i]!;
      const second = values[half + i]!;
      const name = first.name.replace(/\/m$/, '');
      this.moments.set(name, { m: first.tensor.variable(false), v: second.tensor.variable(false) });
    }
  }

  override getConfig(): ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  /** Rebuilds an optimiser from {@link getConfig}'s output. */
  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: ConfigDict,
  ): T {
    return new cls({
      learningRate: Number(config['learningRate']),
      beta1: Number(config['beta1']),
      beta2: Number(config['beta2']),
      epsilon: Number(config['epsilon']),
    });
  }
}
