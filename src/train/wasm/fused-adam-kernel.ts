/**
 * The fused Adam update as one wasm kernel: for every variable at once, one pass over the
 * heap reads weights w, gradient g and moments m, v and writes new w, m, v — where the stock
 * optimiser runs about a dozen element-wise kernels per variable. The arithmetic is the stock
 * `AdamOptimizer`'s:
 *
 *   m ← β1·m + (1−β1)·g;   v ← β2·v + (1−β2)·g²;   w ← w − α·(m/c1) / (√(v/c2) + ε)
 *
 * with c1 = 1 − β1ᵗ, c2 = 1 − β2ᵗ given as attributes.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { adamSimdFor } from './adam-simd.js';
import { asWasmBackend, sizeOf } from './backend.js';

/** The kernel's registry name (registered on wasm by `installWasmKernelFixes`). */
export const FUSED_ADAM_KERNEL = 'HpsearchFusedAdam';

/**
 * Attributes of {@link FUSED_ADAM_KERNEL}. Inputs are `w0, g0, m0, v0, w1, g1, …` for `count`
 * variables (float32); outputs are `[w0', m0', v0', w1', m1', v1', …]`.
 */
export interface FusedAdamAttrs {
  count: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β1ᵗ for this step t. */
  c1: number;
  /** 1 − β2ᵗ for this step t. */
  c2: number;
}

/** The update on plain arrays (the kernel's inner loop, exported for tests). */
export function adamStep(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  outW: Float32Array,
  outM: Float32Array,
  outV: Float32Array,
  a: FusedAdamAttrs,
): void {
  const { beta1, beta2, epsilon } = a;
  const k1 = 1 - beta1;
  const k2 = 1 - beta2;
  // w − α·(m/c1)/(√(v/c2) + ε), with the constant factors hoisted out of the loop.
  const step = a.learningRate / a.c1;
  const inverseC2 = 1 / a.c2;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = beta1 * m[i]! + k1 * gi;
    const vi = beta2 * v[i]! + k2 * gi * gi;
    outM[i] = mi;
    outV[i] = vi;
    outW[i] = w[i]! - (step * mi) / (Math.sqrt(vi * inverseC2) + epsilon);
  }
}

function input(inputs: Record<string, TensorInfo | undefined>, name: string): TensorInfo {
  const t = inputs[name];
  if (t === undefined || t.dtype !== 'float32') throw new Error(`${FUSED_ADAM_KERNEL}: input ${name} missing or not float32`);
  return t;
}

/** The {@link FUSED_ADAM_KERNEL} kernel function for the wasm backend. */
export const fusedAdamKernel: KernelFunc = (args) => {
  const backend = asWasmBackend(args.backend);
  const attrs = args.attrs as unknown as FusedAdamAttrs;
  const groups: TensorInfo[][] = [];
  for (let i = 0; i < attrs.count; i++) {
    const w = input(args.inputs, `w${i}`);
    const group = [w, input(args.inputs, `g${i}`), input(args.inputs, `m${i}`), input(args.inputs, `v${i}`)];
    const n = sizeOf(w.shape);
    if (group.some((t) => sizeOf(t.shape) !== n)) throw new Error(`${FUSED_ADAM_KERNEL}: shapes of variable ${i} differ`);
    groups.push(group);
  }
  const outs: TensorInfo[] = [];
  for (const [w] of groups) {
    for (let k = 0; k < 3; k++) outs.push(backend.makeOutput(w!.shape, 'float32'));
  }
  // Views are taken after the last allocation: heap growth detaches older ones.
  const f32 = (t: TensorInfo): Float32Array => backend.typedArrayFromHeap(t) as Float32Array;
  const simd = adamSimdFor(backend);
  const { beta1, beta2, epsilon } = attrs;
  groups.forEach((group, i) => {
    const views = [...group, ...outs.slice(3 * i, 3 * i + 3)].map(f32) as Seven;
    const n = views[0].length;
    // Four weights at a time in SIMD, the rest (and everything without SIMD) in JavaScript.
    const head = simd === null ? 0 : n - (n % 4);
    if (head > 0) simd!(...(views.map((v) => v.byteOffset) as Seven<number>), head * 4, beta1, 1 - beta1, beta2, 1 - beta2, attrs.learningRate / attrs.c1, 1 / attrs.c2, epsilon);
    if (head < n) {
      const [w, g, m, v, ow, om, ov] = views.map((v) => v.subarray(head)) as Seven;
      adamStep(w, g, m, v, ow, om, ov, attrs);
    }
  });
  return outs;
};

/** w, g, m, v, then the new w, m, v. */
type Seven<T = Float32Array> = [T, T, T, T, T, T, T];
