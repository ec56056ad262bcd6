/**
 * A PostgreSQL cluster of a test's own (scripts/test-postgres.sh on a free port in a temp
 * folder), for tests that crash, restart or stop the server: the shared one stays up for
 * the test files running beside them.
 */
import { execFileSync, execSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers.js';

/** Why a test needing its own cluster skips, or false (pg_ctl is known when the suite started one). */
export function ownServerSkip(): string | false {
  return process.env['HPSEARCH_TEST_PGCTL'] === undefined
    ? 'PostgreSQL crash tests skipped: HPSEARCH_TEST_PGCTL is not set (scripts/test-postgres.sh start)'
    : false;
}

export interface OwnServer {
  url: string;
  /** `pg_ctl restart -m immediate`: a crash of the server (no checkpoint; acknowledged commits must survive). */
  crashRestart: () => void;
  stop: () => void;
  /** Starts it again after stop(). */
  start: () => void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startOwnServer(): Promise<OwnServer> {
  const parent = tempDir('hpsearch-pgown-');
  chmodSync(parent, 0o755); // the cluster may run as the postgres user (when we are root)
  const root = join(parent, 'cluster');
  const port = await freePort();
  const script = join(repoRoot, 'scripts', 'test-postgres.sh');
  const env = { ...process.env, HPSEARCH_PG_ROOT: root, HPSEARCH_PG_PORT: String(port) };
  const exports = execFileSync(script, ['start'], { env, encoding: 'utf8' });
  const url = /HPSEARCH_TEST_POSTGRES='([^']+)'/.exec(exports)?.[1];
  const pgctl = /HPSEARCH_TEST_PGCTL='([^']+)'/.exec(exports)?.[1];
  if (url === undefined || pgctl === undefined) throw new Error(`scripts/test-postgres.sh gave no URL:\n${exports}`);
  return {
    url,
    crashRestart: () => execSync(`${pgctl} -D ${join(root, 'data')} restart -m immediate -w`, { stdio: 'ignore' }),
    stop: () => execFileSync(script, ['stop'], { env, stdio: 'ignore' }),
    start: () => execFileSync(script, ['start'], { env, stdio: 'ignore' }),
  };
}
