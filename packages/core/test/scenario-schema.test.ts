/**
 * The published JSON Schema: checked in and up to date, and doing in a real editor
 * service (the YAML language server, as VS Code, Neovim, IntelliJ, ... run it) what
 * docs/scenario.md promises through the `# yaml-language-server: $schema=` line:
 * completing keys, accepting every scenario the validator accepts, flagging what it rejects.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import yls from 'yaml-language-server';
import { scenarioJsonSchemaText, SCENARIO_SCHEMA_FILE } from '../src/scenario/schema/json-schema.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const schemaFile = join(root, 'packages/core', SCENARIO_SCHEMA_FILE);

const service = yls.getLanguageService({
  schemaRequestService: async (uri: string) => readFileSync(fileURLToPath(uri), 'utf8'),
  workspaceContext: { resolveRelativePath: (relative: string, resource: string) => new URL(relative, resource).href },
});
service.configure({ validate: true, completion: true, hover: true });

/** A scenario file next to the repository's scenarios/, pointing at the schema the way `loadctl init` does. */
let n = 0;
function doc(body: string, name = `x${++n}.yml`): TextDocument {
  return TextDocument.create(pathToFileURL(join(root, 'scenarios', name)).href, 'yaml', 1, `# yaml-language-server: $schema=../packages/core/${SCENARIO_SCHEMA_FILE}\n${body}`);
}
const problems = async (d: TextDocument) => (await service.doValidation(d, false)).map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${p.message}`);
const completions = async (d: TextDocument, line: number, character: number) => (await service.doComplete(d, { line, character }, false)).items.map((i) => i.label);

describe('schema/scenario.schema.json', () => {
  it('is what scripts/scenario-schema.mjs writes from the definition (run `pnpm schema` after changing the format)', () => {
    expect(readFileSync(schemaFile, 'utf8') === scenarioJsonSchemaText(), 'packages/core/schema/scenario.schema.json is stale: run `pnpm schema`').toBe(true);
  });

  it('is shipped in the package and exported', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8'));
    expect(pkg.files).toContain('schema');
    expect(pkg.exports['./schema/scenario.schema.json']).toBe('./schema/scenario.schema.json');
  });

  it.each(readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yml')))('the YAML language server finds nothing wrong in scenarios/%s', async (file) => {
    const path = join(root, 'scenarios', file);
    let text = readFileSync(path, 'utf8');
    const line = `# yaml-language-server: $schema=../packages/core/${SCENARIO_SCHEMA_FILE}`;
    // The repository's scenarios name the schema on their first line; one that does not is checked as if it did.
    if (text.startsWith('# yaml-language-server:')) expect(text.split('\n')[0]).toBe(line);
    else text = `${line}\n${text}`;
    const own = TextDocument.create(pathToFileURL(path).href, 'yaml', 1, text);
    expect(await problems(own)).toEqual([]);
    // The schema was found: the keys not yet used are offered at the end of the file.
    const offered = await completions(own, text.split('\n').length - 1, 0);
    expect(offered.length).toBeGreaterThan(0);
    // The root is one form or the other: one load (load + flows) or loads side by side.
    const forms: Array<{ properties: object }> = JSON.parse(readFileSync(schemaFile, 'utf8')).anyOf;
    expect(forms.flatMap((f) => Object.keys(f.properties))).toEqual(expect.arrayContaining(offered));
  });

  it('the YAML language server accepts the full fixture (every section of the format)', async () => {
    const text = readFileSync(join(root, 'packages/core/test/fixtures/scenarios/full.yml'), 'utf8');
    expect(await problems(doc(text))).toEqual([]);
  });

  it('the YAML language server flags mixed load models, unknown keys, unitless durations and bad methods', async () => {
    const d = doc(['target: http://x', 'load: { users: 1, rate: 5, duration: 30 }', 'steps:', '  - get: /a', '    hedaers: {}', '  - { method: FETCH, path: / }', '  - get: /b', '    timeout: 5 minutes', ''].join('\n'));
    const found = await problems(d);
    expect(found).toEqual([
      '3:38 Incorrect type. Expected "string".',
      '3:19 Property rate is not allowed.',
      '6:5 Property hedaers is not allowed.',
      expect.stringMatching(/^7:15 Value must be "GET" \| "get" \| "POST"/),
      '9:14 Expected a duration like 500ms, 30s, 5m or 1h30m',
    ]);
  });

  it('the YAML language server completes top-level keys, step keys and load keys', async () => {
    expect(await completions(doc('\n'), 1, 0)).toEqual(expect.arrayContaining(['target', 'load', 'flows', 'steps', 'thresholds', 'reporters']));
    const step = doc('target: http://x\nload: { users: 1, duration: 1s }\nsteps:\n  - get: /a\n    \n');
    expect(await completions(step, 5, 4)).toEqual(expect.arrayContaining(['check', 'capture', 'headers', 'json', 'think']));
    const load = doc('target: http://x\nload:\n  \nsteps: [GET /]\n');
    expect(await completions(load, 3, 2)).toEqual(expect.arrayContaining(['users', 'spawnRate', 'rate', 'maxInFlight', 'stages']));
  });

  it('the YAML language server accepts loads side by side, flags load with loads, and completes a load entry', async () => {
    const ok = ['target: http://x', 'loads:', '  - name: api', '    load: { rate: 10, duration: 1m, maxInFlight: 7 }', '    steps: [GET /a]', '  - name: w', '    load: { users: 2, duration: 1m }', '    steps: [POST /b]', ''].join('\n');
    expect(await problems(doc(ok))).toEqual([]);
    const both = doc(['target: http://x', 'load: { users: 1, duration: 1s }', 'loads:', '  - { name: a, load: { users: 1, duration: 1s }, steps: [GET /] }', ''].join('\n'));
    expect(await problems(both)).toEqual(['4:1 Property loads is not allowed.']);
    const entry = doc('target: http://x\nloads:\n  - name: a\n    \n');
    expect(await completions(entry, 4, 4)).toEqual(expect.arrayContaining(['load', 'flows', 'steps', 'thresholds', 'tags', 'rateShortfall']));
  });
});
