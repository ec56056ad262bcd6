/**
 * One trial of `trainer: command`: the user's script as a child process in its own process
 * group. Its stdout lines become epochs as they come; stopping sends SIGTERM to the group
 * and SIGKILL after the grace; the group never outlives hpsearch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../core/errors.js';
import type { CommandSpec } from '../core/spec.js';
import type { TrialOutcome, TrialTask } from '../core/trainer.js';
import type { Attrs, EpochRecord, Metrics } from '../core/types.js';
import { keepArtifacts } from '../train/command/artifacts.js';
import { expandCommand, paramsJson } from '../train/command/macros.js';
import { LineSplitter, parseMetricLine } from '../train/command/metrics.js';
import { prepareSegmentDir, type SegmentDir } from '../train/command/segment-dir.js';
import { userParams } from '../train/module-trainer.js';
import { childVisibleDevice } from '../core/cuda.js';

/** How many of stderr's last lines explain a failure. */
const STDERR_LINES = 8;
const STDERR_BYTES = 8192;

/** Process groups alive now: killed should hpsearch exit first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
}

export interface CommandHooks {
  epoch(epoch: EpochRecord): void;
  done(outcome: TrialOutcome): void;
}

export interface RunningCommand {
  /** SIGTERM to the group now, SIGKILL after the grace; the trial ends as stopped. */
  stop(reason: string): void;
  /** SIGKILL to the group; resolves once the process is gone. No `done` follows. */
  kill(): Promise<void>;
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-STDERR_LINES).join('\n');
}

function howItEnded(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `the command was killed by ${signal}` : `the command exited with code ${String(code)}`;
}

function missingMetric(metric: string, metrics: Metrics): string {
  const seen = Object.keys(metrics);
  return (
    `the command never reported ${metric} on stdout (it reported: ${seen.length > 0 ? seen.join(', ') : 'nothing'}); ` +
    `print a line such as {"${metric}": 0.9} or ${metric}=0.9`
  );
}

/** A trial that ended well, with its artifacts kept when the study keeps them. */
function completed(task: TrialTask, command: CommandSpec, metrics: Metrics): TrialOutcome {
  const attrs: Attrs = { trainer: 'command' };
  if (task.keep !== undefined && command.artifacts !== null) {
    try {
      const count = keepArtifacts(task.keep, command.cwd, command.artifacts, { study: task.study, trial: task.trial, params: task.params });
      if (count > 0) {
        attrs['model'] = task.keep.name;
        attrs['artifacts'] = count;
      }
    } catch (error) {
      return { kind: 'failed', error: `keeping the artifacts failed: ${errorMessage(error)}` };
    }
  }
  return { kind: 'finished', result: { metrics: { ...metrics }, attrs }, stopReason: null };
}

/** A completed segment's folder becomes its checkpoint (a failure to do so fails the trial); any other's goes. */
function settleSegment(outcome: TrialOutcome, dir: SegmentDir): TrialOutcome {
  if (outcome.kind !== 'finished' || outcome.stopReason !== null) {
    dir.discard();
    return outcome;
  }
  try {
    dir.commit();
    return outcome;
  } catch (error) {
    return { kind: 'failed', error: errorMessage(error) };
  }
}

/** Starts the trial's command; `hooks.done` is called once, unless `kill` came first. */
export function startCommand(task: TrialTask, command: CommandSpec, device: number | null, hooks: CommandHooks): RunningCommand {
  installExitHook();
  const params = userParams(task);
  const scratch = mkdtempSync(join(tmpdir(), 'hpsearch-trial-'));
  const argsJsonFile = join(scratch, 'params.json');
  writeFileSync(argsJsonFile, paramsJson(params) + '\n');
  let segmentDir: SegmentDir;
  try {
    segmentDir = prepareSegmentDir(task.segment, scratch);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    queueMicrotask(() => hooks.done({ kind: 'failed', error: errorMessage(error) }));
    return { stop: () => undefined, kill: () => Promise.resolve() };
  }
  const startEpoch = task.segment?.start_epoch ?? 0;
  const env: NodeJS.ProcessEnv = {
    PYTHONUNBUFFERED: '1', // lines as they come, not when Python's buffer fills
    ...process.env,
    HPSEARCH_TRIAL: String(task.trial),
    HPSEARCH_SEED: String(task.seed),
    HPSEARCH_PARAMS_JSON: paramsJson(params),
    HPSEARCH_STUDY: task.study,
    HPSEARCH_CHECKPOINT_DIR: segmentDir.dir,
    HPSEARCH_START_EPOCH: String(startEpoch),
  };
  if (device !== null) env['CUDA_VISIBLE_DEVICES'] = childVisibleDevice(device, process.env['CUDA_VISIBLE_DEVICES']);
  const argv = expandCommand(command.argv, { params, program: command.program, argsJsonFile, env: process.env, checkpointDir: segmentDir.dir, startEpoch });

  let stopReason: string | null = null;
  let killed = false;
  let graceTimer: NodeJS.Timeout | undefined;
  let stderr = '';
  // A pbt segment's epochs are numbered on from where it starts.
  let epoch = startEpoch;
  const last: Metrics = {};
  const lines = new LineSplitter();
  const onLine = (line: string): void => {
    const metrics = parseMetricLine(line);
    if (metrics === null) return;
    Object.assign(last, metrics);
    hooks.epoch({ epoch: epoch++, metrics });
  };

  let child: ChildProcess;
  const finish = (outcome: TrialOutcome): void => {
    clearTimeout(graceTimer);
    const settled = settleSegment(outcome, segmentDir);
    rmSync(scratch, { recursive: true, force: true });
    if (!killed) hooks.done(settled);
  };
  try {
    child = spawn(argv[0] ?? '', argv.slice(1), { cwd: command.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  } catch (error) {
    queueMicrotask(() => finish({ kind: 'failed', error: `could not start ${JSON.stringify(argv[0])}: ${errorMessage(error)}` }));
    return { stop: () => undefined, kill: () => Promise.resolve() };
  }
  const pid = child.pid;
  if (pid !== undefined) liveGroups.add(pid);
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => lines.push(chunk, onLine));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_BYTES);
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let started = true;
  child.once('error', (error) => {
    // Spawning failed (no such program, not executable): no 'exit' follows.
    if (pid !== undefined) return;
    started = false;
    finish({ kind: 'failed', error: `could not start ${JSON.stringify(argv[0])} in ${command.cwd}: ${errorMessage(error)}` });
  });
  child.once('exit', () => {
    // What the script started in its group goes with it (and lets stdout close).
    if (pid !== undefined) {
      killGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
    }
  });
  child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
    if (!started) return;
    lines.end(onLine);
    const tail = lastLines(stderr);
    if (stopReason !== null) {
      finish({ kind: 'finished', result: { metrics: { ...last }, attrs: { trainer: 'command' } }, stopReason });
    } else if (code !== 0) {
      finish({ kind: 'failed', error: howItEnded(code, signal) + (tail === '' ? '' : `:\n${tail}`) });
    } else if (last[task.metric.name] === undefined) {
      finish({ kind: 'failed', error: missingMetric(task.metric.name, last) });
    } else {
      finish(completed(task, command, last));
    }
  });

  return {
    stop(reason) {
      if (stopReason !== null || pid === undefined) return;
      stopReason = reason;
      killGroup(pid, 'SIGTERM');
      graceTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), command.stop_grace * 1000);
      graceTimer.unref();
    },
    async kill() {
      killed = true;
      if (pid === undefined) return;
      killGroup(pid, 'SIGKILL');
      await closed;
    },
  };
}
