/**
 * Checks before spending a search's budget, on the spec's fixed settings (see fixed-task.ts):
 * the data is sane, the initial loss is about ln(C), the penalty raises the objective, and
 * the network can overfit a handful of examples. A failed check says what to fix.
 */
import { errorMessage, UsageError } from '../core/errors.js';
import type { Spec } from '../core/spec.js';
import type { Params } from '../core/types.js';
import { headOf, Probe } from '../train/probe.js';
import type { Batch } from '../train/probe.js';
import { fixedTask } from './fixed-task.js';
import { fmt } from './format.js';
import type { PreflightCheck } from './preflight-check.js';

export type { PreflightCheck, PreflightCheckName } from './preflight-check.js';
import { userModelCheck } from './user-model-check.js';
import { knobsOnly } from '../train/user/load.js';

/** Named thresholds of the preflight checks. */
export const PREFLIGHT_SETTINGS = {
  /** Examples the initial loss is measured on. */
  lossExamples: 256,
  /** The initial loss may be at most this many times ln(C) (a larger one: weights too large, or a bug). */
  maxInitialLossRatio: 3,
  /** …and at least this fraction of ln(C) (a smaller one: the labels leak into the input, or a bug). */
  minInitialLossRatio: 0.5,
  /** Within this factor of ln(C) either way the initial loss is ≈ ln(C); between it and the limits above, a warning. */
  nearInitialLossRatio: 1.25,
  /** Penalty coefficient used to check the penalty when the spec sets none. */
  probePenalty: 1e-3,
  /** The penalty's share of the training gradient must match its own gradient to this relative error. */
  penaltyGradientTolerance: 1e-3,
  /** Examples the network must overfit. */
  overfitExamples: 20,
  /** Full-batch steps it may take. */
  overfitSteps: 500,
  /** Training accuracy it must reach on them. */
  overfitAccuracy: 0.99,
  /**
   * If the spec's optimiser and learning rate don't get there (the middle of a wide range can
   * be slow), this one is tried: then the network and its gradients are fine and the message
   * says the learning rate needs the search.
   */
  fallbackOptimizer: { optimizer: 'adam', learning_rate: 0.01 },
  /** A label with more distinct values than this fraction of the rows looks continuous. */
  continuousLabelFraction: 0.5,
  /** …when it also has more than this many values. */
  continuousLabelMinClasses: 20,
} as const;

export interface PreflightReport {
  passed: boolean;
  /** The parameters the checks used (the middle of each searched range). */
  params: Params;
  backend: string | null;
  checks: PreflightCheck[];
}

export interface PreflightOptions {
  /**
   * Simulates a bug in the model for testing the checks: `ignore_labels` trains on a
   * constant label, as a loss that ignores the labels would; `drop_penalty_gradient` leaves
   * the penalty out of the training gradient.
   */
  inject?: 'ignore_labels' | 'drop_penalty_gradient';
}

function dataChecks(probe: Probe): PreflightCheck {
  const { train, classes, classNames, features } = probe.data;
  const counts = new Array<number>(classes).fill(0);
  for (const y of train.y) counts[y] = (counts[y] ?? 0) + 1;
  const rows = train.n + probe.data.val.n + probe.data.test.n;
  const evidence = { classes, training_rows: train.n, features };
  const s = PREFLIGHT_SETTINGS;
  if (classes > s.continuousLabelMinClasses && classes > s.continuousLabelFraction * rows) {
    return {
      name: 'data',
      passed: false,
      evidence,
      message: `the label has ${classes} distinct values in ${rows} rows: it looks like a continuous feature, not a class; name the class column in data.label`,
    };
  }
  const missing = counts.flatMap((c, i) => (c === 0 ? [classNames[i] ?? String(i)] : []));
  if (missing.length > 0) {
    return { name: 'data', passed: false, evidence, message: `no training example of class ${missing.join(', ')}: use more data or a different split` };
  }
  const bad = train.x.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    return { name: 'data', passed: false, evidence, message: `feature ${bad % features} of training row ${Math.floor(bad / features)} is not finite after preprocessing` };
  }
  return { name: 'data', passed: true, evidence, message: `${classes} classes, all present in ${train.n} training rows; features finite` };
}

