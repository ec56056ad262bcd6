// early_terminate: { type: hyperband } — successive-halving brackets (Li et al. 2018), each
// trial in one bracket chosen from (seed, number); a bracket's trials compete only with
// each other.
import type { HyperbandTerminate } from '../core/spec.js';
import type { StudyCurves } from './curves.js';
import type { StopDecision } from './decision.js';
import { RungPruner } from './halving.js';
import type { Pruner } from './pruner.js';

/** Brackets used: at most `brackets`, and no more than ⌊log_η(max / min)⌋ + 1. */
export function bracketCount(c: Pick<HyperbandTerminate, 'min_resource' | 'max_resource' | 'reduction_factor' | 'brackets'>): number {
  let n = 1;
  while (c.min_resource * c.reduction_factor ** n <= c.max_resource * (1 + 1e-9)) n++;
  return Math.max(1, Math.min(c.brackets ?? n, n));
}

/**
 * Each bracket's share of trials, as in Hyperband: bracket b (early-stopping rate b, so its
 * first cut comes at min_resource · η^b) gets ⌈B / (s + 1) · η^s⌉ with s = B − 1 − b.
 */
export function bracketWeights(count: number, eta: number): number[] {
  return Array.from({ length: count }, (_, b) => {
    const s = count - 1 - b;
    return Math.ceil((count / (s + 1)) * eta ** s);
  });
}

/** The bracket a draw u ∈ [0, 1) falls in, by weight. */
export function bracketOf(u: number, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  for (const [b, w] of weights.entries()) {
    cumulative += w;
    if (u * total < cumulative) return b;
  }
  return weights.length - 1;
}

export class HyperbandPruner implements Pruner {
  readonly #brackets: RungPruner[];
  readonly #weights: number[];
  readonly #of = new Map<number, number>();

  /** `draw(trial)` is the trial's u ∈ [0, 1) for its bracket: a function of (seed, number). */
  constructor(
    config: HyperbandTerminate,
    minimize: boolean,
    private readonly draw: (trial: number) => number,
  ) {
    const count = bracketCount(config);
    this.#weights = bracketWeights(count, config.reduction_factor);
    this.#brackets = Array.from(
      { length: count },
      (_, b) =>
        new RungPruner(config.metric, minimize, {
          minResource: config.min_resource,
          eta: config.reduction_factor,
          rate: b,
          maxResource: config.max_resource,
          competes: (trial, other) => this.bracket(trial) === this.bracket(other),
          label: `hyperband bracket ${b}`,
        }),
    );
  }

  bracket(trial: number): number {
    let b = this.#of.get(trial);
    if (b === undefined) {
      b = bracketOf(this.draw(trial), this.#weights);
      this.#of.set(trial, b);
    }
    return b;
  }

  prune(curves: StudyCurves, trial: number, epoch: number): StopDecision {
    return (this.#brackets[this.bracket(trial)] as RungPruner).prune(curves, trial, epoch);
  }
}
