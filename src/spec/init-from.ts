/** `train.init_from: { trial, freeze, study }`: a warm start from a kept model. */
import { z } from 'zod';
import type { InitFrom } from '../core/spec.js';
import { SpecError } from '../core/errors.js';
import type { Spec } from '../core/spec.js';
import { Issues, isPlainObject } from './issues.js';
import type { PathSegment } from './yaml-positions.js';
import { parseYaml } from './yaml-positions.js';
import { validate } from './zod-issues.js';

export const initFromSchema = z.strictObject({
  trial: z.int().min(0),
  freeze: z.int().min(0).nullish(),
  study: z.string().min(1).nullish(),
});

/** Takes `init_from` out of `train:` (it is no training knob); undefined after an issue. */
export function takeInitFrom(train: unknown, tfjs: boolean, issues: Issues): { train: unknown; init_from: InitFrom | null | undefined } {
  if (!isPlainObject(train) || !('init_from' in train)) return { train, init_from: null };
  const { init_from: raw, ...rest } = train;
  const path = ['train', 'init_from'];
  if (!tfjs) {
    issues.add(path, '`init_from` applies only to trainer: tfjs', { at: 'key' });
    return { train: rest, init_from: undefined };
  }
  const parsed = validate(initFromSchema, raw, path, issues);
  if (parsed === undefined) return { train: rest, init_from: undefined };
  return { train: rest, init_from: { trial: parsed.trial, freeze: parsed.freeze ?? 0, study: parsed.study ?? null } };
}

/** A spec error found after loading (e.g. against the database), placed at `path` in the spec's file. */
export function specErrorAt(spec: Spec, path: readonly PathSegment[], message: string): SpecError {
  const issues = new Issues();
  issues.add(path, message);
  return new SpecError(issues.resolve(parseYaml(spec.source.text).parsed, spec.source.path));
}
