/**
 * Softmax cross-entropy as one wasm kernel: `tf.losses.softmaxCrossEntropy` runs ~18 kernels
 * forward and as many backward, which on a small net costs more than its matmuls. The kernel
 * computes, in one pass over the logits, the mean loss and both gradients (kept for the
 * backward pass, which is then one multiply per input).
 */
import { cast, customGrad, engine, getBackend, getKernel, losses, mul } from '@tensorflow/tfjs-core';
import type { GradSaveFunc, KernelFunc, Scalar, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { asWasmBackend } from './backend.js';

/** The kernel's registry name (registered on wasm by `installWasmKernelFixes`). */
export const SOFTMAX_XENT_KERNEL = 'HpsearchSoftmaxCrossEntropy';

/**
 * For logits z and labels y, both [B, C]: the mean over rows of Σ_c y_c·(lse − z_c), where
 * lse = log Σ_c exp z_c; its gradient (softmax·Σy − y)/B for z and (lse − z)/B for y.
 */
export function softmaxXentRows(z: Float32Array, y: Float32Array, rows: number, dz: Float32Array, dy: Float32Array): number {
  const cols = z.length / rows;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, z[at + c]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp(z[at + c]! - max);
    const lse = max + Math.log(sum);
    let sumY = 0;
    for (let c = 0; c < cols; c++) {
      const yc = y[at + c]!;
      const nll = lse - z[at + c]!;
      total += yc * nll;
      sumY += yc;
      dy[at + c] = nll / rows;
    }
    for (let c = 0; c < cols; c++) dz[at + c] = (Math.exp(z[at + c]! - lse) * sumY - y[at + c]!) / rows;
  }
  return total / rows;
}

/** The {@link SOFTMAX_XENT_KERNEL} kernel: inputs logits, labels; outputs [loss, dLogits, dLabels]. */
export const softmaxXentKernel: KernelFunc = (args) => {
  const backend = asWasmBackend(args.backend);
  const { logits, labels } = args.inputs;
  if (logits === undefined || labels === undefined || logits.shape.length !== 2) {
    throw new Error(`${SOFTMAX_XENT_KERNEL}: expects rank-2 logits and labels`);
  }
  if (logits.dtype !== 'float32' || labels.dtype !== 'float32' || labels.shape.join() !== logits.shape.join()) {
    throw new Error(`${SOFTMAX_XENT_KERNEL}: logits and labels must be float32 of one shape`);
  }
  const loss = backend.makeOutput([], 'float32');
  const dz = backend.makeOutput(logits.shape, 'float32');
  const dy = backend.makeOutput(logits.shape, 'float32');
  const f32 = (t: TensorInfo): Float32Array => backend.typedArrayFromHeap(t) as Float32Array;
  const value = softmaxXentRows(f32(logits), f32(labels), logits.shape[0]!, f32(dz), f32(dy));
  f32(loss)[0] = value;
  return [loss, dz, dy];
};

const fused = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
  const [logits, labels, save] = args as [Tensor, Tensor, GradSaveFunc];
  const [loss, dz, dy] = engine().runKernel<Tensor[]>(SOFTMAX_XENT_KERNEL, { logits, labels }, {});
  save([dz!, dy!]);
  return {
    value: loss!,
    gradFunc: (g: Tensor, saved: Tensor[]) => [mul(g, saved[0]!), mul(g, saved[1]!)],
  };
});

/**
 * Mean softmax cross-entropy of `logits` [batch, classes] against `labels` (one-hot or soft,
 * same shape), with gradients for both — the value of `tf.losses.softmaxCrossEntropy(labels,
 * logits)` with its default reduction. On wasm with the fixes installed it is one kernel
 * forward and one multiply per input backward; elsewhere it is `tf.losses.softmaxCrossEntropy`.
 * (On wasm the gradients are the exact ones: (softmax·Σy − y)/batch for the logits, which is
 * tfjs-core's (softmax − y)/batch when each label row sums to 1, and −log softmax / batch for
 * the labels, where tfjs-core returns (y − softmax)/batch; labels are data in training.)
 */
export function softmaxCrossEntropy(labels: Tensor, logits: Tensor): Scalar {
  if (getBackend() === 'wasm' && getKernel(SOFTMAX_XENT_KERNEL, 'wasm') !== undefined && logits.rank === 2) {
    return fused(logits, labels.dtype === 'float32' ? labels : cast(labels, 'float32')) as Scalar;
  }
  return losses.softmaxCrossEntropy(labels, logits);
}
