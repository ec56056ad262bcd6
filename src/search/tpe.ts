// method: tpe — the tree-structured Parzen estimator (Bergstra et al. 2011; Optuna's
// defaults). The first n_startup_trials trials are drawn as method random draws them. After
// that, the trials so far are split into the best γ(n) = min(⌈0.1·n⌉, 25) ("below") and the
// rest ("above"), each parameter gets a Parzen estimator l(x) of the below trials and g(x) of
// the others in its sampling scale, and of n_ei_candidates draws from l the one with the
// largest l(x)/g(x) is taken. Complete trials rank by value, pruned ones after them, and
// diverged, valueless and still-running trials last (running ones are the "constant liar":
// a second slot is pushed away from where the first is training). Failed trials are left out.
// With `multivariate`, the parameters present in every trial are drawn jointly (one kernel
// per trial over all of them); the others, one at a time.
//
// Draws come from (seed, trial, name)-keyed streams, so the same seed, spec and trials
// give the same parameters. With one slot that is the order trials finish in; with several,
// which trials had finished (and which were running) when a trial was asked for decides
// its draws, and that depends on timing.
import type { Distribution } from '../core/distributions.js';
import type { TpeOptions } from '../core/spec.js';
import type { Direction, Params } from '../core/types.js';
import { logSumExp, neighbourBandwidths, scottBandwidth, type Kernel } from './parzen.js';
import { drawParams, sortedNames } from './random.js';
import { paramStream, type RandomStream } from './rng.js';
import type { SampledTrial } from './sampler.js';
import { dimOf, type Dim } from './tpe-dims.js';

export { TPE_DEFAULTS } from '../core/spec.js';

