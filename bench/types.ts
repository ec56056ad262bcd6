/** One figure printed by `npm run bench`. */
export interface BenchRow {
  /** What was measured, e.g. "wasm MLP 784-256-128-10 training (b256, SGD)". */
  name: string;
  value: number;
  /** e.g. "GFLOP/s", "ms/step", "samples/s", "×". */
  unit: string;
  /** The target, when there is one, e.g. "≥ 0.85". */
  goal?: string;
}

/**
 * A bench section: one exported async function in its own file (bench/<section>.ts), run in
 * sequence by bench/index.ts. It returns its rows and must clean up what it allocates.
 */
export type BenchSection = () => Promise<BenchRow[]>;
