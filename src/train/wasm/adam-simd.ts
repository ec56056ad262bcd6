/**
 * The Adam update's inner loop as a small WebAssembly SIMD function over the tfjs wasm heap,
 * four weights at a time, in float32 — about four times the JavaScript loop, which is bound by
 * one double-precision square root and division per weight. The module (a few hundred bytes,
 * assembled below) imports the backend's own memory, so it reads and writes the tensors in
 * place. Where it cannot be instantiated (no SIMD, a shared memory) the caller keeps the
 * JavaScript loop.
 */

/** Signature: (w, g, m, v, outW, outM, outV, bytes: i32 byte offsets and length; β1, 1−β1, β2, 1−β2, α/c1, 1/c2, ε: f32). */
type AdamSimd = (w: number, g: number, m: number, v: number, ow: number, om: number, ov: number, bytes: number, ...coefficients: number[]) => void;

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const op = {
  get: 0x20,
  set: 0x21,
  i32Add: 0x6a,
  i32GeU: 0x4f,
  i32Const: 0x41,
  block: 0x02,
  loop: 0x03,
  brIf: 0x0d,
  br: 0x0c,
  end: 0x0b,
};
const simd = {
  load: [0xfd, 0x00, 0x04, 0x00],
  store: [0xfd, 0x0b, 0x04, 0x00],
  splat: [0xfd, 0x13],
  sqrt: [0xfd, 0xe3, 0x01],
  add: [0xfd, 0xe4, 0x01],
  sub: [0xfd, 0xe5, 0x01],
  mul: [0xfd, 0xe6, 0x01],
  div: [0xfd, 0xe7, 0x01],
};

/** Locals: 0–6 the pointers, 7 the byte length, 8–14 the coefficients, 15 the offset, 16–22 their splats, 23 g, 24 m′, 25 v′. */
const [W, G, M, V, OW, OM, OV, BYTES] = [0, 1, 2, 3, 4, 5, 6, 7];
const [O, B1, K1, B2, K2, STEP, INV_C2, EPS, GI, MI, VI] = [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25];

const get = (i: number): number[] => [op.get, i];
const set = (i: number): number[] => [op.set, i];
const at = (pointer: number): number[] => [...get(pointer), ...get(O), op.i32Add];
const load = (pointer: number): number[] => [...at(pointer), ...simd.load];

function body(): number[] {
  const splats = [0, 1, 2, 3, 4, 5, 6].flatMap((k) => [...get(8 + k), ...simd.splat, ...set(B1 + k)]);
  const loop = [
    ...get(O), ...get(BYTES), op.i32GeU, op.brIf, 1,
    ...load(G), ...set(GI),
    // m′ = β1·m + (1−β1)·g
    ...get(B1), ...load(M), ...simd.mul, ...get(K1), ...get(GI), ...simd.mul, ...simd.add, ...set(MI),
    // v′ = β2·v + (1−β2)·g·g
    ...get(B2), ...load(V), ...simd.mul, ...get(K2), ...get(GI), ...simd.mul, ...get(GI), ...simd.mul, ...simd.add, ...set(VI),
    ...at(OM), ...get(MI), ...simd.store,
    ...at(OV), ...get(VI), ...simd.store,
    // w′ = w − (α/c1)·m′ / (√(v′/c2) + ε)
    ...at(OW), ...load(W), ...get(STEP), ...get(MI), ...simd.mul, ...get(VI), ...get(INV_C2), ...simd.mul, ...simd.sqrt, ...get(EPS), ...simd.add, ...simd.div, ...simd.sub, ...simd.store,
    ...get(O), op.i32Const, 16, op.i32Add, ...set(O),
    op.br, 0,
  ];
  const code = [...splats, op.block, 0x40, op.loop, 0x40, ...loop, op.end, op.end, op.end];
  // Local declarations: one i32 (the offset), ten v128.
  return [2, 1, I32, 10, V128, ...code];
}

/** A section: its id, then its contents prefixed by their length (every length here < 128 but the code's). */
function section(id: number, contents: number[]): number[] {
  return [id, ...uleb(contents.length), ...contents];
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const byte = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? byte : byte | 0x80);
  } while (n !== 0);
  return out;
}

function moduleBytes(): Uint8Array {
  const text = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const params = [...new Array<number>(8).fill(I32), ...new Array<number>(7).fill(F32)];
  const fn = body();
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, params.length, ...params, 0]),
    ...section(2, [1, ...text('env'), ...text('memory'), 0x02, 0x00, 0x00]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...text('adam'), 0x00, 0]),
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

const instances = new WeakMap<object, AdamSimd | null>();

/**
 * The SIMD Adam loop over the heap of a tfjs wasm backend (its `wasm.asm.memory` in 4.22), or
 * null where this runtime or backend cannot run it.
 */
export function adamSimdFor(backend: object): AdamSimd | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } }).wasm?.asm?.memory;
  if (wasmApi === undefined || !(memory instanceof wasmApi.Memory)) return null;
  let fn = instances.get(memory);
  if (fn === undefined) {
    try {
      const instance = new wasmApi.Instance(new wasmApi.Module(moduleBytes()), { env: { memory } });
      fn = instance.exports['adam'] as AdamSimd;
    } catch {
      fn = null;
    }
    instances.set(memory, fn);
  }
  return fn;
}
