import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatSpecIssue, SpecError } from '../../src/core/errors.js';
import type { SpecIssue } from '../../src/core/errors.js';
import { parseSpec } from '../../src/spec/index.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('hpsearch-spec-');
writeFileSync(join(dir, 'objective.js'), 'export function train() { return { loss: 0 }; }\n');
writeFileSync(join(dir, 'data.csv'), 'x,label\n1,a\n');
const file = join(dir, 'spec.yaml');

function issuesOf(text: string): SpecIssue[] {
  try {
    parseSpec(text, file);
  } catch (error) {
    if (error instanceof SpecError) return [...error.issues];
    throw error;
  }
  return assert.fail(`expected a SpecError for:\n${text}`);
}

/** A module-trainer spec's first lines: cases append to it (their lines start at 4). */
const MODULE = ['trainer: module', 'module: ./objective.js', 'run_cap: 10'];
/** A tfjs spec's first lines (cases start at line 4). */
const TFJS = ['run_cap: 10', 'data: { source: synthetic, kind: blobs }', 'train: { epochs: 2 }'];

/** An issue with its source line and a caret under its column (for failure messages). */
function pointAt(lines: readonly string[], issue: SpecIssue): string {
  const source = lines[issue.line - 1] ?? '';
  return `${formatSpecIssue(issue)}\n  ${source}\n  ${' '.repeat(issue.col - 1)}^`;
}

interface Case {
  name: string;
  lines: string[];
  /** `line:col path` of each issue, in order. */
  expect: string[];
  /** Each issue's message must match the pattern at the same index. */
  messages: RegExp[];
}

