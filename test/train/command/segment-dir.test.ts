// The folder `${checkpoint_dir}` names: a scratch folder, or method pbt's segment folder with its atomic commit.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { prepareSegmentDir } from '../../../src/train/command/segment-dir.js';

const root = mkdtempSync(join(tmpdir(), 'hps-segment-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('segment folder', () => {
  it('outside pbt is an empty checkpoint folder in the scratch folder, left as is', () => {
    const scratch = join(root, 'scratch');
    mkdirSync(scratch);
    const s = prepareSegmentDir(undefined, scratch);
    assert.equal(s.dir, join(scratch, 'checkpoint'));
    assert.deepEqual(readdirSync(s.dir), []);
    writeFileSync(join(s.dir, 'x'), 'x');
    s.commit();
    s.discard();
    assert.deepEqual(readdirSync(s.dir), ['x']);
  });

  it('starts empty without a donor, and becomes the checkpoint on commit, replacing an older one', () => {
    const to = join(root, 'a', 'ck', 'trial-1');
    mkdirSync(to, { recursive: true });
    writeFileSync(join(to, 'stale'), 'old');
    const s = prepareSegmentDir({ start_epoch: 0, from: null, to }, root);
    assert.equal(s.dir, `${to}.tmp-${process.pid}`);
    assert.deepEqual(readdirSync(s.dir), []);
    writeFileSync(join(s.dir, 'model.pt'), 'w');
    s.commit();
    assert.deepEqual(readdirSync(to), ['model.pt']);
    assert.equal(existsSync(s.dir), false);
    const first = join(root, 'a', 'ck', 'trial-2');
    const t = prepareSegmentDir({ start_epoch: 0, from: null, to: first }, root);
    t.commit();
    assert.deepEqual(readdirSync(first), [], 'the first checkpoint of a member');
  });

  it("copies the donor's checkpoint in, leaving the donor, and clears a leftover folder first", () => {
    const from = join(root, 'b', 'trial-0');
    mkdirSync(join(from, 'sub'), { recursive: true });
    writeFileSync(join(from, 'sub', 'model.pt'), 'donor');
    const to = join(root, 'b', 'new', 'trial-2');
    const leftover = `${to}.tmp-${process.pid}`;
    mkdirSync(leftover, { recursive: true });
    writeFileSync(join(leftover, 'half'), 'x');
    const s = prepareSegmentDir({ start_epoch: 4, from, to }, root);
    assert.deepEqual(readdirSync(s.dir), ['sub']);
    assert.equal(readFileSync(join(s.dir, 'sub', 'model.pt'), 'utf8'), 'donor');
    writeFileSync(join(s.dir, 'sub', 'model.pt'), 'mine');
    assert.equal(readFileSync(join(from, 'sub', 'model.pt'), 'utf8'), 'donor');
    s.discard();
    assert.equal(existsSync(s.dir), false);
    assert.equal(existsSync(to), false, 'a discarded segment leaves no checkpoint');
  });

  it('says when the donor checkpoint is missing', () => {
    const from = join(root, 'c', 'gone');
    assert.throws(() => prepareSegmentDir({ start_epoch: 2, from, to: join(root, 'c', 'to') }, root), {
      message: `the checkpoint ${from} is missing (was it removed by hand?)`,
    });
  });

  it('says which checkpoint could not be written', () => {
    // The parent of `to` is a file: the folder cannot be made.
    writeFileSync(join(root, 'file'), 'x');
    const to = join(root, 'file', 'trial-1');
    assert.throws(() => prepareSegmentDir({ start_epoch: 0, from: null, to }, root), (e: Error) => e.message.startsWith(`cannot write the checkpoint ${to}.tmp-${process.pid}: `));
    // Commit fails when `to` cannot be replaced: the segment folder goes, the error names `to`.
    const blocked = join(root, 'd', 'trial-1');
    const s = prepareSegmentDir({ start_epoch: 0, from: null, to: blocked }, root);
    rmSync(join(root, 'd'), { recursive: true });
    writeFileSync(join(root, 'd'), 'x');
    assert.throws(() => s.commit(), (e: Error) => e.message.startsWith(`cannot write the checkpoint ${blocked}: `));
    assert.equal(existsSync(s.dir), false);
  });

  it('removes a half-copied folder when the donor cannot be copied', () => {
    const from = join(root, 'e', 'trial-0');
    mkdirSync(from, { recursive: true });
    writeFileSync(join(from, 'model.pt'), 'w');
    execFileSync('mkfifo', [join(from, 'pipe')]);
    const to = join(root, 'e', 'trial-1');
    assert.throws(() => prepareSegmentDir({ start_epoch: 1, from, to }, root), (e: Error) => e.message.startsWith(`cannot write the checkpoint ${to}.tmp-${process.pid}: `));
    assert.deepEqual(readdirSync(join(root, 'e')), ['trial-0']);
  });
});
