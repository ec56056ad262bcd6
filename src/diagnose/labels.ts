import { finite, windowLabel, type Curves } from './curves.js';
import { fmt } from './format.js';
import type { AccuracyTarget } from './rules.js';
import type { Evidence } from './types.js';

/** Where a trial's levels were measured: the label of the epochs averaged, and the result epoch they end at. */
export interface Window {
  /** E.g. "mean of epochs 26–28". */
  text: string;
  result: number | null;
  source: 'best_epoch' | 'last_epoch' | null;
}

/** Tail epochs the overfit onset's final level is the mean of (as `valleyOf` measures it). */
const ONSET_TAIL = 3;

/**
 * A label for each evidence figure: which metric, and which epochs it was measured over
 * (levels are the mean of the last epochs up to the trial's result epoch; first, peak and
 * minimum values name their epoch). Figures no rule here knows get no label.
 */
export function labelsOf(evidence: Evidence, curves: Curves, window: Window, target: AccuracyTarget | null): Record<string, string> {
  const w = window.text;
  const first = finite(curves.trainLoss)[0];
  const resultText =
    window.source === 'best_epoch'
      ? 'the epoch whose weights the trial kept (best_epoch, restore_best); levels end here'
      : 'the last epoch stored; levels end here';
  const known: Record<string, string> = {
    epochs: 'epochs stored',
    state: 'how the trial ended',
    result_epoch: resultText,
    value: "the trial's value: the study's metric as the trial ended (for the tfjs trainers, at the result epoch; one epoch, not a mean)",
    learning_rate: 'α the trial used',
    lr: 'α the trial used (its parameter, else the first lr reported)',
    alpha: 'α the trial used',
    train_loss_first: first === undefined ? 'train_loss at its first finite epoch' : `train_loss at epoch ${first.epoch}`,
    train_loss_final: `train_loss, ${w}`,
    val_loss_final: `val_loss, ${w}`,
    train_accuracy: `train_accuracy, ${w}`,
    val_accuracy: `val_accuracy, ${w}`,
    accuracy_gap: `train_accuracy − val_accuracy, ${w}: the variance (train–validation error gap)`,
    val_loss_min: 'the lowest val_loss, at val_loss_min_epoch',
    val_loss_min_epoch: 'epoch of the lowest val_loss',
    target_accuracy: target === null ? 'no target (no trial of the study has a train_accuracy)' : `lowest train_accuracy that is not high bias: ${target.source}`,
    target_source: 'where the target comes from',
    avoidable_bias:
      target === null ? 'reference accuracy − train_accuracy' : `reference accuracy ${fmt(target.reference)} − train_accuracy (${w}): the gap to the reference error`,
    chance_accuracy: 'accuracy of guessing: 1 / classes',
    chance_margin: 'threshold chanceMargin (fraction of the way from chance to 1)',
    nonfinite_metric: 'the first metric to become NaN or ±Infinity',
    nonfinite_epoch: 'the epoch it did',
    nonfinite_value: 'its value there',
    train_loss_peak: 'the highest train_loss after the first epoch',
    train_loss_peak_epoch: 'epoch of that peak',
    loss_ratio: 'train_loss peak ÷ train_loss at the first epoch',
    explode_factor: 'threshold explodeFactor',
    error: "the trial's error",
    stall_epochs: 'first epochs the stall is judged over',
    train_loss_window_min: 'the lowest train_loss over those epochs',
    stall_improvement: 'fall of train_loss over those epochs, as a fraction of the first',
    stall_limit: 'threshold stallImprovement',
    variance_reasons: 'which high-variance tests fired (accuracy_gap, loss_ratio, onset)',
    accuracy_gap_limit: 'threshold varianceAccuracyGap',
    val_train_loss_ratio: `val_loss ÷ train_loss, ${w}`,
    val_loss_rise: `rise of val_loss (${windowLabel(curves.valLoss, ONSET_TAIL) ?? 'its last epochs'}) over its smoothed minimum, as a fraction`,
    finite_train_losses: 'epochs with a finite train_loss',
    min_epochs: 'threshold minEpochs',
    dead_layer: 'hidden layer with the most dead ReLUs (at the last epoch)',
    dead_fraction: 'its fraction of ReLUs never positive on the monitoring batch (last epoch)',
    dead_relu_threshold: 'threshold deadReluFraction',
    saturated_layer: 'most saturated tanh/sigmoid layer (at the last epoch)',
    saturated_fraction: 'its fraction of activations in the flat tails (last epoch)',
    saturated_threshold: 'threshold saturatedFraction',
    gradient_ratio: 'first ÷ last hidden layer gradient norm, at the first epoch',
    first_layer_grad_norm: "first hidden layer's gradient norm, at the first epoch",
    last_layer_grad_norm: "last hidden layer's gradient norm, at the first epoch",
    vanishing_threshold: 'threshold vanishingGradientRatio',
    exploding_threshold: 'threshold explodingGradientRatio',
  };
  const out: Record<string, string> = {};
  for (const key of Object.keys(evidence)) out[key] = known[key] ?? '';
  return out;
}
