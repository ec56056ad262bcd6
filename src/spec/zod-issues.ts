/** Runs a zod schema on part of the spec and turns its issues into located, readable ones. */
import { z } from 'zod';
import type { Issues} from './issues.js';
import { didYouMean, oneOf, show } from './issues.js';
import type { PathSegment } from './yaml-positions.js';

export interface ValidateHooks {
  /** A better message for an unknown key under `parent` (relative path), or undefined. */
  unknownKey?: (key: string, parent: readonly PathSegment[]) => string | undefined;
  /** A better message for a wrong value at `path` (relative path), or undefined. */
  wrongValue?: (path: readonly PathSegment[], input: unknown) => string | undefined;
}

/**
 * Validates `value` (found at `path`) with `schema`; records every issue and returns the
 * parsed value, or undefined when anything was wrong.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  path: readonly PathSegment[],
  issues: Issues,
  hooks: ValidateHooks = {},
): z.output<S> | undefined {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const rel = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const full = [...path, ...rel];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, rel);
      for (const key of issue.keys) {
        const message =
          hooks.unknownKey?.(key, rel) ?? unknownKeyMessage(key, known);
        issues.add([...full, key], message, { at: 'key' });
      }
      continue;
    }
    const input: unknown = 'input' in issue ? issue.input : undefined;
    if (issue.code === 'invalid_type' && input === undefined) {
      const key = full[full.length - 1];
      issues.add(full, `missing required key \`${String(key)}\``, { at: 'parent' });
      continue;
    }
    const integer = issue.code === 'invalid_type' && isIntSchema(schemaAt(schema, rel));
    const last = full[full.length - 1];
    const noun = typeof last === 'string' ? last : 'value';
    issues.add(full, hooks.wrongValue?.(rel, input) ?? messageOf(issue, input, integer, noun));
  }
  return undefined;
}

/** "unknown key `x`; did you mean `y`?", or with the known keys listed when none is near. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  if (hint !== '' || known.length === 0) return `unknown key \`${key}\`${hint}`;
  return `unknown key \`${key}\` (known keys: ${oneOf(known)})`;
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

function isIntSchema(s: z.ZodType | undefined): boolean {
  return s instanceof z.ZodNumber && s.isInt === true;
}

function messageOf(issue: z.core.$ZodIssue, input: unknown, integer: boolean, noun: string): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = integer ? EXPECTED.int : (EXPECTED[issue.expected] ?? issue.expected);
      if (typeof input === 'number' && !Number.isFinite(input)) return `expected a finite number, got ${show(input)}`;
      return `expected ${expected}, got ${show(input)}`;
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      if (typeof input === 'string') {
        return `unknown ${noun} \`${input}\`${didYouMean(input, values)} (expected one of: ${oneOf(values)})`;
      }
      return `expected one of: ${oneOf(values)}; got ${show(input)}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set') {
        return min <= 1 ? 'must not be empty' : `needs at least ${min} items`;
      }
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive === false ? '>' : '≥'} ${min}, got ${show(input)}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set') return `may have at most ${max} items`;
      if (issue.origin === 'string') return `may be at most ${max} characters long`;
      return `must be ${issue.inclusive === false ? '<' : '≤'} ${max}, got ${show(input)}`;
    }
    default:
      return issue.message;
  }
}

/** The (unwrapped) schema found at `rel` inside `schema`, if it can be followed there. */
export function schemaAt(schema: z.ZodType, rel: readonly PathSegment[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of rel) {
    if (current instanceof z.ZodObject) {
      const shape = current.shape as Record<string, z.ZodType>;
      current = typeof segment === 'string' ? shape[segment] : undefined;
    } else if (current instanceof z.ZodArray) {
      current = current.element as z.ZodType;
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
    current = unwrap(current);
  }
  return current;
}

/** Keys of the object schema found at `rel` inside `schema` (for "did you mean"). */
export function knownKeys(schema: z.ZodType, rel: readonly PathSegment[]): string[] {
  const at = schemaAt(schema, rel);
  return at instanceof z.ZodObject ? Object.keys(at.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 16; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as z.ZodType;
    } else {
      break;
    }
  }
  return s;
}
