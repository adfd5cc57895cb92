// Runnable entry: `node examples/restaurants/dist/main.js [--port N] [--host H] [--ttl MS]`.
// Env: PORT, HOST, CACHE_TTL_MS (default 10000), UPSTREAM_URL (if unset an upstream is
// started in-process on UPSTREAM_PORT, default a free port, with UPSTREAM_DELAY_MS, default 50).
import { argValue, runMain } from '@loadctl-example/common';
import { start, startUpstream } from './index.js';

function numberSetting(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

await runMain('restaurants', async (listenOptions) => {
  const argv = process.argv.slice(2);
  const env = process.env;
  const ttlMs = numberSetting('CACHE_TTL_MS', argValue(argv, 'ttl') ?? env['CACHE_TTL_MS'], 10_000);
  let upstreamUrl = argValue(argv, 'upstream') ?? env['UPSTREAM_URL'];
  let upstream: { url: string; close(): Promise<void> } | undefined;
  if (upstreamUrl === undefined || upstreamUrl === '') {
    upstream = await startUpstream({
      host: listenOptions.host,
      port: numberSetting('UPSTREAM_PORT', env['UPSTREAM_PORT'], 0),
      delayMs: numberSetting('UPSTREAM_DELAY_MS', env['UPSTREAM_DELAY_MS'], 50),
    });
    upstreamUrl = upstream.url;
    process.stderr.write(`restaurants: upstream menu service on ${upstream.url}\n`);
  }
  const proxy = await start({ ...listenOptions, upstreamUrl, ttlMs });
  return {
    ...proxy,
    close: async () => {
      await proxy.close();
      await upstream?.close();
    },
  };
});
