// StrykerJS configuration for `npm run mutate` (see scripts/mutate.js and docs/mutation.md).
import { AREAS } from './scripts/mutate-areas.js';

const area = process.env.HPSEARCH_MUTATE_AREA ?? 'prune';
const { mutate, tests } = AREAS[area];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'tap',
  tap: { testFiles: tests, nodeArgs: ['--test-reporter=tap', '{{testFile}}'] },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  buildCommand: 'npx tsc -p tsconfig.json',
  mutate,
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant) would rerun every test file: not worth hours here.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/mutation/${area}.incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${area}.html` },
  jsonReporter: { fileName: `reports/mutation/${area}.json` },
  thresholds: { high: 90, low: 80, break: null },
  concurrency: 2,
  timeoutMS: 20000,
  ignorePatterns: ['runs', 'reports', 'dist', '*.db', '.stryker-tmp'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
