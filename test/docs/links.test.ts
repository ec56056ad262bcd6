// The README and docs/ say true things about the tree: every relative link reaches a file, every
// #anchor a heading (GitHub's rule), the README stays short, and its quick start is what CI runs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers.js';
import { isExternal, readMarkdown, type MarkdownFacts } from './markdown.js';

/** The README's length limit: what a newcomer reads first; the rest lives in docs/. */
const README_MAX_LINES = 250;

/**
 * Docs that other work is writing, linked from the README before they land. A link to one
 * passes while it is missing; once it exists it must leave this list (and be checked).
 */
const PENDING = new Set<string>([]);

function docFiles(): string[] {
  const docs = join(repoRoot, 'docs');
  const names = readdirSync(docs).filter((n) => n.endsWith('.md')).map((n) => join('docs', n));
  return ['README.md', ...names.sort()];
}

const facts = new Map<string, MarkdownFacts>();
function factsOf(file: string): MarkdownFacts {
  let f = facts.get(file);
  if (f === undefined) {
    f = readMarkdown(readFileSync(join(repoRoot, file), 'utf8'));
    facts.set(file, f);
  }
  return f;
}

/** What is wrong with one link of `file`, or null. */
function brokenLink(file: string, href: string): string | null {
  const hash = href.indexOf('#');
  const pathPart = decodeURIComponent(hash === -1 ? href : href.slice(0, hash));
  const anchor = hash === -1 ? null : decodeURIComponent(href.slice(hash + 1));
  const target = pathPart === '' ? file : relative(repoRoot, resolve(repoRoot, dirname(file), pathPart));
  if (target.startsWith('..')) return `${file}: ${href} leaves the repository`;
  if (PENDING.has(target)) return null;
  const full = join(repoRoot, target);
  if (!existsSync(full)) return `${file}: ${href}: no file ${target}`;
  if (anchor === null) return null;
  if (!target.endsWith('.md') || statSync(full).isDirectory()) return `${file}: ${href}: an anchor into a file that is not Markdown`;
  if (!factsOf(target).anchors.has(anchor)) return `${file}: ${href}: ${target} has no heading with the anchor #${anchor}`;
  return null;
}

describe('README and docs/', () => {
  it('every relative link reaches a file, and every #anchor a heading of it', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of docFiles()) {
      for (const href of factsOf(file).links) {
        if (isExternal(href)) continue;
        checked++;
        const problem = brokenLink(file, href);
        if (problem !== null) broken.push(problem);
      }
    }
    assert.deepEqual(broken, []);
    assert.ok(checked > 50, `only ${checked} links found: is the Markdown still read?`);
  });

  it('anchors follow GitHub: code spans lose their backticks, punctuation goes, repeats are numbered', () => {
    const f = readMarkdown('# Many machines: PostgreSQL and `hpsearch worker`\n\n## Data\n\n## Data\n');
    assert.deepEqual([...f.anchors], ['many-machines-postgresql-and-hpsearch-worker', 'data', 'data-1']);
    assert.deepEqual(readMarkdown('```\n# not a heading\n[not](a-link.md)\n```\n'), {
      links: [],
      anchors: new Set(),
      codeBlocks: [{ heading: '', text: '# not a heading\n[not](a-link.md)' }],
      tables: [],
    });
  });

  it('a pending doc leaves the list once it exists', () => {
    const landed = [...PENDING].filter((p) => existsSync(join(repoRoot, p)));
    assert.deepEqual(landed, [], 'these exist now: remove them from PENDING in test/docs/links.test.ts');
  });

  it(`the README stays under ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(join(repoRoot, 'README.md'), 'utf8').split('\n').length;
    assert.ok(lines < README_MAX_LINES, `README.md has ${lines} lines: move reference material to docs/`);
  });

  it("the README's quick start runs an example that exists, and its test command is the one CI runs", () => {
    const blocks = factsOf('README.md').codeBlocks.filter((b) => b.heading === 'Quick start').map((b) => b.text.trim());
    const run = blocks.find((b) => b.startsWith('npm install && npx hpsearch run '));
    assert.ok(run !== undefined, `no "npm install && npx hpsearch run SPEC" under Quick start: ${JSON.stringify(blocks)}`);
    const spec = run.slice('npm install && npx hpsearch run '.length);
    assert.ok(existsSync(join(repoRoot, spec)), `the quick start runs ${spec}, which is not there`);
    assert.ok(blocks.includes('npm test'), 'the quick start gives `npm test` as the test command');
    const ci = readFileSync(join(repoRoot, '.ci/run'), 'utf8').trim().split('\n');
    assert.equal(ci.at(-1), 'npm test', '.ci/run ends by running the README\'s test command');
  });
});
