/** Epoch-write throughput, for `npm run bench` (issue 4: goal ≥ 50 000 rows/s). */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EpochRecord } from '../core/types.js';
import { SqliteStorage } from './sqlite.js';

/**
 * Writes `rows` epoch rows (standard metrics plus one extra) into a fresh study at `path`,
 * in batches of 100 as the study loop does, across trials of 100 epochs; returns rows per
 * second. Deletes `path` (and its -wal/-shm) first and afterwards.
 */
export async function benchEpochWrites(path: string, rows: number, batch = 100): Promise<number> {
  const remove = (): void => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  };
  mkdirSync(dirname(path), { recursive: true });
  remove();
  const storage = new SqliteStorage(path);
  try {
    const study = await storage.createStudy({
      name: 'bench', specText: '', specHash: '', specJson: '{}', direction: 'minimize', metric: 'val_loss', seed: 0,
    });
    const epochsPerTrial = 100;
    const trials = Math.ceil(rows / epochsPerTrial);
    for (let n = 0; n < trials; n++) {
      await storage.createTrial(study.id, { cap: null, worker: 'bench', build: () => ({ params: {}, distributions: {}, seed: n }) });
    }
    const all: { trial: number; epoch: EpochRecord }[] = [];
    for (let i = 0; i < rows; i++) {
      const epoch = i % epochsPerTrial;
      const loss = 1 / (1 + epoch);
      all.push({
        trial: Math.floor(i / epochsPerTrial),
        epoch: {
          epoch,
          metrics: {
            train_loss: loss, train_accuracy: 1 - loss, val_loss: loss * 1.1, val_accuracy: 1 - loss * 1.1,
            lr: 1e-3, seconds: 0.01, grad_norm: Math.sqrt(loss),
          },
        },
      });
    }
    const started = process.hrtime.bigint();
    for (let i = 0; i < all.length; ) {
      const trial = all[i]!.trial;
      const chunk: EpochRecord[] = [];
      while (i < all.length && chunk.length < batch && all[i]!.trial === trial) chunk.push(all[i++]!.epoch);
      await storage.appendEpochs(study.id, trial, chunk);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return rows / seconds;
  } finally {
    await storage.close();
    remove();
  }
}
