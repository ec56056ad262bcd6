/**
 * Value encoding between JavaScript and SQLite. Metric values may be NaN or ±Infinity and
 * must come back exactly:
 *
 * - REAL columns (`trials.value`, the standard epoch metrics) hold ±Infinity natively
 *   (SQLite stores IEEE infinities), but SQLite turns a bound NaN into NULL, and NULL means
 *   "absent". NaN is therefore stored as the TEXT 'NaN' (the columns are not STRICT; 'NaN'
 *   is not a numeric literal, so REAL affinity keeps it as text). SQL that aggregates
 *   values filters on `typeof(x) = 'real'`.
 * - JSON columns (params, distributions, attrs, extra metrics) cannot hold NaN or
 *   ±Infinity at all, so a non-finite number is written as the tag object
 *   `{"$num": "NaN" | "Infinity" | "-Infinity"}`. A user object that happens to have the
 *   single key `$num` or `$esc` is wrapped as `{"$esc": {...}}`, so decoding is exact.
 */
import type { JsonValue, Metrics } from '../core/types.js';
import { STANDARD_EPOCH_METRICS } from '../core/types.js';

/** A value as bound to / read from a REAL column. */
export type RealCell = number | string | null;

export function encodeReal(x: number | null): RealCell {
  if (x === null) return null;
  return Number.isNaN(x) ? 'NaN' : x;
}

export function decodeReal(cell: unknown): number | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'bigint') return Number(cell);
  if (cell === 'NaN') return NaN;
  if (cell === 'Infinity') return Infinity;
  if (cell === '-Infinity') return -Infinity;
  throw new TypeError(`not a stored number: ${JSON.stringify(cell)}`);
}

const NUM_TAG = '$num';
const ESC_TAG = '$esc';

type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSingleKey(o: Record<string, unknown>, key: string): boolean {
  const keys = Object.keys(o);
  return keys.length === 1 && keys[0] === key;
}

function toEncoded(v: unknown): Encoded {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return v;
    return { [NUM_TAG]: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' };
  }
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toEncoded);
  if (isPlainObject(v)) {
    const out: { [key: string]: Encoded } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toEncoded(x);
    return isSingleKey(out, NUM_TAG) || isSingleKey(out, ESC_TAG) ? { [ESC_TAG]: out } : out;
  }
  throw new TypeError(`cannot store a value of type ${typeof v} as JSON`);
}

function fromEncoded(v: unknown): JsonValue {
  if (Array.isArray(v)) return v.map(fromEncoded);
  if (isPlainObject(v)) {
    if (isSingleKey(v, NUM_TAG)) {
      const tag = v[NUM_TAG];
      if (tag === 'NaN') return NaN;
      if (tag === 'Infinity') return Infinity;
      if (tag === '-Infinity') return -Infinity;
    }
    const inner = isSingleKey(v, ESC_TAG) && isPlainObject(v[ESC_TAG]) ? v[ESC_TAG] : v;
    const out: { [key: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(inner)) out[k] = fromEncoded(x);
    return out;
  }
  return v as JsonValue;
}

/** JSON text for a value that may contain NaN or ±Infinity. */
export function encodeJson(value: unknown): string {
  return JSON.stringify(toEncoded(value));
}

/** Inverse of {@link encodeJson}. */
export function decodeJson(text: string): JsonValue {
  const parsed = JSON.parse(text) as JsonValue;
  // A tag is a key starting with `$`: a text without `$` (or an escape that could spell one) has none.
  return text.includes('$') || text.includes('\\u') ? fromEncoded(parsed) : parsed;
}

const STANDARD_INDEX = new Map<string, number>(STANDARD_EPOCH_METRICS.map((name, i) => [name, i]));

/**
 * Splits an epoch's metrics into the standard columns (in STANDARD_EPOCH_METRICS order,
 * encoded for REAL columns; null when absent) and the JSON text of the extra metrics
 * (null when there are none). Throws on a value that is not a number. On the hot path of
 * appendEpochs, hence the plain loops.
 */
export function splitMetrics(metrics: Metrics): { standard: RealCell[]; extra: string | null } {
  const standard: RealCell[] = [null, null, null, null, null, null];
  let extra: Record<string, number> | null = null;
  let finite = true;
  for (const name of Object.keys(metrics)) {
    const value = metrics[name];
    if (typeof value !== 'number') throw new TypeError(`metric ${name} is not a number: ${String(value)}`);
    const i = STANDARD_INDEX.get(name);
    if (i !== undefined) standard[i] = Number.isNaN(value) ? 'NaN' : value;
    else {
      (extra ??= {})[name] = value;
      if (!Number.isFinite(value)) finite = false;
    }
  }
  // Numbers only: with every value finite, plain JSON is already the encoding.
  return { standard, extra: extra === null ? null : finite ? JSON.stringify(extra) : encodeJson(extra) };
}

/** Inverse of {@link splitMetrics}; the standard cells are read from `standard[at]` on. */
export function joinMetrics(standard: readonly unknown[], extra: string | null, at = 0): Metrics {
  const metrics: Metrics = {};
  let i = at;
  for (const name of STANDARD_EPOCH_METRICS) {
    const v = decodeReal(standard[i++]);
    if (v !== null) metrics[name] = v;
  }
  if (extra !== null) {
    const decoded = decodeJson(extra);
    if (isPlainObject(decoded)) for (const [k, v] of Object.entries(decoded)) if (typeof v === 'number') metrics[k] = v;
  }
  return metrics;
}
