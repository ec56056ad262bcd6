import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { loadKeptModel, MODEL_FILE, WEIGHTS_FILE } from './files.js';
import { META_FILE } from './marker.js';

/**
 * Copies a kept model to `out` (created; it must be empty or absent, so nothing of the user's
 * is overwritten) after loading it once, so a corrupt model fails here, naming its file.
 */
export async function exportKeptModel(dir: string, out: string): Promise<string[]> {
  const { model } = await loadKeptModel(dir);
  model.dispose();
  const target = resolve(out);
  let existing: string[] = [];
  try {
    existing = readdirSync(target);
  } catch {
    existing = [];
  }
  if (existing.length > 0) throw new UsageError(`--out ${out}: the directory is not empty; give a new or empty one`);
  mkdirSync(target, { recursive: true });
  const files = [MODEL_FILE, WEIGHTS_FILE, META_FILE];
  for (const f of files) copyFileSync(join(dir, f), join(target, f));
  return files;
}
