import { middleOf } from '../core/distributions.js';
import type { Spec } from '../core/spec.js';
import type { TrialTask } from '../core/trainer.js';
import type { Params } from '../core/types.js';

/**
 * The trial preflight and gradcheck look at: the spec's fixed settings, with each searched
 * parameter at the middle of its range (in its sampling scale) or its first value.
 */
export function fixedTask(spec: Spec): TrialTask {
  const params: Params = {};
  for (const [name, d] of Object.entries(spec.parameters)) params[name] = middleOf(d);
  return {
    study: spec.name,
    trial: 0,
    attempt: 1,
    seed: spec.seed,
    params,
    trainer: spec.trainer,
    module: spec.module,
    ...(spec.user_model === undefined ? {} : { user_model: spec.user_model }),
    data: spec.data === null ? null : { ...spec.data, seed: spec.data.seed ?? spec.seed },
    train: spec.train,
    early_terminate: null,
    metric: spec.metric,
  };
}
