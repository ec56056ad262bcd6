/**
 * `train.model: ./model.js`: loads the user's module and builds its model. The module exports
 * `build(params, tf)` returning an uncompiled tf.LayersModel; `params` holds every setting of
 * the trial plus `input_shape` (one example's shape) and `classes`, and `tf` is the trainer's
 * TensorFlow.js namespace (tfjs-core and tfjs-layers together, on the trial's backend).
 */
import { pathToFileURL } from 'node:url';
import type { SettingValue } from '../../core/spec.js';
import type { TrialTask } from '../../core/trainer.js';
import { TRAIN_KNOBS } from '../identifiers.js';
import type { PreparedData } from '../data/types.js';
import { tf, tfl } from '../tf.js';

/** What a model module's build() is given as its second argument. */
export type UserTf = typeof tf & typeof tfl;

let namespace: UserTf | null = null;

/** The namespace handed to build(): tfjs-core's ops with tfjs-layers' layers, models and input. */
export function userTf(): UserTf {
  namespace ??= Object.freeze({ ...tf, ...tfl }) as UserTf;
  return namespace;
}

/** One example's shape as the model takes it: [h, w, c] for images, else [features]. */
export function inputShapeOf(data: Pick<PreparedData, 'imageShape' | 'features'>): number[] {
  return data.imageShape === null ? [data.features] : [...data.imageShape];
}

/** Every setting of the trial (fixed and searched), with the data's shape and class count. */
export type UserParams = Record<string, SettingValue> & { input_shape: number[]; classes: number };

type BuildFunction = (params: UserParams, tf: UserTf) => unknown;

async function buildFunction(file: string): Promise<BuildFunction> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`train.model ${file}: cannot load the module (${(error as Error).message})`);
  }
  const fallback = mod['default'] as Record<string, unknown> | undefined;
  const build = mod['build'] ?? (typeof fallback === 'object' && fallback !== null ? fallback['build'] : undefined);
  if (typeof build !== 'function') {
    throw new Error(`train.model ${file}: expected the module to export a function build(params, tf) returning a tf.LayersModel; it exports ${Object.keys(mod).join(', ') || 'nothing'}`);
  }
  return build as BuildFunction;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name === undefined || name === 'Object' ? 'a plain object' : `a ${name}`;
}

function shapeText(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'batch' : String(d))).join(', ')}]`;
}

/**
 * Builds the trial's model: the module's build() at `params`, checked to be a LayersModel with
 * one input of one example's shape and one output of `classes` units. Throws saying what was
 * expected (the trial fails with that message).
 */
export async function buildUserModel(file: string, params: Record<string, SettingValue>, data: Pick<PreparedData, 'imageShape' | 'features' | 'classes'>): Promise<tfl.LayersModel> {
  const build = await buildFunction(file);
  const inputShape = inputShapeOf(data);
  const classes = data.classes;
  const built: unknown = await build({ ...params, input_shape: inputShape, classes }, userTf());
  if (!(built instanceof tfl.LayersModel)) {
    throw new Error(`train.model ${file}: build() must return a tf.LayersModel (tf.sequential() or tf.model()), got ${describe(built)}`);
  }
  const model = built;
  const fail = (what: string): never => {
    model.dispose();
    throw new Error(`train.model ${file}: ${what}`);
  };
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    fail(`expected a model with one input and one output, got ${model.inputs.length} inputs and ${model.outputs.length} outputs`);
  }
  const gotIn = model.inputs[0]!.shape.slice(1);
  if (gotIn.length !== inputShape.length || gotIn.some((d, i) => d !== null && d !== inputShape[i])) {
    fail(`the model's input shape is ${shapeText(model.inputs[0]!.shape)}; the data's examples have shape ${shapeText([null, ...inputShape])} (use params.input_shape)`);
  }
  const gotOut = model.outputs[0]!.shape;
  if (gotOut.length !== 2 || gotOut[1] !== classes) {
    fail(`the model's output shape is ${shapeText(gotOut)}; expected [batch, ${classes}]: one probability per class (use params.classes units with a softmax)`);
  }
  return model;
}

/**
 * The task with only the training knobs in `train` and `params`: what the trainer's settings
 * are resolved from. A user model's own names (no knob) reach only its build().
 */
export function knobsOnly<T extends Pick<TrialTask, 'train' | 'params'>>(task: T): T {
  const keep = <V>(o: Record<string, V>): Record<string, V> => Object.fromEntries(Object.entries(o).filter(([name]) => Object.hasOwn(TRAIN_KNOBS, name)));
  return { ...task, train: keep(task.train), params: keep(task.params) };
}
