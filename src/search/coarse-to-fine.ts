// method: coarse-to-fine — stage 0 samples the full ranges; each later stage samples
// ranges fitted to the best trials so far (narrow.ts). A stage is decided when a trial of
// it (or of a later stage) is first asked for — stage 0 included, so a caller that stores
// the new entries of stages() after each suggest stores stage 0 with the first trial.
//
// Stage s ≥ 1 is fitted to the top_k finished trials with a finite value that lie inside
// stage s−1's ranges, and clipped to stage s−1's ranges. For stage 1 that is every trial,
// clipped to the original ranges; for later stages it makes each stage nest inside the
// previous one and contain the trials it was fitted to (a stage-0 outlier outside stage
// 1's box cannot pull stage 2 back out). With no such trial, a stage keeps the previous
// stage's ranges. top_k null: the best 20 % of those trials (at least one).
//
// Within a stage, trial k's draws come from the same (seed, k, name) streams as method
// random, mapped into the stage's ranges; with the stage ranges stored, a resumed study
// gives every trial the same parameters. A stage with `method: tpe` draws by TPE inside its
// ranges instead, learning from every trial so far (tpe.ts).
import { UsageError } from '../core/errors.js';
import type { Distribution } from '../core/distributions.js';
import { TPE_DEFAULTS, type Stage, type TpeOptions } from '../core/spec.js';
import type { Direction } from '../core/types.js';
import { narrowParameters, topTrials } from './narrow.js';
import { checkParameters, drawParams } from './random.js';
import type { SampledTrial, Sampler, SamplerOptions, StageRanges, Suggestion } from './sampler.js';
import { tpeParams } from './tpe.js';

/** The trial numbers of each stage: stage s covers [first, last] (0-based, inclusive). */
export interface StageSlot {
  stage: number;
  first: number;
  last: number;
}

export function stagePlan(stages: readonly Stage[]): StageSlot[] {
  let first = 0;
  return stages.map((s, stage) => {
    const slot = { stage, first, last: first + s.trials - 1 };
    first += s.trials;
    return slot;
  });
}

/** The stage trial `number` belongs to, or null past the last stage. */
export function stageOfTrial(plan: readonly StageSlot[], number: number): number | null {
  return plan.find((slot) => number >= slot.first && number <= slot.last)?.stage ?? null;
}

export class CoarseToFineSampler implements Sampler {
  /** The stages' total trials, or run_cap if smaller. */
  readonly planned: number;
  readonly #seed: number;
  readonly #direction: Direction;
  readonly #original: Record<string, Distribution>;
  readonly #stages: readonly Stage[];
  readonly #plan: StageSlot[];
  readonly #decided: StageRanges[];
  readonly #tpe: TpeOptions;

  constructor(options: SamplerOptions) {
    const { spec } = options;
    if (spec.stages.length === 0) throw new UsageError('method coarse-to-fine needs at least one stage');
    for (const [i, s] of spec.stages.entries()) {
      if (!Number.isSafeInteger(s.trials) || s.trials < 1) throw new UsageError(`stages.${i}.trials must be an integer ≥ 1 (got ${s.trials})`);
    }
    checkParameters(spec.parameters);
    this.#seed = spec.seed;
    this.#direction = options.direction;
    this.#original = structuredClone<Record<string, Distribution>>(spec.parameters);
    this.#stages = structuredClone(spec.stages);
    this.#plan = stagePlan(spec.stages);
    const total = this.#plan.reduce((n, slot) => n + slot.last - slot.first + 1, 0);
    this.planned = spec.run_cap === null ? total : Math.min(total, spec.run_cap);
    this.#decided = CoarseToFineSampler.#reuse(options.storedStages ?? []);
    this.#tpe = spec.tpe ?? TPE_DEFAULTS;
  }

  /** Stored stages, as-is; they must be stages 0, 1, … without gaps. */
  static #reuse(stored: readonly StageRanges[]): StageRanges[] {
    const sorted = structuredClone([...stored]).sort((a, b) => a.stage - b.stage);
    sorted.forEach((s, i) => {
      if (s.stage !== i) throw new UsageError(`stored coarse-to-fine stages are not 0, 1, …: found stage ${s.stage} at position ${i}`);
    });
    return sorted;
  }

  suggest(number: number, history: readonly SampledTrial[], live?: readonly SampledTrial[]): Suggestion {
    const stage = stageOfTrial(this.#plan, number);
    if (stage === null) {
      const last = (this.#plan.at(-1) as StageSlot).last;
      throw new RangeError(`trial ${number} is past the last coarse-to-fine stage (the stages cover trials 0 to ${last})`);
    }
    while (this.#decided.length <= stage) this.#decided.push(this.#fit(this.#decided.length, history));
    const ranges = (this.#decided[stage] as StageRanges).parameters;
    const params =
      this.#stages[stage]?.method === 'tpe'
        ? tpeParams({
            seed: this.#seed,
            trial: number,
            parameters: ranges,
            history: (live ?? history).filter((t) => t.number < number),
            direction: this.#direction,
            options: this.#tpe,
          })
        : drawParams(this.#seed, number, ranges);
    return { params, distributions: structuredClone(ranges), stage };
  }

  stages(): StageRanges[] {
    return structuredClone(this.#decided);
  }

  #fit(stage: number, history: readonly SampledTrial[]): StageRanges {
    const slot = this.#plan[stage] as StageSlot;
    if (stage === 0) return { stage, trials: [slot.first, slot.last], fittedTo: [], parameters: structuredClone(this.#original) };
    const previous = (this.#decided[stage - 1] as StageRanges).parameters;
    const { top_k, margin } = this.#stages[stage] as Stage;
    const top = topTrials(history, this.#direction, top_k, previous);
    const parameters = top.length === 0 ? structuredClone(previous) : narrowParameters(this.#original, previous, top, margin);
    checkParameters(parameters);
    return { stage, trials: [slot.first, slot.last], fittedTo: top.map((t) => t.number), parameters };
  }
}
