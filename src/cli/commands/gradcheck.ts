import { CheckFailedError, UsageError } from '../../core/errors.js';
import { gradcheck } from '../../diagnose/gradcheck.js';
import { loadSpec } from '../../spec/index.js';
import { fmt, out, printJson, table } from '../output.js';
import type { Args } from './index.js';

/** `hpsearch gradcheck SPEC`: backprop vs centred finite differences, per weight tensor. */
export default async function gradcheckCommand(args: Args): Promise<void> {
  const spec = await loadSpec(String(args['spec']));
  if (spec.trainer !== 'tfjs') throw new UsageError('gradcheck checks the built-in tfjs trainer; this spec uses trainer: module');
  const report = await gradcheck(spec);
  if (args['json'] === true) printJson(report);
  else {
    out(`gradient check on ${report.batch} examples (backend ${report.backend}); a tensor passes below ${report.threshold}`);
    out(table(['tensor', 'size', 'relative error', 'result'], report.tensors.map((t) => [t.name, t.size, fmt(t.relativeError), t.passed ? 'ok' : 'FAIL'])));
  }
  if (!report.passed) {
    const failed = report.tensors.filter((t) => !t.passed).map((t) => t.name);
    throw new CheckFailedError(`gradient check failed for ${failed.join(', ')}`);
  }
}
