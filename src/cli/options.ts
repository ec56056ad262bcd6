import type { Argv, Options } from 'yargs';

/** Options shared by every command that reads a study database. */
export const storageOptions = {
  storage: {
    type: 'string',
    describe: 'study database: a SQLite file or a postgresql:// URL (default: $HPSEARCH_STORAGE, else runs/hpsearch.db)',
  },
  study: { type: 'string', describe: 'study name (default: the only study in the database)' },
} as const satisfies Record<string, Options>;

export const formatOptions = {
  json: { type: 'boolean', default: false, describe: 'print JSON (data only on stdout)' },
  csv: { type: 'boolean', default: false, describe: 'print CSV rows' },
} as const satisfies Record<string, Options>;

export const jsonOption = {
  json: { type: 'boolean', default: false, describe: 'print JSON (data only on stdout)' },
} as const satisfies Record<string, Options>;

/** The output format asked for. */
export type Format = 'table' | 'json' | 'csv';

export function formatOf(args: Record<string, unknown>): Format {
  if (args['json'] === true) return 'json';
  if (args['csv'] === true) return 'csv';
  return 'table';
}

export type Builder<T> = (y: Argv) => Argv<T>;
