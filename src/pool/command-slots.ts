import type { CommandSpec } from '../core/spec.js';
import { commandSpawner } from './command-worker.js';
import { Slot, type SlotLimits } from './slot.js';

/** Slot k runs its scripts with CUDA_VISIBLE_DEVICES = devices[k mod n] (none without `devices:`). */
export function commandSlots(
  command: CommandSpec,
  count: number,
  devices: readonly number[] | null,
  limits: SlotLimits,
): { slots: Slot[]; description: string } {
  const slots = Array.from({ length: count }, (_, i) => {
    const device = devices === null || devices.length === 0 ? null : (devices[i % devices.length] ?? null);
    return new Slot(i, commandSpawner(command, device), limits);
  });
  const what = `${count} command slot${count === 1 ? '' : 's'}`;
  return { slots, description: devices === null ? what : `${what} on CUDA device${devices.length === 1 ? '' : 's'} ${devices.join(', ')}` };
}
