/** What the report page draws: plain JSON, shaped in Node and inlined (or served) to the page. */
import type { Scale } from '../core/distributions.js';
import type { Attrs, Direction, EpochRecord, FrozenTrial, ParamValue, TrialState } from '../core/types.js';
export type { LayerHistogram } from '../core/layer-histogram.js';
import type { LayerHistogram } from '../core/layer-histogram.js';
import type { AugmentSamples } from '../core/augment-samples.js';
import type { Objective } from '../core/objectives.js';

/** What the caller reads from its Storage: the report never opens storage itself. */
export interface ReportInput {
  study: { name: string; direction: Direction; metric: string; attrs: Attrs; specJson: string };
  trials: readonly FrozenTrial[];
  curves: ReadonlyMap<number, readonly EpochRecord[]>;
}

export interface ParamInfo {
  name: string;
  /** 'categorical' (values listed) or the numeric distribution's scale. */
  kind: 'categorical' | Scale;
  values?: ParamValue[];
}

/** One trial's row in the table, history and parallel coordinates. */
export interface TrialRow {
  number: number;
  state: TrialState;
  value: number | null;
  params: Record<string, ParamValue | null>;
  stage: number | null;
  verdict: string | null;
  /** Further verdicts (e.g. dead_relu beside high_variance). */
  also: string[];
  summary: string | null;
  hint: string | null;
  /** The error, or the reason a trial stopped. */
  reason: string | null;
  overfitOnset: number | null;
  epochs: number;
  seconds: number | null;
}

/** A trial's curve, possibly thinned to at most MAX_CURVE_POINTS epochs. */
export interface CurveData {
  number: number;
  /** Per hidden layer, when the trainer recorded layer health. */
  histograms: LayerHistogram[];
  epoch: number[];
  /** Metric name → values (NaN and ±Infinity as null). */
  metrics: Record<string, (number | null)[]>;
}

export interface Importance {
  method: string;
  /**
   * Parameter → share of the importance (sums to 1 when any is positive), and the trials it
   * was judged over: all of them, or for a conditional parameter those where it is active.
   */
  scores: { name: string; score: number; activeTrials: number }[];
  trials: number;
}

/** A multi-objective study's complete trials in objective space, and its Pareto front. */
export interface ParetoData {
  objectives: Objective[];
  /** Complete trials with a finite value on every objective (objective order); `front`: on the Pareto front of all objectives. */
  points: { number: number; values: number[]; front: boolean }[];
  /** The trials of the front of the first two objectives (the drawn ones), by the first objective ascending: the step line joins them. */
  line: number[];
}

/** One pbt segment (a trial) of a member. */
export interface PbtSegment {
  trial: number;
  state: TrialState;
  /** Epochs trained when it began and when it was to end. */
  start: number;
  end: number;
  /** The searched parameters it trained with. */
  params: Record<string, ParamValue | null>;
  /** [epochs trained, the study metric] after each of its epochs (null: not finite). */
  curve: [number, number | null][];
  /** Set when it began by taking another member's weights: whose, at which epoch, and the donor's metric there. */
  exploited: { member: number; trial: number; epoch: number; value: number | null } | null;
}

/** A pbt study's members, each with its segments by epoch. */
export interface PbtData {
  metric: string;
  members: { member: number; segments: PbtSegment[] }[];
}

export interface ReportData {
  study: { name: string; direction: Direction; metric: string };
  generated: string;
  counts: Record<TrialState, number>;
  params: ParamInfo[];
  trials: TrialRow[];
  /** The best complete trial's number. */
  best: number | null;
  /** The trials whose curves are drawn in colour (best first). */
  highlighted: number[];
  curves: CurveData[];
  /** True when some trials' curves were left out to keep the page fast. */
  curvesSampled: boolean;
  stages: { stage: number; first: number; last: number }[];
  importance: Importance | null;
  /** Augmented training images of the best trial, when it augmented its data. */
  augment: { trial: number; samples: AugmentSamples } | null;
  /** Only for a study of several objectives. */
  pareto: ParetoData | null;
  /** Only for a pbt study: each member's schedule and curve. */
  pbt: PbtData | null;
}
