#!/usr/bin/env node
// The hpsearch launcher: runs the compiled CLI (built by `npm install` / `npm run build`).
import('../dist/src/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/src/cli/main.js')) {
    process.stderr.write('hpsearch is not built yet: run `npm run build` in its folder.\n');
    process.exit(2);
  }
  throw error;
});
