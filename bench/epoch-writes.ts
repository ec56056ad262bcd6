/** Bench section: epoch rows per second through the study loop's EpochWriter into SQLite. */
import { join } from 'node:path';
import type { EpochRecord } from '../src/core/types.js';
import { openStorage } from '../src/store/open.js';
import { EpochWriter } from '../src/study/epoch-writer.js';
import { benchDir } from './study-env.js';
import type { BenchRow } from './types.js';

const ROWS = 100_000;
const TRIALS = 8;

/**
 * Rows from 8 trials running at once, interleaved as their slots report them, added one by one
 * to an EpochWriter (which batches them into transactions); the clock stops when the last is
 * stored. Each row has the standard metrics and one extra.
 */
export async function benchEpochWriter(): Promise<BenchRow[]> {
  const env = benchDir('epochs');
  const storage = await openStorage(join(env.dir, 'epochs.db'));
  try {
    const study = await storage.createStudy({
      name: 'bench', specText: '', specHash: '', specJson: '{}', direction: 'minimize', metric: 'val_loss', seed: 0,
    });
    for (let n = 0; n < TRIALS; n++) {
      await storage.createTrial(study.id, { cap: null, worker: 'bench', build: () => ({ params: {}, distributions: {}, seed: n }) });
    }
    const rows: [number, EpochRecord][] = [];
    for (let i = 0; i < ROWS; i++) {
      const epoch = Math.floor(i / TRIALS);
      const loss = 1 / (1 + epoch);
      const metrics = { train_loss: loss, train_accuracy: 1 - loss, val_loss: loss * 1.1, val_accuracy: 1 - loss * 1.1, lr: 1e-3, seconds: 0.01, grad_norm: loss };
      rows.push([i % TRIALS, { epoch, metrics }]);
    }
    const writer = new EpochWriter(storage, study.id);
    const start = performance.now();
    for (const [trial, epoch] of rows) writer.add(trial, epoch);
    await writer.flush();
    const seconds = (performance.now() - start) / 1000;
    return [{ name: `epoch rows written through the study's EpochWriter (${TRIALS} trials interleaved, SQLite)`, value: ROWS / seconds, unit: 'rows/s', goal: '≥ 50 000' }];
  } finally {
    await storage.close();
    env.done();
  }
}
