/** Reading a spec file. */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage, SpecError, UsageError } from '../core/errors.js';
import type { Spec } from '../core/spec.js';
import { checkSpecSize } from './limits.js';
import { parseSpec } from './parse.js';

/**
 * Reads and validates the spec at `path` (resolved against the working directory).
 * @throws UsageError when the file can't be read; SpecError when it is invalid.
 */
export async function loadSpec(path: string): Promise<Spec> {
  const abs = resolve(path);
  let text: string;
  try {
    const info = await stat(abs);
    if (info.isFile()) checkSpecSize(abs, info.size);
    text = await readFile(abs, 'utf8');
  } catch (error) {
    if (error instanceof SpecError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : errorMessage(error);
    throw new UsageError(`cannot read spec ${abs}: ${reason}`, { cause: error });
  }
  return parseSpec(text, abs);
}
