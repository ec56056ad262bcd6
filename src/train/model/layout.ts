/**
 * The trainable weight tensors of a network, in a fixed order: blocks refer to them by index,
 * and gradients, optimiser state and snapshots follow the same order.
 */

export type ParamRole = 'kernel' | 'bias' | 'gamma' | 'beta';

/** One weight tensor. */
export interface ParamEntry {
  name: string;
  role: ParamRole;
  shape: number[];
  size: number;
  /** Inputs and outputs feeding one unit (for initialisation): k·k·cin and k·k·cout for convolutions. */
  fanIn: number;
  fanOut: number;
}

/** The weight tensors of a network, built layer by layer. */
export class ParamLayout {
  readonly entries: ParamEntry[] = [];
  /** Total number of parameters. */
  size = 0;

  /** Appends a weight tensor; returns its index. */
  add(name: string, role: ParamRole, shape: number[], fanIn: number, fanOut: number): number {
    const size = shape.reduce((a, b) => a * b, 1);
    this.entries.push({ name, role, shape, size, fanIn, fanOut });
    this.size += size;
    return this.entries.length - 1;
  }

  /** Shapes of the entries, in order. */
  get shapes(): number[][] {
    return this.entries.map((e) => e.shape);
  }
}
