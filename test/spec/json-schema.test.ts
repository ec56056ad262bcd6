import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { SpecError } from '../../src/core/errors.js';
import { parseSpec } from '../../src/spec/index.js';
import { JSON_SCHEMA_FILE, specJsonSchema } from '../../src/spec/json-schema.js';
import { fixturesDir, repoRoot, tempDir } from '../helpers.js';

const shipped = JSON.parse(readFileSync(join(repoRoot, JSON_SCHEMA_FILE), 'utf8')) as Record<string, unknown>;
const validateSchema = new Ajv2020({ allErrors: true, strict: false }).compile(shipped);

function schemaAccepts(text: string): boolean {
  return validateSchema(parse(text)) === true;
}

const yamlIn = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f));
/** Every valid spec the project ships or tests with: examples, and the fixtures of the spec, CLI and command tests. */
const examples = [join(repoRoot, 'configs'), ...['specs', 'cli', 'command'].map((d) => join(fixturesDir, d))].flatMap(yamlIn);

const dir = tempDir('hpsearch-schema-');
writeFileSync(join(dir, 'objective.js'), 'export function train() { return { loss: 0 }; }\n');
const TFJS = 'run_cap: 4\ndata: { source: synthetic, kind: blobs }\n';

/** Specs both validators must refuse, each with the mistake a user makes. */
const held_out: Record<string, string> = {
  'unknown top-level key': `${TFJS}methd: random\n`,
  'unknown training knob': `${TFJS}train: { lerning_rate: 0.1 }\n`,
  'knob out of range': `${TFJS}train: { dropout: 1.5 }\n`,
  'enum typo': `${TFJS}train: { optimizer: adamw }\n`,
  'epochs not a whole number': `${TFJS}train: { epochs: 2.5 }\n`,
  'unknown data source': 'run_cap: 4\ndata: { source: imagenet }\n',
  'unknown distribution': `${TFJS}parameters:\n  learning_rate: { distribution: log_normal, min: 1.0e-4, max: 0.1 }\n`,
  'parameter key unknown': `${TFJS}parameters:\n  units: { values: [8, 16], weights: [1, 2] }\n`,
  'module trainer without module': 'trainer: module\nrun_cap: 3\n',
  'negative run_cap': `${TFJS.replace('4', '-1')}`,
  'metric goal typo': `${TFJS}metric: { name: val_loss, goal: minimise }\n`,
  'when: a list, not a mapping': `${TFJS}parameters:\n  optimizer: { values: [sgd, adam] }\n  beta1: { values: [0.9, 0.99], when: [adam] }\n`,
  'when: no value listed': `${TFJS}parameters:\n  optimizer: { values: [sgd, adam] }\n  beta1: { values: [0.9, 0.99], when: { optimizer: [] } }\n`,
  'unknown early_terminate type': `${TFJS}early_terminate: { type: asha }\n`,
  'early_terminate key misspelt': `${TFJS}early_terminate: { type: hyperband, max_iter: 8, etta: 3 }\n`,
  'stage method unknown': `${TFJS}stages: [{ trials: 2 }, { trials: 2, top_k: 1, method: bayes }]\n`,
  'tpe setting misspelt': `${TFJS}method: tpe\ntpe: { n_startup: 3 }\n`,
  'command key with trainer tfjs': `${TFJS}stop_grace: 5\n`,
  'trainer command without command or program': 'trainer: command\nrun_cap: 3\n',
  'init_from without trial': `${TFJS}train: { init_from: { freeze: 1 } }\n`,
  'keep_models unknown word': `${TFJS}keep_models: best\n`,
};

describe('the JSON Schema of the spec', () => {
  it('is the one the zod schemas generate (run `npm run schema` after changing them)', () => {
    assert.deepEqual(shipped, JSON.parse(JSON.stringify(specJsonSchema())));
  });

  it('accepts every shipped example and spec fixture', () => {
    assert.ok(examples.length >= 4, examples.join(', '));
    for (const file of examples) {
      const text = readFileSync(file, 'utf8');
      parseSpec(text, file);
      assert.ok(schemaAccepts(text), `${file}: ${JSON.stringify(validateSchema.errors?.slice(0, 3))}`);
    }
  });

  for (const [name, text] of Object.entries(held_out)) {
    it(`rejects, as parseSpec does: ${name}`, () => {
      assert.throws(() => parseSpec(text, join(dir, 'spec.yaml')), SpecError);
      assert.equal(schemaAccepts(text), false, 'the JSON Schema accepted it');
    });
  }
});
