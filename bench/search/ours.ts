/**
 * hpsearch's side of the sampler bench: a sampler driven in process, one trial at a time
 * (each suggestion sees every trial before it finished), as a one-slot study drives it.
 */
import { createSampler, type SampledTrial } from '../../src/search/index.js';
import type { BenchObjective } from './objectives.js';

export const OUR_SAMPLERS = ['random', 'tpe', 'gp', 'auto'] as const;
export type OurSampler = (typeof OUR_SAMPLERS)[number];

/** One seed's study: each trial's value, and its first parameter when that is categorical. */
export interface SeedRun {
  seed: number;
  values: number[];
  categories: (string | null)[];
}

/** gp models numeric spaces only. */
export function runsOn(sampler: OurSampler, o: BenchObjective): boolean {
  return sampler !== 'gp' || (Object.values(o.parameters).every((d) => d.type !== 'categorical') && o.conditions === undefined);
}

export function runOurs(sampler: OurSampler, o: BenchObjective, seed: number, trials: number): SeedRun {
  const s = createSampler({
    spec: { seed, method: sampler, parameters: o.parameters, conditions: o.conditions, stages: [], run_cap: trials },
    direction: o.direction,
  });
  const first = Object.keys(o.parameters)[0] as string;
  const history: SampledTrial[] = [];
  const categories: (string | null)[] = [];
  for (let k = 0; k < trials; k++) {
    const { params } = s.suggest(k, history, history);
    const value = o.f(params);
    history.push({ number: k, params, value, state: 'complete' });
    categories.push(typeof params[first] === 'string' ? params[first] : null);
  }
  return { seed, values: history.map((t) => t.value as number), categories };
}
