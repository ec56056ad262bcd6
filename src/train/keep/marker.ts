/** How a kept model's directory is recognised, without loading TensorFlow.js (the study deletes them). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const META_FILE = 'hpsearch.json';
export const KEPT_FORMAT = 'hpsearch-kept-model';

/** Whether `dir` holds a model hpsearch kept (the only directories it may replace or delete). */
export function isKeptModelDir(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, META_FILE), 'utf8')) as { format?: unknown }).format === KEPT_FORMAT;
  } catch {
    return false;
  }
}
