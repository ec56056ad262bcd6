import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeJson, decodeReal, encodeJson, encodeReal, joinMetrics, splitMetrics } from '../../src/store/encode.js';

describe('store value encoding', () => {
  it('JSON round-trips NaN, ±Infinity and look-alike objects exactly', () => {
    const values: unknown[] = [
      NaN,
      Infinity,
      -Infinity,
      [1, NaN, [Infinity], { a: -Infinity }],
      { $num: 'NaN' },
      { $num: NaN },
      { $esc: { $num: 'Infinity' } },
      { $esc: 1, other: 2 },
      { $num: 'NaN', other: true },
      'NaN',
      'Infinity',
      null,
      { nested: { deep: [null, 'x', false, 1.5e-300] } },
    ];
    for (const v of values) assert.deepEqual(decodeJson(encodeJson(v)), v, JSON.stringify(encodeJson(v)));
    // A tag spelled with a JSON escape is still a tag; a text without tags comes back as parsed.
    assert.deepEqual(decodeJson('{"a":{"\\u0024num":"-Infinity"},"b":[1,"x"]}'), { a: -Infinity, b: [1, 'x'] });
    assert.deepEqual(decodeJson('{"a":{"b":[1,2,{"c":null}]},"d":"e"}'), { a: { b: [1, 2, { c: null }] }, d: 'e' });
    assert.equal(encodeJson({ a: 1 }), '{"a":1}', 'ordinary JSON stays ordinary');
  });

  it('REAL cells keep ±Infinity and encode NaN as text', () => {
    assert.equal(encodeReal(NaN), 'NaN');
    assert.equal(encodeReal(Infinity), Infinity);
    assert.equal(encodeReal(null), null);
    assert.ok(Number.isNaN(decodeReal('NaN')));
    assert.equal(decodeReal(null), null);
    assert.equal(decodeReal(-Infinity), -Infinity);
    assert.throws(() => decodeReal('x'), TypeError);
  });

  it('splits metrics into the standard columns and extra JSON, and back', () => {
    const metrics = { val_loss: NaN, lr: 0.1, seconds: Infinity, grad_norm: -Infinity, 'a.b': 2 };
    const { standard, extra } = splitMetrics(metrics);
    assert.deepEqual(standard, [null, null, 'NaN', null, 0.1, Infinity]);
    assert.deepEqual(joinMetrics(standard, extra), metrics);
    assert.equal(splitMetrics({ train_loss: 1 }).extra, null);
    assert.throws(() => splitMetrics({ x: '1' as unknown as number }), /not a number/);
  });
});
