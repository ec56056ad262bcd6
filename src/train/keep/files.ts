/**
 * A kept model on disk: `model.json` + `weights.bin` in the TensorFlow.js layers format,
 * and `hpsearch.json` beside them with what using it needs (preprocessing, class names,
 * parameters). Written into a fresh directory and renamed into place, so a reader never
 * sees half a model.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NotFoundError, StorageError } from '../../core/errors.js';
import type { DataSpec } from '../../core/spec.js';
import type { JsonValue, Params } from '../../core/types.js';
import { resolveBackend } from '../backend.js';
import { tf, tfl } from '../tf.js';
import { isKeptModelDir, KEPT_FORMAT, META_FILE } from './marker.js';

export { META_FILE };

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
const FORMAT = KEPT_FORMAT;

/** What `hpsearch.json` holds. */
export interface KeptMeta {
  format: typeof FORMAT;
  study: string;
  trial: number;
  params: Params;
  /** One example's shape as the model takes it: [features] or [h, w, c]. */
  input_shape: number[];
  class_names: string[];
  /** value' = (value − shift[k]) / scale[k], per feature, before the model. */
  preprocess: { kind: string; shift: number[]; scale: number[] };
  /** The data the trial trained on (absolute paths, its seed): `ensemble` rebuilds the test split from it. */
  data: DataSpec | null;
  /** csv data: the label column, to drop from rows given to `predict`. */
  label: string | null;
  test_accuracy: number | null;
  /** Which weights: the last epoch's, or restore_best's best. */
  weights_from: 'final' | 'best';
}

interface ModelJson {
  modelTopology: JsonValue;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Writes `model` and `meta` as the kept model in `dir` (replacing an earlier one there). */
export async function writeKeptModel(dir: string, model: tfl.LayersModel, meta: Omit<KeptMeta, 'format'>): Promise<void> {
  if (existsSync(dir) && !isKeptModelDir(dir)) throw new StorageError(`${dir} exists and is not a model hpsearch kept; not overwriting it`);
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${randomUUID()}`;
  mkdirSync(tmp);
  try {
    await model.save(
      tf.io.withSaveHandler((artifacts) => {
        const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
        const json: ModelJson = {
          modelTopology: artifacts.modelTopology as JsonValue,
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy ?? 'hpsearch',
          convertedBy: null,
          weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        };
        writeFileSync(join(tmp, MODEL_FILE), JSON.stringify(json));
        writeFileSync(join(tmp, WEIGHTS_FILE), new Uint8Array(weights));
        return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
      }),
    );
    writeFileSync(join(tmp, META_FILE), JSON.stringify({ format: FORMAT, ...meta }, null, 2) + '\n');
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new NotFoundError(`${file}: missing (${what}); the kept model is incomplete`);
  }
}

function parseJson<T>(file: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StorageError(`${file}: corrupt (${(error as Error).message})`);
  }
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** The files of a kept model, checked: each problem names its file. */
export function readKeptFiles(dir: string): { meta: KeptMeta; artifacts: tf.io.ModelArtifacts } {
  if (!existsSync(dir)) throw new NotFoundError(`${dir}: no kept model there (deleted, or never kept: see keep_models)`);
  const metaFile = join(dir, META_FILE);
  const meta = parseJson<KeptMeta>(metaFile, readText(metaFile, 'what the model needs: preprocessing, class names'));
  if (meta.format !== FORMAT || !Array.isArray(meta.class_names) || !Array.isArray(meta.input_shape)) {
    throw new StorageError(`${metaFile}: corrupt (not an hpsearch kept model's description)`);
  }
  const modelFile = join(dir, MODEL_FILE);
  const json = parseJson<ModelJson>(modelFile, readText(modelFile, 'the architecture'));
  const specs = json.weightsManifest?.[0]?.weights;
  if (json.modelTopology === undefined || !Array.isArray(specs)) throw new StorageError(`${modelFile}: corrupt (no modelTopology or weightsManifest)`);
  const weightsFile = join(dir, WEIGHTS_FILE);
  let weights: Buffer;
  try {
    weights = readFileSync(weightsFile);
  } catch {
    throw new NotFoundError(`${weightsFile}: missing (the weights); the kept model is incomplete`);
  }
  const expected = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * (BYTES[s.dtype] ?? 4), 0);
  if (weights.byteLength !== expected) {
    throw new StorageError(`${weightsFile}: corrupt (${weights.byteLength} bytes; ${MODEL_FILE} describes ${expected})`);
  }
  const weightData = new Uint8Array(weights).buffer;
  return { meta, artifacts: { modelTopology: json.modelTopology as object, weightSpecs: specs, weightData } };
}

/** Loads a kept model with tf.loadLayersModel; a topology tfjs rejects is an error naming model.json. */
export async function loadKeptModel(dir: string): Promise<{ meta: KeptMeta; model: tfl.LayersModel }> {
  const { meta, artifacts } = readKeptFiles(dir);
  await resolveBackend('auto');
  try {
    return { meta, model: await tfl.loadLayersModel(tf.io.fromMemory(artifacts)) };
  } catch (error) {
    throw new StorageError(`${join(dir, MODEL_FILE)}: corrupt (${(error as Error).message})`);
  }
}
