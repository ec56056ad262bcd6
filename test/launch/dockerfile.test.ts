import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers.js';

// docker build cannot run in the test environment: this checks what it can without it.
describe('the Dockerfile of the image hpsearch k8s expects', () => {
  const text = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((l) => !l.trim().startsWith('#'));

  it('copies only files that exist, installs the locked tree and builds it, on Node 20', () => {
    assert.match(text, /^FROM node:20[-\w.]*$/m);
    const copies = lines.filter((l) => l.startsWith('COPY '));
    assert.ok(copies.length > 0);
    for (const line of copies) {
      const words = line.split(/\s+/).slice(1, -1).filter((w) => !w.startsWith('--'));
      for (const source of words) assert.ok(existsSync(join(repoRoot, source)), `${line}: ${source} does not exist`);
    }
    assert.match(text, /npm ci\b/);
    assert.match(text, /npm run build\b/);
  });

  it('has hpsearch as its entrypoint, the launcher the image copies', () => {
    const entry = lines.find((l) => l.startsWith('ENTRYPOINT '));
    assert.ok(entry !== undefined);
    const argv = JSON.parse(entry.slice('ENTRYPOINT '.length)) as string[];
    assert.equal(argv[0], 'node');
    assert.equal(argv[1], '/opt/hpsearch/bin/hpsearch.js');
    assert.ok(existsSync(join(repoRoot, 'bin', 'hpsearch.js')));
    assert.match(text, /^WORKDIR \/opt\/hpsearch$/m);
    assert.match(text, /^COPY bin \.\/bin$/m);
  });
});
