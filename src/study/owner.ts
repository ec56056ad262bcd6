import { hostname } from 'node:os';

/** This process's identity as the owner of running trials: `host:pid`. */
export function ownerId(pid: number = process.pid): string {
  return `${hostname()}:${pid}`;
}

/** Whether the owner is a process on this host that no longer exists. */
export function ownerIsGone(owner: string): boolean {
  const at = owner.lastIndexOf(':');
  if (at < 0 || owner.slice(0, at) !== hostname()) return false;
  const pid = Number(owner.slice(at + 1));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
