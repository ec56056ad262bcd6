/**
 * The PostgreSQL schema as an ordered list of migrations, the same tables as SQLite's
 * (sqlite-schema.ts) in PostgreSQL's types: REAL columns are DOUBLE PRECISION (which holds
 * NaN and ±Infinity natively), times are TIMESTAMPTZ stamped by the server's clock, JSON
 * columns are TEXT with the encoding of encode.ts. `hpsearch_meta` records the application
 * and the number of steps applied; opening runs the missing ones in one transaction under
 * an advisory lock (so workers opening a fresh database at once migrate it once). A schema
 * newer than this hpsearch knows, or tables of another application, are refused untouched.
 * Steps only ever add: rows are never dropped.
 */
import { NotFoundError, StorageError } from '../core/errors.js';

export interface PgMigration {
  description: string;
  up: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    description: 'studies, trials, params, epochs, attrs',
    up: `
      CREATE TABLE studies (
        id        SERIAL PRIMARY KEY,
        name      TEXT NOT NULL UNIQUE,
        spec_text TEXT NOT NULL,
        spec_hash TEXT NOT NULL,
        spec_json TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('minimize', 'maximize')),
        metric    TEXT NOT NULL,
        seed      BIGINT NOT NULL,
        created   TIMESTAMPTZ NOT NULL DEFAULT now(),
        attrs     TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE trials (
        id        SERIAL PRIMARY KEY,
        study_id  INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
        number    INTEGER NOT NULL,
        state     TEXT NOT NULL CHECK (state IN
                    ('waiting', 'running', 'complete', 'pruned', 'diverged', 'failed', 'interrupted')),
        value     DOUBLE PRECISION,
        seed      BIGINT NOT NULL,
        attempt   INTEGER NOT NULL DEFAULT 0,
        started   TIMESTAMPTZ,
        finished  TIMESTAMPTZ,
        heartbeat TIMESTAMPTZ,
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
        train_loss     DOUBLE PRECISION,
        train_accuracy DOUBLE PRECISION,
        val_loss       DOUBLE PRECISION,
        val_accuracy   DOUBLE PRECISION,
        lr             DOUBLE PRECISION,
        seconds        DOUBLE PRECISION,
        extra          TEXT,
        PRIMARY KEY (trial_id, epoch)
      );
      CREATE TABLE trial_attrs (
        trial_id INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
        key      TEXT NOT NULL,
        value    TEXT NOT NULL,
        PRIMARY KEY (trial_id, key)
      );
    `,
  },
  {
    description: 'index for ranking complete trials by value',
    up: 'CREATE INDEX trials_study_state_value ON trials (study_id, state, value, number)',
  },
];

export const PG_APPLICATION = 'hpsearch';

type Query = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

/** The schema version recorded in the current schema (0: none yet); refuses another application's tables. */
async function storedVersion(q: Query, location: string): Promise<number> {
  const [tables] = await q(
    `SELECT to_regclass('hpsearch_meta') IS NOT NULL AS meta, to_regclass('studies') IS NOT NULL AS studies`,
  );
  if (tables?.['meta'] !== true) {
    if (tables?.['studies'] === true) {
      throw new StorageError(`${location}: holds a "studies" table that hpsearch did not create; use another database or schema (nothing was changed)`);
    }
    return 0;
  }
  const rows = await q(`SELECT key, value FROM hpsearch_meta WHERE key IN ('application', 'schema_version')`);
  const meta = new Map(rows.map((r) => [String(r['key']), String(r['value'])]));
  if (meta.get('application') !== PG_APPLICATION) {
    throw new StorageError(`${location}: not an hpsearch database (application ${meta.get('application') ?? 'unknown'})`);
  }
  return Number(meta.get('schema_version') ?? 0);
}

/**
 * Applies the missing steps in the transaction `q` runs in (holding an advisory lock for the
 * schema first); returns the resulting version. A newer schema is refused before anything changes;
 * with `mustExist` (query commands), a database without hpsearch's tables is NotFoundError, left as it is.
 */
export async function migratePg(
  q: Query,
  location: string,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
  mustExist = false,
): Promise<number> {
  await q(`SELECT pg_advisory_xact_lock(hashtext('hpsearch-migrate:' || current_schema()))`);
  const from = await storedVersion(q, location);
  if (from === 0 && mustExist) throw new NotFoundError(`no hpsearch tables in ${location}`);
  if (from > migrations.length) {
    throw new StorageError(
      `${location}: the database has schema version ${from}, newer than this hpsearch knows ` +
        `(${migrations.length}); it was written by a newer hpsearch — upgrade hpsearch to open it (nothing was changed)`,
    );
  }
  if (from === migrations.length) return from;
  if (from === 0) {
    await q('CREATE TABLE hpsearch_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    await q(`INSERT INTO hpsearch_meta (key, value) VALUES ('application', $1)`, [PG_APPLICATION]);
  }
  for (let v = from; v < migrations.length; v++) {
    const step = migrations[v]!;
    try {
      await q(step.up);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new StorageError(`${location}: migration to schema version ${v + 1} (${step.description}) failed: ${message}`, { cause: error });
    }
  }
  await q(
    `INSERT INTO hpsearch_meta (key, value) VALUES ('schema_version', $1)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [String(migrations.length)],
  );
  return migrations.length;
}
