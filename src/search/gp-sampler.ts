// method: gp behind the Sampler interface (the algorithm is in gp.ts).
import type { Distribution } from '../core/distributions.js';
import type { Direction } from '../core/types.js';
import { gpParams } from './gp.js';
import { checkParameters } from './random.js';
import type { SampledTrial, Sampler, SamplerOptions, Suggestion } from './sampler.js';

export class GpSampler implements Sampler {
  readonly planned: number | null;
  readonly #seed: number;
  readonly #direction: Direction;
  readonly #parameters: Readonly<Record<string, Distribution>>;

  constructor(options: SamplerOptions) {
    checkParameters(options.spec.parameters);
    this.#seed = options.spec.seed;
    this.#direction = options.direction;
    this.#parameters = structuredClone(options.spec.parameters);
    this.planned = options.spec.run_cap;
  }

  /** `live`: every trial so far with its state (else `history`). */
  suggest(number: number, history: readonly SampledTrial[], live?: readonly SampledTrial[]): Suggestion {
    const params = gpParams({
      seed: this.#seed,
      trial: number,
      parameters: this.#parameters,
      history: (live ?? history).filter((t) => t.number < number),
      direction: this.#direction,
    });
    return { params, distributions: structuredClone(this.#parameters), stage: null };
  }

  stages(): [] {
    return [];
  }
}
