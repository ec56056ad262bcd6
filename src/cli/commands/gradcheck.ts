import { CheckFailedError, UsageError } from '../../core/errors.js';
import { gradcheck } from '../../diagnose/gradcheck.js';
import { loadSpec } from '../../spec/index.js';
import { fmt, out, printJson, table } from '../output.js';
import type { Args } from '../parser.js';

/** `hpsearch gradcheck SPEC`: backprop vs centred finite differences and tape autodiff, per weight tensor. */
export default async function gradcheckCommand(args: Args): Promise<void> {
  const spec = await loadSpec(String(args['spec']));
  if (spec.trainer !== 'tfjs') throw new UsageError('gradcheck checks the built-in tfjs trainer; this spec uses trainer: module');
  const report = await gradcheck(spec);
  if (args['json'] === true) printJson(report);
  else {
    out(
      `gradient check on ${report.batch} examples (backend ${report.backend}): finite differences below ${report.threshold} ` +
        `(kinks frozen; "kinks" counts those the steps crossed) and tape autodiff below ${report.tapeThreshold}`,
    );
    const rows = report.tensors.map((t) => [t.name, t.size, fmt(t.relativeError), t.kinks, fmt(t.tapeError), t.passed ? 'ok' : 'FAIL']);
    out(table(['tensor', 'size', 'finite-difference error', 'kinks', 'tape error', 'result'], rows));
  }
  if (!report.passed) {
    const failed = report.tensors.filter((t) => !t.passed).map((t) => t.name);
    throw new CheckFailedError(`gradient check failed for ${failed.join(', ')}`);
  }
}
