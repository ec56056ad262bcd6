/**
 * `hpsearch slurm` against a real one-node Slurm (scripts/test-slurm.sh start; $SLURM_CONF)
 * and a real PostgreSQL: two workers run a study to exactly run_cap, and a task cancelled
 * (scancel: SIGTERM) or killed (the SIGKILL that ends a preemption) mid-run leaves its
 * trials to the other, the study still ending with run_cap complete trials, none repeated.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { cliPath, json, runCli, type TrialJson } from '../helpers.js';
import { dropCreated, freshDatabaseUrl, pgSkip } from '../store/pg-helpers.js';
import { studyDir } from './slurm-helpers.js';

after(dropCreated);

let skip: string | false = false;
before(async () => {
  skip = slurmSkip() ?? (await pgSkip());
});

function slurmSkip(): string | null {
  if ((process.env['SLURM_CONF'] ?? '') === '') return 'Slurm tests skipped: SLURM_CONF is not set (eval "$(scripts/test-slurm.sh start)")';
  try {
    const nodes = execFileSync('sinfo', ['--noheader', '--Node', '--format=%t'], { encoding: 'utf8', timeout: 10_000 }).trim();
    return /^(idle|mix|alloc)/m.test(nodes) ? null : `Slurm tests skipped: no node takes jobs (sinfo: ${nodes || 'nothing'})`;
  } catch (error) {
    return `Slurm tests skipped: sinfo failed (${error instanceof Error ? error.message : String(error)})`;
  }
}

async function trials(url: string): Promise<TrialJson[]> {
  const r = await runCli(['trials', '--storage', url, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return json<TrialJson[]>(r.stdout);
}

function queued(jobId: string): string[] {
  const out = execFileSync('squeue', ['--noheader', '--array', '--jobs', jobId, '--format=%i %T'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim() !== '');
}

async function until<T>(what: string, look: () => Promise<T | null> | T | null, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = await look();
    if (got !== null) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Exactly run_cap trials, numbered 0…cap−1, all complete (none lost, none run twice). */
function assertExact(all: readonly TrialJson[], cap: number): void {
  assert.deepEqual(all.map((t) => t.number).sort((a, b) => a - b), Array.from({ length: cap }, (_, i) => i));
  assert.deepEqual(all.filter((t) => t.state !== 'complete').map((t) => `${t.number} ${t.state}`), []);
}

