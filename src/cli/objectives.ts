// How query commands show a multi-objective study: one column per objective, the Pareto front
// of its complete trials as `best`, and the best trial of a named objective for `check`.
import { studyObjectives, trialValues, VALUES_ATTR, type Objective } from '../core/objectives.js';
import { paretoFront } from '../core/pareto.js';
import { isBetter, type FrozenTrial } from '../core/types.js';
import type { StudyRecord } from '../store/storage.js';

/** The study's objectives when it has several; empty for a single-objective study. */
export function severalObjectives(study: StudyRecord): Objective[] {
  const list = studyObjectives(study);
  return list.length > 1 ? list : [];
}

/** A trial's figure on objective `i` (null where it has none). */
export function objectiveValue(t: FrozenTrial, i: number): number | null {
  const raw = t.attrs[VALUES_ATTR];
  const v = Array.isArray(raw) ? raw[i] : undefined;
  return typeof v === 'number' ? v : null;
}

/** A trial's values by objective name, as --json prints them. */
export function valuesByName(t: FrozenTrial, objectives: readonly Objective[]): Record<string, number | null> {
  return Object.fromEntries(objectives.map((o, i) => [o.name, objectiveValue(t, i)]));
}

/**
 * The Pareto front of the complete trials (pruned, failed and running ones never count:
 * a pruned trial's partial figures cannot push a finished trial off it), best first by the
 * first objective, then by number.
 */
export function paretoTrials(trials: readonly FrozenTrial[], objectives: readonly Objective[]): FrozenTrial[] {
  const complete = trials.filter((t) => t.state === 'complete');
  const front = paretoFront(complete, (t) => trialValues(t, objectives), objectives.map((o) => o.goal));
  const goal = objectives[0]!.goal;
  return front.sort((a, b) => (isBetter(objectiveValue(a, 0), objectiveValue(b, 0), goal) ? -1 : isBetter(objectiveValue(b, 0), objectiveValue(a, 0), goal) ? 1 : a.number - b.number));
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
