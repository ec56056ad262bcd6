/**
 * The system's CBLAS, found at run time and called through koffi (an FFI package whose npm
 * install ships prebuilt binaries, so nothing is compiled or downloaded at install time).
 *
 * Only `cblas_sgemm` is used: the trainer's matrix products run on it over views of the wasm
 * backend's heap, which koffi passes to C as pointers without copying. OpenBLAS is asked for
 * one thread per caller (`openblas_set_num_threads(1)`): parallelism comes from the pool's
 * slots, and two slots each running a multi-threaded BLAS on the same cores would fight.
 *
 * Which library: `HPSEARCH_BLAS` (a file name or path) when set, else OpenBLAS by its usual
 * names (Debian's `libopenblas0`, Homebrew's `openblas`), else Apple's Accelerate. A generic
 * `libblas.so.3` is taken only when it is OpenBLAS behind the name (the reference BLAS is
 * slower than the wasm backend, so `auto` must not pick it).
 */
import { createRequire } from 'node:module';

/** C = alpha·op(A)·op(B) + beta·C on row-major matrices, over views (no copy). */
export type Sgemm = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
) => void;

/** A loaded CBLAS. */
export interface Cblas {
  sgemm: Sgemm;
  /** The file name or path it was loaded from. */
  library: string;
  /** What it is, for the run's header: e.g. `OpenBLAS 0.3.21 (Haswell)`. */
  description: string;
}

/** The part of koffi's API used here. */
interface KoffiLibrary {
  func(signature: string): (...args: unknown[]) => unknown;
}
interface Koffi {
  load(path: string): KoffiLibrary;
}

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

const SGEMM =
  'void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, ' +
  'const float *a, int lda, const float *b, int ldb, float beta, _Inout_ float *c, int ldc)';

/** Library names tried, in order, when HPSEARCH_BLAS is unset. */
export function candidates(platform: string = process.platform): string[] {
  if (platform === 'darwin') {
    return [
      '/opt/homebrew/opt/openblas/lib/libopenblas.dylib',
      '/usr/local/opt/openblas/lib/libopenblas.dylib',
      '/System/Library/Frameworks/Accelerate.framework/Accelerate',
    ];
  }
  if (platform === 'win32') return ['libopenblas.dll', 'openblas.dll'];
  return ['libopenblas.so.0', 'libopenblas.so', 'libblas.so.3'];
}

function loadKoffi(): Koffi | string {
  try {
    const require = createRequire(import.meta.url);
    return require('koffi') as Koffi;
  } catch (error) {
    return `the koffi package could not be loaded (${firstLine(error)})`;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? message;
}

/** A function of the library, or null when it does not export it. */
function optional(lib: KoffiLibrary, signature: string): ((...args: unknown[]) => unknown) | null {
  try {
    return lib.func(signature);
  } catch {
    return null;
  }
}

/** Opens one library; a string says why it cannot serve. */
function open(koffi: Koffi, name: string, explicit: boolean): Cblas | string {
  let lib: KoffiLibrary;
  try {
    lib = koffi.load(name);
  } catch (error) {
    const message = firstLine(error);
    return `${name} ${/No such file/i.test(message) ? 'not found' : `failed to load (${message})`}`;
  }
  const raw = optional(lib, SGEMM);
  if (raw === null) return `${name} has no cblas_sgemm`;
  const config = optional(lib, 'const char *openblas_get_config()');
  const isAccelerate = name.includes('Accelerate.framework');
  if (config === null && !explicit && !isAccelerate) return `${name} is not OpenBLAS`;
  optional(lib, 'void openblas_set_num_threads(int)')?.(1);
  const core = optional(lib, 'const char *openblas_get_corename()');
  const description =
    config !== null
      ? `${String(config()).split(' ').slice(0, 2).join(' ')}${core !== null ? ` (${String(core())})` : ''}`
      : isAccelerate
        ? 'Accelerate'
        : name;
  const sgemm: Sgemm = (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
    raw(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  };
  return { sgemm, library: name, description };
}

const loaded = new Map<string, Cblas | string>();

/**
 * Loads the CBLAS (once per thread and setting), or returns why none can be used: the
 * libraries tried and what each said. `HPSEARCH_BLAS` names the library (`none` turns the
 * blas backend off).
 */
export function loadCblas(env: NodeJS.ProcessEnv = process.env): Cblas | string {
  const chosen = env['HPSEARCH_BLAS'] ?? '';
  let got = loaded.get(chosen);
  if (got === undefined) {
    got = findCblas(chosen === '' ? candidates() : [chosen], chosen !== '');
    loaded.set(chosen, got);
  }
  return got;
}

/** The first of `names` that serves, or why none does (`explicit`: the user named it; any CBLAS will do). */
export function findCblas(names: readonly string[], explicit: boolean): Cblas | string {
  if (explicit && names[0] === 'none') return 'turned off by HPSEARCH_BLAS=none';
  const koffi = loadKoffi();
  if (typeof koffi === 'string') return koffi;
  const why: string[] = [];
  for (const name of names) {
    const got = open(koffi, name, explicit);
    if (typeof got !== 'string') return got;
    why.push(got);
  }
  return explicit ? `HPSEARCH_BLAS: ${why.join('; ')}` : `no OpenBLAS found (${why.join('; ')})`;
}

/** What to install for the blas backend, by platform, for error messages. */
export function installHint(platform: string = process.platform): string {
  if (platform === 'darwin') return 'Install OpenBLAS (brew install openblas)';
  return "Install OpenBLAS (Debian/Ubuntu: apt-get install libopenblas0; Fedora: dnf install openblas)";
}
