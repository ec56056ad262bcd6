import type { TrainerKind } from '../core/spec.js';
import type { TrainFunction } from '../core/trainer.js';

/**
 * Loads a trainer lazily, so that a process running module trials never imports
 * TensorFlow.js.
 */
export async function loadTrainFunction(kind: TrainerKind): Promise<TrainFunction> {
  if (kind === 'command') throw new Error('trainer: command runs in command slots (pool/command-worker.ts), not as a function');
  if (kind === 'module') return (await import('./module-trainer.js')).train;
  return (await import('./tfjs-trainer.js')).train;
}
