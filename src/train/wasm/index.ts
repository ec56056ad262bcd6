/**
 * Fast paths for training on the tfjs wasm backend (see ../../../../shared/notes). Call once
 * after the wasm backend is initialised; safe to call again.
 */
export function installWasmKernelFixes(): void {
  // Filled in by the wasm kernel work.
}
