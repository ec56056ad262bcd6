// method: pbt behind the Sampler interface: a new member's parameters are drawn at random;
// later segments are planned from the stored segments (plan), not from suggest.
import type { Distribution } from '../core/distributions.js';
import type { PbtOptions } from '../core/spec.js';
import type { Direction, JsonValue, Params } from '../core/types.js';
import { explore, type Perturbation } from './pbt-explore.js';
import { nextSegment, type PopulationOptions, type Segment } from './pbt.js';
import { checkParameters, drawParams } from './random.js';
import { paramStream } from './rng.js';
import type { Sampler, SamplerOptions, Suggestion } from './sampler.js';

/** A segment's lineage, stored as the trial's `pbt` attr. */
export interface SegmentAttr {
  member: number;
  start_epoch: number;
  end_epoch: number;
  /** The trial whose checkpoint it starts from (null: from scratch). */
  from_trial: number | null;
  /** Set when it exploited another member: whose weights, at which epoch. */
  exploited: { member: number; trial: number; epoch: number } | null;
  /** What explore changed (exploits only). */
  changes: Record<string, Perturbation> | null;
}

export type SegmentPlan = { kind: 'wait' } | { kind: 'done' } | { kind: 'trial'; params: Params; distributions: Record<string, Distribution>; attr: SegmentAttr };

export class PbtSampler implements Sampler {
  /** At most this many segments: population × ⌈epochs / interval⌉ (fewer when members jump ahead). */
  readonly planned: number;
  readonly #seed: number;
  readonly #parameters: Readonly<Record<string, Distribution>>;
  readonly #pbt: PbtOptions;
  readonly #direction: Direction;

  constructor(options: SamplerOptions) {
    const pbt = options.spec.pbt;
    if (pbt === undefined) throw new Error('method pbt without pbt settings');
    checkParameters(options.spec.parameters);
    this.#seed = options.spec.seed;
    this.#parameters = structuredClone(options.spec.parameters);
    this.#pbt = pbt;
    this.#direction = options.direction;
    this.planned = pbt.population * Math.ceil(pbt.epochs / pbt.perturbation_interval);
  }

  /**
   * Whether the population is done: every segment finished and no member can go on. A member
   * that exploits jumps to its donor's epoch, so this may come before `planned` trials.
   * (Whether a member can go on does not depend on the donor draw, so no stream is used.)
   */
  exhausted(trials: Parameters<NonNullable<Sampler['exhausted']>>[0]): boolean {
    return nextSegment(trials.flatMap((t) => segmentOf(t) ?? []), this.#population(), { uniform: () => 0 }).kind === 'done';
  }

  #population(): PopulationOptions {
    const p = this.#pbt;
    return { population: p.population, interval: p.perturbation_interval, epochs: p.epochs, quantile_fraction: p.quantile_fraction, synch: p.synch, direction: this.#direction };
  }

  /** A new member's parameters (member m draws as random search's trial m). */
  suggest(member: number): Suggestion {
    return { params: drawParams(this.#seed, member, this.#parameters), distributions: structuredClone(this.#parameters), stage: null };
  }

  stages(): [] {
    return [];
  }

  /** Trial `number`, given every segment before it. */
  plan(number: number, segments: readonly Segment[]): SegmentPlan {
    const p = this.#pbt;
    const next = nextSegment(segments, this.#population(), paramStream(this.#seed, number, 'pbt.donor'));
    if (next.kind === 'wait' || next.kind === 'done') return next;
    const distributions = structuredClone(this.#parameters) as Record<string, Distribution>;
    const base = { member: next.member, start_epoch: next.start, end_epoch: next.end };
    if (next.kind === 'new') return { kind: 'trial', params: this.suggest(next.member).params, distributions, attr: { ...base, from_trial: null, exploited: null, changes: null } };
    if (next.kind === 'continue') return { kind: 'trial', params: { ...next.from.params }, distributions, attr: { ...base, from_trial: next.from.trial, exploited: null, changes: null } };
    const explored = explore(next.from.params, this.#parameters, p, paramStream(this.#seed, number, 'pbt.explore'));
    return {
      kind: 'trial',
      params: explored.params,
      distributions,
      attr: { ...base, from_trial: next.from.trial, exploited: { member: next.from.member, trial: next.from.trial, epoch: next.from.end }, changes: explored.changes },
    };
  }
}

/** A stored trial's segment, from its `pbt` attr (undefined when it has none). */
export function segmentOf(t: { number: number; state: Segment['state']; value: number | null; params: Params; attrs: Record<string, JsonValue> }): Segment | undefined {
  const a = t.attrs['pbt'] as unknown as SegmentAttr | undefined;
  if (a === undefined || a === null || typeof a !== 'object') return undefined;
  return { trial: t.number, member: a.member, start: a.start_epoch, end: a.end_epoch, state: t.state, value: t.value, params: t.params };
}
