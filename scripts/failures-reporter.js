// A node:test reporter that keeps only the failed tests and writes them, with their errors, once the run ends.
// scripts/test.js prints what it wrote after the TAP stream, so the last lines of a long CI log name what failed.
const MAX_LINES = 20;

function describeError(error) {
  if (error === undefined || error === null) return '(no error recorded)';
  const cause = error.cause ?? error;
  const text = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause?.message ?? cause);
  // Frames inside node's own test runner say nothing about the failure.
  const lines = text.split('\n').filter((line) => !/^\s*at .*\(?node:(internal|async_hooks)/.test(line));
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `… (${lines.length - MAX_LINES} more lines)`].join('\n') : lines.join('\n');
}

export default async function* failures(source) {
  const failed = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const error = event.data.details?.error;
    // A suite fails when one of its tests does; the test itself is already listed.
    if (error?.failureType === 'subtestsFailed') continue;
    const where = event.data.file === undefined ? '' : `${event.data.file}${event.data.line === undefined ? '' : `:${event.data.line}`}`;
    failed.push(`✗ ${event.data.name}${where === '' ? '' : `\n  at ${where}`}\n${describeError(error).replace(/^/gm, '    ')}\n`);
  }
  if (failed.length > 0) yield `${failed.length} failed:\n\n${failed.join('\n')}`;
}