/** Runs the preflight checks of a spec (tfjs trainer). Never throws for a failed check. */
export async function preflight(spec: Spec, options: PreflightOptions = {}): Promise<PreflightReport> {
  const task = fixedTask(spec);
  let probe: Probe;
  try {
    probe = await Probe.open(task.user_model === undefined ? task : knobsOnly(task));
  } catch (error) {
    // A backend that cannot load is bad usage (exit 2), not a failed check.
    if (error instanceof UsageError) throw error;
    return {
      passed: false,
      params: task.params,
      backend: null,
      checks: [{ name: 'data', passed: false, evidence: {}, message: `cannot build the trial: ${errorMessage(error)}` }],
    };
  }
  const checks = [dataChecks(probe)];
  // A user model is checked for what it builds; the other checks are of mlp/cnn.
  if (checks[0]?.passed === true) checks.push(...(task.user_model === undefined ? modelChecks(probe, options) : [await userModelCheck(task.user_model, task, probe.data)]));
  return { passed: checks.every((c) => c.passed), params: task.params, backend: probe.backend.name, checks };
}

function modelChecks(probe: Probe, options: PreflightOptions): PreflightCheck[] {
  const s = PREFLIGHT_SETTINGS;
  const { classes, features, train } = probe.data;
  const weights = probe.initialWeights();
  const batch = headOf(train, features, s.lossExamples);
  const expected = Math.log(classes);
  const initial = probe.loss(weights, batch);
  const ratio = initial / expected;
  const lossOk = Number.isFinite(initial) && ratio <= s.maxInitialLossRatio && ratio >= s.minInitialLossRatio;
  const near = lossOk && ratio <= s.nearInitialLossRatio && ratio >= 1 / s.nearInitialLossRatio;
  const why = ratio > 1 ? 'the initial weights are large (try init: xavier or he, or a smaller init_scale)' : 'the loss is low before training: do the features contain the label?';
  const out: PreflightCheck[] = [
    {
      name: 'initial_loss',
      passed: lossOk,
      ...(lossOk && !near ? { warning: true } : {}),
      evidence: { initial_loss: initial, expected: expected, ratio },
      message: near
        ? `initial loss ${initial.toFixed(3)} ≈ ln(${classes}) = ${expected.toFixed(3)}`
        : `initial loss ${initial.toFixed(3)} is ${ratio.toFixed(2)}× ln(${classes}) = ${expected.toFixed(3)}` +
          (lossOk ? ` (fails outside ${s.minInitialLossRatio}–${s.maxInitialLossRatio}×): ${why}` : `: ${why}`),
    },
  ];
  out.push(regularizationCheck(probe, weights, batch, initial, options));
  const tiny = headOf(train, features, s.overfitExamples);
  const trainLabels = options.inject === 'ignore_labels' ? new Int32Array(tiny.rows) : undefined;
  const fit = probe.overfit(tiny, { maxSteps: s.overfitSteps, target: s.overfitAccuracy, trainLabels });
  const own = `${probe.settings.optimizer} at learning_rate ${fmt(probe.settings.learning_rate)}`;
  if (fit.accuracy >= s.overfitAccuracy) {
    out.push({
      name: 'overfit',
      passed: true,
      evidence: { examples: tiny.rows, steps: fit.steps, accuracy: fit.accuracy, learning_rate: probe.settings.learning_rate },
      message: `overfits ${tiny.rows} examples to ${(fit.accuracy * 100).toFixed(0)} % training accuracy in ${fit.steps} steps (${own})`,
    });
    return out;
  }
  const fallback = probe.overfit(tiny, { maxSteps: s.overfitSteps, target: s.overfitAccuracy, trainLabels, optimizer: s.fallbackOptimizer });
  const passed = fallback.accuracy >= s.overfitAccuracy;
  const other = `${s.fallbackOptimizer.optimizer} at learning_rate ${fmt(s.fallbackOptimizer.learning_rate)}`;
  out.push({
    name: 'overfit',
    passed,
    // It overfits, but only with another optimiser: worth a look, not a failure.
    ...(passed ? { warning: true } : {}),
    evidence: { examples: tiny.rows, steps: fit.steps, accuracy: fit.accuracy, fallback_steps: fallback.steps, fallback_accuracy: fallback.accuracy },
    message: passed
      ? `overfits ${tiny.rows} examples with ${other} in ${fallback.steps} steps; with ${own} only ${(fit.accuracy * 100).toFixed(0)} % ` +
        `after ${fit.steps} steps: that learning rate is slow, let the search range cover faster ones`
      : `could not overfit ${tiny.rows} training examples: ${(fit.accuracy * 100).toFixed(0)} % accuracy with ${own}, ` +
        `${(fallback.accuracy * 100).toFixed(0)} % with ${other}, after ${s.overfitSteps} steps each. A network that cannot ` +
        'memorise a handful of examples has a bug (labels not reaching the loss, a wrong gradient) or too little capacity: fix it before searching',
  });
  return out;
}

