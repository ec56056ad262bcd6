import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOptimizer, fusedAdamAvailable } from '../../src/train/optim/optimizers.js';
import type { OptimizerConfig } from '../../src/train/optim/optimizers.js';
import { OPTIMIZERS } from '../../src/train/identifiers.js';
import { train } from '../../src/train/tfjs-trainer.js';
import { tf } from '../../src/train/tf.js';
import type { Tensor } from '../../src/train/tf.js';
import { maxAbsDiff, recorder, task, useBackend } from './helpers.js';

// Every coefficient distinct, so an optimiser reading the wrong one gives a different result.
const CONFIG: OptimizerConfig = { optimizer: 'adam', momentum: 0.5, momentum_form: 'averaged', rho: 0.6, epsilon: 1e-7, beta1: 0.8, beta2: 0.95 };

const close = (actual: number, expected: number, what: string): void => assert.ok(Math.abs(actual - expected) < 1e-5, `${what}: ${actual}, expected ${expected}`);

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

    it('sgd, momentum and nesterov follow their update rules, in both momentum forms', async () => {
      await useBackend(backend);
      const lr = 0.1;
      const grads = [[1], [2]];
      close(run({ ...CONFIG, optimizer: 'sgd' }, [1], grads, lr)[0]!, 1 - 0.1 - 0.2, 'sgd');
      // β = 0.5. classic: v1 = 1, v2 = 0.5 + 2 = 2.5 → w = 1 − 0.1·(1 + 2.5)
      close(run({ ...CONFIG, optimizer: 'momentum', momentum_form: 'classic' }, [1], grads, lr)[0]!, 1 - 0.35, 'classic momentum');
      // averaged: v1 = 0.5·1, v2 = 0.25 + 0.5·2 = 1.25 → w = 1 − 0.1·(0.5 + 1.25)
      close(run({ ...CONFIG, optimizer: 'momentum' }, [1], grads, lr)[0]!, 1 - 0.175, 'averaged momentum');
      // classic nesterov: u1 = 1 + 0.5·1 = 1.5, u2 = 2 + 0.5·2.5 = 3.25 → w = 1 − 0.1·4.75
      close(run({ ...CONFIG, optimizer: 'nesterov', momentum_form: 'classic' }, [1], grads, lr)[0]!, 1 - 0.475, 'classic nesterov');
      // averaged nesterov: u1 = 0.5 + 0.5·0.5 = 0.75, u2 = 1 + 0.5·1.25 = 1.625 → w = 1 − 0.1·2.375
      close(run({ ...CONFIG, optimizer: 'nesterov' }, [1], grads, lr)[0]!, 1 - 0.2375, 'averaged nesterov');
    });

    it('under a constant gradient, averaged momentum steps α and classic momentum α/(1−β)', async () => {
      await useBackend(backend);
      const lr = 0.01;
      const grads = Array.from({ length: 150 }, () => [1]);
      for (const optimizer of ['momentum', 'nesterov'] as const) {
        const stepOf = (momentum_form: 'averaged' | 'classic'): number => {
          const cfg = { ...CONFIG, optimizer, momentum: 0.9, momentum_form };
          return run(cfg, [0], grads.slice(0, -1), lr)[0]! - run(cfg, [0], grads, lr)[0]!;
        };
        assert.ok(Math.abs(stepOf('averaged') - lr) < 1e-3 * lr, `${optimizer} averaged: step ${stepOf('averaged')}`);
        assert.ok(Math.abs(stepOf('classic') - lr / (1 - 0.9)) < 1e-2 * lr, `${optimizer} classic: step ${stepOf('classic')}`);
      }
    });

    it('adagrad and rmsprop divide by the root of their squared-gradient accumulators', async () => {
      await useBackend(backend);
      // adagrad: G1 = 1 → step 1; G2 = 5 → step 2/√5
      const ada = run({ ...CONFIG, optimizer: 'adagrad' }, [0], [[1], [2]], 0.1)[0]!;
      close(ada, -0.1 * (1 + 2 / Math.sqrt(5)), 'adagrad');
      // rmsprop ρ = 0.6: s1 = 0.4·1 = 0.4, s2 = 0.6·0.4 + 0.4·4 = 1.84
      const rms = run({ ...CONFIG, optimizer: 'rmsprop' }, [0], [[1], [2]], 0.1)[0]!;
      close(rms, -0.1 * (1 / Math.sqrt(0.4) + 2 / Math.sqrt(1.84)), 'rmsprop');
    });

    it('adam reads β₁ and β₂ (two steps, bias-corrected)', async () => {
      await useBackend(backend);
      // β₁ = 0.8, β₂ = 0.95, g = 1 then 3: step 1 is α; m2 = 0.16 + 0.6, v2 = 0.0475 + 0.45,
      // step 2 = α·(m2/(1 − 0.8²)) / √(v2/(1 − 0.95²)).
      const lr = 0.01;
      const step2 = (0.76 / 0.36) / Math.sqrt(0.4975 / 0.0975);
      for (const fused of [true, false]) close(run(CONFIG, [0], [[1], [3]], lr, fused)[0]!, -lr * (1 + step2), `adam (fused allowed: ${fused})`);
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
  const rates: Record<(typeof OPTIMIZERS)[number], number> = { sgd: 0.1, momentum: 0.1, nesterov: 0.1, adagrad: 0.05, rmsprop: 0.01, adam: 0.01 };
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

describe('optimizer state for pbt checkpoints', () => {
  it('a saved state loaded into a fresh optimiser continues exactly as the original would', async () => {
    await useBackend('cpu');
    const grads = [[0.3, -0.2], [0.1, 0.5], [-0.4, 0.2], [0.2, 0.2]];
    for (const optimizer of ['adam', 'momentum', 'rmsprop'] as const) {
      const config = { ...CONFIG, optimizer };
      const whole = run(config, [1, -1], grads, 0.1);
      // Three steps, save, then the fourth step on a new optimiser that loaded the state.
      const first = createOptimizer(config, [[2]]);
      let w: Tensor = tf.tensor1d([1, -1]);
      for (const g of grads.slice(0, 3)) {
        const next = tf.tidy(() => first.step([w], [tf.tensor1d(g)], 0.1)[0]!);
        w.dispose();
        w = next;
      }
      const saved = first.save();
      first.dispose();
      const second = createOptimizer(config, [[2]]);
      second.load(saved);
      const last = tf.tidy(() => second.step([w], [tf.tensor1d(grads[3]!)], 0.1)[0]!);
      assert.ok(maxAbsDiff(last.dataSync(), whole) < 1e-6, `${optimizer}: ${last.dataSync().join(',')} vs ${whole.join(',')}`);
      last.dispose();
      w.dispose();
      second.dispose();
    }
  });
});
