/**
 * One error base class with stable codes (docs/errors.md): every code the source throws is
 * listed in the docs with its exit code, and errors that reach callers are LoadctlErrors.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LoadctlError, parseScenario, quick, run, ScenarioError } from '@loadctl/core';
import { parseThreshold } from '@loadctl/core/internal';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('error codes', () => {
  it('every code in the source is in the table of docs/errors.md, and the table lists no code the source lacks', () => {
    const used = new Set<string>();
    for (const pkg of ['core', 'reporters', 'cli']) {
      for (const f of sources(join(root, 'packages', pkg, 'src'))) for (const m of readFileSync(f, 'utf8').matchAll(/'(E_[A-Z0-9_]+)'/g)) used.add(m[1]);
    }
    const documented = new Set([...doc.matchAll(/^\| `(E_[A-Z0-9_]+)` \| [0-9 /]+ \|/gm)].map((m) => m[1]));
    expect([...used].filter((c) => !documented.has(c)).sort()).toEqual([]);
    expect([...documented].filter((c) => !used.has(c)).sort()).toEqual([]);
  });

  it('errors reaching a caller are LoadctlErrors with a documented code and an exit code, from every layer', async () => {
    const caught = async (f: () => unknown): Promise<unknown> => {
      try {
        await f();
      } catch (e) {
        return e;
      }
      throw new Error('expected a throw');
    };
    const errors = [
      await caught(() => parseScenario('target: [', { env: {} })), // YAML
      await caught(() => parseScenario('target: http://x\nload: { users: 1, duration: 1s }\nsteps: [ { get: "/${" } ]\n', { env: {} })), // template
      await caught(() => parseThreshold('p(95) <')), // threshold grammar
      await caught(() => quick({ url: 'ftp://x/' })), // option
      await caught(() => run('/nonexistent/scenario.yml')), // file
    ];
    for (const e of errors) {
      expect(e).toBeInstanceOf(LoadctlError);
      const { code, exitCode } = e as LoadctlError;
      expect(doc).toContain(`| \`${code}\` |`);
      expect([2, 3]).toContain(exitCode);
    }
    expect(errors[0]).toBeInstanceOf(ScenarioError);
    expect((errors[2] as LoadctlError).code).toBe('E_BAD_THRESHOLD');
  });
});
