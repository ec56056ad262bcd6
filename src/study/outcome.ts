import { valuesAttr, VALUES_ATTR, type Objective } from '../core/objectives.js';
import type { TrialOutcome } from '../core/trainer.js';
import type { Attrs } from '../core/types.js';
import type { StopDecision } from '../prune/rules.js';
import type { TrialFinish } from '../store/storage.js';

/**
 * How a trial is recorded, given how it ended and why it was asked to stop. A diverged trial
 * has no value; its last finite figure is kept apart (attrs.last_finite), named as such.
 */
export function decideFinish(
  outcome: TrialOutcome,
  decision: StopDecision,
  interrupted: boolean,
  metric: string,
  extraAttrs: Attrs,
): TrialFinish {
  const finish = decide(outcome, decision, interrupted, metric, extraAttrs);
  if (finish.state !== 'diverged') return finish;
  const value = finish.value;
  const attrs = value !== null && Number.isFinite(value) ? { ...finish.attrs, last_finite: { [metric]: value } } : finish.attrs;
  return { ...finish, value: null, ...(attrs === undefined ? {} : { attrs }) };
}

function decide(
  outcome: TrialOutcome,
  decision: StopDecision,
  interrupted: boolean,
  metric: string,
  extraAttrs: Attrs,
): TrialFinish {
  if (outcome.kind === 'failed') {
    if (interrupted) return { state: 'interrupted', value: null, error: `interrupted (${outcome.error})`, attrs: extraAttrs };
    return { state: 'failed', value: null, error: outcome.error, attrs: extraAttrs };
  }
  const { result } = outcome;
  const attrs: Attrs = { ...result.attrs, ...extraAttrs };
  const value = result.metrics[metric] ?? null;
  if (result.diverged !== undefined) return { state: 'diverged', value, error: result.diverged, attrs };
  if (decision.stop) {
    if (decision.state === 'complete') {
      attrs['stop_reason'] = decision.reason;
    } else {
      return { state: decision.state, value, error: decision.reason, attrs };
    }
  } else if (interrupted) {
    return { state: 'interrupted', value, error: 'interrupted before the end of training', attrs };
  }
  if (value === null) {
    const reported = Object.keys(result.metrics);
    return {
      state: 'failed',
      value: null,
      error: `the trainer returned no '${metric}' (it returned: ${reported.length > 0 ? reported.join(', ') : 'nothing'})`,
      attrs,
    };
  }
  if (!Number.isFinite(value)) {
    return { state: 'diverged', value: null, error: `${metric} is ${String(value)}: the training diverged`, attrs };
  }
  return { state: 'complete', value, error: null, attrs };
}

/**
 * A multi-objective trial's vector in attr `values` (objective order; null where the trainer
 * gave none). A trial that would complete without every objective fails, naming the missing ones.
 */
export function withObjectiveValues(finish: TrialFinish, outcome: TrialOutcome, objectives: readonly Objective[] | undefined): TrialFinish {
  if (objectives === undefined || outcome.kind !== 'finished') return finish;
  const values = valuesAttr(outcome.result.metrics, objectives);
  const attrs: Attrs = { ...finish.attrs, [VALUES_ATTR]: values };
  const missing = objectives.filter((_, i) => values[i] === null).map((o) => o.name);
  if (finish.state !== 'complete' || missing.length === 0) return { ...finish, attrs };
  const reported = Object.keys(outcome.result.metrics);
  return { ...finish, state: 'failed', value: null, error: `the trainer returned no finite ${missing.map((m) => `'${m}'`).join(', ')} (it returned: ${reported.join(', ') || 'nothing'})`, attrs };
}
