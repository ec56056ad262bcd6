/**
 * Cross-field rules of the built-in trainer that no single key can check: each catches a
 * spec whose every trial would otherwise fail at run time.
 */
import type { Distribution } from '../core/distributions.js';
import type { DataSpec, SettingValue } from '../core/spec.js';
import { AUGMENT_KEYS, AUGMENT_PREFIX, FINAL_METRICS, IMAGE_ONLY, REPORTED_METRICS, TRAIN_KNOBS } from '../train/identifiers.js';
import { didYouMean, type Issues } from './issues.js';
import { trainPath } from './knobs.js';
import type { PathSegment } from './path-segment.js';

export interface TfjsRuleInput {
  metric: string | null;
  /** Every objective's name, when `metric:` lists several (else empty). */
  objectives?: readonly string[];
  earlyMetric: string | null;
  data: DataSpec | null;
  train: Record<string, SettingValue>;
  parameters: Record<string, Distribution>;
}

/** Values a setting can take in the spec: fixed in train:, or searched in parameters:. */
function possibleValues(name: string, input: TfjsRuleInput): unknown[] {
  const d = input.parameters[name];
  if (d !== undefined) return d.type === 'constant' ? [d.value] : d.type === 'categorical' ? d.values : [];
  const fixed = input.train[name];
  return fixed === undefined ? [] : [fixed];
}

function where(name: string, input: TfjsRuleInput): PathSegment[] {
  return input.parameters[name] !== undefined ? ['parameters', name] : trainPath(name);
}

/** Augmentation knobs that may do something: fixed to, or searched over, anything but their default. */
function augmentKnobsInUse(input: TfjsRuleInput): string[] {
  return AUGMENT_KEYS.map((k) => AUGMENT_PREFIX + k).filter((name) => {
    const off = TRAIN_KNOBS[name as keyof typeof TRAIN_KNOBS].default;
    if (input.parameters[name] !== undefined && possibleValues(name, input).length === 0) return true;
    return possibleValues(name, input).some((v) => v !== off);
  });
}

export function checkTfjsRules(input: TfjsRuleInput, issues: Issues): void {
  const perEpoch: readonly string[] = REPORTED_METRICS;
  const known: readonly string[] = [...REPORTED_METRICS, ...FINAL_METRICS];
  const objectives = input.objectives ?? [];
  const named: Array<[(string | number)[], string]> =
    objectives.length > 0 ? objectives.map((name, i) => [['metric', i, 'name'], name]) : input.metric === null ? [] : [[['metric', 'name'], input.metric]];
  for (const [path, name] of named) {
    if (!known.includes(name)) issues.add(path, `the tfjs trainer reports no metric \`${name}\` (it reports ${known.join(', ')})${didYouMean(name, known)}`);
  }
  if (input.earlyMetric !== null && (FINAL_METRICS as readonly string[]).includes(input.earlyMetric)) {
    issues.add(['early_terminate', 'metric'], `\`${input.earlyMetric}\` is measured once after training, not per epoch: pruning watches a per-epoch metric (give early_terminate.metric, e.g. val_accuracy)`);
  } else if (input.earlyMetric !== null && !perEpoch.includes(input.earlyMetric)) {
    issues.add(['early_terminate', 'metric'], `the tfjs trainer reports no metric \`${input.earlyMetric}\`${didYouMean(input.earlyMetric, known)}`);
  }
  const data = input.data;
  if (data !== null && data.split_file === null && data.split.val === 0) {
    for (const [path, name] of [...named, [['early_terminate', 'metric'], input.earlyMetric] as const]) {
      if (name?.startsWith('val_') === true) issues.add(path, `\`${name}\` needs a validation split, but data.split.val is 0`);
    }
  }
  if (data !== null && data.source !== 'mnist') {
    if (possibleValues('model', input).includes(IMAGE_ONLY.model)) {
      issues.add(where('model', input), `model cnn needs image data (data source mnist), not ${data.source}`);
    }
    for (const name of augmentKnobsInUse(input)) {
      issues.add(where(name, input), `${name} augments images and needs image data (data source mnist), not ${data.source}`);
    }
    if (data.preprocess === IMAGE_ONLY.preprocess) {
      issues.add(['data', 'preprocess'], `preprocess per_channel is for image data (data source mnist); use standardize or center for ${data.source}`);
    }
  }
  const dropout = input.train['dropout'] !== undefined || input.parameters['dropout'] !== undefined;
  const keep = input.train['keep_prob'] !== undefined || input.parameters['keep_prob'] !== undefined;
  if (dropout && keep) issues.add(where('keep_prob', input), 'give dropout or keep_prob, not both (keep_prob = 1 − dropout)');
}
