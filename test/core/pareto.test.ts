// Dominance, non-dominated sorting, crowding distance, the front and the 2-D hypervolume, on
// hand-worked sets with mixed goals: a flipped comparison or goal changes every answer here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trialValues, studyObjectives } from '../../src/core/objectives.js';
import { crowdingDistance, dominates, hypervolume2d, nonDominatedSort, paretoFront } from '../../src/core/pareto.js';
import type { Direction } from '../../src/core/types.js';

// Accuracy up, size down.
const GOALS: Direction[] = ['maximize', 'minimize'];
//            0           1           2           3           4           5
const POINTS = [[0.9, 100], [0.8, 50], [0.95, 400], [0.85, 100], [0.8, 60], [0.95, 400]];

describe('Pareto dominance', () => {
  it('follows each goal: better on one, no worse on the others', () => {
    assert.equal(dominates([0.9, 100], [0.85, 100], GOALS), true);
    assert.equal(dominates([0.85, 100], [0.9, 100], GOALS), false);
    assert.equal(dominates([0.8, 50], [0.8, 60], GOALS), true);
    assert.equal(dominates([0.8, 60], [0.8, 50], GOALS), false);
    assert.equal(dominates([0.9, 100], [0.8, 50], GOALS), false, 'a trade-off: neither dominates');
    assert.equal(dominates([0.8, 50], [0.9, 100], GOALS), false);
    assert.equal(dominates([0.95, 400], [0.95, 400], GOALS), false, 'equal vectors do not dominate each other');
    assert.equal(dominates([1, 1], [2, 2], ['minimize', 'minimize']), true);
    assert.equal(dominates([1, 1], [2, 2], ['maximize', 'maximize']), false);
  });

  it('sorts into fronts', () => {
    assert.deepEqual(nonDominatedSort(POINTS, GOALS), [[0, 1, 2, 5], [3, 4]]);
    assert.deepEqual(nonDominatedSort([[3], [1], [2], [1]], ['minimize']), [[1, 3], [2], [0]]);
    assert.deepEqual(nonDominatedSort([[1, 3], [2, 2], [3, 1], [2, 3], [3, 3]], ['minimize', 'minimize']), [[0, 1, 2], [3], [4]]);
    assert.deepEqual(nonDominatedSort([], GOALS), []);
  });

  it('gives the extremes infinite crowding and the inner points their neighbours’ normalised gaps', () => {
    // Front of (1, 4), (2, 2), (4, 1), (3, 1.5): ranges 3 and 3.
    const d = crowdingDistance([[1, 4], [2, 2], [4, 1], [3, 1.5]]);
    assert.equal(d[0], Infinity);
    assert.equal(d[2], Infinity);
    // (2, 2): neighbours x 1 and 3, y 1.5 and 4 → 2/3 + 2.5/3.
    assert.ok(Math.abs(d[1]! - (2 / 3 + 2.5 / 3)) < 1e-12, String(d[1]));
    // (3, 1.5): neighbours x 2 and 4, y 1 and 2 → 2/3 + 1/3.
    assert.ok(Math.abs(d[3]! - 1) < 1e-12, String(d[3]));
    assert.deepEqual(crowdingDistance([[5, 5]]), [Infinity]);
  });

  it('keeps the non-dominated items with a full finite vector, in their order', () => {
    const items: { i: number; v: number[] | null }[] = POINTS.map((v, i) => ({ i, v }));
    items.push({ i: 6, v: [0.99, Number.NaN] }, { i: 7, v: null }, { i: 8, v: [0.99] });
    assert.deepEqual(paretoFront(items, (x) => x.v, GOALS).map((x) => x.i), [0, 1, 2, 5]);
    assert.deepEqual(paretoFront(items, (x) => x.v, ['minimize', 'maximize']).map((x) => x.i), [2, 3, 4, 5]);
  });

  it('measures the area a set dominates up to the reference', () => {
    const goals: [Direction, Direction] = ['minimize', 'minimize'];
    // Staircase (1, 3), (2, 2), (3, 1) against (4, 4): 3·1 + 2·1 + 1·1 = 6.
    assert.equal(hypervolume2d([[1, 3], [2, 2], [3, 1]], [4, 4], goals), 6);
    assert.equal(hypervolume2d([[1, 3], [2, 2], [3, 1], [3, 3], [5, 0]], [4, 4], goals), 6, 'dominated and outside points add nothing');
    // Maximising the first: (−1 → 1 better)…
    assert.equal(hypervolume2d([[3, 1]], [0, 4], ['maximize', 'minimize']), 9);
    assert.equal(hypervolume2d([[3, 1]], [0, 4], ['minimize', 'minimize']), 0);
  });
});

describe('objective values of stored trials', () => {
  const study = { metric: 'val_accuracy', direction: 'maximize' as const, attrs: { objectives: [{ name: 'val_accuracy', goal: 'maximize' }, { name: 'params', goal: 'minimize' }] } };

  it('reads the objectives from the study attr, else its one metric', () => {
    assert.deepEqual(studyObjectives(study), [{ name: 'val_accuracy', goal: 'maximize' }, { name: 'params', goal: 'minimize' }]);
    assert.deepEqual(studyObjectives({ ...study, attrs: {} }), [{ name: 'val_accuracy', goal: 'maximize' }]);
  });

  it('reads a trial’s vector from attr values; one objective from value', () => {
    const objectives = studyObjectives(study);
    assert.deepEqual(trialValues({ value: 0.9, attrs: { values: [0.9, 120] } }, objectives), [0.9, 120]);
    assert.equal(trialValues({ value: 0.9, attrs: { values: [0.9, null] } }, objectives), null);
    assert.equal(trialValues({ value: 0.9, attrs: {} }, objectives), null);
    assert.deepEqual(trialValues({ value: 0.9, attrs: {} }, [objectives[0]!]), [0.9]);
  });
});
