/** A command trial's `artifacts:`: the files its script wrote, copied beside the study like a kept model. */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { globSync } from 'tinyglobby';
import type { KeepTarget } from '../../core/trainer.js';
import type { Params } from '../../core/types.js';
import { isKeptModelDir, KEPT_FORMAT, META_FILE } from '../keep/marker.js';

/** The pattern of one trial: `${trial}` becomes its number. */
export function artifactPattern(pattern: string, trial: number): string {
  return pattern.replaceAll('${trial}', String(trial));
}

/**
 * Copies the files under `cwd` that match the trial's pattern into `keep.dir/artifacts/`
 * (the originals stay), with hpsearch.json beside them. Returns how many were copied.
 */
export function keepArtifacts(keep: KeepTarget, cwd: string, pattern: string, trial: { study: string; trial: number; params: Params }): number {
  const files = globSync(artifactPattern(pattern, trial.trial), { cwd, onlyFiles: true, dot: true, expandDirectories: true });
  if (files.length === 0) return 0;
  mkdirSync(dirname(keep.dir), { recursive: true });
  const tmp = `${keep.dir}.tmp-${randomUUID()}`;
  try {
    for (const file of files) {
      const to = join(tmp, 'artifacts', file);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(join(cwd, file), to);
    }
    writeFileSync(join(tmp, META_FILE), JSON.stringify({ format: KEPT_FORMAT, ...trial, artifacts: files }, null, 2) + '\n');
    if (isKeptModelDir(keep.dir)) rmSync(keep.dir, { recursive: true });
    renameSync(tmp, keep.dir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  return files.length;
}
