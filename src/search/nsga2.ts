// method: nsga2 — NSGA-II (Deb et al. 2002) one trial at a time. Trials are in generations of
// `population`; generation 0 is drawn as method random draws it. A trial of generation g ≥ 1
// is a child of the best `population` complete trials numbered before g·population (elitist
// survival over every generation so far: non-domination rank, then crowding distance), its
// parents picked by binary tournaments on that order. Each parameter is crossed and mutated in
// its own sampling scale mapped onto [0, 1] (log for log ranges, log 1−x for 1−β ranges, then
// snapped to integers or q steps): simulated binary crossover and polynomial mutation for
// numbers, a parent's category or a fresh draw for categoricals. Pruned, failed and running
// trials are no parents. Draws come from (seed, trial, name)-keyed streams: the same seed, spec
// and finished trials give the same child.
import type { Distribution } from '../core/distributions.js';
import type { Objective } from '../core/pareto.js';
import type { Nsga2Options } from '../core/spec.js';
import type { Params } from '../core/types.js';
import { drawValue } from './draw.js';
import { decodeValue, encodeValue, gpSpace, type GpCoordinate } from './gp-space.js';
import { crowdedBetter, rankByFronts, type RankedTrial } from './objectives.js';
import { drawParams, sortedNames } from './random.js';
import { paramStream, type RandomStream } from './rng.js';
import type { SampledTrial } from './sampler.js';

/** Distribution indices of simulated binary crossover and polynomial mutation (the usual 20: children near their parents). */
const ETA_CROSSOVER = 20;
const ETA_MUTATION = 20;

export interface Nsga2Draw {
  seed: number;
  trial: number;
  parameters: Readonly<Record<string, Distribution>>;
  history: readonly SampledTrial[];
  objectives: readonly Objective[];
  options: Nsga2Options;
}

/** The parents trial `trial` is bred from: the surviving population before its generation (empty in generation 0). */
export function survivors(trial: number, history: readonly SampledTrial[], objectives: readonly Objective[], population: number): RankedTrial[] {
  const start = Math.floor(trial / population) * population;
  const complete = history.filter((t) => t.number < start && (t.state === undefined || t.state === 'complete'));
  return rankByFronts(complete, objectives).slice(0, population);
}

/** Trial `trial`'s parameters by NSGA-II (see the file comment). */
export function nsga2Params(draw: Nsga2Draw): Params {
  const { parameters, options } = draw;
  const parents = survivors(draw.trial, draw.history, draw.objectives, options.population);
  if (parents.length < 2) return drawParams(draw.seed, draw.trial, parameters);
  const select = paramStream(draw.seed, draw.trial, 'nsga2:select');
  const tournament = (): SampledTrial => {
    const a = parents[select.int(0, parents.length - 1)]!;
    const b = parents[select.int(0, parents.length - 1)]!;
    return (crowdedBetter(a, b) ? a : b).trial;
  };
  const first = tournament();
  const second = tournament();
  const cross = select.uniform() < options.crossover_prob;
  const names = sortedNames(parameters);
  const space = gpSpace(parameters, names);
  const mutation = options.mutation_prob ?? 1 / Math.max(1, space.coordinates.length);
  const params: Params = { ...space.constants };
  for (const c of space.coordinates) {
    const name = c.dim.name;
    const rng = paramStream(draw.seed, draw.trial, `nsga2:${name}`);
    const d = parameters[name] as Distribution;
    const u1 = encodeValue(c, first.params[name]);
    const u2 = encodeValue(c, second.params[name]);
    // A parameter a parent lacks (inactive under `when:`) comes from the other, or is drawn.
    let u = u1 === undefined ? u2 : u2 === undefined || !cross ? u1 : crossover(c, u1, u2, rng);
    const mutate = rng.uniform() < mutation;
    if (u === undefined || (mutate && c.categories > 0)) {
      params[name] = drawValue(d, rng.uniform());
      continue;
    }
    if (mutate) u = polynomialMutation(u, rng.uniform());
    params[name] = decodeValue(c, u);
  }
  const ordered: Params = {};
  for (const name of names) if (params[name] !== undefined) ordered[name] = params[name];
  return ordered;
}

/** One child coordinate of two parents': a parent's category, or simulated binary crossover in [0, 1]. */
function crossover(c: GpCoordinate, u1: number, u2: number, rng: RandomStream): number {
  if (c.categories > 0) return rng.uniform() < 0.5 ? u1 : u2;
  const r = rng.uniform();
  const beta = r <= 0.5 ? (2 * r) ** (1 / (ETA_CROSSOVER + 1)) : (1 / (2 * (1 - r))) ** (1 / (ETA_CROSSOVER + 1));
  const [a, b] = rng.uniform() < 0.5 ? [u1, u2] : [u2, u1];
  return clamp01(0.5 * ((1 + beta) * a + (1 - beta) * b));
}

/** Deb's polynomial mutation of a coordinate in [0, 1], given r ~ U[0, 1). */
export function polynomialMutation(u: number, r: number): number {
  const delta = r < 0.5 ? (2 * r) ** (1 / (ETA_MUTATION + 1)) - 1 : 1 - (2 * (1 - r)) ** (1 / (ETA_MUTATION + 1));
  return clamp01(u + delta);
}

function clamp01(u: number): number {
  return Math.min(1, Math.max(0, u));
}
