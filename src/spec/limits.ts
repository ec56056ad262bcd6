/** Bounds that keep a spec cheap to check: a spec describes a search, not data. */
import { SpecError } from '../core/errors.js';

/** The largest spec accepted, in bytes (1 MiB): far above any real spec, far below a slow one. */
export const MAX_SPEC_BYTES = 1024 * 1024;

/** Refuses a spec of `bytes` bytes over the limit, before it is read or parsed. */
export function checkSpecSize(file: string, bytes: number): void {
  if (bytes <= MAX_SPEC_BYTES) return;
  const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);
  throw new SpecError([
    {
      file,
      line: 1,
      col: 1,
      path: '',
      message: `the spec is ${mb(bytes)} MB, over the ${mb(MAX_SPEC_BYTES)} MB a spec may be (long lists of values belong in a data file, or a range with grid_points)`,
    },
  ]);
}
