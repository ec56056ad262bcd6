/**
 * method: pbt — a user model's checkpoint between segments: every weight of the model (the
 * trainable ones and the moving statistics, in `model.weights` order), the optimiser's state
 * (moments, step count) and the divergence reference. The model itself is rebuilt from the
 * user's file each segment; the checkpoint only fits a model with the same weight shapes.
 */
import type { JsonValue } from '../../core/types.js';
import { readCheckpoint, writeCheckpoint } from '../checkpoint.js';
import type { TrainSettings } from '../settings.js';
import type { UserSession } from './session.js';

const FORMAT = 'user-model';

interface UserSegmentState {
  model: typeof FORMAT;
  optimizer: string;
  steps: number;
  reference: number;
  shapes: number[][];
  slots: number;
}

const shapeText = (shapes: readonly (readonly number[])[]): string => shapes.map((s) => `[${s.join(', ')}]`).join(' ');

/** Writes the session's state as the segment's checkpoint `dir`, after `epoch` epochs. */
export function writeUserSegment(dir: string, epoch: number, session: UserSession, settings: TrainSettings, reference: number): void {
  const optimizer = session.optimizerState();
  const state: UserSegmentState = {
    model: FORMAT,
    optimizer: settings.optimizer,
    steps: optimizer.steps,
    reference,
    shapes: session.weightShapes,
    slots: optimizer.slots.length,
  };
  writeCheckpoint(dir, { epoch, state: state as unknown as JsonValue, tensors: [...session.weightValues(), ...optimizer.slots] });
}

/**
 * Puts the checkpoint `dir` into the session (weights, and the optimiser's state when the
 * optimiser is unchanged; a perturbed optimiser starts afresh) and returns its reference loss.
 * Throws naming both shapes when the model the member builds now does not fit the weights.
 */
export function readUserSegment(dir: string, session: UserSession, settings: TrainSettings): number {
  const checkpoint = readCheckpoint(dir);
  const state = checkpoint.state as unknown as UserSegmentState;
  if (state.model !== FORMAT) throw new Error(`the checkpoint ${dir} holds a built-in network's weights, not a model file's`);
  const wanted = session.weightShapes;
  const same = state.shapes.length === wanted.length && state.shapes.every((s, i) => s.length === wanted[i]!.length && s.every((d, j) => d === wanted[i]![j]));
  if (!same) {
    throw new Error(
      `the checkpoint ${dir} holds weights of shapes ${shapeText(state.shapes)}; the model this segment built needs ${shapeText(wanted)} (a parameter that changes the model's shape cannot be perturbed under method pbt)`,
    );
  }
  const tensors = checkpoint.tensors ?? [];
  session.loadWeightValues(tensors.slice(0, wanted.length));
  if (state.optimizer === settings.optimizer) session.loadOptimizerState({ steps: state.steps, slots: tensors.slice(wanted.length, wanted.length + state.slots) });
  return state.reference;
}
