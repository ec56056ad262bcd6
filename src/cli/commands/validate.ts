import { HpsearchError, SpecError } from '../../core/errors.js';
import type { Spec } from '../../core/spec.js';
import { describeCondition } from '../../spec/conditions.js';
import { loadSpec } from '../../spec/index.js';
import { createSampler } from '../../search/index.js';
import { choiceText } from '../progress/lines.js';
import { err, out, printJson } from '../output.js';
import type { Args } from '../parser.js';

/** The coarse-to-fine stage plan: each stage's trials and what bounds its ranges. */
function stagePlan(spec: Spec): string[] {
  if (spec.method !== 'coarse-to-fine') return [];
  let first = 0;
  return spec.stages.map((stage, k) => {
    const trials = `trials ${first}–${first + stage.trials - 1}`;
    first += stage.trials;
    if (k === 0) return `  stage 0: ${trials}, over the ranges above`;
    const margin = stage.margin > 0 ? `, widened by ${stage.margin} of its width on each side` : '';
    return `  stage ${k}: ${trials}, in the box of the best ${stage.top_k ?? '?'} trials before it${margin} (decided when they finish; hpsearch studies shows it)`;
  });
}

/** `hpsearch validate SPEC`: exits 2 with every issue, or prints what the spec will search. */
export default async function validate(args: Args): Promise<void> {
  let spec: Spec;
  try {
    spec = await loadSpec(String(args['spec']));
  } catch (error) {
    // With --json, CI gets the issues as data too (the exit code stays 2).
    if (args['json'] === true && error instanceof SpecError) printJson({ valid: false, issues: error.issues });
    else if (args['json'] === true && error instanceof HpsearchError) printJson({ valid: false, issues: [], error: error.message });
    throw error;
  }
  const { planned, choice } = createSampler({ spec, direction: spec.metric.goal });
  const trials = spec.run_cap ?? planned;
  if (args['json'] === true) {
    const { source, ...rest } = spec;
    printJson({ valid: true, trials, hash: source.hash, ...(choice === undefined ? {} : { choice }), spec: rest });
    return;
  }
  out(`${spec.source.path}: valid`);
  const method = choice === undefined ? `${spec.method} search` : choiceText(choice);
  const goals = (spec.objectives ?? [spec.metric]).map((o) => `${o.goal} ${o.name}`).join(', ');
  out(`study ${spec.name}: ${method}, ${trials ?? 'unbounded'} trials, ${goals}, trainer ${spec.trainer}`);
  for (const [name, d] of Object.entries(spec.parameters)) {
    const when = spec.conditions?.[name];
    out(`  ${name}: ${JSON.stringify(d)}${when === undefined ? '' : ` ${describeCondition(when)}`}`);
  }
  for (const line of stagePlan(spec)) out(line);
  if (Object.keys(spec.parameters).length === 0) err('note: no parameters are searched');
}
