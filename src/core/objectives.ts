// The objectives of a study and a trial's values on them. A study of one objective has none
// of this (its `value` says everything); a multi-objective study stores its objectives in the
// study attr `objectives` and each trial's vector, in that order, in the trial attr `values`,
// with `value` = the first objective for readers that know only one.
import type { Objective } from './pareto.js';
import type { Attrs, Direction, JsonValue } from './types.js';

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
