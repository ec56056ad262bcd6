import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturesDir, runCli, tempDir } from '../helpers.js';

const objective = join(fixturesDir, 'objectives', 'bowl.js');

/** A valid module-trainer spec; each case below breaks one thing. */
const base = `name: broken
storage: STORAGE
method: random
run_cap: 3
trainer: module
module: ${objective}
metric: { name: val_accuracy, goal: maximize }
parameters:
  learning_rate: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1 }
  beta1: { distribution: one_minus_log_uniform_values, min: 0.9, max: 0.999 }
`;

interface Case {
  name: string;
  /** The spec text (STORAGE is replaced with the database path). */
  text: string;
  /** `line:col` and dotted path the first matching issue must name. */
  where: string;
  path: string;
  message?: RegExp;
}

const replace = (from: string, to: string): string => {
  assert.ok(base.includes(from), `case setup: ${from}`);
  return base.replace(from, to);
};

const cases: Case[] = [
  { name: 'YAML syntax error', text: replace('run_cap: 3', 'run_cap: [3'), where: '4:', path: '', message: /./ },
  { name: 'unknown top-level key', text: replace('run_cap: 3', 'run_cpa: 3'), where: '4:1', path: 'run_cpa', message: /did you mean .?run_cap/ },
  { name: 'unknown parameter key', text: replace('min: 1.0e-5,', 'mni: 1.0e-5,'), where: '9:', path: 'parameters.learning_rate', message: /mni/ },
  { name: 'wrong type of run_cap', text: replace('run_cap: 3', 'run_cap: many'), where: '4:10', path: 'run_cap' },
  { name: 'min ≥ max', text: replace('min: 0.9, max: 0.999', 'min: 0.999, max: 0.9'), where: '10:', path: 'parameters.beta1' },
  { name: 'log bound ≤ 0', text: replace('min: 1.0e-5', 'min: -5'), where: '9:', path: 'parameters.learning_rate.min', message: /not logarithms/ },
  { name: 'one-minus bound ≥ 1', text: replace('max: 0.999', 'max: 1.5'), where: '10:', path: 'parameters.beta1.max' },
  { name: 'empty values', text: `${base}  optimizer: { values: [] }\n`, where: '11:', path: 'parameters.optimizer.values' },
  { name: 'duplicate values', text: `${base}  optimizer: { values: [adam, adam] }\n`, where: '11:', path: 'parameters.optimizer.values' },
  { name: 'unknown distribution', text: replace('one_minus_log_uniform_values', 'log_unifrom'), where: '10:', path: 'parameters.beta1.distribution', message: /did you mean/ },
  { name: 'unknown method', text: replace('method: random', 'method: randon'), where: '3:9', path: 'method', message: /random/ },
  { name: 'bad goal', text: replace('goal: maximize', 'goal: maximise'), where: '7:', path: 'metric.goal' },
  { name: 'random search without run_cap', text: replace('run_cap: 3\n', ''), where: '', path: 'run_cap' },
  { name: 'missing module file', text: replace(objective, './nowhere.js'), where: '6:', path: 'module' },
  { name: 'q ≤ 0', text: `${base}  units: { distribution: q_uniform, min: 8, max: 64, q: 0 }\n`, where: '11:', path: 'parameters.units.q' },
  {
    name: 'coarse-to-fine stage without top_k',
    text: `${replace('method: random', 'method: coarse-to-fine')}stages:\n  - { trials: 2 }\n  - { trials: 2 }\n`,
    where: '13:',
    path: 'stages.1',
  },
  { name: 'grid without grid_points', text: replace('method: random', 'method: grid'), where: '9:', path: 'parameters.learning_rate' },
  { name: 'probabilities not summing to 1', text: `${base}  act: { values: [relu, tanh], probabilities: [0.5, 0.6] }\n`, where: '11:', path: 'parameters.act.probabilities' },
  { name: 'duplicate key', text: `${base}run_cap: 4\n`, where: '11:', path: '' },
];

describe('malformed specs', () => {
  for (const c of cases) {
    it(`${c.name}: exits 2, names file:line:col and the key, creates no database`, async () => {
      const dir = tempDir();
      const db = join(dir, 'never.db');
      const spec = join(dir, 'spec.yaml');
      writeFileSync(spec, c.text.replace('STORAGE', db));
      for (const command of ['validate', 'run']) {
        const res = await runCli([command, spec]);
        assert.equal(res.code, 2, `${command}: exit ${res.code}\n${res.stderr}`);
        const lines = res.stderr.split('\n').filter((l) => l.includes(`${spec}:`));
        const hit = lines.find((l) => l.includes(`${spec}:${c.where}`) && (c.path === '' || l.includes(`: ${c.path}`)));
        assert.ok(hit !== undefined, `no issue at ${c.where} naming '${c.path}' in:\n${res.stderr}`);
        assert.match(hit, /^hpsearch: .*:\d+:\d+: |^.*:\d+:\d+: /);
        if (c.message) assert.match(res.stderr, c.message);
      }
      assert.equal(existsSync(db), false, 'no database for an invalid spec');
      assert.deepEqual(readdirSync(dir).sort(), ['spec.yaml']);
    });
  }

  it('reports every issue of a spec in one pass', async () => {
    const dir = tempDir();
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, base.replace('STORAGE', join(dir, 'x.db')).replace('run_cap: 3', 'run_cpa: 3').replace('min: 1.0e-5', 'min: -5'));
    const res = await runCli(['validate', spec]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /run_cpa/);
    assert.match(res.stderr, /parameters\.learning_rate\.min/);
  });
});
