/** Recognising journal-file locations (`journal:/shared/path/study.log`) without loading the storage. */
import { resolve } from 'node:path';

const PREFIX = 'journal:';

/** True for a `journal:PATH` location. */
export function isJournalLocation(location: string): boolean {
  return location.trim().toLowerCase().startsWith(PREFIX);
}

/** The absolute path of a `journal:PATH` location (relative paths resolve against the working directory). */
export function journalPath(location: string): string {
  return resolve(location.trim().slice(PREFIX.length));
}

/** The canonical location of the journal at `path`: `journal:` + its absolute path. */
export function journalLocation(path: string): string {
  return PREFIX + resolve(path);
}
