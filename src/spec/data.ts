/** `data:` → DataSpec (csv, mnist or synthetic; split; preprocessing). */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { DataSource, DataSpec } from '../core/spec.js';
import type { Issues} from './issues.js';
import { isPlainObject, show } from './issues.js';
import type { PathSegment } from './yaml-positions.js';
import { validate } from './zod-issues.js';

export const DATA_SOURCES = ['csv', 'mnist', 'synthetic'] as const;
export const PREPROCESS = ['none', 'center', 'standardize', 'per_channel'] as const;
export const SYNTHETIC_KINDS = ['spirals', 'blobs'] as const;

const DEFAULT_SPLIT = { train: 0.7, val: 0.15, test: 0.15 };
const SPLIT_TOLERANCE = 1e-6;

const fraction = z.number().min(0).nullish();
const common = {
  source: z.unknown(),
  split: z.strictObject({ train: fraction, val: fraction, test: fraction }).nullish(),
  split_file: z.string().min(1).nullish(),
  preprocess: z.enum(PREPROCESS).nullish(),
  seed: z.int().min(0).nullish(),
};
const perSource = {
  csv: { path: z.string().min(1), label: z.string().min(1), header: z.boolean().nullish() },
  mnist: { samples: z.int().min(10).nullish() },
  synthetic: {
    kind: z.enum(SYNTHETIC_KINDS),
    classes: z.int().min(2).nullish(),
    points: z.int().min(2).nullish(),
    noise: z.number().min(0).nullish(),
    features: z.int().min(1).nullish(),
  },
};
/** Per source; also the source of the spec's JSON Schema (json-schema.ts). */
export const DATA_SCHEMAS = {
  csv: z.strictObject({ ...common, ...perSource.csv }),
  mnist: z.strictObject({ ...common, ...perSource.mnist }),
  synthetic: z.strictObject({ ...common, ...perSource.synthetic }),
};
/** When `source` itself is wrong: still check every other key, all optional. */
const anySource = z.strictObject({
  ...common,
  ...partial(perSource.csv),
  ...partial(perSource.mnist),
  ...partial(perSource.synthetic),
});

function partial<T extends Record<string, z.ZodType>>(shape: T): Record<keyof T, z.ZodType> {
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, s.nullish()])) as unknown as Record<keyof T, z.ZodType>;
}

function sourceOfKey(key: string): DataSource | undefined {
  return DATA_SOURCES.find((s) => Object.hasOwn(perSource[s], key));
}

/** An existing file, resolved against the spec's directory; undefined (with an issue) if missing. */
export function existingFile(p: string, dir: string, path: PathSegment[], issues: Issues): string | undefined {
  const abs = resolve(dir, p);
  try {
    if (statSync(abs).isFile()) return abs;
    issues.add(path, `not a file: ${abs}`);
  } catch {
    issues.add(path, `file not found: ${abs} (relative paths are resolved against the spec's directory)`);
  }
  return undefined;
}

export function parseData(raw: unknown, dir: string, issues: Issues): DataSpec | null | undefined {
  if (raw === undefined || raw === null) return null;
  const path = ['data'];
  if (!isPlainObject(raw)) {
    issues.add(path, `expected a mapping (source: csv | mnist | synthetic, …), got ${show(raw)}`);
    return undefined;
  }
  const before = issues.count;
  const source = validate(z.enum(DATA_SOURCES), raw.source, [...path, 'source'], issues);
  const schema = source === undefined ? anySource : DATA_SCHEMAS[source];
  const parsed = validate(schema, raw, path, issues, {
    unknownKey: (key, parent) => {
      const owner = parent.length === 0 ? sourceOfKey(key) : undefined;
      return owner !== undefined && source !== undefined && owner !== source
        ? `\`${key}\` applies to source ${owner}, not ${source}`
        : undefined;
    },
  }) as Record<string, unknown> | undefined;
  if (parsed === undefined || source === undefined) return undefined;
  const get = <T>(key: string): T | null => (parsed[key] ?? null) as T | null;

  const split = checkSplit(get<Record<string, number | null>>('split'), get<string>('split_file') !== null, issues);
  const splitFileRaw = get<string>('split_file');
  const splitFile = splitFileRaw === null ? null : existingFile(splitFileRaw, dir, [...path, 'split_file'], issues);
  const csvPathRaw = source === 'csv' ? get<string>('path') : null;
  const csvPath = csvPathRaw === null ? null : existingFile(csvPathRaw, dir, [...path, 'path'], issues);

  const kind = source === 'synthetic' ? get<'spirals' | 'blobs'>('kind') : null;
  if (kind === 'spirals' && get('features') !== null) {
    issues.add([...path, 'features'], '`features` applies to kind blobs (spirals are 2-D)', { at: 'key' });
  }
  const classes = source === 'synthetic' ? (get<number>('classes') ?? 3) : null;
  const points = source === 'synthetic' ? (get<number>('points') ?? 600) : null;
  if (classes !== null && points !== null && points < classes) {
    issues.add([...path, 'points'], `points (${points}) must be at least classes (${classes})`);
  }
  if (issues.count !== before || split === undefined || splitFile === undefined || csvPath === undefined) return undefined;
  return {
    source,
    path: csvPath,
    label: source === 'csv' ? get<string>('label') : null,
    header: source === 'csv' ? (get<boolean>('header') ?? true) : true,
    samples: source === 'mnist' ? (get<number>('samples') ?? 2000) : null,
    kind,
    classes,
    points,
    noise: kind === null ? null : (get<number>('noise') ?? (kind === 'spirals' ? 0.1 : 1.0)),
    features: kind === 'blobs' ? (get<number>('features') ?? 2) : null,
    seed: get<number>('seed'),
    split,
    split_file: splitFile,
    preprocess: get<DataSpec['preprocess']>('preprocess') ?? 'standardize',
  };
}

function checkSplit(
  raw: Record<string, number | null> | null,
  hasSplitFile: boolean,
  issues: Issues,
): DataSpec['split'] | undefined {
  const path = ['data', 'split'];
  if (raw === null) return { ...DEFAULT_SPLIT };
  if (hasSplitFile) {
    issues.add(path, 'give either split or split_file, not both', { at: 'key' });
    return undefined;
  }
  const split = { train: raw.train ?? 0, val: raw.val ?? 0, test: raw.test ?? 0 };
  if (split.train <= 0) {
    issues.add([...path, 'train'], `the train fraction must be > 0, got ${split.train}`);
    return undefined;
  }
  const sum = split.train + split.val + split.test;
  if (Math.abs(sum - 1) > SPLIT_TOLERANCE) {
    const total = Number(sum.toPrecision(12));
    issues.add(path, `split fractions must sum to 1 (train ${split.train} + val ${split.val} + test ${split.test} = ${total})`);
    return undefined;
  }
  return split;
}
