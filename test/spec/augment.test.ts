import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpecError } from '../../src/core/errors.js';
import { parseSpec } from '../../src/spec/index.js';

function issuesOf(text: string): string[] {
  try {
    parseSpec(text, '/tmp/spec.yaml');
  } catch (error) {
    if (error instanceof SpecError) return error.issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

const spec = (train: string, parameters = '', data = '{ source: mnist, samples: 100 }'): string =>
  `name: a\nrun_cap: 2\ndata: ${data}\ntrain:\n  model: cnn\n${train}parameters:\n  learning_rate: { value: 0.01 }\n${parameters}`;

describe('train.augment in the spec', () => {
  it('reads each key as the knob augment.<key>, searchable by that name', () => {
    const s = parseSpec(spec('  augment: { shift: 2, flip: horizontal }\n', '  augment.rotate: { values: [0, 10, 20] }\n'), '/tmp/spec.yaml');
    assert.deepEqual(s.train, { model: 'cnn', 'augment.shift': 2, 'augment.flip': 'horizontal' });
    assert.deepEqual(s.parameters['augment.rotate'], { type: 'categorical', values: [0, 10, 20] });
  });

  it('names the field of an unknown key or a value out of range', () => {
    const issues = issuesOf(spec('  augment: { roate: 10, zoom: 1.5 }\n'));
    assert.equal(issues.length, 2, issues.join('\n'));
    assert.match(issues[0]!, /^6:14 train\.augment\.roate: unknown augmentation `roate`; did you mean `rotate`\?/);
    assert.match(issues[1]!, /^6:31 train\.augment\.zoom: augment\.zoom must be in \[0, 1\), got 1\.5/);
    assert.match(issuesOf(spec('', '  augment.flip: { values: [none, vertical] }\n')).join('\n'), /parameters\.augment\.flip\.values\.1: unknown augment\.flip `vertical`/);
  });

  it('refuses augmentation of data without an image shape, fixed or searched, naming the field', () => {
    const blobs = '{ source: synthetic, kind: blobs }';
    const fixed = issuesOf(spec('  augment: { shift: 2 }\n', '', blobs).replace('  model: cnn\n', ''));
    assert.deepEqual(fixed, ['5:21 train.augment.shift: augment.shift augments images and needs image data (data source mnist), not synthetic']);
    const searched = issuesOf(spec('', '  augment.rotate: { values: [0, 10] }\n', blobs).replace('  model: cnn\n', ''));
    assert.match(searched.join('\n'), /parameters\.augment\.rotate: augment\.rotate augments images/);
    // Knobs left off are no augmentation.
    assert.deepEqual(issuesOf(spec('  augment: { shift: 0, flip: none }\n', '', blobs).replace('  model: cnn\n', '')), []);
  });
});
