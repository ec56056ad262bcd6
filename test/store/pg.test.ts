import { after, describe, it } from 'node:test';
import { openStorage } from '../../src/store/open.js';
import { storageConformance } from './conformance.js';
import { dropCreated, freshSchemaUrl, pgSkip } from './pg-helpers.js';

const skip = await pgSkip();
if (skip !== false) {
  describe('Storage conformance: postgresql', () => void it(skip, { skip }, () => undefined));
} else {
  after(dropCreated);
  storageConformance('postgresql', async () => openStorage(await freshSchemaUrl()));
}
