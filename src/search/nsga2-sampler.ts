// method: nsga2 behind the Sampler interface (the algorithm is in nsga2.ts).
import type { Distribution } from '../core/distributions.js';
import type { Objective } from '../core/pareto.js';
import { NSGA2_DEFAULTS, type Nsga2Options } from '../core/spec.js';
import { nsga2Params } from './nsga2.js';
import { samplerObjectives } from './objectives.js';
import { checkParameters } from './random.js';
import type { SampledTrial, Sampler, SamplerOptions, Suggestion } from './sampler.js';

export class Nsga2Sampler implements Sampler {
  readonly planned: number | null;
  readonly #seed: number;
  readonly #objectives: Objective[];
  readonly #parameters: Readonly<Record<string, Distribution>>;
  readonly #options: Nsga2Options;

  constructor(options: SamplerOptions) {
    checkParameters(options.spec.parameters);
    this.#seed = options.spec.seed;
    this.#objectives = samplerObjectives(options);
    this.#parameters = structuredClone(options.spec.parameters);
    this.#options = options.spec.nsga2 ?? NSGA2_DEFAULTS;
    this.planned = options.spec.run_cap;
  }

  suggest(number: number, history: readonly SampledTrial[], live?: readonly SampledTrial[]): Suggestion {
    const params = nsga2Params({
      seed: this.#seed,
      trial: number,
      parameters: this.#parameters,
      history: (live ?? history).filter((t) => t.number < number),
      objectives: this.#objectives,
      options: this.#options,
    });
    return { params, distributions: structuredClone(this.#parameters), stage: null };
  }

  stages(): [] {
    return [];
  }
}
