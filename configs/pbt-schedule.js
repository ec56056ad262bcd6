// A training curve whose best learning rate falls as training goes on (a module trainer for
// configs/pbt-schedule.yaml). Each epoch the loss moves a share speed(α) = min(0.5, 10α) of the
// way to a noise floor 10α: a high α learns fast but stalls high, a low α gets low but slowly,
// so the best fixed α is a compromise and a falling schedule beats it.
export async function train(params, ctx) {
  const lr = params.learning_rate;
  let loss = ctx.checkpoint?.loss ?? 1;
  for (let epoch = ctx.startEpoch; epoch < params.epochs; epoch++) {
    const floor = 10 * lr;
    loss = floor + (loss - floor) * (1 - Math.min(0.5, 10 * lr));
    await ctx.report({ val_accuracy: 1 - loss, val_loss: loss }, { checkpoint: { loss } });
  }
}
