// Hooks that log in once in setup and sign every request (docs/library.md).
//   node examples/library/signed-load.mjs
// Starts examples/library/signed-api.mjs on a free port, runs 2 s of load through the hooks
// in hooks/sign.mjs on 2 worker threads, and prints what the API saw.
import { fileURLToPath } from 'node:url';
import { defineScenario, run } from '@loadctl/core';
import { startSignedApi } from './signed-api.mjs';

const api = await startSignedApi();
try {
  const scenario = defineScenario({
    name: 'signed orders',
    target: api.url,
    // A path, not functions: each worker thread imports the module itself.
    hooks: fileURLToPath(new URL('./hooks/sign.mjs', import.meta.url)),
    variables: { orderId: 'none' }, // set per iteration by afterResponse
    load: { users: 4, duration: '2s' },
    steps: [
      { name: 'create order', post: '/orders', json: { item: 'book' }, check: { status: 201 } },
      { name: 'read order', get: '/orders/${orderId}', check: { status: 200 } },
    ],
    thresholds: ['checks == 100%'],
  });
  const result = await run(scenario, { workers: 2 });
  const s = result.summary;
  console.log(`${s.total.count} requests, checks ${JSON.stringify(s.checks)}, verdict ${s.verdict.passed ? 'passed' : 'failed'}`);
  console.log(`the API saw: ${JSON.stringify(api.stats)}`);
  process.exitCode = s.verdict.passed && api.stats.logins === 1 && api.stats.rejected === 0 ? 0 : 1;
} finally {
  await api.close();
}
