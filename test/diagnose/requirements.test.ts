import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { parseRequirement } from '../../src/diagnose/requirements.js';

describe('--require parsing', () => {
  it('reads a plain name, and a quoted one with quotes, brackets and spaces in it', () => {
    assert.deepEqual(parseRequirement(' val_accuracy >= 0.95 '), { text: 'val_accuracy >= 0.95', metric: 'val_accuracy', op: '>=', threshold: 0.95 });
    assert.equal(parseRequirement('"acc[top-5]">=0.9').metric, 'acc[top-5]');
    assert.equal(parseRequirement(`'f1 "macro"' < 1e-1`).metric, 'f1 "macro"');
    const escaped = parseRequirement('"say \\"hi\\" \\\\ [0]"==2');
    assert.equal(escaped.metric, 'say "hi" \\ [0]');
    assert.equal(escaped.op, '==');
    assert.equal(escaped.threshold, 2);
  });

  it('refuses a malformed requirement as bad usage', () => {
    for (const bad of ['acc[top-5]>=0.9', '"unclosed>=1', '"">=1', 'val_accuracy=>0.9', '"a" b>=1']) {
      assert.throws(() => parseRequirement(bad), UsageError, bad);
    }
  });
});
