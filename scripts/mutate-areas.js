// What `npm run mutate` mutates, area by area, and the compiled tests that exercise each.
export const AREAS = {
  search: { mutate: ['src/search/**/*.ts'], tests: ['dist/test/search/**/*.test.js'] },
  prune: { mutate: ['src/prune/**/*.ts'], tests: ['dist/test/prune/**/*.test.js'] },
  diagnose: { mutate: ['src/diagnose/**/*.ts'], tests: ['dist/test/diagnose/**/*.test.js'] },
  keep: {
    mutate: ['src/train/keep/**/*.ts', 'src/study/keep.ts'],
    tests: ['dist/test/train/keep/**/*.test.js'],
  },
  command: { mutate: ['src/train/command/**/*.ts'], tests: ['dist/test/train/command/**/*.test.js', 'dist/test/train/command.test.js'] },
  report: {
    mutate: ['src/report/**/*.ts'],
    // The unit tests only: the page tests spawn the CLI and drive Chromium (no per-test coverage, minutes each).
    tests: ['dist/test/report/{shape,importance,importance-rules,pareto,rows,forest,forest-rules,server}.test.js'],
  },
  store: { mutate: ['src/store/**/*.ts'], tests: ['dist/test/store/**/*.test.js'] },
};
