import { describe, expect, it } from 'vitest';
import { getPath, parseJsonPath } from '../src/scenario/jsonpath.js';
import { compileTemplate, compileTypedTemplate, parseTemplate, TemplateError, type TemplateContext } from '../src/scenario/template.js';
import { seededRandom } from '../src/plan/random.js';

const ctx = (over: Partial<TemplateContext> = {}): TemplateContext => ({
  captures: {},
  rows: {},
  iteration: 7,
  vu: 3,
  rand: seededRandom(42),
  ...over,
});

describe('template parsing', () => {
  it('splits text and expressions with offsets', () => {
    expect(parseTemplate('/u/${id}?x=${randomInt(1, 5)}')).toEqual([
      { kind: 'text', text: '/u/' },
      { kind: 'expr', expr: { kind: 'ref', ns: 'name', path: ['id'] }, src: 'id', start: 3, end: 8 },
      { kind: 'text', text: '?x=' },
      {
        kind: 'expr',
        expr: { kind: 'call', fn: 'randomInt', args: [{ kind: 'lit', value: 1 }, { kind: 'lit', value: 5 }] },
        src: 'randomInt(1, 5)',
        start: 11,
        end: 29,
      },
    ]);
  });

  it('escapes $${ and \\${', () => {
    expect(compileTemplate('a $${x} b \\${y} c')(ctx())).toBe('a ${x} b ${y} c');
    expect(compileTemplate('price: $5 {ok}')(ctx())).toBe('price: $5 {ok}');
  });

  it.each([
    ['${}', 'empty expression'],
    ['${nope()}', 'unknown function "nope()"'],
    ['${randomInt(1)}', 'randomInt() takes 2 arguments, got 1'],
    ["${randomInt('a', 2)}", 'argument 1 of randomInt() must be a number'],
    ['${a b}', 'unexpected "b"'],
    ['${vars.a.b}', '"vars.a.b" must be vars.NAME'],
    ['${data.users}', '"data.users" must be data.source.column'],
    ['${x', 'unterminated "${"'],
    ["${pick('a}", 'unterminated'],
    ['${42}', 'a literal alone is not an expression'],
  ])('%s is rejected: %s', (src, msg) => {
    expect(() => parseTemplate(src)).toThrow(TemplateError);
    expect(() => parseTemplate(src)).toThrow(msg);
  });

  it('suggests the function meant', () => {
    try {
      parseTemplate('${uuidv4()}');
      expect.unreachable();
    } catch (e) {
      expect((e as TemplateError).suggestion).toBe('uuid');
      expect((e as TemplateError).offset).toBe(2);
    }
  });
});

describe('template rendering', () => {
  it('a template without ${ is a constant', () => {
    const t = compileTemplate('/health');
    expect(t.isConstant).toBe(true);
    expect(t(ctx())).toBe('/health');
  });

  it('variables fold into constants; captures shadow them when captured in the flow', () => {
    const vars = { tenant: 'acme', id: 'var-id' };
    const t = compileTemplate('/t/${tenant}/${vars.tenant}', { vars });
    expect(t.isConstant).toBe(true);
    expect(t(ctx())).toBe('/t/acme/acme');
    const c = compileTemplate('/u/${id}', { vars, captured: new Set(['id']) });
    expect(c.isConstant).toBe(false);
    expect(c(ctx())).toBe('/u/var-id');
    expect(c(ctx({ captures: { id: 12 } }))).toBe('/u/12');
  });

  it('captures, object fields, data rows, defaults', () => {
    const t = compileTemplate('${user.name}|${data.users.email}|${missing ?? "anon"}|${n}');
    expect(t(ctx({ captures: { user: { name: 'ann' }, n: 0 }, rows: { users: { email: 'a@b' } } }))).toBe('ann|a@b|anon|0');
    expect(t(ctx())).toBe('||anon|');
  });

  it('uuid() is a v4 UUID, new every time', () => {
    const t = compileTemplate('${uuid()}');
    const a = t(ctx());
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(t(ctx())).not.toBe(a);
  });

  it('randomInt(min, max) covers the inclusive range and nothing else', () => {
    const t = compileTemplate('${randomInt(1, 6)}');
    const c = ctx();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(t(c));
    expect([...seen].sort()).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('pick() returns one of its arguments, each of them eventually', () => {
    const t = compileTemplate("${pick('red', 'green', 'blue')}");
    const c = ctx();
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) seen.add(t(c));
    expect([...seen].sort()).toEqual(['blue', 'green', 'red']);
  });

  it('randomString, iteration, vu, time functions, base64, urlencode', () => {
    const c = ctx();
    expect(compileTemplate('${randomString(12)}')(c)).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(compileTemplate("${randomString(5, 'ab')}")(c)).toMatch(/^[ab]{5}$/);
    expect(compileTemplate('${iteration()}-${vu()}')(c)).toBe('7-3');
    const before = Date.now();
    const now = Number(compileTemplate('${now()}')(c));
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
    expect(Number(compileTemplate('${timestamp()}')(c))).toBe(Math.floor(now / 1000));
    expect(new Date(compileTemplate('${isoNow()}')(c)).getTime()).toBeGreaterThanOrEqual(before);
    const b64 = compileTemplate("${base64('user:pass')}");
    expect(b64.isConstant).toBe(true);
    expect(b64(c)).toBe('dXNlcjpwYXNz');
    expect(compileTemplate('${urlencode(q)}')(ctx({ captures: { q: 'a b&c' } }))).toBe('a%20b%26c');
  });

  it('typed templates keep the type of a lone expression', () => {
    expect(compileTypedTemplate('${randomInt(5, 5)}').fn(ctx())).toBe(5);
    expect(compileTypedTemplate('${id}').fn(ctx({ captures: { id: 42 } }))).toBe(42);
    expect(compileTypedTemplate('${string(id)}').fn(ctx({ captures: { id: 42 } }))).toBe('42');
    expect(compileTypedTemplate('id-${id}').fn(ctx({ captures: { id: 42 } }))).toBe('id-42');
  });

  it('is deterministic for a seed', () => {
    const t = compileTemplate('${randomInt(1, 1000000)}');
    const a = ctx({ rand: seededRandom(9) });
    const b = ctx({ rand: seededRandom(9) });
    expect([t(a), t(a), t(a)]).toEqual([t(b), t(b), t(b)]);
  });
});

describe('jsonpath', () => {
  const doc = { items: [{ id: 'a1' }, { id: 'b2' }], 'weird key': { x: 1 }, n: null, zero: 0 };
  it.each([
    ['$.items[0].id', 'a1'],
    ['items.0.id', 'a1'],
    ['items[1].id', 'b2'],
    ['$.items[-1].id', 'b2'],
    ["$['weird key'].x", 1],
    ['$["weird key"]', { x: 1 }],
    ['n', null],
    ['zero', 0],
    ['$', doc],
    ['$.items[5].id', undefined],
    ['$.nope.deeper', undefined],
    ['$.items.id', undefined],
  ])('%s', (path, want) => expect(getPath(doc, parseJsonPath(path))).toEqual(want));
  it.each(['', '$.a[', '$.a[x]', '$..a', '$a'])('%j is rejected', (p) => expect(() => parseJsonPath(p)).toThrow());
  it('does not read inherited properties', () => {
    expect(getPath({}, parseJsonPath('constructor'))).toBeUndefined();
  });
});
