import type { Spec } from '../core/spec.js';
import type { TrialExecutor } from '../core/trainer.js';
import { InlineExecutor } from './inline.js';

export interface ExecutorOptions {
  spec: Spec;
  /** Slots asked for on the command line; else the spec's parallelism; else one per core. */
  parallelism: number | null;
}

/** The executor for a study: where and how many trials run at once. */
export function createExecutor(_options: ExecutorOptions): Promise<TrialExecutor> {
  return Promise.resolve(new InlineExecutor());
}
