/**
 * Softmax cross-entropy head. The forward pass keeps, per example, the probability of the
 * true class and the predicted class; losses and accuracies are reduced from those once per
 * epoch, so training never reads a value back per batch.
 */
import { tf } from '../tf.js';
import type { Tensor } from '../tf.js';

/** Guards log(0): a probability of exactly 0 counts as this (loss ≈ 69 for that example). */
const TINY = 1e-30;

/** Per-example outputs of the head. */
export interface HeadOutputs {
  /** Probability of the true class, [batch]. */
  pTrue: Tensor;
  /** Predicted class (argmax of the logits), [batch], int32. */
  predicted: Tensor;
}

/** Softmax, per-example outputs, and dL/dlogits of the batch-mean loss: (softmax − y)/batch. */
export function softmaxHead(logits: Tensor, oneHot: Tensor): HeadOutputs & { dLogits: Tensor } {
  const p = tf.softmax(logits);
  const pTrue = tf.sum(tf.mul(p, oneHot), 1);
  const predicted = tf.argMax(logits, 1);
  const dLogits = tf.mul(tf.sub(p, oneHot), 1 / logits.shape[0]);
  return { pTrue, predicted, dLogits };
}

/** Per-example outputs without the gradient (evaluation). */
export function evalHead(logits: Tensor, oneHot: Tensor): HeadOutputs {
  const p = tf.softmax(logits);
  return { pTrue: tf.sum(tf.mul(p, oneHot), 1), predicted: tf.argMax(logits, 1) };
}

/**
 * Reduces the per-example outputs of many batches (in order) to a 3-vector tensor, read
 * later: [Σ loss, Σ correct, highest mean loss of a full mini-batch]. `labels` are the int32 classes of
 * the same examples; `batchSize` is the size of every batch but possibly the last (Infinity:
 * one batch). An example's loss is −log p_true, with p_true floored at 1e-30 (so at most ≈ 69).
 */
export function epochSums(pTrue: Tensor[], predicted: Tensor[], labels: Tensor, batchSize: number): Tensor {
  const p = pTrue.length === 1 ? pTrue[0]! : tf.concat(pTrue);
  const pred = predicted.length === 1 ? predicted[0]! : tf.concat(predicted);
  const losses = tf.neg(tf.log(tf.add(p, TINY)));
  const n = losses.shape[0];
  const size = Math.max(1, Math.min(n, batchSize));
  const full = Math.floor(n / size);
  const batchMeans: Tensor[] = [];
  if (full > 0) batchMeans.push(tf.mean(tf.reshape(tf.slice(losses, 0, full * size), [full, size]), 1));
  // A short last batch (possibly one example) is judged only when there is no full one: one
  // confidently wrong example must not pass for an exploding loss.
  if (n > full * size && full === 0) batchMeans.push(tf.reshape(tf.mean(tf.slice(losses, full * size)), [1]));
  const worst = tf.max(batchMeans.length === 1 ? batchMeans[0]! : tf.concat(batchMeans));
  const correct = tf.sum(tf.cast(tf.equal(pred, labels), 'float32'));
  return tf.stack([tf.sum(losses), correct, worst]);
}
