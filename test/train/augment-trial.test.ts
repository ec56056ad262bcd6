import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUGMENT_SAMPLES_ATTR, type AugmentSamples } from '../../src/core/augment-samples.js';
import { loadData } from '../../src/train/data/index.js';
import { train } from '../../src/train/tfjs-trainer.js';
import { dataSpec, recorder, task } from './helpers.js';

const MNIST = dataSpec({ source: 'mnist', samples: 120, kind: null, classes: null, points: null, noise: null, features: null, preprocess: 'standardize' });
// Weights that barely move: the evaluations of both trials see the same network.
const STILL = { model: 'cnn' as const, filters: '2', epochs: 2, batch_size: 16, learning_rate: 1e-9, divergence_factor: 1e6 };

describe('augmented trials', () => {
  it('augment only the training batches: validation and training-subset figures match a trial without, the data stays as loaded', async () => {
    const data = loadData(MNIST);
    const copies = [data.train.x, data.val.x, data.test.x].map((x) => x.slice());
    const plain = recorder();
    await train(task(STILL, { data: MNIST }), plain);
    const noisy = recorder();
    const result = await train(task({ ...STILL, 'augment.noise': 5, 'augment.rotate': 30, 'augment.cutout': 6 }, { data: MNIST }), noisy);
    for (const k of ['val_loss', 'val_accuracy', 'train_loss', 'train_accuracy']) {
      assert.ok(Math.abs(plain.reports[1]![k]! - noisy.reports[1]![k]!) < 1e-4, `${k}: ${plain.reports[1]![k]} vs ${noisy.reports[1]![k]}`);
    }
    // The batches it trained on were augmented (heavy noise: a far higher running loss).
    assert.ok(noisy.reports[0]!['running_loss']! > plain.reports[0]!['running_loss']! + 0.5, `${noisy.reports[0]!['running_loss']} vs ${plain.reports[0]!['running_loss']}`);
    [data.train.x, data.val.x, data.test.x].forEach((x, i) => assert.deepEqual(x, copies[i], `split ${i} unchanged`));
    const samples = result.attrs[AUGMENT_SAMPLES_ATTR] as unknown as AugmentSamples;
    assert.deepEqual([samples.width, samples.height, samples.channels, samples.labels.length], [28, 28, 1, 16]);
  });

  it('train the same with the same seed, differently with another', async () => {
    const settings = { model: 'cnn' as const, filters: '2', epochs: 1, batch_size: 16, learning_rate: 0.01, 'augment.shift': 2, 'augment.rotate': 10 };
    const run = async (seed: number): Promise<number> => {
      const ctx = recorder(seed);
      await train(task(settings, { data: MNIST, seed }), ctx);
      return ctx.reports[0]!['running_loss']!;
    };
    const a = await run(3);
    assert.equal(await run(3), a);
    assert.notEqual(await run(4), a);
  });
});
