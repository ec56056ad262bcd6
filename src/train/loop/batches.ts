/**
 * Mini-batches of an epoch, prepared in JavaScript memory: the training rows are permuted
 * once per epoch (seeded) and each batch is gathered into a reused buffer, so the backend
 * never gathers rows. Dropout masks are drawn here too, from the trial's seed. An augmenter,
 * when the trial has one, changes each gathered batch in place.
 */
import type { Augmenter } from '../augment.js';
import type { Dataset } from '../data/types.js';
import type { Rng } from '../random.js';

/** One-hot rows of `labels` for `classes` classes. */
export function oneHot(labels: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => (out[i * classes + c] = 1));
  return out;
}

/** One mini-batch, in buffers that the epoch's next batch overwrites: use it before asking for that. */
export interface Batch {
  /** Features, rows × features. */
  x: Float32Array;
  /** One-hot labels, rows × classes. */
  y: Float32Array;
  rows: number;
  /** The epoch's last batch. */
  last: boolean;
}

/** The training rows of one epoch in a random order, in mini-batches. */
export interface EpochBatches {
  /** Class indices of every row, in the epoch's order. */
  labels: Int32Array;
  rows: number;
  /** The batches in order; each but possibly the last has `batchSize` rows. */
  batches(): Generator<Batch>;
}

/**
 * The rows of `data` permuted with `rng`, cut into batches of `batchSize`. Each batch is
 * gathered when it is asked for, into two buffers the size of one batch, reused by every
 * batch of the epoch (nothing of the size of the epoch is copied or allocated).
 */
export function epochBatches(data: Dataset, features: number, classes: number, batchSize: number, rng: Rng, augmenter: Augmenter | null = null): EpochBatches {
  const order = rng.permutation(data.n);
  const labels = Int32Array.from(order, (src) => data.y[src]!);
  const n = data.n;
  return {
    labels,
    rows: n,
    *batches(): Generator<Batch> {
      const size = Math.min(batchSize, n);
      const x = new Float32Array(size * features);
      const y = new Float32Array(size * classes);
      for (let start = 0; start < n; start += batchSize) {
        const rows = Math.min(batchSize, n - start);
        y.fill(0);
        for (let i = 0; i < rows; i++) {
          const src = order[start + i]!;
          x.set(data.x.subarray(src * features, (src + 1) * features), i * features);
          y[i * classes + labels[start + i]!] = 1;
        }
        augmenter?.apply(x, labels.subarray(start, start + rows));
        yield { x: x.subarray(0, rows * features), y: y.subarray(0, rows * classes), rows, last: start + rows === n };
      }
    },
  };
}

/**
 * An inverted-dropout mask: each value is 0 with probability `rate`, else 1/(1 − rate), so the
 * expected activation is unchanged and evaluation needs no rescaling.
 */
export function dropoutMask(size: number, rate: number, rng: Rng): Float32Array {
  const keep = 1 - rate;
  const scale = 1 / keep;
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = rng.uniform() < keep ? scale : 0;
  return mask;
}
