import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturesDir, runCli, tempDir } from '../helpers.js';

const objective = join(fixturesDir, 'objectives', 'bowl.js');
const tail = `method: random
run_cap: 2
trainer: module
module: ${objective}
parameters:
  learning_rate: { distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-1 }
`;

/** Nine levels of nine: 9^7 ≈ 4.8 million nodes from a 400-byte file. */
function aliasBomb(): string {
  let text = 'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let level = 1; level < 7; level++) text += `l${level}: &l${level} [${Array(9).fill(`*l${level - 1}`).join(', ')}]\n`;
  return text;
}

const cases = [
  { name: 'an alias bomb', text: aliasBomb(), where: '2:', message: /aliases expand to too many nodes/ },
  { name: 'an alias without its anchor', text: 'x: *nowhere\n', where: '1:4', message: /alias \*nowhere has no anchor/ },
  { name: 'a merge of a scalar', text: 'a: &a 5\nb:\n  <<: *a\n', where: '3:3', message: /merge key \(<<\) takes a mapping/ },
];

describe('YAML resource and alias errors', () => {
  for (const c of cases) {
    it(`${c.name} is a spec error: exit 2, file:line:col, no stack trace, no database`, async () => {
      const dir = tempDir();
      const spec = join(dir, 'spec.yaml');
      writeFileSync(spec, `${c.text}${tail}storage: ${join(dir, 'never.db')}\n`);
      for (const command of ['validate', 'run']) {
        const res = await runCli([command, spec]);
        assert.equal(res.code, 2, `${command}: exit ${res.code}\n${res.stderr}`);
        const line = res.stderr.split('\n').find((l) => l.startsWith(`hpsearch: ${spec}:`)) ?? '';
        assert.ok(line.startsWith(`hpsearch: ${spec}:${c.where}`), `${command}: not at ${c.where} in:\n${res.stderr}`);
        assert.match(line, c.message);
        assert.doesNotMatch(res.stderr, /\n\s+at |unexpected error/, 'no stack trace');
      }
      assert.deepEqual(readdirSync(dir), ['spec.yaml']);
      assert.equal(existsSync(join(dir, 'never.db')), false);
    });
  }
});
