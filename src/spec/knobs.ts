/**
 * `train:` settings and `parameters:` checked against the knobs of a trainer: with
 * `trainer: tfjs` only the knobs of train/identifiers.ts exist; a module trainer's are free.
 */
import type { Distribution } from '../core/distributions.js';
import type { SettingValue } from '../core/spec.js';
import { AUGMENT_KEYS, AUGMENT_PREFIX, TRAIN_KNOB_NAMES, TRAIN_KNOBS, type Knob } from '../train/identifiers.js';
import type { Issues } from './issues.js';
import { didYouMean, isPlainObject, oneOf, show } from './issues.js';
import { isParamValue } from './parameters.js';
import type { PathSegment } from './yaml-positions.js';

function knobOf(name: string): Knob | undefined {
  return Object.hasOwn(TRAIN_KNOBS, name) ? (TRAIN_KNOBS as Record<string, Knob>)[name] : undefined;
}

/** Names other tools use for a knob: suggested before the nearest spelling. */
const KNOB_ALIASES: Readonly<Record<string, string>> = {
  lr: 'learning_rate',
  alpha: 'learning_rate',
  bs: 'batch_size',
  weight_decay: 'l2',
  n_epochs: 'epochs',
  num_epochs: 'epochs',
  eps: 'epsilon',
  optimiser: 'optimizer',
  dropout_rate: 'dropout',
  units: 'hidden_units',
  num_layers: 'hidden_layers',
  schedule: 'lr_schedule',
};

export function unknownKnobMessage(name: string): string {
  const alias = KNOB_ALIASES[name.toLowerCase()];
  const hint = alias === undefined ? didYouMean(name, TRAIN_KNOB_NAMES) : `; did you mean \`${alias}\`?`;
  if (hint !== '') return `unknown training knob \`${name}\`${hint}`;
  return `unknown training knob \`${name}\` (trainer tfjs knows: ${oneOf(TRAIN_KNOB_NAMES)}; a module trainer takes any name)`;
}

/** The path in the file of a train: knob (`augment.rotate` is written `augment: { rotate }`). */
export function trainPath(name: string): PathSegment[] {
  return name.startsWith(AUGMENT_PREFIX) ? ['train', 'augment', name.slice(AUGMENT_PREFIX.length)] : ['train', name];
}

/** `train:`'s entries with `augment: { rotate: 10 }` read as the knob `augment.rotate`. */
function trainEntries(raw: Record<string, unknown>, tfjs: boolean, issues: Issues): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (!tfjs || name !== 'augment') {
      out.push([name, value]);
      continue;
    }
    if (!isPlainObject(value)) {
      issues.add(['train', 'augment'], `expected a mapping such as { shift: 2, rotate: 10 } (keys: ${oneOf(AUGMENT_KEYS)}), got ${show(value)}`);
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      if ((AUGMENT_KEYS as readonly string[]).includes(key)) out.push([AUGMENT_PREFIX + key, v]);
      else issues.add(['train', 'augment', key], `unknown augmentation \`${key}\`${didYouMean(key, AUGMENT_KEYS)} (known: ${oneOf(AUGMENT_KEYS)})`, { at: 'key' });
    }
  }
  return out;
}

/**
 * Parses `train:`; with `tfjs`, every key must be a knob and every value fit it — except, with
 * `ownNames` (a user model, train.model: ./model.js), names that are no knob, which go to its build().
 */
export function parseTrain(raw: unknown, tfjs: boolean, issues: Issues, ownNames = false): Record<string, SettingValue> | undefined {
  if (raw === undefined || raw === null) return {};
  const path = ['train'];
  if (!isPlainObject(raw)) {
    issues.add(path, `expected a mapping of settings (e.g. epochs: 10), got ${show(raw)}`);
    return undefined;
  }
  const before = issues.count;
  const out: Record<string, SettingValue> = {};
  for (const [name, value] of trainEntries(raw, tfjs, issues)) {
    const at = trainPath(name);
    if (tfjs) {
      const knob = knobOf(name);
      if (knob === undefined && !ownNames) {
        issues.add(at, unknownKnobMessage(name), { at: 'key' });
        continue;
      }
      if (knob !== undefined && !checkKnobValue(name, knob, value, at, issues)) continue;
    }
    if ((!tfjs || knobOf(name) === undefined) && !isParamValue(value) && !isNumberList(value)) {
      issues.add(at, `expected a number, string, boolean or a list of numbers, got ${show(value)}`);
      continue;
    }
    out[name] = value as SettingValue;
  }
  return issues.count === before ? out : undefined;
}

