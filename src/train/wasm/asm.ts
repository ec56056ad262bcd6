/**
 * A minimal WebAssembly assembler for the few SIMD loops in this folder (adam-simd.ts,
 * pool-grad-simd.ts): opcodes, a one-function module that imports the tfjs backend's memory,
 * and one instance per memory. Each loop is a few hundred bytes, so they are assembled here at
 * run time rather than shipped as binaries or compiled from text by a toolchain.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Scalar instructions (one byte each). */
export const op = {
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  i32And: 0x71,
  i32Eq: 0x46,
  i32GeU: 0x4f,
  f32Add: 0x92,
  if: 0x04,
  else: 0x05,
  i32Const: 0x41,
  f32Const: 0x43,
  block: 0x02,
  loop: 0x03,
  brIf: 0x0d,
  br: 0x0c,
  end: 0x0b,
  /** The block type of a block or loop that yields nothing. */
  void: 0x40,
};

/** Memory instructions with their alignment hint (4 bytes) and a constant offset. */
export const mem = {
  i32Load: (offset = 0): number[] => [0x28, 0x02, ...uleb(offset)],
  f32Load: [0x2a, 0x02, 0x00],
  f32Store: [0x38, 0x02, 0x00],
  /** memory.copy (dst, src, bytes) within memory 0. */
  copy: [0xfc, 0x0a, 0x00, 0x00],
};

/** SIMD instructions (0xfd prefix; loads and stores with a 16-byte alignment hint, offset 0). */
export const simd = {
  load: [0xfd, 0x00, 0x04, 0x00],
  store: [0xfd, 0x0b, 0x04, 0x00],
  splat: [0xfd, 0x13],
  gt: [0xfd, 0x44],
  and: [0xfd, 0x4e],
  andNot: [0xfd, 0x4f],
  bitselect: [0xfd, 0x52],
  sqrt: [0xfd, 0xe3, 0x01],
  add: [0xfd, 0xe4, 0x01],
  sub: [0xfd, 0xe5, 0x01],
  mul: [0xfd, 0xe6, 0x01],
  div: [0xfd, 0xe7, 0x01],
};

export const get = (i: number): number[] => [op.get, i];
export const set = (i: number): number[] => [op.set, i];

/** `local += step` for an i32 local. */
export const addTo = (local: number, step: number[]): number[] => [...get(local), ...step, op.i32Add, ...set(local)];

/** An f32 constant, its four bytes little-endian. */
export function f32Const(value: number): number[] {
  return [op.f32Const, ...new Uint8Array(Float32Array.of(value).buffer)];
}

/** `block { loop { br_if exit (counter >= limit); ...body; br loop } }`; the body must advance the counter. */
export function whileBelow(counter: number, limit: number, body: number[]): number[] {
  return [op.block, op.void, op.loop, op.void, ...get(counter), ...get(limit), op.i32GeU, op.brIf, 1, ...body, op.br, 0, op.end, op.end];
}

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const byte = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? byte : byte | 0x80);
  } while (n !== 0);
  return out;
}

/** A section: its id, then its contents prefixed by their length. */
function section(id: number, contents: number[]): number[] {
  return [id, ...uleb(contents.length), ...contents];
}

const text = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

/**
 * A module of one exported function `name(params) → ()` that imports `env.memory`. `locals`
 * are the function's local declarations as (count, type) pairs; `code` its instructions, without
 * the final `end`.
 */
export function moduleBytes(name: string, params: readonly number[], locals: ReadonlyArray<readonly [number, number]>, code: readonly number[]): Uint8Array {
  const fn = [...uleb(locals.length), ...locals.flatMap(([count, type]) => [...uleb(count), type]), ...code, op.end];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, ...uleb(params.length), ...params, 0]),
    ...section(2, [1, ...text('env'), ...text('memory'), 0x02, 0x00, 0x00]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...text(name), 0x00, 0]),
    ...section(10, [1, ...uleb(fn.length), ...fn]),
  ]);
}

/** The parts of the WebAssembly JS API used here (the compiler's libraries here do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => object;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * One function per tfjs wasm backend heap (its `wasm.asm.memory` in 4.22): `build()`'s module
 * instantiated over that memory, or null where this runtime or backend cannot run it (no SIMD,
 * a shared memory). Each call of `loopFor` keeps its own instances.
 */
export function loopFor<F>(name: string, build: () => Uint8Array): (backend: object) => F | null {
  const instances = new WeakMap<object, F | null>();
  return (backend) => {
    const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
    if (wasmApi === undefined || !(memory instanceof wasmApi.Memory)) return null;
    let fn = instances.get(memory);
    if (fn === undefined) {
      try {
        fn = new wasmApi.Instance(new wasmApi.Module(build()), { env: { memory } }).exports[name] as F;
      } catch {
        fn = null;
      }
      instances.set(memory, fn);
    }
    return fn;
  };
}
