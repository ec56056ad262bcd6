/**
 * A pbt segment's checkpoint: `checkpoint.json` (what the trainer needs to go on) and, for the
 * built-in trainer, `tensors.bin` (weights, moving statistics and optimizer state as float32).
 * Written to a fresh folder beside the target and renamed into place, so a crash or a full
 * disk leaves the previous checkpoints whole and no half-written one.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JsonValue } from '../core/types.js';

export const CHECKPOINT_FILE = 'checkpoint.json';
export const TENSORS_FILE = 'tensors.bin';

export interface Checkpoint {
  /** Epochs trained when it was written. */
  epoch: number;
  /** What the trainer stored (the module trainer: the user's value). */
  state: JsonValue;
  /** float32 arrays, in the order the trainer wrote them. */
  tensors?: Float32Array[];
}

/** Writes `checkpoint` to `dir` atomically (replacing one there). Throws a clear error on a full disk. */
export function writeCheckpoint(dir: string, checkpoint: Checkpoint): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    mkdirSync(tmp);
    const lengths = (checkpoint.tensors ?? []).map((t) => t.length);
    writeFileSync(`${tmp}/${CHECKPOINT_FILE}`, JSON.stringify({ format: 'hpsearch-pbt-checkpoint', epoch: checkpoint.epoch, state: checkpoint.state, lengths }));
    if (checkpoint.tensors !== undefined) writeFileSync(`${tmp}/${TENSORS_FILE}`, Buffer.concat(checkpoint.tensors.map((t) => Buffer.from(t.buffer, t.byteOffset, t.byteLength))));
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw checkpointError(error, dir);
  }
}

/** The error of a failed checkpoint write; ENOSPC says so plainly. */
export function checkpointError(error: unknown, dir: string): Error {
  const code = (error as { code?: string }).code;
  if (code === 'ENOSPC') return new Error(`no space left on the device to write the checkpoint ${dir} (ENOSPC): free space, or set pbt.checkpoint_dir elsewhere, and run again; earlier checkpoints are intact`, { cause: error });
  return new Error(`cannot write the checkpoint ${dir}: ${(error as Error).message}`, { cause: error });
}

/** Reads the checkpoint in `dir`; throws naming the file when it is missing or corrupt. */
export function readCheckpoint(dir: string): Checkpoint {
  const file = `${dir}/${CHECKPOINT_FILE}`;
  if (!existsSync(file)) throw new Error(`the checkpoint ${file} is missing (was it removed by hand?)`);
  let meta: { epoch: number; state: JsonValue; lengths: number[] };
  try {
    meta = JSON.parse(readFileSync(file, 'utf8')) as typeof meta;
  } catch (error) {
    throw new Error(`the checkpoint ${file} is corrupt: ${(error as Error).message}`, { cause: error });
  }
  if (meta.lengths.length === 0) return { epoch: meta.epoch, state: meta.state };
  const bytes = readFileSync(`${dir}/${TENSORS_FILE}`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const expected = meta.lengths.reduce((a, b) => a + b, 0);
  if (all.length !== expected) throw new Error(`the checkpoint ${dir}/${TENSORS_FILE} holds ${all.length} numbers, ${expected} expected`);
  let offset = 0;
  const tensors = meta.lengths.map((n) => all.slice(offset, (offset += n)));
  return { epoch: meta.epoch, state: meta.state, tensors };
}
