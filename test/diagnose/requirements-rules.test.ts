// --require: how a requirement is parsed, where its metric is read, and each comparison at its edge.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import type { EpochRecord, FrozenTrial } from '../../src/core/types.js';
import { checkRequirements, parseRequirement } from '../../src/diagnose/requirements.js';
import { trialOf } from './synthetic.js';

const EPOCHS: EpochRecord[] = [
  { epoch: 0, metrics: { val_accuracy: 0.5, val_loss: 1.5 } },
  { epoch: 1, metrics: { val_accuracy: 0.9, val_loss: 0.7 } },
  { epoch: 2, metrics: { val_accuracy: 0.8, val_loss: 0.9 } },
];

function trial(value: number | null, attrs: FrozenTrial['attrs'] = {}): FrozenTrial {
  return { ...trialOf({ value }), attrs };
}

const check = (t: FrozenTrial, texts: string[], epochs = EPOCHS, metric = 'val_accuracy'): ReturnType<typeof checkRequirements> =>
  checkRequirements(t, metric, epochs, texts.map(parseRequirement));

describe('parseRequirement', () => {
  it('reads each operator and number form', () => {
    assert.deepEqual(parseRequirement('loss<=1.5e-2'), { text: 'loss<=1.5e-2', metric: 'loss', op: '<=', threshold: 0.015 });
    assert.deepEqual(parseRequirement('a.b_2 > -.5'), { text: 'a.b_2 > -.5', metric: 'a.b_2', op: '>', threshold: -0.5 });
    assert.equal(parseRequirement('x<3.').op, '<');
    assert.equal(parseRequirement('x==+2E3').threshold, 2000);
    assert.equal(parseRequirement('x>=12.5').threshold, 12.5, 'several digits before the point');
    assert.equal(parseRequirement('x>-.55').threshold, -0.55, 'several digits after a leading point');
    assert.equal(parseRequirement('x<1e10').threshold, 1e10, 'an exponent of several digits');
  });

  it('reads a quoted name after leading spaces, in either quote, a backslash escaping the next character', () => {
    assert.equal(parseRequirement('  "acc top 5" >= 0.9').metric, 'acc top 5');
    assert.equal(parseRequirement(`'it''s'>=1`.replace("''", "\\'")).metric, "it's");
    assert.equal(parseRequirement('"ab">=1').metric, 'ab');
    assert.equal(parseRequirement(`"a'b">=1`).metric, "a'b", 'the other quote is an ordinary character');
  });

  it('refuses a name without a comparison, a comparison without a name, and an unclosed quote, saying how to write one', () => {
    for (const bad of ['>=1', '1a>=1', 'acc', 'acc>=', 'acc>=x', 'acc>=1 junk', 'acc>=0.9.5', '"a\\', '"a"', ' ']) {
      assert.throws(() => parseRequirement(bad), (e: unknown) => e instanceof UsageError && /^--require '.*': write METRIC OP NUMBER/.test(e.message), bad);
    }
  });
});

describe('checkRequirements', () => {
  it("reads the study's metric from the trial's value, else an attribute, else the result epoch", () => {
    const t = trial(0.95, { test_accuracy: 0.91, note: 'x', best_epoch: 1 });
    const [value, attr, epoch, missing, text] = check(t, ['val_accuracy>=0.95', 'test_accuracy>=0.9', 'val_loss<=0.7', 'train_loss<=1', 'note<=1']);
    assert.deepEqual(value, { text: 'val_accuracy>=0.95', metric: 'val_accuracy', op: '>=', threshold: 0.95, actual: 0.95, source: 'value', epoch: null, passed: true });
    assert.deepEqual([attr?.actual, attr?.source, attr?.epoch, attr?.passed], [0.91, 'attr', null, true]);
    assert.deepEqual([epoch?.actual, epoch?.source, epoch?.epoch, epoch?.passed], [0.7, 'epoch', 1, true], 'best_epoch 1, not the last epoch');
    assert.deepEqual([missing?.actual, missing?.source, missing?.epoch, missing?.passed], [null, null, null, false], 'a missing metric fails even a bound it would meet as 0');
    assert.deepEqual([text?.actual, text?.source], [null, null], 'a non-numeric attribute is not a value');
  });

  it("reads the result epoch's metric when the trial has no value, the last epoch without best_epoch", () => {
    const [r] = check(trial(null), ['val_accuracy>=0.8']);
    assert.deepEqual([r?.actual, r?.source, r?.epoch, r?.passed], [0.8, 'epoch', 2, true]);
    const [other] = check(trial(0.3), ['val_accuracy<0.5'], EPOCHS, 'val_loss');
    assert.deepEqual([other?.actual, other?.source, other?.epoch, other?.passed], [0.8, 'epoch', 2, false], 'another metric than the study\'s is not the value');
  });

  it('finds nothing in a trial without epochs', () => {
    const [r] = check(trial(null), ['val_accuracy>=0'], []);
    assert.deepEqual([r?.actual, r?.source, r?.epoch, r?.passed], [null, null, null, false]);
  });

  it('compares with each operator, equality at its edge', () => {
    const passes = (op: string, threshold: number): boolean[] => [0.8, 0.9, 1].map((v) => check(trial(v), [`val_accuracy${op}${threshold}`])[0]!.passed);
    assert.deepEqual(passes('>=', 0.9), [false, true, true]);
    assert.deepEqual(passes('<=', 0.9), [true, true, false]);
    assert.deepEqual(passes('>', 0.9), [false, false, true]);
    assert.deepEqual(passes('<', 0.9), [true, false, false]);
    assert.deepEqual(passes('==', 0.9), [false, true, false]);
  });
});
