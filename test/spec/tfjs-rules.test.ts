import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpecError } from '../../src/core/errors.js';
import { parseSpec } from '../../src/spec/index.js';

function issuesOf(text: string): string[] {
  try {
    parseSpec(text, '/tmp/spec.yaml');
  } catch (error) {
    if (error instanceof SpecError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

const base = (extra: string, data = '{ source: synthetic, kind: blobs }'): string =>
  `name: r\nmethod: random\nrun_cap: 2\ndata: ${data}\n${extra}parameters:\n  learning_rate: { value: 0.01 }\n`;

describe('tfjs cross-field rules (specs whose every trial would fail)', () => {
  it('accepts a sane spec', () => {
    assert.deepEqual(issuesOf(base('')), []);
  });

  it('refuses a metric the trainer never reports, suggesting the nearest', () => {
    const issues = issuesOf(base('metric: { name: val_acc, goal: maximize }\n'));
    assert.equal(issues.length, 1);
    assert.match(issues[0] ?? '', /^metric\.name: .*did you mean `val_accuracy`/);
  });

  it('refuses a val_ metric without a validation split', () => {
    const issues = issuesOf(base('', '{ source: synthetic, kind: blobs, split: { train: 0.8, val: 0, test: 0.2 } }'));
    assert.ok(issues.some((i) => /^metric\.name: `val_accuracy` needs a validation split/.test(i)), issues.join('\n'));
  });

  it('refuses cnn or per_channel on non-image data, fixed or searched', () => {
    assert.match(issuesOf(base('train: { model: cnn }\n')).join('\n'), /train\.model: model cnn needs image data/);
    const searched = base('').replace('parameters:\n', 'parameters:\n  model: { values: [mlp, cnn] }\n');
    assert.match(issuesOf(searched).join('\n'), /parameters\.model: model cnn needs image data/);
    assert.match(issuesOf(base('', '{ source: synthetic, kind: blobs, preprocess: per_channel }')).join('\n'), /data\.preprocess: preprocess per_channel/);
    assert.deepEqual(issuesOf(base('train: { model: cnn }\n', '{ source: mnist, samples: 100, preprocess: per_channel }')), []);
  });

  it('refuses dropout and keep_prob together', () => {
    const text = base('train: { dropout: 0.2 }\n').replace('parameters:\n', 'parameters:\n  keep_prob: { values: [0.5, 0.8] }\n');
    assert.match(issuesOf(text).join('\n'), /parameters\.keep_prob: give dropout or keep_prob, not both/);
  });
});
