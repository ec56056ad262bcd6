/** One entry of `parameters:` → a Distribution (constant, categorical or numeric). */
import { z } from 'zod';
import { DISTRIBUTION_SYNONYMS, NUMERIC_TYPES } from '../core/distributions.js';
import type { Distribution, NumericDistribution, NumericType } from '../core/distributions.js';
import type { ParamValue } from '../core/types.js';
import type { Issues} from './issues.js';
import { didYouMean, isPlainObject, oneOf, show } from './issues.js';
import type { PathSegment } from './yaml-positions.js';
import { validate } from './zod-issues.js';

export const PARAMETER_KEYS = ['value', 'values', 'probabilities', 'distribution', 'min', 'max', 'q', 'grid_points', 'when'] as const;

/** Names accepted after `distribution:`. `constant` and `categorical` go with value / values. */
export const DISTRIBUTION_NAMES: readonly string[] = [
  ...NUMERIC_TYPES,
  ...Object.keys(DISTRIBUTION_SYNONYMS),
  'constant',
  'categorical',
];

const keysSchema = z.strictObject(Object.fromEntries(PARAMETER_KEYS.map((k) => [k, z.unknown().optional()])));

export const numericSchema = z.object({
  distribution: z.enum(DISTRIBUTION_NAMES as [string, ...string[]]).nullish(),
  min: z.number(),
  max: z.number(),
  q: z.number().nullish(),
  grid_points: z.int().min(2).nullish(),
});

const PROBABILITY_TOLERANCE = 1e-6;

export function isParamValue(v: unknown): v is ParamValue {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean';
}

/** Parses one parameter; undefined (with issues recorded) when it is invalid. */
export function parseParameter(raw: unknown, path: PathSegment[], issues: Issues): Distribution | undefined {
  if (!isPlainObject(raw)) {
    issues.add(path, notAMapping(raw));
    return undefined;
  }
  const before = issues.count;
  validate(keysSchema, raw, path, issues);
  let out: Distribution | undefined;
  if ('value' in raw) out = parseConstant(raw, path, issues);
  else if ('values' in raw) out = parseCategorical(raw, path, issues);
  else if (['distribution', 'min', 'max', 'q', 'grid_points'].some((k) => k in raw)) out = parseNumeric(raw, path, issues);
  else {
    issues.add(path, 'a parameter needs `value`, `values`, or `min` and `max` (with an optional `distribution`)');
  }
  return issues.count === before ? out : undefined;
}

function notAMapping(raw: unknown): string {
  if (Array.isArray(raw)) return 'a list of choices is written `{ values: [...] }`';
  if (isParamValue(raw)) {
    return `a parameter is a mapping: write \`{ value: ${String(raw)} }\`, or fix the setting under train:`;
  }
  return `expected a mapping with value, values, or min and max; got ${show(raw)}`;
}

/** Keys that make no sense with the parameter's form. */
function rejectKeys(raw: Record<string, unknown>, path: PathSegment[], issues: Issues, keys: string[], form: string): void {
  for (const key of keys) {
    if (key in raw) issues.add([...path, key], `\`${key}\` can't be used with ${form}`, { at: 'key' });
  }
}

function checkFormName(raw: Record<string, unknown>, path: PathSegment[], issues: Issues, name: string): void {
  const d = raw.distribution;
  if (d === undefined || d === null || d === name) return;
  issues.add([...path, 'distribution'], `a parameter with ${name === 'constant' ? 'value' : 'values'} is ${name}, not ${show(d)}`);
}

function parseConstant(raw: Record<string, unknown>, path: PathSegment[], issues: Issues): Distribution | undefined {
  rejectKeys(raw, path, issues, ['values', 'probabilities', 'min', 'max', 'q', 'grid_points'], '`value` (a fixed parameter)');
  checkFormName(raw, path, issues, 'constant');
  const value = raw.value;
  if (!isParamValue(value)) {
    issues.add([...path, 'value'], `expected a number, string or boolean, got ${show(value)}`);
    return undefined;
  }
  return { type: 'constant', value };
}

