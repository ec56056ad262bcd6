/** A hyperparameter value as sampled and stored (a leaf: distributions.ts and types.ts both use it). */
export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;
