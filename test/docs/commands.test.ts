// Every command the CLI offers is in the README's command table and in docs/commands.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot, runCli } from '../helpers.js';
import { readMarkdown } from './markdown.js';

/** The command names `hpsearch --help` lists (but `help` itself). */
async function cliCommands(): Promise<string[]> {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0, help.stderr);
  const section = help.stdout.slice(help.stdout.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
}

/** The commands a table under `heading` names in its first column: `hpsearch NAME …` or `` `NAME` ``. */
function tableCommands(file: string, heading: string): Set<string> {
  const tables = readMarkdown(readFileSync(join(repoRoot, file), 'utf8')).tables.filter((t) => t.heading === heading);
  assert.ok(tables.length > 0, `${file} has no table under "${heading}"`);
  const cells = tables.flatMap((t) => t.firstColumn).join('\n');
  return new Set([...cells.matchAll(/`(?:hpsearch )?([a-z][a-z-]*)/g)].map((m) => m[1]!));
}

describe('command tables', () => {
  it('list every command of `hpsearch --help`', async () => {
    const commands = await cliCommands();
    assert.ok(commands.length >= 15 && commands.includes('run') && commands.includes('export-model'), commands.join(' '));
    for (const [file, heading] of [
      ['README.md', 'Commands'],
      ['docs/commands.md', 'The commands'],
    ] as const) {
      const listed = tableCommands(file, heading);
      assert.deepEqual(
        commands.filter((c) => !listed.has(c)),
        [],
        `${file}: commands missing from the table under "${heading}"`,
      );
    }
  });
});
