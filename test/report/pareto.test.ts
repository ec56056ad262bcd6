// The report's objective-space data for a multi-objective study: which trials are on the
// Pareto front (with mixed goals, complete trials only) and the step line of the two drawn.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attrs, Direction, FrozenTrial, TrialState } from '../../src/core/types.js';
import { shapeReport, type ReportInput } from '../../src/report/index.js';

type Row = [state: TrialState, values: number[] | null];

function study(goals: Record<string, Direction>, rows: readonly Row[]): ReportInput {
  const objectives = Object.entries(goals).map(([name, goal]) => ({ name, goal }));
  const trials = rows.map(([state, values], number): FrozenTrial => {
    const attrs: Attrs = values === null ? {} : { values };
    const value = values?.[0] ?? null;
    return { studyId: 1, number, state, params: {}, distributions: {}, value, seed: number, attempt: 1, started: null, finished: null, heartbeat: null, worker: null, error: null, attrs };
  });
  const first = objectives[0]!;
  return { study: { name: 'moo', direction: first.goal, metric: first.name, attrs: { objectives }, specJson: '{}' }, trials, curves: new Map() };
}

const ROWS: Row[] = [
  ['complete', [0.9, 5000, 1]], // 0: front
  ['complete', [0.8, 1000, 1]], // 1: front (tied with 7)
  ['complete', [0.85, 6000, 0.1]], // 2: dominated by 0 on the first two, not on all three
  ['complete', [0.95, 20000, 1]], // 3: front
  ['pruned', [0.99, 100, 0.01]], // 4: would dominate everyone, but it did not finish
  ['complete', [0.7, 1000, 1]], // 5: dominated by 1
  ['complete', null], // 6: no values
  ['complete', [0.8, 1000, 1]], // 7: front (tied with 1)
];
const two = ROWS.map(([s, v]): Row => [s, v === null ? null : v.slice(0, 2)]);

describe('the Pareto panel data', () => {
  it('rings the front of the complete trials with mixed goals (maximize accuracy, minimize params)', () => {
    const pareto = shapeReport(study({ val_accuracy: 'maximize', params: 'minimize' }, two)).pareto;
    assert.deepEqual(pareto?.objectives.map((o) => `${o.name}:${o.goal}`), ['val_accuracy:maximize', 'params:minimize']);
    assert.deepEqual(pareto?.points.map((p) => p.number), [0, 1, 2, 3, 5, 7], 'complete trials with values only');
    assert.deepEqual(pareto?.points.filter((p) => p.front).map((p) => p.number), [0, 1, 3, 7]);
    assert.deepEqual(pareto?.line, [1, 7, 0, 3], 'the step line runs by the first objective, ascending');
    assert.deepEqual(pareto?.points.find((p) => p.number === 3)?.values, [0.95, 20000]);
  });

  it('follows each goal: minimizing both objectives gives another front', () => {
    const pareto = shapeReport(study({ val_loss: 'minimize', params: 'minimize' }, two)).pareto;
    assert.deepEqual(pareto?.points.filter((p) => p.front).map((p) => p.number), [5]);
    assert.deepEqual(pareto?.line, [5]);
  });

  it('with three objectives, rings the front of all three and draws the line of the first two', () => {
    const pareto = shapeReport(study({ val_accuracy: 'maximize', params: 'minimize', inference_ms: 'minimize' }, ROWS)).pareto;
    assert.deepEqual(pareto?.points.filter((p) => p.front).map((p) => p.number), [0, 1, 2, 3, 7]);
    assert.deepEqual(pareto?.line, [1, 7, 0, 3]);
  });

  it('is absent for a study of one objective', () => {
    const input = study({ val_accuracy: 'maximize' }, two);
    assert.equal(shapeReport({ ...input, study: { ...input.study, attrs: {} } }).pareto, null);
    assert.equal(shapeReport(input).pareto, null, 'an objectives attr of one');
  });
});
