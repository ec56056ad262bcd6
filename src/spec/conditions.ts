/** `when:` of parameters → Conditions: parents must be categorical parameters, no cycles. */
import { z } from 'zod';
import type { Distribution } from '../core/distributions.js';
import type { Conditions } from '../core/spec.js';
import type { ParamValue } from '../core/types.js';
import { didYouMean, isPlainObject, oneOf, show, type Issues } from './issues.js';
import { isParamValue } from './parameters.js';

const choice = z.union([z.number(), z.string(), z.boolean()]);

/**
 * The shape of one `when:` for the JSON Schema: parent → the value (or values) it applies for.
 * parseConditions checks the same shape with a message at each wrong part, and the parents.
 */
export const whenSchema = z
  .record(z.string(), z.union([choice, z.array(choice).min(1)]))
  .refine((w) => Object.keys(w).length > 0)
  .meta({ minProperties: 1, description: 'applies only when these categorical parameters take these values, e.g. { optimizer: [momentum, adam] }' });

/**
 * Reads every parameter's `when:`; undefined when none has one. A parent must be another
 * categorical parameter (`values:`), each listed value one of its values; a cycle is
 * reported at the `when:` of each parameter on it.
 */
export function parseConditions(raw: unknown, parameters: Record<string, Distribution>, issues: Issues): Conditions | undefined {
  if (!isPlainObject(raw)) return undefined;
  const out: Conditions = {};
  for (const [name, entry] of Object.entries(raw)) {
    if (!isPlainObject(entry) || entry['when'] === undefined || entry['when'] === null) continue;
    const path = ['parameters', name, 'when'];
    const when = entry['when'];
    if (!isPlainObject(when) || Object.keys(when).length === 0) {
      issues.add(path, `when: maps categorical parameters to the values this one applies for, e.g. { optimizer: [momentum, adam] }; got ${show(when)}`);
      continue;
    }
    const parsed: Record<string, ParamValue[]> = {};
    for (const [parent, listed] of Object.entries(when)) {
      const at = [...path, parent];
      const d = parameters[parent];
      if (parent === name) {
        issues.add(at, `a parameter cannot depend on itself`, { at: 'key' });
        continue;
      }
      if (d === undefined) {
        if (!Object.hasOwn(raw, parent)) issues.add(at, `unknown parameter \`${parent}\`${didYouMean(parent, Object.keys(raw))}`, { at: 'key' });
        continue;
      }
      if (d.type !== 'categorical') {
        issues.add(at, `conditions may refer only to categorical parameters (values: [...]); \`${parent}\` is ${d.type}`, { at: 'key' });
        continue;
      }
      const values: unknown[] = Array.isArray(listed) ? listed : [listed];
      const ok = values.filter((v, i): v is ParamValue => {
        if (isParamValue(v) && d.values.includes(v)) return true;
        issues.add(Array.isArray(listed) ? [...at, i] : at, `${show(v)} is not one of \`${parent}\`'s values (${oneOf(d.values)})`);
        return false;
      });
      if (ok.length === values.length && ok.length > 0) parsed[parent] = ok;
      else if (values.length === 0) issues.add(at, 'list at least one value');
    }
    out[name] = parsed;
  }
  for (const name of onCycles(out)) issues.add(['parameters', name, 'when'], `conditions form a cycle through \`${name}\``, { at: 'key' });
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Parameters whose conditions lead back to themselves. */
function onCycles(conditions: Conditions): string[] {
  const reaches = (from: string, target: string, seen: Set<string>): boolean =>
    Object.keys(conditions[from] ?? {}).some((p) => p === target || (!seen.has(p) && (seen.add(p), reaches(p, target, seen))));
  return Object.keys(conditions).filter((name) => reaches(name, name, new Set()));
}

/** "when optimizer ∈ {momentum, adam}" for `validate`. */
export function describeCondition(when: Record<string, ParamValue[]>): string {
  return `when ${Object.entries(when).map(([p, vs]) => `${p} ∈ {${oneOf(vs)}}`).join(' and ')}`;
}
