import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOptimizer, fusedAdamAvailable } from '../../src/train/optim/optimizers.js';
import type { OptimizerConfig } from '../../src/train/optim/optimizers.js';
import { OPTIMIZERS } from '../../src/train/identifiers.js';
import { train } from '../../src/train/tfjs-trainer.js';
import { tf } from '../../src/train/tf.js';
import type { Tensor } from '../../src/train/tf.js';
import { maxAbsDiff, recorder, task, useBackend } from './helpers.js';

const CONFIG: OptimizerConfig = { optimizer: 'adam', momentum: 0.9, rho: 0.9, epsilon: 1e-7, beta1: 0.9, beta2: 0.999 };

/** Runs `steps` steps of an optimiser on fixed weights and gradients; returns the weights. */
function run(config: OptimizerConfig, w0: number[], grads: number[][], lr: number, allowFused = true): Float32Array {
  const opt = createOptimizer(config, [[w0.length]], allowFused);
  let w: Tensor = tf.tensor1d(w0);
  for (const g of grads) {
    const next = tf.tidy(() => opt.step([w], [tf.tensor1d(g)], lr)[0]!);
    w.dispose();
    w = next;
  }
  const out = w.dataSync() as Float32Array;
  w.dispose();
  opt.dispose();
  return out;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`optimiser arithmetic on ${backend}`, () => {
    it("Adam's first update is ≈ α per weight, whatever the gradient's scale (bias correction)", async () => {
      await useBackend(backend);
      const w0 = [0.5, -1, 2, 0, 3];
      const g = [1e-3, -0.5, 40, 1, -2e4];
      const lr = 0.01;
      const w1 = run(CONFIG, w0, [g], lr);
      w1.forEach((v, i) => assert.ok(Math.abs(Math.abs(v - w0[i]!) - lr) < 1e-4 * lr + 1e-6, `weight ${i}: step ${v - w0[i]!}`));
      w1.forEach((v, i) => assert.equal(Math.sign(v - w0[i]!), -Math.sign(g[i]!)));
    });

    it('sgd, momentum and nesterov follow their update rules', async () => {
      await useBackend(backend);
      const lr = 0.1;
      const beta = 0.5;
      const grads = [[1], [2]];
      assert.ok(Math.abs(run({ ...CONFIG, optimizer: 'sgd' }, [1], grads, lr)[0]! - (1 - 0.1 - 0.2)) < 1e-6);
      // v1 = 1, v2 = 0.5 + 2 = 2.5 → w = 1 − 0.1·(1 + 2.5)
      assert.ok(Math.abs(run({ ...CONFIG, optimizer: 'momentum', momentum: beta }, [1], grads, lr)[0]! - (1 - 0.35)) < 1e-6);
      // nesterov: u1 = 1 + 0.5·1 = 1.5, u2 = 2 + 0.5·2.5 = 3.25 → w = 1 − 0.1·4.75
      assert.ok(Math.abs(run({ ...CONFIG, optimizer: 'nesterov', momentum: beta }, [1], grads, lr)[0]! - (1 - 0.475)) < 1e-6);
    });

    it('adagrad and rmsprop divide by the root of their squared-gradient accumulators', async () => {
      await useBackend(backend);
      // adagrad: G1 = 1 → step 1; G2 = 5 → step 2/√5
      const ada = run({ ...CONFIG, optimizer: 'adagrad' }, [0], [[1], [2]], 0.1)[0]!;
      assert.ok(Math.abs(ada - -0.1 * (1 + 2 / Math.sqrt(5))) < 1e-5);
      // rmsprop ρ = 0.9: s1 = 0.1 → step 1/√0.1
      const rms = run({ ...CONFIG, optimizer: 'rmsprop', rho: 0.9 }, [0], [[1]], 0.1)[0]!;
      assert.ok(Math.abs(rms - -0.1 / Math.sqrt(0.1)) < 1e-5);
    });
  });
}

describe('fused Adam on wasm', () => {
  it('matches the plain-ops Adam over many steps', async (t) => {
    await useBackend('wasm');
    if (!fusedAdamAvailable()) {
      t.skip('the fused Adam kernel of wasm/ is not registered');
      return;
    }
    const w0 = Array.from({ length: 50 }, (_, i) => Math.sin(i));
    const grads = Array.from({ length: 20 }, (_, s) => w0.map((_, i) => Math.cos(i * s + 1) * (i + 1)));
    const cfg = { ...CONFIG, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 };
    assert.ok(maxAbsDiff(run(cfg, w0, grads, 0.01, true), run(cfg, w0, grads, 0.01, false)) < 1e-5);
  });
});

describe('every optimiser lowers the loss on a small synthetic problem', () => {
  const rates: Record<(typeof OPTIMIZERS)[number], number> = { sgd: 0.1, momentum: 0.05, nesterov: 0.05, adagrad: 0.05, rmsprop: 0.01, adam: 0.01 };
  for (const optimizer of OPTIMIZERS) {
    it(optimizer, async () => {
      const ctx = recorder();
      const result = await train(task({ optimizer, learning_rate: rates[optimizer], epochs: 4 }), ctx);
      assert.equal(result.diverged, undefined);
      const first = ctx.reports[0]!;
      const last = ctx.reports[ctx.reports.length - 1]!;
      assert.ok(last['train_loss']! < 0.8 * first['train_loss']!, `train_loss ${first['train_loss']} → ${last['train_loss']}`);
      assert.ok(last['val_loss']! < first['val_loss']!, `val_loss ${first['val_loss']} → ${last['val_loss']}`);
    });
  }
});
