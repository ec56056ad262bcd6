/**
 * Augmented training images as the tfjs trainer saw them (the first images of its first
 * mini-batch), kept in the trial attr `augment_samples` for the report's grid.
 */
export interface AugmentSamples {
  width: number;
  height: number;
  channels: number;
  /** Class name of each image. */
  labels: string[];
  /** The images' bytes, row-major (height × width × channels), base64: value = lo + byte/255·(hi − lo). */
  pixels: string;
  /** The pixel values bytes 0 and 255 stand for (the data's own units, before preprocessing). */
  lo: number;
  hi: number;
}

/** The trial attr holding a trial's AugmentSamples. */
export const AUGMENT_SAMPLES_ATTR = 'augment_samples';
