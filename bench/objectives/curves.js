// A noisy learning-curve simulator: accuracy approaches a ceiling set by learning_rate and
// weight_decay at a speed set by learning_rate, so fast starters are not always the best
// finishers (where pruning can misjudge). Known optimum: ceiling 0.98 at learning_rate 1e-3,
// weight_decay 1e-4, width 256. Noise depends on the trial seed and epoch only.
function noise(seed, e) {
  let h = (seed ^ Math.imul(e + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296 - 0.5;
}

export async function train(p, ctx) {
  const lr = Math.log10(p.learning_rate) + 3;
  const wd = Math.log10(p.weight_decay) + 4;
  const width = Math.log2(p.width) - 8;
  const ceiling = 0.98 - 0.08 * lr * lr - 0.03 * wd * wd - 0.02 * width * width;
  const speed = 0.15 * 10 ** (0.4 * lr);
  let last = 0;
  for (let e = 0; e < p.epochs; e++) {
    if (ctx.shouldStop()) break;
    last = ceiling * (1 - Math.exp(-speed * (e + 1))) + 0.01 * noise(ctx.seed, e);
    ctx.report({ val_accuracy: last });
    if (e % 5 === 4) await new Promise((r) => setImmediate(r));
  }
  return { val_accuracy: last };
}
