import { HpsearchError, SpecError } from '../../core/errors.js';
import type { Spec } from '../../core/spec.js';
import { describeCondition } from '../../spec/conditions.js';
import { loadSpec } from '../../spec/index.js';
import { createSampler } from '../../search/index.js';
import { err, out, printJson } from '../output.js';
import type { Args } from './index.js';

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
  const planned = createSampler({ spec, direction: spec.metric.goal }).planned;
  const trials = spec.run_cap ?? planned;
  if (args['json'] === true) {
    const { source, ...rest } = spec;
    printJson({ valid: true, trials, hash: source.hash, spec: rest });
    return;
  }
  out(`${spec.source.path}: valid`);
  out(`study ${spec.name}: ${spec.method} search, ${trials ?? 'unbounded'} trials, ${spec.metric.goal} ${spec.metric.name}, trainer ${spec.trainer}`);
  for (const [name, d] of Object.entries(spec.parameters)) {
    const when = spec.conditions?.[name];
    out(`  ${name}: ${JSON.stringify(d)}${when === undefined ? '' : ` ${describeCondition(when)}`}`);
  }
  if (Object.keys(spec.parameters).length === 0) err('note: no parameters are searched');
}
