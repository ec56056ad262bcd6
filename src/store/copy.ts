/**
 * Copying studies from one storage to another (SQLite ↔ PostgreSQL ↔ memory) through the
 * Storage interface alone, so any two implementations work. Everything is kept: the study
 * (name, spec, direction, metric, seed, attrs), and every trial's number, parameters,
 * distributions, seed, attrs, epochs, state, value, error, worker, attempt count and times.
 * A trial that is unfinished in the source (running, waiting) arrives `interrupted`, for the
 * destination's next run to re-run. Kept model files are not the storage's: see cli/ copy.
 */
import { NotFoundError, StorageError } from '../core/errors.js';
import type { EpochRecord } from '../core/types.js';
import { StudyExistsError } from './errors.js';
import type { Storage, StudyRecord, TrialFinish } from './storage.js';

export interface CopiedStudy {
  study: string;
  trials: number;
  epochs: number;
}

const BATCH = 500;

/** The named studies of `from` (all when `names` is empty); an unknown name is NotFoundError (exit 3). */
export async function studiesToCopy(from: Storage, names: readonly string[] = []): Promise<StudyRecord[]> {
  const all = await from.listStudies();
  return names.length === 0 ? all : names.map((n) => all.find((s) => s.name === n) ?? missing(from, n, all));
}

/** Copies `chosen` (from studiesToCopy); a name taken in `to` is StudyExistsError, before anything is written. */
export async function copyStudies(from: Storage, to: Storage, chosen: readonly StudyRecord[]): Promise<CopiedStudy[]> {
  for (const s of chosen) if ((await to.getStudy(s.name)) !== null) throw new StudyExistsError(s.name, to.location);
  const out: CopiedStudy[] = [];
  for (const s of chosen) out.push(await copyOne(from, to, s));
  return out;
}

function missing(storage: Storage, name: string, all: readonly StudyRecord[]): never {
  const names = all.map((s) => s.name);
  throw new NotFoundError(`no study '${name}' in ${storage.location} to copy${names.length > 0 ? ` (studies: ${names.join(', ')})` : ''}`);
}

async function copyOne(from: Storage, to: Storage, source: StudyRecord): Promise<CopiedStudy> {
  const { name, specText, specHash, specJson, direction, metric, seed } = source;
  const study = await to.createStudy({ name, specText, specHash, specJson, direction, metric, seed });
  for (const [key, value] of Object.entries(source.attrs)) await to.setStudyAttr(study.id, key, value);
  const trials = await from.listTrials(source.id);
  const curves = await from.getStudyEpochs(source.id);
  let epochs = 0;
  for (const t of trials) {
    const created = await to.createTrial(study.id, {
      cap: null,
      worker: t.worker ?? 'copy',
      build: () => ({ params: t.params, distributions: t.distributions, seed: t.seed, attrs: t.attrs }),
    });
    if (created?.number !== t.number) {
      throw new StorageError(`${to.location}: study '${name}': trial ${t.number} arrived as ${String(created?.number)}; the copy is incomplete`);
    }
    const curve: EpochRecord[] = curves.get(t.number) ?? [];
    for (let i = 0; i < curve.length; i += BATCH) await to.appendEpochs(study.id, t.number, curve.slice(i, i + BATCH));
    epochs += curve.length;
    const finish: TrialFinish =
      t.state === 'running'
        ? { state: 'interrupted', value: t.value, error: t.error ?? 'running when the study was copied' }
        : { state: t.state === 'waiting' ? 'interrupted' : t.state, value: t.value, error: t.error };
    const finished = await to.finishTrial(study.id, t.number, finish);
    await to.restoreTrialTimes(study.id, t.number, { attempt: t.attempt, started: t.started, heartbeat: t.heartbeat, finished: t.finished ?? finished.finished });
  }
  return { study: name, trials: trials.length, epochs };
}
