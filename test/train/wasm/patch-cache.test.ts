/** The patch cache's bookkeeping: what it keeps, what it frees and when, within its budget. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { PatchCache } from '../../../src/train/wasm/patch-cache.js';

function info(name: string): TensorInfo {
  return { dataId: { name }, shape: [1], dtype: 'float32' };
}

/** A cache whose frees are recorded by name. */
function recorded(budget: number): { cache: PatchCache; freed: string[] } {
  const freed: string[] = [];
  const cache = new PatchCache((p) => freed.push((p.dataId as { name: string }).name), budget);
  return { cache, freed };
}

describe('patch cache', () => {
  it('returns a kept matrix for the same input and geometry only', () => {
    const { cache, freed } = recorded(100);
    const x = {};
    const p = info('p');
    assert.equal(cache.put(x, 'g1', p, 40), true);
    assert.equal(cache.get(x, 'g1'), p);
    assert.equal(cache.get(x, 'g2'), undefined, 'another geometry (a reshape shares the data id) is not the same matrix');
    assert.equal(cache.get({}, 'g1'), undefined, 'another input is not the same matrix');
    assert.equal(cache.held, 40);
    assert.deepEqual(freed, []);
  });

  it('frees the matrices of an input when the input is freed, and only those', () => {
    const { cache, freed } = recorded(100);
    const x = {};
    const y = {};
    cache.put(x, 'g1', info('x1'), 10);
    cache.put(y, 'g1', info('y1'), 20);
    cache.put(x, 'g2', info('x2'), 30);
    cache.forget(x);
    assert.deepEqual(freed.sort(), ['x1', 'x2']);
    assert.equal(cache.held, 20);
    assert.equal(cache.get(x, 'g1'), undefined);
    assert.equal((cache.get(y, 'g1')?.dataId as { name: string } | undefined)?.name, 'y1');
    cache.forget(x);
    assert.equal(freed.length, 2, 'forgetting twice frees nothing more');
  });

  it('makes room by freeing the oldest matrices first', () => {
    const { cache, freed } = recorded(100);
    const [a, b, c] = [{}, {}, {}];
    cache.put(a, 'g', info('a'), 40);
    cache.put(b, 'g', info('b'), 40);
    cache.put(c, 'g', info('c'), 40);
    assert.deepEqual(freed, ['a']);
    assert.equal(cache.held, 80);
    assert.equal(cache.get(a, 'g'), undefined);
    assert.ok(cache.get(b, 'g') !== undefined && cache.get(c, 'g') !== undefined);
  });

  it('refuses a matrix above its budget and keeps what it had', () => {
    const { cache, freed } = recorded(100);
    const a = {};
    cache.put(a, 'g', info('a'), 60);
    assert.equal(cache.put({}, 'g', info('big'), 101), false);
    assert.deepEqual(freed, [], 'the caller frees what was refused');
    assert.equal(cache.held, 60);
    assert.equal(cache.put({}, 'g', info('exact'), 100), true, 'a matrix of exactly the budget fits, alone');
    assert.deepEqual(freed, ['a']);
  });

  it('replacing a matrix frees the one it replaces', () => {
    const { cache, freed } = recorded(100);
    const a = {};
    cache.put(a, 'g', info('old'), 30);
    cache.put(a, 'g', info('new'), 30);
    assert.deepEqual(freed, ['old']);
    assert.equal(cache.held, 30);
    cache.clear();
    assert.deepEqual(freed, ['old', 'new']);
    assert.equal(cache.held, 0);
  });
});
