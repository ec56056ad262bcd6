import { join } from 'node:path';
import { NotFoundError, UsageError } from '../core/errors.js';
import type { FrozenTrial } from '../core/types.js';
import type { Storage, StudyRecord } from '../store/storage.js';
import { modelsRoot } from '../study/keep.js';
import { resolveStudy } from './context.js';

/** A trial number from a positional argument. */
export function trialNumber(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`TRIAL must be a trial number, got ${JSON.stringify(value)}`);
  return n;
}

/** The directory of a trial's kept model; a trial without one is an error saying why. */
export function keptDir(storage: Storage, trial: FrozenTrial): string {
  const name = trial.attrs['model'];
  const root = modelsRoot(storage.location);
  if (typeof name !== 'string' || root === null) {
    throw new NotFoundError(
      `trial ${trial.number} has no kept model (state ${trial.state}; only complete trials of the tfjs trainer keep one, the best 5 by default: see keep_models)`,
    );
  }
  return join(root, name);
}

/** The study and trial a model command names. */
export async function keptTrial(storage: Storage, studyName: unknown, number: number): Promise<{ study: StudyRecord; trial: FrozenTrial; dir: string }> {
  const study = await resolveStudy(storage, studyName);
  const trial = await storage.getTrial(study.id, number);
  if (trial === null) throw new NotFoundError(`study '${study.name}' has no trial ${number}`);
  return { study, trial, dir: keptDir(storage, trial) };
}
