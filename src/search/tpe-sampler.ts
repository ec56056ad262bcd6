// method: tpe behind the Sampler interface (the algorithm is in tpe.ts).
import type { Distribution } from '../core/distributions.js';
import { TPE_DEFAULTS, type TpeOptions } from '../core/spec.js';
import type { Direction } from '../core/types.js';
import { checkParameters } from './random.js';
import type { SampledTrial, Sampler, SamplerOptions, Suggestion } from './sampler.js';
import { tpeParams } from './tpe.js';

export class TpeSampler implements Sampler {
  readonly planned: number | null;
  readonly #seed: number;
  readonly #direction: Direction;
  readonly #parameters: Readonly<Record<string, Distribution>>;
  readonly #options: TpeOptions;

  constructor(options: SamplerOptions) {
    checkParameters(options.spec.parameters);
    this.#seed = options.spec.seed;
    this.#direction = options.direction;
    this.#parameters = structuredClone(options.spec.parameters);
    this.#options = options.spec.tpe ?? TPE_DEFAULTS;
    this.planned = options.spec.run_cap;
  }

  /** `live`: every trial so far with its state (else `history`). */
  suggest(number: number, history: readonly SampledTrial[], live?: readonly SampledTrial[]): Suggestion {
    const params = tpeParams({
      seed: this.#seed,
      trial: number,
      parameters: this.#parameters,
      history: (live ?? history).filter((t) => t.number < number),
      direction: this.#direction,
      options: this.#options,
    });
    return { params, distributions: structuredClone(this.#parameters), stage: null };
  }

  stages(): [] {
    return [];
  }
}