const cases: Case[] = [
  {
    name: 'YAML syntax error (unclosed flow sequence)',
    lines: [...MODULE, 'parameters:', '  x: { values: [1, 2 }'],
    expect: ['5:16 parameters.x.values'],
    messages: [/^invalid YAML: flow sequence .* end with a \]$/],
  },
  {
    name: 'YAML syntax error points at the unclosed bracket, not where the parser gave up',
    lines: ['trainer: module', 'module: ./objective.js', 'run_cap: [3', 'seed: 1'],
    expect: ['3:10 run_cap'],
    messages: [/^invalid YAML: /],
  },
  {
    name: 'YAML syntax error: an unclosed quote',
    lines: ['trainer: module', 'module: "./objective.js', 'run_cap: 3'],
    expect: ['2:9 module'],
    messages: [/^invalid YAML: missing closing "quote$/],
  },
  {
    name: 'YAML syntax error (bad indentation)',
    lines: [...MODULE, 'parameters:', '  x: { value: 1 }', ' y: { value: 2 }'],
    expect: ['6:1 '],
    messages: [/^invalid YAML: .*indent|^invalid YAML: /i],
  },
  {
    name: 'duplicate top-level key',
    lines: [...MODULE, 'run_cap: 20', 'parameters: { x: { value: 1 } }'],
    expect: ['4:1 run_cap'],
    messages: [/^duplicate key `run_cap`/],
  },
  {
    name: 'duplicate nested key',
    lines: [...MODULE, 'parameters:', '  x: { min: 0, max: 1, min: 0.5 }'],
    expect: ['5:24 parameters.x.min'],
    messages: [/^duplicate key `min`/],
  },
  {
    name: 'unknown top-level key, with did-you-mean',
    lines: [...MODULE, 'paramters:', '  x: { value: 1 }'],
    expect: ['4:1 paramters'],
    messages: [/^unknown key `paramters`; did you mean `parameters`\?$/],
  },
  {
    name: 'unknown top-level key with no near match lists the known keys',
    lines: [...MODULE, 'xyzzy_flag: on'],
    expect: ['4:1 xyzzy_flag'],
    messages: [/^unknown key `xyzzy_flag` \(known keys: name, storage, seed, method, metric, run_cap, .*, parameters\)$/],
  },
  {
    name: 'unknown nested key, with did-you-mean',
    lines: [...MODULE, 'metric: { name: loss, gaol: minimize }'],
    expect: ['4:23 metric.gaol'],
    messages: [/^unknown key `gaol`; did you mean `goal`\?/],
  },
  {
    name: 'unknown key in a parameter',
    lines: [...MODULE, 'parameters:', '  x: { min: 0, max: 1, grid_pionts: 3 }'],
    expect: ['5:24 parameters.x.grid_pionts'],
    messages: [/did you mean `grid_points`\?/],
  },
  {
    name: 'wrong type: run_cap a string',
    lines: ['trainer: module', 'module: ./objective.js', 'run_cap: ten'],
    expect: ['3:10 run_cap'],
    messages: [/^expected an integer, got "ten"$/],
  },
  {
    name: 'wrong type: seed not an integer, and a negative parallelism',
    lines: [...MODULE, 'seed: 1.5', 'parallelism: -1'],
    expect: ['4:7 seed', '5:14 parallelism'],
    messages: [/^expected an integer, got 1.5$/, /^must be ≥ 1, got -1$/],
  },
  {
    name: 'min ≥ max',
    lines: [...MODULE, 'parameters:', '  x: { min: 0.5, max: 0.1 }'],
    expect: ['5:13 parameters.x.min'],
    messages: [/^min \(0.5\) must be less than max \(0.1\)$/],
  },
  {
    name: 'log bound ≤ 0 says bounds are values, not logarithms',
    lines: [...MODULE, 'parameters:', '  learning_rate: { distribution: log_uniform_values, min: -5, max: 1.0e-1 }'],
    expect: ['5:59 parameters.learning_rate.min'],
    messages: [/^log-scale bounds must be > 0 \(bounds are values, not logarithms: write 1e-5, not -5\)$/],
  },
  {
    name: '1−β bound ≥ 1',
    lines: [...MODULE, 'parameters:', '  beta: { distribution: one_minus_log_uniform_values, min: 0.9, max: 1 }'],
    expect: ['5:70 parameters.beta.max'],
    messages: [/^1−β bounds must lie strictly between 0 and 1/],
  },
  {
    name: 'empty values',
    lines: [...MODULE, 'parameters:', '  x: { values: [] }'],
    expect: ['5:16 parameters.x.values'],
    messages: [/^values must not be empty$/],
  },
  {
    name: 'duplicate values point at the repeated one',
    lines: [...MODULE, 'parameters:', '  x:', '    values:', '      - 32', '      - 64', '      - 32'],
    expect: ['9:9 parameters.x.values.2'],
    messages: [/^duplicate value 32 \(values must be unique\)$/],
  },
  {
    name: 'probabilities not summing to 1',
    lines: [...MODULE, 'parameters:', '  x: { values: [a, b], probabilities: [0.5, 0.6] }'],
    expect: ['5:39 parameters.x.probabilities'],
    messages: [/^probabilities must sum to 1 \(they sum to 1.1\)$/],
  },
  {
    name: 'probabilities of another length than values',
    lines: [...MODULE, 'parameters:', '  x: { values: [a, b, c], probabilities: [0.5, 0.5] }'],
    expect: ['5:42 parameters.x.probabilities'],
    messages: [/^2 probabilities for 3 values/],
  },
  {
    name: 'unknown distribution, with suggestion',
    lines: [...MODULE, 'parameters:', '  x: { distribution: log_unifrom, min: 1, max: 2 }'],
    expect: ['5:22 parameters.x.distribution'],
    messages: [/^unknown distribution `log_unifrom`; did you mean `log_uniform`\?/],
  },
  {
    name: 'q ≤ 0',
    lines: [...MODULE, 'parameters:', '  x: { distribution: q_uniform, min: 0, max: 1, q: 0 }'],
    expect: ['5:52 parameters.x.q'],
    messages: [/^q must be > 0, got 0$/],
  },
  {
    name: 'q missing on a q_ distribution points at the parameter',
    lines: [...MODULE, 'parameters:', '  x: { distribution: q_uniform, min: 0, max: 1 }'],
    expect: ['5:6 parameters.x.q'],
    messages: [/^q_uniform needs `q`/],
  },
  {
    name: 'int_uniform with a fractional bound',
    lines: [...MODULE, 'parameters:', '  x: { distribution: int_uniform, min: 1, max: 2.5 }'],
    expect: ['5:48 parameters.x.max'],
    messages: [/^int_uniform bounds must be integers, got 2.5$/],
  },
  {
    name: 'a parameter written as a bare value',
    lines: [...MODULE, 'parameters:', '  x: 0.1'],
    expect: ['5:6 parameters.x'],
    messages: [/^a parameter is a mapping: write `\{ value: 0.1 \}`/],
  },
  {
    name: 'stages: top_k missing on a later stage, top_k on the first',
    lines: [
      'trainer: module',
      'module: ./objective.js',
      'method: coarse-to-fine',
      'parameters: { x: { min: 0, max: 1 } }',
      'stages:',
      '  - { trials: 10, top_k: 3 }',
      '  - trials: 5',
      '    margin: 0.1',
    ],
    expect: ['6:19 stages.0.top_k', '7:5 stages.1.top_k'],
    messages: [/^the first stage samples the whole space/, /^later stages need top_k/],
  },
  {
    name: 'stages: a negative margin',
    lines: [
      'trainer: module',
      'module: ./objective.js',
      'method: coarse-to-fine',
      'stages:',
      '  - { trials: 4 }',
      '  - { trials: 5, top_k: 4, margin: -1 }',
    ],
    expect: ['6:36 stages.1.margin'],
    messages: [/^must be ≥ 0, got -1$/],
  },
  {
    name: 'stages: top_k larger than the trials before it',
    lines: ['trainer: module', 'module: ./objective.js', 'method: coarse-to-fine', 'stages:', '  - { trials: 4 }', '  - { trials: 5, top_k: 6 }'],
    expect: ['6:25 stages.1.top_k'],
    messages: [/^top_k \(6\) exceeds the 4 trials of the stages before it$/],
  },
  {
    name: 'stages on a random search',
    lines: [...MODULE, 'stages: [{ trials: 3 }]'],
    expect: ['4:1 stages'],
    messages: [/^stages apply only to method: coarse-to-fine/],
  },
  {
    name: 'coarse-to-fine without stages',
    lines: ['trainer: module', 'module: ./objective.js', 'method: coarse-to-fine'],
    expect: ['3:9 stages'],
    messages: [/^coarse-to-fine needs stages/],
  },
  {
    name: 'grid without grid_points names the parameter',
    lines: ['trainer: module', 'module: ./objective.js', 'method: grid', 'parameters:', '  lr: { min: 0, max: 1 }', '  n: { values: [1, 2] }'],
    expect: ['5:7 parameters.lr.grid_points'],
    messages: [/^grid search needs grid_points on the numeric parameter `lr` \(give grid_points: N, or use values\)$/],
  },
  {
    name: 'grid larger than run_cap',
    lines: [
      'trainer: module',
      'module: ./objective.js',
      'method: grid',
      'run_cap: 5',
      'parameters:',
      '  lr: { min: 0, max: 1, grid_points: 3 }',
      '  n: { values: [1, 2] }',
    ],
    expect: ['4:10 run_cap'],
    messages: [/^the grid has 6 points, more than run_cap 5/],
  },
  {
    name: 'random without run_cap',
    lines: ['trainer: module', 'module: ./objective.js', 'method: random', 'parameters: { x: { value: 1 } }'],
    expect: ['3:9 run_cap'],
    messages: [/^random search needs run_cap/],
  },
  {
    name: 'gp without run_cap',
    lines: ['trainer: module', 'module: ./objective.js', 'method: gp', 'parameters: { x: { min: 0, max: 1 } }'],
    expect: ['3:9 run_cap'],
    messages: [/^gp search needs run_cap/],
  },
  {
    name: 'tpe settings beside method gp',
    lines: ['trainer: module', 'module: ./objective.js', 'method: gp', 'run_cap: 5', 'tpe: { n_startup_trials: 3 }', 'parameters: { x: { min: 0, max: 1 } }'],
    expect: ['5:1 tpe'],
    messages: [/^tpe: settings apply only to method: tpe or auto, or a stage with method: tpe$/],
  },
  {
    name: 'unknown method, with suggestion',
    lines: ['trainer: module', 'module: ./objective.js', 'method: gird'],
    expect: ['3:9 method'],
    messages: [/^unknown method `gird`; did you mean `grid`\? \(expected one of: random, grid, coarse-to-fine, tpe, gp, nsga2, auto, pbt\)$/],
  },
  {
    name: 'unknown knob name for tfjs, with suggestion (parameters and train)',
    lines: ['run_cap: 10', 'data: { source: mnist }', 'train: { epoch: 3 }', 'parameters:', '  lerning_rate: { min: 0.1, max: 0.2 }'],
    expect: ['3:10 train.epoch', '5:3 parameters.lerning_rate'],
    messages: [/^unknown training knob `epoch`; did you mean `epochs`\?$/, /^unknown training knob `lerning_rate`; did you mean `learning_rate`\?$/],
  },
  {
    name: 'a knob under another tool\'s name, and one with no near name',
    lines: [...TFJS, 'parameters:', '  lr: { min: 0.1, max: 0.2 }', '  warmup: { values: [0, 1] }'],
    expect: ['5:3 parameters.lr', '6:3 parameters.warmup'],
    messages: [/^unknown training knob `lr`; did you mean `learning_rate`\?$/, /^unknown training knob `warmup` \(trainer tfjs knows: backend, epochs, .*; a module trainer takes any name\)$/],
  },
  {
    name: 'bad optimizer value',
    lines: [...TFJS, 'parameters:', '  optimizer: { values: [sgd, adamw] }'],
    expect: ['5:30 parameters.optimizer.values.1'],
    messages: [/^unknown optimizer `adamw`; did you mean `adam`\? \(expected one of: sgd, momentum, nesterov, adagrad, rmsprop, adam\)$/],
  },
  {
    name: 'a knob value outside its range, and an integer knob searched on a continuous range',
    lines: [...TFJS, 'parameters:', '  dropout: { min: 0.2, max: 1 }', '  hidden_units: { min: 16, max: 64 }'],
    expect: ['5:29 parameters.dropout.max', '6:17 parameters.hidden_units.distribution'],
    messages: [/^dropout must be in \[0, 1\), but max is 1$/, /^hidden_units takes integers: use distribution int_uniform/],
  },
  {
    name: 'missing module file',
    lines: ['trainer: module', 'module: ./nope.js', 'run_cap: 3'],
    expect: ['2:9 module'],
    messages: [/^file not found: .*nope\.js/],
  },
  {
    name: 'trainer module without module',
    lines: ['trainer: module', 'run_cap: 3'],
    expect: ['1:10 module'],
    messages: [/^trainer: module needs module:/],
  },
  {
    name: 'bad split sums',
    lines: ['run_cap: 1', 'data:', '  source: mnist', '  split: { train: 0.7, val: 0.2, test: 0.2 }'],
    expect: ['4:10 data.split'],
    messages: [/^split fractions must sum to 1 \(train 0.7 \+ val 0.2 \+ test 0.2 = 1.1\)$/],
  },
  {
    name: 'csv data without its label, with a key of another source',
    lines: ['run_cap: 1', 'data:', '  source: csv', '  path: data.csv', '  samples: 100'],
    expect: ['3:3 data.label', '5:3 data.samples'],
    messages: [/^missing required key `label`$/, /^`samples` applies to source mnist, not csv$/],
  },
  {
    name: 'tfjs without data',
    lines: ['run_cap: 1', 'train: { epochs: 1 }'],
    expect: ['1:1 data'],
    messages: [/^trainer tfjs needs data:/],
  },
  {
    name: 'tfjs with an empty data',
    lines: ['run_cap: 1', 'data:', 'train: { epochs: 1 }'],
    expect: ['2:1 data'],
    messages: [/^trainer tfjs needs data:/],
  },
  {
    name: 'an unknown trainer hides the checks that depend on it',
    lines: ['trainer: modul', 'module: ./objective.js', 'run_cap: 1', 'parameters: { anything: { value: 1 } }'],
    expect: ['1:10 trainer'],
    messages: [/^unknown trainer `modul`; did you mean `module`\? \(expected one of: tfjs, module, command\)$/],
  },
  {
    name: 'unknown data source and synthetic kind',
    lines: ['run_cap: 1', 'data: { source: sythetic, kind: spiral }'],
    expect: ['2:17 data.source', '2:33 data.kind'],
    messages: [/did you mean `synthetic`\?/, /did you mean `spirals`\?/],
  },
  {
    name: 'empty file',
    lines: ['# nothing here'],
    expect: ['1:1 '],
    messages: [/^the spec is empty/],
  },
  {
    name: 'two YAML documents',
    lines: [...MODULE, '---', 'run_cap: 3'],
    expect: ['4:1 '],
    messages: [/^a spec is a single YAML document/],
  },
  {
    name: 'pool written as a mapping',
    lines: [...MODULE, 'pool: { mode: thread }'],
    expect: ['4:7 pool'],
    messages: [/other pool settings are top-level keys/],
  },
  {
    name: 'a knob both fixed and searched',
    lines: [...TFJS.slice(0, 2), 'train: { epochs: 2, batch_size: 32 }', 'parameters:', '  batch_size: { values: [16, 32] }'],
    expect: ['5:3 parameters.batch_size'],
    messages: [/^`batch_size` is both fixed in train: and searched here/],
  },
  {
    name: 'metric without a goal that can be inferred',
    lines: [...MODULE, 'metric: { name: score }'],
    expect: ['4:9 metric.goal'],
    messages: [/^give goal: minimize or maximize/],
  },
  {
    name: 'unknown early_terminate type and duplicate devices',
    lines: [...MODULE, 'early_terminate: { type: hyperbnd }', 'devices: [0, 0]'],
    expect: ['4:26 early_terminate.type', '5:10 devices'],
    messages: [/^unknown type `hyperbnd`; did you mean `hyperband`\? \(expected one of: patience, median, successive_halving, hyperband\)$/, /^device numbers must be unique$/],
  },
];

