/**
 * `metric:` as one objective or a list of them, the methods that take several, and
 * `nsga2:`. A list of one is the single form; a list of two or more is a multi-objective
 * study whose first objective is also `metric` (what single-objective readers see).
 */
import type { z } from 'zod';
import type { Objective } from '../core/pareto.js';
import { MULTI_OBJECTIVE_METHODS, NSGA2_DEFAULTS, type Nsga2Options, type SearchMethod, type Spec } from '../core/spec.js';
import type { Issues } from './issues.js';
import { impliedGoal, metricListSchema, metricSchema, type nsga2Schema } from './schema.js';

export const DEFAULT_METRIC = { name: 'val_accuracy', goal: 'maximize' } as const;

type RawMetric = z.output<typeof metricSchema>;

/** The schema `metric:` is checked with: the list form when a list is written (messages then name its items). */
export function metricSchemaFor(raw: unknown): z.ZodType {
  return Array.isArray(raw) ? metricListSchema.nullish() : metricSchema.nullish();
}

/** The objective(s) of `metric:`; undefined when some goal is missing or a name repeats (issues recorded). */
export function checkObjectives(raw: RawMetric | RawMetric[] | null | undefined, issues: Issues): { metric: Spec['metric']; objectives?: Objective[] } | undefined {
  if (raw === null || raw === undefined) return { metric: { ...DEFAULT_METRIC } };
  const list = Array.isArray(raw) ? raw : [raw];
  const path = (i: number): (string | number)[] => (Array.isArray(raw) ? ['metric', i] : ['metric']);
  const seen = new Set<string>();
  const out: Objective[] = [];
  list.forEach((m, i) => {
    const goal = m.goal ?? impliedGoal(m.name);
    if (seen.has(m.name)) issues.add([...path(i), 'name'], `objective \`${m.name}\` is listed twice`);
    seen.add(m.name);
    if (goal === undefined) {
      issues.add([...path(i), 'goal'], `give goal: minimize or maximize (it can't be told from the name \`${m.name}\`)`, { at: 'parent' });
      return;
    }
    out.push({ name: m.name, goal });
  });
  if (out.length !== list.length || seen.size !== list.length) return undefined;
  const first = out[0] as Objective;
  return out.length === 1 ? { metric: first } : { metric: first, objectives: out };
}

/** Refuses a method that cannot weigh several objectives (gp, grid, coarse-to-fine), naming `method`. */
export function checkObjectiveMethod(method: SearchMethod, objectives: readonly Objective[] | undefined, methodWritten: boolean, issues: Issues): void {
  if (objectives === undefined || MULTI_OBJECTIVE_METHODS.includes(method)) return;
  issues.add(
    methodWritten ? ['method'] : ['metric'],
    `method ${method} takes one objective, and metric lists ${objectives.length} (${objectives.map((o) => o.name).join(', ')}): use nsga2, tpe, random or auto`,
  );
}

/** NSGA-II's settings when the method uses them; `nsga2:` elsewhere is an issue. */
export function nsga2Options(raw: z.output<typeof nsga2Schema> | null | undefined, uses: boolean, issues: Issues): Nsga2Options | undefined {
  if (!uses) {
    if (raw !== null && raw !== undefined) issues.add(['nsga2'], 'nsga2: settings apply only to method: nsga2 (or auto with several objectives)', { at: 'key' });
    return undefined;
  }
  return {
    population: raw?.population ?? NSGA2_DEFAULTS.population,
    crossover_prob: raw?.crossover_prob ?? NSGA2_DEFAULTS.crossover_prob,
    mutation_prob: raw?.mutation_prob ?? NSGA2_DEFAULTS.mutation_prob,
  };
}
