/**
 * Joining a study from the spec stored with it (`hpsearch worker`): no spec file is needed
 * on the worker. The stored text is validated again here, its relative paths (data, split
 * file, module) resolved against the folder of the spec the study was created from, or
 * against `dataRoot` when given, so the data must be reachable on this machine.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { NotFoundError, SpecError, UsageError } from '../core/errors.js';
import type { Spec } from '../core/spec.js';
import { parseSpec } from '../spec/index.js';
import type { Storage, StudyRecord } from '../store/storage.js';
import { SPEC_PATH_ATTR } from './open.js';

export async function joinStudy(
  storage: Storage,
  name: string,
  options: { dataRoot?: string | null } = {},
): Promise<{ study: StudyRecord; spec: Spec }> {
  const study = await storage.getStudy(name);
  if (study === null) {
    const names = (await storage.listStudies()).map((s) => s.name);
    throw new NotFoundError(
      `no study '${name}' in ${storage.location}${names.length > 0 ? ` (studies: ${names.join(', ')})` : ''}; ` +
        'create it with `hpsearch run SPEC --storage URL`',
    );
  }
  const stored = study.attrs[SPEC_PATH_ATTR];
  const original = typeof stored === 'string' ? stored : null;
  const dir = options.dataRoot != null ? resolve(options.dataRoot) : original !== null ? dirname(original) : process.cwd();
  const file = join(dir, original !== null ? basename(original) : `${name}.yaml`);
  try {
    return { study, spec: parseSpec(study.specText, file) };
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    throw new UsageError(
      `study '${name}': its stored spec does not hold on this machine, with its relative paths resolved against ${dir} ` +
        `(--data-root DIR maps them elsewhere):\n${error.message}`,
      { cause: error },
    );
  }
}
