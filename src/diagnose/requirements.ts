import { UsageError } from '../core/errors.js';
import type { EpochRecord, FrozenTrial } from '../core/types.js';

/** A CI threshold such as `val_accuracy>=0.95`. */
export interface Requirement {
  text: string;
  metric: string;
  op: '>=' | '<=' | '>' | '<' | '==';
  threshold: number;
}

export interface RequirementResult extends Requirement {
  /** The trial's value of the metric, or null when it has none. */
  actual: number | null;
  /** Where the value was read: the trial's value, an attribute, or its last epoch. */
  source: 'value' | 'attr' | 'epoch' | null;
  passed: boolean;
}

const PATTERN = /^\s*([A-Za-z_][\w.]*)\s*(>=|<=|==|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*$/i;

/** Parses `metric OP number`; a malformed requirement is a usage error (exit 2). */
export function parseRequirement(text: string): Requirement {
  const m = PATTERN.exec(text);
  if (m === null || m[1] === undefined || m[2] === undefined || m[3] === undefined) {
    throw new UsageError(`--require '${text}': write METRIC OP NUMBER, e.g. 'val_accuracy>=0.95' (OP: >=, <=, >, <, ==)`);
  }
  return { text: text.trim(), metric: m[1], op: m[2] as Requirement['op'], threshold: Number(m[3]) };
}

function compare(actual: number, op: Requirement['op'], threshold: number): boolean {
  switch (op) {
    case '>=':
      return actual >= threshold;
    case '<=':
      return actual <= threshold;
    case '>':
      return actual > threshold;
    case '<':
      return actual < threshold;
    case '==':
      return actual === threshold;
  }
}

/**
 * Checks a trial against each requirement. The metric is read from the trial's value (the
 * study's metric), else a numeric attribute (test_accuracy, …), else its last epoch.
 */
export function checkRequirements(
  trial: FrozenTrial,
  studyMetric: string,
  epochs: readonly EpochRecord[],
  requirements: readonly Requirement[],
): RequirementResult[] {
  const last = epochs[epochs.length - 1]?.metrics ?? {};
  return requirements.map((r) => {
    let actual: number | null = null;
    let source: RequirementResult['source'] = null;
    const attr = trial.attrs[r.metric];
    if (r.metric === studyMetric && trial.value !== null) {
      actual = trial.value;
      source = 'value';
    } else if (typeof attr === 'number') {
      actual = attr;
      source = 'attr';
    } else if (last[r.metric] !== undefined) {
      actual = last[r.metric] ?? null;
      source = 'epoch';
    }
    return { ...r, actual, source, passed: actual !== null && compare(actual, r.op, r.threshold) };
  });
}
