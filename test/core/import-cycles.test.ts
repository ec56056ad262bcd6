import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers.js';

const SRC = join(repoRoot, 'src');
/** `import … from`, `export … from` (types too) and `import('…')` (a lazy load is an arrow too). */
const FROM = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/gm;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/** Each file's imports of other files of src/, as paths relative to src/. */
function graph(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(FROM)].map((m) => relative(SRC, resolve(dirname(file), (m[1] ?? m[2] ?? '').replace(/\.js$/, '.ts'))));
    out.set(relative(SRC, file), targets);
  }
  return out;
}

/** One cycle through each strongly connected group of files, as `a → b → a`. */
function cycles(edges: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (state.get(next) === undefined && edges.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (state.get(node) === undefined) visit(node);
  return found;
}

describe('module imports', () => {
  it('form no circle, type-only imports included: every arrow points one way', () => {
    const edges = graph();
    assert.ok(edges.size > 100, `read ${edges.size} files`);
    assert.deepEqual(cycles(edges), []);
  });
});
