// The rules a trial is watched by (prune/rules.ts): which exist for each early_terminate, in what order, and their goal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EarlyTerminate, HalvingTerminate, HyperbandTerminate, MedianTerminate, PatienceTerminate } from '../../src/core/spec.js';
import type { EpochRecord } from '../../src/core/types.js';
import { StudyCurves } from '../../src/prune/curves.js';
import { HyperbandPruner } from '../../src/prune/hyperband.js';
import { MedianPruner } from '../../src/prune/median.js';
import { num } from '../../src/prune/decision.js';
import { minimizes } from '../../src/core/types.js';
import { createPruner, observeAll, stopRulesFor, type StopRule } from '../../src/prune/rules.js';

const ACCURACY = { name: 'val_accuracy', goal: 'maximize' } as const;
const OPTIONS = { metric: ACCURACY, bracketDraw: () => 0 };
const COMMON = { metric: 'val_accuracy', restore_best: false };
const MEDIAN: MedianTerminate = { type: 'median', ...COMMON, n_startup_trials: 1, n_warmup_steps: 0, interval_steps: 1, n_min_trials: 1, include_running: false };
const SHA: HalvingTerminate = { type: 'successive_halving', ...COMMON, min_resource: 1, reduction_factor: 3, min_early_stopping_rate: 0 };
const HB: HyperbandTerminate = { type: 'hyperband', ...COMMON, min_resource: 1, max_resource: 9, reduction_factor: 3, brackets: null };
const PATIENCE: PatienceTerminate = { type: 'patience', metric: 'val_loss', restore_best: false, patience: 1, min_delta: 0 };

/** Complete trial 0 and running trial 1, one value each at epoch 0. */
function two(metric: string, done: number, judged: number): StudyCurves {
  const c = new StudyCurves(metric);
  c.set(0, 'complete', [{ epoch: 0, metrics: { [metric]: done } }]);
  c.set(1, 'running', [{ epoch: 0, metrics: { [metric]: judged } }]);
  return c;
}

describe('minimizes', () => {
  it("follows the study's goal for its own metric, the name for any other", () => {
    assert.equal(minimizes('val_score', { name: 'val_score', goal: 'minimize' }), true);
    assert.equal(minimizes('val_loss', { name: 'val_loss', goal: 'maximize' }), false);
    assert.equal(minimizes('val_loss', ACCURACY), true);
    assert.equal(minimizes('val_score', ACCURACY), false);
  });
});

describe('createPruner', () => {
  it('makes none for no rule or patience, and the pruner a type names', () => {
    assert.equal(createPruner(null, OPTIONS), null);
    assert.equal(createPruner(PATIENCE, OPTIONS), null);
    assert.ok(createPruner(MEDIAN, OPTIONS) instanceof MedianPruner);
    assert.ok(createPruner(HB, OPTIONS) instanceof HyperbandPruner);
    const sha = createPruner(SHA, OPTIONS);
    const d = sha?.prune(two('val_accuracy', 0.9, 0.1), 1, 0);
    assert.match(d?.stop === true ? d.reason : '', /^successive halving, epoch 0/);
  });

  it('judges in the direction of the goal', () => {
    // The study minimises val_score: 0.1 beats 0.9.
    const score = { name: 'val_score', goal: 'minimize' } as const;
    const median = createPruner({ ...MEDIAN, metric: 'val_score' }, { ...OPTIONS, metric: score });
    assert.equal(median?.prune(two('val_score', 0.9, 0.1), 1, 0).stop, false);
    assert.equal(median?.prune(two('val_score', 0.1, 0.9), 1, 0).stop, true);
    // A pruner on another metric than the objective goes by that metric's name: a loss falls.
    const loss = createPruner({ ...SHA, metric: 'val_loss' }, OPTIONS);
    assert.equal(loss?.prune(two('val_loss', 0.9, 0.1), 1, 0).stop, false);
    assert.equal(loss?.prune(two('val_loss', 0.1, 0.9), 1, 0).stop, true);
    const hb = createPruner(HB, OPTIONS);
    assert.equal(hb?.prune(two('val_accuracy', 0.1, 0.9), 1, 0).stop, false);
    assert.equal(hb?.prune(two('val_accuracy', 0.9, 0.1), 1, 0).stop, true);
  });

  it("gives hyperband the trial's bracket draw", () => {
    const hb = createPruner(HB, { ...OPTIONS, bracketDraw: (n) => (n === 7 ? 0.99 : 0) });
    assert.ok(hb instanceof HyperbandPruner);
    assert.equal(hb.bracket(7), 2);
    assert.equal(hb.bracket(1), 0);
  });
});

