/**
 * The store module: the Storage interface and its implementations. openStorage loads the
 * SQLite driver only when a file is opened; import SqliteStorage from './sqlite.js' to
 * construct one directly (tests, bench).
 */
export type * from './storage.js';
export { DuplicateEpochError, StudyExistsError, TrialFinishedError, TrialOwnershipError } from './errors.js';
export { openStorage } from './open.js';
export type { OpenOptions } from './open.js';
export { MemoryStorage } from './memory.js';
export type { SqliteStorage, SqliteOptions } from './sqlite.js';
