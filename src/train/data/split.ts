/**
 * Train/val/test splits: stratified by fractions with a seed (each class split in the same
 * proportions), or read from a split file assigning each row.
 */
import { Rng } from '../random.js';
import type { Dataset, RawData } from './types.js';

export type SplitName = 'train' | 'val' | 'test';

/** Row indices of each split. */
export type SplitIndices = Record<SplitName, Int32Array>;

/**
 * Splits rows class by class: each class's rows are shuffled (seeded) and cut by the
 * fractions (normalised to sum 1), rounding so that val and test get their share first and
 * train the rest. Each split's rows are then shuffled, so classes are interleaved.
 */
export function stratifiedSplit(labels: Int32Array, fractions: { train: number; val: number; test: number }, seed: number): SplitIndices {
  const rng = new Rng(seed);
  const total = fractions.train + fractions.val + fractions.test;
  if (!(total > 0) || fractions.train <= 0) throw new Error(`split: the train fraction must be > 0 (got ${JSON.stringify(fractions)})`);
  const byClass = new Map<number, number[]>();
  labels.forEach((c, i) => {
    const rows = byClass.get(c);
    if (rows === undefined) byClass.set(c, [i]);
    else rows.push(i);
  });
  const out: Record<SplitName, number[]> = { train: [], val: [], test: [] };
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(c)!;
    const order = rng.permutation(rows.length);
    const nVal = Math.round((rows.length * fractions.val) / total);
    const nTest = Math.min(rows.length - nVal, Math.round((rows.length * fractions.test) / total));
    order.forEach((k, j) => {
      const row = rows[k]!;
      if (j < nVal) out.val.push(row);
      else if (j < nVal + nTest) out.test.push(row);
      else out.train.push(row);
    });
  }
  const shuffled = (rows: number[]): Int32Array => {
    const a = Int32Array.from(rows);
    const p = rng.permutation(a.length);
    return Int32Array.from(p, (k) => a[k]!);
  };
  return { train: shuffled(out.train), val: shuffled(out.val), test: shuffled(out.test) };
}

/** The rows `indices` of `data`, copied. */
export function takeRows(data: RawData, indices: Int32Array): Dataset {
  const f = data.features;
  const x = new Float32Array(indices.length * f);
  const y = new Int32Array(indices.length);
  indices.forEach((row, i) => {
    x.set(data.x.subarray(row * f, (row + 1) * f), i * f);
    y[i] = data.y[row]!;
  });
  return { x, y, n: indices.length };
}
