// Multi-objective studies end to end: the built-in trainer's params and inference_ms, the
// Pareto front of `best`, `check --require` on a named objective, pruning that never touches
// the front, and the methods that refuse several objectives.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { dominates } from '../../src/core/pareto.js';
import type { Direction } from '../../src/core/types.js';
import type { ReportData } from '../../src/report/index.js';
import { json, runCli, runStudyIn, type TrialJson } from '../helpers.js';

type MooTrial = TrialJson & { values?: Record<string, number | null> };

/** The complete trials no other complete trial dominates, by brute force. */
function nonDominated(trials: readonly MooTrial[], names: readonly string[], goals: readonly Direction[]): number[] {
  const complete = trials.filter((t) => t.state === 'complete');
  const vec = (t: MooTrial): number[] => names.map((n) => t.values?.[n] as number);
  return complete.filter((a) => !complete.some((b) => dominates(vec(b), vec(a), goals))).map((t) => t.number).sort((x, y) => x - y);
}

const TFJS_SPEC = `name: moo
seed: 5
method: nsga2
nsga2: { population: 2 }
metric: [{ name: val_accuracy, goal: maximize }, { name: params }, { name: inference_ms, goal: minimize }]
run_cap: 4
parallelism: 1
keep_models: 1
data: { source: synthetic, kind: blobs, classes: 3, points: 150, features: 4 }
train: { epochs: 2 }
parameters:
  hidden_units: { distribution: q_log_uniform_values, min: 2, max: 64, q: 1 }
  learning_rate: { distribution: log_uniform_values, min: 0.001, max: 0.1 }
`;

