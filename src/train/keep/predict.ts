/** Using a kept model: class probabilities for new rows, and for a prepared split. */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { parseCsv } from '../data/csv.js';
import type { Dataset } from '../data/types.js';
import { tf } from '../tf.js';
import type { tfl } from '../tf.js';
import { loadKeptModel, type KeptMeta } from './files.js';

/** Softmax outputs of `model` for `n` preprocessed rows, one Float32Array of classes per row. */
export function probabilities(model: tfl.LayersModel, meta: KeptMeta, x: Float32Array, n: number): Float32Array[] {
  const classes = meta.class_names.length;
  const flat = tf.tidy(() => (model.predict(tf.tensor(x, [n, ...meta.input_shape])) as tf.Tensor).dataSync() as Float32Array);
  return Array.from({ length: n }, (_, r) => flat.slice(r * classes, (r + 1) * classes));
}

/** Fraction of `data`'s rows whose most probable class is their label. */
export function accuracyOf(probs: readonly Float32Array[], data: Dataset): number {
  let correct = 0;
  probs.forEach((p, r) => {
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
    if (best === data.y[r]) correct++;
  });
  return data.n === 0 ? Number.NaN : correct / data.n;
}

/** The feature values of a CSV's rows, in the model's column order, preprocessed as in training. */
function csvFeatures(path: string, meta: KeptMeta): { x: Float32Array; n: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot read (${(error as Error).message})`);
  }
  const rows = parseCsv(text);
  const features = meta.input_shape.reduce((a, b) => a * b, 1);
  const header = rows[0]?.some((f) => f.trim() !== '' && !Number.isFinite(Number(f))) === true ? rows.shift() : undefined;
  const labelCol = header !== undefined && meta.label !== null ? header.map((h) => h.trim()).indexOf(meta.label) : -1;
  const x = new Float32Array(rows.length * features);
  rows.forEach((row, r) => {
    const values = row.filter((_, c) => c !== labelCol);
    if (values.length !== features) {
      throw new UsageError(`${path}:${r + (header === undefined ? 1 : 2)}: ${values.length} feature values, the model takes ${features}`);
    }
    values.forEach((v, k) => {
      const value = Number(v);
      if (v.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${path}:${r + (header === undefined ? 1 : 2)}: '${v}' is not a number`);
      x[r * features + k] = (value - meta.preprocess.shift[k]!) / meta.preprocess.scale[k]!;
    });
  });
  return { x, n: rows.length };
}

/** Class probabilities of each row of a CSV file by a kept model. */
export async function predictCsv(dir: string, csvPath: string): Promise<{ classNames: string[]; rows: number[][] }> {
  const { meta, model } = await loadKeptModel(dir);
  try {
    const { x, n } = csvFeatures(csvPath, meta);
    return { classNames: meta.class_names, rows: probabilities(model, meta, x, n).map((p) => Array.from(p)) };
  } finally {
    model.dispose();
  }
}
