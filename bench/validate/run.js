// bench/validate: how long validating a large scenario takes, split into YAML parsing
// (the fast path parseScenario takes, and the yaml library's full parse it falls back to) and our validator (schema check + normalisation). Sizes in MB from
// BENCH_MB (default "1,5"); each is measured BENCH_REPEAT times (default 3), best shown.
// Needs `pnpm build`. Figures from a busy machine are not final.
import { createRequire } from 'node:module';
import { parseScenario } from '../../packages/core/dist/scenario/load.js';
import { normalizeScenario } from '../../packages/core/dist/scenario/normalize/scenario.js';
import { noSource } from '../../packages/core/dist/scenario/parse.js';
import { ScenarioSchema } from '../../packages/core/dist/scenario/schema/scenario.js';
import { fits } from '../../packages/core/dist/scenario/structure.js';
import { loadFast } from '../../packages/core/dist/scenario/yaml-fast.js';
import { bigScenario } from './big-scenario.js';

// yaml is a dependency of @loadctl/core, not of the repository root.
const { parse, stringify } = createRequire(new URL('../../packages/core/package.json', import.meta.url))('yaml');

const sizes = (process.env.BENCH_MB ?? '1,5').split(',').map(Number);
const repeat = Number(process.env.BENCH_REPEAT ?? 3);

function best(fn) {
  let min = Infinity;
  let out;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    out = fn();
    min = Math.min(min, performance.now() - t);
  }
  return { ms: min, out };
}

for (const mb of sizes) {
  const { doc } = bigScenario(mb * 1e6);
  const text = stringify(doc, { lineWidth: 0 });
  const steps = doc.flows.reduce((n, f) => n + f.steps.length, 0);
  const yaml = best(() => parse(text));
  const fast = best(() => loadFast(text));
  const check = best(() => fits(ScenarioSchema, yaml.out));
  const meter = { work: 0 };
  const validate = best(() => normalizeScenario(yaml.out, { source: noSource(), env: {}, baseDir: process.cwd(), meter }));
  const total = best(() => parseScenario(text, { env: {} }));
  console.log(
    `${(text.length / 1e6).toFixed(1)} MB YAML, ${steps} steps: fast YAML path ${fast.ms.toFixed(0)} ms (yaml library ${yaml.ms.toFixed(0)} ms) | validator ${validate.ms.toFixed(0)} ms ` +
      `(schema check ${check.ms.toFixed(0)} ms) | parseScenario end to end ${total.ms.toFixed(0)} ms`,
  );
}
