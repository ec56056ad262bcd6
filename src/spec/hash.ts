/**
 * The canonical JSON of a spec and its hash: what a study's trials compute, and nothing else.
 * Left out: `source`, `name` (the study's key, which --study may override), and the
 * settings of where and how trials run (storage, parallelism, the pool settings). Paths
 * are written relative to the spec's directory, so moving a project keeps its hash.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, sep } from 'node:path';
import type { Spec } from '../core/spec.js';
import type { JsonValue } from '../core/types.js';

/** Keys of Spec left out of the canonical JSON. */
export const NON_COMPUTING_KEYS = ['source', 'name', 'storage', 'parallelism', 'pool', 'keep_models'] as const;

function relativePath(p: string | null, dir: string): string | null {
  if (p === null || dir === '' || !isAbsolute(p)) return p;
  return relative(dir, p).split(sep).join('/');
}

/** The canonical object (keys not yet sorted). New Spec fields are included unless listed above. */
export function canonicalSpec(spec: Spec): Record<string, unknown> {
  const dir = spec.source.dir;
  const out: Record<string, unknown> = { ...spec };
  for (const key of NON_COMPUTING_KEYS) delete out[key];
  out.module = relativePath(spec.module, dir);
  if (spec.user_model !== undefined) out.user_model = relativePath(spec.user_model, dir);
  if (spec.command !== undefined) out.command = { ...spec.command, cwd: relativePath(spec.command.cwd, dir) };
  if (spec.data !== null) {
    out.data = { ...spec.data, path: relativePath(spec.data.path, dir), split_file: relativePath(spec.data.split_file, dir) };
  }
  return out;
}

/** Recursively sorts object keys and drops undefined members. */
export function sortKeys(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value as JsonValue;
}

/** Stable JSON of what the spec's trials compute (see the file's comment). */
export function canonicalSpecJson(spec: Spec): string {
  return JSON.stringify(sortKeys(canonicalSpec(spec)));
}

/** sha256 (hex) of {@link canonicalSpecJson}. */
export function specHash(spec: Spec): string {
  return createHash('sha256').update(canonicalSpecJson(spec)).digest('hex');
}
