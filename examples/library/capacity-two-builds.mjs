// The capacity of two builds of a service, compared (docs/library.md).
//   node examples/library/capacity-two-builds.mjs
// Two instances of the behaviour example stand in for two builds (say, main and a branch),
// each on its own port. A short capacity search runs against each in turn (steps of 1.5 s:
// illustrative only — real searches hold each step 20 s or more, docs/capacity.md), then
// compareCapacity says whether the second regressed. Exit 1 when it did, like a CI gate.
import { capacity, compareCapacity, defineScenario } from '@loadctl/core';
import { start } from '@loadctl-example/behaviour';

const builds = [
  { name: 'build A', service: await start() },
  { name: 'build B', service: await start() },
];
const results = [];
try {
  for (const { name, service } of builds) {
    const scenario = defineScenario({
      name,
      target: service.url,
      load: { rate: 50, duration: '1s' }, // the search replaces the load with its own steps
      steps: [{ name: 'list reactions', get: '/v1/users/user-${randomInt(1, 20)}/behaviors?limit=10', check: { status: 200 } }],
      thresholds: ['p(95) < 100ms', 'error_rate < 1%'], // the SLOs the search holds the service to
    });
    const result = await capacity(scenario, {
      startRate: 50,
      maxRate: 200,
      growth: 2,
      stepMs: 1500,
      warmupMs: 500,
      confirmMs: 0,
      pauseMs: 200,
      maxDurationMs: 30_000,
      workers: 1,
    });
    const c = result.summary.capacity;
    console.log(`${name} (${service.url}): ${c.maxRate.toFixed(0)}/s, ${c.maxRps.toFixed(0)} requests/s, ${c.status}, limited by ${c.limitedBy}, ${c.steps.length} steps`);
    results.push(result);
  }
  const cmp = compareCapacity(results[0], results[1], { maxRpsDrop: 0.2 });
  console.log(`build B vs build A: ${cmp.verdict}${cmp.change === null ? '' : ` (max requests/s ${(cmp.change * 100).toFixed(1)} %)`}`);
  for (const r of cmp.regressions) console.log(`  regression: ${r}`);
  process.exitCode = cmp.regressed ? 1 : 0;
} finally {
  for (const b of builds) await b.service.close();
}
