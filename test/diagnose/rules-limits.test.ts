// The rules' remaining edges: a stall window's rise exactly at the limit, training losses
// below zero, chance among 49 classes, the loss excess exactly at its limit, and what a
// high-variance finding quotes when it has no accuracy pair, no onset or no training loss.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FrozenTrial } from '../../src/core/types.js';
import { curvesOf, valleyOf } from '../../src/diagnose/curves.js';
import { checkHighBias, checkHighVariance, checkStalled, type RuleInput } from '../../src/diagnose/rules.js';
import { DEFAULT_THRESHOLDS, type DiagnoseThresholds } from '../../src/diagnose/thresholds.js';
import { epochsOf, trialOf } from './synthetic.js';

const W = 'the window';

function input(metrics: Record<string, number[]>, over: { trial?: FrozenTrial; t?: Partial<DiagnoseThresholds> } = {}): RuleInput {
  const t = { ...DEFAULT_THRESHOLDS, ...over.t };
  const curves = curvesOf(epochsOf(metrics));
  return { trial: over.trial ?? trialOf(), curves, levels: curves, window: W, valley: valleyOf(curves.valLoss, curves.trainLoss, t), target: null, t };
}

const times = (v: number, n = 3): number[] => Array.from({ length: n }, () => v);

describe('checkStalled: the rise and losses below zero', () => {
  it('a loss that rose by exactly the limit is still a stall', () => {
    const t = { stallImprovement: 0.125 };
    assert.equal(checkStalled(input({ train_loss: [1, 1, 1.125] }, { t }))?.verdict, 'stalled');
    assert.equal(checkStalled(input({ train_loss: [1, 1, 1.25] }, { t })), null);
  });

  it('a negative loss is measured against its size: falling far is no stall, rising is none either', () => {
    assert.equal(checkStalled(input({ train_loss: [-1, -1.25, -1.5] })), null, 'fell by 50 %');
    assert.equal(checkStalled(input({ train_loss: [-1, -1, -0.875] })), null, 'rose by 12.5 %');
    const f = checkStalled(input({ train_loss: [-1, -1.001, -1] }));
    assert.equal(f?.verdict, 'stalled');
    assert.equal(f?.evidence['stall_improvement'], 0.001);
  });
});

describe('checkHighBias: chance among many classes', () => {
  it('names the classes as a whole number, even where 1 / (1 / C) is not C', () => {
    const trial = { ...trialOf(), attrs: { classes: 49 } };
    assert.equal(checkHighBias(input({ train_accuracy: times(0.0625) }, { trial }))?.summary, `high bias: train_accuracy 0.0625 (${W}) is near chance (1/49 = 0.0204)`);
  });
});

describe('checkHighVariance: the loss excess and what the finding quotes', () => {
  it('a validation loss exactly varianceLossGap above the training loss is no high variance', () => {
    const t = { varianceLossGap: 0.125 };
    assert.equal(checkHighVariance(input({ train_loss: times(0.0625), val_loss: times(0.1875) }, { t })), null, '3 ×, exactly 0.125 above');
    assert.equal(checkHighVariance(input({ train_loss: times(0.0625), val_loss: times(0.25) }, { t }))?.verdict, 'high_variance');
  });

  it('an accuracy gap with a falling validation loss: plain early stopping, no loss ratio over a zero training loss', () => {
    const f = checkHighVariance(
      input({ train_accuracy: times(1, 6), val_accuracy: times(0.75, 6), train_loss: times(0, 6), val_loss: [2, 1.5, 1.25, 1, 0.75, 0.5] }),
    );
    assert.equal(f?.evidence['variance_reasons'], 'accuracy_gap');
    assert.equal(f?.hint, 'more data, L2 regularisation, dropout, or early stopping');
    assert.equal(f?.evidence['val_train_loss_ratio'], null);
    assert.equal(f?.summary, `high variance: train/val accuracy 1/0.75 (${W})`);
  });

  it('an onset with a training accuracy but no validation accuracy quotes the losses', () => {
    const valley = Array.from({ length: 15 }, (_, e) => 0.5 + 0.01 * (e - 6) ** 2);
    const falling = Array.from({ length: 15 }, (_, e) => 0.6 + 0.5 / (e + 1));
    const f = checkHighVariance(input({ train_loss: falling, val_loss: valley, train_accuracy: times(1, 15) }));
    assert.equal(f?.evidence['variance_reasons'], 'onset');
    assert.match(f?.summary ?? '', /by epoch 14; train\/val loss 0\.636\/0\.997 \(the window\)$/);
  });
});
