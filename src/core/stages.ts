/**
 * The trial attribute holding the coarse-to-fine stages a trial's allocation decided (a
 * list of StageRanges). Written in the transaction that allocates the trial, so no stage is
 * lost when processes decide stages at once; kept when the trial is claimed again.
 */
export const STAGE_RANGES_ATTR = 'stage_ranges';
