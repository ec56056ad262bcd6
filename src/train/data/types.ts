/** Data as the trainer holds it in JavaScript memory (cached per worker, shared by trials). */

/** Statistics fitted on the training split: value' = (value − shift[k]) / scale[k]. */
export interface Transform {
  shift: Float32Array;
  scale: Float32Array;
}

/** Examples of one split: row-major features and a class index per row. */
export interface Dataset {
  /** n × features values, row-major (images in height × width × channels order). */
  x: Float32Array;
  /** Class index of each row, in [0, classes). */
  y: Int32Array;
  n: number;
}

/** A loaded source before splitting. */
export interface RawData extends Dataset {
  /** Values per example. */
  features: number;
  /** [height, width, channels] for image data, else null. */
  imageShape: [number, number, number] | null;
  /** Name of each class index (csv label values, digits, …). */
  classNames: string[];
}

/** Loaded, split and preprocessed data. */
export interface PreparedData {
  train: Dataset;
  val: Dataset;
  test: Dataset;
  features: number;
  imageShape: [number, number, number] | null;
  classes: number;
  classNames: string[];
  /** The preprocessing fitted on the training split (kept with a trial's model). */
  transform?: Transform;
}
