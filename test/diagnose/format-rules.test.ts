// fmt, evidenceValue and pct: what a summary, a label or an evidence figure shows of a number.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evidenceValue, fmt, pct } from '../../src/diagnose/format.js';

describe('fmt', () => {
  it('spells out a missing number, NaN and both infinities, and writes 0 as 0', () => {
    assert.equal(fmt(null), 'n/a');
    assert.equal(fmt(undefined), 'n/a');
    assert.equal(fmt(NaN), 'NaN');
    assert.equal(fmt(Infinity), 'Infinity');
    assert.equal(fmt(-Infinity), '-Infinity');
    assert.equal(fmt(0), '0');
  });

  it('shows 3 significant digits without trailing zeros in [0.001, 1e5)', () => {
    assert.equal(fmt(2.5), '2.5');
    assert.equal(fmt(3.14159), '3.14');
    assert.equal(fmt(0.012345), '0.0123');
    assert.equal(fmt(1234.5), '1230');
    assert.equal(fmt(-5), '-5', 'a negative number is measured by its size');
    assert.equal(fmt(-0.25), '-0.25');
  });

  it('switches to exponents below 0.001 and from 1e5, both limits included on the plain side only as stated', () => {
    assert.equal(fmt(0.001), '0.001', '0.001 is the smallest plain number');
    assert.equal(fmt(0.00099), '9.9e-4');
    assert.equal(fmt(99900), '99900', 'just below 1e5');
    assert.equal(fmt(1e5), '1e5', '1e5 is the first exponent');
    assert.equal(fmt(123456), '1.23e5', 'no "+" in a positive exponent');
    assert.equal(fmt(1.23456e-5), '1.23e-5', '3 significant digits in the mantissa');
    assert.equal(fmt(1.5e-4), '1.5e-4', 'trailing zeros of the mantissa dropped');
    assert.equal(fmt(-2e-7), '-2e-7');
    assert.equal(fmt(-3e12), '-3e12');
  });
});

describe('evidenceValue', () => {
  it('keeps null for a missing number and strings for non-finite ones', () => {
    assert.equal(evidenceValue(null), null);
    assert.equal(evidenceValue(undefined), null);
    assert.equal(evidenceValue(NaN), 'NaN');
    assert.equal(evidenceValue(Infinity), 'Infinity');
    assert.equal(evidenceValue(-Infinity), '-Infinity');
  });

  it('rounds a finite number to 6 significant digits', () => {
    assert.equal(evidenceValue(1 / 3), 0.333333);
    assert.equal(evidenceValue(123456789), 123457000);
    assert.equal(evidenceValue(0), 0);
    assert.equal(evidenceValue(-2.5), -2.5);
  });
});

describe('pct', () => {
  it('writes a fraction as a percentage of 3 significant digits', () => {
    assert.equal(pct(0.0031), '0.31 %');
    assert.equal(pct(0.5), '50 %');
    assert.equal(pct(1), '100 %');
    assert.equal(pct(-0.125), '-12.5 %');
  });
});