async function submit(name: string, cap: number, extra: readonly string[] = []): Promise<{ url: string; jobId: string }> {
  const url = await freshDatabaseUrl();
  const { dir, spec } = studyDir(name, cap);
  const r = await runCli(['slurm', spec, '--storage', url, '--workers', '2', ...extra], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return { url, jobId: r.stdout.trim() };
}

describe('hpsearch slurm on a real Slurm', () => {
  it('--wait: two array tasks run the study to exactly run_cap, then it exits 0 with the summary', async (t) => {
    if (skip !== false) return t.skip(skip);
    const url = await freshDatabaseUrl();
    const { dir, spec } = studyDir('real-two', 6);
    const r = await runCli(['slurm', spec, '--storage', url, '--workers', '2', '--wait', '--require', 'val_accuracy>=0.1'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\d+\n/);
    assert.match(r.stderr, /study real-two: 6 trials, Slurm job array \d+ of 2 workers/);
    assert.match(r.stderr, /study real-two: 6 trials \(6 complete\)/);
    assert.match(r.stderr, /check passed/);
    const all = await trials(url);
    assertExact(all, 6);
    assert.equal(new Set(all.map((x) => x.worker)).size, 2, 'both tasks ran trials');
  });

  it('scancel of one task mid-run: the other finishes the study, run_cap complete, none repeated', async (t) => {
    if (skip !== false) return t.skip(skip);
    const { url, jobId } = await submit('real-scancel', 8);
    // Both tasks at work (each has taken a trial) before one is cancelled.
    await until('trials on both tasks', async () => (new Set((await trials(url)).map((x) => x.worker)).size >= 2 ? true : null));
    execFileSync('scancel', [`${jobId}_1`]);
    await until('the study to finish and the array to end', async () => {
      const all = await trials(url);
      return all.length >= 8 && all.every((x) => x.state !== 'running') && queued(jobId).length === 0 ? true : null;
    });
    assertExact(await trials(url), 8);
  });

  it('a task killed mid-trial (SIGKILL, as at the end of a preemption): its trial is re-run by the other task', async (t) => {
    if (skip !== false) return t.skip(skip);
    const cap = 8;
    const { url, jobId } = await submit('real-kill', cap, ['--stale-after', '2']);
    const victim = await until('a running trial', async () => (await trials(url)).find((x) => x.state === 'running' && x.worker !== null) ?? null);
    const pid = Number(String(victim.worker).split(':').pop());
    process.kill(pid, 'SIGKILL');
    await until('the study to finish and the array to end', async () => {
      const all = await trials(url);
      return all.length >= cap && all.every((x) => x.state !== 'running') && queued(jobId).length === 0 ? true : null;
    });
    const all = await trials(url);
    assertExact(all, cap);
    // The trial seen running may have ended before the signal landed (a trial lasts a second, a look at the
    // study takes about as long under load): the one re-run is whichever the task held when it died.
    const reruns = all.filter((x) => x.attempt > 1);
    assert.equal(reruns.length, 1, `one trial re-run: ${JSON.stringify(all.map((x) => [x.number, x.attempt, x.worker]))}`);
    const [rerun] = reruns;
    assert.ok(rerun !== undefined && rerun.attempt === 2 && rerun.worker !== victim.worker && rerun.number >= victim.number,
      `the killed task's trial re-run elsewhere: ${JSON.stringify(rerun)} (seen running: ${victim.number} on ${victim.worker})`);
  });

  it('--wait --json on a study already complete: the tasks still pending are cancelled, said so, and the summary is run --json\'s', async (t) => {
    if (skip !== false) return t.skip(skip);
    const url = await freshDatabaseUrl();
    const { dir, spec } = studyDir('real-pending', 2);
    const done = await runCli(['run', spec, '--storage', url], { cwd: dir });
    assert.equal(done.code, 0, done.stderr);
    // The tasks may not start for two minutes: they are pending when the study is seen complete.
    const r = await runCli(['slurm', spec, '--storage', url, '--workers', '2', '--wait', '--json', '--sbatch-arg=--begin=now+120'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const got = json<{ job: string; study: string; script: string; summary: { study: string; counts: Record<string, number>; ran: number; best: unknown; top: unknown[] } }>(r.stdout);
    assert.equal(got.study, 'real-pending');
    assert.match(r.stderr, new RegExp(`study real-pending is complete: cancelled the 2 pending tasks of job array ${got.job}`));
    assert.deepEqual(got.summary.counts, { complete: 2 });
    assert.equal(got.summary.study, 'real-pending');
    assert.equal(got.summary.top.length, 2);
    await until('the cancelled tasks to leave the queue', () => (queued(got.job).length === 0 ? true : null), 30_000);
  });

  it('--wait interrupted (SIGINT): says the job array keeps running and how to cancel it, exits 130, leaves the job queued', async (t) => {
    if (skip !== false) return t.skip(skip);
    const url = await freshDatabaseUrl();
    const { dir, spec } = studyDir('real-sigint', 2);
    const child = spawn(process.execPath, [cliPath, 'slurm', spec, '--storage', url, '--workers', '1', '--wait', '--sbatch-arg=--begin=now+120'], {
      cwd: dir,
      env: { ...process.env, CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await until('the study to be followed', () => (/Slurm job array \d+/.test(stderr) ? true : null));
    child.kill('SIGINT');
    assert.equal(await ended, 130, stderr);
    const jobId = stdout.trim();
    assert.match(stderr, new RegExp(`stopped following study real-sigint; job array ${jobId} keeps running \\(cancel it with: scancel ${jobId}\\)`));
    assert.equal(queued(jobId).length, 1, 'the job is still queued');
    execFileSync('scancel', [jobId]);
  });

  it('--wait: an array whose tasks all fail (no storage URL reached them) ends, and the command exits 1 saying so', async (t) => {
    if (skip !== false) return t.skip(skip);
    const url = await freshDatabaseUrl();
    const { dir, spec } = studyDir('real-failed', 4);
    const r = await runCli(['slurm', spec, '--storage', url, '--workers', '2', '--wait', '--sbatch-arg=--export=NONE'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /job array \d+ ended with 0 of 4 trials finished/);
    assert.deepEqual(await trials(url), []);
  });
});
