/**
 * Bench section: `train.augment` against the training it feeds — augmented images/s (every
 * knob on, one batch in place) beside the built-in CNN's training samples/s on a batch of the
 * same size (blas backend, as a trial here runs). Goal: augmentation ≥ 5× training.
 */
import { createAugmenter } from '../src/train/augment.js';
import { Rng } from '../src/train/random.js';
import { medianMs } from './timing.js';
import { msPerStep, trainerLoop } from './trainer-loop.js';
import type { BenchRow } from './types.js';

const BATCH = 64;
const OPTIONS = { shift: 2, rotate: 10, zoom: 0.1, flip: 'horizontal', noise: 0.05, cutout: 4 } as const;

export async function benchAugment(): Promise<BenchRow[]> {
  const rng = new Rng(5);
  const batch = Float32Array.from({ length: BATCH * 28 * 28 }, () => rng.uniform());
  const labels = new Int32Array(BATCH);
  const augmenter = createAugmenter(OPTIONS, [28, 28, 1], undefined, new Rng(1));
  const augmentMs = medianMs(() => augmenter.apply(batch, labels), { budgetMs: 1000 });
  const loop = await trainerLoop(
    {
      train: { model: 'cnn', filters: [8, 16], kernel_size: 3, batch_size: BATCH, optimizer: 'adam', learning_rate: 1e-3 },
      features: 28 * 28,
      imageShape: [28, 28, 1],
      classes: 10,
      rows: BATCH * 12,
    },
    { backend: 'blas' },
  );
  try {
    const trainMs = await msPerStep(loop, 5);
    const images = (BATCH * 1000) / augmentMs;
    const samples = (BATCH * 1000) / trainMs;
    return [
      { name: `augmentation 28×28 (shift 2, rotate 10, zoom 0.1, flip, noise 0.05, cutout 4), batch ${BATCH}, in place`, value: images, unit: 'images/s' },
      { name: `blas CNN 28×28 conv8-pool-conv16-pool-dense10 training, batch ${BATCH}, Adam`, value: samples, unit: 'samples/s' },
      { name: 'augmentation over training throughput', value: images / samples, unit: '×', goal: '≥ 5' },
    ];
  } finally {
    loop.dispose();
  }
}
