/** The Python a bench section compares against: HPSEARCH_BENCH_PYTHON, python3 on PATH, then Debian's /usr/bin/python3. */
import { spawnSync } from 'node:child_process';

/**
 * The first Python that imports every one of `modules`, with each module's version; or why
 * there is none (the section then prints that and skips its other side).
 */
export function findPython(modules: readonly string[]): { python: string; versions: Record<string, string> } | string {
  const tried = [process.env['HPSEARCH_BENCH_PYTHON'], 'python3', '/usr/bin/python3'].filter((p): p is string => p !== undefined && p !== '');
  const probe = `import json, ${modules.join(', ')}; print(json.dumps({${modules.map((m) => `'${m}': ${m}.__version__`).join(', ')}}))`;
  for (const python of tried) {
    const r = spawnSync(python, ['-c', probe], { encoding: 'utf8' });
    if (r.status === 0) return { python, versions: JSON.parse(r.stdout) as Record<string, string> };
  }
  const debian = modules.map((m) => `python3-${m}`).join(' ');
  return `no Python with ${modules.join(' and ')} (tried ${tried.join(', ')}; apt-get install ${debian}, or set HPSEARCH_BENCH_PYTHON)`;
}

/**
 * The environment a timed Python side runs in: one thread for every pool under PyTorch.
 * `torch.set_num_threads(1)` alone leaves Debian's build (BLAS_INFO=generic, OpenBLAS behind it)
 * with OpenBLAS's own thread pool; its second thread cost 17 % per step on the MLP rows and made
 * two one-thread processes slow each other down (measured on 2 cores, 2026-12-08).
 */
export function oneThreadEnv(): NodeJS.ProcessEnv {
  return { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
}
