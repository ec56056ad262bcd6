import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SpecError } from '../../src/core/errors.js';
import { parseSpec } from '../../src/spec/index.js';
import { tempDir } from '../helpers.js';

function specIn(train: string, parameters = ''): { text: string; file: string; dir: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'net.js'), 'export function build() {}\n');
  const text = `run_cap: 1\ndata: { source: synthetic, kind: blobs }\ntrain:\n${train}\n${parameters}`;
  return { text, file: join(dir, 'spec.yaml'), dir };
}

describe('spec: train.model as a file', () => {
  it('resolves the path against the spec directory and takes names of the model\'s own', () => {
    const s = specIn('  model: ./sub/net.js\n  width: 8', 'parameters:\n  depth: { values: [1, 2] }\n');
    const spec = parseSpec(s.text, s.file);
    assert.equal(spec.user_model, join(s.dir, 'sub', 'net.js'));
    assert.deepEqual(spec.train, { width: 8 });
    assert.ok('depth' in spec.parameters);
  });

  it('still checks the knobs, and a built-in model name stays a knob', () => {
    const s = specIn('  model: ./sub/net.js\n  learning_rate: -1');
    assert.throws(() => parseSpec(s.text, s.file), (e: unknown) => e instanceof SpecError && /spec\.yaml:5:\d+: train\.learning_rate/.test(e.message));
    const plain = specIn('  model: cnn\n  width: 8');
    assert.throws(() => parseSpec(plain.text, plain.file), (e: unknown) => e instanceof SpecError && /unknown training knob `width`/.test(e.message));
    assert.equal(parseSpec(specIn('  model: mlp').text, plain.file).user_model, undefined);
  });

  it('a missing file is an error at train.model', () => {
    const s = specIn('  model: ./sub/other.js');
    assert.throws(() => parseSpec(s.text, s.file), (e: unknown) => e instanceof SpecError && /spec\.yaml:4:\d+: train\.model: file not found: .*other\.js/.test(e.message));
  });
});
