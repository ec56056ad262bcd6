/** `train.model: ./model.js`: the user's own TensorFlow.js model instead of mlp/cnn. */
import { existingFile } from './data.js';
import type { Issues } from './issues.js';
import { isPlainObject } from './issues.js';

/** A `model:` value that names a file rather than a built-in network. */
export function isModelPath(value: unknown): value is string {
  return typeof value === 'string' && (/\.(?:c|m)?js$/i.test(value) || value.includes('/') || value.includes('\\'));
}

/**
 * Takes a path-valued `model` out of `train:` (mlp/cnn stay knobs) and resolves it against the
 * spec's directory: null when `model` is no path, undefined after an issue (at train.model).
 */
export function takeUserModel(train: unknown, tfjs: boolean, dir: string, issues: Issues): { train: unknown; user_model: string | null | undefined } {
  if (!isPlainObject(train) || !isModelPath(train['model'])) return { train, user_model: null };
  const { model, ...rest } = train;
  const path = ['train', 'model'];
  if (!tfjs) {
    issues.add(path, 'a model file applies only to trainer: tfjs', { at: 'key' });
    return { train: rest, user_model: undefined };
  }
  return { train: rest, user_model: existingFile(model, dir, path, issues) };
}
