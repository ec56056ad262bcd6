/**
 * The sampler bench's objectives, written once for both sides: this module for hpsearch's
 * samplers, objectives.py (its Python twin, tested to agree to 1e-9) for Optuna's. Each has a
 * search space as a spec gives it (parameters and `when:` conditions), a direction, and a
 * threshold for the tail figure P(best beyond threshold). Parameters are the user's values
 * (β1, not 1 − β1), as a trainer gets them.
 */
import type { Distribution } from '../../src/core/distributions.js';
import type { Conditions } from '../../src/core/spec.js';
import type { Direction, Params } from '../../src/core/types.js';
import { BRANIN, HARTMANN6_LOG } from '../../test/fixtures/numeric-objectives.js';

export interface BenchObjective {
  name: string;
  /** One line for the docs table. */
  about: string;
  direction: Direction;
  parameters: Record<string, Distribution>;
  conditions?: Conditions;
  /** P(best > threshold) when maximizing, P(best < threshold) when minimizing. */
  threshold: number;
  f(p: Params): number;
}

const num = (p: Params, name: string): number => p[name] as number;
const OPTIMIZERS = { sgd: { ceiling: 0.9, lr: -1 }, momentum: { ceiling: 0.93, lr: -1 }, adam: { ceiling: 0.95, lr: -3 } } as const;

/**
 * A simulated 20-epoch learning curve's final accuracy. Each optimizer has its own best
 * learning rate and ceiling (sgd 0.90, momentum 0.93, adam 0.95); β1 (momentum and adam only)
 * scales momentum's effective step lr / (1 − β1) and has its own optimum; too small a step
 * converges slowly, too large a one lowers the ceiling; units and weight decay cost a little
 * away from 256 and 1e-4.
 */
function learningCurve(p: Params): number {
  const opt = OPTIMIZERS[p['optimizer'] as keyof typeof OPTIMIZERS];
  const b = p['beta1'] === undefined ? 0 : Math.log10(1 - num(p, 'beta1'));
  const step = Math.log10(num(p, 'learning_rate')) - (p['optimizer'] === 'momentum' ? b : 0) - opt.lr;
  const betaCost = p['optimizer'] === 'sgd' ? 0 : 0.02 * (b - (p['optimizer'] === 'adam' ? -1 : -1.5)) ** 2;
  const units = Math.log2(num(p, 'units')) - 8;
  const decay = Math.log10(num(p, 'weight_decay')) + 4;
  const ceiling = opt.ceiling - 0.05 * Math.max(0, step) ** 2 - betaCost - 0.004 * units * units - 0.005 * decay * decay;
  const speed = 0.25 * 10 ** (0.6 * Math.min(0, step));
  return 0.1 + Math.max(0, ceiling - 0.1) * (1 - Math.exp(-speed * 20));
}

const ACTIVATIONS = {
  sigmoid: { peak: 0.82, lr: -1.5, drop: 0.1, width: 1 },
  tanh: { peak: 0.86, lr: -2, drop: 0.2, width: 1 },
  relu: { peak: 0.88, lr: -2.5, drop: 0.3, width: 1 },
  elu: { peak: 0.89, lr: -3, drop: 0.3, width: 2 },
  gelu: { peak: 0.94, lr: -3.5, drop: 0.5, width: 4 },
} as const;

/**
 * Which activation matters: each has its own best learning rate and dropout; the best one
 * (gelu, 0.94) has the narrowest peak, so a sampler that settles on a forgiving category early
 * stays below 0.90.
 */
function activationChoice(p: Params): number {
  const a = ACTIVATIONS[p['activation'] as keyof typeof ACTIVATIONS];
  const dl = Math.log10(num(p, 'learning_rate')) - a.lr;
  const dd = (num(p, 'dropout') - a.drop) * 4;
  return a.peak / (1 + a.width * (0.3 * dl * dl + dd * dd));
}

export const BENCH_OBJECTIVES: readonly BenchObjective[] = [
  {
    name: 'learning-curve',
    about: 'simulated learning curve, 5 parameters: optimizer, log lr, 1−β1 (log, momentum/adam only), log-int units, log weight decay; maximize',
    direction: 'maximize',
    parameters: {
      optimizer: { type: 'categorical', values: ['sgd', 'momentum', 'adam'] },
      learning_rate: { type: 'log_uniform_values', min: 1e-5, max: 1 },
      beta1: { type: 'one_minus_log_uniform_values', min: 0.5, max: 0.9999 },
      units: { type: 'q_log_uniform_values', min: 16, max: 1024, q: 1 },
      weight_decay: { type: 'log_uniform_values', min: 1e-6, max: 1e-1 },
    },
    conditions: { beta1: { optimizer: ['momentum', 'adam'] } },
    threshold: 0.935,
    f: learningCurve,
  },
  {
    name: 'branin',
    about: 'Branin–Hoo, x1 ∈ [−5, 10], x2 ∈ [0, 15]; minimize (optimum 0.398)',
    direction: 'minimize',
    parameters: BRANIN.parameters,
    threshold: 0.5,
    f: BRANIN.f,
  },
  {
    name: 'hartmann6-log',
    about: 'Hartmann-6, each coordinate a log-uniform parameter in [1e-4, 1]; minimize (optimum −3.322)',
    direction: 'minimize',
    parameters: HARTMANN6_LOG.parameters,
    threshold: -2.5,
    f: HARTMANN6_LOG.f,
  },
  {
    name: 'activation',
    about: 'a categorical that matters: 5 activations, each with its own best log lr and dropout; the best (0.94) has the narrowest peak; maximize',
    direction: 'maximize',
    parameters: {
      activation: { type: 'categorical', values: Object.keys(ACTIVATIONS) },
      learning_rate: { type: 'log_uniform_values', min: 1e-5, max: 1e-1 },
      dropout: { type: 'uniform', min: 0, max: 0.7 },
    },
    threshold: 0.9,
    f: activationChoice,
  },
];

export function benchObjective(name: string): BenchObjective {
  const o = BENCH_OBJECTIVES.find((x) => x.name === name);
  if (o === undefined) throw new Error(`unknown objective "${name}" (${BENCH_OBJECTIVES.map((x) => x.name).join(', ')})`);
  return o;
}
