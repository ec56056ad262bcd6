/**
 * The architecture of a trial's network, built from its settings and data shape: a list of
 * blocks whose weight tensors are listed in a ParamLayout.
 *
 * - mlp: per hidden size, dense → [batch norm] → activation; then dense to the classes.
 *   Dropout (inverted) applies to the input of every dense block after the first.
 * - cnn: per entry of `filters`, conv (k×k, stride 1, same padding) → [batch norm] →
 *   activation → 2×2 max pool (stride 2, same padding); then flatten, dropout, and dense to
 *   the classes.
 *
 * With batch norm a block has no bias (β plays its part).
 */
import type { TrainSettings } from '../settings.js';
import type { Activation } from './activation.js';
import { ParamLayout } from './layout.js';

/** Batch-norm parameters of a block. */
export interface BnRef {
  gamma: number;
  beta: number;
  /** Index of the block's moving statistics. */
  stat: number;
  channels: number;
}

export interface DenseBlock {
  kind: 'dense';
  inputs: number;
  units: number;
  kernel: number;
  bias: number | null;
  bn: BnRef | null;
  /** null for the output block (logits). */
  activation: Activation | null;
  /** Inverted dropout on this block's input. */
  dropoutIn: boolean;
}

export interface ConvBlock {
  kind: 'conv';
  /** Input [height, width, channels]. */
  inShape: [number, number, number];
  /** Shape after the pool. */
  outShape: [number, number, number];
  filters: number;
  kernelSize: number;
  kernel: number;
  bias: number | null;
  bn: BnRef | null;
  activation: Activation;
}

export type Block = DenseBlock | ConvBlock;

export interface Network {
  layout: ParamLayout;
  blocks: Block[];
  /** Shape of one example as the first block takes it: [features] or [h, w, c]. */
  inputShape: number[];
  classes: number;
  /** Channels of each batch-norm block's moving statistics, by BnRef.stat. */
  bnChannels: number[];
  dropoutRate: number;
}

/** The data shape a network is built for. */
export interface DataShape {
  features: number;
  imageShape: [number, number, number] | null;
  classes: number;
}

/** Output size of a 2×2, stride-2, same-padded pool. */
const pooled = (n: number): number => Math.ceil(n / 2);

/** Builds the network of `settings` for data of `shape`; throws on impossible combinations. */
export function buildNetwork(settings: TrainSettings, shape: DataShape): Network {
  const layout = new ParamLayout();
  const blocks: Block[] = [];
  const bnChannels: number[] = [];
  const bnFor = (name: string, channels: number): BnRef | null => {
    if (!settings.batch_norm) return null;
    const gamma = layout.add(`${name}/gamma`, 'gamma', [channels], channels, channels);
    const beta = layout.add(`${name}/beta`, 'beta', [channels], channels, channels);
    bnChannels.push(channels);
    return { gamma, beta, stat: bnChannels.length - 1, channels };
  };
  const dropout = settings.dropoutRate > 0;
  let inputs: number;
  let inputShape: number[];

  if (settings.model === 'cnn') {
    if (shape.imageShape === null) throw new Error('model cnn needs image data (data source mnist); use model: mlp for tabular data');
    if (settings.filters === null || settings.filters.length === 0) throw new Error('model cnn needs at least one entry in filters');
    let current = shape.imageShape;
    inputShape = [...current];
    settings.filters.forEach((filters, i) => {
      const k = settings.kernel_size;
      const name = `conv${i + 1}`;
      const kernel = layout.add(`${name}/kernel`, 'kernel', [k, k, current[2], filters], k * k * current[2], k * k * filters);
      const bn = bnFor(name, filters);
      const bias = bn === null ? layout.add(`${name}/bias`, 'bias', [filters], 0, 0) : null;
      const outShape: [number, number, number] = [pooled(current[0]), pooled(current[1]), filters];
      blocks.push({ kind: 'conv', inShape: current, outShape, filters, kernelSize: k, kernel, bias, bn, activation: settings.activation });
      current = outShape;
    });
    inputs = current[0] * current[1] * current[2];
  } else {
    inputs = shape.features;
    inputShape = [shape.features];
    settings.hidden.forEach((units, i) => {
      const name = `dense${i + 1}`;
      const kernel = layout.add(`${name}/kernel`, 'kernel', [inputs, units], inputs, units);
      const bn = bnFor(name, units);
      const bias = bn === null ? layout.add(`${name}/bias`, 'bias', [units], 0, 0) : null;
      blocks.push({ kind: 'dense', inputs, units, kernel, bias, bn, activation: settings.activation, dropoutIn: dropout && i > 0 });
      inputs = units;
    });
  }
  const kernel = layout.add('output/kernel', 'kernel', [inputs, shape.classes], inputs, shape.classes);
  const bias = layout.add('output/bias', 'bias', [shape.classes], 0, 0);
  blocks.push({ kind: 'dense', inputs, units: shape.classes, kernel, bias, bn: null, activation: null, dropoutIn: dropout && blocks.length > 0 });
  return { layout, blocks, inputShape, classes: shape.classes, bnChannels, dropoutRate: settings.dropoutRate };
}
