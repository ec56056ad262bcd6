import { MemoryStorage } from '../../src/store/memory.js';
import { storageConformance } from './conformance.js';

storageConformance('memory', () => Promise.resolve(new MemoryStorage()));
