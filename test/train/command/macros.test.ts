// A `trainer: command` line's macros, expanded for one trial.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandCommand, paramsJson, type MacroValues } from '../../../src/train/command/macros.js';

const VALUES: MacroValues = {
  params: { lr: 0.5, nesterov: true, act: 'relu' },
  program: 'train.py',
  argsJsonFile: '/tmp/t/params.json',
  env: { DATA: '/data' },
  checkpointDir: '/s/ck/trial-3',
  startEpoch: 0,
};

describe('command macros', () => {
  it('passes params in their order: numbers, booleans and strings as written', () => {
    assert.deepEqual(expandCommand(['${args}'], VALUES), ['--lr=0.5', '--nesterov=true', '--act=relu']);
    assert.deepEqual(expandCommand(['${args_no_hyphens}'], VALUES), ['lr=0.5', 'nesterov=true', 'act=relu']);
    assert.equal(paramsJson(VALUES.params), '{"lr":0.5,"nesterov":true,"act":"relu"}');
    assert.deepEqual(expandCommand(['${args}'], { ...VALUES, params: {} }), [], 'no params: no words');
  });

  it('inside a word, ${args} joins the params with spaces', () => {
    assert.deepEqual(expandCommand(['x${args}', '${args_no_hyphens}!'], VALUES), ['x--lr=0.5 --nesterov=true --act=relu', 'lr=0.5 nesterov=true act=relu!']);
  });

  it('expands several macros in a word and leaves other text alone', () => {
    assert.deepEqual(expandCommand(['${program}:${start_epoch}:${checkpoint_dir}', 'plain', '$HOME', '{x}'], { ...VALUES, startEpoch: 12 }), [
      'train.py:12:/s/ck/trial-3',
      'plain',
      '$HOME',
      '{x}',
    ]);
    assert.deepEqual(expandCommand(['${start_epoch}', '${checkpoint_dir}'], VALUES), ['0', '/s/ck/trial-3'], 'epoch 0 outside pbt');
  });

  it('reads environment variables, empty when unset; a missing program is empty', () => {
    assert.deepEqual(expandCommand(['${envvar:DATA}/x', '${envvar:NOPE}', '${program}'], { ...VALUES, program: null }), ['/data/x', '', '']);
  });

  it('names the interpreter, env and the params file', () => {
    assert.deepEqual(expandCommand(['${env}', '${interpreter}', '${args_json_file}', '${args_json}'], VALUES), [
      '/usr/bin/env',
      'python3',
      '/tmp/t/params.json',
      '{"lr":0.5,"nesterov":true,"act":"relu"}',
    ]);
  });

  it('leaves an unknown macro as written', () => {
    assert.deepEqual(expandCommand(['${nope}', 'a${nope}b', '${}'], VALUES), ['${nope}', 'a${nope}b', '${}']);
  });
});
