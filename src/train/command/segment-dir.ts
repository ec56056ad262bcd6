/**
 * method: pbt under `trainer: command`: the folder `${checkpoint_dir}` names. The donor's (or the
 * member's own) checkpoint folder is copied into a fresh `<to>.tmp-<pid>` before the command
 * starts; the command reads it and writes its new checkpoint there; once the segment completes
 * it is renamed to the segment's checkpoint folder, so a crash leaves no half-written one.
 */
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SegmentTask } from '../../core/trainer.js';
import { checkpointError } from '../checkpoint.js';

export interface SegmentDir {
  /** What `${checkpoint_dir}` expands to. */
  readonly dir: string;
  /** The segment completed: its folder becomes the checkpoint others may take. Throws a clear error (ENOSPC said plainly). */
  commit(): void;
  /** The segment did not complete: its folder goes. */
  discard(): void;
}

/** The segment's folder, the checkpoint it starts from copied in; outside pbt, an empty folder in `scratch`. */
export function prepareSegmentDir(segment: SegmentTask | undefined, scratch: string): SegmentDir {
  if (segment === undefined) {
    const dir = join(scratch, 'checkpoint');
    mkdirSync(dir);
    return { dir, commit: () => undefined, discard: () => undefined };
  }
  const { from, to } = segment;
  const dir = `${to}.tmp-${process.pid}`;
  const discard = (): void => rmSync(dir, { recursive: true, force: true });
  // After a failure, a folder that cannot be removed (its parent is not a folder) must not hide the error.
  const cleanUp = (): void => {
    try {
      discard();
    } catch {
      // nothing there to remove
    }
  };
  if (from !== null && !existsSync(from)) throw new Error(`the checkpoint ${from} is missing (was it removed by hand?)`);
  try {
    discard();
    mkdirSync(dirname(dir), { recursive: true });
    if (from === null) mkdirSync(dir);
    else cpSync(from, dir, { recursive: true });
  } catch (error) {
    cleanUp();
    throw checkpointError(error, dir);
  }
  return {
    dir,
    commit() {
      try {
        rmSync(to, { recursive: true, force: true });
        renameSync(dir, to);
      } catch (error) {
        cleanUp();
        throw checkpointError(error, to);
      }
    },
    discard,
  };
}
