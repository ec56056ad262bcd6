/**
 * One study run in this process, as `run` and `worker` do it: the pool's slots, the
 * progress view, and the signals (a first Ctrl-C or SIGTERM drains, a second stops running
 * trials now).
 */
import { ExitCode } from '../core/errors.js';
import type { Spec } from '../core/spec.js';
import { createExecutor } from '../pool/index.js';
import type { Storage } from '../store/storage.js';
import type { RunStudyOptions, RunSummary } from '../study/run.js';
import { runStudy } from '../study/run.js';
import { killDelayMs } from '../study/in-flight.js';
import { createProgress } from './progress/index.js';
import { judgeShown } from './run-end.js';

export interface SessionOptions {
  spec: Spec;
  storage: Storage;
  parallelism: number | null;
  quiet: boolean;
  /** --json: the summary printed is JSON (its top trials are judged even with --quiet). */
  json: boolean;
  graceSeconds: number;
  /** Passed to runStudy as they are. */
  study: Omit<RunStudyOptions, 'spec' | 'storage' | 'executor' | 'events' | 'signal' | 'killSignal' | 'graceMs'>;
}

/** Runs the study; the trials its summary shows carry verdicts judged against the whole study. */
export async function runSession(options: SessionOptions): Promise<{ result: RunSummary; signalCode: number }> {
  const { spec, storage } = options;
  const executor = await createExecutor({ spec, parallelism: options.parallelism });
  const progress = await createProgress({ quiet: options.quiet });
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
    progress.warn(interruptMessage(signal, options.graceSeconds, again));
    drain.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  progress.info?.(`results: ${storage.location}`);
  try {
    const result = await runStudy({
      ...options.study,
      spec,
      storage,
      executor,
      events: progress,
      signal: drain.signal,
      killSignal: kill.signal,
      graceMs: options.graceSeconds * 1000,
    });
    await judgeShown(storage, result, { json: options.json, quiet: options.quiet });
    return { result, signalCode };
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await executor.close();
  }
}

/** What a first signal does, with the real bound: the grace, then the delay before a kill. */
export function interruptMessage(signal: string, graceSeconds: number, again: string): string {
  const bound = graceSeconds + killDelayMs(graceSeconds * 1000) / 1000;
  return (
    `hpsearch: ${signal}: launching nothing new; running trials get ${graceSeconds} s to finish, ` +
    `then are asked to stop and are ended within ${bound} s in all (${again} again: stop now)`
  );
}