function isNumberList(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** "> 0", "in [0, 1)", "≥ 1" … or '' when unbounded. */
export function knobRange(knob: Knob): string {
  const lo = knob.min;
  const hi = knob.max;
  if (lo !== undefined && hi !== undefined) {
    return `in ${knob.exclusiveMin === true ? '(' : '['}${lo}, ${hi}${knob.exclusiveMax === true ? ')' : ']'}`;
  }
  if (lo !== undefined) return `${knob.exclusiveMin === true ? '>' : '≥'} ${lo}`;
  if (hi !== undefined) return `${knob.exclusiveMax === true ? '<' : '≤'} ${hi}`;
  return '';
}

function inRange(knob: Knob, v: number): boolean {
  if (knob.min !== undefined && (knob.exclusiveMin === true ? v <= knob.min : v < knob.min)) return false;
  if (knob.max !== undefined && (knob.exclusiveMax === true ? v >= knob.max : v > knob.max)) return false;
  return true;
}

/** Checks one value of a knob (fixed, a choice, or a bound); records an issue when it doesn't fit. */
export function checkKnobValue(name: string, knob: Knob, value: unknown, path: PathSegment[], issues: Issues): boolean {
  const fail = (message: string): false => {
    issues.add(path, message);
    return false;
  };
  switch (knob.kind) {
    case 'enum': {
      const values = knob.values ?? [];
      if (typeof value === 'string' && values.includes(value)) return true;
      if (typeof value === 'string') {
        return fail(`unknown ${name} \`${value}\`${didYouMean(value, values)} (expected one of: ${oneOf(values)})`);
      }
      return fail(`${name} is one of: ${oneOf(values)}; got ${show(value)}`);
    }
    case 'boolean':
      return typeof value === 'boolean' || fail(`${name} is true or false, got ${show(value)}`);
    case 'int_list':
      if (Array.isArray(value) && value.every((x) => Number.isInteger(x) && (x as number) >= 1)) return true;
      return fail(`${name} is a list of positive integers, e.g. [256, 128]; got ${show(value)}`);
    case 'int':
    case 'number': {
      const isInt = knob.kind === 'int';
      if (typeof value !== 'number' || !Number.isFinite(value) || (isInt && !Number.isInteger(value))) {
        return fail(`${name} is ${isInt ? 'an integer' : 'a number'}${rangeSuffix(knob)}; got ${show(value)}`);
      }
      return inRange(knob, value) || fail(`${name} must be ${knobRange(knob)}, got ${value}`);
    }
  }
}

function rangeSuffix(knob: Knob): string {
  const r = knobRange(knob);
  return r === '' ? '' : ` ${r}`;
}

/** With trainer tfjs: a searched parameter must be a knob, and its domain must fit the knob. */
export function checkParameterKnob(name: string, d: Distribution, issues: Issues, ownNames = false): void {
  const path = ['parameters', name];
  const knob = knobOf(name);
  if (knob === undefined && ownNames) return;
  if (knob === undefined) {
    issues.add(path, unknownKnobMessage(name), { at: 'key' });
    return;
  }
  if (d.type === 'constant') {
    checkKnobValue(name, knob, d.value, [...path, 'value'], issues);
    return;
  }
  if (d.type === 'categorical') {
    d.values.forEach((v, i) => checkKnobValue(name, knob, v, [...path, 'values', i], issues));
    return;
  }
  if (knob.kind === 'int_list') {
    issues.add(path, `${name} is a list and can't be searched; fix it under train: (search hidden_layers and hidden_units instead)`, { at: 'key' });
    return;
  }
  if (knob.kind === 'enum' || knob.kind === 'boolean') {
    const choices = knob.kind === 'enum' ? `[${oneOf(knob.values ?? [])}]` : '[true, false]';
    issues.add([...path, 'distribution'], `${name} is a choice, not a range: search it with values: ${choices}`);
    return;
  }
  if (knob.kind === 'int') {
    const integral = d.type === 'int_uniform' || ((d.type === 'q_uniform' || d.type === 'q_log_uniform_values') && Number.isInteger(d.q));
    if (!integral) {
      issues.add([...path, 'distribution'], `${name} takes integers: use distribution int_uniform (or a q_ distribution with an integer q)`);
    }
  }
  for (const key of ['min', 'max'] as const) {
    const v = d[key];
    if (!inRange(knob, v)) issues.add([...path, key], `${name} must be ${knobRange(knob)}, but ${key} is ${v}`);
  }
}
