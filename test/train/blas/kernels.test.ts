/**
 * The blas backend's products against the cpu backend: every transpose, batch broadcasting,
 * the fused bias and activations, the CNN's filter gradient; and that nothing leaks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveBackend } from '../../../src/train/backend.js';
import { tf } from '../../../src/train/tf.js';
import type { Rank, Tensor } from '../../../src/train/tf.js';
import { blasProductsInstalled } from '../../../src/train/wasm/index.js';
import { noBlas } from '../helpers.js';

/** Runs `f` on blas and on cpu with the same inputs; returns the largest relative difference. */
async function compare(inputs: Array<{ shape: number[] }>, f: (xs: Tensor[]) => Tensor): Promise<number> {
  const values = inputs.map((i) => Float32Array.from({ length: i.shape.reduce((a, b) => a * b, 1) }, (_, k) => Math.sin(k * 12.9898 + i.shape.length) * 1.5));
  const run = async (backend: 'blas' | 'cpu'): Promise<Float32Array> => {
    await resolveBackend(backend);
    const xs = values.map((v, i) => tf.tensor(v, inputs[i]!.shape));
    const out = f(xs);
    const data = (await out.data()) as Float32Array;
    tf.dispose([...xs, out]);
    return data;
  };
  const cpu = await run('cpu');
  const blas = await run('blas');
  assert.equal(blas.length, cpu.length);
  let worst = 0;
  for (let i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(blas[i]! - cpu[i]!) / (1 + Math.abs(cpu[i]!)));
  return worst;
}

describe('blas kernels', { skip: noBlas() }, () => {
  it('is installed by the blas backend, and swapped out by wasm', async () => {
    await resolveBackend('blas');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(blasProductsInstalled(), true);
    await resolveBackend('wasm');
    assert.equal(blasProductsInstalled(), false);
    await resolveBackend('blas');
    assert.equal(blasProductsInstalled(), true);
  });

  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it(`matMul with transposeA=${ta}, transposeB=${tb} matches cpu`, async () => {
      const a = ta ? [37, 23] : [23, 37];
      const b = tb ? [19, 37] : [37, 19];
      assert.ok((await compare([{ shape: a }, { shape: b }], ([x, y]) => tf.matMul(x!, y!, ta, tb))) < 1e-5);
    });
  }

  it('batched products, with either side broadcast, match cpu', async () => {
    assert.ok((await compare([{ shape: [3, 5, 7] }, { shape: [3, 7, 4] }], ([x, y]) => tf.matMul(x!, y!))) < 1e-5);
    assert.ok((await compare([{ shape: [3, 5, 7] }, { shape: [1, 7, 4] }], ([x, y]) => tf.matMul(x!, y!))) < 1e-5);
    assert.ok((await compare([{ shape: [1, 7, 5] }, { shape: [3, 4, 7] }], ([x, y]) => tf.matMul(x!, y!, true, true))) < 1e-5);
  });

  for (const activation of ['linear', 'relu', 'leakyrelu', 'elu', 'sigmoid', 'relu6'] as const) {
    it(`the fused product with bias and ${activation} matches cpu`, async () => {
      const err = await compare([{ shape: [16, 9] }, { shape: [9, 11] }, { shape: [11] }], ([x, w, b]) =>
        tf.fused.matMul({ a: x!, b: w!, bias: b, activation, leakyreluAlpha: 0.1 }),
      );
      assert.ok(err < 1e-5, `${activation}: ${err}`);
    });
  }

  it('the fused product without bias, transposed, matches cpu', async () => {
    const err = await compare([{ shape: [9, 16] }, { shape: [11, 9] }], ([x, w]) => tf.fused.matMul({ a: x!, b: w!, transposeA: true, transposeB: true, activation: 'relu' }));
    assert.ok(err < 1e-5, String(err));
  });

  // Shapes: [input, filter, strides, pad]; odd sizes, strides and valid padding reach every border case.
  const CONVS: Array<[number[], number[], number, 'same' | 'valid']> = [
    [[2, 6, 6, 3], [3, 3, 3, 4], 1, 'same'],
    [[1, 7, 5, 2], [3, 3, 2, 5], 2, 'same'],
    [[2, 8, 7, 1], [5, 5, 1, 3], 1, 'same'],
    [[1, 9, 8, 3], [3, 2, 3, 2], 2, 'valid'],
    // One input channel: the patch copies run along output rows.
    [[1, 11, 12, 1], [3, 3, 1, 2], 2, 'valid'],
    [[2, 10, 9, 1], [3, 3, 1, 3], 2, 'same'],
  ];
  for (const [xShape, wShape, strides, pad] of CONVS) {
    const outShape = (): number[] => {
      const size = (n: number, f: number): number => (pad === 'same' ? Math.ceil(n / strides) : Math.ceil((n - f + 1) / strides));
      return [xShape[0]!, size(xShape[1]!, wShape[0]!), size(xShape[2]!, wShape[1]!), wShape[3]!];
    };
    const label = `x ${xShape.join('×')}, filter ${wShape.join('×')}, stride ${strides}, ${pad}`;
    it(`conv2d forward matches cpu (${label})`, async () => {
      const err = await compare([{ shape: xShape }, { shape: wShape }], ([x, w]) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad));
      assert.ok(err < 1e-5, String(err));
    });
    it(`the fused conv2d with bias and relu matches cpu (${label})`, async () => {
      const err = await compare([{ shape: xShape }, { shape: wShape }, { shape: [wShape[3]!] }], ([x, w, b]) =>
        tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides, pad, bias: b, activation: 'relu' }),
      );
      assert.ok(err < 1e-5, String(err));
    });
    it(`the filter gradient matches cpu (${label})`, async () => {
      const err = await compare([{ shape: xShape }, { shape: outShape() }], ([x, dy]) =>
        tf.engine().runKernel<Tensor>('Conv2DBackpropFilter', { x: x!, dy: dy! }, { strides, pad, dataFormat: 'NHWC', filterShape: wShape }),
      );
      assert.ok(err < 1e-5, String(err));
    });
    it(`the input gradient matches cpu (${label})`, async () => {
      const err = await compare([{ shape: outShape() }, { shape: wShape }], ([dy, w]) =>
        tf.engine().runKernel<Tensor>('Conv2DBackpropInput', { dy: dy!, filter: w! }, { strides, pad, dataFormat: 'NHWC', inputShape: xShape }),
      );
      assert.ok(err < 1e-5, String(err));
    });
  }

  it('leaves no tensor or heap allocation behind', async () => {
    await resolveBackend('blas');
    const a = tf.randomNormal([64, 32]);
    const w = tf.randomNormal([32, 16]);
    const b = tf.randomNormal([16]);
    const before = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        const img = tf.reshape<Rank.R4>(a, [2, 4, 8, 32]);
        tf.fused.conv2d({ x: img, filter: tf.reshape<Rank.R4>(w, [1, 1, 32, 16]), strides: 1, pad: 'same', bias: b, activation: 'elu' });
        tf.fused.matMul({ a, b: w, bias: b, activation: 'sigmoid' });
        tf.matMul(a, w);
        tf.matMul(a, a, true, false);
      });
    }
    assert.equal(tf.memory().numTensors, before);
    assert.equal(tf.engine().backend.numDataIds(), dataIds, 'the backend frees every temporary');
    tf.dispose([a, w, b]);
  });
});
