import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers.js';
import { startCli } from '../study/live-cli.js';
import { unrulySpec } from './workers.js';

/** Live (not zombie) processes whose parent is `ppid`, from /proc. */
function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces, so split after its closing bracket.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(parent) === ppid && state !== 'Z') out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('process slots end with their run', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  it('kill -9 of the run ends its busy-looping workers within two seconds', async () => {
    const dir = tempDir();
    const spec = unrulySpec(dir, { pool: 'process', modes: ['hang', 'hang2'], extra: 'parallelism: 2\ntrial_timeout: 600' });
    const run = startCli(['run', spec, '--storage', join(dir, 'orphans.db')]);
    await run.waitFor(/^trial \d+ started/, 2);
    await sleep(300); // both trials are inside their loops
    const pid = run.child.pid!;
    const workers = childrenOf(pid);
    assert.equal(workers.length, 2, `two worker processes under ${pid}`);
    // 'exit', not the end of its output: a surviving worker would hold the pipes open.
    const exited = new Promise((resolve) => run.child.once('exit', resolve));
    run.child.kill('SIGKILL');
    await exited;
    const deadline = Date.now() + 2000;
    while (workers.some(alive) && Date.now() < deadline) await sleep(50);
    const left = workers.filter(alive);
    for (const w of left) process.kill(w, 'SIGKILL');
    await run.done;
    assert.deepEqual(left, [], 'workers outlived the run');
  });
});
