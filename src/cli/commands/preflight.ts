import { CheckFailedError, UsageError } from '../../core/errors.js';
import type { Spec } from '../../core/spec.js';
import { preflight, type PreflightReport } from '../../diagnose/preflight.js';
import { activeParams } from '../../search/conditions.js';
import { loadSpec } from '../../spec/index.js';
import { err, out, printJson } from '../output.js';
import { paramText } from '../progress/lines.js';
import type { Args } from '../parser.js';

/** Prints a preflight report (to stderr unless JSON) and throws CheckFailedError if it failed. */
export async function runPreflight(spec: Spec, json: boolean, write: (line: string) => void): Promise<PreflightReport> {
  const found = await preflight(spec);
  // A conditional parameter whose condition fails (beta1 beside optimizer=momentum) is not used: not shown.
  const report = { ...found, params: activeParams(found.params, spec.conditions ?? {}) };
  if (json) printJson(report);
  else {
    write(`preflight on ${paramText(report.params) || 'the fixed settings'}${report.backend === null ? '' : ` (backend ${report.backend})`}:`);
    for (const c of report.checks) write(`  ${c.passed ? (c.warning === true ? 'warn' : 'ok  ') : 'FAIL'} ${c.name}: ${c.message}`);
  }
  if (!report.passed) {
    const failed = report.checks.filter((c) => !c.passed).map((c) => c.name);
    throw new CheckFailedError(`preflight failed (${failed.join(', ')}): fix the spec before searching, or run with --no-preflight`);
  }
  return report;
}

/** `hpsearch preflight SPEC`: sanity checks on the spec's fixed settings; exit 1 if one fails. */
export default async function preflightCommand(args: Args): Promise<void> {
  const spec = await loadSpec(String(args['spec']));
  if (spec.trainer !== 'tfjs') throw new UsageError('preflight checks the built-in tfjs trainer; this spec uses trainer: module');
  await runPreflight(spec, args['json'] === true, args['json'] === true ? err : out);
}
