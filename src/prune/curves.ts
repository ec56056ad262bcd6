// The study's curves of one metric, as pruners read them: every trial's value at each epoch
// and its state. Kept in memory and fed incrementally (epochs as they are reported, trials of
// other processes once they finish), so a rule never reloads curves from storage.
import type { EpochRecord, TrialState } from '../core/types.js';

interface Curve {
  state: TrialState;
  /** Value of the metric by 0-based epoch. */
  values: Map<number, number>;
}

export class StudyCurves {
  readonly #trials = new Map<number, Curve>();

  constructor(readonly metric: string) {}

  /** Sets a trial's whole curve and state (loaded from storage). */
  set(trial: number, state: TrialState, epochs: readonly EpochRecord[]): void {
    const values = new Map<number, number>();
    for (const e of epochs) {
      const v = e.metrics[this.metric];
      if (v !== undefined) values.set(e.epoch, v);
    }
    this.#trials.set(trial, { state, values });
  }

  /** A trial (re)starts: running, with no epochs. */
  start(trial: number): void {
    this.#trials.set(trial, { state: 'running', values: new Map() });
  }

  record(trial: number, epoch: EpochRecord): void {
    const v = epoch.metrics[this.metric];
    if (v === undefined) return;
    let curve = this.#trials.get(trial);
    if (curve === undefined) {
      curve = { state: 'running', values: new Map() };
      this.#trials.set(trial, curve);
    }
    curve.values.set(epoch.epoch, v);
  }

  finish(trial: number, state: TrialState): void {
    const curve = this.#trials.get(trial);
    if (curve === undefined) this.#trials.set(trial, { state, values: new Map() });
    else curve.state = state;
  }

  stateOf(trial: number): TrialState | undefined {
    return this.#trials.get(trial)?.state;
  }

  /** Trial numbers in `state`, ascending. */
  numbers(state?: TrialState): number[] {
    const out: number[] = [];
    for (const [n, c] of this.#trials) if (state === undefined || c.state === state) out.push(n);
    return out.sort((a, b) => a - b);
  }

  valueAt(trial: number, epoch: number): number | undefined {
    return this.#trials.get(trial)?.values.get(epoch);
  }

  /**
   * The best value of a trial over epochs ≤ `epoch`, ignoring NaN; NaN when every value is
   * NaN, undefined when it reported none.
   */
  bestUpTo(trial: number, epoch: number, minimize: boolean): number | undefined {
    const curve = this.#trials.get(trial);
    if (curve === undefined) return undefined;
    let best: number | undefined;
    for (const [e, v] of curve.values) {
      if (e > epoch) continue;
      if (best === undefined || Number.isNaN(best)) best = v;
      else if (!Number.isNaN(v) && (minimize ? v < best : v > best)) best = v;
    }
    return best;
  }

  /** Number of epochs a trial reported. */
  length(trial: number): number {
    return this.#trials.get(trial)?.values.size ?? 0;
  }
}
