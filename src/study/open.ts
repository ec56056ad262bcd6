import { UsageError } from '../core/errors.js';
import { OBJECTIVES_ATTR } from '../core/objectives.js';
import type { Attrs } from '../core/types.js';
import type { Spec } from '../core/spec.js';
import { canonicalSpecJson, compareSpecs, describeSpecChanges } from '../spec/index.js';
import { StudyExistsError } from '../store/errors.js';
import type { Storage, StudyRecord } from '../store/storage.js';
import { checkDataFiles } from './data-fingerprint.js';

/**
 * Creates the study, or resumes it by name. Resuming with a changed spec is refused, saying
 * what changed, unless `allowSpecChange` and every change is allowed (raising run_cap,
 * appending stages, pointing program: at another script).
 */
export async function openStudy(
  storage: Storage,
  spec: Spec,
  options: { name: string; allowSpecChange: boolean },
): Promise<{ study: StudyRecord; resumed: boolean }> {
  const specJson = canonicalSpecJson(spec);
  let existing = await storage.getStudy(options.name);
  if (existing === null) {
    try {
      const study = await create(storage, spec, options.name, specJson);
      await checkDataFiles(storage, study, spec);
      return { study, resumed: false };
    } catch (error) {
      // Another process created it first: resume theirs.
      if (!(error instanceof StudyExistsError)) throw error;
      existing = await storage.getStudy(options.name);
      if (existing === null) throw error;
    }
  }
  const resumed = await resume(storage, spec, existing, specJson, options);
  await checkDataFiles(storage, resumed.study, spec);
  return resumed;
}

/** Study attribute: the absolute path of the spec file the study was created from (see join.ts). */
export const SPEC_PATH_ATTR = 'spec_path';

async function create(storage: Storage, spec: Spec, name: string, specJson: string): Promise<StudyRecord> {
  const study = await storage.createStudy({
    name,
    specText: spec.source.text,
    specHash: spec.source.hash,
    specJson,
    direction: spec.metric.goal,
    metric: spec.metric.name,
    seed: spec.seed,
  });
  // A worker on another machine resolves the stored spec's relative paths against its folder.
  await storage.setStudyAttr(study.id, SPEC_PATH_ATTR, spec.source.path);
  const attrs: Attrs = { ...study.attrs, [SPEC_PATH_ATTR]: spec.source.path };
  if (spec.objectives !== undefined) {
    // Query commands read the objectives from here, without the spec.
    attrs[OBJECTIVES_ATTR] = spec.objectives.map((o) => ({ name: o.name, goal: o.goal }));
    await storage.setStudyAttr(study.id, OBJECTIVES_ATTR, attrs[OBJECTIVES_ATTR]);
  }
  return { ...study, attrs };
}

async function resume(
  storage: Storage,
  spec: Spec,
  existing: StudyRecord,
  specJson: string,
  options: { name: string; allowSpecChange: boolean },
): Promise<{ study: StudyRecord; resumed: boolean }> {
  if (existing.specHash !== spec.source.hash) {
    const changes = compareSpecs(existing.specJson, spec);
    if (changes.length > 0) {
      const refused = changes.filter((c) => !c.allowed);
      const what = `study '${options.name}' was created from a different spec:\n${describeSpecChanges(changes)}`;
      if (refused.length > 0) {
        throw new UsageError(
          `${what}\nOnly raising run_cap, appending stages or fixing program: may change when a study resumes; ` +
            'give the changed search a new name (name: in the spec, or --study).',
        );
      }
      if (!options.allowSpecChange) throw new UsageError(`${what}\nRerun with --allow-spec-change to accept these changes.`);
    }
    await storage.updateStudySpec(existing.id, { specText: spec.source.text, specHash: spec.source.hash, specJson });
    const updated = await storage.getStudy(options.name);
    if (updated !== null) return { study: updated, resumed: true };
  }
  return { study: existing, resumed: true };
}
