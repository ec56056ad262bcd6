/** Rules that tie `method` to `run_cap`, `stages` and the parameters' grid points. */
import type { Distribution } from '../core/distributions.js';
import type { SearchMethod, Stage } from '../core/spec.js';
import type { Issues } from './issues.js';

export const DEFAULT_MARGIN = 0.25;

/** Points one parameter contributes to a grid, or undefined when it has no grid. */
export function gridPointsOf(d: Distribution): number | undefined {
  if (d.type === 'constant') return 1;
  if (d.type === 'categorical') return d.values.length;
  if (d.grid_points === undefined) return undefined;
  if (d.type === 'int_uniform') return Math.min(d.grid_points, Math.floor(d.max) - Math.ceil(d.min) + 1);
  return d.grid_points;
}

/** The number of points of the full grid (1 with no parameters); undefined if some parameter has none. */
export function gridSize(parameters: Record<string, Distribution>): number | undefined {
  let size = 1;
  for (const d of Object.values(parameters)) {
    const n = gridPointsOf(d);
    if (n === undefined) return undefined;
    size *= n;
  }
  return size;
}

export interface RawStage {
  trials: number;
  top_k?: number | null;
  margin?: number | null;
  method?: 'random' | 'tpe' | null;
}

export interface MethodInput {
  method: SearchMethod;
  /** Whether `method` was written (issues then point at it). */
  methodWritten: boolean;
  runCap: number | null;
  /** Whether run_cap was written but invalid (reported already): its rules are skipped. */
  runCapInvalid: boolean;
  /** Parameters that parsed; `complete` is false when some did not. */
  parameters: Record<string, Distribution>;
  complete: boolean;
  /** undefined when `stages` is absent; null when it was invalid (already reported). */
  stages: RawStage[] | null | undefined;
}

/** Checks the method's rules; returns the stages (empty for other methods). */
export function checkMethod(input: MethodInput, issues: Issues): Stage[] {
  const { method } = input;
  const methodPath = input.methodWritten ? ['method'] : [];
  if (method !== 'coarse-to-fine' && input.stages !== undefined) {
    issues.add(['stages'], `stages apply only to method: coarse-to-fine (this spec's method is ${method})`, { at: 'key' });
  }
  // pbt's trials are its members' segments: population × epochs / perturbation_interval.
  if (method !== 'grid' && method !== 'coarse-to-fine' && method !== 'pbt' && input.runCap === null && !input.runCapInvalid) {
    issues.add(['run_cap'], `${method} search needs run_cap (the number of trials to run)`, {
      where: methodPath,
      at: input.methodWritten ? 'value' : 'parent',
    });
  }
  if (method === 'grid') checkGrid(input, issues);
  if (method !== 'coarse-to-fine') return [];
  if (input.stages === undefined) {
    issues.add(['stages'], 'coarse-to-fine needs stages, e.g. [{trials: 30}, {trials: 20, top_k: 5}]', {
      where: methodPath,
      at: input.methodWritten ? 'value' : 'parent',
    });
    return [];
  }
  return input.stages === null ? [] : checkStages(input.stages, issues);
}

function checkGrid(input: MethodInput, issues: Issues): void {
  let missing = false;
  for (const [name, d] of Object.entries(input.parameters)) {
    if (gridPointsOf(d) !== undefined) continue;
    missing = true;
    issues.add(
      ['parameters', name, 'grid_points'],
      `grid search needs grid_points on the numeric parameter \`${name}\` (give grid_points: N, or use values)`,
      { at: 'parent' },
    );
  }
  if (missing || !input.complete) return;
  const size = gridSize(input.parameters) ?? 0;
  if (!Number.isSafeInteger(size)) {
    const where = input.methodWritten ? ['method'] : [];
    issues.add(where, `the grid has about ${size.toPrecision(3)} points, too many to enumerate (at most 2^53): use fewer values or grid_points, or method: random`);
    return;
  }
  if (input.runCap === null) return;
  if (size > input.runCap) {
    issues.add(
      ['run_cap'],
      `the grid has ${size} points, more than run_cap ${input.runCap} (raise run_cap, or omit it to run the whole grid)`,
    );
  }
}

function checkStages(raw: RawStage[], issues: Issues): Stage[] {
  let trialsSoFar = 0;
  return raw.map((s, i) => {
    const path = ['stages', i];
    const topK = s.top_k ?? null;
    if (i === 0 && topK !== null) {
      issues.add([...path, 'top_k'], 'the first stage samples the whole space: top_k applies to later stages only', { at: 'key' });
    }
    if (i > 0 && topK === null) {
      issues.add([...path, 'top_k'], 'later stages need top_k (how many of the best trials so far bound the new ranges)', {
        at: 'parent',
      });
    }
    if (i > 0 && topK !== null && topK > trialsSoFar) {
      issues.add([...path, 'top_k'], `top_k (${topK}) exceeds the ${trialsSoFar} trials of the stages before it`);
    }
    trialsSoFar += s.trials;
    const stage: Stage = { trials: s.trials, top_k: i === 0 ? null : topK, margin: s.margin ?? DEFAULT_MARGIN };
    if (s.method === 'tpe') stage.method = 'tpe';
    return stage;
  });
}
