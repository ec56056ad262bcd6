/** What a classification label column must be: a few classes, named or whole numbers. */

/** Fewer rows per class than this on average is not a classification target. */
export const MIN_ROWS_PER_CLASS = 3;

/**
 * The class names of `labels` in sorted order (numeric order when every label is a number).
 * @throws when there is a single class, a numeric label that is not whole (a continuous
 *   target), or more classes than the rows can teach; `what` starts each message.
 */
export function checkLabels(labels: readonly string[], what: string): string[] {
  const unique = [...new Set(labels)];
  const numeric = unique.every((l) => l !== '' && Number.isFinite(Number(l)));
  if (numeric) {
    const fraction = unique.find((l) => !Number.isInteger(Number(l)));
    if (fraction !== undefined) {
      throw new Error(
        `${what} has values that are not whole numbers (e.g. ${fraction}; ${unique.length} distinct values): ` +
          'hpsearch trains classifiers, so a continuous target must be binned into classes first (or choose another label column)',
      );
    }
  }
  if (unique.length < 2) throw new Error(`${what} has a single value (${unique[0] ?? 'empty'}); need at least 2 classes`);
  if (unique.length * MIN_ROWS_PER_CLASS > labels.length) {
    throw new Error(
      `${what} has ${unique.length} classes for ${labels.length} rows (fewer than ${MIN_ROWS_PER_CLASS} rows per class): ` +
        'is it an id or a regression target? Choose the class column, or bin the target into fewer classes',
    );
  }
  return numeric ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort();
}
