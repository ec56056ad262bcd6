/**
 * The gradient of the built-in CNN's max pool (2×2 windows, stride 2, over an even height and
 * width, so the windows tile the input) as a WebAssembly SIMD loop, four channels at a time.
 * Each window's argmax is found with the semantics of max-pool-grad.ts (the maximum starts at
 * −∞, a strictly greater value wins, ties go to the first element in row-major window order,
 * a window with nothing above −∞ passes no gradient) as lane masks, and dy is written through
 * them to the four places of the window: every element of dx is written once, so dx needs no
 * zeroing and nothing is added. About seven times the JavaScript loop, whose argmax branches
 * the processor cannot predict.
 */
import { I32, V128, addTo, f32Const, get, loopFor, moduleBytes, op, set, simd, whileBelow } from './asm.js';

/** (x, dy, dx: byte offsets; row pairs = batch·outHeight; outWidth; channel bytes = 4·C; row bytes = 4·W·C). */
export type PoolGradSimd = (x: number, dy: number, dx: number, rowPairs: number, outWidth: number, channelBytes: number, rowBytes: number) => void;

const [X, DY, DX, PAIRS, OUT_W, CB, ROW] = [0, 1, 2, 3, 4, 5, 6];
/** i32 locals: row pair, window column, channel byte, window offset, dy pointer, row-pair offset, window column offset. */
const [R, WI, C, O, DYP, RB, WB] = [7, 8, 9, 10, 11, 12, 13];
/** v128 locals. */
const [NINF, A0, A1, A2, A3, BEST, MASK, S0, S1, S2, G] = [14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];

const address = (base: number, ...steps: number[]): number[] => [...get(base), ...get(O), op.i32Add, ...steps.flatMap((s) => [...get(s), op.i32Add])];
const i32 = (n: number): number[] => [op.i32Const, n];

/** mask = a > best; then, unless `last`, best = mask ? a : best. */
const challenge = (a: number, last: boolean): number[] => [
  ...get(a), ...get(BEST), ...simd.gt, ...set(MASK),
  ...(last ? [] : [...get(a), ...get(BEST), ...get(MASK), ...simd.bitselect, ...set(BEST)]),
];
/** s = s & ~mask. */
const lose = (s: number): number[] => [...get(s), ...get(MASK), ...simd.andNot, ...set(s)];
/** Stores dy & mask at dx + the window offset + steps. */
const write = (mask: number, ...steps: number[]): number[] => [...address(DX, ...steps), ...get(G), ...get(mask), ...simd.and, ...simd.store];

function body(): number[] {
  const window = [
    ...get(WB), ...get(C), op.i32Add, ...set(O),
    ...address(X), ...simd.load, ...set(A0),
    ...address(X, CB), ...simd.load, ...set(A1),
    ...address(X, ROW), ...simd.load, ...set(A2),
    ...address(X, ROW, CB), ...simd.load, ...set(A3),
    // s0 = a0 > −∞; best = s0 ? a0 : −∞
    ...get(A0), ...get(NINF), ...simd.gt, ...set(S0),
    ...get(A0), ...get(NINF), ...get(S0), ...simd.bitselect, ...set(BEST),
    ...challenge(A1, false), ...lose(S0), ...get(MASK), ...set(S1),
    ...challenge(A2, false), ...lose(S0), ...lose(S1), ...get(MASK), ...set(S2),
    ...challenge(A3, true), ...lose(S0), ...lose(S1), ...lose(S2),
    ...get(DYP), ...simd.load, ...set(G),
    ...write(S0), ...write(S1, CB), ...write(S2, ROW), ...write(MASK, ROW, CB),
    ...addTo(DYP, i32(16)), ...addTo(C, i32(16)),
  ];
  const column = [...i32(0), ...set(C), ...whileBelow(C, CB, window), ...addTo(WI, i32(1)), ...addTo(WB, [...get(CB), ...get(CB), op.i32Add])];
  const pair = [
    ...get(R), ...get(ROW), op.i32Mul, ...set(RB), ...addTo(RB, get(RB)),
    ...i32(0), ...set(WI), ...get(RB), ...set(WB),
    ...whileBelow(WI, OUT_W, column),
    ...addTo(R, i32(1)),
  ];
  return [...f32Const(-Infinity), ...simd.splat, ...set(NINF), ...get(DY), ...set(DYP), ...whileBelow(R, PAIRS, pair)];
}

/** The SIMD pool gradient over a tfjs wasm backend's heap, or null where it cannot run. */
export const poolGradSimdFor = loopFor<PoolGradSimd>('poolgrad', () =>
  moduleBytes('poolgrad', new Array<number>(7).fill(I32), [[7, I32], [11, V128]], body()),
);
