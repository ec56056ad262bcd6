import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rankByValue } from '../../src/core/types.js';
import { HIGHLIGHTED, MAX_CURVE_POINTS, MAX_CURVES, permutationImportance, shapeReport } from '../../src/report/index.js';
import { syntheticInput } from './synthetic.js';

describe('report data', () => {
  it('counts states, finds the best and highlights the best few', () => {
    const input = syntheticInput(60);
    const data = shapeReport(input);
    assert.equal(data.trials.length, 60);
    assert.equal(data.counts.complete + data.counts.pruned + data.counts.diverged + data.counts.failed, 60);
    assert.ok(data.counts.diverged > 0 && data.counts.pruned > 0 && data.counts.failed > 0);
    const ranked = rankByValue(input.trials.filter((t) => t.state === 'complete'), 'maximize');
    assert.equal(data.best, ranked[0]?.number);
    assert.deepEqual(data.highlighted, ranked.slice(0, HIGHLIGHTED).map((t) => t.number));
    assert.deepEqual(data.stages.map((s) => [s.stage, s.first, s.last]), [[0, 0, 29], [1, 30, 59]]);
    assert.equal(data.curves.length, 60, 'a small study keeps every curve');
    const diverged = data.trials.find((t) => t.state === 'diverged');
    assert.equal(diverged?.value, null);
    assert.match(diverged?.reason ?? '', /diverged/);
    assert.deepEqual(data.params.map((p) => [p.name, p.kind]), [['beta1', 'log_one_minus'], ['hidden_units', 'linear'], ['learning_rate', 'log'], ['optimizer', 'categorical']]);
  });

  it('thins a 10 000-trial study: a sample of the curves, each at most MAX_CURVE_POINTS epochs, the best always in', () => {
    const data = shapeReport(syntheticInput(10_000, 150));
    assert.equal(data.trials.length, 10_000);
    assert.ok(data.curvesSampled);
    assert.ok(data.curves.length <= MAX_CURVES, `${data.curves.length} curves`);
    assert.ok(data.curves.every((c) => c.epoch.length <= MAX_CURVE_POINTS));
    const full = data.curves.find((c) => c.epoch.length === MAX_CURVE_POINTS);
    assert.equal(full?.epoch.at(-1), 149, 'the last epoch is kept');
    for (const n of data.highlighted) assert.ok(data.curves.some((c) => c.number === n), `best trial ${n} has its curve`);
  });

  it('ranks the parameter that drives the objective first (permutation importance)', () => {
    const data = shapeReport(syntheticInput(200));
    const scores = data.importance?.scores ?? [];
    assert.equal(scores[0]?.name, 'learning_rate', JSON.stringify(scores));
    assert.ok((scores[0]?.score ?? 0) > 0.5, JSON.stringify(scores));
    assert.ok(Math.abs(scores.reduce((a, s) => a + s.score, 0) - 1) < 1e-9);
    assert.match(data.importance?.method ?? '', /permutation importance.*random forest/);
    assert.equal(permutationImportance(data.params, data.trials.slice(0, 3)), null, 'too few trials: none');
  });
});
