/**
 * `data:` → loaded, split and preprocessed examples, cached per worker: trials with the same
 * data spec reuse the same arrays (read-only) instead of loading again.
 */
import type { DataSpec } from '../../core/spec.js';
import { deriveSeed } from '../random.js';
import { loadCsv } from './csv.js';
import { loadMnist } from './mnist.js';
import { applyPreprocess, fitPreprocess } from './preprocess.js';
import { readSplitFile } from './split-file.js';
import { stratifiedSplit, takeRows } from './split.js';
import type { SplitIndices } from './split.js';
import { blobs, spirals } from './synthetic.js';
import type { PreparedData, RawData } from './types.js';

export type { Dataset, PreparedData } from './types.js';

/** Seed of data generation and splitting when the spec gives none (see loadData). */
export const DEFAULT_DATA_SEED = 0;

/** How many prepared data sets a worker keeps (least recently used ones are dropped). */
const CACHE_SIZE = 4;
const cache = new Map<string, PreparedData>();

function loadRaw(spec: DataSpec, seed: number): RawData {
  switch (spec.source) {
    case 'csv':
      if (spec.path === null) throw new Error('data: source csv needs a path');
      return loadCsv(spec.path, spec.label, spec.header);
    case 'mnist':
      return loadMnist(spec.samples, deriveSeed(seed, 'mnist'));
    case 'synthetic': {
      const classes = spec.classes ?? 3;
      const points = spec.points ?? 600;
      if (points < classes) throw new Error(`data: points (${points}) must be at least classes (${classes})`);
      const genSeed = deriveSeed(seed, 'synthetic');
      if (spec.kind === 'blobs') return blobs(classes, spec.features ?? 2, points, spec.noise ?? 1, genSeed);
      return spirals(classes, points, spec.noise ?? 0.1, genSeed);
    }
  }
}

function prepare(spec: DataSpec, seed: number): PreparedData {
  const raw = loadRaw(spec, seed);
  const indices: SplitIndices =
    spec.split_file !== null ? readSplitFile(spec.split_file, raw.n) : stratifiedSplit(raw.y, spec.split, deriveSeed(seed, 'split'));
  const train = takeRows(raw, indices.train);
  const channels = raw.imageShape === null ? null : raw.imageShape[2];
  const transform = fitPreprocess(spec.preprocess, train, raw.features, channels);
  return {
    train: applyPreprocess(transform, train),
    val: applyPreprocess(transform, takeRows(raw, indices.val)),
    test: applyPreprocess(transform, takeRows(raw, indices.test)),
    features: raw.features,
    imageShape: raw.imageShape,
    classes: raw.classNames.length,
    classNames: raw.classNames,
    transform,
  };
}

/**
 * Loads, splits (seeded, stratified, or from the split file) and preprocesses (statistics of
 * the training split only) the data a spec describes. The seed is `spec.seed`, or
 * DEFAULT_DATA_SEED when the spec leaves it null. Results are cached per process by the spec's
 * content; callers must not modify the returned arrays.
 */
export function loadData(spec: DataSpec): PreparedData {
  const seed = spec.seed ?? DEFAULT_DATA_SEED;
  const key = JSON.stringify({ ...spec, seed });
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const data = prepare(spec, seed);
  if (data.train.n === 0) throw new Error('data: the training split is empty');
  cache.set(key, data);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return data;
}
