import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { plan } from '../src/plan/plan.js';
import { compileWorker } from '../src/plan/worker-program.js';
import { parseScenario } from '../src/scenario/load.js';

// Every complete scenario in docs/scenario.md must load and compile.
const doc = readFileSync(fileURLToPath(new URL('../../../docs/scenario.md', import.meta.url)), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /^target:/m.test(b) && /^loads?:/m.test(b));

describe('docs/scenario.md examples', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-docs-'));
  writeFileSync(join(dir, 'products.csv'), 'sku,name,price\nA1,apple,1.5\n');

  it('has complete examples', () => expect(blocks.length).toBeGreaterThanOrEqual(4));

  it.each(blocks.map((b, i) => [i, b]))('example %i loads and compiles', (_i, text) => {
    const s = parseScenario(text as string, { file: join(dir, 'example.yml'), env: { SHOP_TOKEN: 't' } });
    // Every load's share (one for a one-load scenario).
    for (const share of plan(s, { workers: 2, seed: 1 }).workers.flatMap((w) => w.shares)) {
      const c = compileWorker(share);
      for (const f of c.flows) {
        const ctx = c.newIteration(c.flows.indexOf(f), 0);
        for (const step of f.steps) expect(step.render(ctx).path.startsWith('/')).toBe(true);
      }
    }
  });
});