describe('malformed specs', () => {
  it('has a table of at least 20 cases', () => assert.ok(cases.length >= 20));
  for (const c of cases) {
    it(c.name, () => {
      const issues = issuesOf(c.lines.join('\n') + '\n');
      const where = issues.map((i) => `${i.line}:${i.col} ${i.path}`);
      assert.deepEqual(where, c.expect, issues.map((i) => pointAt(c.lines, i)).join('\n'));
      issues.forEach((issue, k) => {
        assert.equal(issue.file, file);
        const pattern = c.messages[k];
        if (pattern !== undefined) assert.match(issue.message, pattern);
      });
    });
  }
});

describe('a spec with several problems', () => {
  it('reports every one of them, in file order', () => {
    const text = [
      'nmae: test', //                                           1: unknown key
      'method: random', //                                       2: (no run_cap: reported here)
      'data: { source: mnist, samples: 5 }', //                  3: samples < 10
      'train: { optimizer: adamw }', //                          4: bad enum
      'parameters:',
      '  learning_rate: { distribution: log_uniform, min: 0, max: 1 }', // 6: log bound
      '  beta1: { distribution: one_minus_log_uniform_values, min: 0.9, max: 1.5 }', // 7
      '  batch_size: { values: [] }', //                          8
      '  hidden_units: { distribution: int_uniform, min: 64, max: 16 }', // 9
      'early_terminate: { type: patience, patience: 0 }', //     10
    ].join('\n');
    const issues = issuesOf(text);
    assert.deepEqual(
      issues.map((i) => `${i.line}:${i.col} ${i.path}`),
      [
        '1:1 nmae',
        '2:9 run_cap',
        '3:33 data.samples',
        '4:21 train.optimizer',
        '6:52 parameters.learning_rate.min',
        '7:71 parameters.beta1.max',
        '8:25 parameters.batch_size.values',
        '9:51 parameters.hidden_units.min',
        '10:46 early_terminate.patience',
      ],
    );
    const error = (() => {
      try {
        parseSpec(text, file);
      } catch (e) {
        return e as SpecError;
      }
      return undefined;
    })();
    assert.ok(error instanceof SpecError);
    assert.equal(error.exitCode, 2);
    // The message is one `file:line:col: path: message` line per issue.
    const lines = error.message.split('\n');
    assert.equal(lines.length, issues.length);
    assert.equal(lines[0], `${file}:1:1: nmae: unknown key \`nmae\`; did you mean \`name\`?`);
    assert.equal(
      lines[4],
      `${file}:6:52: parameters.learning_rate.min: log-scale bounds must be > 0 (bounds are values, not logarithms: write 1e-5, not -5)`,
    );
  });
});
