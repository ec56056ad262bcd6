/** The stored text of values: what files already written hold, so it must read back the same in every version. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJson, decodeReal, encodeJson, joinMetrics, splitMetrics } from '../../src/store/encode.js';

describe('stored value format', () => {
  it('REAL cells read back from every form SQLite and older files give', () => {
    assert.equal(decodeReal('Infinity'), Infinity);
    assert.equal(decodeReal('-Infinity'), -Infinity);
    assert.equal(decodeReal(12n), 12, 'a 64-bit integer cell');
    assert.equal(decodeReal(undefined), null);
    assert.equal(decodeReal(0), 0);
    assert.throws(() => decodeReal('1.5'), { name: 'TypeError', message: 'not a stored number: "1.5"' });
  });

  it('tags non-finite numbers and escapes look-alike objects in the JSON text', () => {
    assert.equal(encodeJson([NaN, Infinity, -Infinity, 1]), '[{"$num":"NaN"},{"$num":"Infinity"},{"$num":"-Infinity"},1]');
    assert.equal(encodeJson({ $num: 'NaN' }), '{"$esc":{"$num":"NaN"}}');
    assert.equal(encodeJson({ $esc: 1 }), '{"$esc":{"$esc":1}}');
    assert.equal(encodeJson({ $num: 'NaN', other: true }), '{"$num":"NaN","other":true}', 'more than one key: no tag, no escape');
    assert.equal(encodeJson({ a: 1, gone: undefined }), '{"a":1}', 'an undefined member is left out, as JSON.stringify does');
    assert.throws(() => encodeJson({ f: () => 1 }), { name: 'TypeError', message: 'cannot store a value of type function as JSON' });
    assert.throws(() => encodeJson(1n), { message: 'cannot store a value of type bigint as JSON' });
  });

  it('reads tags as numbers only where the text is one whole tag', () => {
    assert.deepEqual(decodeJson('{"$esc":{"$num":"NaN"}}'), { $num: 'NaN' });
    assert.deepEqual(decodeJson('{"$num":"other"}'), { $num: 'other' }, 'an unknown tag is an object');
    assert.deepEqual(decodeJson('{"$num":"-Infinity","x":1}'), { $num: '-Infinity', x: 1 });
    assert.deepEqual(decodeJson('{"$esc":3}'), { $esc: 3 }, 'an escape of no object is the object itself');
    assert.deepEqual(decodeJson('[{"$num":"Infinity"},{"$num":"-Infinity"}]'), [Infinity, -Infinity]);
  });

  it('stores extra metrics as plain JSON when finite, tagged when not', () => {
    assert.equal(splitMetrics({ lr: 0.1, g: 0.5, 'layer0.grad': 2 }).extra, '{"g":0.5,"layer0.grad":2}');
    assert.equal(splitMetrics({ lr: 0.1, g: -Infinity, x: NaN }).extra, '{"g":{"$num":"-Infinity"},"x":{"$num":"NaN"}}');
    // A non-number among stored extras (hand-edited) is skipped, not returned as a metric.
    assert.deepEqual(joinMetrics([1, null, null, null, null, null], '{"a":"x","b":2}'), { train_loss: 1, b: 2 });
    assert.deepEqual(joinMetrics([9, 9, 0.5, null, null, null, null, 3], null, 2), { train_loss: 0.5, seconds: 3 }, 'read from the offset given');
  });
});
