import { UsageError } from '../core/errors.js';
import type { EpochRecord, FrozenTrial } from '../core/types.js';
import { resultEpoch } from './curves.js';

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
  /** Where the value was read: the trial's value, an attribute, or its result epoch. */
  source: 'value' | 'attr' | 'epoch' | null;
  /** The epoch an `epoch` value was read at (the trial's result epoch, see `resultEpoch`), else null. */
  epoch: number | null;
  passed: boolean;
}

const NAME = /^\s*([A-Za-z_][\w.]*)/;
const REST = /^\s*(>=|<=|==|>|<)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*$/i;

/**
 * A quoted metric name at the start of `text` ("…" or '…'; a backslash escapes the next
 * character), and the length it took; null when `text` does not start with a quote.
 */
function quotedName(text: string): { name: string; length: number } | null {
  const start = text.length - text.trimStart().length;
  const quote = text[start];
  if (quote !== '"' && quote !== "'") return null;
  let name = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) name += text[++i];
    else if (c === quote) return { name, length: i + 1 };
    else name += c;
  }
  return null;
}

/**
 * Parses `metric OP number`; a metric name with other characters (quotes, brackets, spaces) is
 * written in quotes: `"acc[top-5]">=0.9`. A malformed requirement is a usage error (exit 2).
 */
export function parseRequirement(text: string): Requirement {
  const quoted = quotedName(text);
  const plain = quoted === null ? NAME.exec(text) : null;
  const name = quoted?.name ?? plain?.[1];
  const m = REST.exec(text.slice(quoted?.length ?? plain?.[0].length ?? 0));
  if (name === undefined || name === '' || m === null || m[1] === undefined || m[2] === undefined) {
    throw new UsageError(
      `--require '${text}': write METRIC OP NUMBER, e.g. 'val_accuracy>=0.95' (OP: >=, <=, >, <, ==; quote a name with other characters: '"acc[top-5]">=0.9')`,
    );
  }
  return { text: text.trim(), metric: name, op: m[1] as Requirement['op'], threshold: Number(m[2]) };
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
 * study's metric), else a numeric attribute (test_accuracy, …), else its result epoch — the
 * epoch whose weights it kept (`best_epoch` with restore_best, else the last), the epoch its
 * value comes from, so one requirement never mixes two epochs' figures.
 */
export function checkRequirements(
  trial: FrozenTrial,
  studyMetric: string,
  epochs: readonly EpochRecord[],
  requirements: readonly Requirement[],
): RequirementResult[] {
  const end = resultEpoch(trial, epochs);
  const last = epochs.find((e) => e.epoch === end?.epoch)?.metrics ?? {};
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
    const epoch = source === 'epoch' ? (end?.epoch ?? null) : null;
    return { ...r, actual, source, epoch, passed: actual !== null && compare(actual, r.op, r.threshold) };
  });
}
