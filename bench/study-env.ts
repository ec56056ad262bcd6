/** Running a whole study for a bench section: a spec from text, SQLite in a temp dir, real slots. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Spec } from '../src/core/spec.js';
import type { TrialExecutor } from '../src/core/trainer.js';
import { createExecutor } from '../src/pool/index.js';
import { parseSpec } from '../src/spec/index.js';
import { openStorage } from '../src/store/open.js';
import { runStudy } from '../src/study/run.js';

/** A temporary directory for one section, removed by `done()`. */
export function benchDir(prefix: string): { dir: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), `hpsearch-bench-${prefix}-`));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A spec parsed from `text`, as if read from a file in `dir`. */
export function specFrom(dir: string, text: string): Spec {
  const path = join(dir, 'spec.yaml');
  writeFileSync(path, text);
  return parseSpec(text, path);
}

/**
 * Runs the study of `spec` to its run_cap on `parallelism` slots, in a fresh database (at `path`), and
 * returns the wall-clock seconds of the trials alone: the slots are started and their trainer
 * loaded (prepare) before the clock starts.
 */
export async function timeStudy(
  spec: Spec,
  dir: string,
  parallelism: number,
  path = join(dir, `p${parallelism}-${Date.now()}.db`),
): Promise<StudyTime> {
  const executor = await createExecutor({ spec, parallelism });
  try {
    await executor.prepare();
    return await timeStudyOn(executor, spec, path);
  } finally {
    await executor.close();
  }
}

/** How long a study's trials took (wall clock) and how many completed. */
export interface StudyTime {
  seconds: number;
  trials: number;
}

/**
 * Runs the study of `spec` to its run_cap on an executor that is already prepared (and may have
 * run studies before: its workers then start warm), in a fresh database at `path`.
 */
export async function timeStudyOn(executor: TrialExecutor, spec: Spec, path: string): Promise<StudyTime> {
  const storage = await openStorage(path);
  try {
    const start = performance.now();
    const summary = await runStudy({ spec, storage, executor });
    const seconds = (performance.now() - start) / 1000;
    const complete = summary.trials.filter((t) => t.state === 'complete').length;
    if (complete !== summary.trials.length) {
      const failed = summary.trials.find((t) => t.state !== 'complete');
      throw new Error(`bench study: trial ${failed?.number} ${failed?.state}: ${failed?.error}`);
    }
    return { seconds, trials: complete };
  } finally {
    await storage.close();
  }
}
