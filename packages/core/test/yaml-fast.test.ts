// The fast YAML path must give exactly the values of the full `yaml` parse, or step aside.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '@loadctl/core';
import { parseYaml, parseYamlFully } from '../src/scenario/parse.js';
import { loadFast } from '../src/scenario/yaml-fast.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** The YAML blocks of the docs: what users copy. */
function docBlocks(): string[] {
  const blocks: string[] = [];
  for (const name of readdirSync(join(root, 'docs'))) {
    if (!name.endsWith('.md')) continue;
    const md = readFileSync(join(root, 'docs', name), 'utf8');
    for (const m of md.matchAll(/```ya?ml\n([\s\S]*?)```/g)) blocks.push(m[1]);
  }
  return blocks;
}

function same(text: string): void {
  const fast = loadFast(text);
  if (fast === undefined) return;
  let full: unknown;
  try {
    full = parseYamlFully(text).value;
  } catch {
    throw new Error(`the fast path read what the full parser refuses:\n${text}`);
  }
  expect(fast.value).toEqual(full);
}

describe('fast YAML path', () => {
  it('reads every YAML file and docs block of the repository as the full parser does', () => {
    const texts = [...yamlFiles(join(root, 'scenarios')), ...yamlFiles(join(root, 'examples')), ...yamlFiles(join(root, 'packages'))].map((f) => readFileSync(f, 'utf8'));
    texts.push(...docBlocks());
    expect(texts.length).toBeGreaterThan(20);
    let fast = 0;
    for (const t of texts) {
      same(t);
      if (loadFast(t) !== undefined) fast++;
    }
    expect(fast).toBeGreaterThan(texts.length / 2); // the fast path is the usual one
  });

  it('resolves scalars by the YAML 1.2 core schema, as `yaml` does (signed fractions, 0b, signed hex, huge exponents)', () => {
    for (const s of ['-.5', '+.9', '0b101', '-0x1F', '+0o7', '0o17', '0x1F', '1e999', '-1E999', '.inf', '-.Inf', '.NaN', '~', 'Null', 'TRUE', 'yes', '1_000', '010', '1.', '12:30', '2026-06-01T12:00:00Z', "''", '""']) {
      const fast = loadFast(`a: ${s}\n`);
      expect(fast, s).toBeDefined();
      expect(fast!.value, s).toEqual(parseYamlFully(`a: ${s}\n`).value);
    }
    const alphabet = fc.constantFrom(...'0123456789.-+_eExXoObB:nNaAiIfFtTrRuUlL~ ');
    fc.assert(fc.property(fc.string({ unit: alphabet, minLength: 1, maxLength: 8 }), (s) => same(`a: ${s}\n`)), { numRuns: 3000 });
  });

  it('reads any plain data `yaml` writes as `yaml` reads it back', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => same(stringify({ v }))), { numRuns: 500 });
  });

  it('steps aside for anchors, aliases, merge keys, duplicate keys, several documents and syntax errors', () => {
    expect(loadFast('a: &x { b: 1 }\nc: *x\n')).toBeUndefined();
    expect(loadFast('a: { b: 1 }\nc:\n  <<: { d: 2 }\n')).toBeUndefined();
    expect(loadFast('a: 1\na: 2\n')).toBeUndefined();
    expect(loadFast('a: 1\n---\nb: 2\n')).toBeUndefined();
    expect(loadFast('a: [1, 2\n')).toBeUndefined();
    // and these still read as the full parser reads them (a query string's & is no anchor)
    expect(loadFast('get: /items?a=1&b=2\npath: /x/*\n')!.value).toEqual({ get: '/items?a=1&b=2', path: '/x/*' });
    expect(parseYaml('a: &x { b: 1 }\nc: *x\n').value).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  it('still gives file:line:column for an error in a document read the fast way', () => {
    const text = 'target: http://127.0.0.1:1\nload: { users: 1, duration: 1s }\nsteps:\n  - get: /\n    chek: { status: 200 }\n';
    expect(loadFast(text)).toBeDefined();
    try {
      parseScenario(text, { env: {}, file: 'bad.yml' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).message).toMatch(/bad\.yml:5:5/);
    }
  });
});
