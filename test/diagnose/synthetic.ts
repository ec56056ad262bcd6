// Deterministic synthetic training curves and trials for the diagnose tests.
import type { EpochRecord, FrozenTrial, Params, TrialState } from '../../src/core/types.js';

/** A seeded uniform generator on [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded standard normal generator (Box–Muller). */
export function gaussian(seed: number): () => number {
  const u = rng(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** A trial as storage would hand it over. */
export function trialOf(over: { number?: number; state?: TrialState; params?: Params; value?: number | null; error?: string | null } = {}): FrozenTrial {
  return {
    studyId: 1,
    number: over.number ?? 0,
    state: over.state ?? 'complete',
    params: over.params ?? {},
    distributions: {},
    value: over.value ?? null,
    seed: 1,
    attempt: 0,
    started: null,
    finished: null,
    heartbeat: null,
    worker: null,
    error: over.error ?? null,
    attrs: {},
  };
}

/** A metric's noiseless value at an epoch. */
export type CurveFn = (epoch: number) => number;

/** Noiseless curves of the four standard metrics. */
export type StandardCurves = Record<'train_loss' | 'val_loss' | 'train_accuracy' | 'val_accuracy', CurveFn>;

/**
 * Epoch records of `epochs` epochs from noiseless curves plus seeded noise: `noise` is the
 * relative standard deviation of each metric (accuracies get it in absolute terms, clipped
 * to [0, 1]).
 */
export function makeEpochs(epochs: number, curves: Record<string, CurveFn>, noise: number, seed: number): EpochRecord[] {
  const z = gaussian(seed);
  const out: EpochRecord[] = [];
  for (let e = 0; e < epochs; e++) {
    const metrics: Record<string, number> = {};
    for (const [name, f] of Object.entries(curves)) {
      const v = f(e);
      if (!Number.isFinite(v)) metrics[name] = v;
      else if (name.endsWith('accuracy')) metrics[name] = Math.min(1, Math.max(0, v + noise * z()));
      else metrics[name] = v * (1 + noise * z());
    }
    out.push({ epoch: e, metrics });
  }
  return out;
}

/** A healthy run: losses fall to a floor together, accuracies rise to 0.95 / 0.93. */
export const goodFitCurves: StandardCurves = {
  train_loss: (e) => 0.2 + 2.1 * Math.exp(-e / 4),
  val_loss: (e) => 0.25 + 2.05 * Math.exp(-e / 4),
  train_accuracy: (e) => 0.95 - 0.85 * Math.exp(-e / 3),
  val_accuracy: (e) => 0.93 - 0.83 * Math.exp(-e / 3),
};

/** α far too high: the loss climbs and turns NaN at epoch 4. */
export const explodingCurves: StandardCurves = {
  train_loss: (e) => (e >= 4 ? NaN : 2.3 * 3 ** e),
  val_loss: (e) => (e >= 4 ? NaN : 2.4 * 3 ** e),
  train_accuracy: () => 0.1,
  val_accuracy: () => 0.1,
};

/** α far too low: ten classes, the loss sits at ln 10 and barely moves. */
export const flatCurves: StandardCurves = {
  train_loss: (e) => Math.log(10) - 0.0004 * e,
  val_loss: (e) => Math.log(10) - 0.0003 * e,
  train_accuracy: () => 0.1,
  val_accuracy: () => 0.1,
};

/** A tiny network on two spirals: the loss falls a little, then sits near ln 2; accuracy ~0.5. */
export const tinyNetCurves: StandardCurves = {
  train_loss: (e) => 0.66 + 0.1 * Math.exp(-e / 2),
  val_loss: (e) => 0.67 + 0.1 * Math.exp(-e / 2),
  train_accuracy: (e) => 0.52 - 0.02 * Math.exp(-e / 2),
  val_accuracy: (e) => 0.5 - 0.02 * Math.exp(-e / 2),
};

/**
 * A large unregularised network on a few samples: training accuracy reaches 1.0, the
 * validation loss falls, bottoms out near epoch `bottom`, then climbs (a U).
 */
export function overfitCurves(bottom: number): StandardCurves {
  return {
    train_loss: (e) => 0.005 + 2 * Math.exp(-e / 2),
    val_loss: (e) => 0.3 + 2 * Math.exp(-e / 1.5) + 0.003 * Math.max(0, e - bottom) ** 2,
    train_accuracy: (e) => 1 - 0.9 * Math.exp(-e / 1.5),
    val_accuracy: (e) => 0.86 - 0.76 * Math.exp(-e / 1.5),
  };
}

/** The epoch of a noiseless curve's minimum over `epochs` epochs. */
export function argmin(f: CurveFn, epochs: number): number {
  let best = 0;
  for (let e = 1; e < epochs; e++) if (f(e) < f(best)) best = e;
  return best;
}

/** Epoch records from per-metric value lists; a list may skip an epoch with `undefined`. */
export function epochsOf(metrics: Record<string, (number | undefined)[]>): EpochRecord[] {
  const n = Math.max(0, ...Object.values(metrics).map((v) => v.length));
  return Array.from({ length: n }, (_, epoch) => {
    const m: Record<string, number> = {};
    for (const [name, values] of Object.entries(metrics)) {
      const v = values[epoch];
      if (v !== undefined) m[name] = v;
    }
    return { epoch, metrics: m };
  });
}
