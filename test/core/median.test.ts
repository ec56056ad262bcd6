// The one median of the code base: the median pruner's threshold and the value the report's
// importance gives a conditional parameter where it is inactive.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median } from '../../src/core/median.js';

describe('median', () => {
  it('sorts first, takes the middle of an odd count and the mean of the two middles of an even one', () => {
    assert.equal(median([9, 1, 5]), 5);
    assert.equal(median([10, -4, 1, 2]), 1.5);
    assert.equal(median([7]), 7);
    assert.equal(median([3, 3, 8, 8]), 5.5);
  });
  it('leaves its input unsorted and is NaN for an empty list', () => {
    const xs = [3, 1, 2];
    median(xs);
    assert.deepEqual(xs, [3, 1, 2]);
    assert.ok(Number.isNaN(median([])));
  });
});
