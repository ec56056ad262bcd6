// The report's rows, curves and panels against hand-built trials: what the page shows of each
// stored field, and how curves are thinned and chosen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Distribution } from '../../src/core/distributions.js';
import type { Attrs, EpochRecord, FrozenTrial, TrialState } from '../../src/core/types.js';
import { MAX_CURVE_POINTS, MAX_CURVES, shapeReport, type ReportInput } from '../../src/report/index.js';
import { thin } from '../../src/report/shape.js';

const DISTS: Record<string, Distribution> = {
  lr: { type: 'log_uniform_values', min: 1e-4, max: 1 },
  act: { type: 'categorical', values: ['relu', 'tanh'] },
  epochs: { type: 'constant', value: 3 },
};

function trial(number: number, state: TrialState, value: number | null, more: Partial<FrozenTrial> = {}): FrozenTrial {
  return {
    studyId: 1,
    number,
    state,
    params: { lr: 0.01 * (number + 1), act: 'relu', epochs: 3 },
    distributions: DISTS,
    value,
    seed: number,
    attempt: 1,
    started: null,
    finished: null,
    heartbeat: null,
    worker: null,
    error: null,
    attrs: {},
    ...more,
  };
}

const epochs = (n: number, metrics: (e: number) => Record<string, number> = (e) => ({ val_accuracy: 0.1 * e, seconds: 0.25 })): EpochRecord[] =>
  Array.from({ length: n }, (_, epoch) => ({ epoch, metrics: metrics(epoch) }));

function input(trials: FrozenTrial[], curves: Map<number, EpochRecord[]>, direction: 'maximize' | 'minimize' = 'maximize', attrs: Attrs = {}): ReportInput {
  return { study: { name: 's', direction, metric: 'val_accuracy', attrs, specJson: '{}' }, trials, curves };
}

describe('report rows', () => {
  it('carries the stored verdict, reason, stage, epochs and summed seconds of each trial', () => {
    const verdict = { verdict: 'high_variance', also: ['stalled', 3], summary: 'overfits', hint: 'more dropout', overfit_onset: 2 };
    const t = trial(0, 'complete', 0.5, { attrs: { verdict, stage: 1 } });
    const curve = epochs(4, (e) => ({ val_accuracy: 0.1 * e, seconds: e === 2 ? Number.NaN : 0.25 }));
    const [row] = shapeReport(input([t], new Map([[0, curve]]))).trials;
    assert.deepEqual(row, {
      number: 0,
      state: 'complete',
      value: 0.5,
      params: { act: 'relu', lr: 0.01 },
      stage: 1,
      verdict: 'high_variance',
      also: ['stalled'],
      summary: 'overfits',
      hint: 'more dropout',
      reason: null,
      overfitOnset: 2,
      epochs: 4,
      seconds: 0.75,
    });
  });

  it('a trial without verdict or epochs: nulls, no seconds; the error, else the stop reason, is the reason', () => {
    const failed = trial(0, 'failed', null, { error: 'boom', attrs: { stop_reason: 'ignored' } });
    const pruned = trial(1, 'pruned', Number.NaN, { attrs: { stop_reason: 'median rule at epoch 2', verdict: 'not an object', stage: 'x' } });
    const rows = shapeReport(input([failed, pruned], new Map())).trials;
    assert.deepEqual(
      rows.map((r) => [r.reason, r.value, r.verdict, r.also, r.summary, r.hint, r.overfitOnset, r.stage, r.epochs, r.seconds]),
      [
        ['boom', null, null, [], null, null, null, null, 0, null],
        ['median rule at epoch 2', null, null, [], null, null, null, null, 0, null],
      ],
    );
  });

  it('lists searched parameters sorted, with their scale or values, leaving constants out; a missing value is null', () => {
    const t = trial(0, 'complete', 1, { params: { act: 'tanh', epochs: 3 } });
    const data = shapeReport(input([t], new Map()));
    assert.deepEqual(data.params, [
      { name: 'act', kind: 'categorical', values: ['relu', 'tanh'] },
      { name: 'lr', kind: 'log' },
    ]);
    assert.deepEqual(data.trials[0]!.params, { act: 'tanh', lr: null });
  });
});

describe('report best and counts', () => {
  it('minimize: the lowest finite value is best; NaN, pruned and failed are not', () => {
    const trials = [trial(0, 'complete', 0.3), trial(1, 'complete', 0.1), trial(2, 'complete', Number.NaN), trial(3, 'pruned', 0.01), trial(4, 'complete', 0.2)];
    const data = shapeReport(input(trials, new Map(), 'minimize'));
    assert.equal(data.best, 1);
    assert.deepEqual(data.highlighted, [1, 4, 0]);
    assert.equal(data.counts.complete, 4);
    assert.equal(data.counts.pruned, 1);
    assert.equal(data.counts.failed, 0);
  });

  it('no complete trial: no best, nothing highlighted, no importance', () => {
    const data = shapeReport(input([trial(0, 'failed', null)], new Map()));
    assert.equal(data.best, null);
    assert.deepEqual(data.highlighted, []);
    assert.equal(data.importance, null);
  });

  it('importance reads complete trials with a value only: pruned and failed ones change nothing', () => {
    const complete = Array.from({ length: 12 }, (_, n) => trial(n, 'complete', 0.01 * (n + 1), { params: { lr: 0.01 * (n + 1), act: n % 2 === 0 ? 'relu' : 'tanh', epochs: 3 } }));
    const alone = shapeReport(input(complete, new Map())).importance;
    assert.ok(alone !== null);
    // Pruned trials carry the value they were stopped at; here it runs against lr.
    const others = [
      ...Array.from({ length: 8 }, (_, i) => trial(20 + i, 'pruned', 1 - 0.1 * i, { params: { lr: 0.02 * (i + 1), act: 'relu', epochs: 3 } })),
      trial(30, 'failed', null),
      trial(31, 'complete', null),
    ];
    assert.deepEqual(shapeReport(input([...complete, ...others], new Map())).importance, alone);
  });

  it('stages: the first and last trial number of each, in stage order', () => {
    const trials = [4, 1, 7, 2, 9].map((n, i) => trial(n, 'complete', 0.1, { attrs: { stage: i % 2 === 0 ? 1 : 0 } }));
    assert.deepEqual(shapeReport(input(trials, new Map())).stages, [
      { stage: 0, first: 1, last: 2 },
      { stage: 1, first: 4, last: 9 },
    ]);
  });
});

