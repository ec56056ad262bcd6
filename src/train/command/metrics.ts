/**
 * Metrics from a training script's stdout, one line at a time: JSON objects
 * (`{"epoch": 3, "val_loss": 0.41}`), `name=value` pairs (`epoch=3 val_loss=0.41`), and
 * Keras' end-of-epoch progress lines (`… - loss: 0.3120 - accuracy: 0.91 - val_loss: 0.4107`).
 * Any other line is a log and yields nothing.
 */
import type { Metrics } from '../../core/types.js';

/** Counters that number a report rather than measure the model. */
const COUNTERS = new Set(['epoch', 'step', 'iteration', '_step', '_runtime', '_timestamp']);

/** Keras' names → hpsearch's standard ones. */
const KERAS_NAMES: Record<string, string> = {
  loss: 'train_loss',
  accuracy: 'train_accuracy',
  acc: 'train_accuracy',
  val_acc: 'val_accuracy',
};

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|NaN|inf|Inf|Infinity|infinity)`;
const PAIR = new RegExp(String.raw`^([A-Za-z_][\w.\/-]*)=(${NUMBER}),?$`);
const KERAS_PAIR = new RegExp(String.raw`([A-Za-z_][\w]*): (${NUMBER})(?= - |\s*$)`, 'g');

/** A matched number as JavaScript reads it; `nan` in any case is not a number to Number() either. */
function toNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

function put(out: Metrics, name: string, value: number): void {
  if (!COUNTERS.has(name)) out[name] = value;
}

/** A line that starts with `{`: when it parses at all, it is an object. */
function fromJson(line: string): Metrics | null {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  const out: Metrics = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v === 'number') put(out, k, v);
    else if (typeof v === 'string' && /^(nan|-?inf(inity)?)$/i.test(v)) put(out, k, toNumber(v));
  }
  return out;
}

function fromPairs(line: string): Metrics | null {
  const out: Metrics = {};
  for (const token of line.split(/\s+/)) {
    const m = PAIR.exec(token);
    if (m === null) return null;
    put(out, m[1] as string, toNumber(m[2] as string));
  }
  return out;
}

function fromKeras(line: string): Metrics | null {
  // A line still counting down (`ETA: 3s`) is within an epoch, not its end.
  if (/\bETA\b/.test(line)) return null;
  const out: Metrics = {};
  for (const m of line.matchAll(KERAS_PAIR)) {
    const name = m[1] as string;
    put(out, KERAS_NAMES[name] ?? name, toNumber(m[2] as string));
  }
  return /\b(loss|val_\w+): /.test(line) ? out : null;
}

/** The metrics a line of stdout reports, or null when it reports none. */
export function parseMetricLine(raw: string): Metrics | null {
  // eslint-disable-next-line no-control-regex
  const line = raw.replace(/\x1b\[[0-9;]*[A-Za-z]|[\x08]/g, '').trim();
  const found = line.startsWith('{') ? fromJson(line) : (fromPairs(line) ?? fromKeras(line));
  return found === null || Object.keys(found).length === 0 ? null : found;
}

/**
 * Splits a stream into lines as chunks arrive. A carriage return ends a line too: a
 * progress bar redrawn in place yields each state, and only the epoch's last one reports.
 */
export class LineSplitter {
  private rest = '';

  push(chunk: string, onLine: (line: string) => void): void {
    const parts = (this.rest + chunk).split(/\r\n|\n|\r/);
    // split() returns at least one part: the text after the last line end.
    this.rest = parts.pop() as string;
    for (const part of parts) onLine(part);
  }

  end(onLine: (line: string) => void): void {
    if (this.rest !== '') onLine(this.rest);
    this.rest = '';
  }
}
