// How query commands show a multi-objective study: one column per objective, the Pareto front
// of its complete trials as `best`, and the best trial of a named objective for `check`.
import { objectiveValue, studyObjectives, trialValues, type Objective } from '../core/objectives.js';
import { isBetter, type FrozenTrial } from '../core/types.js';
import type { StudyRecord } from '../store/storage.js';

export { objectiveValue, paretoTrials } from '../core/objectives.js';

/** The study's objectives when it has several; empty for a single-objective study. */
export function severalObjectives(study: StudyRecord): Objective[] {
  const list = studyObjectives(study);
  return list.length > 1 ? list : [];
}

/** A trial's values by objective name, as --json prints them. */
export function valuesByName(t: FrozenTrial, objectives: readonly Objective[]): Record<string, number | null> {
  return Object.fromEntries(objectives.map((o, i) => [o.name, objectiveValue(t, i)]));
}

/** The complete trial best on objective `i`, with its figure there as its value (what --require reads). */
export function bestOnObjective(trials: readonly FrozenTrial[], objectives: readonly Objective[], i: number): FrozenTrial | undefined {
  const goal = objectives[i]!.goal;
  let best: FrozenTrial | undefined;
  for (const t of trials) {
    if (t.state !== 'complete' || trialValues(t, objectives) === null) continue;
    if (best === undefined || isBetter(objectiveValue(t, i), objectiveValue(best, i), goal)) best = t;
  }
  return best === undefined ? undefined : { ...best, value: objectiveValue(best, i) };
}
