// A large, valid scenario for scale tests and bench/validate: `flows` flows whose steps
// each capture a value, use the previous step's capture, a variable and a template
// function, and carry checks — the shapes whose validation used to be quadratic.
// `bytes` is the approximate size of the document as JSON (YAML is about the same).

/** @param {number} bytes @param {{ flows?: number }} [o] */
export function bigScenario(bytes, o = {}) {
  const flowCount = o.flows ?? 4;
  const doc = {
    name: 'big',
    target: 'http://127.0.0.1:3000',
    load: { users: 10, duration: '30s' },
    variables: { tenant: 'acme' },
    flows: [],
    thresholds: ['p(95) < 200ms', { expression: 'failed_rate < 1%', scope: 'flow:flow0' }],
  };
  let size = JSON.stringify(doc).length;
  const perFlow = bytes / flowCount;
  for (let f = 0; f < flowCount; f++) {
    const steps = [];
    doc.flows.push({ name: `flow${f}`, weight: f + 1, steps });
    for (let i = 0, flowSize = 0; flowSize < perFlow; i++) {
      const step = {
        name: `step ${f}-${i}`,
        post: i === 0 ? '/items?tenant=${tenant}' : `/items/\${id${i - 1}}?tenant=\${tenant}`,
        headers: { 'x-trace': `t-${i}` },
        json: { n: i, tag: '${randomInt(1, 10)}', owner: '${vars.tenant}' },
        capture: { json: '$.id', as: `id${i}` },
        check: [{ status: [200, 201] }, { maxDuration: '500ms' }],
      };
      steps.push(step);
      const n = JSON.stringify(step).length + 1;
      flowSize += n;
      size += n;
    }
  }
  return { doc, bytes: size };
}
