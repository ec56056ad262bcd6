/** The update ratio a training step reports: ‖Δw‖/‖w‖ of the first kernel, against the weights read back. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Session } from '../../src/train/loop/session.js';
import { buildNetwork } from '../../src/train/model/network.js';
import { Rng } from '../../src/train/random.js';
import { resolveSettings } from '../../src/train/settings.js';
import { useBackend } from './helpers.js';

const norm = (v: Float32Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('update ratio', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`equals ‖w₁ − w₀‖/‖w₀‖ of the first kernel (${backend})`, async () => {
      await useBackend(backend);
      const settings = resolveSettings({ train: { layers: [5], optimizer: 'sgd', learning_rate: 0.3 }, params: {} });
      const session = new Session(buildNetwork(settings, { features: 4, imageShape: null, classes: 3 }), settings, 3);
      const rng = new Rng(5);
      const x = Float32Array.from({ length: 8 * 4 }, () => rng.uniform() * 2 - 1);
      const y = new Float32Array(8 * 3);
      for (let i = 0; i < 8; i++) y[i * 3 + (i % 3)] = 1;
      const before = session.weightValues()[0]!;
      const out = session.step(x, y, 8, 0.3, true);
      const after = session.weightValues()[0]!;
      const expected = norm(after.map((w, i) => w - before[i]!)) / norm(before);
      assert.ok(expected > 1e-3, `the step moved the kernel (${expected})`);
      const ratio = out.updateRatio!.dataSync()[0]!;
      assert.ok(Math.abs(ratio - expected) <= 1e-4 * expected, `${ratio} vs ${expected}`);
      out.pTrue.dispose();
      out.predicted.dispose();
      out.updateRatio!.dispose();
      session.dispose();
    });
  }
});
