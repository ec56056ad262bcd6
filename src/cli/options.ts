/** One option of a command (the table in commands/index.ts; parser.ts turns it into commander's). */
export interface OptionSpec {
  type: 'string' | 'number' | 'boolean';
  describe: string;
  default?: string | number | boolean;
  choices?: readonly string[];
  /** Repeatable: every occurrence is kept, in order. */
  array?: boolean;
  demandOption?: boolean;
}

type Options = OptionSpec;

/** Options shared by every command that reads a study database. */
export const storageOptions = {
  storage: {
    type: 'string',
    describe: 'study database: a SQLite file, a postgresql:// URL or journal:PATH (default: $HPSEARCH_STORAGE, else runs/hpsearch.db)',
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
