import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { parse } from 'yaml';
import { json, runCli } from '../helpers.js';
import { dropCreated, freshDatabaseUrl, pgSkip } from '../store/pg-helpers.js';
import { studyDir } from './slurm-helpers.js';

after(dropCreated);

describe('hpsearch k8s', () => {
  it('creates the study and prints a valid indexed Job for kubectl apply -f -, the URL only in the Secret command', async (t) => {
    const skip = await pgSkip();
    if (skip !== false) return t.skip(skip);
    const url = await freshDatabaseUrl();
    const { dir, spec } = studyDir('pods');
    const r = await runCli(['k8s', spec, '--storage', url, '--workers', '4', '--image', 'registry.example.org/hpsearch:0.1.0', '--gpus-per-worker', '1', '--namespace', 'ml'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const manifest = parse(r.stdout) as ConstructorParameters<typeof Job>[0];
    new Job(manifest).validate();
    assert.equal(manifest?.spec?.completionMode, 'Indexed');
    assert.equal(manifest?.spec?.parallelism, 4);
    const password = new URL(url).password;
    assert.ok(password !== '' && !r.stdout.includes(password) && !r.stdout.includes(new URL(url).host), 'no part of the storage URL in the manifest');
    assert.match(r.stderr, /kubectl create secret generic hpsearch-pods-storage --namespace ml '--from-literal=storage=postgresql:\/\/hpsearch:\*\*\*@/);
    assert.ok(!r.stderr.includes(password));
    const studies = await runCli(['studies', '--storage', url, '--json']);
    assert.deepEqual(json<{ name: string }[]>(studies.stdout).map((s) => s.name), ['pods']);
  });

  it('--json: the Job name, study, Secret and its command (password masked), and the manifest kubectl applies', async (t) => {
    const skip = await pgSkip();
    if (skip !== false) return t.skip(skip);
    const url = await freshDatabaseUrl();
    const { dir, spec } = studyDir('pods-json');
    const r = await runCli(['k8s', spec, '--storage', url, '--workers', '2', '--image', 'hpsearch:test', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const got = json<{ job: string; study: string; resumed: boolean; workers: number; secret: string; secretCommand: string; manifest: ConstructorParameters<typeof Job>[0] }>(r.stdout);
    new Job(got.manifest).validate();
    assert.equal(got.job, got.manifest?.metadata?.name);
    assert.deepEqual([got.study, got.resumed, got.workers, got.secret], ['pods-json', false, 2, 'hpsearch-pods-json-storage']);
    assert.match(got.secretCommand, /^kubectl create secret generic hpsearch-pods-json-storage '--from-literal=storage=postgresql:\/\/hpsearch:\*\*\*@/);
    assert.ok(!r.stdout.includes(new URL(url).password));
  });

  it('refuses a missing --image and a SQLite storage (exit 2) with nothing created', async () => {
    const { dir, spec } = studyDir('pods-bad');
    const noImage = await runCli(['k8s', spec, '--storage', 'postgresql://hp@127.0.0.1:9/x', '--workers', '2'], { cwd: dir });
    assert.equal(noImage.code, 2);
    assert.match(noImage.stderr, /--image must name the hpsearch image/);
    const sqlite = await runCli(['k8s', spec, '--storage', 'runs/x.db', '--workers', '2', '--image', 'i'], { cwd: dir });
    assert.equal(sqlite.code, 2);
    assert.match(sqlite.stderr, /hpsearch k8s: runs\/x\.db is a SQLite file/);
  });
});
