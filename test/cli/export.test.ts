import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { rankByValue } from '../../src/core/types.js';
import { openStorage } from '../../src/store/open.js';
import { runCli, tempDir } from '../helpers.js';
import { syntheticTrial, writeSyntheticStudy } from '../report/synthetic.js';

const PYTHON = process.env['HPSEARCH_TEST_OPTUNA_PYTHON'] ?? '/usr/bin/python3';
const hasOptuna = spawnSync(PYTHON, ['-c', 'import optuna'], { encoding: 'utf8' }).status === 0;
const skipWithoutOptuna = hasOptuna ? false : `python3-optuna is not installed for ${PYTHON} (apt-get install python3-optuna, or set HPSEARCH_TEST_OPTUNA_PYTHON)`;

const dir = tempDir('hpsearch-export-');
const db = join(dir, 'study.db');
const TRIALS = 30;

/** What Optuna itself reads from the exported file. */
const LOAD = `
import json, math, sys, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
s = optuna.load_study(study_name="synthetic", storage="sqlite:///" + sys.argv[1])
b = s.best_trial
clean = lambda v: None if isinstance(v, float) and math.isnan(v) else v
print(json.dumps({
  "direction": s.direction.name, "best": b.number, "value": b.value, "params": b.params,
  "intermediate": {str(k): clean(v) for k, v in b.intermediate_values.items()},
  "states": [t.state.name for t in s.trials], "verdict": b.user_attrs.get("verdict"),
  "last_val_loss": b.user_attrs.get("val_loss"), "hpsearch_states": [t.user_attrs.get("hpsearch_state") for t in s.trials],
  "all_params": [t.params for t in s.trials],
  "distribution": type(b.distributions["learning_rate"]).__name__, "log": b.distributions["learning_rate"].log,
}))
`;

describe('hpsearch export', () => {
  before(async () => {
    const storage = await openStorage(db);
    await writeSyntheticStudy(storage, TRIALS);
    await storage.close();
  });

  it('--format optuna: optuna.load_study finds the same best trial, params and intermediate values', { skip: skipWithoutOptuna }, async () => {
    const out = join(dir, 'optuna.db');
    const res = await runCli(['export', '--storage', db, '--format', 'optuna', '--out', out]);
    assert.equal(res.code, 0, res.stderr);
    const py = spawnSync(PYTHON, ['-c', LOAD, out], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const got = JSON.parse(py.stdout) as Record<string, unknown>;
    const trials = Array.from({ length: TRIALS }, (_, i) => syntheticTrial(i, 20, 2, TRIALS));
    const best = rankByValue(trials.filter((t) => t.state === 'complete'), 'maximize')[0];
    assert.ok(best !== undefined);
    assert.equal(got['direction'], 'MAXIMIZE');
    assert.equal(got['best'], best.number);
    assert.equal(got['value'], best.value);
    assert.deepEqual(got['params'], best.params);
    assert.deepEqual(got['intermediate'], Object.fromEntries(best.epochs.map((e) => [String(e.epoch), e.metrics['val_accuracy']])));
    assert.deepEqual(got['all_params'], trials.map((t) => t.params), 'every trial keeps its parameters, categoricals included');
    assert.equal(got['last_val_loss'], best.epochs.at(-1)?.metrics['val_loss']);
    assert.equal(typeof got['verdict'], 'string');
    assert.equal(got['distribution'], 'FloatDistribution');
    assert.equal(got['log'], true);
    const expected = trials.map((t) => ({ complete: 'COMPLETE', pruned: 'PRUNED' })[t.state as 'complete'] ?? 'FAIL');
    assert.deepEqual(got['states'], expected);
    assert.deepEqual(got['hpsearch_states'], trials.map((t) => t.state));
    const again = await runCli(['export', '--storage', db, '--format', 'optuna', '--out', out]);
    assert.equal(again.code, 2, 'an existing file is never overwritten');
    assert.match(again.stderr, /exists/);
  });

  it('--format csv: one row per trial, each parameter a column', async () => {
    const res = await runCli(['export', '--storage', db, '--format', 'csv']);
    assert.equal(res.code, 0, res.stderr);
    const rows = parse<Record<string, string>>(res.stdout, { columns: true });
    assert.equal(rows.length, TRIALS);
    const first = syntheticTrial(0, 20, 2, TRIALS);
    assert.equal(Number(rows[0]?.['learning_rate']), first.params['learning_rate']);
    assert.equal(rows[0]?.['optimizer'], first.params['optimizer']);
    assert.equal(Number(rows[0]?.['last_val_loss']), first.epochs.at(-1)?.metrics['val_loss']);
    assert.equal(rows.filter((r) => r['state'] === 'diverged').length, 3);
  });

  it('--format json: the study and every trial with its epochs, to a new file only', async () => {
    const out = join(dir, 'study.json');
    const res = await runCli(['export', '--storage', db, '--format', 'json', '--out', out]);
    assert.equal(res.code, 0, res.stderr);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { study: { name: string }; trials: { number: number; epochs: unknown[] }[] };
    assert.equal(json.study.name, 'synthetic');
    assert.equal(json.trials.length, TRIALS);
    assert.equal(json.trials[0]?.epochs.length, 20);
    const mine = join(dir, 'mine.json');
    writeFileSync(mine, 'keep me');
    assert.equal((await runCli(['export', '--storage', db, '--format', 'json', '--out', mine])).code, 2);
    assert.equal(readFileSync(mine, 'utf8'), 'keep me');
  });
});
