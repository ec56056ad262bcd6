// Lint rules, including the module boundaries of DESIGN.md: each folder of src/ may import
// only the folders listed for it; only train/ imports TensorFlow.js, only store/ imports
// the SQLite driver, only pool/ knows threads and processes (and launch/ runs the cluster
// scheduler's commands), only cli/ draws progress.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const FOLDERS = ['core', 'spec', 'search', 'prune', 'train', 'pool', 'store', 'diagnose', 'report', 'study', 'launch', 'cli'];

/** Folders each folder may import (besides itself). */
const ALLOWED = {
  core: [],
  spec: ['core', 'train'],
  search: ['core'],
  prune: ['core'],
  train: ['core'],
  pool: ['core', 'train'],
  store: ['core'],
  diagnose: ['core', 'train'],
  report: ['core', 'diagnose'],
  study: ['core', 'spec', 'search', 'prune', 'train', 'pool', 'store', 'diagnose'],
  launch: ['core', 'spec'],
  cli: ['core', 'spec', 'search', 'prune', 'train', 'pool', 'store', 'diagnose', 'report', 'study', 'launch'],
};

const TFJS = ['@tensorflow/*'];
const SQLITE = ['better-sqlite3', 'pg', 'pg-connection-string', 'pg-pool', 'pgpass'];
const THREADS = ['node:worker_threads', 'worker_threads', 'node:child_process', 'child_process'];
const TERMINAL = ['cli-progress', 'cli-table3', 'commander'];
const FFI = ['koffi'];

function boundaryRule(folder) {
  const allowed = ALLOWED[folder];
  const forbiddenFolders = FOLDERS.filter((f) => f !== folder && !allowed.includes(f));
  const patterns = forbiddenFolders.map((f) => ({
    group: [`../${f}/*`, `../../${f}/*`, `**/src/${f}/*`],
    message: `src/${folder}/ may not import src/${f}/ (DESIGN.md, Modules).`,
  }));
  if (folder === 'spec') {
    // spec/ may read train/'s knob names, and nothing else of train/.
    patterns.push({
      regex: '^\\.\\./train/(?!identifiers\\.js$)',
      message: 'spec/ may import only train/identifiers.ts from train/.',
    });
  }
  const libs = [];
  if (folder !== 'train') libs.push({ group: TFJS, message: 'Only src/train/ imports TensorFlow.js.' });
  if (folder !== 'train') libs.push({ group: FFI, message: 'Only src/train/ (its blas backend) calls native code through koffi.' });
  if (folder !== 'store') libs.push({ group: SQLITE, message: 'Only src/store/ speaks SQL.' });
  if (folder === 'launch') libs.push({ group: THREADS.filter((t) => t.includes('worker_threads')), message: 'src/launch/ runs scheduler commands, never threads.' });
  else if (folder !== 'pool') libs.push({ group: THREADS, message: 'Only src/pool/ knows threads and processes.' });
  if (folder !== 'cli') libs.push({ group: TERMINAL, message: 'Only src/cli/ writes to the terminal.' });
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, ...libs] }] },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'runs/**', 'test/fixtures/**', 'bin/**', 'scripts/**', 'eslint.config.js', 'stryker.config.mjs', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' }] },
      ],
      'no-console': 'error',
    },
  },
  ...FOLDERS.map(boundaryRule),
  {
    files: ['src/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Example user code shipped in configs/ and examples/: plain ES modules, no type information.
    files: ['configs/**/*.js', 'examples/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: 'module', parserOptions: { projectService: false, program: null, project: false } },
  },
  {
    // The report page's browser code (inlined into the HTML): plain scripts, no type information.
    files: ['src/report/client/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'script',
      parserOptions: { projectService: false, program: null, project: false },
      globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', setTimeout: 'readonly', requestAnimationFrame: 'readonly' },
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      // pure-rand: the seeded generator behind core/random.ts, the tree's one RNG.
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./|pure-rand/)', message: 'src/core/ imports nothing outside itself (but pure-rand).' }] }],
    },
  },
);
