/**
 * The training step's own arithmetic, read back from a Session: the L1/L2 terms of its
 * gradients and the batch-norm moving statistics (including a one-example batch).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SettingValue } from '../../src/core/spec.js';
import { Session } from '../../src/train/loop/session.js';
import { buildNetwork } from '../../src/train/model/network.js';
import { resolveSettings } from '../../src/train/settings.js';
import { maxAbsDiff, useBackend } from './helpers.js';

const SHAPE = { features: 2, imageShape: null, classes: 2 };
const X = Float32Array.from([0.5, -1, 2, 0.3, -0.7, 1.1, 1.5, -2]);
const Y = Float32Array.from([1, 0, 0, 1, 1, 0, 0, 1]);

function session(train: Record<string, SettingValue>): Session {
  const settings = resolveSettings({ train: { layers: [3], optimizer: 'sgd', ...train }, params: {} });
  return new Session(buildNetwork(settings, SHAPE), settings, 11);
}

/** The weights after one sgd step at learning rate `lr` on the 4 rows above. */
function afterStep(train: Record<string, SettingValue>, lr: number): { before: Float32Array[]; after: Float32Array[] } {
  const s = session(train);
  try {
    const before = s.weightValues().map((w) => w.slice());
    const out = s.step(X, Y, 4, lr, false);
    out.pTrue.dispose();
    out.predicted.dispose();
    return { before, after: s.weightValues().map((w) => w.slice()) };
  } finally {
    s.dispose();
  }
}

/** z = x·W for the rows of `x` (features 2) and a 2 × 3 kernel. */
function linear(x: Float32Array, rows: number, w: Float32Array): number[][] {
  return Array.from({ length: rows }, (_, r) => [0, 1, 2].map((c) => x[r * 2]! * w[c]! + x[r * 2 + 1]! * w[3 + c]!));
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`training step on ${backend}`, () => {
    it('adds 2λ₂w and λ₁·sign(w) to the kernels’ gradients, and nothing to the biases', async () => {
      await useBackend(backend);
      const lr = 0.1;
      const plain = afterStep({}, lr);
      for (const [penalty, term] of [
        ['l2', (w: number): number => 2 * 0.5 * w],
        ['l1', (w: number): number => 0.5 * Math.sign(w)],
      ] as const) {
        const penalised = afterStep({ [penalty]: 0.5 }, lr);
        ['dense1/kernel', 'dense1/bias', 'output/kernel', 'output/bias'].forEach((name, i) => {
          const kernel = name.endsWith('kernel');
          const expected = plain.after[i]!.map((w, k) => w - (kernel ? lr * term(plain.before[i]![k]!) : 0));
          assert.ok(maxAbsDiff(penalised.after[i]!, expected) < 1e-6, `${penalty} on ${name}`);
        });
      }
    });

    it('moves the batch-norm moving statistics towards the batch’s (unbiased variance)', async () => {
      await useBackend(backend);
      const s = session({ batch_norm: true });
      try {
        const z = linear(X, 4, s.weightValues()[0]!);
        const out = s.step(X, Y, 4, 0.01, false);
        out.pTrue.dispose();
        out.predicted.dispose();
        const { mean, variance } = s.movingStatistics();
        [0, 1, 2].forEach((c) => {
          const col = z.map((row) => row[c]!);
          const mu = col.reduce((a, b) => a + b, 0) / 4;
          const unbiased = col.reduce((a, b) => a + (b - mu) ** 2, 0) / 3;
          assert.ok(Math.abs(mean[0]![c]! - 0.1 * mu) < 1e-5, `mean of channel ${c}: ${mean[0]![c]} vs ${0.1 * mu}`);
          assert.ok(Math.abs(variance[0]![c]! - (0.9 + 0.1 * unbiased)) < 1e-5, `variance of channel ${c}: ${variance[0]![c]}`);
        });
      } finally {
        s.dispose();
      }
    });

    it('leaves the moving variance alone after a one-example batch (its own variance is 0)', async () => {
      await useBackend(backend);
      const s = session({ batch_norm: true });
      try {
        const z = linear(X, 1, s.weightValues()[0]!);
        const out = s.step(X.subarray(0, 2), Y.subarray(0, 2), 1, 0.01, false);
        out.pTrue.dispose();
        out.predicted.dispose();
        const { mean, variance } = s.movingStatistics();
        assert.deepEqual(Array.from(variance[0]!), [1, 1, 1]);
        [0, 1, 2].forEach((c) => assert.ok(Math.abs(mean[0]![c]! - 0.1 * z[0]![c]!) < 1e-5, `mean of channel ${c}`));
      } finally {
        s.dispose();
      }
    });
  });
}
