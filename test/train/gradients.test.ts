/**
 * The trainer's hand-written backward pass against tfjs' tape autodiff of the same forward
 * pass (same weights, inputs and dropout masks), on cpu and wasm, for every block kind.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialWeights } from '../../src/train/model/init.js';
import { buildNetwork } from '../../src/train/model/network.js';
import type { Network } from '../../src/train/model/network.js';
import { softmaxHead } from '../../src/train/model/loss.js';
import { backward, forwardTrain } from '../../src/train/model/passes.js';
import { dropoutMask } from '../../src/train/loop/batches.js';
import { Rng } from '../../src/train/random.js';
import { resolveSettings } from '../../src/train/settings.js';
import type { SettingValue } from '../../src/core/spec.js';
import { tf } from '../../src/train/tf.js';
import type { Tensor } from '../../src/train/tf.js';
import { useBackend } from './helpers.js';

interface Case {
  name: string;
  train: Record<string, SettingValue>;
  image: boolean;
}

const CASES: Case[] = [
  { name: 'mlp relu', train: { layers: '12,8' }, image: false },
  { name: 'mlp tanh + dropout', train: { layers: '12,8', activation: 'tanh', dropout: 0.3 }, image: false },
  { name: 'mlp elu + batch norm', train: { layers: '12,8', activation: 'elu', batch_norm: true }, image: false },
  { name: 'mlp sigmoid', train: { layers: '10', activation: 'sigmoid', init: 'xavier' }, image: false },
  { name: 'mlp leaky_relu + batch norm + dropout', train: { layers: '12,8', activation: 'leaky_relu', batch_norm: true, dropout: 0.5 }, image: false },
  { name: 'cnn relu', train: { model: 'cnn', filters: '3,4', kernel_size: 3 }, image: true },
  { name: 'cnn tanh + batch norm + dropout', train: { model: 'cnn', filters: '3', activation: 'tanh', batch_norm: true, dropout: 0.25 }, image: true },
  // Every model the trainer builds, with each activation, with and without batch norm.
  ...(['relu', 'leaky_relu', 'elu', 'tanh', 'sigmoid'] as const).flatMap((activation) =>
    [false, true].flatMap((bn): Case[] => [
      { name: `mlp ${activation}${bn ? ' + batch norm' : ''} (every model)`, train: { layers: '7,5', activation, batch_norm: bn }, image: false },
      { name: `cnn ${activation}${bn ? ' + batch norm' : ''} (every model)`, train: { model: 'cnn', filters: '2,3', activation, batch_norm: bn }, image: true },
    ]),
  ),
];

const BATCH = 6;
const CLASSES = 3;

/** Gradients from the trainer's backward pass and from tf.grads, per weight tensor. */
function bothGradients(net: Network, weights: Tensor[], x: Tensor, y: Tensor, masks: Array<Tensor | null>): { ours: Float32Array[]; tape: Float32Array[] } {
  const ours = tf.tidy(() => {
    const pass = forwardTrain(net, weights, x, masks);
    const head = softmaxHead(pass.logits, y);
    return backward(net, weights, pass, head.dLogits);
  });
  const tape = tf.tidy(() =>
    tf.grads((...ws: Tensor[]) => tf.losses.softmaxCrossEntropy(y, forwardTrain(net, ws, x, masks).logits))(weights),
  );
  const read = (ts: Tensor[]): Float32Array[] => ts.map((t) => t.dataSync() as Float32Array);
  const out = { ours: read(ours), tape: read(tape) };
  tf.dispose([...ours, ...tape]);
  return out;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`backward pass on ${backend}`, () => {
    for (const c of CASES) {
      it(`matches tape gradients: ${c.name}`, async () => {
        await useBackend(backend);
        const settings = resolveSettings({ train: c.train, params: {} });
        const shape = c.image ? { features: 36, imageShape: [6, 6, 1] as [number, number, number], classes: CLASSES } : { features: 5, imageShape: null, classes: CLASSES };
        const net = buildNetwork(settings, shape);
        const rng = new Rng(3);
        const before = tf.memory().numTensors;
        const weights = initialWeights(net.layout, settings.init, settings.init_scale, rng).map((v, i) => {
          // Non-trivial batch-norm parameters, so their gradients are exercised too.
          const role = net.layout.entries[i]!.role;
          if (role === 'gamma' || role === 'beta' || role === 'bias') v.forEach((_, k) => (v[k] = rng.normal() * 0.5 + (role === 'gamma' ? 1 : 0)));
          return tf.tensor(v, net.layout.entries[i]!.shape);
        });
        const x = tf.tensor(Float32Array.from({ length: BATCH * shape.features }, () => rng.normal()), [BATCH, ...net.inputShape]);
        const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), CLASSES), 'float32'));
        const masks: Array<Tensor | null> = net.blocks.map((b) => (b.kind === 'dense' && b.dropoutIn ? tf.tensor2d(dropoutMask(BATCH * b.inputs, net.dropoutRate, rng), [BATCH, b.inputs]) : null));
        const { ours, tape } = bothGradients(net, weights, x, y, masks);
        ours.forEach((g, i) => {
          const t = tape[i]!;
          const scale = Math.max(1e-3, ...t.map(Math.abs));
          let worst = 0;
          g.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - t[k]!))));
          assert.ok(worst / scale < 1e-4, `${net.layout.entries[i]!.name}: max |diff| ${worst} (scale ${scale})`);
        });
        tf.dispose([...weights, x, y, ...masks.filter((m): m is Tensor => m !== null)]);
        assert.equal(tf.memory().numTensors, before);
      });
    }
  });
}
