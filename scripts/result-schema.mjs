// Regenerate packages/core/schema/result.schema.json from its TypeBox definition
// (packages/core/src/metrics/result-schema.ts). Run after `pnpm build`; a test fails while
// the committed file differs from the definition.
import { writeFileSync } from 'node:fs';
import { ResultSchema } from '../packages/core/dist/metrics/result-schema.js';

const file = new URL('../packages/core/schema/result.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(ResultSchema, null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
