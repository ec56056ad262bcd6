/**
 * Whole-network passes over the blocks of a Network, given its weight tensors `p` (by layout
 * index): the training forward (keeping what backward needs), the backward pass from the
 * gradient of the logits, and the evaluation forward.
 */
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';
import type { BnBatchStats } from './batchnorm.js';
import { convBackward, convEval, convTrain } from './conv.js';
import type { ConvCache } from './conv.js';
import { denseBackward, denseEval, denseTrain } from './dense.js';
import type { DenseCache } from './dense.js';
import type { Network } from './network.js';

/** State of one training forward pass. */
export interface TrainPass {
  logits: Tensor;
  caches: Array<DenseCache | ConvCache>;
  /** Shape of each block's input (to undo the flatten between conv and dense blocks). */
  inShapes: number[][];
  /** Batch statistics of each batch-norm block, by BnRef.stat. */
  bnStats: BnBatchStats[];
}

/** Flattens [batch, h, w, c] to [batch, h·w·c] in front of a dense block. */
function flat(x: Tensor): Tensor {
  return x.rank === 2 ? x : tf.reshape(x, [x.shape[0], -1]);
}

/**
 * Training forward. `masks[i]` is the (already scaled) dropout mask for dense block i's input,
 * or null.
 */
export function forwardTrain(net: Network, p: Tensor[], x: Tensor, masks: Array<Tensor | null>): TrainPass {
  const caches: Array<DenseCache | ConvCache> = [];
  const inShapes: number[][] = [];
  const bnStats: BnBatchStats[] = [];
  let h = x;
  net.blocks.forEach((block, i) => {
    inShapes.push(h.shape);
    const step = block.kind === 'dense' ? denseTrain(block, p, flat(h), masks[i] ?? null) : convTrain(block, p, h);
    if (block.bn !== null && step.stats !== null) bnStats[block.bn.stat] = step.stats;
    caches.push(step.cache);
    h = step.out;
  });
  return { logits: h, caches, inShapes, bnStats };
}

/** Gradients of every weight tensor (by layout index) given dL/dlogits. */
export function backward(net: Network, p: Tensor[], pass: TrainPass, dLogits: Tensor): Tensor[] {
  const grads: Tensor[] = new Array<Tensor>(net.layout.entries.length);
  let d: Tensor | null = dLogits;
  for (let i = net.blocks.length - 1; i >= 0 && d !== null; i--) {
    const block = net.blocks[i]!;
    const needDx = i > 0;
    if (block.kind === 'dense') {
      const dx = denseBackward(block, p, pass.caches[i] as DenseCache, d, needDx, grads);
      const inShape = pass.inShapes[i]!;
      d = dx !== null && inShape.length !== 2 ? tf.reshape(dx, inShape) : dx;
    } else {
      d = convBackward(block, p, pass.caches[i] as ConvCache, d, needDx, grads);
    }
  }
  return grads;
}

/** Evaluation forward (no dropout; batch norm with the moving statistics). */
export function forwardEval(net: Network, p: Tensor[], x: Tensor, movingMean: Tensor[], movingVar: Tensor[]): Tensor {
  let h = x;
  for (const block of net.blocks) {
    h = block.kind === 'dense' ? denseEval(block, p, flat(h), movingMean, movingVar) : convEval(block, p, h, movingMean, movingVar);
  }
  return h;
}
