/**
 * Layer health's numbers against the same quantities computed here in plain JavaScript from
 * the session's weights: a 2-3-2 ReLU network on four rows, before and after one step.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { monitorLayers } from '../../src/train/loop/health.js';
import { Session } from '../../src/train/loop/session.js';
import { buildNetwork } from '../../src/train/model/network.js';
import { resolveSettings } from '../../src/train/settings.js';
import { useBackend } from './helpers.js';

const X = Float32Array.from([0.5, -1, 2, 0.3, -0.7, 1.1, 1.5, -2]);
const LABELS = Int32Array.from([1, 0, 1, 0]);
const ONE_HOT = Float32Array.from([0, 1, 1, 0, 0, 1, 1, 0]);
const ROWS = 4;

const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

/** Hidden activations (rows × 3) and ∂(mean cross-entropy)/∂W1 (2 × 3) of the 2-3-2 network. */
function reference(w1: Float32Array, b1: Float32Array, w2: Float32Array, b2: Float32Array): { h: number[][]; dW1: number[] } {
  const dW1 = new Array<number>(6).fill(0);
  const h = Array.from({ length: ROWS }, (_, r) => {
    const z = [0, 1, 2].map((j) => X[2 * r]! * w1[j]! + X[2 * r + 1]! * w1[3 + j]! + b1[j]!);
    const hr = z.map((v) => Math.max(v, 0));
    const logits = [0, 1].map((c) => hr.reduce((s, v, j) => s + v * w2[2 * j + c]!, b2[c]!));
    const top = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - top));
    const dLogits = e.map((v, c) => (v / (e[0]! + e[1]!) - ONE_HOT[2 * r + c]!) / ROWS);
    z.forEach((zj, j) => {
      const dz = zj > 0 ? dLogits[0]! * w2[2 * j]! + dLogits[1]! * w2[2 * j + 1]! : 0;
      dW1[j] = dW1[j]! + X[2 * r]! * dz;
      dW1[3 + j] = dW1[3 + j]! + X[2 * r + 1]! * dz;
    });
    return hr;
  });
  return { h, dW1 };
}

function close(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= 1e-5 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

describe('layer health', () => {
  it('reports activations, norms, gradient norm and update ratio of each hidden layer as computed from the weights', async () => {
    await useBackend('wasm');
    const settings = resolveSettings({ train: { layers: [3], optimizer: 'sgd', activation: 'relu' }, params: {} });
    const net = buildNetwork(settings, { features: 2, imageShape: null, classes: 2 });
    const [hidden, output] = net.blocks;
    // Unit 2 is never positive on these rows (a dead unit), units 0 and 1 sometimes are.
    const initial: Float32Array[] = [];
    initial[hidden!.kernel] = Float32Array.from([0.8, -0.4, 0.1, 0.3, 0.9, 0.1]);
    initial[hidden!.bias!] = Float32Array.from([0.1, -0.2, -5]);
    initial[output!.kernel] = Float32Array.from([0.5, -0.6, -0.7, 0.4, 0.2, 0.3]);
    initial[output!.bias!] = Float32Array.from([0.05, -0.05]);
    const warm = { initial: { weights: initial, movingMean: [], movingVar: [] }, frozen: { weights: new Set<number>(), stats: new Set<number>() } };
    const session = new Session(net, settings, 3, { warm });
    const health = monitorLayers(session, { x: X, y: LABELS, n: ROWS });
    const weights = (): Float32Array[] => session.weightValues().map((w) => w.slice());
    const check = (w: Float32Array[], before: Float32Array): number[] => {
      const m = health.measure();
      const { h, dW1 } = reference(w[hidden!.kernel]!, w[hidden!.bias!]!, w[output!.kernel]!, w[output!.bias!]!);
      const flat = h.flat();
      const mean = flat.reduce((s, v) => s + v, 0) / flat.length;
      close(m['layer1.act_mean'], mean, 'act_mean');
      close(m['layer1.act_std'], Math.sqrt(flat.reduce((s, v) => s + (v - mean) ** 2, 0) / flat.length), 'act_std');
      const dead = [0, 1, 2].filter((j) => h.every((row) => row[j]! <= 0)).length / 3;
      assert.ok(dead > 0 && dead < 1, 'some units are dead, not all');
      close(m['layer1.dead_fraction'], dead, 'dead_fraction');
      close(m['layer1.weight_norm'], norm(w[hidden!.kernel]!), 'weight_norm');
      close(m['layer1.grad_norm'], norm(dW1), 'grad_norm');
      close(m['layer1.update_ratio'], norm(w[hidden!.kernel]!.map((v, i) => v - before[i]!)) / norm(before), 'update_ratio');
      assert.equal(m['layer2.act_mean'], undefined, 'the output layer is not a hidden layer');
      return flat;
    };
    try {
      check(initial, initial[hidden!.kernel]!);
      const out = session.step(X, ONE_HOT, ROWS, 0.5, false);
      out.pTrue.dispose();
      out.predicted.dispose();
      const after = weights();
      assert.ok(norm(after[hidden!.kernel]!.map((v, i) => v - initial[hidden!.kernel]![i]!)) > 0, 'the step moved the kernel');
      const latest = check(after, initial[hidden!.kernel]!);
      const [histogram] = health.histograms();
      assert.equal(histogram!.last.reduce((a, b) => a + b, 0), ROWS * 3);
      // The latest epoch's activations, counted in the first epoch's bins (the end bins take what falls outside).
      const { edges } = histogram!;
      const width = (edges.at(-1)! - edges[0]!) / (edges.length - 1);
      const expected = new Array<number>(edges.length - 1).fill(0);
      for (const v of latest) expected[Math.min(edges.length - 2, Math.max(0, Math.floor((v - edges[0]!) / width)))]! += 1;
      assert.deepEqual(histogram!.last, expected);
      assert.notDeepEqual(histogram!.last, histogram!.first, 'the step changed the activations');
      assert.equal(histogram!.lastEpoch, 1);
    } finally {
      health.dispose();
      session.dispose();
    }
  });
});
