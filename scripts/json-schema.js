#!/usr/bin/env node
// Writes the spec's JSON Schema (from the validating zod schemas) to the file the package ships.
// Usage: npm run build && node scripts/json-schema.js
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSON_SCHEMA_FILE, specJsonSchema } from '../dist/src/spec/json-schema.js';

const root = new URL('..', import.meta.url).pathname;
writeFileSync(join(root, JSON_SCHEMA_FILE), `${JSON.stringify(specJsonSchema(), null, 2)}\n`);