describe('report curves', () => {
  it('thin keeps max items evenly spaced, first and last included, and copies short lists', () => {
    assert.deepEqual(thin([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4), [0, 3, 6, 9]);
    assert.deepEqual(thin([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(thin([0, 1, 2, 3, 4], 3), [0, 2, 4]);
    const short = [1, 2];
    const copy = thin(short, 5);
    assert.deepEqual(copy, short);
    assert.notEqual(copy, short);
  });

  it('a curve keeps its metrics (non-finite as null) but not the layer-health ones, and its well-formed histograms', () => {
    const curve = epochs(2, (e) => ({ val_loss: e === 0 ? Number.POSITIVE_INFINITY : 0.5, 'layer0.dead': 0.1, 'layer12.saturated': 0.2 }));
    const good = { layer: 1, activation: 'relu', edges: [0, 1], first: [3], last: [4], firstEpoch: 0, lastEpoch: 1 };
    const t = trial(0, 'complete', 1, { attrs: { layer_histograms: [good, { layer: 2, edges: 'no' }, 5, { layer: 3, edges: [0, 1], first: [1, 'two'], last: [2, 1] }, { edges: [0], first: [1], last: [1] }] } });
    const [c] = shapeReport(input([t], new Map([[0, curve]]))).curves;
    assert.deepEqual(c!.metrics, { val_loss: [null, 0.5] });
    assert.deepEqual(c!.epoch, [0, 1]);
    assert.deepEqual(c!.histograms, [good, { layer: 0, activation: '', edges: [0], first: [1], last: [1], firstEpoch: 0, lastEpoch: 0 }]);
  });

  it(`a long curve is thinned to ${MAX_CURVE_POINTS} epochs with the last kept`, () => {
    const [c] = shapeReport(input([trial(0, 'complete', 1)], new Map([[0, epochs(250)]]))).curves;
    assert.equal(c!.epoch.length, MAX_CURVE_POINTS);
    assert.equal(c!.epoch[0], 0);
    assert.equal(c!.epoch.at(-1), 249);
  });

  it(`beyond ${MAX_CURVES} trials: the best quarter, the first diverged and pruned ones, and an even sample`, () => {
    const n = 2000;
    const trials = Array.from({ length: n }, (_, i) => trial(i, i % 50 === 7 ? 'diverged' : i % 50 === 9 ? 'pruned' : 'complete', i / n));
    const data = shapeReport(input(trials, new Map()));
    assert.equal(data.curvesSampled, true);
    const drawn = new Set(data.curves.map((c) => c.number));
    assert.ok(drawn.size <= MAX_CURVES, String(drawn.size));
    // The best (highest values: the last numbers) quarter of MAX_CURVES.
    for (let i = 0; i < MAX_CURVES / 4; i++) {
      const number = [...Array(n).keys()].filter((k) => trials[k]!.state === 'complete').reverse()[i]!;
      assert.ok(drawn.has(number), `best trial ${number}`);
    }
    for (const state of ['diverged', 'pruned']) {
      const first = trials.filter((t) => t.state === state).slice(0, MAX_CURVES / 8);
      for (const t of first) assert.ok(drawn.has(t.number), `${state} trial ${t.number}`);
    }
    assert.ok(drawn.has(0), 'the even sample starts at the first trial');
    assert.deepEqual([...drawn], [...drawn].sort((a, b) => a - b), 'in trial order');
    assert.equal(shapeReport(input(trials.slice(0, MAX_CURVES), new Map())).curvesSampled, false);
  });
});

describe('report augmentation samples', () => {
  const samples = { width: 2, height: 2, channels: 1, labels: ['a', 7], pixels: 'AAAA', lo: 0, hi: 1 };

  it('are the best trial’s, labels as text', () => {
    const best = trial(1, 'complete', 0.9, { attrs: { augment_samples: samples } });
    const other = trial(0, 'complete', 0.1, { attrs: { augment_samples: { ...samples, pixels: 'BBBB' } } });
    assert.deepEqual(shapeReport(input([other, best], new Map())).augment, { trial: 1, samples: { ...samples, labels: ['a', '7'] } });
  });

  it('are left out when malformed', () => {
    for (const bad of [{ ...samples, width: 0 }, { ...samples, channels: 1.5 }, { ...samples, lo: 'x' }, { ...samples, pixels: 3 }, { ...samples, labels: 'a' }, 'junk']) {
      const t = trial(0, 'complete', 0.9, { attrs: { augment_samples: bad } });
      assert.equal(shapeReport(input([t], new Map())).augment, null, JSON.stringify(bad));
    }
  });
});
