/**
 * Duplicate keys, found in one walk of the document (the YAML parser's own check compares
 * each key with every earlier one, which makes a spec of many keys take minutes).
 */
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';
import type { PathSegment } from './path-segment.js';

export interface DuplicateKey {
  offset: number;
  path: PathSegment[];
  key: string;
}

/** Every key that repeats an earlier key of its mapping (scalar keys, compared as written values). */
export function duplicateKeys(doc: Document.Parsed): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  // An explicit stack: a deeply nested document must not overflow the call stack.
  const stack: { node: unknown; path: PathSegment[] }[] = [{ node: doc.contents, path: [] }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { node, path } = top;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        // `<<` (a merge key, a symbol once parsed) may repeat, as the parser allows.
        const merge = isScalar(pair.key) && (pair.key.value === '<<' || typeof pair.key.value === 'symbol');
        const key = isScalar(pair.key) && !merge ? `${typeof pair.key.value}:${String(pair.key.value)}` : null;
        const name = isScalar(pair.key) ? String(pair.key.value) : '?';
        if (key !== null && seen.has(key)) out.push({ offset: (pair.key as { range?: [number] }).range?.[0] ?? 0, path: [...path, name], key: name });
        if (key !== null) seen.add(key);
        stack.push({ node: pair.value, path: [...path, name] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: [...path, i] }));
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}
