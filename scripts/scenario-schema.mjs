// Writes packages/core/schema/scenario.schema.json from the TypeBox definition of the
// scenario format (packages/core/src/scenario/schema/). Run after changing the format:
//   pnpm schema          (builds, then writes)
// A test fails while the checked-in file differs from what this would write.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIO_SCHEMA_FILE, scenarioJsonSchemaText } from '../packages/core/dist/scenario/schema/json-schema.js';

const out = fileURLToPath(new URL(`../packages/core/${SCENARIO_SCHEMA_FILE}`, import.meta.url));
mkdirSync(dirname(out), { recursive: true });
const text = scenarioJsonSchemaText();
writeFileSync(out, text);
console.log(`wrote ${out} (${text.length} bytes)`);