describe('multi-objective studies (CLI)', () => {
  it('records every objective, shows the Pareto front and checks a named objective on its best trial', async () => {
    const { db, run } = await runStudyIn({}, TFJS_SPEC, 'moo.db');
    assert.equal(run.code, 0, run.stderr);
    const trials = json<MooTrial[]>((await runCli(['trials', '--storage', db, '--json'])).stdout);
    assert.equal(trials.length, 4);
    for (const t of trials) {
      assert.equal(t.state, 'complete', t.error ?? '');
      const v = t.values!;
      assert.equal(v['val_accuracy'], t.value, 'value is the first objective');
      assert.equal(v['params'], t.attrs['parameters'], 'params: the trainable parameter count');
      assert.ok(typeof v['inference_ms'] === 'number' && v['inference_ms'] > 0);
      assert.deepEqual(t.attrs['values'], [v['val_accuracy'], v['params'], v['inference_ms']]);
    }
    const names = ['val_accuracy', 'params', 'inference_ms'];
    const goals: Direction[] = ['maximize', 'minimize', 'minimize'];
    const best = await runCli(['best', '--storage', db, '--json']);
    assert.equal(best.code, 0, best.stderr);
    const front = json<MooTrial[]>(best.stdout);
    assert.deepEqual(front.map((t) => t.number).sort((a, b) => a - b), nonDominated(trials, names, goals));
    const table = await runCli(['best', '--storage', db]);
    assert.match(table.stdout, /val_accuracy.*params.*inference_ms/);
    assert.match(table.stderr, /Pareto front of moo: \d of 4 complete trials/);
    // keep_models 1 ranks by the first objective, and every front trial keeps its model too.
    const kept = trials.filter((t) => existsSync(join(dirname(db), 'moo', `trial-${t.number}`))).map((t) => t.number);
    assert.deepEqual(kept, nonDominated(trials, names, goals));

    const page = join(dirname(db), 'moo.html');
    const written = await runCli(['report', '--storage', db, '--out', page]);
    assert.equal(written.code, 0, written.stderr);
    const data = JSON.parse(/<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(readFileSync(page, 'utf8'))![1]!) as ReportData;
    assert.deepEqual(data.pareto?.objectives.map((o) => o.name), names);
    assert.equal(data.pareto?.points.length, 4);
    assert.deepEqual(data.pareto?.points.filter((p) => p.front).map((p) => p.number), nonDominated(trials, names, goals), 'the report rings the front best lists');

    const smallest = Math.min(...trials.map((t) => t.values!['params'] as number));
    const ok = await runCli(['check', '--storage', db, '--json', '--require', `params <= ${smallest}`, '--require', 'val_accuracy >= 0.3']);
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
    const report = json<{ passed: boolean; requirements: Array<{ metric: string; trial: number; actual: number }> }>(ok.stdout);
    const onParams = report.requirements.find((r) => r.metric === 'params')!;
    assert.equal(onParams.actual, smallest, 'params is read on the trial with the fewest');
    const mostAccurate = Math.max(...trials.map((t) => t.value as number));
    assert.equal(report.requirements.find((r) => r.metric === 'val_accuracy')!.actual, mostAccurate);
    const fail = await runCli(['check', '--storage', db, '--require', `params < ${smallest}`]);
    assert.equal(fail.code, 1, fail.stderr);
    assert.match(fail.stderr, /best on params/);
  });

  it('prunes by the first objective, and a pruned trial never enters or shifts the front', async () => {
    // A stopped trial returns figures that would dominate every complete one.
    const module = `export async function train(params, ctx) {
  const target = 1 / (1 + (Math.log10(params.lr) + 2.5) ** 2);
  let value = 0;
  for (let e = 0; e < 4; e++) {
    if (ctx.shouldStop()) return { val_accuracy: 0.999, cost: 0 };
    value = target * (1 - 0.5 ** (e + 1));
    await ctx.report({ val_accuracy: value });
  }
  return { val_accuracy: value, cost: params.lr };
}
`;
    const spec = `name: moo-pruned
seed: 2
method: random
metric: [{ name: val_accuracy, goal: maximize }, { name: cost, goal: minimize }]
run_cap: 14
parallelism: 1
trainer: module
module: ./moo.js
parameters:
  lr: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0 }
early_terminate: { type: median, n_startup_trials: 3, n_warmup_steps: 1 }
`;
    const { db, run } = await runStudyIn({ 'moo.js': module }, spec, 'pruned.db');
    assert.equal(run.code, 0, run.stderr);
    const trials = json<MooTrial[]>((await runCli(['trials', '--storage', db, '--json'])).stdout);
    const pruned = trials.filter((t) => t.state === 'pruned');
    assert.ok(pruned.length >= 2, `only ${pruned.length} pruned`);
    for (const t of pruned) {
      assert.match(t.error ?? '', /^median rule, epoch \d: val_accuracy/);
      assert.deepEqual(t.attrs['values'], [0.999, 0], 'its figures are stored');
    }
    const front = json<MooTrial[]>((await runCli(['best', '--storage', db, '--json'])).stdout);
    assert.ok(front.every((t) => t.state === 'complete'));
    assert.deepEqual(front.map((t) => t.number).sort((a, b) => a - b), nonDominated(trials, ['val_accuracy', 'cost'], ['maximize', 'minimize']));
    assert.ok(front.length >= 2);
  });

  it('refuses a method that takes one objective, and a pruner on a figure measured after training, naming the field', async () => {
    const dir = (await runStudyIn({}, TFJS_SPEC.replace('method: nsga2', 'method: gp').replace('nsga2: { population: 2 }\n', ''), 'x.db')).run;
    assert.equal(dir.code, 2, dir.stderr);
    assert.match(dir.stderr, /spec\.yaml:3:9: method: method gp takes one objective, and metric lists 3 \(val_accuracy, params, inference_ms\)/);
    const grid = (await runStudyIn({}, TFJS_SPEC.replace('method: nsga2', 'method: coarse-to-fine'), 'x.db')).run;
    assert.equal(grid.code, 2);
    assert.match(grid.stderr, /method coarse-to-fine takes one objective/);
    assert.match(grid.stderr, /nsga2: settings apply only to method: nsga2/);
    const prune = (await runStudyIn({}, `${TFJS_SPEC}early_terminate: { type: median, metric: params }\n`, 'x.db')).run;
    assert.equal(prune.code, 2);
    assert.match(prune.stderr, /early_terminate\.metric: `params` is measured once after training, not per epoch/);
    const auto = await runStudyIn({}, TFJS_SPEC.replace('method: nsga2', 'method: auto').replace('run_cap: 4', 'run_cap: 1'), 'auto.db');
    assert.equal(auto.run.code, 0, auto.run.stderr);
    const said = await runCli(['validate', join(auto.dir, 'spec.yaml')]);
    assert.match(said.stdout, /tpe search \(auto: 3 objectives, run_cap 1 < 5 generations of 2 for nsga2\)/);
  });
});
