/**
 * How many CUDA devices this process may use, decided once for the pool's plan and the
 * backend's choice (cheap checks, no driver call). Pure: the caller passes the environment,
 * the platform and a way to list /dev.
 */
export interface CudaProbe {
  env: Readonly<Record<string, string | undefined>>;
  platform: string;
  /** Names in /dev (Linux); may throw. */
  listDev: () => readonly string[];
}

/**
 * Linux: the /dev/nvidiaN nodes, at most as many as CUDA_VISIBLE_DEVICES lists. Windows has
 * no cheap check: the devices CUDA_VISIBLE_DEVICES lists, else one (the package may try).
 * Elsewhere (macOS): none. CUDA_VISIBLE_DEVICES empty or -1 hides every device.
 */
export function cudaDeviceCount(probe: CudaProbe): number {
  const visible = probe.env['CUDA_VISIBLE_DEVICES']?.trim();
  if (visible === '' || visible === '-1') return 0;
  const listed = visible === undefined ? null : visible.split(',').filter((d) => d.trim() !== '').length;
  if (probe.platform === 'linux') {
    let present: number;
    try {
      present = probe.listDev().filter((f) => /^nvidia\d+$/.test(f)).length;
    } catch {
      present = 0;
    }
    return listed === null ? present : Math.min(present, listed);
  }
  if (probe.platform === 'win32') return listed ?? 1;
  return 0;
}

/**
 * A child's CUDA_VISIBLE_DEVICES for device ordinal `device`, counted among the devices this
 * process sees: the parent's entry at that place when it lists devices (a Slurm task given
 * GPUs 2 and 3 sees them as 0 and 1, and its slot 1 must get "3", not "1"), else the ordinal.
 */
export function childVisibleDevice(device: number, parentVisible: string | undefined): string {
  const listed = (parentVisible ?? '').split(',').map((d) => d.trim()).filter((d) => d !== '');
  return listed[device] ?? String(device);
}
