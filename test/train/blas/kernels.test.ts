/**
 * The blas backend's products against the cpu backend: every transpose, batch broadcasting,
 * the fused bias and activations, the CNN's filter gradient; and that nothing leaks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveBackend } from '../../../src/train/backend.js';
import { tf } from '../../../src/train/tf.js';
import type { Rank, Tensor } from '../../../src/train/tf.js';
import { asWasmBackend } from '../../../src/train/wasm/backend.js';
import { blasProductsInstalled } from '../../../src/train/wasm/index.js';
import { patchCacheOf } from '../../../src/train/wasm/patch-cache.js';
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
    const baseline = tf.engine().backend.numDataIds();
    const a = tf.randomNormal([64, 32]);
    const w = tf.randomNormal([32, 16]);
    const b = tf.randomNormal([16]);
    const before = tf.memory().numTensors;
    const step = (): void => {
      tf.tidy(() => {
        const img = tf.reshape<Rank.R4>(a, [2, 4, 8, 32]);
        tf.fused.conv2d({ x: img, filter: tf.reshape<Rank.R4>(w, [1, 1, 32, 16]), strides: 1, pad: 'same', bias: b, activation: 'elu' });
        tf.fused.matMul({ a, b: w, bias: b, activation: 'sigmoid' });
        tf.matMul(a, w);
        tf.matMul(a, a, true, false);
      });
    };
    step();
    // The convolution's patch matrix of `a` stays in the patch cache while `a` lives.
    const afterOne = tf.engine().backend.numDataIds();
    for (let i = 0; i < 4; i++) step();
    assert.equal(tf.memory().numTensors, before);
    assert.equal(tf.engine().backend.numDataIds(), afterOne, 'a step leaves nothing more behind than the one before');
    tf.dispose([a, w, b]);
    assert.equal(tf.engine().backend.numDataIds(), baseline, 'the backend frees every temporary, the kept patch matrix with its input');
  });

  it("a filter gradient reuses its forward pass's patch matrix, and the matrix goes with its input", async () => {
    await resolveBackend('blas');
    const cache = patchCacheOf(asWasmBackend(tf.backend()));
    const held = cache.held;
    const x = tf.randomNormal<Rank.R4>([2, 6, 6, 3], 0, 1, 'float32', 7);
    const w = tf.randomNormal<Rank.R4>([3, 3, 3, 4], 0, 1, 'float32', 8);
    const y = tf.conv2d(x, w, 1, 'same');
    assert.equal(cache.held, held + 2 * 6 * 6 * 27 * 4, 'the forward pass keeps its patch matrix');
    const dy = tf.onesLike(y);
    const dw = tf.engine().runKernel<Tensor>('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: w.shape });
    const blasDw = (await dw.data()) as Float32Array;
    const xValues = await x.data();
    tf.dispose([y, dy, dw, w]);
    x.dispose();
    assert.equal(cache.held, held, 'freeing the input frees its patch matrix');
    await resolveBackend('cpu');
    const cx = tf.tensor4d(xValues, [2, 6, 6, 3]);
    const cdw = tf.engine().runKernel<Tensor>('Conv2DBackpropFilter', { x: cx, dy: tf.ones([2, 6, 6, 4]) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] });
    const cpuDw = (await cdw.data()) as Float32Array;
    for (let i = 0; i < cpuDw.length; i++) assert.ok(Math.abs(blasDw[i]! - cpuDw[i]!) < 1e-4 * (1 + Math.abs(cpuDw[i]!)), `dw[${i}]`);
    await resolveBackend('blas');
  });

  it('a kept patch matrix serves only its own geometry: the same data under another shape is patched anew', async () => {
    const err = await compare([{ shape: [2, 6, 6, 3] }, { shape: [2, 3, 12, 4] }], ([x, dy]) => {
      const w = tf.ones<Rank.R4>([3, 3, 3, 4]);
      // The forward pass keeps the patches of x as [2, 6, 6, 3]; the gradient asks for the same data as [2, 3, 12, 3].
      const y = tf.conv2d(x as Tensor<Rank.R4>, w, 1, 'same');
      const dw = tf.engine().runKernel<Tensor>('Conv2DBackpropFilter', { x: tf.reshape(x!, [2, 3, 12, 3]), dy: dy! }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] });
      tf.dispose([w, y]);
      return dw;
    });
    assert.ok(err < 1e-5, String(err));
  });
});
