import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { StorageError } from '../../src/core/errors.js';
import { fullDiskMessage } from '../../src/store/sqlite-full.js';
import { toStorageError } from '../../src/store/sqlite-open.js';
import { tempDir } from '../helpers.js';

describe('a full disk', () => {
  it('is said to be full, with the free space and where, instead of "disk I/O error"', () => {
    const path = '/data/runs/hpsearch.db';
    assert.equal(
      fullDiskMessage('SQLITE_IOERR_WRITE', path, 512 * 1024),
      '/data/runs/hpsearch.db: the disk is full (0.5 MiB free on the filesystem of /data/runs): free some space there, or give --storage a path on another disk',
    );
    assert.match(fullDiskMessage('SQLITE_FULL', path, 0) ?? '', /the disk is full \(0\.0 MiB free/);
    assert.equal(fullDiskMessage('SQLITE_IOERR_WRITE', path, 10 * 1024 ** 3), null, 'an I/O error with space left is not a full disk');
    assert.equal(fullDiskMessage('SQLITE_BUSY', path, 0), null);
  });

  it("maps SQLite's SQLITE_FULL to a StorageError that names the file and its folder", () => {
    const path = join(tempDir(), 'full.db');
    const db = new Database(path);
    db.exec('CREATE TABLE t (b BLOB)');
    db.pragma('max_page_count = 3');
    let caught: unknown;
    try {
      db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024));
    } catch (error) {
      caught = error;
    }
    db.close();
    const mapped = toStorageError(caught, path);
    assert.ok(mapped instanceof StorageError);
    assert.match(mapped.message, new RegExp(`^${path.replaceAll('.', '\\.')}: the (database or its )?disk is full .*${dirname(path).replaceAll('.', '\\.')}`));
  });
});
