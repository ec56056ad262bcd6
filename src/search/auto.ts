// method: auto — the GP for small numeric spaces, TPE otherwise. The GP models every
// parameter jointly and costs O(n³) a suggestion; TPE handles categorical and conditional
// parameters natively and stays cheap for long studies.
import type { Spec } from '../core/spec.js';

/** The most searched parameters, and the largest run_cap, auto gives to the GP. */
export const AUTO_GP_MAX_PARAMETERS = 10;
export const AUTO_GP_MAX_TRIALS = 200;

export interface MethodChoice {
  method: 'gp' | 'tpe' | 'nsga2';
  /** Why, in a few words (the CLI prints it in the run header). */
  reason: string;
}

export function chooseMethod(spec: Pick<Spec, 'parameters' | 'conditions' | 'run_cap'>): MethodChoice {
  const searched = Object.entries(spec.parameters).filter(([, d]) => d.type !== 'constant');
  const conditional = Object.keys(spec.conditions ?? {});
  if (conditional.length > 0) return { method: 'tpe', reason: `conditional ${plural('parameter', conditional.length)} ${list(conditional)}` };
  const categorical = searched.filter(([, d]) => d.type === 'categorical').map(([name]) => name);
  if (categorical.length > 0) return { method: 'tpe', reason: `categorical ${plural('parameter', categorical.length)} ${list(categorical)}` };
  if (searched.length > AUTO_GP_MAX_PARAMETERS) {
    return { method: 'tpe', reason: `${searched.length} parameters, gp takes up to ${AUTO_GP_MAX_PARAMETERS}` };
  }
  if (spec.run_cap !== null && spec.run_cap > AUTO_GP_MAX_TRIALS) {
    return { method: 'tpe', reason: `run_cap ${spec.run_cap}, gp takes up to ${AUTO_GP_MAX_TRIALS} trials` };
  }
  const cap = spec.run_cap === null ? '' : `, run_cap ${spec.run_cap}`;
  return { method: 'gp', reason: `${searched.length} numeric ${plural('parameter', searched.length)}${cap}` };
}

function plural(word: string, n: number): string {
  return n === 1 ? word : `${word}s`;
}

function list(names: readonly string[]): string {
  const sorted = [...names].sort();
  return sorted.length <= 3 ? sorted.join(', ') : `${sorted.slice(0, 3).join(', ')}, …`;
}