function distance(a: Float32Array[], b: Float32Array[]): { diff: number; scale: number } {
  let diff = 0;
  let scale = 0;
  a.forEach((t, i) => t.forEach((v, k) => {
    const w = b[i]![k]!;
    diff += (v - w) ** 2;
    scale += w ** 2;
  }));
  return { diff: Math.sqrt(diff), scale: Math.sqrt(scale) };
}

/**
 * The penalty raises the objective, and the training gradient carries it: the gradient with
 * the penalty minus the gradient without is the penalty's own gradient (by tape autodiff).
 */
function regularizationCheck(probe: Probe, weights: Float32Array[], batch: Batch, initial: number, options: PreflightOptions): PreflightCheck {
  const s = PREFLIGHT_SETTINGS;
  const l2 = probe.settings.l2 > 0 || probe.settings.l1 > 0 ? probe.settings.l2 : s.probePenalty;
  const l1 = probe.settings.l1;
  const regularised = probe.loss(weights, batch, { l1, l2 });
  const plain = probe.gradients(weights, batch);
  const penalised = options.inject === 'drop_penalty_gradient' ? plain : probe.gradients(weights, batch, { l1, l2 });
  const own = probe.penaltyTapeGradients(weights, { l1, l2 });
  const { diff, scale } = distance(
    penalised.map((g, i) => g.map((v, k) => v - plain[i]![k]!)),
    own,
  );
  const gradientError = scale === 0 ? (diff === 0 ? 0 : Infinity) : diff / scale;
  const raises = regularised > initial;
  const carried = gradientError < s.penaltyGradientTolerance;
  const evidence = { loss: initial, loss_with_penalty: regularised, l1, l2, penalty_gradient_error: gradientError };
  if (!raises) {
    return {
      name: 'regularization',
      passed: false,
      evidence,
      message: `turning the penalty on (l2 ${l2}, l1 ${l1}) did not raise the objective (${initial} → ${regularised}): the weights may all be zero (init: zeros)`,
    };
  }
  if (!carried) {
    return {
      name: 'regularization',
      passed: false,
      evidence,
      message:
        `the training gradient does not carry the penalty (l2 ${l2}, l1 ${l1}): its change is ${gradientError.toPrecision(3)} ` +
        "(relative) away from the penalty's own gradient; L1/L2 would not regularise",
    };
  }
  return {
    name: 'regularization',
    passed: true,
    evidence,
    message: `the penalty raises the objective (${initial.toFixed(4)} → ${regularised.toFixed(4)}) and its gradient is in the training gradient (l2 ${l2}, l1 ${l1})`,
  };
}
