/** The journal's format versions: what a finish with epochs writes in a new journal and in one an older hpsearch made. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { StorageError } from '../../src/core/errors.js';
import { openStorage } from '../../src/store/open.js';
import { tempDir } from '../helpers.js';
import { newStudy, newTrial } from './fixtures.js';

const dir = tempDir('hpsearch-journal-format-');
let counter = 0;
function freshPath(): string {
  const path = join(dir, `j-${counter++}`, 'study.log');
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

type Line = { op?: string; version?: number; finish?: { epochs?: unknown[] }; epochs?: unknown[] };
const lines = (path: string): Line[] => readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Line);

const EPOCHS = [{ epoch: 0, metrics: { val_loss: 0.5 } }, { epoch: 1, metrics: { val_loss: Number.POSITIVE_INFINITY } }];

/** Runs trial 0 of a new study on the journal at `path` to a finish carrying EPOCHS; returns the epochs read back by a second open. */
async function finishWithEpochs(path: string): Promise<unknown> {
  const s = await openStorage(`journal:${path}`);
  try {
    const st = await s.createStudy(newStudy('a'));
    await s.createTrial(st.id, { cap: null, worker: 'w', build: newTrial });
    await s.finishTrial(st.id, 0, { state: 'complete', value: 0.5, error: null, epochs: EPOCHS }, { worker: 'w', attempt: 1 });
  } finally {
    await s.close();
  }
  const reader = await openStorage(`journal:${path}`, { readOnly: true });
  try {
    const st = (await reader.getStudy('a'))!;
    assert.equal((await reader.getTrial(st.id, 0))?.state, 'complete');
    return await reader.getEpochs(st.id, 0);
  } finally {
    await reader.close();
  }
}

describe('journal format versions', () => {
  it('a new journal is version 2, and a finish carries its epochs in its own line: one line a trial end', async () => {
    const path = freshPath();
    assert.deepEqual(await finishWithEpochs(path), EPOCHS);
    const [header, ...ops] = lines(path);
    assert.equal(header?.version, 2);
    assert.deepEqual(ops.map((l) => l.op), ['createStudy', 'createTrial', 'finishTrial']);
    assert.equal(ops[2]?.finish?.epochs?.length, 2);
  });

  it('a version-1 journal (an older hpsearch made it) gets the epochs in a line of their own, so its readers lose none', async () => {
    const path = freshPath();
    writeFileSync(path, `${JSON.stringify({ format: 'hpsearch-journal', version: 1, created: '2026-11-01T00:00:00.000Z' })}\n`);
    assert.deepEqual(await finishWithEpochs(path), EPOCHS);
    const [header, ...ops] = lines(path);
    assert.equal(header?.version, 1, 'the header is left as it was');
    assert.deepEqual(ops.map((l) => l.op), ['createStudy', 'createTrial', 'appendEpochs', 'finishTrial']);
    assert.equal(ops[2]?.epochs?.length, 2);
    assert.equal(ops[3]?.finish?.epochs, undefined);
  });

  it('a journal of a newer version is refused, naming the versions', async () => {
    const path = freshPath();
    writeFileSync(path, `${JSON.stringify({ format: 'hpsearch-journal', version: 3, created: '2027-01-01T00:00:00.000Z' })}\n`);
    await assert.rejects(openStorage(`journal:${path}`), (e: unknown) => e instanceof StorageError && /version 3 is newer than this hpsearch reads \(2\)/.test(e.message));
  });
});
