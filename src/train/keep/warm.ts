/** A warm start: a kept model's weights as a new trial's initial weights, checked against its network. */
import type { Network } from '../model/network.js';
import { readKeptFiles } from './files.js';

export interface InitialState {
  weights: Float32Array[];
  movingMean: Float32Array[];
  movingVar: Float32Array[];
}

const shapeText = (shapes: readonly (readonly number[])[]): string => shapes.map((s) => `[${s.join(', ')}]`).join(' ');

/** The shapes a network's kept model holds, in the kept model's order: trainable, then moving statistics. */
export function keptShapes(net: Network): number[][] {
  return [...net.layout.shapes, ...net.bnChannels.flatMap((c) => [[c], [c]])];
}

/** The kept model's weight shapes, read from its files (no tensors). */
export function keptModelShapes(dir: string): number[][] {
  return (readKeptFiles(dir).artifacts.weightSpecs ?? []).map((s) => s.shape);
}

/** Throws, naming both architectures, when the kept model's weights do not fit `net`. */
export function checkCompatible(dir: string, kept: readonly (readonly number[])[], net: Network): void {
  const wanted = keptShapes(net);
  const same = kept.length === wanted.length && kept.every((s, i) => s.length === wanted[i]!.length && s.every((d, j) => d === wanted[i]![j]));
  if (!same) {
    throw new Error(`init_from ${dir}: the kept model's weights have shapes ${shapeText(kept)}; this trial's network needs ${shapeText(wanted)}`);
  }
}

/** The kept model's weights, for a Session to start from. */
export function readInitialState(dir: string, net: Network): InitialState {
  const { artifacts } = readKeptFiles(dir);
  const specs = artifacts.weightSpecs ?? [];
  checkCompatible(dir, specs.map((s) => s.shape), net);
  const data = artifacts.weightData as ArrayBuffer;
  let offset = 0;
  const values = specs.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(data.slice(offset, offset + n * 4));
    offset += n * 4;
    return v;
  });
  const trainable = net.layout.entries.length;
  const moving = values.slice(trainable);
  return {
    weights: values.slice(0, trainable),
    movingMean: moving.filter((_, i) => i % 2 === 0),
    movingVar: moving.filter((_, i) => i % 2 === 1),
  };
}

/** Indices of the weights and moving statistics of the first `freeze` blocks. */
export function frozenOf(net: Network, freeze: number): { weights: Set<number>; stats: Set<number> } {
  const weights = new Set<number>();
  const stats = new Set<number>();
  for (const block of net.blocks.slice(0, freeze)) {
    for (const i of [block.kernel, block.bias, block.bn?.gamma ?? null, block.bn?.beta ?? null]) if (i !== null) weights.add(i);
    if (block.bn !== null) stats.add(block.bn.stat);
  }
  return { weights, stats };
}
