// `inference_ms`: the time of one forward pass (evaluation mode) over INFERENCE_ROWS rows, the
// training rows repeated to fill them. One pass warms up (kernels, buffers); the fastest of
// five timed passes is the figure (the least disturbed by other work on the machine), each
// read back so the device's work is counted.
import type { Dataset } from '../data/types.js';
import { INFERENCE_ROWS } from '../identifiers.js';
import type { Session } from './session.js';

const TIMED_PASSES = 5;

export async function inferenceMs(session: Session, data: Dataset): Promise<number> {
  const features = data.n > 0 ? data.x.length / data.n : 0;
  const x = new Float32Array(INFERENCE_ROWS * features);
  if (data.n > 0) for (let r = 0; r < INFERENCE_ROWS; r++) x.set(data.x.subarray((r % data.n) * features, ((r % data.n) + 1) * features), r * features);
  const input = session.input(x, INFERENCE_ROWS);
  try {
    const pass = async (): Promise<number> => {
      const start = performance.now();
      const out = session.forward(input);
      await out.data();
      out.dispose();
      return performance.now() - start;
    };
    await pass();
    let fastest = Infinity;
    for (let i = 0; i < TIMED_PASSES; i++) fastest = Math.min(fastest, await pass());
    return fastest;
  } finally {
    input.dispose();
  }
}
