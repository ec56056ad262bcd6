import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { train } from '../../src/train/tfjs-trainer.js';
import { tempDir } from '../helpers.js';
import { recorder, task } from './helpers.js';

const MLP = `export function build(params, tf) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: params.input_shape, units: params.units ?? 12, activation: 'relu' }));
  m.add(tf.layers.dropout({ rate: 0.1 }));
  m.add(tf.layers.dense({ units: params.classes, activation: 'softmax' }));
  return m;
}
`;

/** Writes a model module into a fresh directory; returns its path. */
function moduleFile(text: string, name = 'model.mjs'): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

function userTask(file: string, train: Parameters<typeof task>[0] = {}, options: Parameters<typeof task>[1] = {}): ReturnType<typeof task> {
  return { ...task({ backend: 'wasm', ...train }, options), user_model: file };
}

describe('user model (train.model: ./model.js)', () => {
  it('trains a user MLP with the spec optimiser and schedule and reports every metric each epoch', async () => {
    const ctx = recorder();
    const t = userTask(moduleFile(MLP), { epochs: 4, optimizer: 'adam', learning_rate: 0.02, lr_schedule: 'exponential', lr_decay_rate: 0.5, l2: 1e-4 });
    const result = await train(t, ctx);
    assert.equal(ctx.reports.length, 4);
    for (const r of ctx.reports) {
      for (const k of ['train_loss', 'train_accuracy', 'running_loss', 'val_loss', 'val_accuracy', 'lr', 'seconds', 'samples_per_second', 'update_ratio']) {
        assert.ok(Number.isFinite(r[k]), `${k} = ${r[k]}`);
      }
    }
    assert.deepEqual(ctx.reports.map((r) => r['lr']), [0.02, 0.01, 0.005, 0.0025]);
    // Training lowers the loss and learns the blobs well above chance (1/3).
    assert.ok(ctx.reports[3]!['val_loss']! < ctx.reports[0]!['val_loss']!, JSON.stringify(ctx.reports.map((r) => r['val_loss'])));
    assert.ok(ctx.reports[3]!['val_accuracy']! > 0.7, `val_accuracy ${ctx.reports[3]!['val_accuracy']}`);
    assert.equal(result.attrs['backend'], 'wasm');
    assert.equal(result.attrs['parameters'], 4 * 12 + 12 + 12 * 3 + 3);
    assert.equal(result.attrs['epochs_trained'], 4);
    assert.ok(typeof result.attrs['test_accuracy'] === 'number' && result.attrs['test_accuracy'] > 0.6);
  });

  it('passes the fixed and searched settings, knobs and names of its own, to build(), and a tiny learning rate leaves the model almost as built', async () => {
    const ctx = recorder();
    const result = await train(userTask(moduleFile(MLP), { epochs: 2, optimizer: 'sgd', learning_rate: 1e-12, dropout: 0 }, { params: { hidden_units: 5 } }), ctx);
    assert.ok(Math.abs(ctx.reports[0]!['val_loss']! - ctx.reports[1]!['val_loss']!) < 1e-6);
    assert.ok(ctx.reports[1]!['update_ratio']! < 1e-6, `update_ratio ${ctx.reports[1]!['update_ratio']}`);
    assert.equal(result.attrs['parameters'], 4 * 12 + 12 + 12 * 3 + 3);
    const seen = moduleFile(`export function build(params, tf) {
  if (params.hidden_units !== 5 || params.width !== 6 || params.depth !== 2 || params.classes !== 3 || params.input_shape[0] !== 4) throw new Error('params ' + JSON.stringify(params));
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: params.input_shape, units: params.classes, activation: 'softmax' }));
  return m;
}
`);
    await train(userTask(seen, { epochs: 1, depth: 2 }, { params: { hidden_units: 5, width: 6 } }), recorder());
  });

  it('adds the L2 penalty on the kernels to the training gradient, not to the reported loss', async () => {
    const finalLoss = async (l2: number): Promise<{ val: number; running: number }> => {
      const ctx = recorder();
      await train(userTask(moduleFile(MLP), { epochs: 3, optimizer: 'sgd', learning_rate: 0.1, dropout: 0, l2 }), ctx);
      const last = ctx.reports[2]!;
      return { val: last['val_loss']!, running: last['running_loss']! };
    };
    const free = await finalLoss(0);
    const heavy = await finalLoss(1);
    // λ = 1 pulls every kernel towards 0: outputs near uniform, loss near ln 3 ≈ 1.1.
    assert.ok(heavy.val > free.val + 0.2, `val_loss ${heavy.val} (l2 1) vs ${free.val} (l2 0)`);
    assert.ok(heavy.running < Math.log(3) + 0.1, `running_loss ${heavy.running} includes the penalty`);
  });

  it('stops between batches when asked', async () => {
    const ctx = recorder(7, 3);
    await train(userTask(moduleFile(MLP), { epochs: 5, batch_size: 8 }), ctx);
    assert.equal(ctx.reports.length, 0);
    // ~26 batches an epoch: stopping only between epochs would ask far more often.
    assert.ok(ctx.stopCalls <= 4, `asked ${ctx.stopCalls} times`);
  });

  it('fails a module that returns something else, or a model of the wrong shape, saying what was expected', async () => {
    const notModel = moduleFile('export function build(params, tf) { return tf.layers.dense({ units: 3 }); }\n');
    await assert.rejects(train(userTask(notModel), recorder()), /build\(\) must return a tf\.LayersModel \(tf\.sequential\(\) or tf\.model\(\)\), got a Dense/);
    const wrongUnits = moduleFile(MLP.replace('units: params.classes', 'units: 4'));
    await assert.rejects(train(userTask(wrongUnits), recorder()), /output shape is \[batch, 4\]; expected \[batch, 3\]/);
    const wrongInput = moduleFile(MLP.replace('inputShape: params.input_shape', 'inputShape: [7]'));
    await assert.rejects(train(userTask(wrongInput), recorder()), /input shape is \[batch, 7\]; the data's examples have shape \[batch, 4\]/);
    const noBuild = moduleFile('export const model = 1;\n');
    await assert.rejects(train(userTask(noBuild), recorder()), /expected the module to export a function build\(params, tf\).*it exports model/);
  });
});
