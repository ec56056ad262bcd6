/**
 * Which trials keep their trained model, and where: `<storage folder>/<study>/trial-<n>/`.
 * A model whose trial did not complete, or that left the top k, is deleted (only directories
 * that hold a model hpsearch kept). With several objectives, the top k rank by the first, and
 * every trial on the Pareto front keeps its model too: `best` lists the front, and each of its
 * trials' models can be exported.
 */
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_KEEP_MODELS, type KeepModels } from '../core/spec.js';
import type { KeepTarget, TrialTask } from '../core/trainer.js';
import { paretoTrials } from '../core/objectives.js';
import type { Objective } from '../core/pareto.js';
import { rankByValue, type Direction } from '../core/types.js';
import type { Storage, TrialFinish } from '../store/storage.js';
import { isJournalLocation, journalPath } from '../store/journal-location.js';
import { isKeptModelDir } from '../train/keep/marker.js';

/** The folder kept models go under, for a storage location; null when there is none (memory). */
export function modelsRoot(location: string): string | null {
  if (location === '' || location === ':memory:') return null;
  if (/^postgres(ql)?:\/\//.test(location)) return resolve('runs');
  return dirname(isJournalLocation(location) ? journalPath(location) : resolve(location));
}

/** A study name as one directory name. */
export function folderName(study: string): string {
  const safe = study.replace(/[^\w.-]/g, '_');
  return safe === '.' || safe === '..' ? `_${safe}` : safe;
}

/** Where trial `n` of `study` keeps its model, relative to the storage's folder. */
export function keptModelName(study: string, trial: number): string {
  return `${folderName(study)}/trial-${trial}`;
}

/** Whether `dir` holds a model hpsearch kept (false when it does not exist). */
function holdsKeptModel(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => isKeptModelDir(join(dir, name)));
  } catch {
    return false;
  }
}

export class KeptModels {
  /** The study folders trials were given a target in: prune has nothing to do while none holds a model. */
  private readonly folders = new Set<string>();

  constructor(
    private readonly root: string | null,
    private readonly policy: KeepModels = DEFAULT_KEEP_MODELS,
    /** The kept model every trial starts from (train.init_from), if any. */
    readonly initFrom?: TrialTask['init_from'],
  ) {}

  /** Where the trainer writes trial `n`'s model, or undefined when nothing is kept. */
  target(study: string, trial: number): KeepTarget | undefined {
    if (this.root === null || this.policy.mode === 'none') return undefined;
    const name = keptModelName(study, trial);
    this.folders.add(join(this.root, folderName(study)));
    return { dir: join(this.root, name), name };
  }

  /** A trial that did not complete keeps no model: its files and attr go. */
  settle(finish: TrialFinish): void {
    const name = finish.attrs?.['model'];
    if (finish.state === 'complete' || typeof name !== 'string' || finish.attrs === undefined) return;
    this.remove(name);
    delete finish.attrs['model'];
  }

  /** Deletes the models of complete trials that are no longer among the top k (nor, with several objectives, on the front). */
  async prune(storage: Storage, studyId: number, direction: Direction, objectives?: readonly Objective[]): Promise<void> {
    if (this.root === null || this.policy.mode !== 'top_k') return;
    // A trainer that keeps nothing (or none kept yet) costs no read of the study's trials.
    if (![...this.folders].some(holdsKeptModel)) return;
    const complete = (await storage.listTrials(studyId)).filter((t) => t.state === 'complete');
    const front = new Set(objectives !== undefined && objectives.length > 1 ? paretoTrials(complete, objectives).map((t) => t.number) : []);
    for (const trial of rankByValue(complete, direction).slice(this.policy.k)) {
      if (front.has(trial.number)) continue;
      const name = trial.attrs['model'];
      if (typeof name === 'string') this.remove(name);
    }
  }

  private remove(name: string): void {
    if (this.root === null) return;
    const dir = join(this.root, name);
    if (isKeptModelDir(dir)) rmSync(dir, { recursive: true, force: true });
  }
}
