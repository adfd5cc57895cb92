import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { editDistance, ScenarioError, suggest } from '../src/scenario/errors.js';
import { loadScenario, parseScenario, validateScenarioFile } from '../src/scenario/load.js';

const broken = (name: string) => fileURLToPath(new URL(`./fixtures/scenarios/broken/${name}`, import.meta.url));

async function loadError(file: string): Promise<ScenarioError> {
  try {
    await loadScenario(file, { env: {} });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error(`${file} loaded without error`);
}

function parseError(text: string, env: Record<string, string> = {}): ScenarioError {
  try {
    parseScenario(text, { file: 's.yml', env });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('parsed without error');
}

const STEP_KEYS = 'name, method, path, get, post, put, patch, delete, head, options, query, headers, json, form, body, contentType, capture, check, think, timeout';

describe('broken scenario files', () => {
  const table: Array<[file: string, code: string, line: number, column: number, path: string, message: string]> = [
    ['yaml-syntax.yml', 'E_YAML_SYNTAX', 6, 1, '', '(document): YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ], expected valid YAML'],
    ['unknown-key.yml', 'E_UNKNOWN_KEY', 7, 9, 'flows[0].steps[0].hedaers', `flows[0].steps[0].hedaers: unknown key "hedaers", expected one of ${STEP_KEYS}; did you mean "headers"?`],
    ['wrong-type.yml', 'E_TYPE', 3, 10, 'load.users', 'load.users: got "lots", expected an integer >= 1'],
    ['bad-threshold.yml', 'E_BAD_THRESHOLD', 7, 12, 'thresholds[1]', 'thresholds[1]: "p(95) =< 200ms": "=" is not an operator, expected one of < <= > >= == !='],
    ['bad-duration.yml', 'E_BAD_DURATION', 4, 13, 'load.duration', 'load.duration: "5 minutes" is not a duration, expected a duration like 500ms, 30s, 5m or 1h30m'],
    ['missing-target.yml', 'E_MISSING', 1, 1, '', '(document): missing "target", expected the base URL of the system under test, e.g. target: http://127.0.0.1:3000'],
    ['unknown-capture.yml', 'E_UNKNOWN_REFERENCE', 9, 21, 'flows[0].steps[1].put', 'flows[0].steps[1].put: "userID" is neither a capture of an earlier step nor a variable, expected one of userId; did you mean "userId"?'],
    ['bad-template-fn.yml', 'E_BAD_TEMPLATE', 4, 19, 'steps[0].get', 'steps[0].get: unknown function "randInt()" in "${randInt(1, 10)}", expected one of uuid(), randomInt(), randomString(), pick(), now(), isoNow(), timestamp(), iteration(), vu(), base64(), urlencode(), string(); did you mean "randomInt"?'],
  ];
  it.each(table)('%s -> %s at %i:%i', async (file, code, line, column, path, message) => {
    const e = await loadError(broken(file));
    expect(e.code).toBe(code);
    expect(e.line).toBe(line);
    expect(e.column).toBe(column);
    expect(e.path).toBe(path);
    expect(e.file).toBe(broken(file));
    expect(e.issues[0].message).toBe(`${broken(file)}:${line}:${column}: ${message}`);
    expect(e.message.split('\n')[0]).toBe(e.issues[0].message);
  });

  it('validateScenarioFile reports the same issues without throwing', () => {
    const r = validateScenarioFile(broken('unknown-key.yml'), { env: {} });
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => i.code)).toEqual(['E_UNKNOWN_KEY']);
    expect(r.issues[0].suggestion).toBe('headers');
  });

  it('a missing file is E_FILE', async () => {
    const e = await loadError(broken('does-not-exist.yml'));
    expect(e.code).toBe('E_FILE');
    expect(e.message).toContain('file not found');
  });
});

