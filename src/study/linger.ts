/**
 * What a slot of a worker does when there is nothing to claim: while trials of the study
 * run elsewhere, any of them may be orphaned (its worker killed, its host cut off), so the
 * slot waits and looks again rather than leave. It leaves when the study's budget is met
 * (every trial up to the cap finished), when the run is stopping, or after `idleExitMs` of
 * finding nothing.
 */
import { isFinished, type FrozenTrial } from '../core/types.js';
import type { Sampler } from '../search/index.js';
import type { Storage, StudyRecord } from '../store/storage.js';

export interface LingerOptions {
  /** Leave after this long with nothing to claim (null: stay until the budget is met). */
  idleExitMs: number | null;
  /** How often to look again. */
  pollMs: number;
}

export class Linger {
  private idleSince: number | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly study: StudyRecord,
    private readonly cap: number | null,
    private readonly sampler: Sampler,
    private readonly options: LingerOptions,
  ) {}

  /** The slot got a trial: it is not idle. */
  busy(): void {
    this.idleSince = null;
  }

  /** After finding nothing to claim: true to look again (having waited), false to leave. */
  async again(isStopping: () => boolean): Promise<boolean> {
    const now = performance.now();
    this.idleSince ??= now;
    const { idleExitMs, pollMs } = this.options;
    if (isStopping() || (idleExitMs !== null && now - this.idleSince >= idleExitMs)) return false;
    if (budgetMet(await this.storage.listTrials(this.study.id), this.cap, this.sampler)) return false;
    const wait = idleExitMs === null ? pollMs : Math.min(pollMs, Math.max(0, this.idleSince + idleExitMs - now));
    await new Promise((resolve) => setTimeout(resolve, wait));
    return !isStopping();
  }
}

/**
 * Whether a study's budget is met: every trial has finished, and there are as many as the cap
 * — or the sampler has nothing left to run (method pbt: no member can go on; one that exploits jumps to its donor's epoch and
 * skips segments, so an asynchronous population may end short of the cap).
 */
export function budgetMet(trials: readonly FrozenTrial[], cap: number | null, sampler?: Sampler): boolean {
  if (!trials.every((t) => isFinished(t.state))) return false;
  if (cap !== null && trials.length >= cap) return true;
  return sampler?.exhausted?.(trials) === true;
}
