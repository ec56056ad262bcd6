/** ReportInput → ReportData: the numbers each chart draws, thinned so 10 000 trials stay fast. */
import { isNumeric, scaleOf } from '../core/distributions.js';
import { TRIAL_STATES, isBetter, rankByValue, type EpochRecord, type FrozenTrial, type JsonValue, type TrialState } from '../core/types.js';
import { AUGMENT_SAMPLES_ATTR, type AugmentSamples } from '../core/augment-samples.js';
import { paretoTrials, studyObjectives, trialValues } from '../core/objectives.js';
import { paretoFront } from '../core/pareto.js';
import { permutationImportance } from './importance.js';
import { pbtOf } from './pbt.js';
import type { CurveData, LayerHistogram, ParamInfo, ParetoData, ReportData, ReportInput, TrialRow } from './types.js';

/** Trials drawn in colour in the learning curves. */
export const HIGHLIGHTED = 5;
/** At most this many trials' curves go into the page (the best, the rest sampled evenly). */
export const MAX_CURVES = 400;
/** A curve longer than this is thinned to this many epochs (the last always kept). */
export const MAX_CURVE_POINTS = 100;

function objectOf(v: JsonValue | undefined): Record<string, JsonValue> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
}
function str(v: JsonValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

function paramsOf(trials: readonly FrozenTrial[]): ParamInfo[] {
  const out = new Map<string, ParamInfo>();
  for (const t of trials) {
    for (const [name, d] of Object.entries(t.distributions)) {
      if (out.has(name) || d.type === 'constant') continue;
      if (isNumeric(d)) out.set(name, { name, kind: scaleOf(d) });
      else out.set(name, { name, kind: 'categorical', values: [...d.values] });
    }
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function rowOf(t: FrozenTrial, params: readonly ParamInfo[], curve: readonly EpochRecord[]): TrialRow {
  const verdict = objectOf(t.attrs['verdict']);
  const onset = verdict?.['overfit_onset'];
  const also = verdict?.['also'];
  const stage = t.attrs['stage'];
  let seconds = 0;
  for (const e of curve) seconds += Number.isFinite(e.metrics['seconds']) ? (e.metrics['seconds'] ?? 0) : 0;
  return {
    number: t.number,
    state: t.state,
    value: t.value !== null && Number.isFinite(t.value) ? t.value : null,
    params: Object.fromEntries(params.map((p) => [p.name, t.params[p.name] ?? null])),
    stage: typeof stage === 'number' ? stage : null,
    verdict: str(verdict?.['verdict']),
    also: Array.isArray(also) ? also.filter((v): v is string => typeof v === 'string') : [],
    summary: str(verdict?.['summary']),
    hint: str(verdict?.['hint']),
    reason: t.error ?? str(t.attrs['stop_reason']),
    overfitOnset: typeof onset === 'number' ? onset : null,
    epochs: curve.length,
    seconds: curve.length > 0 ? seconds : null,
  };
}

/** Every k-th epoch so at most `max` remain, the last included. */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)] as T);
}

const numbers = (v: JsonValue | undefined): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/** The trial's `layer_histograms` attribute, keeping only well-formed entries. */
function histogramsOf(v: JsonValue | undefined): LayerHistogram[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((h) => {
    const o = objectOf(h);
    if (o === null || !numbers(o['edges']) || !numbers(o['first']) || !numbers(o['last'])) return [];
    const n = (x: JsonValue | undefined): number => (typeof x === 'number' ? x : 0);
    return [{ layer: n(o['layer']), activation: str(o['activation']) ?? '', edges: o['edges'], first: o['first'], last: o['last'], firstEpoch: n(o['firstEpoch']), lastEpoch: n(o['lastEpoch']) }];
  });
}

function curveOf(t: FrozenTrial, epochs: readonly EpochRecord[]): CurveData {
  const number = t.number;
  const kept = thin(epochs, MAX_CURVE_POINTS);
  const names = new Set<string>();
  // Layer-health metrics stay out of the page's curves (the histograms carry what it draws).
  for (const e of kept) for (const k of Object.keys(e.metrics)) if (!/^layer\d+\./.test(k)) names.add(k);
  const metrics: Record<string, (number | null)[]> = {};
  for (const name of names) metrics[name] = kept.map((e) => finiteOrNull(e.metrics[name]));
  return { number, histograms: histogramsOf(t.attrs['layer_histograms']), epoch: kept.map((e) => e.epoch), metrics };
}

