// A command trial's `artifacts:` copied beside the study, and the folders it may not replace.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { artifactPattern, keepArtifacts } from '../../../src/train/command/artifacts.js';

const root = mkdtempSync(join(tmpdir(), 'hps-artifacts-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A work folder with these files (path → content). */
function work(name: string, files: Record<string, string>): string {
  const cwd = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), content);
  }
  return cwd;
}

const TRIAL = { study: 's', trial: 3, params: { lr: 0.5 } };

describe('artifacts', () => {
  it('puts the trial number in the pattern', () => {
    assert.equal(artifactPattern('out/${trial}/model-${trial}.pt', 12), 'out/12/model-12.pt');
    assert.equal(artifactPattern('out/*.pt', 12), 'out/*.pt');
  });

  it("copies the trial's matching files, dotfiles and folders' contents included, with hpsearch.json", () => {
    const cwd = work('copy', { 'out/3/model.pt': 'w3', 'out/3/.cfg': 'c', 'out/3/sub/x.txt': 'x', 'out/4/model.pt': 'w4', 'log.txt': 'l' });
    const dir = join(root, 'kept', 'copy', 'trial-3');
    assert.equal(keepArtifacts({ dir, name: 'trial-3' }, cwd, 'out/${trial}', TRIAL), 3);
    assert.equal(readFileSync(join(dir, 'artifacts', 'out/3/model.pt'), 'utf8'), 'w3');
    assert.equal(readFileSync(join(dir, 'artifacts', 'out/3/.cfg'), 'utf8'), 'c');
    assert.equal(readFileSync(join(dir, 'artifacts', 'out/3/sub/x.txt'), 'utf8'), 'x');
    assert.equal(existsSync(join(dir, 'artifacts', 'out/4')), false);
    const text = readFileSync(join(dir, 'hpsearch.json'), 'utf8');
    assert.ok(text.endsWith('}\n'), 'a text file: ends with a newline');
    const meta = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual({ ...meta, artifacts: (meta['artifacts'] as string[]).sort() }, {
      format: 'hpsearch-kept-model',
      study: 's',
      trial: 3,
      params: { lr: 0.5 },
      artifacts: ['out/3/.cfg', 'out/3/model.pt', 'out/3/sub/x.txt'],
    });
    assert.equal(readFileSync(join(cwd, 'out/3/model.pt'), 'utf8'), 'w3', 'the originals stay');
    assert.deepEqual(readdirSync(dirname(dir)), ['trial-3'], 'no temporary folder left');
  });

  it('makes nothing when no file matches', () => {
    const cwd = work('none', { 'a.txt': 'a' });
    const dir = join(root, 'kept', 'none', 'trial-3');
    assert.equal(keepArtifacts({ dir, name: 'trial-3' }, cwd, '*.pt', TRIAL), 0);
    assert.equal(existsSync(dirname(dir)), false);
  });

  it('replaces a folder it kept before, never one it did not make', () => {
    const cwd = work('again', { 'm.pt': 'new' });
    const dir = join(root, 'kept', 'again', 'trial-3');
    mkdirSync(join(dir, 'artifacts'), { recursive: true });
    writeFileSync(join(dir, 'artifacts', 'old.pt'), 'old');
    writeFileSync(join(dir, 'hpsearch.json'), JSON.stringify({ format: 'hpsearch-kept-model' }));
    assert.equal(keepArtifacts({ dir, name: 'trial-3' }, cwd, '*.pt', TRIAL), 1);
    assert.deepEqual(readdirSync(join(dir, 'artifacts')), ['m.pt']);

    const mine = join(root, 'kept', 'again', 'user');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'mine');
    assert.throws(() => keepArtifacts({ dir: mine, name: 'user' }, cwd, '*.pt', TRIAL));
    assert.deepEqual(readdirSync(mine), ['notes.txt']);
    assert.equal(readFileSync(join(mine, 'notes.txt'), 'utf8'), 'mine');
    assert.deepEqual(readdirSync(dirname(mine)).sort(), ['trial-3', 'user'], 'the temporary folder is removed');
  });
});
