/**
 * YAML parsing that keeps positions: node ranges plus a LineCounter, so that an issue found
 * on the plain JS value (by its path) can be pointed back at `line:col` in the file.
 */
import { isAlias, isCollection, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node, YAMLError, YAMLMap } from 'yaml';
import { duplicateKeys } from './duplicate-keys.js';
import type { PathSegment } from './path-segment.js';

export type { PathSegment } from './path-segment.js';

/** Where on a node an issue points: its value, its key, or the mapping that holds it. */
export type Anchor = 'value' | 'key' | 'parent';

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
}

/** A YAML-level problem (syntax error, duplicate key), at a character offset. */
export interface YamlProblem {
  offset: number;
  path: PathSegment[];
  message: string;
  /** False only for problems after which the document's value is still meaningful. */
  fatal: boolean;
}

export function parseYaml(text: string): { parsed: ParsedYaml; problems: YamlProblem[] } {
  const lines = new LineCounter();
  // uniqueKeys: the parser's check is quadratic in the keys of a mapping; duplicateKeys is not.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, merge: true });
  const parsed = { doc, lines };
  // After the first syntax error the parser's further complaints are mostly its echoes: keep
  // that one, and every duplicate key.
  const firstFatal = doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
  const errors = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY' || e === firstFatal);
  const problems = errors.map((error): YamlProblem => {
    const offset = unclosedStart(doc, error) ?? error.pos[0];
    const path = pathAtOffset(doc, offset);
    if (error.code === 'DUPLICATE_KEY') {
      const key = path[path.length - 1];
      return {
        offset,
        path,
        message: `duplicate key \`${String(key ?? '?')}\` (each key may appear once in a mapping)`,
        fatal: false,
      };
    }
    if (error.code === 'MULTIPLE_DOCS') {
      return { offset, path: [], message: 'a spec is a single YAML document (remove the `---` separator)', fatal: true };
    }
    return { offset, path, message: `invalid YAML: ${yamlMessage(error.message)}`, fatal: true };
  });
  for (const d of duplicateKeys(doc)) {
    problems.push({ offset: d.offset, path: d.path, message: `duplicate key \`${d.key}\` (each key may appear once in a mapping)`, fatal: false });
  }
  return { parsed, problems };
}

/**
 * An unclosed `[`, `{` or quote is reported by the parser where it gives up (often the next
 * line); the user wants the opener. Returns the start of the innermost flow collection or
 * quoted scalar that runs up to the error, if the error is of that kind.
 */
function unclosedStart(doc: Document.Parsed, error: YAMLError): number | undefined {
  const flow = /^Flow (sequence|map)/.test(error.message);
  const quote = error.code === 'MISSING_CHAR' && /quote/i.test(error.message);
  if (!flow && !quote) return undefined;
  const offset = error.pos[0];
  let best: number | undefined;
  visit(doc, (_key, node) => {
    const range = (node as Node).range;
    if (range === undefined || range === null) return;
    const candidate = flow
      ? isCollection(node) && node.flow === true
      : isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    if (candidate && range[0] < offset && offset <= range[2] && (best === undefined || range[0] > best)) best = range[0];
  });
  return best;
}

function yamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  const trimmed = first.replace(/\s+at line \d+, column \d+:?$/, '').trim();
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

/** 1-based line and column of a character offset. */
export function lineCol(parsed: ParsedYaml, offset: number): { line: number; col: number } {
  const pos = parsed.lines.linePos(Math.max(0, offset));
  return { line: Math.max(1, pos.line), col: Math.max(1, pos.col) };
}

function keyString(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function deref(parsed: ParsedYaml, node: unknown): unknown {
  return isAlias(node) ? node.resolve(parsed.doc) : node;
}

interface Step {
  key: Node | null;
  value: Node | null;
}

/** Each mapping's pairs by key, built on first use: locating an issue is then O(depth). */
const keyIndex = new WeakMap<object, Map<string, Step>>();

function pairsOf(map: YAMLMap): Map<string, Step> {
  let index = keyIndex.get(map);
  if (index === undefined) {
    index = new Map();
    // The last of duplicate keys wins, as in the JS value.
    for (const pair of map.items) index.set(keyString(pair.key), { key: asNode(pair.key), value: asNode(pair.value) });
    keyIndex.set(map, index);
  }
  return index;
}

function step(parsed: ParsedYaml, node: unknown, segment: PathSegment): Step | undefined {
  const target = deref(parsed, node);
  if (isMap(target)) return pairsOf(target).get(String(segment));
  if (isSeq(target) && typeof segment === 'number') {
    const item = target.items[segment];
    return item === undefined ? undefined : { key: null, value: asNode(item) };
  }
  return undefined;
}

function asNode(x: unknown): Node | null {
  return x !== null && typeof x === 'object' && 'range' in x ? (x as Node) : null;
}

function startOf(node: Node | null): number | undefined {
  return node?.range?.[0];
}

/** The start of a value node, unless it is an empty value (`key:`), which has no extent. */
function valueStart(node: Node | null): number | undefined {
  const range = node?.range;
  if (range === undefined || range === null) return undefined;
  if (isScalar(node) && node.value === null && range[0] === range[1]) return undefined;
  return range[0];
}

/**
 * The offset an issue at `path` points at. A path that does not exist in the document (a
 * missing key) points at the nearest mapping that does.
 */
export function locate(parsed: ParsedYaml, path: readonly PathSegment[], anchor: Anchor): number {
  const contents = parsed.doc.contents;
  const rootOffset = startOf(contents) ?? 0;
  const target = anchor === 'parent' ? path.slice(0, -1) : path;
  let node: unknown = contents;
  let offset = rootOffset;
  for (let i = 0; i < target.length; i++) {
    const segment = target[i] as PathSegment;
    const found = step(parsed, node, segment);
    if (found === undefined) return offset;
    const keyOffset = startOf(found.key);
    const valOffset = valueStart(found.value);
    const last = i === target.length - 1;
    if (last && anchor === 'key' && keyOffset !== undefined) return keyOffset;
    offset = valOffset ?? keyOffset ?? offset;
    node = found.value;
  }
  return offset;
}

/** Whether the document has a node at `path` (a key written by the user). */
export function hasNode(parsed: ParsedYaml, path: readonly PathSegment[]): boolean {
  let node: unknown = parsed.doc.contents;
  for (const segment of path) {
    const found = step(parsed, node, segment);
    if (found === undefined) return false;
    node = found.value;
  }
  return true;
}

/** The path of the deepest key or value whose range contains `offset`. */
export function pathAtOffset(doc: Document.Parsed, offset: number): PathSegment[] {
  const out: PathSegment[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      let next: unknown;
      for (const pair of node.items) {
        const key = asNode(pair.key);
        const value = asNode(pair.value);
        if (key?.range && offset >= key.range[0] && offset < Math.max(key.range[1], key.range[0] + 1)) {
          out.push(keyString(pair.key));
          return out;
        }
        if (value?.range && offset >= value.range[0] && offset < value.range[2]) {
          out.push(keyString(pair.key));
          next = value;
          break;
        }
      }
      if (next === undefined) return out;
      node = next;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const n = asNode(item);
        return n?.range !== undefined && n.range !== null && offset >= n.range[0] && offset < n.range[2];
      });
      if (index < 0) return out;
      out.push(index);
      node = node.items[index];
    } else {
      return out;
    }
  }
}