/** The first stop of `rules` over `epochs`: [epoch, state, reason], or null. */
function firstStop(rules: StopRule[], epochs: EpochRecord[]): [number, string, string] | null {
  for (const e of epochs) {
    const d = observeAll(rules, e);
    if (d.stop) return [e.epoch, d.state, d.reason];
  }
  return null;
}

describe('stopRulesFor', () => {
  const flat: EpochRecord[] = [0.5, 0.6, 0.7].map((v, epoch) => ({ epoch, metrics: { val_loss: v, val_accuracy: 0.1 } }));

  it('always watches for divergence', () => {
    for (const et of [null, PATIENCE, MEDIAN] as (EarlyTerminate | null)[]) {
      const stop = firstStop(stopRulesFor(et, ACCURACY), [{ epoch: 0, metrics: { val_loss: Number.NaN } }]);
      assert.deepEqual(stop?.slice(0, 2), [0, 'diverged'], JSON.stringify(et));
    }
    assert.equal(firstStop(stopRulesFor(null, ACCURACY), flat), null, 'nothing else without early_terminate');
  });

  it('adds early stopping for patience, on the goal of the study when it watches its metric', () => {
    assert.deepEqual(firstStop(stopRulesFor(PATIENCE, ACCURACY), flat), [1, 'complete', 'early stopping: val_loss has not improved for 1 epochs (best 0.5000 at epoch 0)']);
    // A study that maximises a metric named like a loss: rising values improve.
    assert.equal(firstStop(stopRulesFor(PATIENCE, { name: 'val_loss', goal: 'maximize' }), flat), null);
    const score: PatienceTerminate = { ...PATIENCE, metric: 'val_score' };
    const falling: EpochRecord[] = [0.9, 0.8, 0.7].map((v, epoch) => ({ epoch, metrics: { val_score: v } }));
    assert.equal(firstStop(stopRulesFor(score, { name: 'val_score', goal: 'minimize' }), falling), null);
    assert.equal(firstStop(stopRulesFor(score, ACCURACY), falling)?.[0], 1, 'not the objective: maximised by its name');
  });

  it('asks the pruner of the study, divergence first', () => {
    const curves = two('val_accuracy', 0.9, 0.1);
    const pruner = createPruner(MEDIAN, OPTIONS);
    assert.ok(pruner !== null);
    const rules = stopRulesFor(MEDIAN, ACCURACY, { pruner, curves, trial: 1 });
    assert.deepEqual(firstStop(rules, [{ epoch: 0, metrics: { val_accuracy: 0.1 } }]), [0, 'pruned', 'median rule, epoch 0: val_accuracy 0.1 < median 0.9 of 1 trials']);
    assert.equal(observeAll(rules, { epoch: 0, metrics: { val_accuracy: 0.1, train_loss: Infinity } }).stop && 'diverged', 'diverged');
    assert.deepEqual(observeAll(stopRulesFor(MEDIAN, ACCURACY, { pruner, curves, trial: 0 }), { epoch: 0, metrics: { val_accuracy: 0.9 } }), { stop: false });
    assert.equal(firstStop(stopRulesFor(MEDIAN, ACCURACY), [{ epoch: 0, metrics: { val_accuracy: 0.1 } }]), null, 'no study: no pruner');
  });
});

describe('observeAll', () => {
  const rule = (stop: boolean, reason: string): StopRule => ({ observe: () => (stop ? { stop: true, state: 'pruned', reason } : { stop: false }) });
  it('returns the first stop in order, or continue', () => {
    const e = { epoch: 0, metrics: {} };
    assert.deepEqual(observeAll([rule(false, 'a'), rule(true, 'b'), rule(true, 'c')], e), { stop: true, state: 'pruned', reason: 'b' });
    assert.deepEqual(observeAll([rule(false, 'a')], e), { stop: false });
    assert.deepEqual(observeAll([], e), { stop: false });
  });
});

describe('figures in reasons', () => {
  it('show 4 significant digits without trailing zeros', () => {
    assert.deepEqual([1 / 3, 0.5, 123456, 0.000123456, -2.71828, 0].map(num), ['0.3333', '0.5', '123500', '0.0001235', '-2.718', '0']);
    assert.deepEqual([Number.NaN, Infinity, -Infinity].map(num), ['NaN', 'Infinity', '-Infinity']);
  });
});
