import { UsageError } from '../../core/errors.js';
import { loadData } from '../data/index.js';
import { loadKeptModel } from './files.js';
import { accuracyOf, probabilities } from './predict.js';

export interface EnsembleResult {
  /** Each member's test accuracy, in the order given. */
  members: { dir: string; trial: number; accuracy: number }[];
  /** Accuracy of the mean of the members' softmax outputs. */
  ensemble: number;
  testRows: number;
}

/**
 * Averages the softmax outputs of kept models on their test split (rebuilt from the data
 * spec kept with them: all must have trained on the same data) and scores the average.
 */
export async function ensembleAccuracy(dirs: readonly string[]): Promise<EnsembleResult> {
  if (dirs.length === 0) throw new UsageError('no kept models to ensemble');
  let sum: Float32Array[] | null = null;
  let dataKey: string | null = null;
  const members: EnsembleResult['members'] = [];
  let testRows = 0;
  let test: ReturnType<typeof loadData>['test'] | null = null;
  for (const dir of dirs) {
    const { meta, model } = await loadKeptModel(dir);
    try {
      if (meta.data === null) throw new UsageError(`${dir}: the model keeps no data spec to test it on`);
      const key = JSON.stringify(meta.data);
      if (dataKey !== null && key !== dataKey) throw new UsageError(`${dir}: trained on other data than the first model; an ensemble needs one test split`);
      dataKey = key;
      test ??= loadData(meta.data).test;
      testRows = test.n;
      const probs = probabilities(model, meta, test.x, test.n);
      members.push({ dir, trial: meta.trial, accuracy: accuracyOf(probs, test) });
      const acc: Float32Array[] = sum ?? probs.map((p) => new Float32Array(p.length));
      probs.forEach((p, r) => p.forEach((v, k) => (acc[r]![k]! += v / dirs.length)));
      sum = acc;
    } finally {
      model.dispose();
    }
  }
  return { members, ensemble: accuracyOf(sum ?? [], test!), testRows };
}
