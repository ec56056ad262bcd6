import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openStorage } from '../../src/store/open.js';
import type { Storage } from '../../src/store/storage.js';
import { tempDir } from '../helpers.js';
import { storageConformance } from './conformance.js';

const dir = tempDir('hpsearch-journal-');
let counter = 0;

function freshLocation(): string {
  const sub = join(dir, `j-${counter++}`);
  mkdirSync(sub);
  return `journal:${join(sub, 'study.log')}`;
}

storageConformance('journal', () => openStorage(freshLocation()));

/**
 * Two opens of one journal, taking the calls in turn: every write is seen by the other only
 * through the file, so the suite checks that replaying the lines rebuilds the same state.
 */
async function twoViews(): Promise<Storage> {
  const location = freshLocation();
  const views = [await openStorage(location), await openStorage(location)];
  let turn = 0;
  return new Proxy(views[0]!, {
    get(target, key): unknown {
      if (key === 'close') return async () => { for (const v of views) await v.close(); };
      const view = views[turn++ % 2]!;
      const member = Reflect.get(view, key) as unknown;
      return typeof member === 'function' ? (member as (...a: unknown[]) => unknown).bind(view) : member;
    },
  });
}

storageConformance('journal, two processes taking turns', twoViews);
