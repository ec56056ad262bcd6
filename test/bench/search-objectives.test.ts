// The sampler bench's objectives are written twice (objectives.ts for hpsearch, objectives.py
// for Optuna): both must give the same value at the same point.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BENCH_OBJECTIVES } from '../../bench/search/objectives.js';
import { PYTHON_DIR } from '../../bench/search/optuna.js';
import { activeParams, drawParams } from '../../src/search/index.js';

const PYTHON = '/usr/bin/python3';

describe('sampler bench objectives', () => {
  it('agree with their Python twins to 1e-9 at 200 random points each', { skip: existsSync(PYTHON) ? false : `no Python at ${PYTHON}: the Python twins are not checked` }, () => {
    const points = BENCH_OBJECTIVES.flatMap((o) =>
      Array.from({ length: 200 }, (_, k) => ({ objective: o.name, params: activeParams(drawParams(11, k, o.parameters), o.conditions ?? {}) })),
    );
    const r = spawnSync(PYTHON, ['objectives.py', '--eval'], { cwd: PYTHON_DIR, input: JSON.stringify(points), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const python = JSON.parse(r.stdout) as number[];
    assert.equal(python.length, points.length);
    points.forEach((pt, i) => {
      const js = (BENCH_OBJECTIVES.find((o) => o.name === pt.objective) as (typeof BENCH_OBJECTIVES)[number]).f(pt.params);
      assert.ok(Math.abs(js - (python[i] as number)) <= 1e-9, `${pt.objective} at ${JSON.stringify(pt.params)}: ${js} against ${python[i]}`);
    });
    // The conditional parameter is really left out sometimes, and the values vary.
    assert.ok(points.some((p) => p.objective === 'learning-curve' && p.params['beta1'] === undefined));
    assert.ok(new Set(python.map((v) => v.toFixed(6))).size > 700);
  });
});