/** Optuna's default γ: how many trials count as good. */
export function gammaOf(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

function isGood(t: SampledTrial): boolean {
  return t.value !== null && Number.isFinite(t.value) && t.state !== 'running' && t.state !== 'diverged';
}

/** The usable trials best first (see the file comment), and how many of them are finished. */
export function rankTrials(history: readonly SampledTrial[], direction: Direction): { ranked: SampledTrial[]; finished: number } {
  const usable = history.filter((t) => t.state !== 'failed' && t.state !== 'interrupted' && t.state !== 'waiting');
  const sign = direction === 'minimize' ? 1 : -1;
  const byValue = (a: SampledTrial, b: SampledTrial): number => sign * ((a.value as number) - (b.value as number)) || a.number - b.number;
  const complete = usable.filter((t) => isGood(t) && t.state !== 'pruned').sort(byValue);
  const pruned = usable.filter((t) => isGood(t) && t.state === 'pruned').sort(byValue);
  const rest = usable.filter((t) => !isGood(t)).sort((a, b) => a.number - b.number);
  return { ranked: [...complete, ...pruned, ...rest], finished: usable.filter((t) => t.state !== 'running').length };
}

/** Kernels of a dimension over observations `xs`, the prior last. */
function kernelsFor(dim: Dim, xs: readonly number[], sigma?: number): Kernel[] {
  const num = dim.numeric;
  if (num === null) return [...xs.map((x) => dim.around(x, 0, xs.length)), dim.prior()];
  const mid = (num.low + num.high) / 2;
  const widths = sigma === undefined ? neighbourBandwidths([...xs, mid], num) : xs.map(() => sigma);
  return [...xs.map((x, i) => dim.around(x, widths[i] as number, xs.length)), dim.prior()];
}

function mixture(kernels: readonly Kernel[], x: number): number {
  return logSumExp(kernels.map((k) => k.logPdf(x))) - Math.log(kernels.length);
}

/** Snaps a candidate to the value it stands for (lattice cells), in coordinates. */
function canonical(dim: Dim, x: number): number {
  return dim.encode(dim.decode(x)) ?? x;
}

function sampleOne(dim: Dim, below: readonly SampledTrial[], above: readonly SampledTrial[], rng: RandomStream, candidates: number): number {
  const obs = (ts: readonly SampledTrial[]): number[] => ts.map((t) => dim.encode(t.params[dim.name])).filter((x): x is number => x !== undefined);
  const l = kernelsFor(dim, obs(below));
  const g = kernelsFor(dim, obs(above));
  let best = Number.NaN;
  let bestScore = -Infinity;
  for (let i = 0; i < candidates; i++) {
    const x = canonical(dim, (l[rng.int(0, l.length - 1)] as Kernel).sample(rng));
    const score = mixture(l, x) - mixture(g, x);
    if (score > bestScore || Number.isNaN(best)) [best, bestScore] = [x, score];
  }
  return best;
}

/** Joint kernels: one per trial having every dimension, and the prior. */
function jointKernels(dims: readonly Dim[], trials: readonly SampledTrial[]): Kernel[][] {
  const rows = trials
    .map((t) => dims.map((d) => d.encode(t.params[d.name])))
    .filter((row): row is number[] => row.every((x) => x !== undefined));
  const perDim = dims.map((d, j) => {
    const sigma = d.numeric === null ? 0 : scottBandwidth(rows.length + 1, dims.length, d.numeric);
    return kernelsFor(d, rows.map((r) => r[j] as number), sigma);
  });
  return Array.from({ length: rows.length + 1 }, (_, c) => perDim.map((ks) => ks[c] as Kernel));
}

function jointDensity(components: readonly Kernel[][], xs: readonly number[]): number {
  return logSumExp(components.map((ks) => ks.reduce((s, k, j) => s + k.logPdf(xs[j] as number), 0))) - Math.log(components.length);
}

function sampleJoint(dims: readonly Dim[], below: readonly SampledTrial[], above: readonly SampledTrial[], rng: RandomStream, candidates: number): number[] {
  const l = jointKernels(dims, below);
  const g = jointKernels(dims, above);
  let best: number[] = [];
  let bestScore = -Infinity;
  for (let i = 0; i < candidates; i++) {
    const component = l[rng.int(0, l.length - 1)] as Kernel[];
    const xs = dims.map((d, j) => canonical(d, (component[j] as Kernel).sample(rng)));
    const score = jointDensity(l, xs) - jointDensity(g, xs);
    if (score > bestScore || best.length === 0) [best, bestScore] = [xs, score];
  }
  return best;
}

export interface TpeDraw {
  seed: number;
  trial: number;
  parameters: Readonly<Record<string, Distribution>>;
  history: readonly SampledTrial[];
  direction: Direction;
  options: TpeOptions;
  /** The names to draw, in order (default: every parameter, sorted). */
  names?: readonly string[];
}

/** Trial `trial`'s parameters by TPE (or at random while fewer than n_startup_trials finished). */
export function tpeParams(draw: TpeDraw): Params {
  const { parameters, options } = draw;
  const { ranked, finished } = rankTrials(draw.history, draw.direction);
  if (finished < options.n_startup_trials) return drawParams(draw.seed, draw.trial, parameters);
  const nBelow = gammaOf(ranked.length);
  const below = ranked.slice(0, nBelow);
  const above = ranked.slice(nBelow);
  const names = draw.names ?? sortedNames(parameters);
  const params: Params = {};
  const searched: Dim[] = [];
  for (const name of names) {
    const d = parameters[name] as Distribution;
    if (d.type === 'constant') params[name] = d.value;
    else searched.push(dimOf(name, d));
  }
  const everywhere = (dim: Dim): boolean => ranked.every((t) => t.params[dim.name] !== undefined);
  const joint = options.multivariate ? searched.filter(everywhere) : [];
  if (joint.length > 0) {
    const xs = sampleJoint(joint, below, above, paramStream(draw.seed, draw.trial, 'tpe:joint'), options.n_ei_candidates);
    joint.forEach((dim, j) => (params[dim.name] = dim.decode(xs[j] as number)));
  }
  for (const dim of searched) {
    if (joint.includes(dim)) continue;
    params[dim.name] = dim.decode(sampleOne(dim, below, above, paramStream(draw.seed, draw.trial, `tpe:${dim.name}`), options.n_ei_candidates));
  }
  // Keys in sorted order, as the other samplers return them.
  const ordered: Params = {};
  for (const name of sortedNames(parameters)) if (params[name] !== undefined) ordered[name] = params[name];
  return ordered;
}

