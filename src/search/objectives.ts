// What the samplers of several objectives share: the objectives of a spec, a trial's vector,
// and the order of NSGA-II's survival (front, then crowding) that TPE's split reuses.
import { crowdingDistance, nonDominatedSort, type Objective } from '../core/pareto.js';
import type { Direction } from '../core/types.js';
import type { SampledTrial, SamplerOptions } from './sampler.js';

/** The spec's objectives: its list, else its one metric with the sampler's direction. */
export function samplerObjectives(options: SamplerOptions): Objective[] {
  return options.spec.objectives ?? [{ name: options.spec.metric?.name ?? 'value', goal: options.direction }];
}

/** A trial's objective vector, or null when some value is missing or not finite. */
export function vectorOf(t: SampledTrial, objectives: readonly Objective[]): number[] | null {
  const raw = t.values ?? (objectives.length === 1 ? [t.value] : []);
  if (raw.length !== objectives.length) return null;
  return raw.every((v): v is number => v !== null && Number.isFinite(v)) ? [...raw] : null;
}

export interface RankedTrial {
  trial: SampledTrial;
  /** 0 for the non-dominated trials, 1 for those dominated only by them, … */
  rank: number;
  crowding: number;
}

/**
 * Trials with a full vector, best first: by non-domination rank, then crowding distance
 * (larger first: the spread-out ones), then trial number.
 */
export function rankByFronts(trials: readonly SampledTrial[], objectives: readonly Objective[]): RankedTrial[] {
  const usable = trials.flatMap((trial) => {
    const v = vectorOf(trial, objectives);
    return v === null ? [] : [{ trial, v }];
  });
  const goals: Direction[] = objectives.map((o) => o.goal);
  const out: RankedTrial[] = [];
  nonDominatedSort(usable.map((u) => u.v), goals).forEach((front, rank) => {
    const crowding = crowdingDistance(front.map((i) => usable[i]!.v));
    const members = front.map((i, k) => ({ trial: usable[i]!.trial, rank, crowding: crowding[k]! }));
    members.sort((a, b) => b.crowding - a.crowding || a.trial.number - b.trial.number);
    out.push(...members);
  });
  return out;
}

/** True when `a` wins NSGA-II's crowded comparison against `b`. */
export function crowdedBetter(a: RankedTrial, b: RankedTrial): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.crowding !== b.crowding) return a.crowding > b.crowding;
  return a.trial.number < b.trial.number;
}
