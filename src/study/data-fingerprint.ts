/** Fingerprints (size and SHA-256) of the data files a study reads, kept in its attrs. */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import type { Spec } from '../core/spec.js';
import type { JsonValue } from '../core/types.js';
import type { Storage, StudyRecord } from '../store/storage.js';

/** The study attr that holds them: { [absolute path]: { bytes, sha256 } }. */
export const DATA_FILES_ATTR = 'data_files';

interface Fingerprint {
  bytes: number;
  sha256: string;
}

function fingerprint(path: string): Fingerprint {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return { bytes: statSync(path).size, sha256: hash.digest('hex') };
}

/** The spec's data files (data.path, data.split_file) and their fingerprints now. */
export function dataFingerprints(spec: Spec): Record<string, Fingerprint> {
  const files = [spec.data?.path, spec.data?.split_file].filter((p): p is string => typeof p === 'string');
  return Object.fromEntries(files.map((f) => [f, fingerprint(f)]));
}

function isFingerprint(v: JsonValue | undefined): v is { bytes: number; sha256: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v['bytes'] === 'number' && typeof v['sha256'] === 'string';
}

/**
 * Stores the data files' fingerprints with the study, or, when it has some, refuses to go on
 * with a file that changed since: results from two datasets would be mixed in one study.
 * A study from before fingerprints gets them now.
 */
export async function checkDataFiles(storage: Storage, study: StudyRecord, spec: Spec): Promise<void> {
  const now = dataFingerprints(spec);
  const stored = study.attrs[DATA_FILES_ATTR];
  if (typeof stored === 'object' && stored !== null && !Array.isArray(stored)) {
    for (const [file, was] of Object.entries(stored)) {
      const is = now[file];
      if (!isFingerprint(was) || is === undefined || (was.bytes === is.bytes && was.sha256 === is.sha256)) continue;
      throw new UsageError(
        `study '${study.name}': data file ${file} changed since the study started (${was.bytes} → ${is.bytes} bytes, different content); ` +
          'its trials would mix two datasets. Restore the file, or give the study a new name (name: in the spec, or --study).',
      );
    }
  }
  const merged: Record<string, JsonValue> = { ...(typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? stored : {}) };
  let added = false;
  for (const [file, fp] of Object.entries(now)) {
    if (merged[file] !== undefined) continue;
    merged[file] = { bytes: fp.bytes, sha256: fp.sha256 };
    added = true;
  }
  if (added) await storage.setStudyAttr(study.id, DATA_FILES_ATTR, merged);
}
