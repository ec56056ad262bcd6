/** Collecting spec issues by path, then placing them at `file:line:col`. */
import { closest, distance } from 'fastest-levenshtein';
import type { SpecIssue } from '../core/errors.js';
import { lineCol, locate } from './yaml-positions.js';
import type { Anchor, ParsedYaml, PathSegment } from './yaml-positions.js';

export interface RawIssue {
  /** Dotted path reported to the user. */
  path: PathSegment[];
  message: string;
  /** Which part of the node at `where` (default `path`) the issue points at. */
  at: Anchor;
  /** The node to point at, when it is not the one at `path` (e.g. the key that caused it). */
  where?: PathSegment[];
  /** An exact offset (YAML syntax errors). */
  offset?: number;
}

export interface IssueOptions {
  at?: Anchor;
  where?: PathSegment[];
}

export class Issues {
  readonly list: RawIssue[] = [];

  add(path: readonly PathSegment[], message: string, options: IssueOptions = {}): void {
    this.list.push({
      path: [...path],
      message,
      at: options.at ?? 'value',
      ...(options.where === undefined ? {} : { where: [...options.where] }),
    });
  }

  addAtOffset(path: readonly PathSegment[], message: string, offset: number): void {
    this.list.push({ path: [...path], message, at: 'value', offset });
  }

  get count(): number {
    return this.list.length;
  }

  /** Places every issue in the file; sorted by position, duplicates dropped. */
  resolve(parsed: ParsedYaml, file: string): SpecIssue[] {
    const out: SpecIssue[] = [];
    const seen = new Set<string>();
    for (const raw of this.list) {
      const offset = raw.offset ?? locate(parsed, raw.where ?? raw.path, raw.at);
      const { line, col } = lineCol(parsed, offset);
      const issue: SpecIssue = { file, line, col, path: dotted(raw.path), message: raw.message };
      const key = `${line}:${col}:${issue.path}:${issue.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(issue);
    }
    return out
      .map((issue, index) => ({ issue, index }))
      .sort((a, b) => a.issue.line - b.issue.line || a.issue.col - b.issue.col || a.index - b.index)
      .map((x) => x.issue);
  }
}

export function dotted(path: readonly PathSegment[]): string {
  return path.map(String).join('.');
}

/** The nearest candidate, when it is near enough to be a plausible typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const lower = word.toLowerCase();
  const exactCase = candidates.find((c) => c.toLowerCase() === lower);
  if (exactCase !== undefined) return exactCase;
  const normalised = lower.replace(/[-\s]/g, '_');
  const sameNormalised = candidates.find((c) => c.toLowerCase() === normalised);
  if (sameNormalised !== undefined) return sameNormalised;
  const best = closest(lower, candidates);
  const d = distance(lower, best.toLowerCase());
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.length) / 3));
  if (d <= limit) return best;
  // A prefix or a clear substring (e.g. `learning` for `learning_rate`).
  const contains = candidates.filter((c) => word.length >= 3 && (c.startsWith(lower) || c.includes(lower)));
  return contains.length === 1 ? contains[0] : undefined;
}

/** "; did you mean `x`?" or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const best = nearest(word, candidates);
  return best === undefined ? '' : `; did you mean \`${best}\`?`;
}

/** `a, b, c` */
export function oneOf(values: readonly unknown[]): string {
  return values.map((v) => String(v)).join(', ');
}

/** A short rendering of a value found in the spec, for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
