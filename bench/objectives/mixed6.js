// Six parameters of mixed kinds with a known optimum (val_accuracy 1.0 at learning_rate 3e-3,
// beta1 0.99, units 128, dropout 0.2, batch_size 64, activation relu); smooth in each
// parameter's sampling scale. One report.
export function train(p, ctx) {
  const d =
    ((Math.log10(p.learning_rate) - Math.log10(3e-3)) / 1.0) ** 2 +
    ((Math.log10(1 - p.beta1) + 2) / 0.7) ** 2 +
    ((Math.log2(p.units) - 7) / 1.5) ** 2 +
    ((p.dropout - 0.2) / 0.2) ** 2 +
    ((Math.log2(p.batch_size) - 6) / 1.5) ** 2;
  const act = { relu: 0, elu: 0.05, tanh: 0.15, sigmoid: 0.3 }[p.activation];
  const value = Math.exp(-0.5 * d) - act;
  ctx.report({ val_accuracy: value });
  return { val_accuracy: value };
}
