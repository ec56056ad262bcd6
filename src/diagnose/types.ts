import type { ParamValue } from '../core/types.js';

/** The verdicts a trial can get, from the most to the least severe. */
export const VERDICTS = [
  'diverged',
  'stalled',
  'high_bias',
  'high_variance',
  'dead_relu',
  'saturated',
  'vanishing_gradients',
  'exploding_gradients',
  'good_fit',
  'unknown',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The numbers behind a verdict, by name. NaN and ±Infinity are given as strings so the record stays JSON. */
export type Evidence = Record<string, number | string | null>;

/** What the curves of one trial say. */
export interface Diagnosis {
  /** The primary verdict (precedence: diverged > stalled > high_bias > high_variance > good_fit). */
  verdict: Verdict;
  /** The numbers behind the verdict (and the trial's standard measures). */
  evidence: Evidence;
  /** What to change, in the training playbook's terms. */
  hint: string;
  /** One line a CLI can print, with the numbers. */
  summary: string;
  /** The 0-based epoch where the validation loss bottomed out before rising meaningfully, or null. */
  overfitOnset: number | null;
  /** Further verdicts that also apply (e.g. high_variance next to a primary high_bias). */
  also: Verdict[];
  /** For each evidence figure, what it is: which metric, over which epochs (e.g. "train_accuracy, mean of epochs 26–28"). */
  labels: Record<string, string>;
}

/** Human label of a verdict ("high_bias" → "high bias"). */
export function verdictLabel(v: Verdict): string {
  return v.replaceAll('_', ' ');
}

/** What a study suggestion proposes. */
export type SuggestionKind =
  /** Most trials above a cut diverged or stalled: lower the range's maximum to the cut. */
  | 'lower_max'
  /** Most trials below a cut diverged or stalled: raise the range's minimum to the cut. */
  | 'raise_min'
  /** The best trials sit at the range's upper edge: raise its maximum. */
  | 'widen_max'
  /** The best trials sit at the range's lower edge: lower its minimum. */
  | 'widen_min'
  /** The best trials sit at an edge that cannot move (e.g. dropout 0): consider fixing the parameter there. */
  | 'at_limit'
  /** One categorical value dominates the best trials: fix it, or drop the values that never win. */
  | 'prefer_value'
  /** Most trials share a verdict whose remedy moves this categorical numeric parameter: drop the values on the far side. */
  | 'drop_values';

/** One change to the search space, with the numbers that justify it. */
export interface Suggestion {
  kind: SuggestionKind;
  param: string;
  /** One line with its numbers, e.g. "9 of 12 trials with learning_rate > 0.3 diverged: lower the learning_rate maximum to 0.3". */
  message: string;
  /** The proposed bound (numeric kinds) or value (prefer_value, at_limit); for drop_values the kept values, comma-separated. */
  proposal: number | string | boolean;
  /** The whole proposed range, when the suggestion comes from the verdicts' majority. */
  range?: { min: number; max: number };
  /** The values to keep (drop_values). */
  values?: ParamValue[];
  evidence: Evidence;
}

/** A verdict most judged trials share, the course notes' remedy for it, and the parameters a suggestion moves for it. */
export interface MajorityVerdict {
  verdict: Verdict;
  /** Trials with the verdict, and trials judged (verdict not `unknown`). */
  trials: number;
  judged: number;
  /** The remedy in words. */
  advice: string;
  /** The searched parameters that suggestions (a failure cut, or the majority's own) move for it; empty: none of the searched parameters carries the remedy or separates the trials. */
  parameters: string[];
}

/** What a study's trials say as a whole. */
export interface StudyDiagnosis {
  /** Trials diagnosed. */
  trials: number;
  /** How many trials got each primary verdict (every verdict present, zeros included). */
  counts: Record<Verdict, number>;
  /** Numbers of the trials counted as "the best trials", best first (empty below `minTrials` ranked trials). */
  best: number[];
  /** Suggested changes to the search space, strongest first within each kind. */
  suggestions: Suggestion[];
  /** The verdicts more than half of the judged trials share (see `majoritySuggestions`). */
  majority: MajorityVerdict[];
}