/** A trial's `augment_samples` attribute, when it is well formed. */
function augmentSamplesOf(t: FrozenTrial | null): ReportData['augment'] {
  const o = objectOf(t?.attrs[AUGMENT_SAMPLES_ATTR]);
  if (t === null || o === null) return null;
  const [width, height, channels, lo, hi] = (['width', 'height', 'channels', 'lo', 'hi'] as const).map((k) => o[k]);
  const labels = o['labels'];
  const pixels = str(o['pixels']);
  const ints = [width, height, channels].every((v) => typeof v === 'number' && Number.isInteger(v) && v > 0);
  if (!ints || typeof lo !== 'number' || typeof hi !== 'number' || pixels === null || !Array.isArray(labels)) return null;
  const samples: AugmentSamples = {
    width: width as number,
    height: height as number,
    channels: channels as number,
    labels: labels.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))),
    pixels,
    lo,
    hi,
  };
  return { trial: t.number, samples };
}

function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/** Which trials' curves go in: all when few; else the best, every non-complete state's first few, and an even sample. */
function curveTrials(trials: readonly FrozenTrial[], ranked: readonly FrozenTrial[]): FrozenTrial[] {
  if (trials.length <= MAX_CURVES) return [...trials];
  const chosen = new Set<number>(ranked.slice(0, MAX_CURVES / 4).map((t) => t.number));
  for (const state of ['diverged', 'pruned'] as const) {
    for (const t of trials.filter((x) => x.state === state).slice(0, MAX_CURVES / 8)) chosen.add(t.number);
  }
  for (const t of thin(trials, MAX_CURVES - chosen.size)) chosen.add(t.number);
  return trials.filter((t) => chosen.has(t.number));
}

function stagesOf(rows: readonly TrialRow[]): ReportData['stages'] {
  const byStage = new Map<number, { first: number; last: number }>();
  for (const r of rows) {
    if (r.stage === null) continue;
    const s = byStage.get(r.stage);
    if (s === undefined) byStage.set(r.stage, { first: r.number, last: r.number });
    else byStage.set(r.stage, { first: Math.min(s.first, r.number), last: Math.max(s.last, r.number) });
  }
  return [...byStage.entries()].sort((a, b) => a[0] - b[0]).map(([stage, s]) => ({ stage, ...s }));
}

/** The objective space of a study of several objectives (null for one): complete trials, the front as `best` shows it, and the step line of the two drawn. */
function paretoOf(input: ReportInput): ParetoData | null {
  const objectives = studyObjectives(input.study);
  if (objectives.length < 2) return null;
  const front = new Set(paretoTrials(input.trials, objectives).map((t) => t.number));
  const points = input.trials.flatMap((t) => {
    const values = t.state === 'complete' ? trialValues(t, objectives) : null;
    return values === null ? [] : [{ number: t.number, values, front: front.has(t.number) }];
  });
  const drawn = paretoFront(points, (p) => p.values.slice(0, 2), objectives.slice(0, 2).map((o) => o.goal));
  const line = drawn.sort((a, b) => a.values[0]! - b.values[0]! || a.number - b.number).map((p) => p.number);
  return { objectives, points, line };
}

/** The page's data for one study (trials' `attrs.verdict` as the caller judged them). */
export function shapeReport(input: ReportInput, now = new Date()): ReportData {
  const { study, trials, curves } = input;
  const params = paramsOf(trials);
  const rows = trials.map((t) => rowOf(t, params, curves.get(t.number) ?? []));
  const complete = trials.filter((t) => t.state === 'complete');
  const ranked = rankByValue(complete, study.direction).filter((t) => t.value !== null && Number.isFinite(t.value));
  const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
  for (const t of trials) counts[t.state] += 1;
  let best: FrozenTrial | null = null;
  for (const t of ranked) if (best === null || isBetter(t.value, best.value, study.direction)) best = t;
  return {
    study: { name: study.name, direction: study.direction, metric: study.metric },
    generated: now.toISOString(),
    counts,
    params,
    trials: rows,
    best: best?.number ?? null,
    highlighted: ranked.slice(0, HIGHLIGHTED).map((t) => t.number),
    curves: curveTrials(trials, ranked).map((t) => curveOf(t, curves.get(t.number) ?? [])),
    curvesSampled: trials.length > MAX_CURVES,
    stages: stagesOf(rows),
    importance: permutationImportance(params, rows.filter((r) => r.state === 'complete' && r.value !== null)),
    augment: augmentSamplesOf(best),
    pareto: paretoOf(input),
    pbt: pbtOf(trials, curves, params, study.metric),
  };
}
