/** The plain-data copy the storages hand records out with. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clonePlain } from '../../src/store/clone.js';

describe('plain-data clone', () => {
  it('copies every level, keeps NaN and ±Infinity, and shares nothing with the original', () => {
    const original = {
      number: 3,
      params: { lr: 0.01, optimizer: 'adam', bias: true, none: null },
      curve: [{ epoch: 0, metrics: { val_loss: NaN, grad: Infinity, lr: -Infinity } }, [1, [2, { deep: 'x' }]]],
      attrs: {},
    };
    const copy = clonePlain(original);
    assert.deepEqual(copy, original);
    assert.ok(Array.isArray(copy.curve) && Array.isArray(copy.curve[1]));
    original.params.lr = 1;
    (original.curve[0] as { metrics: Record<string, number> }).metrics['val_loss'] = 0;
    ((original.curve[1] as unknown[])[1] as unknown[]).push('more');
    assert.equal(copy.params.lr, 0.01);
    assert.ok(Number.isNaN((copy.curve[0] as { metrics: Record<string, number> }).metrics['val_loss']));
    assert.deepEqual(copy.curve[1], [1, [2, { deep: 'x' }]]);
    for (const v of [null, 0, NaN, -Infinity, 'text', false]) assert.equal(clonePlain(v), v);
  });
});
