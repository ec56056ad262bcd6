// `--where 'FIELD OP VALUE [and …]'` of best and trials: keeps the trials every condition holds
// for. A field is a parameter, the study's metric (the trial's value), a trial attribute
// (test_accuracy, verdict, …) or a metric of the trial's last epoch, looked up in that order.
// A trial without the field (an inactive conditional parameter, an attribute it lacks) fails.
import { UsageError } from '../core/errors.js';
import type { EpochRecord, FrozenTrial, JsonValue } from '../core/types.js';
import type { Storage, StudyRecord } from '../store/storage.js';

export type WhereOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface WhereCondition {
  text: string;
  field: string;
  op: WhereOp;
  value: number | string | boolean;
}

const CONDITION = /^\s*([A-Za-z_][\w.-]*)\s*(<=|>=|==|!=|<|>|=)\s*([^<>=!\s].*?)\s*$/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

function literal(text: string): number | string | boolean {
  if (NUMBER.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  const quoted = /^(['"])(.*)\1$/.exec(text);
  return quoted === null ? text : (quoted[2] as string);
}

/** The conditions of every --where value (each may join several with `and`). Malformed: exit 2. */
export function parseWhere(raw: unknown): WhereCondition[] {
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
  return values.flatMap((value) =>
    value.split(/\s+and\s+/i).map((text) => {
      const m = CONDITION.exec(text);
      if (m === null) {
        throw new UsageError(`--where '${text.trim()}': write FIELD OP VALUE, e.g. 'learning_rate < 0.01' or 'optimizer == adam' (OP: <, <=, >, >=, ==, !=; join conditions with and)`);
      }
      const op = (m[2] === '=' ? '==' : m[2]) as WhereOp;
      const value = literal(m[3] as string);
      if (typeof value !== 'number' && op !== '==' && op !== '!=') throw new UsageError(`--where '${text.trim()}': ${op} compares numbers; use == or != for a value like ${JSON.stringify(value)}`);
      return { text: text.trim(), field: m[1] as string, op, value };
    }),
  );
}

type Field = number | string | boolean | null | undefined;

function lastEpochValue(epochs: readonly EpochRecord[] | undefined, metric: string): number | undefined {
  for (let i = (epochs?.length ?? 0) - 1; i >= 0; i--) {
    const v = epochs![i]!.metrics[metric];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** An attribute as compared: a scalar, or the verdict's name (the `verdict` attribute is an object). */
function scalar(v: JsonValue | undefined): Field {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v['verdict'] === 'string') return v['verdict'];
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : undefined;
}

function holds(actual: Field, op: WhereOp, expected: number | string | boolean): boolean {
  if (actual === undefined || actual === null) return false;
  if (op === '==') return actual === expected;
  if (op === '!=') return actual !== expected;
  if (typeof actual !== 'number' || typeof expected !== 'number') return false;
  if (op === '<') return actual < expected;
  if (op === '<=') return actual <= expected;
  if (op === '>') return actual > expected;
  return actual >= expected;
}

/** Whether a condition reads the verdict (the caller then judges the trials first: withCurrentVerdicts). */
export function readsVerdict(conditions: readonly WhereCondition[]): boolean {
  return conditions.some((c) => c.field === 'verdict');
}

/**
 * `trials` whose fields meet every condition, in their order. A field no trial of the study
 * has is a usage error (exit 2) naming it, with the nearest known field.
 */
export async function filterTrials(storage: Storage, study: StudyRecord, trials: readonly FrozenTrial[], conditions: readonly WhereCondition[]): Promise<FrozenTrial[]> {
  if (conditions.length === 0) return [...trials];
  const known = new Set<string>([study.metric]);
  for (const t of await storage.listTrials(study.id)) {
    for (const k of Object.keys(t.params)) known.add(k);
    for (const k of Object.keys(t.distributions)) known.add(k);
    for (const k of Object.keys(t.attrs)) known.add(k);
  }
  const needsEpochs = conditions.some((c) => !known.has(c.field));
  const curves = needsEpochs ? await storage.getStudyEpochs(study.id) : new Map<number, EpochRecord[]>();
  const epochMetrics = new Set<string>();
  for (const curve of curves.values()) for (const e of curve) for (const k of Object.keys(e.metrics)) epochMetrics.add(k);
  for (const c of conditions) {
    if (known.has(c.field) || epochMetrics.has(c.field)) continue;
    const fields = [...new Set([...known, ...epochMetrics])].sort();
    // Loaded on this path only: spec/ brings the YAML parser, which a query need not pay for.
    const { didYouMean } = await import('../spec/issues.js');
    throw new UsageError(`--where '${c.text}': unknown field \`${c.field}\`${didYouMean(c.field, fields)} (fields: ${fields.join(', ')})`);
  }
  const fieldOf = (t: FrozenTrial, field: string): Field => {
    if (Object.hasOwn(t.params, field)) return t.params[field];
    if (field === study.metric) return t.value;
    if (Object.hasOwn(t.attrs, field)) return scalar(t.attrs[field]);
    return lastEpochValue(curves.get(t.number), field);
  };
  return trials.filter((t) => conditions.every((c) => holds(fieldOf(t, c.field), c.op, c.value)));
}
