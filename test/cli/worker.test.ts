import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturesDir, json, runCli, tempDir } from '../helpers.js';

describe('hpsearch worker', () => {
  it('joins the only study when --study is left out, and asks for one among several (exit 2)', async () => {
    const db = join(tempDir(), 'w.db');
    const bowl = join(fixturesDir, 'cli', 'bowl.yaml');
    assert.equal((await runCli(['run', bowl, '--storage', db, '--run-cap', '2', '--quiet'])).code, 0);
    const joined = await runCli(['worker', '--storage', db, '--slots', '1', '--max-trials', '1', '--json']);
    assert.equal(joined.code, 0, joined.stderr);
    const body = json<{ study: string; ran: number }>(joined.stdout);
    assert.equal(body.study, 'bowl');
    assert.equal(body.ran, 1);
    assert.equal((await runCli(['run', bowl, '--storage', db, '--study', 'other', '--run-cap', '1', '--quiet'])).code, 0);
    const which = await runCli(['worker', '--storage', db, '--max-trials', '1']);
    assert.equal(which.code, 2, which.stderr);
    assert.match(which.stderr, /holds 2 studies: name one with --study \(bowl, other\)/);
  });
});
