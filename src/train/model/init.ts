/**
 * Initial weights. Kernels follow the `init` scheme (normal distributions, zero mean):
 *
 * - zeros: all zero (every unit starts identical: a demonstration of broken symmetry);
 * - small_normal: standard deviation `init_scale` (default 0.01);
 * - xavier (Glorot): std √(2 / (fan_in + fan_out));
 * - he: std √(2 / fan_in) (suits relu-like activations).
 *
 * Biases and batch-norm shifts start at 0, batch-norm scales at 1.
 */
import type { INITS } from '../identifiers.js';
import type { Rng } from '../random.js';
import type { ParamEntry, ParamLayout } from './layout.js';

export type InitScheme = (typeof INITS)[number];

/** The standard deviation a kernel entry gets under `scheme`. */
export function initStd(scheme: InitScheme, entry: Pick<ParamEntry, 'fanIn' | 'fanOut'>, initScale: number): number {
  switch (scheme) {
    case 'zeros':
      return 0;
    case 'small_normal':
      return initScale;
    case 'xavier':
      return Math.sqrt(2 / (entry.fanIn + entry.fanOut));
    case 'he':
      return Math.sqrt(2 / entry.fanIn);
  }
}

/**
 * Initial values of every weight tensor, in layout order: kernels drawn from `rng` (in layout
 * order, so a seed always gives the same network), the rest constant.
 */
export function initialWeights(layout: ParamLayout, scheme: InitScheme, initScale: number, rng: Rng): Float32Array[] {
  return layout.entries.map((e) => {
    const values = new Float32Array(e.size);
    if (e.role === 'gamma') values.fill(1);
    if (e.role !== 'kernel') return values;
    const std = initStd(scheme, e, initScale);
    if (std !== 0) for (let i = 0; i < e.size; i++) values[i] = rng.normal() * std;
    return values;
  });
}
