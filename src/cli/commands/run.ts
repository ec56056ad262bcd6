import { ExitCode, InterruptedError, UsageError } from '../../core/errors.js';
import { rankByValue } from '../../core/types.js';
import { createExecutor } from '../../pool/index.js';
import { loadSpec } from '../../spec/index.js';
import { openStorage } from '../../store/open.js';
import { runStudy, type RunSummary } from '../../study/run.js';
import { BACKENDS } from '../../train/identifiers.js';
import { storageLocation, withStorage } from '../context.js';
import { err, out, printJson } from '../output.js';
import { createProgress } from '../progress/index.js';
import { trialJson, trialTable } from '../trial-rows.js';
import { gate, requirementsOf } from './check.js';
import { checkModuleTrainer } from '../../train/module-trainer.js';
import { withCurrentVerdicts } from '../verdicts.js';
import type { Args } from './index.js';
import { serveBeside } from '../live.js';
import type { LiveServer } from '../../report/index.js';
import { portOf } from './serve.js';

/** `hpsearch run SPEC`: creates or resumes the study and runs its trials to the budget. */
export default async function run(args: Args): Promise<void> {
  const spec = await loadSpec(String(args['spec']));
  const backend = args['backend'];
  if (backend !== undefined) {
    if (typeof backend !== 'string' || !(BACKENDS as readonly string[]).includes(backend)) {
      throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}`);
    }
    spec.train = { ...spec.train, backend };
  }
  const runCap = optionalPositiveInt(args['runCap'], '--run-cap');
  const parallelism = optionalPositiveInt(args['parallelism'], '--parallelism');
  const graceSeconds = graceOf(args['grace']);
  const requirements = requirementsOf(args);
  if (spec.trainer === 'module' && spec.module !== null) await checkModuleTrainer(spec.module);
  if (args['preflight'] !== false && spec.trainer === 'tfjs') {
    const { runPreflight } = await import('./preflight.js');
    // With --quiet the checks speak only when one fails (runPreflight throws then).
    const lines: string[] = [];
    try {
      await runPreflight(spec, false, (line) => (args['quiet'] === true ? lines.push(line) : err(line)));
    } catch (error) {
      for (const line of lines) err(line);
      throw error;
    }
  }
  const storage = await openStorage(storageLocation(args['storage'], spec.storage));
  const studyName = typeof args['study'] === 'string' ? args['study'] : spec.name;
  const summary = await withStorage(storage, async () => {
    const executor = await createExecutor({ spec, parallelism });
    const progress = createProgress({ quiet: args['quiet'] === true });
    const drain = new AbortController();
    const kill = new AbortController();
    let signalCode: number = ExitCode.interrupted;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (drain.signal.aborted) {
        progress.warn(`hpsearch: second ${signal}: stopping running trials now`);
        kill.abort();
        // Should recording the interrupted trials hang (a locked database), go anyway: the
        // trials stay `running` under this dead process and the next run takes them over.
        setTimeout(() => {
          progress.stop();
          process.exit(signalCode);
        }, 3_000).unref();
        return;
      }
      signalCode = signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted;
      const again = signal === 'SIGINT' ? 'Ctrl-C' : signal;
      progress.warn(`hpsearch: ${signal}: launching nothing new; running trials get ${graceSeconds} s to finish (${again} again: stop now)`);
      drain.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let live: LiveServer | null = null;
    try {
      if (args['serve'] === true) live = await serveBeside(storage.location, studyName, portOf(args['port']));
      const result = await runStudy({
        spec,
        storage,
        executor,
        studyName: typeof args['study'] === 'string' ? args['study'] : undefined,
        runCap,
        allowSpecChange: args['allowSpecChange'] === true,
        events: progress,
        signal: drain.signal,
        killSignal: kill.signal,
        graceMs: graceSeconds * 1000,
      });
      // The summary shows verdicts judged against the whole study, as `trials` and `best` do.
      result.trials = await withCurrentVerdicts(storage, result.study, result.trials);
      return { result, signalCode };
    } finally {
      progress.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await executor.close();
      await live?.close();
    }
  });
  report(summary.result, args['json'] === true);
  if (summary.result.interrupted) {
    throw new InterruptedError(`interrupted: rerun the same command to resume study '${summary.result.study.name}'`, summary.signalCode);
  }
  if (!summary.result.trials.some((t) => t.state === 'complete')) {
    process.exitCode = ExitCode.checkFailed;
    err(`hpsearch: no trial of study '${summary.result.study.name}' completed`);
  } else if (requirements.length > 0) {
    await withStorage(await openStorage(storageLocation(args['storage'], spec.storage)), (s) => gate(s, summary.result.study, requirements, false));
  }
}

/** --grace SECONDS: how long running trials may go on after a first Ctrl-C (default 10). */
function graceOf(value: unknown): number {
  if (value === undefined) return 10;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new UsageError('--grace must be a number of seconds ≥ 0');
  return value;
}

function optionalPositiveInt(value: unknown, flag: string): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number ≥ 1`);
  return value;
}

/** The end of a run: counts and the top trials (JSON on stdout with --json). */
function report(result: RunSummary, json: boolean): void {
  const { study, trials } = result;
  const counts: Record<string, number> = {};
  for (const t of trials) counts[t.state] = (counts[t.state] ?? 0) + 1;
  const complete = rankByValue(
    trials.filter((t) => t.state === 'complete'),
    study.direction,
  );
  if (json) {
    printJson({
      study: study.name,
      metric: study.metric,
      direction: study.direction,
      resumed: result.resumed,
      ran: result.ran,
      interrupted: result.interrupted,
      counts,
      best: complete[0] === undefined ? null : trialJson(complete[0]),
      top: complete.slice(0, 5).map(trialJson),
    });
    return;
  }
  const countText = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
  err(`study ${study.name}: ${trials.length} trials (${countText}); this run ran ${result.ran}`);
  if (complete.length > 0) {
    const top = trialTable(complete.slice(0, 5), study.metric);
    out(`top trials by ${study.metric} (${study.direction}):`);
    out(top);
  }
}
