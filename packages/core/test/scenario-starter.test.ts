import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/scenario/load.js';
import { starterScenario } from '../src/scenario/starter.js';

describe('starterScenario (loadctl init)', () => {
  it.each([
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000', '/'],
    ['https://api.example.com:8443/v1/items?limit=10&sort=-id', 'https://api.example.com:8443', '/v1/items?limit=10&sort=-id'],
    ['http://[::1]:8080/a b/#frag', 'http://[::1]:8080', '/a%20b/'],
    ['http://h/odd: path #x?q=${x}', 'http://h', '/odd:%20path%20'],
    ['http://h/tpl?q=${x}', 'http://h', '/tpl?q=$${x}'],
  ])('%s -> target %s, GET %s, valid in both models', (url, target, path) => {
    for (const model of ['closed', 'open'] as const) {
      const s = parseScenario(starterScenario({ url, model, schema: './s.json' }), { env: {} });
      expect(s.target).toBe(target);
      expect(s.flows![0].steps.map((st) => [st.method, st.path])).toEqual([['GET', path]]);
      expect(s.load!.model).toBe(model);
      expect(s.thresholds).toHaveLength(3);
    }
  });

  it('names the schema on the first line, for editors', () => {
    expect(starterScenario({ schema: '../node_modules/@loadctl/core/schema/scenario.schema.json' }).split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../node_modules/@loadctl/core/schema/scenario.schema.json',
    );
  });
});
