import type { Distribution } from '../core/distributions.js';
import type { MethodChoice } from './auto.js';
import type { Spec } from '../core/spec.js';
import type { Direction, FrozenTrial, Params, TrialState } from '../core/types.js';

/** A finished trial as samplers see it. */
export interface SampledTrial {
  number: number;
  params: Params;
  /** The trial's objective value; null or NaN when it has none (failed, diverged). */
  value: number | null;
  /** Its state; absent means finished (complete, or without a value: failed or diverged). */
  state?: TrialState;
  /** A multi-objective trial's values, in the objectives' order (absent for one objective). */
  values?: readonly (number | null)[];
}

/** The parameters of one trial, with the distributions they were drawn from. */
export interface Suggestion {
  params: Params;
  distributions: Record<string, Distribution>;
  /** 0-based coarse-to-fine stage, or null. */
  stage: number | null;
}

/** A stage's search ranges (coarse-to-fine), as stored and shown. */
export interface StageRanges {
  stage: number;
  /** Trial numbers the stage covers: [first, last]. */
  trials: [number, number];
  /** The top-k trials its ranges were fitted to (empty for stage 0). */
  fittedTo: number[];
  parameters: Record<string, Distribution>;
}

export interface Sampler {
  /**
   * Total trials the method plans: the grid size (grid), the stages' total or run_cap if
   * smaller (coarse-to-fine), run_cap (random; null when the spec has none: unbounded).
   */
  readonly planned: number | null;
  /**
   * Parameters of trial `number` (0-based). `history` holds the finished trials so far;
   * only coarse-to-fine reads it, when it decides a stage. For random and grid, and for
   * coarse-to-fine once the trial's stage is decided, the answer depends on (seed, number)
   * alone. Throws RangeError for a number past the grid or the last stage. `live` is every
   * trial so far with its state, running ones included (TPE, and coarse-to-fine stages using
   * it, learn from it).
   */
  suggest(number: number, history: readonly SampledTrial[], live?: readonly SampledTrial[]): Suggestion;
  /**
   * The ranges of every stage decided so far (coarse-to-fine; stage 0 is decided with
   * the first suggest); empty otherwise. Store the new entries after each suggest.
   */
  stages(): StageRanges[];
  /** What method: auto chose, and why (absent for the other methods). */
  readonly choice?: MethodChoice;
  /**
   * Whether the method has nothing left to run, given every trial with its state and attrs,
   * though there may be fewer than `planned` (pbt: no member can go on). Absent: the cap decides.
   */
  exhausted?(trials: readonly Pick<FrozenTrial, 'number' | 'state' | 'value' | 'params' | 'attrs'>[]): boolean;
}

export interface SamplerOptions {
  spec: Pick<Spec, 'seed' | 'method' | 'parameters' | 'stages' | 'run_cap' | 'tpe' | 'conditions' | 'pbt'> & Partial<Pick<Spec, 'metric' | 'objectives' | 'nsga2'>>;
  direction: Direction;
  /** Stage ranges stored earlier (resume): they are reused rather than refitted. */
  storedStages?: readonly StageRanges[];
}
