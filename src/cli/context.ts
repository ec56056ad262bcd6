import { NotFoundError, UsageError } from '../core/errors.js';
import { openStorage, type OpenOptions } from '../store/open.js';
import type { Storage, StudyRecord } from '../store/storage.js';

export const DEFAULT_STORAGE = 'runs/hpsearch.db';

/** The storage location: --storage, else $HPSEARCH_STORAGE, else the spec's, else the default. */
export function storageLocation(flag: unknown, fromSpec?: string): string {
  if (typeof flag === 'string' && flag !== '') return flag;
  const env = process.env['HPSEARCH_STORAGE'];
  if (env !== undefined && env !== '') return env;
  return fromSpec ?? DEFAULT_STORAGE;
}

/** Opens the storage at `location` for a command: a database server that cannot be reached is said on stderr while it is retried. */
export function openForCommand(location: string, options: Omit<OpenOptions, 'notify'> = {}): Promise<Storage> {
  return openStorage(location, { ...options, notify: (line) => process.stderr.write(`hpsearch: ${line}\n`) });
}

/** Opens an existing study database read-only for a query command (never creates or migrates one). */
export function openForQuery(flag: unknown): Promise<Storage> {
  return openForCommand(storageLocation(flag), { readOnly: true });
}

/** The study named by --study, or the only one in the database. */
export async function resolveStudy(storage: Storage, name: unknown): Promise<StudyRecord> {
  if (typeof name === 'string' && name !== '') {
    const study = await storage.getStudy(name);
    if (study === null) {
      const names = (await storage.listStudies()).map((s) => s.name);
      throw new NotFoundError(`no study '${name}' in ${storage.location}${names.length > 0 ? ` (studies: ${names.join(', ')})` : ''}`);
    }
    return study;
  }
  const studies = await storage.listStudies();
  const only = studies[0];
  if (studies.length === 1 && only !== undefined) return only;
  if (studies.length === 0) throw new NotFoundError(`no studies in ${storage.location}`);
  throw new UsageError(`${storage.location} holds ${studies.length} studies: name one with --study (${studies.map((s) => s.name).join(', ')})`);
}

/** Runs `fn` with an open storage and closes it afterwards. */
export async function withStorage<T>(storage: Storage, fn: (s: Storage) => Promise<T>): Promise<T> {
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}
