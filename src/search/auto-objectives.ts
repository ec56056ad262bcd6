// method: auto with several objectives: TPE (split by non-domination rank) for budgets of a
// few generations, NSGA-II once run_cap gives it AUTO_NSGA2_GENERATIONS generations or more.
import { NSGA2_DEFAULTS, type Spec } from '../core/spec.js';
import type { MethodChoice } from './auto.js';

export const AUTO_NSGA2_GENERATIONS = 5;

export function chooseMultiObjective(spec: Pick<Spec, 'run_cap' | 'objectives' | 'nsga2'>): MethodChoice {
  const population = spec.nsga2?.population ?? NSGA2_DEFAULTS.population;
  const n = spec.objectives?.length ?? 1;
  if (spec.run_cap !== null && spec.run_cap >= AUTO_NSGA2_GENERATIONS * population) {
    return { method: 'nsga2', reason: `${n} objectives, run_cap ${spec.run_cap} ≥ ${AUTO_NSGA2_GENERATIONS} generations of ${population}` };
  }
  const cap = spec.run_cap === null ? '' : `, run_cap ${spec.run_cap} < ${AUTO_NSGA2_GENERATIONS} generations of ${population} for nsga2`;
  return { method: 'tpe', reason: `${n} objectives${cap}` };
}
