/**
 * A deep copy of the plain data the storages hand out (objects, arrays, strings, numbers
 * including NaN and ±Infinity, booleans, null). About ten times faster than structuredClone
 * on records of this size, which matters where a listing copies every trial of a study on
 * every call (the memory storage, and the journal's state in every worker).
 */
export function clonePlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = clonePlain((value as Record<string, unknown>)[key]);
  return out as T;
}
