/**
 * When a study's budget is met — what a lingering worker, `run` beside workers and
 * `slurm --wait` stop on. An asynchronous pbt population whose members jumped ahead by
 * exploiting ends short of its cap; waiting for the cap there kept every process polling for
 * ever (seen with `run` + `worker` on PostgreSQL).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FrozenTrial, TrialState } from '../../src/core/types.js';
import { createSampler } from '../../src/search/index.js';
import { parseSpec } from '../../src/spec/index.js';
import { budgetMet } from '../../src/study/linger.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('hpsearch-linger-');
writeFileSync(join(dir, 'm.mjs'), 'export async function train() {}\n');

const spec = (method: string): ReturnType<typeof parseSpec> =>
  parseSpec(
    [
      'name: linger',
      `method: ${method}`,
      'trainer: module',
      'module: ./m.mjs',
      ...(method === 'pbt' ? ['pbt: { population: 4, perturbation_interval: 2, quantile_fraction: 0.25 }'] : ['run_cap: 3']),
      'train: { epochs: 8 }',
      'parameters:',
      '  lr: { distribution: log_uniform_values, min: 0.001, max: 0.1 }',
    ].join('\n') + '\n',
    join(dir, 'spec.yaml'),
  );

type Row = [member: number, start: number, end: number, from: number | null, exploited: number | null];

function trial(number: number, [member, start, end, from, exploited]: Row, state: TrialState = 'complete'): FrozenTrial {
  const pbt = { member, start_epoch: start, end_epoch: end, from_trial: from, exploited: exploited === null ? null : { member: 0, trial: exploited, epoch: start }, changes: null };
  return {
    studyId: 1, number, state, params: { lr: 0.01 }, distributions: {}, value: state === 'complete' ? number / 100 : null, seed: number, attempt: 1,
    started: null, finished: null, heartbeat: null, worker: null, error: null, attrs: { pbt: pbt },
  };
}

// The lineage of a study that ended with 13 of 16 segments: members 1 and 2 exploited
// members that were ahead and skipped to epochs 4 and 6.
const ROWS: Row[] = [
  [0, 0, 2, null, null], [1, 0, 2, null, null], [2, 0, 2, null, null], [3, 0, 2, null, null],
  [0, 2, 4, 3, 3], [1, 4, 6, 4, 4], [2, 6, 8, 5, 5], [3, 2, 4, 3, null], [0, 4, 6, 4, null],
  [3, 4, 6, 7, null], [0, 6, 8, 8, null], [1, 6, 8, 5, null], [3, 6, 8, 9, null],
];

describe('budgetMet', () => {
  const pbt = spec('pbt');
  const sampler = createSampler({ spec: pbt, direction: 'maximize', storedStages: [] });
  const cap = sampler.planned;

  it('an asynchronous pbt population is done once no member can go on, short of its cap', () => {
    assert.equal(cap, 16);
    const trials = ROWS.map((r, i) => trial(i, r));
    assert.equal(budgetMet(trials, cap, sampler), true);
    // Without the sampler, only the cap counts: 13 < 16.
    assert.equal(budgetMet(trials, cap), false);
  });

  it('not while a member can go on, nor while a segment runs', () => {
    const short = ROWS.slice(0, -1).map((r, i) => trial(i, r));
    assert.equal(budgetMet(short, cap, sampler), false, 'member 3 is at epoch 6 of 8');
    const running = ROWS.map((r, i) => trial(i, r, i === ROWS.length - 1 ? 'running' : 'complete'));
    assert.equal(budgetMet(running, cap, sampler), false);
    assert.equal(budgetMet([], cap, sampler), false);
  });

  it('other methods: every trial up to the cap finished', () => {
    const random = spec('random');
    const s = createSampler({ spec: random, direction: 'maximize', storedStages: [] });
    const plain = (n: number, state: TrialState = 'complete'): FrozenTrial => ({ ...trial(n, [0, 0, 2, null, null], state), attrs: {} });
    assert.equal(budgetMet([plain(0), plain(1)], 3, s), false);
    assert.equal(budgetMet([plain(0), plain(1), plain(2)], 3, s), true);
    assert.equal(budgetMet([plain(0), plain(1), plain(2, 'running')], 3, s), false);
    assert.equal(budgetMet([plain(0), plain(1), plain(2)], null, s), false, 'an unbounded study is never met');
  });
});
