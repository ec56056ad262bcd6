// method: tpe with several objectives. TPE splits the trials into good and bad by one order;
// here that order is NSGA-II's (non-domination rank, then crowding distance: objectives.ts),
// in the spirit of MOTPE's split by rank, with crowding rather than hypervolume contribution
// breaking ties in the last front. Each trial with a full vector is handed to the
// single-objective TPE with its position in that order as a value to minimise; complete and
// pruned trials are ordered apart (TPE ranks pruned ones after complete ones anyway).
import { rankByFronts, samplerObjectives } from './objectives.js';
import type { SampledTrial, Sampler, SamplerOptions, Suggestion } from './sampler.js';
import { TpeSampler } from './tpe-sampler.js';
import type { Objective } from '../core/pareto.js';

export class MultiObjectiveTpeSampler implements Sampler {
  readonly planned: number | null;
  readonly #tpe: TpeSampler;
  readonly #objectives: Objective[];

  constructor(options: SamplerOptions) {
    this.#objectives = samplerObjectives(options);
    this.#tpe = new TpeSampler({ ...options, direction: 'minimize' });
    this.planned = this.#tpe.planned;
  }

  suggest(number: number, history: readonly SampledTrial[], live?: readonly SampledTrial[]): Suggestion {
    return this.#tpe.suggest(number, scored(history, this.#objectives), live === undefined ? undefined : scored(live, this.#objectives));
  }

  stages(): [] {
    return [];
  }
}

/** The trials with `value` = their position in the order above (null without a full vector). */
export function scored(trials: readonly SampledTrial[], objectives: readonly Objective[]): SampledTrial[] {
  const position = new Map<number, number>();
  for (const pruned of [false, true]) {
    const group = trials.filter((t) => (t.state === 'pruned') === pruned && t.state !== 'running');
    rankByFronts(group, objectives).forEach((r, i) => position.set(r.trial.number, i));
  }
  return trials.map((t) => ({ ...t, value: position.get(t.number) ?? null }));
}
