/**
 * A trial's training settings: `task.train` merged with `task.params` (params win), every
 * knob of TRAIN_KNOBS defaulted, checked and typed. Invalid values throw an Error naming the
 * setting (a thrown error fails the trial with that message).
 */
import type { SettingValue } from '../core/spec.js';
import type { TrialTask } from '../core/trainer.js';
import { TRAIN_KNOBS } from './identifiers.js';
import type { Knob, TrainKnobName } from './identifiers.js';

type KnobOf<K extends TrainKnobName> = (typeof TRAIN_KNOBS)[K];
type ValueOf<K extends TrainKnobName> =
  KnobOf<K> extends { kind: 'enum'; values: readonly (infer V)[] }
    ? V
    : KnobOf<K> extends { kind: 'boolean' }
      ? boolean
      : KnobOf<K> extends { kind: 'int_list' }
        ? number[] | null
        : number | (KnobOf<K>['default'] extends null ? null : never);

/** Every knob, typed (see identifiers.ts for meanings and defaults). */
export type TrainSettings = { [K in TrainKnobName]: ValueOf<K> } & {
  /** The dropout rate in effect (from `dropout`, or 1 − `keep_prob`). */
  dropoutRate: number;
  /** Hidden layer sizes of an mlp (from `layers`, or hidden_layers × hidden_units). */
  hidden: number[];
};

/** Parses an int_list given as a list, a number, or a string such as "256,128" or "[256, 128]". */
function parseIntList(name: string, value: SettingValue): number[] {
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'number') items = [value];
  else if (typeof value === 'string') {
    const body = value.trim().replace(/^\[/, '').replace(/\]$/, '').trim();
    items = body === '' ? [] : body.split(/[\s,x×]+/).map(Number);
  } else items = [value];
  if (!items.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
    throw new Error(`setting ${name}: expected a list of positive integers (e.g. [256, 128] or "256,128"), got ${JSON.stringify(value)}`);
  }
  return items as number[];
}

function checkBounds(name: string, knob: Knob, v: number): void {
  const { min, max } = knob;
  if (min !== undefined && (knob.exclusiveMin === true ? v <= min : v < min)) {
    throw new Error(`setting ${name}: must be ${knob.exclusiveMin === true ? '>' : '≥'} ${min}, got ${v}`);
  }
  if (max !== undefined && (knob.exclusiveMax === true ? v >= max : v > max)) {
    throw new Error(`setting ${name}: must be ${knob.exclusiveMax === true ? '<' : '≤'} ${max}, got ${v}`);
  }
}

/** Checks one value against its knob and returns it in its typed form. */
function coerce(name: TrainKnobName, value: SettingValue): unknown {
  const knob: Knob = TRAIN_KNOBS[name];
  switch (knob.kind) {
    case 'int':
    case 'number': {
      const v = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`setting ${name}: expected a number, got ${JSON.stringify(value)}`);
      if (knob.kind === 'int' && !Number.isInteger(v)) throw new Error(`setting ${name}: expected an integer, got ${v}`);
      checkBounds(name, knob, v);
      return v;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw new Error(`setting ${name}: expected true or false, got ${JSON.stringify(value)}`);
    case 'enum':
      if (typeof value !== 'string' || !(knob.values ?? []).includes(value)) {
        throw new Error(`setting ${name}: expected one of ${(knob.values ?? []).join(', ')}, got ${JSON.stringify(value)}`);
      }
      return value;
    case 'int_list':
      return parseIntList(name, value);
  }
}

function isKnob(name: string): name is TrainKnobName {
  return Object.hasOwn(TRAIN_KNOBS, name);
}

/**
 * The settings of a trial: defaults, then `task.train`, then `task.params`. Throws on an
 * unknown name, a value of the wrong kind or out of bounds, or contradictory settings
 * (`dropout` and `keep_prob` disagreeing).
 */
export function resolveSettings(task: Pick<TrialTask, 'train' | 'params'>): TrainSettings {
  const given = new Map<TrainKnobName, SettingValue>();
  for (const source of [task.train, task.params]) {
    for (const [name, value] of Object.entries(source)) {
      if (!isKnob(name)) throw new Error(`unknown training setting '${name}' (known: ${Object.keys(TRAIN_KNOBS).join(', ')})`);
      given.set(name, value);
    }
  }
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(TRAIN_KNOBS) as TrainKnobName[]) {
    const value = given.get(name);
    out[name] = value === undefined || value === null ? TRAIN_KNOBS[name].default : coerce(name, value);
  }
  const s = out as Omit<TrainSettings, 'dropoutRate' | 'hidden'>;
  let dropoutRate = s.dropout;
  if (s.keep_prob !== null) {
    const fromKeep = 1 - s.keep_prob;
    if (given.has('dropout') && Math.abs(fromKeep - s.dropout) > 1e-9) {
      throw new Error(`settings dropout (${s.dropout}) and keep_prob (${s.keep_prob}) disagree: give one of them`);
    }
    dropoutRate = fromKeep;
  }
  const hidden = s.layers ?? Array.from({ length: s.hidden_layers }, () => s.hidden_units);
  return { ...s, dropoutRate, hidden };
}
