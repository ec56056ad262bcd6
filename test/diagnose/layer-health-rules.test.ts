// checkLayerHealth on recorded layer metrics: which layer is worst, each threshold at its edge, and which epoch each test reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EpochRecord } from '../../src/core/types.js';
import { checkLayerHealth } from '../../src/diagnose/layer-health.js';
import { DEFAULT_THRESHOLDS, type DiagnoseThresholds } from '../../src/diagnose/thresholds.js';

const T = DEFAULT_THRESHOLDS;
const at = (...metrics: Record<string, number>[]): EpochRecord[] => metrics.map((m, epoch) => ({ epoch, metrics: m }));
const verdicts = (epochs: EpochRecord[], t: DiagnoseThresholds = T): string[] => checkLayerHealth(epochs, t).map((f) => f.verdict);

describe('checkLayerHealth: dead ReLUs and saturation', () => {
  it('names the worst layer of the last epoch, with its fraction and the threshold', () => {
    const epochs = at(
      { 'layer1.dead_fraction': 0.9 },
      { 'layer1.dead_fraction': 0.95, 'layer2.dead_fraction': 0.95 },
      { train_loss: 1, 'layer1.dead_fraction': 0.3, 'layer12.dead_fraction': 0.61, 'layer2.dead_fraction': 0.5, 'xlayer3.dead_fraction': 0.99 },
    );
    assert.deepEqual(checkLayerHealth(epochs, T), [
      {
        verdict: 'dead_relu',
        evidence: { dead_layer: 12, dead_fraction: 0.61, dead_relu_threshold: 0.6 },
        summary: "dead ReLU: 61 % of layer 12's units never fire",
        hint: 'dead ReLUs: lower α, use He initialisation (√(2/n)), or leaky ReLU',
      },
    ]);
  });

  it('fires only above the threshold, and only on the metric of that name', () => {
    assert.deepEqual(verdicts(at({ 'layer1.dead_fraction': 0.6, 'layer1.saturated_fraction': 0.5 })), []);
    assert.deepEqual(verdicts(at({ 'layer1.dead_fraction_max': 0.9, 'layer1.saturated_fraction2': 0.9, 'layer1.dead': 0.9 })), []);
    assert.deepEqual(verdicts(at({})), []);
    assert.deepEqual(verdicts([]), []);
  });

  it('takes the lowest-numbered layer of a tie, and skips non-finite fractions', () => {
    const tie = checkLayerHealth(at({ 'layer3.dead_fraction': 0.7, 'layer1.dead_fraction': 0.7, 'layer2.dead_fraction': 0.65 }), T);
    assert.equal(tie[0]?.evidence['dead_layer'], 1);
    const nan = checkLayerHealth(at({ 'layer1.saturated_fraction': NaN, 'layer2.saturated_fraction': 0.8 }), T);
    assert.equal(nan[0]?.evidence['saturated_layer'], 2);
  });

  it('reports saturation with its own figures and hint', () => {
    assert.deepEqual(checkLayerHealth(at({ 'layer2.saturated_fraction': 0.75, 'layer1.saturated_fraction': 0.55 }), T), [
      {
        verdict: 'saturated',
        evidence: { saturated_layer: 2, saturated_fraction: 0.75, saturated_threshold: 0.5 },
        summary: "saturated: 75 % of layer 2's activations are pinned in the flat tails",
        hint: "saturated units kill the gradient: smaller initial weights (Xavier, √(1/n)), batch norm, and don't use sigmoid",
      },
    ]);
  });
});

describe('checkLayerHealth: gradients at the first epoch', () => {
  it('compares the first hidden layer with the last, by layer number', () => {
    const epochs = at({ 'layer10.grad_norm': 50, 'layer2.grad_norm': 1, 'layer1.grad_norm': 0.4 }, { 'layer1.grad_norm': 1, 'layer10.grad_norm': 1 });
    assert.deepEqual(checkLayerHealth(epochs, T), [
      {
        verdict: 'vanishing_gradients',
        evidence: { gradient_ratio: 0.008, first_layer_grad_norm: 0.4, last_layer_grad_norm: 50, vanishing_threshold: 0.01 },
        summary: "vanishing gradients: layer 1's gradient is 0.008 × layer 10's",
        hint: 'vanishing gradients: initialise with variance 1/n (Xavier, tanh) or 2/n (He, ReLU), add batch norm, or use fewer layers',
      },
    ]);
    assert.deepEqual(checkLayerHealth(at({ 'layer2.grad_norm': 1, 'layer1.grad_norm': 20 }), T), [
      {
        verdict: 'exploding_gradients',
        evidence: { gradient_ratio: 20, first_layer_grad_norm: 20, last_layer_grad_norm: 1, exploding_threshold: 10 },
        summary: "exploding gradients: layer 1's gradient is 20 × layer 2's",
        hint: 'exploding gradients: smaller initial weights (variance 1/n or 2/n), a lower α, batch norm',
      },
    ]);
  });

  it('fires only strictly beyond either ratio', () => {
    assert.deepEqual(verdicts(at({ 'layer1.grad_norm': 0.5, 'layer2.grad_norm': 50 })), [], 'exactly 0.01');
    assert.deepEqual(verdicts(at({ 'layer1.grad_norm': 10, 'layer2.grad_norm': 1 })), [], 'exactly 10');
  });

  it('needs two layers and a last gradient above zero', () => {
    const loose = { ...T, vanishingGradientRatio: 2, explodingGradientRatio: 0.5 };
    assert.deepEqual(verdicts(at({ 'layer1.grad_norm': 1 }), loose), [], 'one layer: no ratio');
    assert.deepEqual(verdicts(at({ 'layer1.grad_norm': 1, 'layer2.grad_norm': 1 }), loose), ['vanishing_gradients'], 'one gradient verdict at most, vanishing first');
    assert.deepEqual(verdicts(at({ 'layer1.grad_norm': 1, 'layer2.grad_norm': 0 })), [], 'a zero last gradient: no ratio');
    assert.deepEqual(verdicts(at({ 'layer1.grad_norm': 0, 'layer2.grad_norm': 1 })), ['vanishing_gradients']);
  });

  it('lists dead ReLUs, saturation and gradients in that order', () => {
    const epochs = at({ 'layer1.grad_norm': 100, 'layer2.grad_norm': 1 }, { 'layer1.dead_fraction': 0.7, 'layer1.saturated_fraction': 0.9 });
    assert.deepEqual(verdicts(epochs), ['dead_relu', 'saturated', 'exploding_gradients']);
  });
});
