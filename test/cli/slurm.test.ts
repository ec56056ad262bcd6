/**
 * `hpsearch slurm` without a real Slurm: the dry run's script, the refusals (a bad spec, a
 * SQLite storage, no sbatch) that leave nothing behind, and a submission to a stand-in
 * sbatch that records what it was given. The real daemon's tests are in slurm-real.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cliPath, json, runCli } from '../helpers.js';
import { dropCreated, freshDatabaseUrl, pgSkip } from '../store/pg-helpers.js';
import { fakeSbatch, studyDir } from './slurm-helpers.js';

after(dropCreated);

const studies = async (url: string): Promise<string[]> => {
  const r = await runCli(['studies', '--storage', url, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return json<{ name: string }[]>(r.stdout).map((s) => s.name);
};

describe('hpsearch slurm', () => {
  it('--dry-run prints the job array script (this node, this checkout) and creates and submits nothing', async () => {
    const { dir, spec } = studyDir('dry');
    const sbatch = fakeSbatch(dir);
    // A server nobody listens on: a dry run must not even connect.
    const url = 'postgresql://hp:s3cret-pw@127.0.0.1:9/none';
    const r = await runCli(['slurm', spec, '--storage', url, '--workers', '3', '--partition', 'short', '--time', '00:30:00', '--gpus-per-worker', '2', '--sbatch-arg=--account=lab', '--dry-run'], {
      cwd: dir,
      env: { PATH: `${sbatch.bin}:${process.env['PATH'] ?? ''}` },
    });
    assert.equal(r.code, 0, r.stderr);
    for (const line of ['#SBATCH --array=0-2', '#SBATCH --partition=short', '#SBATCH --time=00:30:00', '#SBATCH --gres=gpu:2', '#SBATCH --requeue', '#SBATCH --account=lab', `#SBATCH --chdir=${dir}`]) {
      assert.ok(r.stdout.includes(`${line}\n`), `${line} missing from:\n${r.stdout}`);
    }
    assert.ok(r.stdout.includes(`exec ${process.execPath} ${cliPath} worker --study dry --slots 2 --storage "$HPSEARCH_STORAGE"`), r.stdout);
    assert.ok(!r.stdout.includes('s3cret') && !r.stderr.includes('s3cret'), 'the storage URL stays out of the script');
    assert.match(r.stderr, /nothing created or submitted/);
    assert.equal(sbatch.called(), false);
    assert.equal(existsSync(join(dir, 'runs')), false);
  });

  it('refuses a bad spec and a SQLite storage (exit 2) before anything is created or submitted', async () => {
    const { dir, spec } = studyDir('refused');
    const sbatch = fakeSbatch(dir);
    const env = { PATH: `${sbatch.bin}:${process.env['PATH'] ?? ''}` };
    const db = join(dir, 'local.db');
    const sqlite = await runCli(['slurm', spec, '--storage', db, '--workers', '2'], { cwd: dir, env });
    assert.equal(sqlite.code, 2, sqlite.stderr);
    assert.match(sqlite.stderr, /local\.db is a SQLite file, which is not safe for workers on several machines.*postgresql:\/\//);
    assert.equal(existsSync(db), false);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nmetric: { name: val_accuracy }\nrun_capp: 3\ntrainer: module\nmodule: x.js\nparameters:\n  lr: { values: [1] }\n');
    const spec2 = await runCli(['slurm', bad, '--storage', 'postgresql://hp@127.0.0.1:9/none', '--workers', '2'], { cwd: dir, env });
    assert.equal(spec2.code, 2, spec2.stderr);
    assert.match(spec2.stderr, /bad\.yaml:3:1: run_capp/);
    const workers = await runCli(['slurm', spec, '--storage', 'postgresql://hp@127.0.0.1:9/none'], { cwd: dir, env });
    assert.equal(workers.code, 2);
    assert.match(workers.stderr, /--workers must be a whole number ≥ 1/);
    assert.equal(sbatch.called(), false);
  });

  it('without sbatch exits 4 naming it, and creates no study', async (t) => {
    const skip = await pgSkip();
    if (skip !== false) return t.skip(skip);
    const url = await freshDatabaseUrl();
    const { dir, spec } = studyDir('nosbatch');
    const r = await runCli(['slurm', spec, '--storage', url, '--workers', '2'], { cwd: dir, env: { PATH: '/nonexistent' } });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /sbatch not found on PATH: hpsearch slurm needs Slurm's client commands/);
    assert.deepEqual(await studies(url).catch(() => []), []);
    assert.equal(existsSync(join(dir, 'runs')), false);
  });

  it('creates the study as run does, hands sbatch the script on stdin and the URL in its environment, prints the job id', async (t) => {
    const skip = await pgSkip();
    if (skip !== false) return t.skip(skip);
    const url = await freshDatabaseUrl();
    const { dir, spec } = studyDir('submitted');
    const sbatch = fakeSbatch(dir);
    const r = await runCli(['slurm', spec, '--storage', url, '--workers', '2', '--slots', '2', '--stale-after', '30'], { cwd: dir, env: { PATH: `${sbatch.bin}:${process.env['PATH'] ?? ''}` } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '4242\n');
    assert.match(r.stderr, /submitted job array 4242: 2 workers on new study submitted/);
    assert.deepEqual(await studies(url), ['submitted']);
    assert.equal(sbatch.storage(), url);
    assert.match(sbatch.script(), /#SBATCH --array=0-1\n/);
    assert.match(sbatch.script(), / worker --study submitted --slots 2 --stale-after 30 --storage "\$HPSEARCH_STORAGE"\n/);
    assert.ok(!sbatch.script().includes(url));
    assert.equal(existsSync(join(dir, 'runs', 'slurm')), true, 'the log folder exists before the tasks start');
    assert.equal(readFileSync(join(dir, 'runs', 'slurm', 'hpsearch-submitted-4242.sbatch'), 'utf8'), sbatch.script(), 'the script is kept beside the logs');
  });

  it('--json prints the job id, study, script path and log folder, and no password', async (t) => {
    const skip = await pgSkip();
    if (skip !== false) return t.skip(skip);
    const url = await freshDatabaseUrl();
    const { dir, spec } = studyDir('as-json');
    const sbatch = fakeSbatch(dir);
    const r = await runCli(['slurm', spec, '--storage', url, '--workers', '3', '--json'], { cwd: dir, env: { PATH: `${sbatch.bin}:${process.env['PATH'] ?? ''}` } });
    assert.equal(r.code, 0, r.stderr);
    const got = json<Record<string, unknown>>(r.stdout);
    const script = join(dir, 'runs', 'slurm', 'hpsearch-as-json-4242.sbatch');
    assert.deepEqual(got, { job: '4242', study: 'as-json', resumed: false, workers: 3, storage: got['storage'], script, logs: join(dir, 'runs', 'slurm') });
    assert.ok(!String(got['storage']).includes('hpsearch-test-secret'), String(got['storage']));
    assert.equal(readFileSync(script, 'utf8'), sbatch.script());
  });
});
