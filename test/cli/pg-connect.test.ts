/**
 * What the CLI says when it cannot use a PostgreSQL server: a missing or wrong password and
 * TLS the server does not speak exit 4 at once, naming the fix, without a stack trace; a
 * server that does not answer is retried, and the CLI says so and for how long. Also: no
 * driver warnings, and a 10 000-character categorical value costs a trial nothing.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixturesDir, json, runCli, tempDir, type TrialJson } from '../helpers.js';
import { dropCreated, freshDatabaseUrl, pgSkip, pgUrl } from '../store/pg-helpers.js';
import { startCli } from '../study/live-cli.js';

const skip = await pgSkip();
after(dropCreated);
const dir = tempDir('hpsearch-pgconnect-');
/** No password from the environment or a ~/.pgpass. */
const noPassword = { PGPASSWORD: undefined, PGPASSFILE: join(dir, 'no-pgpass') };

async function refusedAtOnce(url: string, message: RegExp): Promise<void> {
  const started = Date.now();
  const res = await runCli(['studies', '--storage', url], { env: noPassword });
  assert.equal(res.code, 4, res.stderr);
  assert.match(res.stderr, message);
  assert.doesNotMatch(res.stderr, /unexpected error|\n\s+at /, 'no stack trace');
  assert.ok(Date.now() - started < 10_000, `refused after ${Date.now() - started} ms: not retried`);
}

describe('the CLI and PostgreSQL connection errors', { skip }, () => {
  const withPassword = (password: string | null): string => {
    const u = new URL(pgUrl());
    u.password = password ?? '';
    return u.toString();
  };

  it('no password for a server that asks for one: exit 4 at once, saying where a password goes', async () => {
    await refusedAtOnce(withPassword(null), /the server asks for a password and none was given: put it in the URL .*\$PGPASSWORD or ~\/\.pgpass/);
  });

  it('a wrong password: exit 4 at once, naming it', async () => {
    await refusedAtOnce(withPassword('not-the-password'), /password authentication failed for user "hpsearch": check the user name and the password/);
  });

  it('sslmode=require against a server without TLS: exit 4 at once, naming the modes that work', async () => {
    await refusedAtOnce(`${pgUrl()}?sslmode=require`, /does not accept TLS connections \(sslmode=require\): .*sslmode=prefer .*sslmode=disable/);
  });

  it('a server that does not answer: the CLI says it is retrying, and for how long', async () => {
    const cli = startCli(['studies', '--storage', 'postgresql://hpsearch@127.0.0.1:1/postgres']);
    try {
      await cli.waitFor(/hpsearch: cannot reach postgresql:\/\/hpsearch@127\.0\.0\.1:1\/postgres \(connect ECONNREFUSED .*\): retrying for up to 60 s/);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('a 10 000-character categorical value: trials as fast as with a short one, stored literally, no driver warnings', async () => {
    const url = await freshDatabaseUrl();
    const long = 'x'.repeat(9_999) + 'y';
    const path = join(dir, 'long.yaml');
    writeFileSync(
      path,
      [
        'name: long',
        'seed: 3',
        'method: grid',
        'metric: { name: val_accuracy, goal: maximize }',
        'trainer: module',
        `module: ${join(fixturesDir, 'objectives', 'sleepy.js')}`,
        'train: { epochs: 2, sleep_ms: 1 }',
        'parameters:',
        "  lr: { values: [0.01] }",
        `  tag: { values: ["${long}", "b", "c", "d", "e", "f"] }`,
      ].join('\n'),
    );
    const started = Date.now();
    const run = await runCli(['run', path, '--storage', url, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(Date.now() - started < 30_000, `6 trials took ${Date.now() - started} ms`);
    assert.doesNotMatch(run.stderr, /Warning/);
    const trials = await runCli(['trials', '--storage', url, '--json']);
    assert.equal(trials.code, 0, trials.stderr);
    assert.doesNotMatch(trials.stderr, /Warning/);
    const tags = json<TrialJson[]>(trials.stdout).map((t) => t.params['tag']);
    assert.equal(tags.length, 6);
    assert.ok(tags.includes(long), 'the long value stored whole');
  });
});
