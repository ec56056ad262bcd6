/**
 * Verdicts from the layer-health metrics the tfjs trainer records per epoch
 * (`layer<k>.dead_fraction`, `.saturated_fraction`, `.grad_norm`): dead ReLUs, saturated
 * units, vanishing and exploding gradients. They come beside the curve verdicts (`also`).
 */
import type { EpochRecord } from '../core/types.js';
import { fmt } from './format.js';
import type { Finding } from './rules.js';
import type { DiagnoseThresholds } from './thresholds.js';

/** `layer<k>.<name>` of one epoch, by layer number (1-based), in order. */
function perLayer(e: EpochRecord | undefined, name: string): { layer: number; value: number }[] {
  const out: { layer: number; value: number }[] = [];
  for (const [key, value] of Object.entries(e?.metrics ?? {})) {
    const m = /^layer(\d+)\.(.+)$/.exec(key);
    if (m !== null && m[2] === name && Number.isFinite(value)) out.push({ layer: Number(m[1]), value });
  }
  return out.sort((a, b) => a.layer - b.layer);
}

function worst(values: { layer: number; value: number }[]): { layer: number; value: number } | null {
  return values.reduce<{ layer: number; value: number } | null>((w, v) => (w === null || v.value > w.value ? v : w), null);
}

/** The layer-health findings of a curve (none without layer metrics). */
export function checkLayerHealth(epochs: readonly EpochRecord[], t: DiagnoseThresholds): Finding[] {
  const last = epochs.at(-1);
  const findings: Finding[] = [];
  const dead = worst(perLayer(last, 'dead_fraction'));
  if (dead !== null && dead.value > t.deadReluFraction) {
    findings.push({
      verdict: 'dead_relu',
      evidence: { dead_layer: dead.layer, dead_fraction: dead.value, dead_relu_threshold: t.deadReluFraction },
      summary: `dead ReLU: ${fmt(dead.value * 100)} % of layer ${dead.layer}'s units never fire`,
      hint: 'dead ReLUs: lower α, use He initialisation (√(2/n)), or leaky ReLU',
    });
  }
  const saturated = worst(perLayer(last, 'saturated_fraction'));
  if (saturated !== null && saturated.value > t.saturatedFraction) {
    findings.push({
      verdict: 'saturated',
      evidence: { saturated_layer: saturated.layer, saturated_fraction: saturated.value, saturated_threshold: t.saturatedFraction },
      summary: `saturated: ${fmt(saturated.value * 100)} % of layer ${saturated.layer}'s activations are pinned in the flat tails`,
      hint: "saturated units kill the gradient: smaller initial weights (Xavier, √(1/n)), batch norm, and don't use sigmoid",
    });
  }
  const grads = perLayer(epochs[0], 'grad_norm');
  const first = grads[0];
  const lastLayer = grads.at(-1);
  if (first !== undefined && lastLayer !== undefined && grads.length >= 2 && lastLayer.value > 0) {
    const ratio = first.value / lastLayer.value;
    const evidence = { gradient_ratio: ratio, first_layer_grad_norm: first.value, last_layer_grad_norm: lastLayer.value };
    if (ratio < t.vanishingGradientRatio) {
      findings.push({
        verdict: 'vanishing_gradients',
        evidence: { ...evidence, vanishing_threshold: t.vanishingGradientRatio },
        summary: `vanishing gradients: layer 1's gradient is ${fmt(ratio)} × layer ${lastLayer.layer}'s`,
        hint: 'vanishing gradients: initialise with variance 1/n (Xavier, tanh) or 2/n (He, ReLU), add batch norm, or use fewer layers',
      });
    } else if (ratio > t.explodingGradientRatio) {
      findings.push({
        verdict: 'exploding_gradients',
        evidence: { ...evidence, exploding_threshold: t.explodingGradientRatio },
        summary: `exploding gradients: layer 1's gradient is ${fmt(ratio)} × layer ${lastLayer.layer}'s`,
        hint: 'exploding gradients: smaller initial weights (variance 1/n or 2/n), a lower α, batch norm',
      });
    }
  }
  return findings;
}
