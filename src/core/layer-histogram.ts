/**
 * Activation histograms of one hidden layer at the first and last epoch (counts over the
 * monitoring batch × units), as the tfjs trainer stores them in the trial attr
 * `layer_histograms` and the report draws them.
 */
export interface LayerHistogram {
  layer: number;
  activation: string;
  /** The bins' edges (one more than the counts). */
  edges: number[];
  first: number[];
  last: number[];
  /** The epochs the two histograms were taken at (0-based). */
  firstEpoch: number;
  lastEpoch: number;
}
