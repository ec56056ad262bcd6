/**
 * The SQLite schema as an ordered list of migrations. `PRAGMA user_version` holds the
 * number of steps applied; opening runs the missing ones in one BEGIN IMMEDIATE
 * transaction (re-reading the version inside it, so processes opening a fresh file at the
 * same time migrate it once). A database whose version is above the last step was written
 * by a newer hpsearch and is refused untouched. Steps only ever add: rows are never dropped.
 *
 * Epoch metrics: one row per epoch in `trial_epochs`, with a REAL column for each standard
 * metric and the extra named metrics as a JSON object in `extra`. One INSERT per epoch
 * keeps batched writes fast (a tall metric-per-row table would cost one row per metric
 * and a pivot on every read), and a curve comes back in one indexed range scan; an extra
 * metric is still reachable from SQL with `json_extract(extra, '$.name')`.
 * Value encoding (NaN, ±Infinity): see encode.ts.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { StorageError } from '../core/errors.js';

export interface Migration {
  /** What the step does, for error messages and the record. */
  description: string;
  /** SQL run in the migration transaction (or a function, for steps that move data). */
  up: string | ((db: BetterSqlite3.Database) => void);
}

/** `PRAGMA application_id` of an hpsearch database ("hpsr"). */
export const APPLICATION_ID = 0x68707372;

export const MIGRATIONS: readonly Migration[] = [
  {
    description: 'studies, trials, params, epochs, attrs',
    up: `
      CREATE TABLE studies (
        id        INTEGER PRIMARY KEY,
        name      TEXT NOT NULL UNIQUE,
        spec_text TEXT NOT NULL,
        spec_hash TEXT NOT NULL,
        spec_json TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('minimize', 'maximize')),
        metric    TEXT NOT NULL,
        seed      INTEGER NOT NULL,
        created   TEXT NOT NULL,
        attrs     TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE trials (
        id        INTEGER PRIMARY KEY,
        study_id  INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
        number    INTEGER NOT NULL,
        state     TEXT NOT NULL CHECK (state IN
                    ('waiting', 'running', 'complete', 'pruned', 'diverged', 'failed', 'interrupted')),
        value     REAL,
        seed      INTEGER NOT NULL,
        attempt   INTEGER NOT NULL DEFAULT 0,
        started   TEXT,
        finished  TEXT,
        heartbeat TEXT,
        worker    TEXT,
        error     TEXT,
        UNIQUE (study_id, number)
      );
      CREATE INDEX trials_study_state ON trials (study_id, state, number);
      CREATE TABLE trial_params (
        trial_id     INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
        name         TEXT NOT NULL,
        value        TEXT,
        distribution TEXT,
        PRIMARY KEY (trial_id, name)
      );
      CREATE TABLE trial_epochs (
        trial_id       INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
        epoch          INTEGER NOT NULL,
        train_loss     REAL,
        train_accuracy REAL,
        val_loss       REAL,
        val_accuracy   REAL,
        lr             REAL,
        seconds        REAL,
        extra          TEXT,
        PRIMARY KEY (trial_id, epoch)
      ) WITHOUT ROWID;
      CREATE TABLE trial_attrs (
        trial_id INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
        key      TEXT NOT NULL,
        value    TEXT NOT NULL,
        PRIMARY KEY (trial_id, key)
      );
    `,
  },
  {
    description: 'index of complete trials by value (topTrials)',
    up: 'CREATE INDEX trials_study_state_value ON trials (study_id, state, value, number);',
  },
];

export function schemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a database written by a newer schema, or a file of another application. */
export function checkSchema(db: BetterSqlite3.Database, path: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const version = schemaVersion(db);
  if (version > migrations.length) {
    throw new StorageError(
      `${path}: the database has schema version ${version}, newer than this hpsearch knows ` +
        `(${migrations.length}); it was written by a newer hpsearch — upgrade hpsearch to open it (nothing was changed)`,
    );
  }
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== 0 && appId !== APPLICATION_ID) {
    throw new StorageError(`${path}: not an hpsearch database (application_id ${appId})`);
  }
}

/** Applies the missing migration steps atomically; returns the resulting version. */
export function migrate(db: BetterSqlite3.Database, path: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const run = db.transaction(() => {
    checkSchema(db, path, migrations);
    const from = schemaVersion(db);
    for (let v = from; v < migrations.length; v++) {
      const step = migrations[v]!;
      try {
        if (typeof step.up === 'string') db.exec(step.up);
        else step.up(db);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new StorageError(`${path}: migration to schema version ${v + 1} (${step.description}) failed: ${message}`, {
          cause: error,
        });
      }
    }
    if (from < migrations.length) {
      db.pragma(`user_version = ${migrations.length}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    }
    return schemaVersion(db);
  });
  return run.immediate();
}
