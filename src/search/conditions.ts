// Conditional parameters (`when:`): a parameter applies only while each categorical parent
// it names is active and took one of the listed values. Samplers draw every parameter from
// its own (seed, trial, name) stream; the inactive ones are then dropped, so they are never
// stored, shown, or fitted (TPE and coarse-to-fine see only the trials where they applied).
import type { Distribution } from '../core/distributions.js';
import type { Conditions } from '../core/spec.js';
import type { Params } from '../core/types.js';
import type { MethodChoice } from './auto.js';
import type { SampledTrial, Sampler, StageRanges, Suggestion } from './sampler.js';

/** `params` without the parameters whose condition fails. */
export function activeParams(params: Params, conditions: Conditions): Params {
  const memo = new Map<string, boolean>();
  const active = (name: string, depth: number): boolean => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const when = conditions[name];
    // Depth guards against a cycle in a hand-built spec (the spec validator rejects them).
    const ok =
      when === undefined ||
      (depth < 100 && Object.entries(when).every(([parent, values]) => params[parent] !== undefined && active(parent, depth + 1) && values.includes(params[parent])));
    memo.set(name, ok);
    return ok;
  };
  const out: Params = {};
  for (const [name, value] of Object.entries(params)) if (active(name, 0)) out[name] = value;
  return out;
}

/** A sampler whose suggestions leave out inactive parameters. */
export class ConditionalSampler implements Sampler {
  constructor(
    private readonly inner: Sampler,
    private readonly conditions: Conditions,
  ) {}

  get planned(): number | null {
    return this.inner.planned;
  }

  get choice(): MethodChoice | undefined {
    return this.inner.choice;
  }

  suggest(number: number, history: readonly SampledTrial[], live?: readonly SampledTrial[]): Suggestion {
    const s = this.inner.suggest(number, history, live);
    const params = activeParams(s.params, this.conditions);
    const distributions: Record<string, Distribution> = {};
    for (const name of Object.keys(params)) {
      const d = s.distributions[name];
      if (d !== undefined) distributions[name] = d;
    }
    return { params, distributions, stage: s.stage };
  }

  stages(): StageRanges[] {
    return this.inner.stages();
  }
}
