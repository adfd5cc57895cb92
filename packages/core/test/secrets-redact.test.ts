/** Credential-like query parameters and configured secret headers, redacted at the source (issue 9). */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '@loadctl/core';
import { quickScenario, redactScenario, redactUrlSecrets, secretValues } from '@loadctl/core/internal';

describe('query-string secrets', () => {
  it('redactUrlSecrets: credential-like parameters, any case, - or _, userinfo passwords; placeholders and others stay', () => {
    expect(redactUrlSecrets('GET /x?api_key=a1&page=2&Access-Token=t2&SIG=s3&q=key')).toBe('GET /x?api_key=***&page=2&Access-Token=***&SIG=***&q=key');
    expect(redactUrlSecrets('https://u:pw@h.example/p?apikey=zz#f')).toBe('https://u:***@h.example/p?apikey=***#f');
    expect(redactUrlSecrets('GET /x?token={token}&session=abc')).toBe('GET /x?token={token}&session=abc');
    expect(redactUrlSecrets('GET /x?token={token}&session=abc', ['session'])).toBe('GET /x?token={token}&session=***');
    expect(redactUrlSecrets('GET /no/query/key=1')).toBe('GET /no/query/key=1');
  });

  it('a scenario: request names and the stored config carry no credential; the values are known secrets', () => {
    const s = parseScenario(
      `
target: http://u:targetpw@127.0.0.1:1
secrets: { headers: [X-Sig], query: [session] }
variables: { tok: plain }
steps:
  - get: /a?api_key=\${env.KEY}&page=1
  - get: /b?token=\${tok}
  - get: /c?session=SESSVAL
    query: { signature: QVAL, q: visible }
    headers: { x-sig: HDRVAL }
load: { users: 1, duration: 1s }
`,
      { env: { KEY: 'ENVKEYVAL' } },
    );
    expect(s.flows![0].steps.map((st) => st.name)).toEqual(['GET /a?api_key=***&page=1', 'GET /b?token={tok}', 'GET /c?session=***']);
    const stored = JSON.stringify(redactScenario(s));
    for (const v of ['ENVKEYVAL', 'SESSVAL', 'QVAL', 'HDRVAL', 'targetpw']) expect(stored).not.toContain(v);
    expect(stored).toContain('visible');
    expect(secretValues(s)).toEqual(expect.arrayContaining(['ENVKEYVAL', 'SESSVAL', 'QVAL', 'HDRVAL']));
  });

  it('quick: the request name is redacted, the path sent is not', () => {
    const s = quickScenario({ url: 'http://127.0.0.1:1/x?key=K1&sid=S2', secretQuery: ['sid'] });
    const step = s.flows[0].steps[0];
    expect(step.name).toBe('GET /x?key=***&sid=***');
    expect(step.path).toBe('/x?key=K1&sid=S2');
  });
});
