import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRAIN_KNOBS } from '../../src/train/identifiers.js';
import { resolveSettings } from '../../src/train/settings.js';

describe('resolveSettings', () => {
  it('applies every default', () => {
    const s = resolveSettings({ train: {}, params: {} });
    for (const [name, knob] of Object.entries(TRAIN_KNOBS)) assert.deepEqual(s[name as keyof typeof TRAIN_KNOBS], knob.default, name);
    assert.equal(s.dropoutRate, 0);
    assert.deepEqual(s.hidden, [64]);
  });

  it('lets params override train', () => {
    const s = resolveSettings({ train: { learning_rate: 0.1, optimizer: 'sgd' }, params: { learning_rate: 0.02 } });
    assert.equal(s.learning_rate, 0.02);
    assert.equal(s.optimizer, 'sgd');
  });

  it('parses layer lists from lists and strings', () => {
    assert.deepEqual(resolveSettings({ train: { layers: [256, 128] }, params: {} }).hidden, [256, 128]);
    assert.deepEqual(resolveSettings({ train: {}, params: { layers: '[32, 16]' } }).hidden, [32, 16]);
    assert.deepEqual(resolveSettings({ train: { hidden_layers: 3, hidden_units: 8 }, params: {} }).hidden, [8, 8, 8]);
    assert.deepEqual(resolveSettings({ train: { hidden_layers: 0 }, params: {} }).hidden, []);
  });

  it('turns keep_prob into a dropout rate, and refuses a contradiction', () => {
    assert.ok(Math.abs(resolveSettings({ train: { keep_prob: 0.8 }, params: {} }).dropoutRate - 0.2) < 1e-12);
    assert.throws(() => resolveSettings({ train: { keep_prob: 0.8, dropout: 0.5 }, params: {} }), /dropout.*keep_prob.*disagree/);
  });

  it('rejects unknown names, wrong kinds and out-of-range values with the setting named', () => {
    assert.throws(() => resolveSettings({ train: { learning_rat: 0.1 }, params: {} }), /unknown training setting 'learning_rat'/);
    assert.throws(() => resolveSettings({ train: {}, params: { optimizer: 'adamw' } }), /optimizer: expected one of sgd/);
    assert.throws(() => resolveSettings({ train: { epochs: 2.5 }, params: {} }), /epochs: expected an integer/);
    assert.throws(() => resolveSettings({ train: { learning_rate: 0 }, params: {} }), /learning_rate: must be > 0/);
    assert.throws(() => resolveSettings({ train: { beta1: 1 }, params: {} }), /beta1: must be < 1/);
    assert.throws(() => resolveSettings({ train: { batch_norm: 'yes' }, params: {} }), /batch_norm: expected true or false/);
    assert.throws(() => resolveSettings({ train: { layers: '64,0' }, params: {} }), /layers: expected a list of positive integers/);
  });
});
