/**
 * What changed between the spec a study was created with (its stored canonical JSON) and
 * the spec it is resumed with. Only raising run_cap, appending stages and pointing `program:`
 * at another script (the fix of a misspelled one) are allowed.
 */
import type { Spec } from '../core/spec.js';
import { canonicalSpec, sortKeys } from './hash.js';

export interface SpecChange {
  /** Dotted path, e.g. `parameters.learning_rate.max` or `stages.2`. */
  path: string;
  /** undefined when the key was added. */
  from: unknown;
  /** undefined when the key was removed. */
  to: unknown;
  allowed: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function diff(a: unknown, b: unknown, path: string[], out: SpecChange[]): void {
  if (same(a, b)) return;
  const dotted = path.join('.');
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) diff(a[key], b[key], [...path, key], out);
    return;
  }
  if (dotted === 'stages' && Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const from: unknown = a[i];
      const to: unknown = b[i];
      if (!same(from, to)) out.push({ path: `stages.${i}`, from, to, allowed: false });
    }
    return;
  }
  out.push({ path: dotted, from: a, to: b, allowed: false });
}

function isAllowed(change: SpecChange, changes: readonly SpecChange[]): boolean {
  if (change.path === 'command.program') return typeof change.to === 'string';
  if (change.path === 'run_cap') {
    const { from, to } = change;
    return to === null || (typeof from === 'number' && typeof to === 'number' && to > from);
  }
  if (change.path.startsWith('stages.')) {
    // Appended, and every stored stage is unchanged.
    const stageChanges = changes.filter((c) => c.path.startsWith('stages.'));
    return stageChanges.every((c) => c.from === undefined && c.to !== undefined);
  }
  return false;
}

/** Every difference between the stored canonical JSON and `next`, each marked allowed or not. */
export function compareSpecs(storedJson: string, next: Spec): SpecChange[] {
  const stored: unknown = JSON.parse(storedJson);
  const changes: SpecChange[] = [];
  diff(stored, sortKeys(canonicalSpec(next)), [], changes);
  return changes.map((c) => ({ ...c, allowed: isAllowed(c, changes) }));
}

function render(v: unknown): string {
  if (v === undefined) return '(absent)';
  return JSON.stringify(sortKeys(v)).replace(/"([A-Za-z_][A-Za-z0-9_]*)":/g, '$1: ').replace(/,(?=\S)/g, ', ');
}

/** One readable line per change. */
export function describeSpecChanges(changes: readonly SpecChange[]): string {
  return changes
    .map((c) => {
      const what =
        c.from === undefined
          ? `added ${render(c.to)}`
          : c.to === undefined
            ? `removed (was ${render(c.from)})`
            : `${render(c.from)} → ${render(c.to)}`;
      return `${c.path === '' ? '(spec)' : c.path}: ${what}${c.allowed ? '' : ' (not allowed)'}`;
    })
    .join('\n');
}