function parseCategorical(raw: Record<string, unknown>, path: PathSegment[], issues: Issues): Distribution | undefined {
  rejectKeys(raw, path, issues, ['min', 'max', 'q', 'grid_points'], '`values` (a list of choices)');
  checkFormName(raw, path, issues, 'categorical');
  const values = raw.values;
  const vpath = [...path, 'values'];
  if (!Array.isArray(values)) {
    issues.add(vpath, `expected a list of choices, e.g. [32, 64, 128]; got ${show(values)}`);
    return undefined;
  }
  if (values.length === 0) {
    issues.add(vpath, 'values must not be empty');
    return undefined;
  }
  const seen = new Set<unknown>(); // same equality as includes (SameValueZero), linear in the list
  let ok = true;
  values.forEach((v: unknown, i) => {
    if (!isParamValue(v)) {
      issues.add([...vpath, i], `a choice must be a number, string or boolean, got ${show(v)}`);
      ok = false;
    } else if (seen.has(v)) {
      issues.add([...vpath, i], `duplicate value ${show(v)} (values must be unique)`);
      ok = false;
    }
    seen.add(v);
  });
  if (!ok) return undefined;
  const out: Distribution = { type: 'categorical', values: values as ParamValue[] };
  if (raw.probabilities === undefined || raw.probabilities === null) return out;
  const probabilities = parseProbabilities(raw.probabilities, values.length, [...path, 'probabilities'], issues);
  return probabilities === undefined ? undefined : { ...out, probabilities };
}

function parseProbabilities(raw: unknown, n: number, path: PathSegment[], issues: Issues): number[] | undefined {
  const p = validate(z.array(z.number().min(0)), raw, path, issues);
  if (p === undefined) return undefined;
  if (p.length !== n) {
    issues.add(path, `${p.length} probabilities for ${n} values (give one per value)`);
    return undefined;
  }
  const sum = p.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > PROBABILITY_TOLERANCE) {
    issues.add(path, `probabilities must sum to 1 (they sum to ${Number(sum.toPrecision(12))})`);
    return undefined;
  }
  return p;
}

function parseNumeric(raw: Record<string, unknown>, path: PathSegment[], issues: Issues): NumericDistribution | undefined {
  rejectKeys(raw, path, issues, ['probabilities'], 'a numeric range (probabilities go with values)');
  const parsed = validate(numericSchema, raw, path, issues, {
    wrongValue: (rel, input) =>
      rel[0] === 'distribution' && typeof input === 'string'
        ? `unknown distribution \`${input}\`${didYouMean(input, DISTRIBUTION_NAMES)} (expected one of: ${oneOf([...NUMERIC_TYPES, 'log_uniform'])})`
        : undefined,
  });
  if (parsed === undefined) return undefined;
  const name = parsed.distribution ?? 'uniform';
  if (name === 'constant' || name === 'categorical') {
    issues.add([...path, 'distribution'], `${name} takes ${name === 'constant' ? '`value`' : '`values`'}, not min and max`);
    return undefined;
  }
  const type: NumericType = DISTRIBUTION_SYNONYMS[name] ?? (name as NumericType);
  const { min, max } = parsed;
  const at = (key: string): PathSegment[] => [...path, key];
  const before = issues.count;
  const isQ = type === 'q_uniform' || type === 'q_log_uniform_values';
  const q = parsed.q ?? undefined;
  if (isQ && q === undefined) issues.add(at('q'), `${type} needs \`q\` (the step, > 0)`, { at: 'parent' });
  if (isQ && q !== undefined && q <= 0) issues.add(at('q'), `q must be > 0, got ${q}`);
  if (!isQ && q !== undefined) issues.add(at('q'), '`q` applies only to q_uniform and q_log_uniform_values', { at: 'key' });
  if (min >= max) {
    const hint = min === max ? `; for a fixed value write \`value: ${min}\`` : '';
    issues.add(at('min'), `min (${min}) must be less than max (${max})${hint}`);
  }
  if (type === 'log_uniform_values' || type === 'q_log_uniform_values') {
    for (const key of ['min', 'max'] as const) {
      const v = parsed[key];
      if (v <= 0) issues.add(at(key), `log-scale bounds must be > 0 (bounds are values, not logarithms: ${logHint(v)})`);
    }
  }
  if (type === 'one_minus_log_uniform_values') {
    for (const key of ['min', 'max'] as const) {
      const v = parsed[key];
      if (v <= 0 || v >= 1) {
        issues.add(at(key), `1−β bounds must lie strictly between 0 and 1 (they are values such as 0.9 and 0.999), got ${v}`);
      }
    }
  }
  if (type === 'int_uniform') {
    for (const key of ['min', 'max'] as const) {
      const v = parsed[key];
      if (!Number.isInteger(v)) issues.add(at(key), `int_uniform bounds must be integers, got ${v}`);
    }
  }
  if (issues.count !== before) return undefined;
  const gp = parsed.grid_points ?? undefined;
  const extra = gp === undefined ? {} : { grid_points: gp };
  if (type === 'q_uniform' || type === 'q_log_uniform_values') return { type, min, max, q: q as number, ...extra };
  return { type, min, max, ...extra };
}

function logHint(v: number): string {
  return Number.isInteger(v) && v < 0 && v > -30 ? `write 1e${v}, not ${v}` : 'write 1e-5, not -5';
}
