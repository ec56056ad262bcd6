/**
 * The CLI against a PostgreSQL URL: the query commands, `copy` there and back, and `worker`
 * joining from the stored spec. Skipped (saying so) without a server.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixturesDir, runCli, tempDir } from '../helpers.js';
import { dropCreated, freshDatabaseUrl, pgSkip, pgUrl } from '../store/pg-helpers.js';

const skip = await pgSkip();
after(dropCreated);

interface BestRow {
  number: number;
  value: number;
  params: Record<string, unknown>;
  attrs: Record<string, unknown>;
}

async function bestOf(storage: string): Promise<(Pick<BestRow, 'number' | 'value' | 'params'> & { verdict: unknown })[]> {
  const res = await runCli(['best', '--storage', storage, '--top', '3', '--json']);
  assert.equal(res.code, 0, res.stderr);
  return (JSON.parse(res.stdout) as BestRow[]).map((t) => ({ number: t.number, value: t.value, params: t.params, verdict: t.attrs['verdict'] }));
}

describe('the CLI against PostgreSQL', { skip }, () => {
  let url = '';
  const dir = tempDir('hpsearch-pgcli-');
  const secret = skip === false ? new URL(pgUrl()).password : '';
  before(async () => {
    url = await freshDatabaseUrl();
    const run = await runCli(['run', join(fixturesDir, 'cli', 'bowl.yaml'), '--storage', url, '--run-cap', '10', '--quiet']);
    assert.equal(run.code, 0, run.stderr);
  });

  it('studies, trials, show, diagnose and check read the study; the password never shows', async () => {
    const studies = await runCli(['studies', '--storage', url, '--json']);
    assert.equal(studies.code, 0, studies.stderr);
    const [study] = JSON.parse(studies.stdout) as { name: string; counts: { complete: number } }[];
    assert.equal(study?.name, 'bowl');
    assert.equal(study?.counts.complete, 10);
    const trials = await runCli(['trials', '--storage', url, '--json']);
    assert.equal((JSON.parse(trials.stdout) as unknown[]).length, 10);
    const show = await runCli(['show', '3', '--storage', url]);
    assert.match(show.stdout + show.stderr, /trial 3 of study bowl: complete/);
    const diagnose = await runCli(['diagnose', '--storage', url, '--json']);
    assert.equal(diagnose.code, 0, diagnose.stderr);
    const check = await runCli(['check', '--storage', url, '--require', 'val_accuracy>=0']);
    assert.equal(check.code, 0, check.stderr);
    const unknown = await runCli(['trials', '--storage', url, '--study', 'nope']);
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /no study 'nope' in postgresql:\/\/hpsearch:\*\*\*@/);
    for (const r of [studies, trials, show, diagnose, check, unknown]) assert.ok(!(r.stdout + r.stderr).includes(secret));
  });

  it('copy to SQLite and back: best gives the same answer', async () => {
    const want = await bestOf(url);
    const db = join(dir, 'copy.db');
    const there = await runCli(['copy', '--from', url, '--to', db]);
    assert.equal(there.code, 0, there.stderr);
    assert.match(there.stderr, /copied study bowl: 10 trials, 50 epochs/);
    assert.deepEqual(await bestOf(db), want);
    const listed = await Promise.all([url, db].map((s) => runCli(['trials', '--storage', s, '--json'])));
    assert.equal(listed[1]?.stdout, listed[0]?.stdout, 'the copy has the same trials, times and attempts too');
    const back = await freshDatabaseUrl();
    const home = await runCli(['copy', '--from', db, '--to', back, '--study', 'bowl', '--json']);
    assert.equal(home.code, 0, home.stderr);
    assert.deepEqual(JSON.parse(home.stdout), [{ study: 'bowl', trials: 10, epochs: 50 }]);
    assert.deepEqual(await bestOf(back), want);
    const again = await runCli(['copy', '--from', db, '--to', back]);
    assert.equal(again.code, 4);
    assert.match(again.stderr, /a study named "bowl" already exists/);
  });

  it('worker joins from the stored spec; --data-root maps its relative paths', async () => {
    const unknown = await runCli(['worker', '--storage', url, '--study', 'nope']);
    assert.equal(unknown.code, 3, unknown.stderr);
    // The spec's module is ../objectives/bowl.js: elsewhere, that is <root>/../objectives/.
    const moved = join(dir, 'moved');
    mkdirSync(join(moved, 'cli'), { recursive: true });
    cpSync(join(fixturesDir, 'objectives'), join(moved, 'objectives'), { recursive: true });
    const lost = await runCli(['worker', '--storage', url, '--study', 'bowl', '--data-root', dir]);
    assert.equal(lost.code, 2, lost.stderr);
    assert.match(lost.stderr, /stored spec does not hold on this machine.*--data-root/s);
    // Without --study: the only study in the storage.
    const joined = await runCli(['worker', '--storage', url, '--data-root', join(moved, 'cli'), '--slots', '1', '--max-trials', '2', '--json']);
    assert.equal(joined.code, 0, joined.stderr);
    const summary = JSON.parse(joined.stdout) as { ran: number; counts: { complete: number } };
    assert.equal(summary.ran, 2);
    assert.equal(summary.counts.complete, 12);
  });
});
