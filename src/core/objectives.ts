// The objectives of a study and a trial's values on them. A study of one objective has none
// of this (its `value` says everything); a multi-objective study stores its objectives in the
// study attr `objectives` and each trial's vector, in that order, in the trial attr `values`,
// with `value` = the first objective for readers that know only one.
import { paretoFront, type Objective } from './pareto.js';
import { isBetter, type Attrs, type Direction, type FrozenTrial, type JsonValue } from './types.js';

export type { Objective } from './pareto.js';

export const OBJECTIVES_ATTR = 'objectives';
export const VALUES_ATTR = 'values';

/** The objectives of a study: its `objectives` attr, else its one metric and direction. */
export function studyObjectives(study: { metric: string; direction: Direction; attrs: Attrs }): Objective[] {
  const raw = study.attrs[OBJECTIVES_ATTR];
  if (Array.isArray(raw) && raw.length > 0) {
    const list = raw.flatMap((o): Objective[] => {
      if (o === null || typeof o !== 'object' || Array.isArray(o)) return [];
      const { name, goal } = o;
      return typeof name === 'string' && (goal === 'minimize' || goal === 'maximize') ? [{ name, goal }] : [];
    });
    if (list.length === raw.length) return list;
  }
  return [{ name: study.metric, goal: study.direction }];
}

/** The objective values of a trial (its `values` attr, else its one value); null when any is missing or not finite. */
export function trialValues(trial: { value: number | null; attrs: Attrs }, objectives: readonly Objective[]): number[] | null {
  const raw = trial.attrs[VALUES_ATTR];
  const list: JsonValue[] = Array.isArray(raw) ? raw : objectives.length === 1 ? [trial.value] : [];
  if (list.length !== objectives.length) return null;
  const out: number[] = [];
  for (const v of list) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    out.push(v);
  }
  return out;
}

/** The values attr of a trial's final metrics: each objective's figure, null where the trainer gave none. */
export function valuesAttr(metrics: Readonly<Record<string, number>>, objectives: readonly Objective[]): (number | null)[] {
  return objectives.map((o) => {
    const v = metrics[o.name];
    return v === undefined || !Number.isFinite(v) ? null : v;
  });
}

/** A trial's figure on objective `i` (null where it has none). */
export function objectiveValue(t: { attrs: Attrs }, i: number): number | null {
  const raw = t.attrs[VALUES_ATTR];
  const v = Array.isArray(raw) ? raw[i] : undefined;
  return typeof v === 'number' ? v : null;
}

/**
 * The Pareto front of the complete trials (pruned, failed and running ones never count:
 * a pruned trial's partial figures cannot push a finished trial off it), best first by the
 * first objective, then by number.
 */
export function paretoTrials<T extends FrozenTrial>(trials: readonly T[], objectives: readonly Objective[]): T[] {
  const complete = trials.filter((t) => t.state === 'complete');
  const front = paretoFront(complete, (t) => trialValues(t, objectives), objectives.map((o) => o.goal));
  const goal = objectives[0]!.goal;
  return front.sort((a, b) => (isBetter(objectiveValue(a, 0), objectiveValue(b, 0), goal) ? -1 : isBetter(objectiveValue(b, 0), objectiveValue(a, 0), goal) ? 1 : a.number - b.number));
}
