/**
 * The Adam update's inner loop as a small WebAssembly SIMD function over the tfjs wasm heap,
 * four weights at a time, in float32 — about four times the JavaScript loop, which is bound by
 * one double-precision square root and division per weight. The module (a few hundred bytes,
 * assembled below with asm.ts) imports the backend's own memory, so it reads and writes the tensors in
 * place. Where it cannot be instantiated (no SIMD, a shared memory) the caller keeps the
 * JavaScript loop.
 */
import { F32, I32, V128, get, loopFor, moduleBytes, op, set, simd } from './asm.js';

/** Signature: (w, g, m, v, outW, outM, outV, bytes: i32 byte offsets and length; β1, 1−β1, β2, 1−β2, α/c1, 1/c2, ε: f32). */
type AdamSimd = (w: number, g: number, m: number, v: number, ow: number, om: number, ov: number, bytes: number, ...coefficients: number[]) => void;

/** Locals: 0–6 the pointers, 7 the byte length, 8–14 the coefficients, 15 the offset, 16–22 their splats, 23 g, 24 m′, 25 v′. */
const [W, G, M, V, OW, OM, OV, BYTES] = [0, 1, 2, 3, 4, 5, 6, 7];
const [O, B1, K1, B2, K2, STEP, INV_C2, EPS, GI, MI, VI] = [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25];

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
  return [...splats, op.block, op.void, op.loop, op.void, ...loop, op.end, op.end];
}

const PARAMS = [...new Array<number>(8).fill(I32), ...new Array<number>(7).fill(F32)];

/**
 * The SIMD Adam loop over the heap of a tfjs wasm backend (its `wasm.asm.memory` in 4.22), or
 * null where this runtime or backend cannot run it. Locals: one i32 (the offset), ten v128.
 */
export const adamSimdFor = loopFor<AdamSimd>('adam', () => moduleBytes('adam', PARAMS, [[1, I32], [10, V128]], body()));
