import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fixturesDir, repoRoot, runCli, tempDir } from '../helpers.js';

const bowl = join(fixturesDir, 'cli', 'bowl.yaml');

describe('the command line', () => {
  let db = '';
  before(async () => {
    db = join(tempDir(), 'cl.db');
    const run = await runCli(['run', bowl, '--storage', db, '--run-cap', '3', '--quiet']);
    assert.equal(run.code, 0, run.stderr);
  });

  it('prints the overall help, each command with its positionals, and each command’s options', async () => {
    const overall = await runCli(['--help']);
    assert.equal(overall.code, 0);
    for (const line of [/^ {2}run <spec> /m, /^ {2}diagnose \[trial\] /m, /^ {2}predict <trial> <data> /m, /^ {2}best {2,}the best trials/m]) {
      assert.match(overall.stdout, line);
    }
    const best = await runCli(['best', '--help']);
    assert.equal(best.code, 0);
    assert.match(best.stdout, /Usage: hpsearch best \[options\]/);
    assert.match(best.stdout, /--top <n> +how many trials \(default 1; of a multi-objective study, its whole Pareto/);
    assert.match(best.stdout, /--by <value>[^]*last epoch \(default\)[^]*"last", "min", "max"\)/);
    const run = await runCli(['help', 'run']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /--no-preflight +skip the preflight checks/);
    assert.match(run.stdout, /--require <value\.\.\.>[^]*\(repeatable\)/);
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const res = await runCli(['--version']);
    assert.equal(res.code, 0);
    assert.equal(res.stdout.trim(), pkg.version);
  });

  it('refuses unknown commands, options, arguments and values with exit 2 and a did-you-mean', async () => {
    const cases: [string[], RegExp][] = [
      [[], /Name a command/],
      [['bset'], /unknown command 'bset'\n\(Did you mean best\?\)\n\(hpsearch --help lists the commands/],
      [['best', '--storage', db, '--topp', '2'], /unknown option '--topp'\n\(Did you mean --top\?\)\n\(hpsearch best --help lists its options\)/],
      [['best', '--storage', db, '--top', 'two'], /option '--top <n>' argument 'two' is invalid/],
      [['best', '--storage', db, '--by', 'mean'], /Allowed choices are last, min, max/],
      [['best', '--storage', db, 'extra'], /too many arguments for 'best'/],
      [['show', '--storage', db], /missing required argument 'trial'/],
      [['export', '--storage', db], /required option '--format <value>' not specified/],
    ];
    for (const [args, message] of cases) {
      const res = await runCli(args);
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, message, args.join(' '));
      assert.equal(res.stdout, '', args.join(' '));
    }
  });

  it('applies defaults, reads numbers and keeps every --require', async () => {
    const one = await runCli(['best', '--storage', db, '--json']);
    assert.equal(one.code, 0, one.stderr);
    assert.equal((JSON.parse(one.stdout) as unknown[]).length, 1, '--top defaults to 1');
    const two = await runCli(['best', '--storage', db, '--json', '--top=2']);
    assert.equal((JSON.parse(two.stdout) as unknown[]).length, 2);
    const gate = await runCli(['check', '--storage', db, '--json', '--require', 'val_loss<=1e9', '--require', 'val_loss<=-1e9']);
    assert.equal(gate.code, 1, gate.stderr);
    const body = JSON.parse(gate.stdout) as { requirements: { passed: boolean }[] };
    assert.deepEqual(body.requirements.map((r) => r.passed), [true, false]);
    const words = await runCli(['check', '--storage', db, '--require', 'val_loss<=-1e9', 'val_loss<=1e9', '--json']);
    assert.deepEqual((JSON.parse(words.stdout) as typeof body).requirements.map((r) => r.passed), [false, true], 'one --require, two words');
  });
});
