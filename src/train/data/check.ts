/** The data check at the start of a run: the data a spec names loads, labels and splits. */
import type { DataSpec } from '../../core/spec.js';
import { loadData } from './index.js';

export interface DataSummary {
  rows: number;
  classes: number;
  train: number;
  val: number;
  test: number;
}

/**
 * Loads and splits the data as every trial will (seeded by the study's seed unless the data
 * has its own); throws the loader's error, which names the file and line.
 */
export function checkData(data: DataSpec, studySeed: number): DataSummary {
  const prepared = loadData({ ...data, seed: data.seed ?? studySeed });
  const { train, val, test, classes } = prepared;
  return { rows: train.n + val.n + test.n, classes, train: train.n, val: val.n, test: test.n };
}
