// method: random — trial k's parameters are a function of (study seed, k) alone.
import type { Distribution } from '../core/distributions.js';
import type { Params } from '../core/types.js';
import { checkDistribution, drawValue } from './draw.js';
import { paramStream } from './rng.js';
import type { Sampler, SamplerOptions, Suggestion } from './sampler.js';

/** Parameter names in a fixed order (code-unit order), whatever the spec's key order. */
export function sortedNames(parameters: Readonly<Record<string, Distribution>>): string[] {
  // The default order: UTF-16 code units, the same for every locale.
  return Object.keys(parameters).sort();
}

/** Rejects any distribution nothing can be drawn from (see checkDistribution). */
export function checkParameters(parameters: Readonly<Record<string, Distribution>>): void {
  for (const name of sortedNames(parameters)) checkDistribution(name, parameters[name] as Distribution);
}

/**
 * Draws trial `trial`'s parameters. Each parameter has its own stream keyed by
 * (seed, trial, name) and takes one u ~ U[0, 1) from it, so a parameter's value depends on
 * its own name and distribution only: adding, removing or changing another parameter
 * leaves it as it was. Names are visited in sorted order so the output is deterministic
 * even in how its keys are ordered.
 */
export function drawParams(seed: number, trial: number, parameters: Readonly<Record<string, Distribution>>): Params {
  const params: Params = {};
  for (const name of sortedNames(parameters)) {
    const d = parameters[name] as Distribution;
    params[name] = drawValue(d, paramStream(seed, trial, name).uniform());
  }
  return params;
}

export class RandomSampler implements Sampler {
  /** run_cap; null (unbounded) when the spec has none. */
  readonly planned: number | null;
  readonly #seed: number;
  readonly #parameters: Readonly<Record<string, Distribution>>;

  constructor(options: SamplerOptions) {
    checkParameters(options.spec.parameters);
    this.#seed = options.spec.seed;
    this.#parameters = structuredClone(options.spec.parameters);
    this.planned = options.spec.run_cap;
  }

  suggest(number: number): Suggestion {
    return {
      params: drawParams(this.#seed, number, this.#parameters),
      distributions: structuredClone(this.#parameters),
      stage: null,
    };
  }

  stages(): [] {
    return [];
  }
}
