/** `show`'s lines for a pbt trial: whose weights it took, when, and its parameters after each change. */
import type { LineageStep } from '../search/pbt-lineage.js';
import { fmt } from './output.js';

const shown = (v: unknown): string => (typeof v === 'number' ? fmt(v) : String(v));

export function lineageLines(steps: readonly LineageStep[]): string[] {
  if (steps.length === 0) return [];
  const lastStep = steps.at(-1) as LineageStep;
  const lines = [`lineage (member ${lastStep.member}, epochs 0–${lastStep.end_epoch}):`];
  for (const s of steps) {
    const span = `epochs ${s.start_epoch}–${s.end_epoch}`.padEnd(14);
    const params = Object.entries(s.params).map(([k, v]) => `${k}=${shown(v)}`).join(' ');
    let how: string;
    if (s.exploited !== null) {
      const changed = Object.entries(s.changes ?? {})
        .filter(([, c]) => c.how !== 'kept')
        .map(([k, c]) => `${k} ${shown(c.from)} → ${shown(c.to)} (${c.how === 'scaled' ? `×${c.factor}` : c.how})`);
      how = `took member ${s.exploited.member}'s weights at epoch ${s.exploited.epoch} (trial ${s.exploited.trial})${changed.length > 0 ? `; ${changed.join(', ')}` : ''}`;
    } else how = s.start_epoch === 0 ? 'from scratch' : 'its own weights';
    lines.push(`  ${span} trial ${String(s.trial).padEnd(4)} member ${s.member}  ${params}  ${how}  → ${fmt(s.value)}`);
  }
  return lines;
}
