import type { EpochRecord, FrozenTrial } from '../core/types.js';
import { isFinished } from '../core/types.js';
import { StudyCurves } from '../prune/curves.js';
import type { Storage } from '../store/storage.js';

/**
 * The study's curves for a pruner, loaded once and then kept current without reloading:
 * this process's trials are fed epoch by epoch; another process's trial is read from
 * storage once, when it is first seen finished (its epochs while it runs are not seen).
 */
export class CurveCache {
  readonly curves: StudyCurves;
  readonly #final = new Set<number>();
  readonly #own = new Set<number>();

  constructor(
    private readonly storage: Storage,
    private readonly studyId: number,
    metric: string,
    trials: readonly FrozenTrial[],
    epochs: ReadonlyMap<number, readonly EpochRecord[]>,
  ) {
    this.curves = new StudyCurves(metric);
    for (const t of trials) {
      this.curves.set(t.number, t.state, epochs.get(t.number) ?? []);
      if (isFinished(t.state)) this.#final.add(t.number);
    }
  }

  /** Reads the trials other processes finished since the last look. */
  async refresh(): Promise<void> {
    for (const t of await this.storage.listTrials(this.studyId)) {
      if (this.#own.has(t.number) || this.#final.has(t.number)) continue;
      if (isFinished(t.state)) {
        this.curves.set(t.number, t.state, await this.storage.getEpochs(this.studyId, t.number));
        this.#final.add(t.number);
      } else if (this.curves.stateOf(t.number) === undefined) {
        this.curves.set(t.number, t.state, []);
      }
    }
  }

  /** This process (re)starts a trial: its curve starts empty (a re-run drops old epochs). */
  start(trial: number): void {
    this.#own.add(trial);
    this.#final.delete(trial);
    this.curves.start(trial);
  }

  finish(trial: FrozenTrial): void {
    this.curves.finish(trial.number, trial.state);
    this.#own.delete(trial.number);
    if (isFinished(trial.state)) this.#final.add(trial.number);
  }
}
