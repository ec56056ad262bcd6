// The divergence rule: a trial whose loss stops being a number ends `diverged`, with the reason a user reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Metrics } from '../../src/core/types.js';
import { NonFiniteLossRule } from '../../src/prune/divergence.js';

describe('divergence', () => {
  it('stops at the first NaN or infinite train_loss or val_loss, saying which, its value and the epoch', () => {
    const rule = new NonFiniteLossRule();
    assert.deepEqual(rule.observe({ epoch: 4, metrics: { train_loss: Number.NaN } }), {
      stop: true,
      state: 'diverged',
      reason: 'train_loss became NaN at epoch 4: the learning rate is probably too high',
    });
    const reason = (metrics: Record<string, number>): string => {
      const d = rule.observe({ epoch: 2, metrics });
      return d.stop ? d.reason : '';
    };
    assert.equal(reason({ val_loss: Infinity }), 'val_loss became Infinity at epoch 2: the learning rate is probably too high');
    assert.equal(reason({ val_loss: -Infinity, train_loss: 0.3 }), 'val_loss became -Infinity at epoch 2: the learning rate is probably too high');
    assert.match(reason({ train_loss: Infinity, val_loss: Number.NaN }), /^train_loss became Infinity/, 'train_loss is looked at first');
  });

  it('lets finite losses, missing losses and other metrics through', () => {
    const rule = new NonFiniteLossRule();
    const cases: Metrics[] = [{ train_loss: 1e30, val_loss: -1e30 }, {}, { val_accuracy: Number.NaN }, { loss: Infinity }, { train_loss: 0, val_loss: 0 }];
    for (const metrics of cases) {
      assert.deepEqual(rule.observe({ epoch: 0, metrics }), { stop: false }, JSON.stringify(metrics));
    }
  });
});