describe('issues in scenario text', () => {
  const base = 'target: http://x\nload: { users: 1, duration: 1s }\n';

  it('collects several issues, first in document order first', () => {
    // "lod" stands for the missing "load" (not reported twice); "load.duration" is missing too.
    const e = parseError(`target: http://x\nlod: { users: 1 }\nsteps:\n  - get: /a\n    timeout: 5\nload:\n  users: 2\n`);
    expect(e.issues.map((i) => [i.code, i.line, i.column, i.path])).toEqual([
      ['E_UNKNOWN_KEY', 2, 1, 'lod'],
      ['E_BAD_DURATION', 5, 14, 'steps[0].timeout'],
      ['E_MISSING', 6, 1, 'load'],
    ]);
    expect(e.issues[0].suggestion).toBe('load');
    expect(e.issues[1].message).toBe('s.yml:5:14: steps[0].timeout: 5 has no unit, expected a duration like 500ms, 30s, 5m or 1h30m (e.g. 5s)');
    expect(e.message.split('\n')).toHaveLength(3);
  });

  it('a typo of a required key is reported once, not also as missing', () => {
    const e = parseError('target: http://x\nlod: { users: 1, duration: 1s }\nsteps: [GET /]\n');
    expect(e.issues.map((i) => i.message)).toEqual([
      's.yml:2:1: lod: unknown key "lod", expected one of name, description, target, headers, timeout, pipelining, variables, data, load, rateShortfall, flows, scenarios, steps, thresholds, reporters, tags, secrets, hooks; did you mean "load"?',
    ]);
  });

  it('unset env variable without default is E_ENV at the expression', () => {
    const e = parseError(`${base}steps:\n  - get: /a\n    headers:\n      authorization: Bearer \${env.TOKEN}\n`);
    expect(e.code).toBe('E_ENV');
    expect([e.line, e.column]).toEqual([6, 29]);
    expect(e.issues[0].problem).toBe('environment variable TOKEN is not set');
  });

  it('conflicting keys are E_CONFLICT', () => {
    expect(parseError(`${base}steps:\n  - get: /a\n    post: /b\n`).code).toBe('E_CONFLICT');
    expect(parseError(`${base}steps:\n  - post: /a\n    json: {}\n    form: {}\n`).path).toBe('steps[0].form');
    expect(parseError(`target: http://x\nload: { users: 1, rate: 5, duration: 1s }\nsteps: [GET /]\n`).path).toBe('load.rate');
    expect(parseError(`target: http://x\nload: { users: 1, duration: 1s }\nrateShortfall: { maxShortfall: 5% }\nsteps: [GET /]\n`).code).toBe('E_CONFLICT');
  });

  it('a capture used before the step that makes it is named as such', () => {
    const e = parseError(`${base}steps:\n  - get: /a/\${id}\n  - get: /b\n    capture: { json: id, as: id }\n`);
    expect(e.code).toBe('E_UNKNOWN_REFERENCE');
    expect(e.issues[0].problem).toBe('"id" is used before it is captured');
  });

  it('captures do not cross flows', () => {
    const e = parseError(
      `${base}flows:\n  - name: a\n    steps:\n      - get: /x\n        capture: { json: id, as: id }\n  - name: b\n    steps:\n      - get: /y/\${id}\n`,
    );
    expect(e.code).toBe('E_UNKNOWN_REFERENCE');
    expect(e.path).toBe('flows[1].steps[0].get');
  });

  it('unknown variable, data source and column references', () => {
    expect(parseError(`${base}variables: { token: x }\nsteps:\n  - get: /\${vars.tokn}\n`).issues[0].suggestion).toBe('token');
    const noSource = parseError(`${base}steps:\n  - get: /\${data.users.name}\n`);
    expect(noSource.issues[0].problem).toBe('data source "users" is not defined');
    const noCol = parseError(`${base}data: { users: { rows: [{ name: a }] } }\nsteps:\n  - get: /\${data.users.nmae}\n`);
    expect(noCol.issues[0].problem).toBe('data source "users" has no column "nmae"');
    expect(noCol.issues[0].suggestion).toBe('name');
  });

  it('bad data files are E_DATA_FILE at the file key', () => {
    const e = parseError(`${base}data:\n  users: { file: nope.csv }\nsteps: [GET /]\n`);
    expect(e.code).toBe('E_DATA_FILE');
    expect([e.line, e.column, e.path]).toEqual([4, 18, 'data.users.file']);
    expect(e.issues[0].problem).toMatch(/^file not found: .*nope\.csv$/);
  });

  it('threshold scopes must name a request or flow', () => {
    const e = parseError(`${base}steps: [GET /users]\nthresholds:\n  "GET /user": ["p(95) < 1s"]\n`);
    expect(e.code).toBe('E_UNKNOWN_REFERENCE');
    expect(e.issues[0].suggestion).toBe('GET /users');
    expect([e.line, e.column]).toEqual([5, 3]);
    const f = parseError(`${base}steps: [GET /users]\nthresholds:\n  - { expression: "failed_rate < 1%", scope: "flow:nope" }\n`);
    expect(f.issues[0].problem).toBe('no flow named "nope"');
  });

  it('threshold metric must fit its scope', () => {
    const e = parseError(`${base}steps: [GET /users]\nthresholds:\n  - failed_rate < 1%\n`);
    expect(e.code).toBe('E_BAD_THRESHOLD');
    expect(e.issues[0].problem).toContain('failed_rate needs a flow scope');
  });

  it('bad values: method, URL, path, status, weight', () => {
    expect(parseError(`${base}steps:\n  - { method: FETCH, path: / }\n`).issues[0].suggestion).toBe('PATCH');
    expect(parseError(`target: ftp://x\nload: { users: 1, duration: 1s }\nsteps: [GET /]\n`).code).toBe('E_BAD_VALUE');
    expect(parseError(`${base}steps:\n  - get: users\n`).issues[0].problem).toBe('"users" does not start with "/"');
    expect(parseError(`${base}steps:\n  - get: /\n    check: { status: 999 }\n`).code).toBe('E_TYPE');
    expect(parseError(`${base}flows:\n  - { name: a, weight: 0, steps: [GET /] }\n`).code).toBe('E_BAD_VALUE');
  });

  it('reporters need a type', () => {
    const e = parseError(`${base}steps: [GET /]\nreporters:\n  - { path: x.json }\n`);
    expect([e.code, e.path]).toEqual(['E_MISSING', 'reporters[0]']);
    expect(parseError(`${base}steps: [GET /]\nreporters:\n  - { type: "" }\n`).code).toBe('E_BAD_VALUE');
  });

  it('a document that is not a mapping', () => {
    expect(parseError('- a\n- b\n').code).toBe('E_TYPE');
  });
});

describe('did you mean', () => {
  it('edit distance counts transpositions as one', () => {
    expect(editDistance('nmae', 'name')).toBe(1);
    expect(editDistance('hedaers', 'headers')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('Target', 'target')).toBe(0);
  });
  it('suggests only plausible typos', () => {
    expect(suggest('thresholsd', ['thresholds', 'tags'])).toBe('thresholds');
    expect(suggest('xyz', ['name', 'target'])).toBeUndefined();
    expect(suggest('stps', ['steps', 'stages'])).toBe('steps');
  });
});
