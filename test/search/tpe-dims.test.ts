// How TPE sees one parameter (tpe-dims.ts): its coordinates, bounds, prior and kernels.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Categorical, TruncatedNormal } from '../../src/search/parzen.js';
import { dimOf } from '../../src/search/tpe-dims.js';

describe('dimOf: numeric dimensions', () => {
  it('gives integers cells of width 1 around each integer inside the range', () => {
    const dim = dimOf('n', { type: 'int_uniform', min: 1.5, max: 4.2 });
    assert.equal(dim.name, 'n');
    assert.deepEqual(dim.numeric, { low: 1.5, high: 4.5, step: 1 });
  });

  it('gives a linear q range cells of width q around its multiples of q', () => {
    assert.deepEqual(dimOf('q', { type: 'q_uniform', min: 0.2, max: 2.1, q: 0.5 }).numeric, { low: 0.25, high: 2.25, step: 0.5 });
  });

  it('gives continuous and log ranges their bounds in the sampling scale, without cells', () => {
    assert.deepEqual(dimOf('x', { type: 'uniform', min: -1, max: 3 }).numeric, { low: -1, high: 3, step: null });
    assert.deepEqual(dimOf('lr', { type: 'log_uniform_values', min: 1e-5, max: 1e-1 }).numeric, { low: -5, high: -1, step: null });
    assert.deepEqual(dimOf('b', { type: 'q_log_uniform_values', min: 1, max: 1000, q: 1 }).numeric, { low: 0, high: 3, step: null });
    // 1−β: log10(1 − 0.999) = −3 is the low end.
    const beta = dimOf('beta', { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 }).numeric;
    assert.ok(beta !== null && Math.abs(beta.low + 3) < 1e-12 && Math.abs(beta.high + 1) < 1e-12 && beta.step === null, JSON.stringify(beta));
  });

  it('encodes a stored value in the sampling scale, and refuses what is not a finite coordinate', () => {
    const lr = dimOf('lr', { type: 'log_uniform_values', min: 1e-5, max: 1e-1 });
    assert.equal(lr.encode(1e-3), -3);
    assert.equal(lr.encode(0), undefined);
    assert.equal(lr.encode(-1), undefined);
    assert.equal(lr.encode('10'), undefined);
    assert.equal(lr.encode(true), undefined);
    assert.equal(lr.encode(undefined), undefined);
    assert.equal(lr.encode(Number.NaN), undefined);
    assert.equal(lr.encode(Number.POSITIVE_INFINITY), undefined);
    const x = dimOf('x', { type: 'uniform', min: 0, max: 10 });
    assert.equal(x.encode(12), 12);
    assert.equal(x.encode(Number.NEGATIVE_INFINITY), undefined);
  });

  it('decodes a coordinate to a value of the range: snapped to the lattice, clipped to the bounds', () => {
    const n = dimOf('n', { type: 'int_uniform', min: 1, max: 4 });
    assert.deepEqual([0.6, 2.4, 2.6, 4.49].map((x) => n.decode(x)), [1, 2, 3, 4]);
    const lr = dimOf('lr', { type: 'log_uniform_values', min: 1e-5, max: 1e-1 });
    assert.ok(Math.abs((lr.decode(-3) as number) - 1e-3) < 1e-15);
    assert.ok(Math.abs((lr.decode(-4.5) as number) - 10 ** -4.5) < 1e-18);
    assert.equal(lr.decode(-6), 1e-5);
    const b = dimOf('b', { type: 'q_log_uniform_values', min: 16, max: 256, q: 16 });
    assert.equal(b.decode(Math.log10(50)), 48);
    assert.equal(b.decode(3), 256);
    const beta = dimOf('beta', { type: 'one_minus_log_uniform_values', min: 0.9, max: 0.999 });
    assert.ok(Math.abs((beta.decode(-2) as number) - 0.99) < 1e-12);
  });

  it('has a prior centred on the range, as wide as the range, and kernels at the observations', () => {
    const lr = dimOf('lr', { type: 'log_uniform_values', min: 1e-5, max: 1e-1 });
    const prior = lr.prior();
    assert.ok(prior instanceof TruncatedNormal);
    assert.equal(prior.mu, -3);
    assert.equal(prior.sigma, 4);
    const n = dimOf('n', { type: 'int_uniform', min: 2, max: 4 }).prior() as TruncatedNormal;
    assert.deepEqual([n.mu, n.sigma], [3, 3]);
    const k = lr.around(-2, 0.5, 7) as TruncatedNormal;
    assert.deepEqual([k.mu, k.sigma], [-2, 0.5]);
    // The kernel is truncated to the dimension's bounds: its density integrates to 1 there.
    let mass = 0;
    for (let x = -5 + 0.0005; x < -1; x += 0.001) mass += Math.exp(k.logPdf(x)) * 0.001;
    assert.ok(Math.abs(mass - 1) < 1e-3, String(mass));
  });
});

describe('dimOf: categorical dimensions', () => {
  const weighted = dimOf('c', { type: 'categorical', values: ['a', 'b', 'c'], probabilities: [0.5, 0.3, 0.2] });
  const plain = dimOf('c', { type: 'categorical', values: ['a', 'b', 'c', 'd'] });

  it('has no numeric bounds and encodes a value as its index', () => {
    assert.equal(weighted.numeric, null);
    assert.deepEqual(['a', 'b', 'c', 'z', undefined].map((v) => weighted.encode(v)), [0, 1, 2, undefined, undefined]);
    assert.deepEqual([0, 1, 2].map((x) => weighted.decode(x)), ['a', 'b', 'c']);
  });

  it("takes the spec's probabilities as its prior, or equal weights", () => {
    assert.deepEqual([0, 1, 2].map((x) => Math.exp(weighted.prior().logPdf(x))).map((p) => Number(p.toFixed(12))), [0.5, 0.3, 0.2]);
    assert.deepEqual([0, 1, 2, 3].map((x) => Math.exp(plain.prior().logPdf(x))).map((p) => Number(p.toFixed(12))), [0.25, 0.25, 0.25, 0.25]);
  });

  it("puts an observation's kernel on its category, smoothed by the prior over n", () => {
    const expected = Categorical.around(1, [0.5, 0.3, 0.2], 4);
    const got = weighted.around(1, 123, 4);
    for (const x of [0, 1, 2]) assert.equal(got.logPdf(x), expected.logPdf(x));
    const flat = Categorical.around(3, [0.25, 0.25, 0.25, 0.25], 2);
    for (const x of [0, 1, 2, 3]) assert.equal(plain.around(3, 0, 2).logPdf(x), flat.logPdf(x));
  });
});
