// method: gp — Bayesian optimisation with a Gaussian process (gp-model.ts) on the warped unit
// cube (gp-space.ts) and log expected improvement (gp-acquisition.ts). The first
// GP_STARTUP_TRIALS trials are drawn as method random draws them. After that the GP is fitted
// to the finished trials (complete and pruned ones by value; diverged and valueless ones at the
// worst value seen, so the search moves away from them), running trials join at the GP's
// prediction (the "kriging believer": a second slot is not sent where the first is training),
// and the point of highest log EI is taken. Parameters that some trial lacks (conditional ones)
// are drawn at random; the GP models those every trial has.
//
// Every draw comes from (seed, trial)-keyed streams and the fit starts from fixed points, so
// the same seed, spec and trials give the same parameters.
import type { Distribution } from '../core/distributions.js';
import type { Direction, Params } from '../core/types.js';
import { logExpectedImprovement, maximiseAcquisition } from './gp-acquisition.js';
import { fitHyper } from './gp-fit.js';
import { GpPosterior, pairDistances } from './gp-model.js';
import { decodePoint, encodeParams, gpSpace, type GpSpace } from './gp-space.js';
import { drawParams, sortedNames } from './random.js';
import { paramStream } from './rng.js';
import type { SampledTrial } from './sampler.js';

/** Trials drawn at random before the GP takes over. */
export const GP_STARTUP_TRIALS = 10;
/** The hyperparameters are fitted to at most this many trials (the best half and the latest). */
export const GP_FIT_TRIALS = 48;
const INCUMBENTS = 3;

export interface GpDraw {
  seed: number;
  trial: number;
  parameters: Readonly<Record<string, Distribution>>;
  /** Every trial before this one, running ones included. */
  history: readonly SampledTrial[];
  direction: Direction;
}

interface Observation {
  number: number;
  x: Float64Array;
  /** The value to minimise; null for a running trial. */
  y: number | null;
}

function observations(space: GpSpace, history: readonly SampledTrial[], direction: Direction): Observation[] {
  const sign = direction === 'minimize' ? 1 : -1;
  const out: Observation[] = [];
  for (const t of history) {
    if (t.state === 'failed' || t.state === 'interrupted' || t.state === 'waiting') continue;
    const x = encodeParams(space, t.params);
    if (x === null) continue;
    const finite = t.value !== null && Number.isFinite(t.value) && t.state !== 'diverged';
    out.push({ number: t.number, x, y: t.state === 'running' ? null : finite ? sign * (t.value as number) : Number.NaN });
  }
  return out;
}

/** The parameters every usable trial has a value of (the space the GP models). */
function sharedNames(parameters: Readonly<Record<string, Distribution>>, history: readonly SampledTrial[]): string[] {
  return sortedNames(parameters).filter((name) => history.every((t) => t.state === 'failed' || t.params[name] !== undefined));
}

/** The trials the hyperparameters are fitted to: all, or the best half and the latest of the rest. */
function fitSubset<T extends { number: number; y: number }>(observed: readonly T[]): T[] {
  if (observed.length <= GP_FIT_TRIALS) return [...observed];
  const byValue = [...observed].sort((a, b) => a.y - b.y || a.number - b.number);
  const best = byValue.slice(0, GP_FIT_TRIALS / 2);
  const rest = byValue.slice(GP_FIT_TRIALS / 2).sort((a, b) => b.number - a.number);
  return [...best, ...rest.slice(0, GP_FIT_TRIALS - best.length)];
}

/** Trial `trial`'s parameters by GP-EI (or at random while fewer than GP_STARTUP_TRIALS finished). */
export function gpParams(draw: GpDraw): Params {
  const { seed, trial, parameters } = draw;
  const usable = draw.history.filter((t) => t.state !== 'failed' && t.state !== 'interrupted' && t.state !== 'waiting');
  const random = drawParams(seed, trial, parameters);
  if (usable.filter((t) => t.state !== 'running').length < GP_STARTUP_TRIALS) return random;
  const space = gpSpace(parameters, sharedNames(parameters, usable));
  const all = observations(space, usable, draw.direction);
  const finished = all.filter((o) => o.y !== null);
  const valued = finished.filter((o) => !Number.isNaN(o.y));
  if (space.coordinates.length === 0 || valued.length < 2) return random;

  // Standardised values; a trial without one counts as the worst seen.
  const raw = valued.map((o) => o.y as number);
  const worst = Math.max(...raw);
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length) || 1;
  const observed = finished.map((o) => ({ ...o, y: ((Number.isNaN(o.y) ? worst : (o.y as number)) - mean) / sd }));

  const kinds = Uint8Array.from(space.coordinates, (c) => (c.categories > 0 ? 1 : 0));
  const subset = fitSubset(observed);
  const hyper = fitHyper(pairDistances(subset.map((o) => o.x), kinds), Float64Array.from(subset, (o) => o.y), kinds.length);
  const points = observed.map((o) => o.x);
  const values = observed.map((o) => o.y);
  let posterior = new GpPosterior(points, Float64Array.from(values), hyper, kinds);
  const pending = all.filter((o) => o.y === null);
  if (pending.length > 0) {
    const believed = pending.map((o) => posterior.predict(o.x).mean);
    posterior = new GpPosterior([...points, ...pending.map((o) => o.x)], Float64Array.from([...values, ...believed]), hyper, kinds);
  }

  const ranked = [...observed].sort((a, b) => a.y - b.y || a.number - b.number);
  const incumbent = (ranked[0] as { y: number }).y;
  const x = maximiseAcquisition({
    coordinates: space.coordinates,
    score: (p) => {
      const { mean: m, variance } = posterior.predict(p);
      return logExpectedImprovement(m, variance, incumbent);
    },
    incumbents: ranked.slice(0, INCUMBENTS).map((o) => o.x),
    rng: paramStream(seed, trial, 'gp:acquisition'),
  });
  const chosen = { ...random, ...decodePoint(space, x) };
  // Keys in sorted order, as the other samplers return them.
  const ordered: Params = {};
  for (const name of sortedNames(parameters)) if (chosen[name] !== undefined) ordered[name] = chosen[name];
  return ordered;
}
